// BatchNorm2d over (N,H,W) per channel: training mode uses batch statistics (biased variance) and
// updates running statistics (momentum 0.1, unbiased variance); eval mode uses running statistics.
import ArcadeTensor

public final class BatchNorm2d {
  public let ps: ParamStore
  public let channels: Int
  public let gamma: ParamRef, beta: ParamRef
  public var training = true
  public let eps: Float = 1e-5, momentum: Float = 0.1
  public var runningMean: [Float], runningVar: [Float]
  var mean: [Float], rstd: [Float]

  public init(_ ps: ParamStore, _ name: String, channels: Int) {
    self.ps = ps; self.channels = channels
    gamma = ps.register(name + ".weight", [channels])
    beta = ps.register(name + ".bias", [channels])
    runningMean = .init(repeating: 0, count: channels); runningVar = .init(repeating: 1, count: channels)
    mean = runningMean; rstd = runningVar
  }
  public func initDefault() { ps.fill(gamma, 1); ps.fill(beta, 0) }

  /// x, y [N,C,HW]
  public func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, N: Int, HW: Int) {
    let C = channels, g = ps.w(gamma), b = ps.w(beta), cnt = Float(N * HW)
    for c in 0..<C {
      var m: Float, inv: Float
      if training {
        var s: Double = 0
        for n in 0..<N { let p = x + (n * C + c) * HW; for i in 0..<HW { s += Double(p[i]) } }
        m = Float(s / Double(cnt))
        var v: Double = 0
        for n in 0..<N { let p = x + (n * C + c) * HW; for i in 0..<HW { let e = p[i] - m; v += Double(e * e) } }
        let varB = Float(v / Double(cnt))
        inv = 1 / (varB + eps).squareRoot()
        runningMean[c] = (1 - momentum) * runningMean[c] + momentum * m
        runningVar[c] = (1 - momentum) * runningVar[c] + momentum * varB * cnt / max(cnt - 1, 1)
      } else {
        m = runningMean[c]; inv = 1 / (runningVar[c] + eps).squareRoot()
      }
      mean[c] = m; rstd[c] = inv
      let a = inv * g[c], o = b[c] - m * inv * g[c]
      for n in 0..<N { let p = x + (n * C + c) * HW, q = y + (n * C + c) * HW; for i in 0..<HW { q[i] = p[i] * a + o } }
    }
  }

  /// dy -> dx (overwritten); dγ, dβ accumulated.
  public func backward(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
                       N: Int, HW: Int) {
    let C = channels, g = ps.w(gamma), dg = ps.g(gamma), db = ps.g(beta), cnt = Float(N * HW)
    for c in 0..<C {
      let m = mean[c], inv = rstd[c]
      var sdy: Float = 0, sdyx: Float = 0
      for n in 0..<N {
        let p = x + (n * C + c) * HW, q = dy + (n * C + c) * HW
        for i in 0..<HW { sdy += q[i]; sdyx += q[i] * (p[i] - m) * inv }
      }
      dg[c] += sdyx; db[c] += sdy
      let k = g[c] * inv
      for n in 0..<N {
        let p = x + (n * C + c) * HW, q = dy + (n * C + c) * HW, r = dx + (n * C + c) * HW
        if training {
          let a = sdy / cnt, bb = sdyx / cnt
          for i in 0..<HW { r[i] = k * (q[i] - a - (p[i] - m) * inv * bb) }
        } else {
          for i in 0..<HW { r[i] = k * q[i] }
        }
      }
    }
  }
}
