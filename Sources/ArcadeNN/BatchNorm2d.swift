// BatchNorm2d over (N,H,W) per channel: training mode uses batch statistics (biased variance) and
// updates running statistics (momentum 0.1, unbiased variance); eval mode uses running statistics.
// Channels are independent, so the workers split them: each channel's sums run in one fixed order
// (16 float lanes per row, rows added in Double), and results do not depend on the thread count.
import ArcadeTensor

public final class BatchNorm2d {
  public let ps: ParamStore
  public let channels: Int
  public let gamma: ParamRef, beta: ParamRef
  public var training = true
  public let eps: Float = 1e-5, momentum: Float = 0.1
  public var runningMean: [Float], runningVar: [Float]
  /// Per channel: batch (or running) mean, 1/std, and in training the biased batch variance.
  let stats: Buffer

  public init(_ ps: ParamStore, _ name: String, channels: Int) {
    self.ps = ps; self.channels = channels
    gamma = ps.register(name + ".weight", [channels])
    beta = ps.register(name + ".bias", [channels])
    runningMean = .init(repeating: 0, count: channels); runningVar = .init(repeating: 1, count: channels)
    stats = Buffer(); stats.resize(3 * channels)
  }
  public func initDefault() { ps.fill(gamma, 1); ps.fill(beta, 0) }

  /// x, y [N,C,HW]
  public func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, N: Int, HW: Int) {
    let C = channels, cnt = Double(N * HW), eps = eps, training = training
    let st = SendablePtr(stats.ptr), xp = SendablePtr(UnsafeMutablePointer(mutating: x)), yp = SendablePtr(y)
    let g = SendablePtr(ps.w(gamma)), b = SendablePtr(ps.w(beta))
    if !training {
      for c in 0..<C { st.p[c] = runningMean[c]; st.p[C + c] = 1 / (runningVar[c] + eps).squareRoot() }
    }
    Parallel.forEach(C) { c in
      if training {
        var s: Double = 0
        for n in 0..<N { s += Double(Lanes.sum(xp.p + (n * C + c) * HW, HW)) }
        let m = Float(s / cnt)
        var v: Double = 0
        for n in 0..<N { v += Double(Lanes.sumSquaredDeviation(xp.p + (n * C + c) * HW, HW, from: m)) }
        let varB = Float(v / cnt)
        st.p[c] = m; st.p[C + c] = 1 / (varB + eps).squareRoot(); st.p[2 * C + c] = varB
      }
      let m = st.p[c], inv = st.p[C + c]
      let a = inv * g.p[c], o = b.p[c] - m * inv * g.p[c]
      for n in 0..<N {
        let p = xp.p + (n * C + c) * HW, q = yp.p + (n * C + c) * HW
        for i in 0..<HW { q[i] = p[i] * a + o }
      }
    }
    if training {
      let unbias = Float(cnt / max(cnt - 1, 1))
      for c in 0..<C {
        runningMean[c] = (1 - momentum) * runningMean[c] + momentum * st.p[c]
        runningVar[c] = (1 - momentum) * runningVar[c] + momentum * st.p[2 * C + c] * unbias
      }
    }
  }

  /// dy -> dx (overwritten; may alias dy); dγ, dβ accumulated.
  public func backward(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
                       N: Int, HW: Int) {
    let C = channels, cnt = Float(N * HW), training = training
    let st = SendablePtr(stats.ptr), xp = SendablePtr(UnsafeMutablePointer(mutating: x))
    let dyp = SendablePtr(UnsafeMutablePointer(mutating: dy)), dxp = SendablePtr(dx)
    let g = SendablePtr(ps.w(gamma)), dg = SendablePtr(ps.g(gamma)), db = SendablePtr(ps.g(beta))
    Parallel.forEach(C) { c in
      let m = st.p[c], inv = st.p[C + c]
      // Σ dy and Σ dy·(x − m), then dγ = inv · the latter.
      var sdy: Double = 0, sdyd: Double = 0
      for n in 0..<N {
        let o = (n * C + c) * HW
        let (s, sd) = Lanes.sumAndDotDeviation(dyp.p + o, xp.p + o, HW, from: m)
        sdy += Double(s); sdyd += Double(sd)
      }
      let sdyx = Float(sdyd) * inv
      dg.p[c] += sdyx; db.p[c] += Float(sdy)
      let k = g.p[c] * inv, a = Float(sdy) / cnt, bb = sdyx / cnt * inv
      for n in 0..<N {
        let o = (n * C + c) * HW, p = xp.p + o, q = dyp.p + o, r = dxp.p + o
        if training {
          for i in 0..<HW { r[i] = k * (q[i] - a - (p[i] - m) * bb) }
        } else {
          for i in 0..<HW { r[i] = k * q[i] }
        }
      }
    }
  }
}
