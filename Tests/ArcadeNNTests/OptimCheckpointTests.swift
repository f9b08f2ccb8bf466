// Optimisers, clipping and schedules (an agent checkpoint round trip: ArcadeRLTests; the checkpoint file
// format: CheckpointFileTests).
import ArcadeNN
import ArcadeNNTestSupport
import ArcadeTensor
import Foundation
import Testing

@Suite struct OptimAndCheckpoint {
  func store(_ values: [Float], _ grads: [Float]) -> ParamStore {
    let ps = ParamStore()
    let r = ps.register("p", [values.count])
    for i in 0..<values.count { ps.w(r)[i] = values[i]; ps.g(r)[i] = grads[i] }
    return ps
  }

  @Test func rmspropMatchesPyTorchFormula() {
    let ps = store([1, -2, 0.5], [0.3, -0.1, 2])
    let opt = RMSProp(count: 3, lr: 6e-4, alpha: 0.99, eps: 0.01)
    var p: [Double] = [1, -2, 0.5], v: [Double] = [0, 0, 0]
    let g: [Double] = [0.3, -0.1, 2]
    for _ in 0..<3 {
      opt.step(ps)
      for i in 0..<3 { v[i] = 0.99 * v[i] + 0.01 * g[i] * g[i]; p[i] -= 6e-4 * g[i] / (v[i].squareRoot() + 0.01) }
    }
    for i in 0..<3 { #expect(abs(Double(ps.values[i]) - p[i]) < 1e-6) }
  }

  /// A scaled range takes lr × factor; the elements around it take lr (the same steps as two optimisers).
  @Test func rmspropScalesTheLearningRateOfARange() {
    let values: [Float] = [1, -2, 0.5, 3, -1], grads: [Float] = [0.3, -0.1, 2, 0.05, -0.7]
    let ps = store(values, grads)
    let opt = RMSProp(count: 5, lr: 6e-4)
    opt.scaledRanges = [(1..<3, 10)]
    let plain = store(values, grads), tenfold = store(values, grads)
    let plainOpt = RMSProp(count: 5, lr: 6e-4), tenfoldOpt = RMSProp(count: 5, lr: 6e-3)
    for _ in 0..<3 { opt.step(ps); plainOpt.step(plain); tenfoldOpt.step(tenfold) }
    for i in 0..<5 {
      let expected = (1..<3).contains(i) ? tenfold.values[i] : plain.values[i]
      #expect(ps.values[i] == expected, "element \(i)")
    }
    #expect(ps.values[1] != plain.values[1])
  }

  @Test func adamMatchesPyTorchFormula() {
    let ps = store([1, -2, 0.5], [0.3, -0.1, 2])
    let opt = Adam(count: 3, lr: 1e-3, beta1: 0.9, beta2: 0.995, eps: 1e-9)
    var p: [Double] = [1, -2, 0.5], m: [Double] = [0, 0, 0], v: [Double] = [0, 0, 0]
    let g: [Double] = [0.3, -0.1, 2]
    for t in 1...4 {
      opt.step(ps)
      for i in 0..<3 {
        m[i] = 0.9 * m[i] + 0.1 * g[i]; v[i] = 0.995 * v[i] + 0.005 * g[i] * g[i]
        let mh = m[i] / (1 - pow(0.9, Double(t))), vh = v[i] / (1 - pow(0.995, Double(t)))
        p[i] -= 1e-3 * mh / (vh.squareRoot() + 1e-9)
      }
    }
    for i in 0..<3 { #expect(abs(Double(ps.values[i]) - p[i]) < 1e-6) }
  }

  @Test func clippingAndSchedules() {
    let ps = store([0, 0], [30, 40])
    let norm = GradClip.globalNorm(ps, maxNorm: 40)
    #expect(abs(norm - 50) < 1e-4)
    #expect(abs(ps.grads[0] - 24) < 1e-3 && abs(ps.grads[1] - 32) < 1e-3)
    let ps2 = store([0], [3])
    GradClip.globalNorm(ps2, maxNorm: 40)
    #expect(ps2.grads[0] == 3)
    #expect(LRSchedule.linearDecay(base: 6e-4, step: 0, total: 100) == 6e-4)
    #expect(abs(LRSchedule.linearDecay(base: 6e-4, step: 25, total: 100) - 4.5e-4) < 1e-9)
    #expect(LRSchedule.linearDecay(base: 6e-4, step: 200, total: 100) == 0)
    let peak = LRSchedule.noam(step: 5000, dModel: 256, warmup: 5000)
    #expect(abs(peak - 1 / 16 / Float(5000).squareRoot()) < 1e-7)   // ≈ 8.8e-4
    #expect(LRSchedule.noam(step: 100, dModel: 256, warmup: 5000) < peak)
    #expect(LRSchedule.noam(step: 20000, dModel: 256, warmup: 5000) < peak)
  }
}
