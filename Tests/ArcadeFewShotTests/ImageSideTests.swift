// `fewshot train --image-side`: the drawings shrunk to another size, with the encoder sized to match.
import Foundation
import Testing
@testable import ArcadeFewShot

@Suite struct ImageSideTests {
  func config(side: Int?) -> FewShotRunConfig {
    var c = tinyConfig(ways: 3)
    c.imageSide = side; c.batch = 4; c.validEpisodes = 8; c.augment = true
    return c
  }

  @Test func aModelTrainsAndAnswersOnLargerImages() throws {
    let c = config(side: 35)
    #expect(c.modelConfig.imageHW == 35 && c.trainingJitter?.maxShift == 2.5)
    let glyphs = GlyphSource(seed: 2, train: 30, valid: 10, test: 10, side: 35)
    let trainer = try FewShotTrainer(c, source: glyphs, out: nil)
    var sampler = try EpisodeSampler(source: glyphs, split: .train, ways: 3, shots: 1, seed: 1)
    let e = sampler.next(batch: 4)
    #expect(e.side == 35 && e.images.count == e.L * 4 * 35 * 35)
    let r = trainer.learner.lossAndGradient(e)
    #expect(r.loss.isFinite && r.counted == 4)
    let ev = try trainer.learner.evaluate(source: glyphs, split: .valid, episodes: 8, seed: 3)
    #expect(ev.episodeAccuracy.count == 8)
  }

  @Test func imagesOfAnotherSizeAreRefused() throws {
    let glyphs28 = GlyphSource(seed: 2, train: 30, valid: 10, test: 10)
    #expect(throws: FewShotError.self) { try FewShotTrainer(config(side: 35), source: glyphs28, out: nil) }
    let learner = FewShotLearner(config(side: 35))
    #expect(throws: FewShotError.self) { try learner.evaluate(source: glyphs28, split: .valid, episodes: 4, seed: 3) }
  }

  @Test func theSideIsCheckedAndDefaultsTo28() throws {
    #expect(config(side: nil).side == 28)
    #expect(throws: FewShotError.self) { try config(side: 12).validate() }
    #expect(throws: FewShotError.self) { try config(side: 106).validate() }
    try config(side: 16).validate()
    // A config written before the field existed reads back as 28.
    let old = try JSONDecoder().decode(FewShotRunConfig.self, from: Data(#"{"ways":5,"shots":1,"model":"srwm","mode":"sync","data":"glyphs","dataSeed":1,"splitSeed":0,"rotations":true,"steps":10,"batch":4,"lr":0.001,"validEvery":5,"validEpisodes":8,"seed":0,"convChannels":8,"dModel":32,"layers":2,"heads":4,"ffDim":64,"lstmHidden":32,"minutes":0}"#.utf8))
    #expect(old.side == 28 && old.imageSide == nil)
  }
}
