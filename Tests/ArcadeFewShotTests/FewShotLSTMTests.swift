// The few-shot model with the LSTM core: every call starts its episodes from a zero state, and the
// episodes of a batch do not see each other (evaluation mode, where batch norm uses running statistics).
import ArcadeBase
@testable import ArcadeFewShot
import ArcadeNN
import Testing

@Suite struct FewShotLSTMTests {
  func logits(_ l: FewShotLearner, _ e: EpisodeBatch) -> [Float] {
    let n = e.L * e.B * l.config.ways
    return e.images.withUnsafeBufferPointer { Array(UnsafeBufferPointer(start: l.model.forward(images: $0.baseAddress!, labels: e.inputLabels, L: e.L, B: e.B), count: n)) }
  }

  @Test(arguments: ["lstm", "srwm"])
  func episodesStartFromAZeroStateAndDoNotMix(_ model: String) throws {
    let l = FewShotLearner(tinyConfig(model: model))
    l.model.training = false
    var sampler = try EpisodeSampler(source: GlyphSource(seed: 4), split: .train, ways: 5, shots: 1, seed: 2)
    let a = sampler.next(batch: 3), b = sampler.next(batch: 3)
    let first = logits(l, a)
    _ = logits(l, b)
    #expect(logits(l, a) == first)                  // nothing carried over from the previous call
    // Episode 0 alone gives the same logits as inside the batch of 3.
    let P = a.side * a.side
    var one = a
    one.B = 1
    one.images = (0..<a.L).flatMap { t in a.images[(t * 3) * P..<(t * 3 + 1) * P] }
    one.inputLabels = (0..<a.L).map { a.inputLabels[$0 * 3] }
    one.targets = (0..<a.L).map { a.targets[$0 * 3] }
    let alone = logits(l, one), N = 5
    for t in 0..<a.L {
      for j in 0..<N { #expect(abs(alone[t * N + j] - first[(t * 3) * N + j]) < 1e-5) }
    }
  }

  /// --label-scale sets the one-hot's value in the input: a model with scale 2 gives, from the same
  /// weights, other logits than with scale 1, and the same when its label-input weights are halved.
  @Test func labelScaleMultipliesTheOneHot() throws {
    var c1 = tinyConfig(model: "lstm"); c1.labelScale = nil
    var c2 = c1; c2.labelScale = 2
    let a = FewShotLearner(c1), b = FewShotLearner(c2)
    a.model.training = false; b.model.training = false
    var sampler = try EpisodeSampler(source: GlyphSource(seed: 4), split: .train, ways: 5, shots: 1, seed: 3)
    let e = sampler.next(batch: 2)
    let la = logits(a, e), lb = logits(b, e)
    #expect(la != lb)
    // Halve the label columns of W_ih in b: the two models compute the same function.
    let ps = b.model.ps, r = ps.params.first { $0.name.hasSuffix("weight_ih_l0") }!
    let inDim = r.shape[1], N = 5
    for row in 0..<r.shape[0] { for j in (inDim - N)..<inDim { ps.w(r)[row * inDim + j] *= 0.5 } }
    let lc = logits(b, e)
    #expect(zip(la, lc).allSatisfy { abs($0 - $1) < 1e-5 })
  }
}
