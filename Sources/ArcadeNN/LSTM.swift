// One-layer LSTM (torch.nn.LSTM semantics, gates i,f,g,o) over a whole sequence with per-step reset.
import ArcadeTensor
import Glibc

public final class LSTM {
  public let ps: ParamStore
  public let inDim: Int, hidden: Int
  public let wih: ParamRef, whh: ParamRef, bih: ParamRef, bhh: ParamRef
  let gates = Buffer()   // [L,B,4Hh] post-activation i,f,g,o
  let cs = Buffer()      // [L,B,Hh] c_t
  let hPrev = Buffer()   // [L,B,Hh] h_{t-1} after reset
  let cPrev = Buffer()   // [L,B,Hh] c_{t-1} after reset
  let dG = Buffer(), dh = Buffer(), dc = Buffer(), dhp = Buffer()
  var mask: [Bool] = []
  var L = 0, B = 0

  public init(_ ps: ParamStore, _ name: String, inDim: Int, hidden: Int) {
    self.ps = ps; self.inDim = inDim; self.hidden = hidden
    wih = ps.register(name + ".weight_ih_l0", [4 * hidden, inDim])
    whh = ps.register(name + ".weight_hh_l0", [4 * hidden, hidden])
    bih = ps.register(name + ".bias_ih_l0", [4 * hidden])
    bhh = ps.register(name + ".bias_hh_l0", [4 * hidden])
  }
  public func initDefault(_ rng: inout SplitMix) {
    let s = 1 / Float(hidden).squareRoot()
    for r in [wih, whh, bih, bhh] { ps.fillUniform(r, bound: s, rng: &rng) }
  }

  /// x [L,B,I] -> y [L,B,Hh]. h, c: [B,Hh] state in, overwritten with the final state. reset [L,B].
  public func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, L: Int, B: Int,
                      h: UnsafeMutablePointer<Float>, c: UnsafeMutablePointer<Float>, reset: UnsafePointer<Float>?) {
    self.L = L; self.B = B
    let Hh = hidden, G4 = 4 * Hh
    gates.resize(L * B * G4); cs.resize(L * B * Hh); hPrev.resize(L * B * Hh); cPrev.resize(L * B * Hh)
    mask = (0..<(L * B)).map { i in reset.map { $0[i] != 0 } ?? false }
    // gates = x W_ihᵀ + b_ih + b_hh for all steps at once
    BLAS.gemm(transB: true, L * B, G4, inDim, x, lda: inDim, ps.w(wih), ldb: inDim, gates.ptr, ldc: G4)
    Vec.addRows(ps.w(bih), gates.ptr, m: L * B, n: G4)
    Vec.addRows(ps.w(bhh), gates.ptr, m: L * B, n: G4)
    for t in 0..<L {
      let hp = hPrev.ptr + t * B * Hh, cp = cPrev.ptr + t * B * Hh
      let hin: UnsafePointer<Float> = t == 0 ? UnsafePointer(h) : UnsafePointer(y + (t - 1) * B * Hh)
      let cin: UnsafePointer<Float> = t == 0 ? UnsafePointer(c) : UnsafePointer(cs.ptr + (t - 1) * B * Hh)
      Vec.copy(hin, hp, B * Hh); Vec.copy(cin, cp, B * Hh)
      for b in 0..<B where mask[t * B + b] { Vec.zero(hp + b * Hh, Hh); Vec.zero(cp + b * Hh, Hh) }
      let g = gates.ptr + t * B * G4
      BLAS.gemm(transB: true, B, G4, Hh, hp, lda: Hh, ps.w(whh), ldb: Hh, beta: 1, g, ldc: G4)
      for b in 0..<B {
        let gb = g + b * G4, ct = cs.ptr + (t * B + b) * Hh, cpb = cp + b * Hh, yt = y + (t * B + b) * Hh
        for j in 0..<Hh {
          let i = Act.sigmoid(gb[j]), f = Act.sigmoid(gb[Hh + j]), gg = tanhf(gb[2 * Hh + j]), o = Act.sigmoid(gb[3 * Hh + j])
          gb[j] = i; gb[Hh + j] = f; gb[2 * Hh + j] = gg; gb[3 * Hh + j] = o
          let cn = f * cpb[j] + i * gg
          ct[j] = cn
          yt[j] = o * tanhf(cn)
        }
      }
    }
    Vec.copy(y + (L - 1) * B * Hh, h, B * Hh)
    Vec.copy(cs.ptr + (L - 1) * B * Hh, c, B * Hh)
  }

  /// dy [L,B,Hh] -> dx [L,B,I] (overwritten). dh, dc: [B,Hh] in = dL/d(final state) (may be zero),
  /// out = dL/d(initial state).
  public func backward(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
                       dhState: UnsafeMutablePointer<Float>, dcState: UnsafeMutablePointer<Float>) {
    let L = L, B = B, Hh = hidden, G4 = 4 * Hh
    dG.resize(L * B * G4); dhp.resize(B * Hh)
    let dhN = dhState, dcN = dcState    // running dL/dh_t, dL/dc_t (excluding dy)
    for t in stride(from: L - 1, through: 0, by: -1) {
      let g = gates.ptr + t * B * G4, dg = dG.ptr + t * B * G4
      for b in 0..<B {
        let gb = g + b * G4, dgb = dg + b * G4, ct = cs.ptr + (t * B + b) * Hh, cp = cPrev.ptr + (t * B + b) * Hh
        let dyt = dy + (t * B + b) * Hh, dhb = dhN + b * Hh, dcb = dcN + b * Hh
        for j in 0..<Hh {
          let i = gb[j], f = gb[Hh + j], gg = gb[2 * Hh + j], o = gb[3 * Hh + j]
          let tc = tanhf(ct[j])
          let dH = dyt[j] + dhb[j]
          let dC = dcb[j] + dH * o * (1 - tc * tc)
          dgb[j] = dC * gg * i * (1 - i)
          dgb[Hh + j] = dC * cp[j] * f * (1 - f)
          dgb[2 * Hh + j] = dC * i * (1 - gg * gg)
          dgb[3 * Hh + j] = dH * tc * o * (1 - o)
          dcb[j] = dC * f
        }
      }
      // dh_{t-1} = dG W_hh ; dW_hh += dGᵀ h_{t-1}
      BLAS.gemm(B, Hh, G4, dg, lda: G4, ps.w(whh), ldb: Hh, dhN, ldc: Hh)
      BLAS.gemm(transA: true, G4, Hh, B, dg, lda: G4, hPrev.ptr + t * B * Hh, ldb: Hh, beta: 1, ps.g(whh), ldc: Hh)
      for b in 0..<B where mask[t * B + b] { Vec.zero(dhN + b * Hh, Hh); Vec.zero(dcN + b * Hh, Hh) }
    }
    BLAS.gemm(L * B, inDim, G4, dG.ptr, lda: G4, ps.w(wih), ldb: inDim, dx, ldc: inDim)
    BLAS.gemm(transA: true, G4, inDim, L * B, dG.ptr, lda: G4, x, ldb: inDim, beta: 1, ps.g(wih), ldc: inDim)
    Vec.colSum(dG.ptr, ps.g(bih), m: L * B, n: G4)
    Vec.colSum(dG.ptr, ps.g(bhh), m: L * B, n: G4)
  }
}
