// LayerNorm over the last axis (biased variance, eps 1e-5, affine).
// Rows are processed in fixed blocks spread over the workers; dγ/dβ are summed per block and the
// blocks added in order, so results do not depend on the thread count.
import ArcadeTensor

public final class LayerNorm {
  public let ps: ParamStore
  public let dim: Int
  public let eps: Float
  public let gamma: ParamRef, beta: ParamRef
  let mean = Buffer(), rstd = Buffer()   // [n] caches for backward
  let partial = Buffer()                 // [blocks, 2D] per-block dγ, dβ
  static let block = 64

  public init(_ ps: ParamStore, _ name: String, _ dim: Int, eps: Float = 1e-5) {
    self.ps = ps; self.dim = dim; self.eps = eps
    gamma = ps.register(name + ".weight", [dim])
    beta = ps.register(name + ".bias", [dim])
  }
  public func initDefault() { ps.fill(gamma, 1); ps.fill(beta, 0) }

  /// x[n,D] -> y[n,D] (y += LN(x) if accumulate).
  public func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, n: Int, accumulate: Bool = false) {
    let D = dim, eps = eps
    let mu = SendablePtr(mean.resize(n)), rs = SendablePtr(rstd.resize(n))
    let g = SendablePtr(ps.w(gamma)), b = SendablePtr(ps.w(beta))
    let xp = SendablePtr(UnsafeMutablePointer(mutating: x)), yp = SendablePtr(y)
    let nb = (n + Self.block - 1) / Self.block
    Parallel.forEach(nb) { blk in
      for r in blk * Self.block..<min(n, (blk + 1) * Self.block) {
        let xr = xp.p + r * D, yr = yp.p + r * D
        var s: Float = 0
        for i in 0..<D { s += xr[i] }
        let m = s / Float(D)
        var v: Float = 0
        for i in 0..<D { let c = xr[i] - m; v += c * c }
        let inv = 1 / (v / Float(D) + eps).squareRoot()
        mu.p[r] = m; rs.p[r] = inv
        if accumulate { for i in 0..<D { yr[i] += (xr[i] - m) * inv * g.p[i] + b.p[i] } }
        else { for i in 0..<D { yr[i] = (xr[i] - m) * inv * g.p[i] + b.p[i] } }
      }
    }
  }

  /// dx = rstd·(dxhat − mean(dxhat) − xhat·mean(dxhat·xhat)), dxhat = dy⊙γ. Accumulates into dx if accumulate.
  public func backward(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
                       n: Int, accumulate: Bool = false) {
    let D = dim
    let nb = (n + Self.block - 1) / Self.block
    let part = SendablePtr(partial.resize(nb * 2 * D))
    let g = SendablePtr(ps.w(gamma)), mu = SendablePtr(mean.ptr), rs = SendablePtr(rstd.ptr)
    let xp = SendablePtr(UnsafeMutablePointer(mutating: x)), dyp = SendablePtr(UnsafeMutablePointer(mutating: dy))
    let dxp = SendablePtr(dx)
    Parallel.forEach(nb) { blk in
      let dg = part.p + blk * 2 * D, db = dg + D
      Vec.zero(dg, 2 * D)
      for r in blk * Self.block..<min(n, (blk + 1) * Self.block) {
        let xr = xp.p + r * D, dyr = dyp.p + r * D, dxr = dxp.p + r * D
        let m = mu.p[r], inv = rs.p[r]
        var s1: Float = 0, s2: Float = 0
        for i in 0..<D {
          let xh = (xr[i] - m) * inv
          let dxh = dyr[i] * g.p[i]
          dg[i] += dyr[i] * xh
          db[i] += dyr[i]
          s1 += dxh; s2 += dxh * xh
        }
        s1 /= Float(D); s2 /= Float(D)
        for i in 0..<D {
          let xh = (xr[i] - m) * inv
          let v = inv * (dyr[i] * g.p[i] - s1 - xh * s2)
          dxr[i] = accumulate ? dxr[i] + v : v
        }
      }
    }
    let dg = ps.g(gamma), db = ps.g(beta)
    for blk in 0..<nb { Vec.add(part.p + blk * 2 * D, dg, D); Vec.add(part.p + blk * 2 * D + D, db, D) }
  }
}
