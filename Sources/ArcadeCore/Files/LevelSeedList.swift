/// A text file of level seeds: one seed per line, optionally followed by its sampling weight;
/// blank lines and `#` comments are skipped. Either every seed has a weight or none has.
///
///     # seeds 0-2, level 1 twice as likely
///     0 1
///     1 2
///     2 1
public enum LevelSeedList {
  public static let maxBytes = 16 << 20

  /// The seeds and weights (nil when the file gives none) of a file's text.
  public static func parse(_ text: String, path: String) throws -> (seeds: [UInt32], weights: [Double]?) {
    var seeds: [UInt32] = [], weights: [Double] = []
    var weighted: Bool?
    for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
      let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
      if fields.isEmpty { continue }
      func problem(_ what: String) -> ArcadeError { ArcadeError("\(path):\(i + 1): \(what)") }
      guard fields.count <= 2 else { throw problem("expected 'SEED' or 'SEED WEIGHT', got '\(line)'") }
      guard let seed = UInt32(fields[0]), seed < UInt32(Int32.max) else {
        throw problem("level seed '\(fields[0])' is not an integer in 0...\(Int32.max - 1)")
      }
      let hasWeight = fields.count == 2
      if let w = weighted, w != hasWeight { throw problem("either every seed has a weight or none has") }
      weighted = hasWeight
      if hasWeight {
        guard let w = Double(fields[1]), w.isFinite, w >= 0 else {
          throw problem("weight '\(fields[1])' is not a finite number ≥ 0")
        }
        weights.append(w)
      }
      seeds.append(seed)
    }
    guard !seeds.isEmpty else { throw ArcadeError("\(path): no level seeds") }
    if weighted == true, !weights.contains(where: { $0 > 0 }) { throw ArcadeError("\(path): every weight is 0") }
    return (seeds, weighted == true ? weights : nil)
  }

  public static func read(_ path: String) throws -> (seeds: [UInt32], weights: [Double]?) {
    try parse(try AtomicFile.readText(path, limit: maxBytes), path: path)
  }
}
