// `fewshot train --image-side`: the drawings shrunk to another size, with the encoder sized to match.
import Foundation
import Glibc
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

  @Test func aCheckpointCarriesOverToAnotherSide() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("imageside-\(getpid())").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    var c28 = config(side: nil); c28.data = "glyphs"
    let old = FewShotLearner(c28)
    try old.save(dir + "/28.safetensors")
    let glyphs35 = GlyphSource(seed: 2, train: 30, valid: 10, test: 10, side: 35)
    let trainer = try FewShotTrainer(config(side: 35), source: glyphs35, out: nil)
    try trainer.continue(from: dir + "/28.safetensors")
    #expect(trainer.resizedFrom == 28)
    let a = old.model.ps, b = trainer.learner.model.ps
    let C = 8, po = old.model.encoder.featureDim / C, pn = trainer.learner.model.encoder.featureDim / C
    #expect(po == 1 && pn == 4)   // 28 → 1×1 map, 35 → 2×2
    var spread = 0
    for (x, y) in zip(a.params, b.params) {
      let s = a.w(x), d = b.w(y)
      if x.shape == y.shape {
        #expect((0..<x.count).allSatisfy { s[$0] == d[$0] }, "\(x.name) copied")
        continue
      }
      spread += 1
      let ni = x.shape[1], nj = y.shape[1], labels = ni - C
      #expect(nj - C * pn == labels)
      for r in 0..<x.shape[0] {
        for ch in 0..<C { for q in 0..<pn { #expect(abs(d[r * nj + ch * pn + q] - s[r * ni + ch] / 4) < 1e-7) } }
        for j in 0..<labels { #expect(d[r * nj + C * pn + j] == s[r * ni + C + j]) }
      }
    }
    #expect(spread == 1)   // the input projection alone
    // Widening and a new side at once are refused.
    var wider = config(side: 35); wider.ways = 4
    let t2 = try FewShotTrainer(wider, source: glyphs35, out: nil)
    #expect(throws: FewShotError.self) { try t2.continue(from: dir + "/28.safetensors") }
  }
}
