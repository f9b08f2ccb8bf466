// Omniglot in its standard layout ROOT[/SET]/ALPHABET/characterNN/*.png. The root may hold several
// sets (images_background, images_evaluation, or the two small background sets); a character
// (ALPHABET/characterNN) that appears in more than one set is counted once.
import ArcadeBase
import Foundation

public final class OmniglotSource: FewShotSource {
  public let root: String
  /// Character keys "ALPHABET/characterNN", sorted.
  public let keys: [String]
  /// Drawing files per character (from the first set holding it), sorted.
  public let files: [[String]]
  public let split: CharacterSplit
  public let side: Int
  var cache: [[[Float]]?]
  let splitIndices: [Split: [Int]]

  /// Finds every character folder under `root` without decoding anything.
  public static func scan(_ root: String) throws -> [String: [String]] {
    let fm = FileManager.default
    var isDir: ObjCBool = false
    guard fm.fileExists(atPath: root, isDirectory: &isDir), isDir.boolValue else {
      throw FewShotError("\(root): no such folder (expected Omniglot's ALPHABET/characterNN/*.png layout)")
    }
    func subdirs(_ p: String) -> [String] {
      ((try? fm.contentsOfDirectory(atPath: p)) ?? []).filter { n in
        var d: ObjCBool = false
        return !n.hasPrefix(".") && fm.fileExists(atPath: p + "/" + n, isDirectory: &d) && d.boolValue
      }.sorted()
    }
    var out: [String: [String]] = [:]
    // An alphabet folder holds character* folders; look at depth 1 (root is a set) and depth 2 (root holds sets).
    func visitAlphabet(_ path: String, _ alphabet: String) {
      for ch in subdirs(path) where ch.hasPrefix("character") {
        let key = alphabet + "/" + ch
        if out[key] != nil { continue }   // same character in another set: counted once
        let dir = path + "/" + ch
        let pngs = ((try? fm.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".png") }.sorted()
        if !pngs.isEmpty { out[key] = pngs.map { dir + "/" + $0 } }
      }
    }
    for a in subdirs(root) {
      let inner = subdirs(root + "/" + a)
      if inner.contains(where: { $0.hasPrefix("character") }) { visitAlphabet(root + "/" + a, a) }
      else { for b in inner { visitAlphabet(root + "/" + a + "/" + b, b) } }
    }
    guard !out.isEmpty else { throw FewShotError("\(root): no Omniglot characters found (ALPHABET/characterNN/*.png)") }
    return out
  }

  /// `heldOutAlphabets`: split by whole alphabets (validation, test) instead of by characters with `seed`.
  public init(root: String, seed: UInt64 = 0, heldOutAlphabets: (valid: [String], test: [String])? = nil,
              side: Int = 28) throws {
    self.root = root; self.side = side
    let found = try OmniglotSource.scan(root)
    keys = found.keys.sorted()
    files = keys.map { found[$0]! }
    if let h = heldOutAlphabets {
      split = try CharacterSplit(keys: keys, validAlphabets: h.valid, testAlphabets: h.test)
    } else {
      split = CharacterSplit(keys: keys, seed: seed)
    }
    var idx: [String: Int] = [:]
    for (i, k) in keys.enumerated() { idx[k] = i }
    var s: [Split: [Int]] = [:]
    for sp in Split.allCases { s[sp] = split.keys(sp).map { idx[$0]! } }
    splitIndices = s
    cache = Array(repeating: nil, count: keys.count)
  }

  public var summary: String {
    "omniglot \(root) (\(keys.count) characters: \(split.train.count) train, \(split.valid.count) valid, \(split.test.count) test)"
  }
  public func characters(_ s: Split) -> [Int] { splitIndices[s]! }
  public func drawingCount(_ c: Int) -> Int { files[c].count }
  public func alphabet(_ c: Int) -> String? { keys[c].split(separator: "/").first.map(String.init) }

  /// Decodes and resizes every drawing of a split's characters now (otherwise done on first use).
  public func preload(_ s: Split) throws { for c in characters(s) { _ = try load(c) } }

  func load(_ c: Int) throws -> [[Float]] {
    if let d = cache[c] { return d }
    let d = try files[c].map { ImageOps.prepare(try PNGFile.read($0), side: side) }
    cache[c] = d
    return d
  }

  public func drawing(_ c: Int, _ i: Int) -> [Float] {
    do { return try load(c)[i] } catch {
      // Files were listed at start-up; a file that became unreadable is fatal for the run.
      fatalError("\(error)")
    }
  }
}
