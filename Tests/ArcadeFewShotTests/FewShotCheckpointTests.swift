// A few-shot checkpoint's stored config is checked against its documented ranges, and its tensors against
// the shapes that config implies, before the model is built: each bad value is a one-line error naming the
// file and the field. A seeded mutation fuzz of a real small checkpoint only ever loads or throws.
import ArcadeBase
@testable import ArcadeFewShot
import ArcadeNN
import Foundation
import Testing

@Suite struct FewShotCheckpointChecks {
  /// A valid tiny 2-way srwm checkpoint and the learner it came from.
  func valid(_ dir: String) throws -> (path: String, learner: FewShotLearner) {
    let l = FewShotLearner(tinyConfig(ways: 2))
    let path = dir + "/valid.safetensors"
    try l.save(path, info: ["step": "3"])
    return (path, l)
  }

  /// The same weights saved with one config field replaced by `value` (any JSON value).
  func withConfig(_ l: FewShotLearner, _ field: String, _ value: Any, to path: String) throws {
    var c = try JSONSerialization.jsonObject(with: JSONEncoder().encode(l.config)) as! [String: Any]
    c[field] = value
    let json = String(decoding: try JSONSerialization.data(withJSONObject: c), as: UTF8.self)
    try Checkpoint.save(l.model.ps, to: path, extra: l.bnExtra, metadata: ["fewshot.config": json])
  }

  func expectError(_ path: String, _ words: [String], sourceLocation: SourceLocation = #_sourceLocation) {
    do {
      _ = try FewShotLearner.load(path)
      Issue.record("\(words): loaded without an error", sourceLocation: sourceLocation)
    } catch {
      let s = "\(error)"
      #expect(s.contains(path) && !s.contains("\n") && words.allSatisfy { s.contains($0) }, "\(s)", sourceLocation: sourceLocation)
    }
  }

  var badValues: [(String, Any, [String])] { [
    ("heads", 0, ["'heads' = 0", "1…64"]), ("heads", 3, ["'heads' = 3", "does not divide", "'dModel' = 32"]),
    ("heads", -2, ["'heads' = -2"]), ("dModel", 3, ["'heads' = 4", "'dModel' = 3"]),
    ("dModel", 100_000, ["'dModel' = 100000", "1…4096"]), ("layers", -1, ["'layers' = -1"]), ("layers", 0, ["'layers' = 0"]),
    ("layers", 100_000, ["'layers' = 100000", "1…64"]), ("ways", -1, ["'ways' = -1"]), ("ways", 0, ["'ways' = 0"]),
    ("ffDim", -5, ["'ffDim' = -5"]), ("lstmHidden", Int.max, ["'lstmHidden'"]), ("convChannels", 0, ["'convChannels' = 0"]),
    ("shots", 0, ["'shots' = 0"]), ("batch", -1, ["'batch' = -1"]), ("convChannels", 1e30, ["config is not valid"]),
    ("heads", "four", ["'heads'", "wrong type"]), ("model", "gpt", ["--model"]),
    // In range, but not what the tensors were saved with: the header does not match the config.
    ("heads", 8, ["tensor 'layers.0.Wy' has shape [4, 8, 8]", "[8, 4, 4]"]), ("ways", 3, ["'input_proj.weight'", "[32, 11]"]),
  ] }

  @Test func badConfigValuesNameTheField() throws {
    let d = tempDir("ckpt-config"); defer { try? FileManager.default.removeItem(atPath: d) }
    let (path, l) = try valid(d)
    _ = try FewShotLearner.load(path)
    for (i, (field, value, words)) in badValues.enumerated() {
      let p = d + "/bad\(i)-\(field).safetensors"
      try withConfig(l, field, value, to: p)
      expectError(p, words)
    }
    var c = try JSONSerialization.jsonObject(with: JSONEncoder().encode(l.config)) as! [String: Any]
    c["layers"] = nil
    try Checkpoint.save(l.model.ps, to: d + "/nolayers.safetensors", extra: l.bnExtra,
                        metadata: ["fewshot.config": String(decoding: try JSONSerialization.data(withJSONObject: c), as: UTF8.self)])
    expectError(d + "/nolayers.safetensors", ["'layers' is missing"])
  }

  @Test func missingStatisticsAndNonFiniteWeightsAreRefused() throws {
    let d = tempDir("ckpt-tensors"); defer { try? FileManager.default.removeItem(atPath: d) }
    let (_, l) = try valid(d)
    let json = String(decoding: try JSONEncoder().encode(l.config), as: UTF8.self)
    try Checkpoint.save(l.model.ps, to: d + "/nobn.safetensors", extra: Array(l.bnExtra.dropFirst()), metadata: ["fewshot.config": json])
    expectError(d + "/nobn.safetensors", ["missing tensor 'encoder.bn0.running_mean'"])
    var bn = l.bnExtra
    bn[3].2[1] = .nan
    try Checkpoint.save(l.model.ps, to: d + "/nan.safetensors", extra: bn, metadata: ["fewshot.config": json])
    expectError(d + "/nan.safetensors", ["'\(bn[3].0)'", "non-finite"])
    try Checkpoint.save(l.model.ps, to: d + "/extra.safetensors", extra: l.bnExtra + [("mystery", [2], [1, 2])], metadata: ["fewshot.config": json])
    expectError(d + "/extra.safetensors", ["unknown tensor 'mystery'"])
    try l.save(d + "/step.safetensors", info: ["step": "-5"])
    do {
      try FewShotTrainer(l.config, source: GlyphSource(seed: 3), out: nil).continue(from: d + "/step.safetensors")
      Issue.record("continued from step -5")
    } catch { #expect("\(error)".contains("'step' = -5")) }
  }

  /// Random byte flips, digit edits in the header and truncations of a real small checkpoint: every load
  /// either succeeds or throws a one-line error naming the file (a trap would kill the test process).
  @Test func mutationFuzzOnlyLoadsOrThrows() throws {
    let d = tempDir("ckpt-fuzz"); defer { try? FileManager.default.removeItem(atPath: d) }
    let (path, _) = try valid(d)
    let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    var headerEnd = 8
    for i in 0..<8 { headerEnd += Int(original[i]) << (8 * i) }
    // Digits before the first "dtype" are the metadata's (stored config, grid sizes), where loaders trapped.
    let dtype = Array("\"dtype\"".utf8)
    let firstEntry = (8..<headerEnd).first { Array(original[$0..<min($0 + dtype.count, headerEnd)]) == dtype } ?? headerEnd
    let metaDigits = (8..<firstEntry).filter { (48...57).contains(original[$0]) }
    var rng = PCG32(seed: 14, stream: 2)
    let mutants = 600, target = d + "/mutant.safetensors"
    var loaded = 0, refused = 0
    for _ in 0..<mutants {
      var b = original
      switch rng.below(6) {
      case 0:   // a few random bytes anywhere
        for _ in 0...rng.below(4) { b[rng.below(b.count)] ^= UInt8(1 << rng.below(8)) }
      case 1:   // a byte of the length prefix or the header
        b[rng.below(headerEnd)] = UInt8(truncatingIfNeeded: rng.next())
      case 2:   // one digit of the header replaced by another digit or a sign
        let digits = (8..<headerEnd).filter { (48...57).contains(b[$0]) }
        b[digits[rng.below(digits.count)]] = Array("0123456789-9".utf8)[rng.below(12)]
      case 3:   // truncated
        b = Array(b.prefix(rng.below(b.count)))
      case 5:   // one digit of the metadata replaced by another digit or a sign
        b[metaDigits[rng.below(metaDigits.count)]] = Array("0123456789-".utf8)[rng.below(11)]
      default:  // a byte inserted into or removed from the header
        let i = 8 + rng.below(headerEnd - 8)
        if rng.coin() { b.insert(UInt8(ascii: "1"), at: i) } else { b.remove(at: i) }
      }
      try Data(b).write(to: URL(fileURLWithPath: target))
      do { _ = try FewShotLearner.load(target); loaded += 1 } catch {
        refused += 1
        let s = "\(error)"
        #expect(s.contains(target) && !s.contains("\n"), "\(s)")
      }
    }
    print("few-shot checkpoint fuzz: \(mutants) mutants, \(loaded) loaded, \(refused) refused with an error, 0 crashes")
    #expect(loaded + refused == mutants && refused > mutants / 4)
  }
}
