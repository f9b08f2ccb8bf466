// "Fake SR" baseline (the published code's --use_psr): per head y = W^y h with a learned static W^y (H,d,d),
// no input softmax, out = h + W_o y. No state.
import ArcadeTensor

public final class FakeSRLayer {
  public let ps: ParamStore
  public let heads: Int, d: Int, dim: Int
  public let wy: ParamRef
  public let outProj: Linear
  let Y = Buffer(), dY = Buffer()
  var n = 0

  public init(_ ps: ParamStore, _ name: String, dim: Int, heads: Int) {
    self.ps = ps; self.dim = dim; self.heads = heads; d = dim / heads
    let p = name.isEmpty ? "" : name + "."
    wy = ps.register(p + "Wy", [heads, d, d])
    outProj = Linear(ps, p + "out_proj", dim, dim, bias: false)
  }
  public func initDefault(_ rng: inout SplitMix) {
    ps.fillNormal(wy, std: 1 / Float(d).squareRoot(), rng: &rng); outProj.initDefault(&rng)
  }

  /// x, y [n,D]
  public func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, n: Int) {
    self.n = n
    let Yp = Y.resize(n * dim)
    for h in 0..<heads {   // Y[:, h] = x[:, h] W_hᵀ
      BLAS.gemm(transB: true, n, d, d, x + h * d, lda: dim, ps.w(wy) + h * d * d, ldb: d, Yp + h * d, ldc: dim)
    }
    outProj.forward(Yp, y, n: n)
    Vec.add(x, y, n * dim)
  }
  public func backward(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>) {
    let dYp = dY.resize(n * dim)
    outProj.backward(Y.ptr, dy, dYp, n: n)
    Vec.copy(dy, dx, n * dim)
    for h in 0..<heads {
      BLAS.gemm(transA: true, d, d, n, dYp + h * d, lda: dim, x + h * d, ldb: dim, beta: 1, ps.g(wy) + h * d * d, ldc: d)
      BLAS.gemm(n, d, d, dYp + h * d, lda: dim, ps.w(wy) + h * d * d, ldb: d, beta: 1, dx + h * d, ldc: dim)
    }
  }
}
