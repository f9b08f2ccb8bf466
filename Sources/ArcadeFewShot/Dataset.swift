// Class sources for episodes: Omniglot characters or procedurally generated glyphs, with
// character-level meta-train / validation / test splits and rotation class augmentation.
import ArcadeBase

public enum Split: String, CaseIterable, Sendable { case train, valid, test }

/// One class of an episode: a base character and a rotation (0..3 quarter turns).
public struct ClassID: Hashable, Sendable {
  public var character: Int, rotation: Int
  public init(character: Int, rotation: Int) { self.character = character; self.rotation = rotation }
}

public protocol FewShotSource: AnyObject {
  /// A short description: "omniglot PATH (242 characters)" or "glyphs seed 1".
  var summary: String { get }
  /// Base characters of a split (indices into the source).
  func characters(_ split: Split) -> [Int]
  /// Drawings available for a character.
  func drawingCount(_ character: Int) -> Int
  /// Side of the square drawings.
  var side: Int { get }
  /// Unrotated side×side ink map of one drawing.
  func drawing(_ character: Int, _ index: Int) -> [Float]
  /// The alphabet of a character (Omniglot), or nil when the source has none (glyphs).
  func alphabet(_ character: Int) -> String?
}

public extension FewShotSource {
  func alphabet(_ character: Int) -> String? { nil }

  /// Classes of a split: each character under 0°, 90°, 180° and 270° when `rotations` (class augmentation).
  func classes(_ split: Split, rotations: Bool = true) -> [ClassID] {
    characters(split).flatMap { c in (rotations ? 0..<4 : 0..<1).map { ClassID(character: c, rotation: $0) } }
  }
}

/// A reproducible character-level split: the sorted keys shuffled with PCG32(seed), then cut by fractions.
public struct CharacterSplit: Sendable, Equatable {
  public var train: [String], valid: [String], test: [String]
  public static let defaultFractions = (train: 0.6, valid: 0.15)

  public init(keys: [String], seed: UInt64, trainFraction: Double = 0.6, validFraction: Double = 0.15) {
    var k = Array(Set(keys)).sorted()
    var rng = PCG32(seed: seed, stream: 0x5b17)
    rng.shuffle(&k)
    let nt = Int((Double(k.count) * trainFraction).rounded()), nv = Int((Double(k.count) * validFraction).rounded())
    train = Array(k[0..<nt]).sorted()
    valid = Array(k[nt..<min(k.count, nt + nv)]).sorted()
    test = Array(k[min(k.count, nt + nv)...]).sorted()
  }

  /// A split by whole alphabets (keys "ALPHABET/characterNN"): the named alphabets' characters are the
  /// validation and test sets, every other alphabet's are the training set. An alphabet named twice, or
  /// one the keys do not have, is an error.
  public init(keys: [String], validAlphabets: [String], testAlphabets: [String]) throws {
    let k = Array(Set(keys)).sorted()
    func alphabet(_ key: String) -> String { String(key.split(separator: "/").first ?? "") }
    let known = Set(k.map(alphabet))
    if let a = (validAlphabets + testAlphabets).first(where: { !known.contains($0) }) {
      throw FewShotError("alphabet '\(a)' is not in the data (alphabets: \(known.sorted().joined(separator: ", ")))")
    }
    if let a = validAlphabets.first(where: { testAlphabets.contains($0) }) {
      throw FewShotError("alphabet '\(a)' is named for both validation and test")
    }
    valid = k.filter { validAlphabets.contains(alphabet($0)) }
    test = k.filter { testAlphabets.contains(alphabet($0)) }
    train = k.filter { !validAlphabets.contains(alphabet($0)) && !testAlphabets.contains(alphabet($0)) }
    guard !train.isEmpty else { throw FewShotError("no alphabet is left for training") }
  }

  public func keys(_ s: Split) -> [String] { s == .train ? train : s == .valid ? valid : test }

  /// The split written down: one "split key" line per character.
  public var text: String {
    Split.allCases.flatMap { s in keys(s).map { "\(s.rawValue) \($0)" } }.joined(separator: "\n") + "\n"
  }
}
