// The self-referential weight matrix recurrence (Irie et al. 2022) with the memory-efficient backward
// of the same paper: only per-step vectors and the final W are stored; W_{t-1} is rebuilt by reverting
// the rank-1 update, except across a reset, where the matrix from just before the reset is kept.
//
// Per head the fast weight is one R×d matrix, R = 3d+4, rows [W^y; W^q; W^k; W^β] in paper
// orientation (y = W u). Sequences (b) and heads (h) are independent and run in parallel.
import ArcadeTensor

public final class SRWMCore {
  public let ps: ParamStore
  public let heads: Int, d: Int
  public var R: Int { 3 * d + 4 }
  /// W0 blocks: Wy, Wq, Wk (H,d,d) and Wb (H,4,d), shared by the batch.
  public let w0y: ParamRef, w0q: ParamRef, w0k: ParamRef, w0b: ParamRef
  public let inputSoftmax: Bool
  /// The SRWM paper's published RL code: the state is treated as a constant at every step, so
  /// only W^y_0 (and the input) get gradient, through y_t = W^y_{t-1} u_t. Default false: full gradient.
  public var detachStateLikePublishedRLCode = false
  /// Use the SIMD16 kernels when d = 16 (disable to cross-check against the generic path).
  public var useSIMD16 = true
  var fast: Bool { d == 16 && useSIMD16 && !detachStateLikePublishedRLCode }

  // Forward caches (reused between calls).
  let W = Buffer()            // [B,H,R,d] current fast weights; W_L after forward
  let saved = Buffer()        // [B,H,L,S] per-step u, q, k, β(4), δ(R); S = 3d+4+R
  let preReset = Buffer()     // [nResets,H,R,d] matrices from just before each reset
  let G = Buffer()            // [B,H,R,d] running gradient
  let gW0 = Buffer()          // [B,H,R,d] per-sequence W0 gradient (reduced over B at the end)
  let scratch = Buffer()
  let gW0Scratch = Buffer()   // small per-sequence vectors of the SIMD16 backward
  let w0T = Buffer()          // [H][16·64] W0 transposed for the SIMD16 forward
  let scratchW0 = Buffer()    // one head's W0, for ΔW_out = W_L − W0
  var resetOffset: [Int] = [] // first preReset slot of sequence b
  var resetMask: [Bool] = []  // [L*B]
  var L = 0, B = 0
  var hadState = false
  /// Set (by ArcadeRL's RLAgent for an actor) when the state passed in is the one the previous forward call left, with
  /// unchanged weights: the fast path then keeps W_t in its working buffer instead of rebuilding it as
  /// W0 + ΔW (which rounds). Decided per call by the caller; any other call must leave it false.
  package var continuing = false
  var lastForwardBatch = -1
  /// Set (by ArcadeRL's RLAgent for an actor) to leave the state buffer unwritten in the fast path: W_t stays in the
  /// working buffer, and `writeState` stores ΔW = W_t − W0 when the state is needed (before the weights change).
  package var deferStateWrite = false
  /// Whether the last forward call left the state unwritten.
  var stateWritePending = false
  /// Set by the SIMD16 backward, which leaves each sequence's rebuilt initial matrix in G (row layout)
  /// and W_L in W; cleared by forward.
  var weightsRebuiltInG = false

  public init(_ ps: ParamStore, heads: Int, headDim d: Int, inputSoftmax: Bool,
              names: (String, String, String, String)) {
    self.ps = ps; self.heads = heads; self.d = d; self.inputSoftmax = inputSoftmax
    w0y = ps.register(names.0, [heads, d, d])
    w0q = ps.register(names.1, [heads, d, d])
    w0k = ps.register(names.2, [heads, d, d])
    w0b = ps.register(names.3, [heads, 4, d])
  }

  /// The published initialisation: W^y, W^q, W^k ~ N(0, 1/√d); W^β ~ N(betaInit, 1/√d).
  public func initDefault(_ rng: inout SplitMix, betaInit: Float = 0) {
    let s = 1 / Float(d).squareRoot()
    ps.fillNormal(w0y, std: s, rng: &rng); ps.fillNormal(w0q, std: s, rng: &rng)
    ps.fillNormal(w0k, std: s, rng: &rng); ps.fillNormal(w0b, mean: betaInit, std: s, rng: &rng)
  }

  /// Scratch floats per (sequence, head): the backward's ε, g_p [R each], g_q, g_k, q − k, g_u [d each]
  /// and ĝ_β [4]; the forward needs less. (5d once stood here, one short when d < 4.)
  var scratchPerSequence: Int { 2 * R + 4 * d + 4 }

  /// Size of the carried state ΔW for B sequences: B·H·R·d floats, layout [B,H,R,d].
  public func stateCount(batch: Int) -> Int { batch * heads * R * d }

  /// Copies head h of W0 into an R×d matrix.
  @inline(__always) func loadW0(_ h: Int, _ dst: UnsafeMutablePointer<Float>) {
    let dd = d * d
    Vec.copy(ps.w(w0y) + h * dd, dst, dd)
    Vec.copy(ps.w(w0q) + h * dd, dst + dd, dd)
    Vec.copy(ps.w(w0k) + h * dd, dst + 2 * dd, dd)
    Vec.copy(ps.w(w0b) + h * 4 * d, dst + 3 * dd, 4 * d)
  }

  /// x, y: [L,B,H·d]. state: ΔW [B,H,R,d] carried in, overwritten with W_L − W0 (nil = start at W0).
  /// reset: [L,B], nonzero = reset to W0 before step t.
  public func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, L: Int, B: Int,
                      state: UnsafeMutablePointer<Float>?, reset: UnsafePointer<Float>?) {
    self.L = L; self.B = B; hadState = state != nil
    weightsRebuiltInG = false
    let H = heads, d = d, R = R, M = R * d
    // Refilled in place: no allocation per call (the actor calls this once per step).
    resetMask.removeAll(keepingCapacity: true)
    for i in 0..<(L * B) { resetMask.append(reset.map { $0[i] != 0 } ?? false) }
    resetOffset.removeAll(keepingCapacity: true)
    var total = 0
    for b in 0..<B {
      resetOffset.append(total)
      for t in 0..<L where resetMask[t * B + b] { total += 1 }
    }
    if fast {
      // Writes ΔW_out = W_L − W0 itself, per sequence on the workers.
      forward16(x, y, L: L, B: B, state: state, total: total)
      return
    }
    forwardGeneric(x, y, L: L, B: B, state: state, total: total)
    if let state {
      // ΔW_out = W_L − W0
      let tmp = scratchW0.resize(M)     // reused: no allocation per call
      for h in 0..<H {
        loadW0(h, tmp)
        for b in 0..<B { let s = state + (b * H + h) * M; for i in 0..<M { s[i] -= tmp[i] } }
      }
    }
  }

  func forwardGeneric(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, L: Int, B: Int,
                      state: UnsafeMutablePointer<Float>?, total: Int) {
    let H = heads, d = d, R = R, S = 3 * d + 4 + R, M = R * d, D = H * d
    W.resize(B * H * M); saved.resize(B * H * L * S)
    preReset.resize(max(1, total * H * M))
    let wp = SendablePtr(W.ptr), sp = SendablePtr(saved.ptr), pr = SendablePtr(preReset.ptr)
    let yp = SendablePtr(y), st = state.map { SendablePtr($0) }
    let xs = UnsafeMutablePointer(mutating: x)
    let xp = SendablePtr(xs)
    let SC = scratchPerSequence
    let scr = SendablePtr(scratch.resize(B * H * SC))
    let mask = resetMask, roff = resetOffset
    Parallel.forEach(B * H) { bh in
      let b = bh / H, h = bh % H
      let w = wp.p + bh * M
      self.loadW0(h, w)
      if let st { Vec.add(st.p + bh * M, w, M) }
      var nres = 0
      let p = scr.p + bh * SC
      let dl = p + R, diff = p + 2 * R
      for t in 0..<L {
        if mask[t * B + b] {
          Vec.copy(w, pr.p + ((roff[b] + nres) * H + h) * M, M)
          self.loadW0(h, w)
          nres += 1
        }
        let s = sp.p + (bh * L + t) * S
        let u = s, q = s + d, k = s + 2 * d, beta = s + 3 * d, delta = s + 3 * d + 4
        let xt = xp.p + (t * B + b) * D + h * d
        if self.inputSoftmax { Act.softmax(xt, u, d) } else { Vec.copy(xt, u, d) }
        // p = W u  [R]
        for r in 0..<R { p[r] = Vec.dot(w + r * d, u, d) }
        Vec.copy(p, yp.p + (t * B + b) * D + h * d, d)
        Act.softmax(p + d, q, d)
        Act.softmax(p + 2 * d, k, d)
        for i in 0..<4 { beta[i] = Act.sigmoid(p[3 * d + i]) }
        for e in 0..<d { diff[e] = q[e] - k[e] }
        // δ = W (q − k)  [R]
        for r in 0..<R { delta[r] = Vec.dot(w + r * d, diff, d) }
        // W += (lr ⊙ δ) ⊗ k
        for r in 0..<R {
          let lr = beta[r < 3 * d ? r / d : 3]
          dl[r] = lr * delta[r]
          Vec.axpy(dl[r], k, w + r * d, d)
        }
      }
      if let st { Vec.copy(w, st.p + bh * M, M) }
    }
  }

  /// dy: [L,B,H·d] -> dx: [L,B,H·d] (overwritten). dState: on entry dL/dΔW_out (or nil = 0), on exit
  /// dL/dΔW_in. W0 gradients are accumulated into the ParamStore.
  public func backward(_ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
                       dState: UnsafeMutablePointer<Float>?) {
    let M = R * d, n = B * heads * M
    let detach = detachStateLikePublishedRLCode
    gW0.resize(n); gW0.zero()
    if let dState, !detach {
      for i in 0..<n { gW0.ptr[i] = -dState[i] }   // ΔW_out = W_L − W0
    }
    if fast {
      backward16(dy, dx, dState: dState)
    } else {
      G.resize(n)
      if let dState, !detach { Vec.copy(dState, G.ptr, n) } else { G.zero() }
      backwardGeneric(dy, dx, dState: dState)
    }
    reduceW0Grads()
  }

  func backwardGeneric(_ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
                       dState: UnsafeMutablePointer<Float>?) {
    let H = heads, d = d, R = R, S = 3 * d + 4 + R, M = R * d, D = H * d, L = L, B = B
    let detach = detachStateLikePublishedRLCode
    let SC = scratchPerSequence
    let scr = SendablePtr(scratch.resize(B * H * SC))
    let mask = resetMask, roff = resetOffset
    let wp = SendablePtr(W.ptr), sp = SendablePtr(saved.ptr), pr = SendablePtr(preReset.ptr)
    let gp = SendablePtr(G.ptr), g0 = SendablePtr(gW0.ptr), dxp = SendablePtr(dx)
    let dyp = SendablePtr(UnsafeMutablePointer(mutating: dy))
    let ds = dState.map { SendablePtr($0) }
    Parallel.forEach(B * H) { bh in
      let b = bh / H, h = bh % H
      let w = wp.p + bh * M, G = gp.p + bh * M, gw0 = g0.p + bh * M
      var nres = roff[b]
      for t in 0..<L where mask[t * B + b] { nres += 1 }
      let tmp = scr.p + bh * SC
      let eps = tmp, gpv = tmp + R, gq = tmp + 2 * R, gk = gq + d, diff = gk + d, du = diff + d, gb = du + d
      for t in stride(from: L - 1, through: 0, by: -1) {
        let s = sp.p + (bh * L + t) * S
        let u = s, q = s + d, k = s + 2 * d, beta = s + 3 * d, delta = s + 3 * d + 4
        let gy = dyp.p + (t * B + b) * D + h * d
        // 1. revert: W_{t-1} = W_t − (lr ⊙ δ) ⊗ k
        for r in 0..<R {
          let lr = beta[r < 3 * d ? r / d : 3]
          Vec.axpy(-lr * delta[r], k, w + r * d, d)
        }
        if detach {
          // Only y_t = W^y_{t-1} u_t carries gradient; W_{t-1} is a constant.
          for e in 0..<d { du[e] = 0 }
          for r in 0..<d { Vec.axpy(gy[r], w + r * d, du, d); Vec.axpy(gy[r], u, gw0 + r * d, d) }
        } else {
          // 2. through the update (G = ∂L/∂W_t here)
          for e in 0..<d { gk[e] = 0; gq[e] = 0; diff[e] = q[e] - k[e] }
          for i in 0..<4 { gb[i] = 0 }
          for r in 0..<R {
            let bi = r < 3 * d ? r / d : 3, lr = beta[bi]
            let gr = G + r * d
            eps[r] = lr * Vec.dot(gr, k, d)               // ε = lr ⊙ (G k)
            Vec.axpy(lr * delta[r], gr, gk, d)             // ĝ_k += Gᵀ(lr ⊙ δ)
            gb[bi] += delta[r] * eps[r]
          }
          for i in 0..<4 { gb[i] *= 1 - beta[i] }          // ĝ_b = (1−β)(δ·ε) per block
          for r in 0..<R { Vec.axpy(eps[r], w + r * d, gq, d) }   // W_{t-1}ᵀ ε
          for e in 0..<d { gk[e] -= gq[e] }
          // 3. softmax backward for q and k
          Act.softmaxBackward(q, gq, gq, d)
          Act.softmaxBackward(k, gk, gk, d)
          // 4. input projections: gp = [g_y; g_a; g_c; ĝ_b]
          Vec.copy(gy, gpv, d); Vec.copy(gq, gpv + d, d); Vec.copy(gk, gpv + 2 * d, d); Vec.copy(gb, gpv + 3 * d, 4)
          for e in 0..<d { du[e] = 0 }
          for r in 0..<R {
            let wr = w + r * d, gr = G + r * d
            Vec.axpy(gpv[r], wr, du, d)
            let a = eps[r], c = gpv[r]
            for e in 0..<d { gr[e] += a * diff[e] + c * u[e] }
          }
        }
        let dxt = dxp.p + (t * B + b) * D + h * d
        if self.inputSoftmax { Act.softmaxBackward(u, du, dxt, d) } else { Vec.copy(du, dxt, d) }
        if mask[t * B + b] {
          // W_{t-1} was W0: its gradient goes to the parameter; restore the pre-reset matrix.
          Vec.add(G, gw0, M)
          Vec.zero(G, M)
          nres -= 1
          Vec.copy(pr.p + (nres * H + h) * M, w, M)
        }
      }
      // Start of the sequence: W_{-1} = W0 + ΔW_in.
      Vec.add(G, gw0, M)
      if let ds {
        if mask[b] || detach { Vec.zero(ds.p + bh * M, M) } else { Vec.copy(G, ds.p + bh * M, M) }
      }
    }
  }

  /// Reduces the per-sequence W0 gradients over the batch into the parameter gradients.
  func reduceW0Grads() {
    let H = heads, d = d, M = R * d, dd = d * d
    for b in 0..<B {
      for h in 0..<H {
        let g = gW0.ptr + (b * H + h) * M
        Vec.add(g, ps.g(w0y) + h * dd, dd)
        Vec.add(g + dd, ps.g(w0q) + h * dd, dd)
        Vec.add(g + 2 * dd, ps.g(w0k) + h * dd, dd)
        Vec.add(g + 3 * dd, ps.g(w0b) + h * 4 * d, 4 * d)
      }
    }
  }
}

extension SRWMCore {
  /// The fast weight matrix of sequence b, head h currently held by the core, row layout [R][d]
  /// (after forward: W_L; after backward: the rebuilt initial matrix W0 + ΔW_in).
  public func currentWeights(b: Int, h: Int) -> [Float] {
    let M = R * d, bh = b * heads + h
    if fast {
      if weightsRebuiltInG { return Array(UnsafeBufferPointer(start: G.ptr + bh * Self.backwardScratch16 + Self.mi16, count: M)) }
      var out = [Float](repeating: 0, count: M)
      out.withUnsafeMutableBufferPointer { Self.untranspose16(W.ptr + bh * Self.mi16, $0.baseAddress!) }
      return out
    }
    return Array(UnsafeBufferPointer(start: W.ptr + bh * M, count: M))
  }
  /// W0 of head h in row layout [R][d].
  public func initialWeights(h: Int) -> [Float] {
    var out = [Float](repeating: 0, count: R * d)
    out.withUnsafeMutableBufferPointer { loadW0(h, $0.baseAddress!) }
    return out
  }
}
