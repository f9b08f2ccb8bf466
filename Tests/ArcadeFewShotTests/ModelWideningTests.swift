import ArcadeBase
@testable import ArcadeFewShot
import ArcadeTensor
import Foundation
import Testing

/// `fewshot train --ways N --continue` a model trained with fewer ways: label inputs and outputs widen.
@Suite struct ModelWideningTests {
  func trained(ways: Int, model: String, _ d: String) throws -> FewShotLearner {
    var c = tinyConfig(ways: ways, model: model)
    c.steps = 2; c.batch = 4; c.validEvery = 2; c.validEpisodes = 8
    let t = try FewShotTrainer(c, source: GlyphSource(seed: 3), out: d)
    try t.run()
    return t.learner
  }

  /// On episodes that use only the old labels, the widened model's scores of the old classes are the old
  /// model's (the new label inputs are zero there); the new weights are the fresh model's.
  @Test(arguments: ["srwm", "lstm"])
  func theWidenedModelAnswersOldEpisodesAsBefore(_ model: String) throws {
    let d = tempDir("widen-\(model)"); defer { try? FileManager.default.removeItem(atPath: d) }
    let old = try trained(ways: 3, model: model, d)
    var c = tinyConfig(ways: 5, model: model); c.steps = 4; c.batch = 4; c.validEvery = 2; c.validEpisodes = 8
    let fresh = FewShotLearner(c)
    let t = try FewShotTrainer(c, source: GlyphSource(seed: 3), out: nil)
    try t.continue(from: d + "/last.safetensors")
    #expect(t.widenedFrom == 3 && t.stepOffset == 2)
    let out = try #require(t.learner.model.ps.ref("out.weight"))
    let w = Array(UnsafeBufferPointer(start: t.learner.model.ps.w(out), count: out.count))
    let freshW = Array(UnsafeBufferPointer(start: fresh.model.ps.w(out), count: out.count))
    let oldOut = try #require(old.model.ps.ref("out.weight"))
    #expect(Array(w.prefix(oldOut.count)) == Array(UnsafeBufferPointer(start: old.model.ps.w(oldOut), count: oldOut.count)))
    #expect(Array(w.suffix(out.count - oldOut.count)) == Array(freshW.suffix(out.count - oldOut.count)))

    var sampler = try EpisodeSampler(source: GlyphSource(seed: 3), split: .test, ways: 3, shots: 1, seed: 7)
    let e = sampler.next(batch: 4)
    old.model.training = false; t.learner.model.training = false
    let a = Array(UnsafeBufferPointer(start: old.model.forward(images: e.images, labels: e.inputLabels, L: e.L, B: e.B), count: e.L * e.B * 3))
    let b = Array(UnsafeBufferPointer(start: t.learner.model.forward(images: e.images, labels: e.inputLabels, L: e.L, B: e.B), count: e.L * e.B * 5))
    for r in 0..<(e.L * e.B) {
      for j in 0..<3 { #expect(abs(a[r * 3 + j] - b[r * 5 + j]) <= 1e-4 * (1 + abs(a[r * 3 + j])), "row \(r) class \(j)") }
    }
    try t.run()   // and it trains at 5 ways
  }

  @Test func narrowingOrAnotherCoreIsRefused() throws {
    let d = tempDir("widen-refused"); defer { try? FileManager.default.removeItem(atPath: d) }
    _ = try trained(ways: 3, model: "srwm", d)
    for (ways, model) in [(2, "srwm"), (5, "lstm")] {
      let t = try FewShotTrainer(tinyConfig(ways: ways, model: model), source: GlyphSource(seed: 3), out: nil)
      do {
        try t.continue(from: d + "/last.safetensors")
        Issue.record("continued a 3-way srwm as \(ways)-way \(model)")
      } catch let e as FewShotError {
        #expect("\(e)".contains("last.safetensors") && !"\(e)".contains("\n"))
      }
    }
  }
}
