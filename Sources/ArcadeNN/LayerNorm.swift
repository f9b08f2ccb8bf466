// LayerNorm over the last axis (biased variance, eps 1e-5, affine).
import ArcadeTensor

public final class LayerNorm {
  public let ps: ParamStore
  public let dim: Int
  public let eps: Float
  public let gamma: ParamRef, beta: ParamRef
  let mean = Buffer(), rstd = Buffer()   // [n] caches for backward

  public init(_ ps: ParamStore, _ name: String, _ dim: Int, eps: Float = 1e-5) {
    self.ps = ps; self.dim = dim; self.eps = eps
    gamma = ps.register(name + ".weight", [dim])
    beta = ps.register(name + ".bias", [dim])
  }
  public func initDefault() { ps.fill(gamma, 1); ps.fill(beta, 0) }

  /// x[n,D] -> y[n,D]
  public func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, n: Int) {
    let D = dim
    let mu = mean.resize(n), rs = rstd.resize(n)
    let g = ps.w(gamma), b = ps.w(beta)
    for r in 0..<n {
      let xr = x + r * D, yr = y + r * D
      var s: Float = 0
      for i in 0..<D { s += xr[i] }
      let m = s / Float(D)
      var v: Float = 0
      for i in 0..<D { let c = xr[i] - m; v += c * c }
      let inv = 1 / (v / Float(D) + eps).squareRoot()
      mu[r] = m; rs[r] = inv
      for i in 0..<D { yr[i] = (xr[i] - m) * inv * g[i] + b[i] }
    }
  }

  /// dx = rstd·(dxhat − mean(dxhat) − xhat·mean(dxhat·xhat)), dxhat = dy⊙γ. Accumulates into dx if accumulate.
  public func backward(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
                       n: Int, accumulate: Bool = false) {
    let D = dim
    let g = ps.w(gamma), dg = ps.g(gamma), db = ps.g(beta)
    for r in 0..<n {
      let xr = x + r * D, dyr = dy + r * D, dxr = dx + r * D
      let m = mean[r], inv = rstd[r]
      var s1: Float = 0, s2: Float = 0
      for i in 0..<D {
        let xh = (xr[i] - m) * inv
        let dxh = dyr[i] * g[i]
        dg[i] += dyr[i] * xh
        db[i] += dyr[i]
        s1 += dxh; s2 += dxh * xh
      }
      s1 /= Float(D); s2 /= Float(D)
      for i in 0..<D {
        let xh = (xr[i] - m) * inv
        let v = inv * (dyr[i] * g[i] - s1 - xh * s2)
        dxr[i] = accumulate ? dxr[i] + v : v
      }
    }
  }
}
