import ArcadeBase
@testable import ArcadeFewShot
import ArcadeNN
import ArcadeTensor
import Foundation
import Testing

var isCI: Bool { ProcessInfo.processInfo.environment["CI"]?.lowercased() == "true" }

/// ../shared/data/omniglot next to the package (nil, with a message, when missing; an issue on CI).
func sharedOmniglot() -> String? {
  let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  let p = root.appendingPathComponent("../shared/data/omniglot").standardizedFileURL.path
  if FileManager.default.fileExists(atPath: p) { return p }
  if isCI { Issue.record("Omniglot subset missing at \(p)") } else { print("SKIPPED: Omniglot subset not found at \(p)") }
  return nil
}

func tempDir(_ name: String) -> String {
  let d = NSTemporaryDirectory() + "arcade-fewshot-\(name)-\(getpid())"
  try? FileManager.default.removeItem(atPath: d)
  try! FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
  return d
}

/// A model small enough for tests.
func tinyConfig(ways: Int = 5, model: String = "srwm") -> FewShotRunConfig {
  var c = FewShotRunConfig()
  c.ways = ways; c.model = model
  c.convChannels = 8; c.dModel = 32; c.heads = 4; c.ffDim = 64; c.lstmHidden = 32
  c.batch = 16; c.validEpisodes = 40; c.validEvery = 1000
  return c
}

@Suite struct ImageTests {
  @Test func decodesARealOmniglotPNG() throws {
    guard let root = sharedOmniglot() else { return }
    let files = try OmniglotSource.scan(root)
    let any = files.keys.sorted().first!
    let g = try PNGFile.read(files[any]![0])
    #expect(g.width == 105 && g.height == 105)
    #expect(Set(g.pixels).isSubset(of: [0, 255]))       // 1-bit black on white
    let ink = ImageOps.ink(g)
    let frac = ink.reduce(0, +) / Float(ink.count)
    #expect(frac > 0.01 && frac < 0.5)                  // some strokes, mostly paper
    let small = ImageOps.prepare(g)
    #expect(small.count == 28 * 28)
    #expect(abs(small.reduce(0, +) / 784 - frac) < 1e-3)   // area averaging keeps the mean
  }

  @Test func unreadablePNGIsAnError() throws {
    let d = tempDir("badpng"); defer { try? FileManager.default.removeItem(atPath: d) }
    try Data("not a png".utf8).write(to: URL(fileURLWithPath: d + "/x.png"))
    #expect(throws: FewShotError.self) { try PNGFile.read(d + "/x.png") }
  }

  @Test func pngWriteReadRoundTrip() throws {
    let d = tempDir("png"); defer { try? FileManager.default.removeItem(atPath: d) }
    let g = GrayImage(width: 3, height: 2, pixels: [0, 50, 100, 150, 200, 255])
    try PNGFile.write(g, to: d + "/a.png")
    #expect(try PNGFile.read(d + "/a.png") == g)
  }

  @Test func areaAverageResize() {
    // Integer ratio: 4×4 → 2×2 is the mean of each 2×2 block.
    let src: [Float] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]
    #expect(ImageOps.areaResize(src, width: 4, height: 4, toWidth: 2, height: 2) == [3.5, 5.5, 11.5, 13.5])
    // Fractional: 3 → 2 in x: out0 = (a + b/2)/1.5, out1 = (b/2 + c)/1.5.
    let r = ImageOps.areaResize([3, 6, 9], width: 3, height: 1, toWidth: 2, height: 1)
    #expect(abs(r[0] - 4) < 1e-5 && abs(r[1] - 8) < 1e-5)
    // 105 → 28 keeps constants and the mean.
    var rng = PCG32(seed: 3, stream: 1)
    let big = (0..<(105 * 105)).map { _ in rng.unit() }
    let s = ImageOps.areaResize(big, width: 105, height: 105, toWidth: 28, height: 28)
    let meanSmall: Float = s.reduce(0, +) / 784
    let meanBig: Float = big.reduce(0, +) / Float(big.count)
    #expect(abs(meanSmall - meanBig) < 1e-4)
    let flat = ImageOps.areaResize([Float](repeating: 0.25, count: 105 * 105), width: 105, height: 105, toWidth: 28, height: 28)
    let flatOK = flat.allSatisfy { abs($0 - 0.25) < 1e-6 }
    #expect(flatOK)
  }

  @Test func rotations() {
    // 3×3 with a mark at the top-right corner: one quarter turn counter-clockwise moves it to the top-left.
    var img = [Float](repeating: 0, count: 9); img[2] = 1
    #expect(ImageOps.rotated(img, n: 3, quarter: 1).firstIndex(of: 1) == 0)
    #expect(ImageOps.rotated(img, n: 3, quarter: 2).firstIndex(of: 1) == 6)
    #expect(ImageOps.rotated(img, n: 3, quarter: 3).firstIndex(of: 1) == 8)
    let x = (0..<16).map(Float.init)
    #expect(ImageOps.rotated(x, n: 4, quarter: 0) == x)
    var y = x
    for _ in 0..<4 { y = ImageOps.rotated(y, n: 4, quarter: 1) }
    #expect(y == x)
    #expect(ImageOps.rotated(ImageOps.rotated(x, n: 4, quarter: 1), n: 4, quarter: 1) == ImageOps.rotated(x, n: 4, quarter: 2))
  }
}

@Suite struct SplitTests {
  @Test func splitsAreDisjointReproducibleAndCoverEverything() {
    let keys = (0..<100).map { "A\($0 / 10)/character\($0 % 10)" }
    let a = CharacterSplit(keys: keys, seed: 7), b = CharacterSplit(keys: keys.reversed(), seed: 7)
    #expect(a == b)
    #expect(a.text == b.text)
    #expect(CharacterSplit(keys: keys, seed: 8) != a)
    let t = Set(a.train), v = Set(a.valid), s = Set(a.test)
    #expect(t.isDisjoint(with: v) && t.isDisjoint(with: s) && v.isDisjoint(with: s))
    #expect(t.count + v.count + s.count == 100)
    #expect(t.count == 60 && v.count == 15)
  }

  /// Two sets that share a character are counted once; its drawings come from the first set.
  @Test func charactersInBothSetsAreCountedOnce() throws {
    let d = tempDir("sets"); defer { try? FileManager.default.removeItem(atPath: d) }
    let glyphs = GlyphSource(seed: 1)
    for (set, chars) in [("set1", ["Greek/character01", "Greek/character02"]), ("set2", ["Greek/character01", "Runic/character01"])] {
      for (i, ch) in chars.enumerated() {
        let dir = "\(d)/\(set)/\(ch)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for j in 0..<3 { try PNGFile.write(ImageOps.grayImage(glyphs.drawing(i, j), side: 28), to: "\(dir)/0001_0\(j).png") }
      }
    }
    let o = try OmniglotSource(root: d, seed: 0)
    #expect(o.keys == ["Greek/character01", "Greek/character02", "Runic/character01"])
    #expect(o.files[0].allSatisfy { $0.contains("/set1/") })
    let all = Split.allCases.flatMap { o.characters($0) }
    #expect(all.count == 3 && Set(all).count == 3)
    // One set given directly (ROOT/ALPHABET/characterNN) works too.
    #expect(try OmniglotSource(root: d + "/set2").keys == ["Greek/character01", "Runic/character01"])
    #expect(throws: FewShotError.self) { try OmniglotSource(root: d + "/nothing") }
  }

  @Test func realSubsetSplit() throws {
    guard let root = sharedOmniglot() else { return }
    let o = try OmniglotSource(root: root, seed: 0)
    #expect(o.keys.count == 242)                     // 136 + 156 − 50 shared Greek and Latin characters
    #expect(Set(o.keys).count == o.keys.count)
    let s = o.split
    #expect(Set(s.train).isDisjoint(with: s.valid) && Set(s.train).isDisjoint(with: s.test) && Set(s.valid).isDisjoint(with: s.test))
    #expect(try OmniglotSource(root: root, seed: 0).split == s)
  }
}

@Suite struct EpisodeTests {
  @Test func synchronousEpisodes() throws {
    let g = GlyphSource(seed: 2, train: 30, valid: 10, test: 10)
    let ways = 5, shots = 2, B = 6
    var sampler = try EpisodeSampler(source: g, split: .train, ways: ways, shots: shots, seed: 1)
    let e = sampler.next(batch: B)
    #expect(e.L == ways * shots + 1 && e.images.count == e.L * B * 784)
    for b in 0..<B {
      let support = (0..<(ways * shots)).map { e.inputLabels[$0 * B + b] }
      #expect(support.sorted() == (0..<ways).flatMap { [Int](repeating: $0, count: shots) })   // K of each label
      #expect((0..<(ways * shots)).allSatisfy { e.targets[$0 * B + b] == -1 })                  // no loss on support
      let q = (e.L - 1) * B + b
      #expect(e.inputLabels[q] == 0)                                                          // dummy label
      #expect((0..<ways).contains(e.targets[q]))
      #expect(Set(e.classes[b]).count == ways)
      // Every support image is a drawing of the class its label names (rotated as the class says).
      for t in 0..<(ways * shots) {
        let c = e.classes[b][e.inputLabels[t * B + b]]
        let img = Array(e.images[((t * B + b) * 784)..<((t * B + b + 1) * 784)])
        let matches = (0..<g.drawingCount(c.character)).contains { ImageOps.rotated(g.drawing(c.character, $0), n: 28, quarter: c.rotation) == img }
        #expect(matches)
      }
    }
    // The support order is shuffled, not grouped by class, in at least one episode.
    #expect((0..<B).contains { b in (0..<(ways * shots - 1)).contains { e.inputLabels[$0 * B + b] > e.inputLabels[($0 + 1) * B + b] } })
    // Classes come from the split only; the same seed gives the same batch.
    #expect(e.classes.joined().allSatisfy { (0..<30).contains($0.character) })
    var again = try EpisodeSampler(source: g, split: .train, ways: ways, shots: shots, seed: 1)
    #expect(again.next(batch: B).images == e.images)
  }

  @Test func modelSeesOneHotOfTheInputLabel() throws {
    // The model's input is [features ; one_hot(label)]: changing only the query's dummy label changes its output.
    let l = FewShotLearner(tinyConfig())
    var sampler = try EpisodeSampler(source: GlyphSource(seed: 2), split: .train, ways: 5, shots: 1, seed: 1)
    var e = sampler.next(batch: 2)
    l.model.training = false
    let a = l.predict(e), logitsA = Array(UnsafeBufferPointer(start: l.model.forward(images: e.images, labels: e.inputLabels, L: e.L, B: 2), count: e.L * 2 * 5))
    e.inputLabels[(e.L - 1) * 2] = 3
    let logitsB = Array(UnsafeBufferPointer(start: l.model.forward(images: e.images, labels: e.inputLabels, L: e.L, B: 2), count: e.L * 2 * 5))
    #expect(a.count == e.L * 2)
    #expect(logitsA[0..<((e.L - 1) * 10)] == logitsB[0..<((e.L - 1) * 10)])   // earlier steps unchanged (causal)
    #expect(logitsA[((e.L - 1) * 10)..<((e.L - 1) * 10 + 5)] != logitsB[((e.L - 1) * 10)..<((e.L - 1) * 10 + 5)])
  }

  @Test func curriculumAccuracyLeavesOutFirstOccurrences() throws {
    // The delayed setting's first occurrence of a class cannot be known, so the curriculum's accuracy skips it.
    var c = tinyConfig(ways: 3); c.mode = "delayed"
    let l = FewShotLearner(c)
    let g = GlyphSource(seed: 2, train: 30, valid: 10, test: 10)
    var sampler = try EpisodeSampler(source: g, split: .train, ways: 3, shots: 4, mode: .delayed, seed: 1)
    let e = sampler.next(batch: 6)
    let predicted = l.predict(e)
    let r = l.lossAndGradient(e)
    let seen = (0..<(e.L * e.B)).filter { e.targets[$0] >= 0 && e.shotIndex[$0] > 0 }
    #expect(seen.count == 6 * 3 * 3 && r.counted == 6 * 12)
    let expected = Double(seen.filter { predicted[$0] == e.targets[$0] }.count) / Double(seen.count)
    #expect(abs(r.seenAccuracy - expected) < 1e-12)
    let all = Double((0..<(e.L * e.B)).filter { predicted[$0] == e.targets[$0] }.count)
    #expect(Int(all) == r.correct)
  }

  @Test func delayedEpisodes() throws {
    let g = GlyphSource(seed: 2, train: 30, valid: 10, test: 10)
    var sampler = try EpisodeSampler(source: g, split: .train, ways: 3, shots: 4, mode: .delayed, seed: 1)
    let B = 3, e = sampler.next(batch: B)
    #expect(e.L == 12)
    for b in 0..<B {
      #expect(e.inputLabels[b] == 0)
      for t in 1..<e.L { #expect(e.inputLabels[t * B + b] == e.targets[(t - 1) * B + b]) }
      var seen = [0, 0, 0]
      for t in 0..<e.L { let y = e.targets[t * B + b]; #expect(e.shotIndex[t * B + b] == seen[y]); seen[y] += 1 }
      #expect(seen == [4, 4, 4])
    }
  }

  @Test func twoTaskSequencesConcatenateDelayedEpisodes() throws {
    let g1 = GlyphSource(seed: 2, train: 30, valid: 10, test: 10), g2 = GlyphSource(seed: 9, train: 30, valid: 10, test: 10)
    func samplers() throws -> (EpisodeSampler, EpisodeSampler) {
      (try EpisodeSampler(source: g1, split: .train, ways: 3, shots: 2, mode: .delayed, seed: 1),
       try EpisodeSampler(source: g2, split: .train, ways: 3, shots: 2, mode: .delayed, seed: 1, stream: 2))
    }
    let B = 16
    var (a, b) = try samplers()
    var fixed = SequenceSampler(first: a, second: b, randomOrder: false, seed: 3)
    let e = fixed.next(batch: B)
    let pa = a.next(batch: B), pb = b.next(batch: B)     // the parts, drawn from identical samplers
    #expect(e.L == 12)
    for i in 0..<B {
      #expect((0..<6).allSatisfy { e.task[$0 * B + i] == 0 } && (6..<12).allSatisfy { e.task[$0 * B + i] == 1 })
      // The delayed label runs on across the switch; the loss is taken at every step.
      for t in 1..<e.L { #expect(e.inputLabels[t * B + i] == e.targets[(t - 1) * B + i]) }
      #expect(e.targets.allSatisfy { $0 >= 0 })
      let first = Array(e.images[(i * 784)..<((i + 1) * 784)]), second = Array(e.images[((6 * B + i) * 784)..<((6 * B + i + 1) * 784)])
      #expect(first == Array(pa.images[(i * 784)..<((i + 1) * 784)]) && second == Array(pb.images[(i * 784)..<((i + 1) * 784)]))
    }
    // Training order is drawn per sequence: both orders occur.
    (a, b) = try samplers()
    var shuffled = SequenceSampler(first: a, second: b, randomOrder: true, seed: 3)
    let r = shuffled.next(batch: B)
    let firstTasks = Set((0..<B).map { r.task[$0] })
    #expect(firstTasks == [0, 1])
  }

  @Test func tooFewClassesIsAnError() {
    #expect(throws: FewShotError.self) {
      try EpisodeSampler(source: GlyphSource(seed: 1, train: 1, valid: 1, test: 1), split: .test, ways: 5, shots: 1, rotations: false, seed: 0)
    }
  }
}

@Suite struct GlyphTests {
  @Test func glyphsAreDeterministicAndVaried() {
    let a = GlyphSource(seed: 4), b = GlyphSource(seed: 4), c = GlyphSource(seed: 5)
    #expect(a.drawing(17, 3) == b.drawing(17, 3))
    #expect(a.drawing(17, 3) != a.drawing(17, 4))       // per-drawing jitter
    #expect(a.drawing(17, 3) != a.drawing(18, 3))       // different characters
    #expect(a.drawing(17, 3) != c.drawing(17, 3))       // different seed
    let d = a.drawing(17, 3)
    let ink = d.reduce(0, +) / Float(d.count)
    #expect(ink > 0.03 && ink < 0.5 && d.allSatisfy { $0 >= 0 && $0 <= 1 })
    // Two drawings of one character overlap far more than drawings of two characters, on average.
    func overlap(_ x: [Float], _ y: [Float]) -> Float { zip(x, y).map { $0 * $1 }.reduce(0, +) / (x.reduce(0, +) * y.reduce(0, +)).squareRoot() }
    var same: Float = 0, diff: Float = 0
    for i in 0..<20 { same += overlap(a.drawing(i, 0), a.drawing(i, 1)); diff += overlap(a.drawing(i, 0), a.drawing(i + 20, 1)) }
    #expect(same > diff)
    #expect(Set(a.characters(.train)).isDisjoint(with: a.characters(.test)))
  }
}

@Suite(.serialized) struct RunTests {
  /// A tiny Lake-format folder: `runs` runs, `ways` classes, one test item per class.
  func writeOneShotRuns(_ d: String, runs: Int, ways: Int) throws {
    let g = GlyphSource(seed: 9)
    for r in 1...runs {
      let name = String(format: "run%02d", r)
      try FileManager.default.createDirectory(atPath: "\(d)/\(name)/training", withIntermediateDirectories: true)
      try FileManager.default.createDirectory(atPath: "\(d)/\(name)/test", withIntermediateDirectories: true)
      var lines: [String] = []
      for k in 0..<ways {
        let cls = String(format: "class%02d.png", k + 1), item = String(format: "item%02d.png", ways - k)
        try PNGFile.write(ImageOps.grayImage(g.drawing(r * 100 + k, 0), side: 28), to: "\(d)/\(name)/training/\(cls)")
        try PNGFile.write(ImageOps.grayImage(g.drawing(r * 100 + k, 1), side: 28), to: "\(d)/\(name)/test/\(item)")
        lines.append("\(name)/test/\(item) \(name)/training/\(cls)")
      }
      try (lines.joined(separator: "\n") + "\n").write(toFile: "\(d)/\(name)/class_labels.txt", atomically: true, encoding: .utf8)
    }
  }

  @Test func oneShotRunsParseAndEvaluate() throws {
    let d = tempDir("oneshot"); defer { try? FileManager.default.removeItem(atPath: d) }
    try writeOneShotRuns(d, runs: 2, ways: 4)
    let runs = try OneShotRuns.parse(d)
    #expect(runs.map(\.name) == ["run01", "run02"])
    #expect(runs[0].training.count == 4 && runs[0].items.count == 4)
    #expect(runs[0].items.contains { $0.0.hasSuffix("run01/test/item04.png") && $0.1 == 0 })
    let accs = try OneShotRuns.evaluate(runs, learner: FewShotLearner(tinyConfig(ways: 4)))
    #expect(accs.count == 2 && accs.allSatisfy { $0.1 >= 0 && $0.1 <= 1 })
    // A model with fewer output classes than the runs' ways cannot take them.
    #expect(throws: FewShotError.self) { try OneShotRuns.evaluate(runs, learner: FewShotLearner(tinyConfig(ways: 3))) }
    // The encoder's nearest prototype: each item goes to the training image whose feature is nearest.
    let l = FewShotLearner(tinyConfig(ways: 4))
    l.model.training = false
    let byPrototypes = try OneShotRuns.evaluate(runs, learner: l, head: .prototypes)
    #expect(byPrototypes.contains { $0.1 > 0 }, "some item is matched, so a head that never answers would fail")
    for (run, (_, accuracy)) in zip(runs, byPrototypes) {
      let images = try (run.training + run.items.map(\.0)).flatMap { ImageOps.prepare(try PNGFile.read($0), side: 28) }
      let F = l.model.encoder.featureDim
      let f = images.withUnsafeBufferPointer { Array(UnsafeBufferPointer(start: l.model.encoder.forward($0.baseAddress!, N: 8), count: 8 * F)) }
      func distance(_ i: Int, _ j: Int) -> Float { (0..<F).map { k in (f[i * F + k] - f[j * F + k]) * (f[i * F + k] - f[j * F + k]) }.reduce(0, +) }
      let hits = run.items.enumerated().filter { i, item in (0..<4).min { distance(4 + i, $0) < distance(4 + i, $1) } == item.1 }.count
      #expect(accuracy == Double(hits) / 4, "\(run.name)")
    }
    #expect(throws: FewShotError.self) { try OneShotRuns.evaluate(runs, learner: l, head: .prototypes, ensemble: 2) }
    let jittered = try OneShotRuns.evaluate(runs, learner: l, head: .prototypes, ensemble: 3, viewJitter: .standard)
    let views = try OneShotRuns.evaluate(runs, learner: l, ensemble: 3, viewJitter: .standard)
    #expect(jittered.count == 2 && views.count == 2)
    // A label line naming an unknown training image is a one-line error.
    try "run01/test/item01.png run01/training/class99.png\n".write(toFile: "\(d)/run01/class_labels.txt", atomically: true, encoding: .utf8)
    #expect(throws: FewShotError.self) { try OneShotRuns.parse(d) }
  }

  @Test func curriculumEpisodesUseFewerClassesOnRandomLabelSlots() throws {
    let g = GlyphSource(seed: 2, train: 30, valid: 10, test: 10)
    let B = 40
    var sampler = try EpisodeSampler(source: g, split: .train, ways: 5, shots: 1, seed: 4)
    let e = sampler.next(batch: B, active: 2)
    #expect(e.L == 3)
    var slotsUsed = Set<Int>()
    for b in 0..<B {
      let support = [e.inputLabels[b], e.inputLabels[B + b]]
      #expect(Set(support).count == 2 && support.allSatisfy { (0..<5).contains($0) })
      slotsUsed.formUnion(support)
      let q = 2 * B + b
      #expect(e.inputLabels[q] == 0 && support.contains(e.targets[q]))
      // The query is a drawing of the same class as the support step that carries the target label.
      func classOf(_ t: Int) -> ClassID? {
        let img = Array(e.images[((t * B + b) * 784)..<((t * B + b + 1) * 784)])
        return e.classes[b].first { c in
          (0..<g.drawingCount(c.character)).contains { ImageOps.rotated(g.drawing(c.character, $0), n: 28, quarter: c.rotation) == img }
        }
      }
      let supportStep = support[0] == e.targets[q] ? 0 : 1
      #expect(classOf(supportStep) != nil && classOf(supportStep) == classOf(2))
      #expect(classOf(0) != classOf(1))
    }
    #expect(slotsUsed == Set(0..<5))                       // every slot is used across the batch
    // All ways (or more than all) is the ordinary episode.
    var a = try EpisodeSampler(source: g, split: .train, ways: 5, shots: 1, seed: 4)
    var b = try EpisodeSampler(source: g, split: .train, ways: 5, shots: 1, seed: 4)
    #expect(a.next(batch: 3, active: 5).images == b.next(batch: 3).images)
  }

  @Test func curriculumAddsAClassWhenAccuracyIsHalfwayFromChance() {
    var c = WaysCurriculum(ways: 4)
    #expect(c.active == 2 && c.threshold == 0.75)
    var added = 0
    for _ in 0..<99 { added += c.record(1) ? 1 : 0 }         // a full window is needed
    #expect(added == 0 && c.active == 2)
    let now = c.record(1)
    #expect(now && c.active == 3)
    for _ in 0..<300 { c.record(0.6) }                       // 3-way needs 2/3
    #expect(c.active == 3)
    for _ in 0..<100 { c.record(0.7) }
    #expect(c.active == 4)
    let beyond = c.record(1)
    #expect(!beyond && c.active == 4)                         // never beyond the model's ways
  }

  @Test func curriculumRunStartsAtTwoWaysAndCarriesItsStage() throws {
    var c = tinyConfig()
    c.ways = 3; c.steps = 4; c.batch = 4; c.validEvery = 2; c.validEpisodes = 8; c.curriculum = true
    let d = tempDir("curriculum"); defer { try? FileManager.default.removeItem(atPath: d) }
    let t = try FewShotTrainer(c, source: GlyphSource(seed: 3), out: d)
    var ways: [Int] = []
    try t.run { ways.append($0.activeWays) }
    #expect(!ways.isEmpty && ways.allSatisfy { $0 == 2 })
    let (_, meta) = try FewShotLearner.load(d + "/last.safetensors")
    #expect(meta["active_ways"] == "2")
    #expect(try FewShotLearner.load(d + "/best.safetensors").1["active_ways"] == "2")
    c.steps = 6
    let next = try FewShotTrainer(c, source: GlyphSource(seed: 3), out: d)
    #expect(next.activeWays == 2)
    // A checkpoint taken at the 3-way stage continues at that stage.
    try t.learner.save(d + "/stage3.safetensors", info: ["step": "4", "active_ways": "3"])
    try next.continue(from: d + "/stage3.safetensors")
    #expect(next.activeWays == 3)
  }

  @Test func tinyTrainingRunLowersTheLoss() throws {
    var c = tinyConfig()
    c.ways = 2; c.steps = 120; c.batch = 16; c.lr = 3e-3; c.validEvery = 60
    let d = tempDir("train"); defer { try? FileManager.default.removeItem(atPath: d) }
    let t = try FewShotTrainer(c, source: GlyphSource(seed: 3), out: d)
    var lines: [FewShotLog] = []
    let losses = try t.run { lines.append($0) }
    let first = losses.prefix(20).reduce(0, +) / 20, last = losses.suffix(20).reduce(0, +) / 20
    #expect(last < first)
    #expect(lines.contains { $0.validAccuracy != nil })
    #expect(FileManager.default.fileExists(atPath: d + "/best.safetensors"))
    #expect(FileManager.default.fileExists(atPath: d + "/last.safetensors"))
  }

  @Test func prototypeLossTrainsTheEncoderForNearestPrototypeMatching() throws {
    var c = tinyConfig(); c.steps = 60; c.batch = 16; c.lr = 3e-3; c.protoLoss = 1
    let g = GlyphSource(seed: 3)
    let t = try FewShotTrainer(c, source: g, out: nil)
    let before = try t.learner.evaluate(source: g, split: .test, episodes: 100, seed: 5, head: .prototypes).mean
    var lines: [FewShotLog] = []
    try t.run { lines.append($0) }
    let after = try t.learner.evaluate(source: g, split: .test, episodes: 100, seed: 5, head: .prototypes).mean
    #expect(after > before + 0.1, "nearest-prototype accuracy \(before) → \(after)")
    #expect(!lines.isEmpty && lines.allSatisfy { $0.prototypeAccuracy != nil })
    var delayed = c; delayed.mode = "delayed"
    #expect(throws: FewShotError.self) { try delayed.validate() }
    #expect(throws: FewShotError.self) {
      try t.learner.evaluate(source: g, split: .test, episodes: 10, seed: 5, ensemble: 2, head: .prototypes)
    }
  }

  /// --distill adds weight · (softmax − the prototypes' softmax at the temperature) / queries to the model's
  /// logit gradient, on the query rows only, and needs synchronous labels.
  @Test func distillationPullsTheAnswersTowardThePrototypes() throws {
    var plain = tinyConfig(); plain.protoLoss = 1
    var distilled = plain; distilled.distill = 0.5; distilled.distillTemperature = 2
    let g = GlyphSource(seed: 3)
    var sampler = try EpisodeSampler(source: g, split: .train, ways: plain.ways, shots: 1, seed: 4)
    let e = sampler.next(batch: 4)
    let a = FewShotLearner(plain), b = FewShotLearner(distilled), N = plain.ways, n = e.L * e.B
    a.lossAndGradient(e); b.lossAndGradient(e)
    let logits = e.images.withUnsafeBufferPointer { a.model.forward(images: $0.baseAddress!, labels: e.inputLabels, L: e.L, B: e.B) }
    let F = a.model.encoder.featureDim, q = Buffer(n * N), teacher = PrototypeLoss()
    teacher.lossAndGradient(a.model.features!, featureDim: F, L: e.L, B: e.B, supportLabels: a.supportLabels(e), targets: e.targets,
                            classes: N, temperature: 2, probabilities: q.ptr)
    let queries = e.targets.filter { $0 >= 0 }.count
    var worst: Float = 0
    for r in 0..<n {
      var m = -Float.infinity, s: Float = 0
      for j in 0..<N { m = max(m, logits[r * N + j]) }
      for j in 0..<N { s += expf(logits[r * N + j] - m) }
      for j in 0..<N {
        let expected = e.targets[r] >= 0 ? 0.5 * (expf(logits[r * N + j] - m) / s - q.ptr[r * N + j]) / Float(queries) : 0
        worst = max(worst, abs(b.dLogits.ptr[r * N + j] - a.dLogits.ptr[r * N + j] - expected))
      }
    }
    #expect(worst < 1e-5)
    var delayed = distilled; delayed.mode = "delayed"; delayed.protoLoss = nil
    #expect(throws: FewShotError.self) { try delayed.validate() }
  }

  @Test func trainingOnValidationCharactersSkipsValidation() throws {
    let g = GlyphSource(seed: 2, train: 30, valid: 10, test: 10)
    let both = try EpisodeSampler(source: g, split: .train, ways: 5, shots: 1, extraSplits: [.valid], seed: 1)
    #expect(both.classes == g.classes(.train) + g.classes(.valid))
    var c = tinyConfig(); c.steps = 4; c.batch = 4; c.validEvery = 2; c.validEpisodes = 8; c.trainOnValid = true
    let d = tempDir("train-on-valid"); defer { try? FileManager.default.removeItem(atPath: d) }
    let t = try FewShotTrainer(c, source: GlyphSource(seed: 3), out: d)
    var lines: [FewShotLog] = []
    try t.run { lines.append($0) }
    #expect(lines.contains { $0.step == 2 } && lines.allSatisfy { $0.validAccuracy == nil })
    #expect(!t.savedBest && !FileManager.default.fileExists(atPath: d + "/best.safetensors"))
    let (l, meta) = try FewShotLearner.load(d + "/last.safetensors")
    #expect(l.config.trainOnValid == true && meta["step"] == "4")
  }

  @Test(arguments: ["srwm", "delta", "lstm"])
  func checkpointRoundTrip(_ model: String) throws {
    let d = tempDir("ckpt-\(model)"); defer { try? FileManager.default.removeItem(atPath: d) }
    var c = tinyConfig(model: model); c.steps = 3; c.batch = 4; c.validEvery = 3; c.validEpisodes = 8
    let t = try FewShotTrainer(c, source: GlyphSource(seed: 3), out: d)
    try t.run()
    let (l, meta) = try FewShotLearner.load(d + "/last.safetensors")
    #expect(l.config == c && meta["step"] == "3")
    #expect(Array(UnsafeBufferPointer(start: l.model.ps.values.ptr, count: l.model.ps.count))
            == Array(UnsafeBufferPointer(start: t.learner.model.ps.values.ptr, count: t.learner.model.ps.count)))
    #expect(zip(l.model.encoder.batchNorms, t.learner.model.encoder.batchNorms).allSatisfy { $0.runningMean == $1.runningMean && $0.runningVar == $1.runningVar })
    let g = GlyphSource(seed: 3)
    let a = try l.evaluate(source: g, split: .test, episodes: 20, seed: 5), b = try t.learner.evaluate(source: g, split: .test, episodes: 20, seed: 5)
    #expect(a.episodeAccuracy == b.episodeAccuracy)
  }

  @Test func continuingFromLastCheckpoint() throws {
    let d = tempDir("continue"); defer { try? FileManager.default.removeItem(atPath: d) }
    var c = tinyConfig(); c.steps = 4; c.batch = 4; c.validEvery = 2; c.validEpisodes = 8
    let first = try FewShotTrainer(c, source: GlyphSource(seed: 3), out: d)
    try first.run()
    c.steps = 6
    let second = try FewShotTrainer(c, source: GlyphSource(seed: 3), out: d)
    try second.continue(from: d + "/last.safetensors")
    #expect(first.savedBest && second.stepOffset == 4 && second.bestValid == first.bestValid)
    #expect(second.adamState?.t == 4 && second.adamState?.m.count == second.learner.model.ps.count)
    var steps: [Int] = []
    let losses = try second.run { steps.append($0.step) }
    #expect(losses.count == 2 && second.stepsDone == 6 && steps.last == 6)
    // A different architecture is refused with a one-line error.
    var other = c; other.dModel = 64
    #expect(throws: FewShotError.self) { try FewShotTrainer(other, source: GlyphSource(seed: 3), out: nil).continue(from: d + "/last.safetensors") }
    // Continued into another task (delayed labels), the sync run's best validation accuracy does not carry over.
    var delayed = c; delayed.mode = "delayed"
    let third = try FewShotTrainer(delayed, source: GlyphSource(seed: 3), out: nil)
    try third.continue(from: d + "/last.safetensors")
    #expect(first.bestValid >= 0 && third.bestValid == -1 && third.stepOffset == 6)
  }

  @Test func truncatedCheckpointGivesAOneLineError() throws {
    let d = tempDir("trunc"); defer { try? FileManager.default.removeItem(atPath: d) }
    try FewShotLearner(tinyConfig()).save(d + "/m.safetensors")
    let data = try Data(contentsOf: URL(fileURLWithPath: d + "/m.safetensors"))
    try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: d + "/cut.safetensors"))
    do {
      _ = try FewShotLearner.load(d + "/cut.safetensors")
      Issue.record("a truncated checkpoint loaded")
    } catch {
      let s = "\(error)"
      #expect(!s.contains("\n") && s.contains("cut.safetensors") && s.contains("truncated"))
    }
    try Data().write(to: URL(fileURLWithPath: d + "/empty.safetensors"))
    #expect(throws: (any Error).self) { try FewShotLearner.load(d + "/empty.safetensors") }
  }
}
