// DeltaNet (FastFFlayer) and Linear Transformer (AdditiveFastFFlayer) layers (Schlag, Irie and Schmidhuber 2021; Katharopoulos et al. 2020):
//   p = slow(LN(h)) per head [q; k; v; (b)], q̃ = φ(q), k̃ = φ(k), φ(z) = (elu(z)+1)/(Σ(elu(z)+1) + eps)
//   delta:  W_t = W_{t-1} + σ(b)(v − W_{t-1}k̃) k̃ᵀ      linear: W_t = W_{t-1} + v k̃ᵀ
//   y_t = W_t q̃ (after the update);  out = h + Dropout(W_o y).
// Backward rebuilds W_{t-1} by reverting the update (δ stored per step), keeping pre-reset matrices.
import ArcadeTensor
import Glibc

public final class FastWeightLayer {
  public enum Kind: Sendable { case delta, linear }
  public let kind: Kind
  public let heads: Int, d: Int, dim: Int
  public let eps: Float
  public let ln: LayerNorm
  public let slow: Linear, outProj: Linear
  public let drop: Dropout
  let xn = Buffer(), P = Buffer(), Y = Buffer(), dY = Buffer(), dP = Buffer(), dXn = Buffer()
  let W = Buffer()          // [B,H,d,d]
  let saved = Buffer()      // [B,H,L,S]: q̃, k̃, δ (or v), β ; S = 3d+1
  let preReset = Buffer()
  let G = Buffer(), scratch = Buffer()
  var mask: [Bool] = [], resetOffset: [Int] = []
  var L = 0, B = 0
  var chunk: Int { kind == .delta ? 3 * d + 1 : 3 * d }

  public init(_ ps: ParamStore, _ name: String, dim: Int, heads: Int, kind: Kind, eps: Float,
              dropout: Float = 0, seed: UInt64 = 0) {
    self.kind = kind; self.dim = dim; self.heads = heads; self.d = dim / heads; self.eps = eps
    drop = Dropout(p: dropout, seed: seed)
    let p = name.isEmpty ? "" : name + "."
    ln = LayerNorm(ps, p + "ln", dim)
    slow = Linear(ps, p + "slow", dim, heads * (kind == .delta ? 3 * (dim / heads) + 1 : 3 * (dim / heads)), bias: false)
    outProj = Linear(ps, p + "out_proj", dim, dim, bias: false)
  }
  public func initDefault(_ rng: inout SplitMix) { ln.initDefault(); slow.initDefault(&rng); outProj.initDefault(&rng) }
  public func stateCount(batch: Int) -> Int { batch * heads * d * d }

  @inline(__always) func phi(_ z: UnsafePointer<Float>, _ o: UnsafeMutablePointer<Float>) {
    var s: Float = 0
    for i in 0..<d { let v = z[i] > 0 ? z[i] + 1 : expf(z[i]); o[i] = v; s += v }
    let inv = 1 / (s + eps)
    for i in 0..<d { o[i] *= inv }
  }
  /// dz from dφ (z = pre-activation, φ = output): ds_i = (dφ_i − Σ dφ_j φ_j)/S, dz = ds·s'(z).
  @inline(__always) func phiBackward(_ z: UnsafePointer<Float>, _ f: UnsafePointer<Float>,
                                     _ df: UnsafePointer<Float>, _ dz: UnsafeMutablePointer<Float>) {
    var s: Float = 0, c: Float = 0
    for i in 0..<d { s += z[i] > 0 ? z[i] + 1 : expf(z[i]); c += df[i] * f[i] }
    let inv = 1 / (s + eps)
    for i in 0..<d { dz[i] = (df[i] - c) * inv * (z[i] > 0 ? 1 : expf(z[i])) }
  }

  /// x, y: [L,B,D]; state W [B,H,d,d] in/out (nil = zeros); reset [L,B].
  public func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, L: Int, B: Int,
                      state: UnsafeMutablePointer<Float>? = nil, reset: UnsafePointer<Float>? = nil) {
    self.L = L; self.B = B
    let n = L * B, H = heads, d = d, C = chunk, M = d * d, S = 3 * d + 1, D = dim
    xn.resize(n * D); P.resize(n * H * C); Y.resize(n * D)
    ln.forward(x, xn.ptr, n: n)
    slow.forward(xn.ptr, P.ptr, n: n)
    mask = (0..<n).map { i in reset.map { $0[i] != 0 } ?? false }
    resetOffset = []
    var total = 0
    for b in 0..<B { resetOffset.append(total); for t in 0..<L where mask[t * B + b] { total += 1 } }
    W.resize(B * H * M); saved.resize(B * H * L * S); preReset.resize(max(1, total * H * M))
    if let state { Vec.copy(state, W.ptr, B * H * M) } else { W.zero() }
    let wp = SendablePtr(W.ptr), sp = SendablePtr(saved.ptr), pr = SendablePtr(preReset.ptr)
    let pp = SendablePtr(P.ptr), yp = SendablePtr(Y.ptr)
    let mk = mask, roff = resetOffset, isDelta = kind == .delta
    Parallel.forEach(B * H) { bh in
      let b = bh / H, h = bh % H
      let w = wp.p + bh * M
      var nres = 0
      for t in 0..<L {
        if mk[t * B + b] { Vec.copy(w, pr.p + ((roff[b] + nres) * H + h) * M, M); Vec.zero(w, M); nres += 1 }
        let p = pp.p + (t * B + b) * H * C + h * C
        let s = sp.p + (bh * L + t) * S
        let q = s, k = s + d, dl = s + 2 * d
        self.phi(p, q); self.phi(p + d, k)
        let v = p + 2 * d
        if isDelta {
          let beta = Act.sigmoid(p[3 * d]); s[3 * d] = beta
          for r in 0..<d { dl[r] = v[r] - Vec.dot(w + r * d, k, d) }   // δ = v − W k̃
          for r in 0..<d { Vec.axpy(beta * dl[r], k, w + r * d, d) }
        } else {
          s[3 * d] = 1
          for r in 0..<d { dl[r] = v[r]; Vec.axpy(v[r], k, w + r * d, d) }
        }
        let yt = yp.p + (t * B + b) * D + h * d
        for r in 0..<d { yt[r] = Vec.dot(w + r * d, q, d) }
      }
    }
    if let state { Vec.copy(W.ptr, state, B * H * M) }
    outProj.forward(Y.ptr, y, n: n)
    drop.forward(y, n * D)
    Vec.add(x, y, n * D)
  }

  /// dy -> dx (overwritten). dState: in dL/dW_L (nil = 0), out dL/dW_init.
  public func backward(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
                       dState: UnsafeMutablePointer<Float>? = nil) {
    let L = L, B = B, n = L * B, H = heads, d = d, C = chunk, M = d * d, S = 3 * d + 1, D = dim
    dY.resize(n * D); dP.resize(n * H * C); dXn.resize(n * D); G.resize(B * H * M)
    var g = dy
    if drop.active { Vec.copy(dy, dXn.ptr, n * D); drop.backward(dXn.ptr, n * D); g = UnsafePointer(dXn.ptr) }
    outProj.backward(Y.ptr, g, dY.ptr, n: n)
    if let dState { Vec.copy(dState, G.ptr, B * H * M) } else { G.zero() }
    let SC = 4 * d
    let scr = SendablePtr(scratch.resize(B * H * SC))
    let wp = SendablePtr(W.ptr), sp = SendablePtr(saved.ptr), pr = SendablePtr(preReset.ptr)
    let pp = SendablePtr(P.ptr), dpp = SendablePtr(dP.ptr), dyp = SendablePtr(dY.ptr), gp = SendablePtr(G.ptr)
    let mk = mask, roff = resetOffset, isDelta = kind == .delta
    Parallel.forEach(B * H) { bh in
      let b = bh / H, h = bh % H
      let w = wp.p + bh * M, G = gp.p + bh * M
      var nres = roff[b]
      for t in 0..<L where mk[t * B + b] { nres += 1 }
      let dq = scr.p + bh * SC, dk = dq + d, dd = dk + d, tmp = dd + d
      for t in stride(from: L - 1, through: 0, by: -1) {
        let s = sp.p + (bh * L + t) * S
        let q = s, k = s + d, dl = s + 2 * d, beta = s[3 * d]
        let p = pp.p + (t * B + b) * H * C + h * C, dp = dpp.p + (t * B + b) * H * C + h * C
        let gy = dyp.p + (t * B + b) * D + h * d
        // y = W_t q̃: dq̃ = W_tᵀ g_y, G += g_y ⊗ q̃
        for e in 0..<d { dq[e] = 0; dk[e] = 0 }
        for r in 0..<d { Vec.axpy(gy[r], w + r * d, dq, d); Vec.axpy(gy[r], q, G + r * d, d) }
        // revert W_{t-1} = W_t − β δ ⊗ k̃
        for r in 0..<d { Vec.axpy(-beta * dl[r], k, w + r * d, d) }
        // through the update: dδ = β G k̃, dk̃ = β Gᵀ δ, dβ = δ·(G k̃)
        var dbeta: Float = 0
        for r in 0..<d {
          let gk = Vec.dot(G + r * d, k, d)
          dd[r] = beta * gk
          dbeta += dl[r] * gk
          Vec.axpy(beta * dl[r], G + r * d, dk, d)
        }
        if isDelta {
          // δ = v − W_{t-1} k̃: dv = dδ, dk̃ −= W_{t-1}ᵀ dδ, G −= dδ ⊗ k̃
          for r in 0..<d { Vec.axpy(-dd[r], w + r * d, dk, d); Vec.axpy(-dd[r], k, G + r * d, d) }
          dp[3 * d] = dbeta * beta * (1 - beta)
        }
        for r in 0..<d { dp[2 * d + r] = dd[r] }
        self.phiBackward(p, q, dq, dp)
        self.phiBackward(p + d, k, dk, dp + d)
        _ = tmp
        if mk[t * B + b] {
          Vec.zero(G, M)
          nres -= 1
          Vec.copy(pr.p + (nres * H + h) * M, w, M)
        }
      }
    }
    if let dState { Vec.copy(G.ptr, dState, B * H * M) }
    slow.backward(xn.ptr, dP.ptr, dXn.ptr, n: n)
    Vec.copy(dy, dx, n * D)
    ln.backward(x, dXn.ptr, dx, n: n, accumulate: true)
  }
}
