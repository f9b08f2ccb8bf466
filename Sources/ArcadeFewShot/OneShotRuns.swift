// Lake et al.'s 20-way one-shot benchmark format: DIR/runNN/{training/classNN.png (20), test/itemNN.png (20),
// class_labels.txt}, each label line "runNN/test/itemXX.png runNN/training/classYY.png".
// One episode per test item: the 20 training images (labels 0..19 in file order), then the item as query.
import ArcadeBase
import Foundation

public struct OneShotRun: Sendable, Equatable {
  public var name: String
  /// Training images (one per class), sorted; class label = index.
  public var training: [String]
  /// (test image, index of its class in `training`)
  public var items: [(String, Int)]
  public static func == (a: OneShotRun, b: OneShotRun) -> Bool {
    a.name == b.name && a.training == b.training && a.items.map(\.0) == b.items.map(\.0) && a.items.map(\.1) == b.items.map(\.1)
  }
}

public enum OneShotRuns {
  /// Parses every runNN folder under `dir`.
  public static func parse(_ dir: String) throws -> [OneShotRun] {
    let fm = FileManager.default
    guard let names = try? fm.contentsOfDirectory(atPath: dir) else { throw FewShotError("\(dir): cannot list folder") }
    let runs = names.filter { $0.hasPrefix("run") }.sorted()
    guard !runs.isEmpty else { throw FewShotError("\(dir): no runNN folders") }
    return try runs.map { run in
      let rdir = dir + "/" + run
      let labels = rdir + "/class_labels.txt"
      guard let text = try? String(contentsOfFile: labels, encoding: .utf8) else { throw FewShotError("\(labels): cannot read") }
      let training = ((try? fm.contentsOfDirectory(atPath: rdir + "/training")) ?? []).filter { $0.hasSuffix(".png") }.sorted()
      guard !training.isEmpty else { throw FewShotError("\(rdir)/training: no PNG images") }
      var items: [(String, Int)] = []
      for (i, line) in text.split(whereSeparator: \.isNewline).enumerated() {
        let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        if parts.isEmpty { continue }
        guard parts.count == 2 else { throw FewShotError("\(labels):\(i + 1): expected 'runNN/test/itemXX.png runNN/training/classYY.png'") }
        // Paths are relative to DIR (runNN/...) or to the run (test/...): keep the last two components.
        func tail(_ p: String) -> (String, String) {
          let c = p.split(separator: "/").map(String.init)
          return (c.count >= 2 ? c[c.count - 2] : "", c.last ?? "")
        }
        let (td, tf) = tail(parts[0]), (cd, cf) = tail(parts[1])
        guard td == "test", cd == "training", let k = training.firstIndex(of: cf) else {
          throw FewShotError("\(labels):\(i + 1): '\(line)' does not name a test item and one of the run's training images")
        }
        items.append((rdir + "/test/" + tf, k))
      }
      guard !items.isEmpty else { throw FewShotError("\(labels): no label lines") }
      return OneShotRun(name: run, training: training.map { rdir + "/training/" + $0 }, items: items)
    }
  }

  /// Accuracy per run (fraction of test items classified right) with a learner of at least 20 ways.
  /// `head`, `ensemble`, `viewJitter` and `others` as in `FewShotLearner.evaluate`; `seed` draws the views.
  public static func evaluate(_ runs: [OneShotRun], learner: FewShotLearner, head: AnswerHead = .model, ensemble: Int = 1,
                              viewJitter: ImageJitter? = nil, joining others: [FewShotLearner] = [],
                              seed: UInt64 = 12345) throws -> [(String, Double)] {
    try learner.checkAnswering(head: head, ensemble: ensemble, jittered: viewJitter != nil, secondTask: false, joined: !others.isEmpty)
    let side = learner.config.side, P = side * side
    let panel = [learner] + others, was = panel.map(\.model.training)
    for l in panel { l.model.training = false }
    defer { for (l, w) in zip(panel, was) { l.model.training = w } }
    var viewOrder = PCG32(seed: seed, stream: 0xe5e)
    return try runs.map { run in
      let ways = run.training.count
      guard ways <= learner.config.ways else {
        throw FewShotError("\(run.name) is \(ways)-way; the model was trained with --ways \(learner.config.ways) (train one with --ways \(ways))")
      }
      let support = try run.training.map { ImageOps.prepare(try PNGFile.read($0), side: side) }
      let queries = try run.items.map { ImageOps.prepare(try PNGFile.read($0.0), side: side) }
      let L = ways + 1, B = queries.count
      var images = [Float](repeating: 0, count: L * B * P)
      var labels = [Int](repeating: 0, count: L * B), targets = [Int](repeating: -1, count: L * B)
      for b in 0..<B {
        for t in 0..<ways {
          for i in 0..<P { images[(t * B + b) * P + i] = support[t][i] }
          labels[t * B + b] = t
        }
        for i in 0..<P { images[(ways * B + b) * P + i] = queries[b][i] }
        labels[ways * B + b] = 0   // dummy label
        targets[ways * B + b] = run.items[b].1
      }
      let e = EpisodeBatch(L: L, B: B, side: side, images: images, inputLabels: labels,
                           targets: targets, shotIndex: [Int](repeating: 0, count: L * B), classes: [])
      let p = learner.answers(e, head: head, members: ensemble, jitter: viewJitter, joining: others, rng: &viewOrder)
      let hits = (0..<B).filter { p[ways * B + $0] == run.items[$0].1 }.count
      return (run.name, Double(hits) / Double(B))
    }
  }
}
