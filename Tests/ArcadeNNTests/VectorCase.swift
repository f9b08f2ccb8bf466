// Loader for the JSON reference vectors (format: testvectors/README.md).
import Foundation
import Testing

struct VTensor {
  let shape: [Int]
  let data: [Double]
  var floats: [Float] { data.map { Float($0) } }
}

struct VectorCase {
  let file: String
  let name: String
  let component: String
  let json: [String: Any]
  let config: [String: Any]
  let inputs: [String: VTensor]
  let parameters: [String: VTensor]
  let nondiff: [String: VTensor]
  let outputs: [String: VTensor]
  let gradients: [String: VTensor]
  let coefficients: [String: VTensor]
  let atol: Double, rtol: Double

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

  init(url: URL) throws {
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

  func int(_ k: String) -> Int { (config[k] as? NSNumber)?.intValue ?? 0 }
  func bool(_ k: String) -> Bool { (config[k] as? NSNumber)?.boolValue ?? false }
  func coef(_ k: String) -> [Float]? { coefficients[k]?.floats }
}

enum VectorError: Error, CustomStringConvertible {
  case bad(String)
  var description: String { if case .bad(let s) = self { return s }; return "" }
}

/// Result of running one case: every output and gradient the component computed, by reference name.
struct CaseResult {
  var outputs: [String: [Float]] = [:]
  var gradients: [String: [Float]] = [:]
  var extraChecks: [(String, Double, Double)] = []   // (label, got, want) scalars checked at the same rule
}

/// Compares with the README rule: |a−b| ≤ atol·max(1, max|b|) + rtol·|b|. Returns a failure message or nil.
func compare(_ label: String, got: [Float], want: VTensor, atol: Double, rtol: Double) -> String? {
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
func testVectorFolder() -> URL? {
  if let e = ProcessInfo.processInfo.environment["ARCADE_TESTVECTORS"], !e.isEmpty {
    let u = URL(fileURLWithPath: e)
    return FileManager.default.fileExists(atPath: u.path) ? u : nil
  }
  let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  let u = root.appendingPathComponent("../shared/testvectors").standardized
  return FileManager.default.fileExists(atPath: u.path) ? u : nil
}

var isCI: Bool { ProcessInfo.processInfo.environment["CI"]?.lowercased() == "true" }

/// Every *.json in a folder, sorted by name.
func vectorFiles(in folder: URL) -> [URL] {
  let items = (try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? []
  return items.filter { $0.pathExtension == "json" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
}
