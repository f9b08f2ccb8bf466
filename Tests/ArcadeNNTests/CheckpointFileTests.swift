// A checkpoint's header is checked before anything is sized by it: every byte-level corruption of a small
// valid file (shifted offsets, a short header length, overlapping, extra or missing tensors, NaN/inf
// weights, odd JSON) is a one-line CheckpointError naming the file and the tensor, never a trap.
import ArcadeNN
import ArcadeNNTestSupport
import ArcadeTensor
import Foundation
import Testing

/// A safetensors file taken apart: the header object and the data region, written back with an optional
/// error in the header length.
struct RawCheckpoint {
  var header: [String: Any]
  var data: Data

  init(_ bytes: Data) throws {
    var n = 0
    for i in 0..<8 { n |= Int(bytes[i]) << (8 * i) }
    header = try JSONSerialization.jsonObject(with: bytes.subdata(in: 8..<(8 + n))) as! [String: Any]
    data = bytes.subdata(in: (8 + n)..<bytes.count)
  }

  func bytes(headerLengthDelta: Int = 0) throws -> Data {
    var h = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
    while h.count % 8 != 0 { h.append(UInt8(ascii: " ")) }
    var out = Data()
    var len = UInt64(h.count + headerLengthDelta).littleEndian
    withUnsafeBytes(of: &len) { out.append(contentsOf: $0) }
    return out + h + data
  }

  /// Replaces one field of a tensor's entry.
  mutating func set(_ tensor: String, _ key: String, _ value: Any) {
    var e = header[tensor] as! [String: Any]
    e[key] = value
    header[tensor] = e
  }
  func offsets(_ tensor: String) -> [Int] { (header[tensor] as! [String: Any])["data_offsets"] as! [Int] }
}

@Suite struct CheckpointFileChecks {
  let scratch = ScratchDirectory("arcade-ckptfile")
  var dir: String { scratch.path }

  /// Three tensors a [2,3], b [4], c [3] and one metadata string.
  func store() -> ParamStore {
    let ps = ParamStore()
    for (name, shape) in [("a", [2, 3]), ("b", [4]), ("c", [3])] {
      let r = ps.register(name, shape)
      for i in 0..<r.count { ps.w(r)[i] = Float(i) + 0.5 }
    }
    return ps
  }

  func valid() throws -> RawCheckpoint {
    let path = dir + "/valid-\(UUID().uuidString).safetensors"
    try Checkpoint.save(store(), to: path, metadata: ["note": "x"])
    return try RawCheckpoint(Data(contentsOf: URL(fileURLWithPath: path)))
  }

  /// Loading `bytes` into the three-tensor store must throw an error that names the file and contains `words`.
  func expectError(_ bytes: Data, _ name: String, _ words: String..., sourceLocation: SourceLocation = #_sourceLocation) {
    let path = dir + "/" + name + "-\(UUID().uuidString.prefix(8)).safetensors"
    try? bytes.write(to: URL(fileURLWithPath: path))
    do {
      try Checkpoint.load(store(), from: path)
      try CheckpointFile(path).expect(store().params)
      Issue.record("\(name): loaded without an error", sourceLocation: sourceLocation)
    } catch {
      let s = "\(error)"
      #expect(s.contains(path) && !s.contains("\n") && words.allSatisfy { s.contains($0) }, "\(name): \(s)", sourceLocation: sourceLocation)
    }
  }

  @Test func aValidFileLoads() throws {
    let path = dir + "/ok.safetensors"
    try valid().bytes().write(to: URL(fileURLWithPath: path))
    let f = try CheckpointFile(path)
    try f.expect(store().params)
    #expect(try f.values("b") == [0.5, 1.5, 2.5, 3.5] && f.metadata["note"] == "x")
  }

  @Test func layoutErrorsNameTheTensor() throws {
    let ok = try valid()
    var m = ok
    let a = m.offsets("a")
    m.set("a", "data_offsets", [a[0] + 1, a[1] + 1])
    try expectError(m.bytes(), "shifted", "gap", "'a'")
    try expectError(ok.bytes(headerLengthDelta: -1), "short-header", "belong to no tensor")
    try expectError(ok.bytes(headerLengthDelta: 1), "long-header", "header length")
    m = ok
    m.set("c", "data_offsets", [a[0], a[0] + 12])
    try expectError(m.bytes(), "overlap", "overlaps", "'c'")
    m = ok
    m.data.append(Data(count: 8))
    try expectError(m.bytes(), "trailing", "8 bytes after tensor")
    m.header["z"] = ["dtype": "F32", "shape": [2], "data_offsets": [ok.data.count, ok.data.count + 8]]
    try expectError(m.bytes(), "extra", "unknown tensor 'z'")
    m = ok
    m.header["b"] = nil
    let b = ok.offsets("b")
    m.data.removeSubrange(b[0]..<b[1])
    for t in ["a", "c"] { let o = ok.offsets(t); if o[0] > b[0] { m.set(t, "data_offsets", [o[0] - 16, o[1] - 16]) } }
    try expectError(m.bytes(), "missing", "missing", "b")
    m = ok
    m.set("b", "shape", [5])
    try expectError(m.bytes(), "wrong-shape", "'b'", "[5]")
    m = ok
    m.set("b", "shape", [2, 2])
    try expectError(m.bytes(), "other-shape", "b has shape [2, 2]")
    m = ok
    m.set("b", "dtype", "F16")
    try expectError(m.bytes(), "dtype", "'b'", "F16")
    m = ok
    m.set("b", "shape", [1.5])
    try expectError(m.bytes(), "fractional-shape", "'b'")
    m = ok
    m.set("b", "shape", [-4])
    try expectError(m.bytes(), "negative-shape", "'b'")
    m = ok
    m.set("b", "data_offsets", [Int.max - 3, Int.max])
    try expectError(m.bytes(), "huge-offsets", "'b'")
    m = ok
    m.header["__metadata__"] = ["note": 3]
    try expectError(m.bytes(), "metadata", "__metadata__")
  }

  @Test(arguments: [Float.nan, .infinity, -.infinity])
  func nonFiniteWeightsAreRefused(_ v: Float) throws {
    var m = try valid()
    let c = m.offsets("c")
    withUnsafeBytes(of: v) { m.data.replaceSubrange((c[0] + 4)..<(c[0] + 8), with: $0) }
    try expectError(m.bytes(), "nonfinite", "'c'", "non-finite", "index 1")
  }

  /// The shapes a model reports without allocating are exactly the ones it registers when built (the RL
  /// agent's: ArcadeRLTests).
  @Test(arguments: CoreKind.allCases)
  func parameterShapesMatchTheBuiltModel(_ kind: CoreKind) {
    var fs = FewShotConfig(core: kind)
    fs.convChannels = 4; fs.core.hidden = 16; fs.core.numHeads = 4; fs.core.dimFF = 8; fs.core.lstmHidden = 8
    #expect(FewShotModel.parameterShapes(fs).map { "\($0.name)\($0.shape)" } == FewShotModel(fs).ps.params.map { "\($0.name)\($0.shape)" })
    #expect(ParamStore(shapesOnly: true).count == 0)
  }
}
