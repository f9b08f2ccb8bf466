// Loader for the JSON reference vectors (format: testvectors/README.md), shared by ArcadeNNTests and
// ArcadeRLTests (each runs the components of its own module).
import Foundation
import Testing

package struct VTensor {
  package let shape: [Int]
  package let data: [Double]
  package init(shape: [Int], data: [Double]) { self.shape = shape; self.data = data }
  package var floats: [Float] { data.map { Float($0) } }
}

package struct VectorCase {
  package let file: String
  package let name: String
  package let component: String
  package let json: [String: Any]
  package let config: [String: Any]
  package let inputs: [String: VTensor]
  package let parameters: [String: VTensor]
  package let nondiff: [String: VTensor]
  package let outputs: [String: VTensor]
  package let gradients: [String: VTensor]
  package let coefficients: [String: VTensor]
  package let atol: Double, rtol: Double

  static func tensors(_ any: Any?) -> [String: VTensor] {
    guard let d = any as? [String: Any] else { return [:] }
    var r: [String: VTensor] = [:]
    for (k, v) in d {
      guard let t = v as? [String: Any], let shape = t["shape"] as? [Int] else { continue }
      let data: [Double]
      if let a = t["data"] as? [Any] {
        data = a.map { x in
          if let n = x as? NSNumber { return n.doubleValue }
          if let b = x as? Bool { return b ? 1 : 0 }
          return .nan
        }
      } else if let n = t["data"] as? NSNumber { data = [n.doubleValue] } else { data = [] }
      r[k] = VTensor(shape: shape, data: data)
    }
    return r
  }

  package init(url: URL) throws {
    let raw = try Data(contentsOf: url)
    guard let j = try JSONSerialization.jsonObject(with: raw) as? [String: Any] else {
      throw VectorError.bad("\(url.lastPathComponent): top level is not an object")
    }
    file = url.lastPathComponent
    json = j
    name = j["name"] as? String ?? file
    guard let c = j["component"] as? String else { throw VectorError.bad("\(file): no component") }
    component = c
    config = j["config"] as? [String: Any] ?? [:]
    inputs = Self.tensors(j["inputs"])
    parameters = Self.tensors(j["parameters"])
    nondiff = Self.tensors(j["nondiff_inputs"])
    outputs = Self.tensors(j["outputs"])
    gradients = Self.tensors(j["gradients"])
    coefficients = Self.tensors((j["loss"] as? [String: Any])?["coefficients"])
    let tol = (j["tolerance"] as? [String: Any])?["float32"] as? [String: Any]
    atol = (tol?["atol"] as? NSNumber)?.doubleValue ?? 2e-4
    rtol = (tol?["rtol"] as? NSNumber)?.doubleValue ?? 2e-3
  }

  package func int(_ k: String) -> Int { (config[k] as? NSNumber)?.intValue ?? 0 }
  package func bool(_ k: String) -> Bool { (config[k] as? NSNumber)?.boolValue ?? false }
  package func coef(_ k: String) -> [Float]? { coefficients[k]?.floats }
}

package enum VectorError: Error, CustomStringConvertible {
  case bad(String)
  package var description: String { if case .bad(let s) = self { return s }; return "" }
}

/// Result of running one case: every output and gradient the component computed, by reference name.
package struct CaseResult {
  package var outputs: [String: [Float]] = [:]
  package var gradients: [String: [Float]] = [:]
  package var extraChecks: [(String, Double, Double)] = []   // (label, got, want) scalars checked at the same rule
  package init() {}
}

/// Compares with the README rule: |a−b| ≤ atol·max(1, max|b|) + rtol·|b|. Returns a failure message or nil.
package func compare(_ label: String, got: [Float], want: VTensor, atol: Double, rtol: Double) -> String? {
  if got.count != want.data.count { return "\(label): \(got.count) values, reference has \(want.data.count)" }
  let scale = max(1, want.data.map { abs($0) }.max() ?? 0)
  var worst = 0.0, worstI = -1
  for i in 0..<got.count {
    let a = Double(got[i]), b = want.data[i]
    let excess = abs(a - b) - (atol * scale + rtol * abs(b))
    if !(excess <= 0) && (worstI < 0 || excess > worst || excess.isNaN) { worst = excess; worstI = i }
  }
  if worstI >= 0 {
    return "\(label)[\(worstI)]: got \(got[worstI]) want \(want.data[worstI]) (scale \(scale))"
  }
  return nil
}

/// Folder of reference vectors: $ARCADE_TESTVECTORS, else ../shared/testvectors from the package root.
package func testVectorFolder() -> URL? {
  if let e = ProcessInfo.processInfo.environment["ARCADE_TESTVECTORS"], !e.isEmpty {
    let u = URL(fileURLWithPath: e)
    return FileManager.default.fileExists(atPath: u.path) ? u : nil
  }
  let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  let u = root.appendingPathComponent("../shared/testvectors").standardized
  return FileManager.default.fileExists(atPath: u.path) ? u : nil
}

package var isCI: Bool { ProcessInfo.processInfo.environment["CI"]?.lowercased() == "true" }

/// Every *.json in a folder, sorted by name.
package func vectorFiles(in folder: URL) -> [URL] {
  let items = (try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? []
  return items.filter { $0.pathExtension == "json" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
}

// MARK: - Running cases

/// Computes one case's outputs and gradients.
package typealias Handler = @Sendable (VectorCase) throws -> CaseResult

/// The components ArcadeRLTests checks (V-trace and the RL agent, which live in ArcadeRL). ArcadeNNTests checks
/// every other file, and fails on a component it has no handler for, so no file is left unchecked.
package let rlComponents: Set<String> = ["vtrace", "rl_agent_srwm", "rl_agent_lstm", "rl_agent_delta", "rl_agent_ff"]

/// The vector files whose component passes `include` (a file that does not parse passes with nil, so that
/// its error is reported); empty without the folder.
package func vectorFileNames(where include: (String?) -> Bool) -> [String] {
  guard let f = testVectorFolder() else { return [] }
  return vectorFiles(in: f).filter { include((try? VectorCase(url: $0))?.component) }.map { $0.lastPathComponent }
}

/// Checks one case file with the handler for its component; returns failure messages (empty = pass).
package func checkCase(_ c: VectorCase, handlers: [String: Handler]) throws -> [String] {
  guard let h = handlers[c.component] else { return ["\(c.file): no handler for component \(c.component)"] }
  let r = try h(c)
  var fails: [String] = []
  for (k, want) in c.outputs.sorted(by: { $0.key < $1.key }) {
    guard let got = r.outputs[k] else { fails.append("\(c.file): output \(k) not produced"); continue }
    if let m = compare("\(c.file) output \(k)", got: got, want: want, atol: c.atol, rtol: c.rtol) { fails.append(m) }
  }
  for (k, want) in c.gradients.sorted(by: { $0.key < $1.key }) {
    guard let got = r.gradients[k] else { fails.append("\(c.file): gradient \(k) not produced"); continue }
    if let m = compare("\(c.file) grad \(k)", got: got, want: want, atol: c.atol, rtol: c.rtol) { fails.append(m) }
  }
  for (label, got, want) in r.extraChecks {
    let tol = c.atol * max(1, abs(want)) + c.rtol * abs(want)
    if !(abs(got - want) <= tol) { fails.append("\(c.file) \(label): got \(got) want \(want)") }
  }
  return fails
}

/// Without the folder: an issue under CI, else a printed skip.
package func checkVectorFolderPresent() {
  if testVectorFolder() == nil {
    let msg = "reference test vectors not found (set ARCADE_TESTVECTORS or provide ../shared/testvectors)"
    if isCI { Issue.record(Comment(rawValue: msg)) } else { print("SKIPPED: \(msg)") }
  }
}
