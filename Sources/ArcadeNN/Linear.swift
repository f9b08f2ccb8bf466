// Linear layer y = x Wᵀ + b over N rows (PyTorch layout: W is out×in).
import ArcadeTensor

public final class Linear {
  public let ps: ParamStore
  public let inDim: Int, outDim: Int
  public let w: ParamRef
  public let b: ParamRef?

  public init(_ ps: ParamStore, _ name: String, _ inDim: Int, _ outDim: Int, bias: Bool = true) {
    self.ps = ps; self.inDim = inDim; self.outDim = outDim
    w = ps.register(name + ".weight", [outDim, inDim])
    b = bias ? ps.register(name + ".bias", [outDim]) : nil
  }

  /// PyTorch default init: U(±1/√fan_in) for weight and bias.
  public func initDefault(_ rng: inout SplitMix) {
    let bound = 1 / Float(inDim).squareRoot()
    ps.fillUniform(w, bound: bound, rng: &rng)
    if let b { ps.fillUniform(b, bound: bound, rng: &rng) }
  }

  /// x[n,in] -> y[n,out]
  public func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, n: Int) {
    BLAS.gemm(transB: true, n, outDim, inDim, x, lda: inDim, ps.w(w), ldb: inDim, y, ldc: outDim)
    if let b { Vec.addRows(ps.w(b), y, m: n, n: outDim) }
  }

  /// dy[n,out] -> dx[n,in] (overwritten, or accumulated if accumulate); dW += dyᵀ x; db += Σ dy.
  public func backward(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>?,
                       n: Int, accumulate: Bool = false) {
    BLAS.gemm(transA: true, outDim, inDim, n, dy, lda: outDim, x, ldb: inDim, beta: 1, ps.g(w), ldc: inDim)
    if let b { Vec.colSum(dy, ps.g(b), m: n, n: outDim) }
    if let dx {
      BLAS.gemm(n, inDim, outDim, dy, lda: outDim, ps.w(w), ldb: inDim, beta: accumulate ? 1 : 0, dx, ldc: inDim)
    }
  }
}
