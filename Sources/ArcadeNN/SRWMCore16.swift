// SIMD16 fast path of SRWMCore for head size d = 16 (every paper experiment).
// Each head's fast weight is held transposed: Wt[e] = column e of W as 4 SIMD16 chunks
// (rows 0‥15 W^y, 16‥31 W^q, 32‥47 W^k, 48‥51 W^β + 12 zero pad rows), so W u, W(q−k),
// the rank-1 update and its reversal are pure FMAs; Wᵀv needs one horizontal sum per column.
// Saved per step (8 SIMD16): u, q, k, β (lanes 0‥3), δ chunks 0‥3.
import ArcadeTensor
import CCacheHints

// MARK: SIMD16 helpers (file-local so they inline without whole-module optimisation)

fileprivate typealias V16 = SIMD16<Float>
fileprivate typealias V8 = SIMD8<Float>

@inline(__always) fileprivate func ld16(_ p: UnsafePointer<Float>) -> V16 { UnsafeRawPointer(p).loadUnaligned(as: V16.self) }
@inline(__always) fileprivate func st16(_ p: UnsafeMutablePointer<Float>, _ v: V16) {
  UnsafeMutableRawPointer(p).storeBytes(of: v, as: V16.self)
}
// Chunk 3 (rows 48‥63) holds only the four W^β rows: 8 lanes cover them at half the cost.
@inline(__always) fileprivate func ld8(_ p: UnsafePointer<Float>) -> V8 { UnsafeRawPointer(p).loadUnaligned(as: V8.self) }
@inline(__always) fileprivate func st8(_ p: UnsafeMutablePointer<Float>, _ v: V8) {
  UnsafeMutableRawPointer(p).storeBytes(of: v, as: V8.self)
}
@inline(__always) fileprivate func widen(_ v: V8) -> V16 { V16(lowHalf: v, highHalf: V8()) }

/// An 8×8 block of floats as its eight rows.
fileprivate typealias Block8 = (V8, V8, V8, V8, V8, V8, V8, V8)
@inline(__always) fileprivate func block(_ row: (Int) -> V8) -> Block8 {
  (row(0), row(1), row(2), row(3), row(4), row(5), row(6), row(7))
}
/// Hands the first `rows` rows of a block to `store` (row index, row).
@inline(__always) fileprivate func put(_ b: Block8, rows: Int, _ store: (Int, V8) -> Void) {
  store(0, b.0); if rows > 1 { store(1, b.1) }; if rows > 2 { store(2, b.2) }; if rows > 3 { store(3, b.3) }
  if rows > 4 { store(4, b.4) }; if rows > 5 { store(5, b.5) }; if rows > 6 { store(6, b.6) }; if rows > 7 { store(7, b.7) }
}
/// The transpose of an 8×8 block: three perfect unshuffles of its 64 floats (each rotates an element's
/// 6-bit index right by one bit, so three swap its row and column bits).
@inline(__always) fileprivate func transpose8(_ a: Block8) -> Block8 {
  @inline(__always) func unshuffle(_ a: Block8) -> Block8 {
    let z0 = V16(lowHalf: a.0, highHalf: a.1), z1 = V16(lowHalf: a.2, highHalf: a.3)
    let z2 = V16(lowHalf: a.4, highHalf: a.5), z3 = V16(lowHalf: a.6, highHalf: a.7)
    return (z0.evenHalf, z1.evenHalf, z2.evenHalf, z3.evenHalf, z0.oddHalf, z1.oddHalf, z2.oddHalf, z3.oddHalf)
  }
  return unshuffle(unshuffle(unshuffle(a)))
}

/// W v for a transposed head weight `w` ([16][64], see the top) and a 16-vector `v` in memory, as its
/// four row chunks (W^y, W^q, W^k, W^β). The scalars of v are read from memory: dynamic lane
/// extraction spills.
@inline(__always) fileprivate func product16(_ w: UnsafePointer<Float>, _ v: UnsafePointer<Float>) -> (V16, V16, V16, V8) {
  var p0 = V16(), p1 = V16(), p2 = V16(), p3 = V8()
  for e in 0..<16 {
    let c = w + e * 64, ve = v[e]
    let vv = V16(repeating: ve)
    p0.addProduct(vv, ld16(c)); p1.addProduct(vv, ld16(c + 16)); p2.addProduct(vv, ld16(c + 32))
    p3.addProduct(V8(repeating: ve), ld8(c + 48))
  }
  return (p0, p1, p2, p3)
}

/// exp(x) for 16 lanes: 2^n · P(r), n = round(x·log2 e), r = x − n·ln 2 (two-part ln 2).
@inline(__always) fileprivate func exp16(_ x: V16) -> V16 {
  // Round x·log2 e to the nearest integer with the 1.5·2^23 trick (no float→int conversion).
  let magic = V16(repeating: 12_582_912)
  let t = x * 1.442_695_04 + magic
  let n = t - magic
  var r = x - n * 0.693_359_375
  r = r + n * 2.121_944_4e-4
  var p = V16(repeating: 1.987_569_1e-4)
  p = p * r + 1.398_199_9e-3
  p = p * r + 8.333_452e-3
  p = p * r + 4.166_579_6e-2
  p = p * r + 1.666_666_5e-1
  p = p * r + 5e-1
  p = p * (r * r) + r + 1
  // Biased exponent clamped to [0, 255] with integer ops: underflow gives 0, overflow inf.
  var e = unsafeBitCast(t, to: SIMD16<Int32>.self) &- unsafeBitCast(magic, to: SIMD16<Int32>.self) &+ 127
  e = e & ~(e &>> 31)
  let over = e &- 255
  e = e &- (over & ~(over &>> 31))
  return p * unsafeBitCast(e &<< 23, to: V16.self)
}

/// Softmax over the 16 lanes.
@inline(__always) fileprivate func softmax16(_ x: V16) -> V16 {
  let e = exp16(x - V16(repeating: hmax(x)))
  return e * (1 / hsum(e))
}
/// y ⊙ (g − (g·y))
@inline(__always) fileprivate func softmaxBack16(_ y: V16, _ g: V16) -> V16 { y * (g - V16(repeating: hsum(g * y))) }
@inline(__always) fileprivate func sigmoid16(_ x: V16) -> V16 { 1 / (1 + exp16(-x)) }

/// Horizontal sum / max as a tree of half-width operations (the stdlib reductions are sequential).
@inline(__always) fileprivate func hsum(_ v: V16) -> Float {
  let a = v.lowHalf + v.highHalf
  let b = a.lowHalf + a.highHalf
  let c = b.lowHalf + b.highHalf
  return c[0] + c[1]
}
@inline(__always) fileprivate func hmax(_ v: V16) -> Float {
  // A tree of half-width blends (the stdlib's pointwiseMax is not vectorised, a scalar scan is a
  // 16-long dependency chain); the maximum is exact whatever the order.
  let a = v.lowHalf.replacing(with: v.highHalf, where: v.highHalf .> v.lowHalf)
  let b = a.lowHalf.replacing(with: a.highHalf, where: a.highHalf .> a.lowHalf)
  let c = b.lowHalf.replacing(with: b.highHalf, where: b.highHalf .> b.lowHalf)
  return c[1] > c[0] ? c[1] : c[0]
}

// MARK: kernels

extension SRWMCore {
  static let mi16 = 16 * 64          // floats per transposed head matrix
  static let s16 = 8 * 16            // floats saved per step
  /// Floats of backward16's per-sequence scratch in G: Gᵀ, W rows (the rebuilt initial matrix after
  /// backward, which `currentWeights` reads there), G rows, and the vectors lr ⊙ δ, ε, gp, q − k.
  static let backwardScratch16 = mi16 + 2 * 52 * 16 + 4 * 64

  /// Loads W0 (+ ΔW in row layout [52][16], optional) of head h into transposed form.
  func loadT16(_ h: Int, _ dst: UnsafeMutablePointer<Float>, delta: UnsafePointer<Float>?) {
    let y = ps.w(w0y) + h * 256, q = ps.w(w0q) + h * 256, k = ps.w(w0k) + h * 256, b = ps.w(w0b) + h * 64
    for e in 0..<16 {
      let col = dst + e * 64
      for j in 0..<16 {
        col[j] = y[j * 16 + e]; col[16 + j] = q[j * 16 + e]; col[32 + j] = k[j * 16 + e]
        col[48 + j] = j < 4 ? b[j * 16 + e] : 0
      }
      if let delta { for r in 0..<52 { col[r] += delta[r * 16 + e] } }
    }
  }
  /// dst = W0ᵀ + ΔWᵀ: the transposed W0 of a head (as loadT16 makes it) plus ΔW in row layout [52][16]
  /// (the same sums as loadT16 with `delta`, without re-reading the four parameter blocks).
  @inline(__always)
  static func addT16(_ w0t: UnsafePointer<Float>, _ delta: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>) {
    for rb in 0..<7 {
      let n = min(8, 52 - rb * 8)
      for eb in 0..<2 {
        let t = transpose8(block { i in i < n ? ld8(delta + (rb * 8 + i) * 16 + eb * 8) : V8() })
        put(t, rows: 8) { j, v in
          let o = (eb * 8 + j) * 64 + rb * 8
          st8(dst + o, ld8(w0t + o) + v)
        }
      }
    }
    for e in 0..<16 { st8(dst + e * 64 + 56, ld8(w0t + e * 64 + 56)) }
  }
  /// Transposed [16][64] → row layout [52][16].
  static func untranspose16(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>) {
    for rb in 0..<7 {
      for eb in 0..<2 {
        let t = transpose8(block { i in ld8(src + (eb * 8 + i) * 64 + rb * 8) })
        put(t, rows: min(8, 52 - rb * 8)) { j, v in st8(dst + (rb * 8 + j) * 16 + eb * 8, v) }
      }
    }
  }
  /// Row layout [52][16] → transposed [16][64] (rows 52‥63 zero).
  static func transpose16(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>) {
    for rb in 0..<7 {
      let n = min(8, 52 - rb * 8)
      for eb in 0..<2 {
        let t = transpose8(block { i in i < n ? ld8(src + (rb * 8 + i) * 16 + eb * 8) : V8() })
        put(t, rows: 8) { j, v in st8(dst + (eb * 8 + j) * 64 + rb * 8, v) }
      }
    }
    for e in 0..<16 { st8(dst + e * 64 + 56, V8()) }
  }

  func forward16(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, L: Int, B: Int,
                 state: UnsafeMutablePointer<Float>?, total: Int) {
    let H = heads, MI = Self.mi16, S = Self.s16, D = H * 16, M = 52 * 16
    let cont = continuing && state != nil && lastForwardBatch == B && W.count == B * H * MI
    precondition(cont || !stateWritePending, "SRWM state left unwritten: call writeState first")
    lastForwardBatch = B
    let deferWrite = deferStateWrite && state != nil
    stateWritePending = deferWrite
    W.resize(B * H * MI); saved.resize(B * H * L * S); preReset.resize(max(1, total * H * MI))
    // W0 of every head, transposed once per call; sequences start (and reset) with a plain copy.
    let w0t = SendablePtr(w0T.resize(H * MI))
    for h in 0..<H { loadT16(h, w0t.p + h * MI, delta: nil) }
    let wp = SendablePtr(W.ptr), sp = SendablePtr(saved.ptr), pr = SendablePtr(preReset.ptr)
    let yp = SendablePtr(y), xp = SendablePtr(UnsafeMutablePointer(mutating: x)), st = state.map { SendablePtr($0) }
    let mask = resetMask, roff = resetOffset, soft = inputSoftmax
    Parallel.forEach(B * H) { bh in
      let b = bh / H, h = bh % H
      let w = wp.p + bh * MI
      if cont {
        // W_{t} of this sequence is still in the working buffer from the previous call.
      } else if let st { Self.addT16(w0t.p + h * MI, UnsafePointer(st.p + bh * M), w) } else { Vec.copy(w0t.p + h * MI, w, MI) }
      var nres = 0
      // W_{t-1} u_t of the coming step, when the previous step's update pass computed it (fused, so W is
      // read once per step for the update and the next product instead of twice).
      var next: (V16, V16, V16, V8)? = nil
      for t in 0..<L {
        if mask[t * B + b] {
          Vec.copy(w, pr.p + ((roff[b] + nres) * H + h) * MI, MI)
          Vec.copy(w0t.p + h * MI, w, MI)
          nres += 1
        }
        let s = sp.p + (bh * L + t) * S
        if next == nil {
          let xin = ld16(xp.p + (t * B + b) * D + h * 16)
          st16(s, soft ? softmax16(xin) : xin)
        }
        let (p0, p1, p2, p3) = next ?? product16(w, s)   // p = W u
        st16(yp.p + (t * B + b) * D + h * 16, p0)
        // u_{t+1} now, beside this step's softmaxes, when the update pass below will use it.
        let fuse = t + 1 < L && !mask[(t + 1) * B + b], s1 = s + S
        if fuse {
          let xin = ld16(xp.p + ((t + 1) * B + b) * D + h * 16)
          st16(s1, soft ? softmax16(xin) : xin)
        }
        let q = softmax16(p1), k = softmax16(p2)
        let beta = sigmoid16(widen(p3))
        st16(s + 16, q); st16(s + 32, k)
        let dp = s + 64              // δ slot used as scratch for q − k until δ is known
        st16(dp, q - k)
        let (d0, d1, d2, d3) = product16(w, dp)  // W (q − k)
        let l0 = beta[0] * d0, l1 = beta[1] * d1, l2 = beta[2] * d2, l3 = beta[3] * d3
        let kp = s + 32
        if fuse {
          // Update W, and W_t u_{t+1} from the updated columns (u_{t+1} does not depend on W).
          var n0 = V16(), n1 = V16(), n2 = V16(), n3 = V8()
          for e in 0..<16 {
            let c = w + e * 64, ke = kp[e], ue = s1[e]
            let kv = V16(repeating: ke), uv = V16(repeating: ue)
            let c0 = ld16(c).addingProduct(kv, l0), c1 = ld16(c + 16).addingProduct(kv, l1)
            let c2 = ld16(c + 32).addingProduct(kv, l2), c3 = ld8(c + 48).addingProduct(V8(repeating: ke), l3)
            st16(c, c0); st16(c + 16, c1); st16(c + 32, c2); st8(c + 48, c3)
            n0.addProduct(uv, c0); n1.addProduct(uv, c1); n2.addProduct(uv, c2); n3.addProduct(V8(repeating: ue), c3)
          }
          next = (n0, n1, n2, n3)
        } else {
          for e in 0..<16 {
            let c = w + e * 64, ke = kp[e]
            let kv = V16(repeating: ke)
            st16(c, ld16(c).addingProduct(kv, l0)); st16(c + 16, ld16(c + 16).addingProduct(kv, l1))
            st16(c + 32, ld16(c + 32).addingProduct(kv, l2)); st8(c + 48, ld8(c + 48).addingProduct(V8(repeating: ke), l3))
          }
          next = nil
        }
        var bm = V16()
        bm[0] = beta[0]; bm[1] = beta[1]; bm[2] = beta[2]; bm[3] = beta[3]
        st16(s + 48, bm)
        st16(s + 64, d0); st16(s + 80, d1); st16(s + 96, d2); st16(s + 112, widen(d3))
      }
      if let st, !deferWrite { Self.untransposeMinus16(w, w0t.p + h * MI, st.p + bh * M) }
    }
  }

  /// Stores ΔW = W_t − W0 of every sequence of the last forward call (made with `deferStateWrite`) into
  /// `state`; the weights must not have changed since that call.
  func writeState(_ state: UnsafeMutablePointer<Float>) {
    guard stateWritePending else { return }
    let H = heads, MI = Self.mi16, M = 52 * 16
    let wp = SendablePtr(W.ptr), w0t = SendablePtr(w0T.ptr), st = SendablePtr(state)
    Parallel.forEach(lastForwardBatch * H) { bh in
      Self.untransposeMinus16(wp.p + bh * MI, w0t.p + (bh % H) * MI, st.p + bh * M)
    }
    stateWritePending = false
  }

  /// (W − W0) from transposed [16][64] into row layout [52][16] (the carried state ΔW).
  @inline(__always)
  static func untransposeMinus16(_ src: UnsafePointer<Float>, _ w0t: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>) {
    for rb in 0..<7 {
      for eb in 0..<2 {
        let t = transpose8(block { i in
          let o = (eb * 8 + i) * 64 + rb * 8
          return ld8(src + o) - ld8(w0t + o)
        })
        put(t, rows: min(8, 52 - rb * 8)) { j, v in st8(dst + (rb * 8 + j) * 16 + eb * 8, v) }
      }
    }
  }

  /// Backward with W in row layout (W_{t-1}ᵀ v as broadcast-FMAs over rows) and G kept in both
  /// layouts (transposed for G k, rows for Gᵀ(lr ⊙ δ)), so no per-column horizontal sums are needed.
  /// Passes of consecutive steps are fused: the row pass that updates G for step t also reverts W
  /// and accumulates ĝ_k for step t−1, and the column pass that updates Gᵀ also computes G k for
  /// step t−1 (not across a reset, where W_{t-1} is restored from the saved pre-reset matrix).
  /// gW0 (row layout) receives per-sequence W0 gradients.
  func backward16(_ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, dState: UnsafeMutablePointer<Float>?) {
    let H = heads, MI = Self.mi16, S = Self.s16, D = H * 16, M = 52 * 16, L = L, B = B
    let per = Self.backwardScratch16
    G.resize(B * H * per)
    weightsRebuiltInG = true
    let wp = SendablePtr(W.ptr), sp = SendablePtr(saved.ptr), pr = SendablePtr(preReset.ptr)
    let gp = SendablePtr(G.ptr), g0 = SendablePtr(gW0.ptr), dxp = SendablePtr(dx)
    let dyp = SendablePtr(UnsafeMutablePointer(mutating: dy)), ds = dState.map { SendablePtr($0) }
    let mask = resetMask, roff = resetOffset, soft = inputSoftmax
    Parallel.forEach(B * H) { bh in
      let b = bh / H, h = bh % H
      let base = gp.p + bh * per
      let Gt = base, Wr = base + MI, Gr = Wr + M, dlp = Gr + M, ep = dlp + 64, gpp = ep + 64, dfp = gpp + 64
      /// The saved vectors, dy and dx of step t into the cache.
      @inline(__always) func prefetchStep(_ t: Int) {
        let st = sp.p + (bh * L + t) * S
        for line in 0..<8 { arcade_prefetch(st + line * 16) }
        arcade_prefetch(dyp.p + (t * B + b) * D + h * 16)
        arcade_prefetch_for_write(dxp.p + (t * B + b) * D + h * 16)
      }
      Self.untranspose16(wp.p + bh * MI, Wr)
      if let ds {
        Vec.copy(ds.p + bh * M, Gr, M)
        Self.transpose16(ds.p + bh * M, Gt)
      } else { Vec.zero(Gr, M); Vec.zero(Gt, MI) }
      var nres = roff[b]
      for t in 0..<L where mask[t * B + b] { nres += 1 }
      /// lr ⊙ δ of step t into dlp.
      @inline(__always) func storeDL(_ s: UnsafeMutablePointer<Float>) {
        let bm = ld16(s + 48)
        st16(dlp, bm[0] * ld16(s + 64)); st16(dlp + 16, bm[1] * ld16(s + 80))
        st16(dlp + 32, bm[2] * ld16(s + 96)); st16(dlp + 48, bm[3] * ld16(s + 112))
      }
      // Per-step quantities computed by the (possibly fused) passes: ĝ_k and G k in 4 chunks.
      // Chunk 3 (rows 48‥63) holds only the four W^β rows: its vectors are 8 lanes wide.
      var gk = V16(), k0 = V16(), k1 = V16(), k2 = V16(), k3 = V8()
      var prepared = false
      for t in stride(from: L - 1, through: 0, by: -1) {
        let s = sp.p + (bh * L + t) * S
        // Step t − 2's saved vectors and dy lie far beyond L2 for a large batch (6.5 MB at the RL
        // shape), and backward walks them in reverse: fetching them two iterations early hides the misses.
        if t >= 2 { prefetchStep(t - 2) }
        let u = ld16(s), q = ld16(s + 16), k = ld16(s + 32), bm = ld16(s + 48)
        let d0 = ld16(s + 64), d1 = ld16(s + 80), d2 = ld16(s + 96), d3 = ld8(s + 112)
        let gy = ld16(dyp.p + (t * B + b) * D + h * 16)
        let kp = s + 32, up = s
        if !prepared {
          // revert W_{t-1} = W_t − (lr ⊙ δ) ⊗ k and ĝ_k = Gᵀ(lr ⊙ δ) (G before this step's additions)
          storeDL(s)
          var ga0 = V16(), ga1 = V16()
          for r2 in 0..<26 {
            let r = 2 * r2, w = Wr + r * 16, g = Gr + r * 16
            let l0 = dlp[r], l1 = dlp[r + 1]
            st16(w, ld16(w).addingProduct(V16(repeating: -l0), k)); st16(w + 16, ld16(w + 16).addingProduct(V16(repeating: -l1), k))
            ga0.addProduct(V16(repeating: l0), ld16(g)); ga1.addProduct(V16(repeating: l1), ld16(g + 16))
          }
          gk = ga0 + ga1
          k0 = V16(); k1 = V16(); k2 = V16(); k3 = V8()
          for e in 0..<16 {
            let g = Gt + e * 64, kv = V16(repeating: kp[e])
            k0.addProduct(kv, ld16(g)); k1.addProduct(kv, ld16(g + 16)); k2.addProduct(kv, ld16(g + 32)); k3.addProduct(V8(repeating: kp[e]), ld8(g + 48))
          }
        }
        let e0 = bm[0] * k0, e1 = bm[1] * k1, e2 = bm[2] * k2, e3 = bm[3] * k3   // ε = lr ⊙ (G k)
        st16(ep, e0); st16(ep + 16, e1); st16(ep + 32, e2); st16(ep + 48, widen(e3))
        var gbv = V8()
        gbv[0] = (1 - bm[0]) * hsum(d0 * e0); gbv[1] = (1 - bm[1]) * hsum(d1 * e1)
        gbv[2] = (1 - bm[2]) * hsum(d2 * e2); gbv[3] = (1 - bm[3]) * hsum(widen(d3 * e3))
        // W_{t-1}ᵀ ε
        var v0 = V16(), v1 = V16(), v2 = V16(), v3 = V16()
        for r4 in 0..<13 {
          let r = 4 * r4, w = Wr + r * 16
          v0.addProduct(V16(repeating: ep[r]), ld16(w)); v1.addProduct(V16(repeating: ep[r + 1]), ld16(w + 16))
          v2.addProduct(V16(repeating: ep[r + 2]), ld16(w + 32)); v3.addProduct(V16(repeating: ep[r + 3]), ld16(w + 48))
        }
        let v = (v0 + v1) + (v2 + v3)
        let ga = softmaxBack16(q, v), gc = softmaxBack16(k, gk - v)
        st16(gpp, gy); st16(gpp + 16, ga); st16(gpp + 32, gc); st16(gpp + 48, widen(gbv))
        let diff = q - k
        st16(dfp, diff)
        let fuse = t > 0 && !mask[t * B + b]
        var du = V16()
        if fuse {
          // rows: du = W_{t-1}ᵀ gp, G += ε ⊗ (q − k) + gp ⊗ u, then step t−1's revert and ĝ_k
          let s1 = sp.p + (bh * L + t - 1) * S
          storeDL(s1)
          let k1v = ld16(s1 + 32)
          var gkn = V16()
          for r in 0..<52 {
            let w = Wr + r * 16, g = Gr + r * 16
            let wv = ld16(w), cv = V16(repeating: gpp[r])
            du.addProduct(cv, wv)
            let gn = ld16(g).addingProduct(V16(repeating: ep[r]), diff).addingProduct(cv, u)
            st16(g, gn)
            let l = dlp[r]
            st16(w, wv.addingProduct(V16(repeating: -l), k1v))
            gkn.addProduct(V16(repeating: l), gn)
          }
          gk = gkn
          // columns: Gᵀ update, then G k for step t−1 on the updated values
          let kp1 = s1 + 32
          var n0 = V16(), n1 = V16(), n2 = V16(), n3 = V8()
          for e in 0..<16 {
            let g = Gt + e * 64, dv = V16(repeating: dfp[e]), uv = V16(repeating: up[e]), kv = V16(repeating: kp1[e])
            let a0 = ld16(g).addingProduct(dv, e0).addingProduct(uv, gy)
            let a1 = ld16(g + 16).addingProduct(dv, e1).addingProduct(uv, ga)
            st16(g, a0); st16(g + 16, a1)
            n0.addProduct(kv, a0); n1.addProduct(kv, a1)
          }
          for e in 0..<16 {
            let g = Gt + e * 64 + 32, dv = V16(repeating: dfp[e]), uv = V16(repeating: up[e]), kv = V16(repeating: kp1[e])
            let a2 = ld16(g).addingProduct(dv, e2).addingProduct(uv, gc)
            let a3 = ld8(g + 16).addingProduct(V8(repeating: dfp[e]), e3).addingProduct(V8(repeating: up[e]), gbv)
            st16(g, a2); st8(g + 16, a3)
            n2.addProduct(kv, a2); n3.addProduct(V8(repeating: kp1[e]), a3)
          }
          k0 = n0; k1 = n1; k2 = n2; k3 = n3
          prepared = true
        } else {
          var u0 = V16(), u1 = V16()
          for r2 in 0..<26 {
            let r = 2 * r2, w = Wr + r * 16, g = Gr + r * 16
            let cv0 = V16(repeating: gpp[r]), cv1 = V16(repeating: gpp[r + 1])
            u0.addProduct(cv0, ld16(w)); u1.addProduct(cv1, ld16(w + 16))
            st16(g, ld16(g).addingProduct(V16(repeating: ep[r]), diff).addingProduct(cv0, u))
            st16(g + 16, ld16(g + 16).addingProduct(V16(repeating: ep[r + 1]), diff).addingProduct(cv1, u))
          }
          du = u0 + u1
          for e in 0..<16 {
            let g = Gt + e * 64, dv = V16(repeating: dfp[e]), uv = V16(repeating: up[e])
            st16(g, ld16(g).addingProduct(dv, e0).addingProduct(uv, gy))
            st16(g + 16, ld16(g + 16).addingProduct(dv, e1).addingProduct(uv, ga))
          }
          for e in 0..<16 {
            let g = Gt + e * 64 + 32, dv = V16(repeating: dfp[e]), uv = V16(repeating: up[e])
            st16(g, ld16(g).addingProduct(dv, e2).addingProduct(uv, gc))
            st8(g + 16, ld8(g + 16).addingProduct(V8(repeating: dfp[e]), e3).addingProduct(V8(repeating: up[e]), gbv))
          }
          prepared = false
        }
        st16(dxp.p + (t * B + b) * D + h * 16, soft ? softmaxBack16(u, du) : du)
        if mask[t * B + b] {
          // W_{t-1} was W0: its gradient goes to the parameter; restore the pre-reset matrix.
          Vec.add(Gr, g0.p + bh * M, M)
          Vec.zero(Gr, M); Vec.zero(Gt, MI)
          nres -= 1
          Self.untranspose16(pr.p + (nres * H + h) * MI, Wr)
        }
      }
      Vec.add(Gr, g0.p + bh * M, M)
      if let ds { if mask[b] { Vec.zero(ds.p + bh * M, M) } else { Vec.copy(Gr, ds.p + bh * M, M) } }
    }
  }
}
