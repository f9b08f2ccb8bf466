// `fewshot train --lr-final`: a linear fall of Adam's rate over the run, kept when the run is continued.
import ArcadeBase
@testable import ArcadeFewShot
import Foundation
import Testing

@Suite struct LearningRateScheduleTests {
  @Test func fallsLinearlyToTheFinalRateAtTheLastStep() {
    var c = tinyConfig(); c.lr = 1e-3; c.steps = 110
    #expect(FewShotTrainer.learningRate(step: 50, decayStart: 10, c) == 1e-3)   // no --lr-final: constant
    c.lrFinal = 1e-4
    let rates = (11...110).map { FewShotTrainer.learningRate(step: $0, decayStart: 10, c) }
    #expect(abs(rates[0] - (1e-3 - 9e-6)) < 1e-12)      // one hundredth of the way after the first step
    #expect(abs(rates[49] - 5.5e-4) < 1e-12)            // halfway
    #expect(rates.last == 1e-4)
    #expect(zip(rates, rates.dropFirst()).allSatisfy { $0 > $1 })
    #expect(FewShotTrainer.learningRate(step: 500, decayStart: 10, c) == 1e-4)   // past the end: the final rate
    c.lrFinal = 2
    #expect(throws: FewShotError.self) { try c.validate() }
  }

  /// A continued run keeps the schedule it continues (same lr, lrFinal and steps); another schedule starts
  /// its fall where it continues.
  @Test func continuingKeepsTheDecayStart() throws {
    let d = tempDir("lr-decay"); defer { try? FileManager.default.removeItem(atPath: d) }
    var c = tinyConfig(ways: 2); c.steps = 40; c.lr = 1e-3; c.lrFinal = 1e-5
    try FewShotLearner(c).save(d + "/mid.safetensors", info: ["step": "20", "lr_decay_start": "5"])
    let same = try FewShotTrainer(c, source: GlyphSource(seed: 3), out: nil)
    try same.continue(from: d + "/mid.safetensors")
    #expect(same.stepOffset == 20 && same.lrDecayStart == 5)
    var other = c; other.lrFinal = 1e-4
    let changed = try FewShotTrainer(other, source: GlyphSource(seed: 3), out: nil)
    try changed.continue(from: d + "/mid.safetensors")
    #expect(changed.lrDecayStart == 20)
    try FewShotLearner(c).save(d + "/bad.safetensors", info: ["step": "20", "lr_decay_start": "30"])
    do {
      try FewShotTrainer(c, source: GlyphSource(seed: 3), out: nil).continue(from: d + "/bad.safetensors")
      Issue.record("continued with a decay start after the checkpoint's step")
    } catch { #expect("\(error)".contains("'lr_decay_start' = 30")) }
  }

  /// A run with --lr-final writes where its fall began into last.safetensors, for the next continuation.
  @Test func lastCheckpointRecordsTheDecayStart() throws {
    let out = tempDir("lr-decay-run"); defer { try? FileManager.default.removeItem(atPath: out) }
    var c = tinyConfig(ways: 2); c.steps = 2; c.batch = 2; c.validEvery = 2; c.validEpisodes = 4; c.lrFinal = 1e-5
    try FewShotTrainer(c, source: GlyphSource(seed: 3), out: out).run()
    #expect(try FewShotLearner.load(out + "/last.safetensors").1["lr_decay_start"] == "0")
  }
}
