// Splits by whole alphabets, within-alphabet episodes, and one-shot runs built in Lake et al.'s layout.
import ArcadeBase
@testable import ArcadeFewShot
import Foundation
import Testing

/// A small Omniglot-layout folder: alphabet name → number of characters, each with `drawings` drawings.
func writeAlphabets(_ d: String, _ sizes: [(String, Int)], drawings: Int = 3) throws {
  let glyphs = GlyphSource(seed: 3)
  var n = 0
  for (a, count) in sizes {
    for c in 0..<count {
      let dir = "\(d)/\(a)/" + String(format: "character%02d", c + 1)
      try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
      for j in 0..<drawings {
        try PNGFile.write(ImageOps.grayImage(glyphs.drawing(n, j), side: 28), to: dir + String(format: "/%04d_%02d.png", n, j + 1))
      }
      n += 1
    }
  }
}

@Suite struct AlphabetSplitTests {
  @Test func splitByAlphabetsHoldsOutWholeAlphabets() throws {
    let keys = ["A/character01", "A/character02", "B/character01", "C/character01", "C/character02", "D/character01"]
    let s = try CharacterSplit(keys: keys.reversed(), validAlphabets: ["B"], testAlphabets: ["C", "D"])
    #expect(s.train == ["A/character01", "A/character02"])
    #expect(s.valid == ["B/character01"])
    #expect(s.test == ["C/character01", "C/character02", "D/character01"])
    #expect(throws: FewShotError.self) { try CharacterSplit(keys: keys, validAlphabets: ["B"], testAlphabets: ["Runic"]) }
    #expect(throws: FewShotError.self) { try CharacterSplit(keys: keys, validAlphabets: ["B"], testAlphabets: ["B"]) }
    #expect(throws: FewShotError.self) { try CharacterSplit(keys: keys, validAlphabets: ["A", "B"], testAlphabets: ["C", "D"]) }
  }

  @Test func withinAlphabetEpisodesDrawEveryClassFromOneAlphabet() throws {
    let d = tempDir("alphabets"); defer { try? FileManager.default.removeItem(atPath: d) }
    try writeAlphabets(d, [("Big", 5), ("Small", 3), ("Train", 2)])
    let o = try OmniglotSource(root: d, heldOutAlphabets: ([], ["Big", "Small"]))
    #expect(o.characters(.test).count == 8)
    var s3 = try EpisodeSampler(source: o, split: .test, ways: 3, shots: 1, rotations: false, withinAlphabet: true, seed: 1)
    #expect(s3.alphabetGroups.map(\.count) == [5, 3])
    var seenAlphabets = Set<String>()
    for _ in 0..<10 {
      let e = s3.next(batch: 8)
      for cls in e.classes {
        let alphabets = Set(cls.map { o.alphabet($0.character)! })
        #expect(alphabets.count == 1)
        #expect(cls.allSatisfy { $0.rotation == 0 })
        seenAlphabets.formUnion(alphabets)
      }
    }
    #expect(seenAlphabets == ["Big", "Small"])
    // 4 ways: only "Big" has enough characters; 6 ways: none has.
    var s4 = try EpisodeSampler(source: o, split: .test, ways: 4, shots: 1, rotations: false, withinAlphabet: true, seed: 1)
    #expect(s4.next(batch: 16).classes.allSatisfy { c in c.allSatisfy { o.alphabet($0.character) == "Big" } })
    #expect(throws: FewShotError.self) {
      try EpisodeSampler(source: o, split: .test, ways: 6, shots: 1, rotations: false, withinAlphabet: true, seed: 1)
    }
    // Across the whole split (the default) an episode mixes alphabets.
    var mixed = try EpisodeSampler(source: o, split: .test, ways: 4, shots: 1, rotations: false, seed: 1)
    #expect(mixed.next(batch: 32).classes.contains { c in Set(c.map { o.alphabet($0.character)! }).count > 1 })
    #expect(throws: FewShotError.self) {
      try EpisodeSampler(source: GlyphSource(seed: 1), split: .test, ways: 4, shots: 1, withinAlphabet: true, seed: 1)
    }
  }

  /// Within-alphabet evaluation also reports each alphabet's accuracy; together they make up the mean.
  @Test func withinAlphabetEvaluationBreaksDownByAlphabet() throws {
    let d = tempDir("by-alphabet"); defer { try? FileManager.default.removeItem(atPath: d) }
    try writeAlphabets(d, [("Big", 5), ("Small", 3), ("Train", 2)])
    let o = try OmniglotSource(root: d, heldOutAlphabets: ([], ["Big", "Small"]))
    let l = FewShotLearner(tinyConfig(ways: 3))
    let ev = try l.evaluate(source: o, split: .test, withinAlphabet: true, episodes: 40, seed: 2)
    #expect(ev.byAlphabet.map(\.alphabet) == ["Big", "Small"])
    #expect(ev.byAlphabet.map(\.episodes).reduce(0, +) == 40 && ev.byAlphabet.allSatisfy { $0.episodes > 0 })
    let weighted = ev.byAlphabet.map { $0.accuracy * Double($0.episodes) }.reduce(0, +) / 40
    #expect(abs(weighted - ev.mean) < 1e-12)
    #expect(try l.evaluate(source: o, split: .test, episodes: 8, seed: 2).byAlphabet.isEmpty)
  }

  /// `fewshot train --within-alphabet`: training episodes from one alphabet with its rotated classes,
  /// validation on within-alphabet episodes (here the validation alphabet has 3 characters, so a
  /// 3-way run validates on it and a 4-way one cannot).
  @Test func withinAlphabetTraining() throws {
    let d = tempDir("within-train"); defer { try? FileManager.default.removeItem(atPath: d) }
    try writeAlphabets(d, [("One", 3), ("Two", 2), ("Held", 3), ("Test", 3)])
    let o = try OmniglotSource(root: d, heldOutAlphabets: (["Held"], ["Test"]))
    var s = try EpisodeSampler(source: o, split: .train, ways: 3, shots: 1, withinAlphabet: true, seed: 1)
    let e = s.next(batch: 16)
    #expect(e.classes.allSatisfy { c in Set(c.map { o.alphabet($0.character)! }).count == 1 })
    #expect(e.classes.contains { c in c.contains { $0.rotation != 0 } })
    var c = tinyConfig(ways: 3); c.steps = 2; c.batch = 4; c.validEvery = 2; c.validEpisodes = 8; c.withinAlphabet = true
    c.data = d
    c.validAlphabets = ["Held"]; c.testAlphabets = ["Test"]
    let out = tempDir("within-run"); defer { try? FileManager.default.removeItem(atPath: out) }
    var lines: [FewShotLog] = []
    try FewShotTrainer(c, source: o, out: out).run { lines.append($0) }
    #expect(lines.contains { $0.validAccuracy != nil })
    #expect(try FewShotLearner.load(out + "/last.safetensors").0.config.withinAlphabet == true)
    var onGlyphs = c; onGlyphs.data = "glyphs"
    #expect(throws: FewShotError.self) { try onGlyphs.validate() }
    var c4 = c; c4.ways = 4
    #expect(throws: FewShotError.self) { try FewShotTrainer(c4, source: o, out: nil).run() }
  }

  /// Builds Lake-layout runs from the subset's held-out alphabets and checks what the reader makes of them
  /// against the original files: each test item is another drawer's drawing of its labelled class's character.
  @Test func oneShotRunsBuiltFromTheSubsetInLakesLayout() throws {
    guard let root = sharedOmniglot() else { return }
    let held = ["Balinese", "Early_Aramaic", "Greek"]
    let o = try OmniglotSource(root: root, heldOutAlphabets: (["Latin"], held))
    let d = tempDir("lake"); defer { try? FileManager.default.removeItem(atPath: d) }
    let dir = d + "/runs"
    let alphabets = try OneShotRunsMaker.make(o, split: .test, runs: 20, ways: 20, seed: 0, into: dir)
    #expect(alphabets.count == 20 && Set(alphabets) == Set(held))
    #expect(throws: FewShotError.self) { try OneShotRunsMaker.make(o, split: .test, seed: 0, into: dir) }   // exists
    #expect(throws: FewShotError.self) { try OneShotRunsMaker.make(o, split: .test, ways: 30, seed: 0, into: d + "/x") }
    #expect(!FileManager.default.fileExists(atPath: d + "/x"))
    // Original file of every copied image, by content.
    var original: [Data: String] = [:]
    for c in o.characters(.test) { for f in o.files[c] { original[try Data(contentsOf: URL(fileURLWithPath: f))] = f } }
    func source(_ p: String) throws -> (character: String, drawer: String) {
      let f = try #require(original[try Data(contentsOf: URL(fileURLWithPath: p))])
      let u = URL(fileURLWithPath: f)
      return (u.deletingLastPathComponent().path, String(u.deletingPathExtension().lastPathComponent.suffix(2)))
    }
    let runs = try OneShotRuns.parse(dir)
    #expect(runs.map(\.name) == (1...20).map { String(format: "run%02d", $0) })
    for (run, alphabet) in zip(runs, alphabets) {
      #expect(run.training.count == 20 && run.items.count == 20)
      let train = try run.training.map(source)
      #expect(Set(train.map(\.character)).count == 20)                       // 20 different characters
      #expect(train.allSatisfy { $0.character.contains("/\(alphabet)/character") })
      #expect(Set(train.map(\.drawer)).count == 1)                           // one drawer for the training images
      #expect(Set(run.items.map(\.1)) == Set(0..<20))                         // every class tested once
      for (item, k) in run.items {
        let s = try source(item)
        #expect(s.character == train[k].character && s.drawer != train[k].drawer)
      }
    }
  }
}
