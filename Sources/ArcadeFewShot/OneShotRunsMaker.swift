// Builds one-shot runs in Lake et al.'s layout (the format `OneShotRuns.parse` reads) from Omniglot characters
// of one split: each run takes `ways` characters of one alphabet and two drawers; the first drawer's
// drawings are the training images (one per class), the second's the test items, listed in a shuffled
// order in class_labels.txt. Alphabets take turns, as in Lake et al.'s 20 runs (two per alphabet).
import ArcadeBase
import Foundation

public enum OneShotRunsMaker {
  /// Writes DIR/run01 … runNN (the folder must not exist; it appears whole or not at all) and returns the
  /// alphabet of each run.
  @discardableResult
  public static func make(_ source: OmniglotSource, split: Split, runs: Int = 20, ways: Int = 20, seed: UInt64,
                          into dir: String) throws -> [String] {
    let fm = FileManager.default
    guard runs >= 1, runs <= 99, ways >= 2, ways <= 99 else { throw FewShotError("runs and ways must be in 1…99 and 2…99") }
    guard !fm.fileExists(atPath: dir) else { throw FewShotError("\(dir): already exists") }
    var byAlphabet: [String: [Int]] = [:]
    for c in source.characters(split) { byAlphabet[source.alphabet(c) ?? "", default: []].append(c) }
    let eligible = byAlphabet.keys.sorted().filter { byAlphabet[$0]!.count >= ways }
    guard !eligible.isEmpty else {
      throw FewShotError("no \(split.rawValue) alphabet has \(ways) characters (\(byAlphabet.keys.sorted().map { "\($0) \(byAlphabet[$0]!.count)" }.joined(separator: ", ")))")
    }
    var rng = PCG32(seed: seed, stream: 0x1a4e)
    func distinct(_ k: Int, of n: Int) -> [Int] {
      var pool = Array(0..<n)
      for i in 0..<k { pool.swapAt(i, i + rng.below(n - i)) }
      return Array(pool[0..<k])
    }
    let tmp = dir + ".partial-\(getpid())"
    try? fm.removeItem(atPath: tmp)
    var alphabets: [String] = []
    do {
      for r in 0..<runs {
        let a = eligible[r % eligible.count], chars = byAlphabet[a]!
        let chosen = distinct(ways, of: chars.count).map { chars[$0] }
        let drawers = chosen.map(source.drawingCount).min()!
        guard drawers >= 2 else { throw FewShotError("alphabet \(a) has a character with fewer than 2 drawings") }
        let d = distinct(2, of: drawers)
        let name = String(format: "run%02d", r + 1), rdir = tmp + "/" + name
        try fm.createDirectory(atPath: rdir + "/training", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: rdir + "/test", withIntermediateDirectories: true)
        var order = Array(0..<ways)
        rng.shuffle(&order)
        var lines: [String] = []
        for (i, c) in chosen.enumerated() {
          try fm.copyItem(atPath: source.files[c][d[0]], toPath: rdir + String(format: "/training/class%02d.png", i + 1))
        }
        for (j, k) in order.enumerated() {
          let item = String(format: "test/item%02d.png", j + 1)
          try fm.copyItem(atPath: source.files[chosen[k]][d[1]], toPath: rdir + "/" + item)
          lines.append("\(name)/\(item) \(name)/" + String(format: "training/class%02d.png", k + 1))
        }
        try AtomicFile.write(Array((lines.joined(separator: "\n") + "\n").utf8), to: rdir + "/class_labels.txt")
        alphabets.append(a)
      }
      try fm.moveItem(atPath: tmp, toPath: dir)
    } catch {
      try? fm.removeItem(atPath: tmp)
      throw error
    }
    return alphabets
  }
}
