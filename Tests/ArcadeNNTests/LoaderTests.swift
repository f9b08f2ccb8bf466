// The reference-vector loader itself: tolerance rule, unknown components, arbitrary folders.
import ArcadeNNTestSupport
import Foundation
import Testing

@Suite struct LoaderChecks {
  @Test func toleranceRule() {
    let want = VTensor(shape: [3], data: [10, -0.5, 0.001])
    #expect(compare("t", got: [10, -0.5, 0.001], want: want, atol: 2e-4, rtol: 2e-3) == nil)
    // atol scales with max|b| = 10: 2e-3 + 2e-3·|b|
    #expect(compare("t", got: [10.02, -0.5, 0.001], want: want, atol: 2e-4, rtol: 2e-3) == nil)
    #expect(compare("t", got: [10.05, -0.5, 0.001], want: want, atol: 2e-4, rtol: 2e-3) != nil)
    #expect(compare("t", got: [10, -0.5, 0.01], want: want, atol: 2e-4, rtol: 2e-3) != nil)
    #expect(compare("t", got: [10, .nan, 0.001], want: want, atol: 2e-4, rtol: 2e-3) != nil)
    #expect(compare("t", got: [10, -0.5], want: want, atol: 2e-4, rtol: 2e-3) != nil)
  }

  /// A temporary folder in the same format: an unknown component fails, a perturbed reference fails,
  /// an unmodified copy passes.
  @Test func arbitraryFolderAndUnknownComponent() throws {
    guard let src = testVectorFolder() else {
      if isCI { Issue.record("reference vectors missing") } else { print("SKIPPED: reference vectors not found") }
      return
    }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("arcade-vectors-\(getpid())")
    try? FileManager.default.removeItem(at: dir)
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let raw = try Data(contentsOf: src.appendingPathComponent("layernorm.json"))
    var j = try JSONSerialization.jsonObject(with: raw) as! [String: Any]
    try raw.write(to: dir.appendingPathComponent("a_ok.json"))
    j["component"] = "mystery_layer"
    try JSONSerialization.data(withJSONObject: j).write(to: dir.appendingPathComponent("b_unknown.json"))
    j["component"] = "layernorm"
    var outs = j["outputs"] as! [String: Any]
    var out = outs["out"] as! [String: Any]
    var data = out["data"] as! [Double]
    data[3] += 0.05
    out["data"] = data; outs["out"] = out; j["outputs"] = outs
    try JSONSerialization.data(withJSONObject: j).write(to: dir.appendingPathComponent("c_wrong.json"))
    let files = vectorFiles(in: dir)
    #expect(files.map { $0.lastPathComponent } == ["a_ok.json", "b_unknown.json", "c_wrong.json"])
    let results = try files.map { try checkCase(VectorCase(url: $0)) }
    #expect(results[0].isEmpty)
    #expect(results[1].contains { $0.contains("no handler for component mystery_layer") })
    #expect(results[2].contains { $0.contains("output out") })
  }
}
