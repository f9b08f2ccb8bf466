// Checkpoints in safetensors format (8-byte LE header length, JSON header, raw little-endian F32 data),
// written atomically (temp file in the same folder + rename). Loading validates everything and
// reports problems as one-line errors naming the file; it never traps on bad input.
import ArcadeTensor
import Foundation

public struct CheckpointError: Error, CustomStringConvertible, Sendable {
  public let file: String, problem: String
  public var description: String { "checkpoint \(file): \(problem)" }
}

public enum Checkpoint {
  /// Named float tensors to save. Defaults to every parameter of the store; `extra` adds more
  /// (e.g. optimiser state) under its own names.
  public static func save(_ ps: ParamStore, to path: String, extra: [(String, [Int], [Float])] = [],
                          metadata: [String: String] = [:]) throws {
    var entries: [(String, [Int], UnsafePointer<Float>, Int)] = ps.params.map {
      ($0.name, $0.shape, UnsafePointer(ps.w($0)), $0.count)
    }
    var extraStore: [[Float]] = []
    for e in extra { extraStore.append(e.2) }
    var header = "{"
    var offset = 0
    var first = true
    func esc(_ s: String) -> String {
      s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }
    if !metadata.isEmpty {
      header += "\"__metadata__\":{" + metadata.sorted { $0.key < $1.key }
        .map { "\"\(esc($0.key))\":\"\(esc($0.value))\"" }.joined(separator: ",") + "}"
      first = false
    }
    var data = Data()
    func add(_ name: String, _ shape: [Int], _ p: UnsafePointer<Float>, _ n: Int) {
      header += (first ? "" : ",") + "\"\(esc(name))\":{\"dtype\":\"F32\",\"shape\":[\(shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(offset + 4 * n)]}"
      first = false
      offset += 4 * n
      data.append(UnsafeBufferPointer(start: p, count: n))
    }
    for e in entries { add(e.0, e.1, e.2, e.3) }
    entries.removeAll()
    for (i, e) in extra.enumerated() { extraStore[i].withUnsafeBufferPointer { add(e.0, e.1, $0.baseAddress!, $0.count) } }
    header += "}"
    while header.utf8.count % 8 != 0 { header += " " }
    var file = Data()
    var len = UInt64(header.utf8.count).littleEndian
    withUnsafeBytes(of: &len) { file.append(contentsOf: $0) }
    file.append(header.data(using: .utf8)!)
    file.append(data)
    let url = URL(fileURLWithPath: path)
    let tmp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
    do {
      try file.write(to: tmp)
      if rename(tmp.path, url.path) != 0 {
        try? FileManager.default.removeItem(at: tmp)
        throw CheckpointError(file: path, problem: "cannot rename temporary file (errno \(errno))")
      }
    } catch let e as CheckpointError { throw e } catch {
      throw CheckpointError(file: path, problem: "cannot write: \(error.localizedDescription)")
    }
  }

  /// Reads every tensor of a safetensors file: name → (shape, values). F32 only.
  public static func read(_ path: String) throws -> (tensors: [String: ([Int], [Float])], metadata: [String: String]) {
    func fail(_ s: String) -> CheckpointError { CheckpointError(file: path, problem: s) }
    guard let data = FileManager.default.contents(atPath: path) else { throw fail("cannot read file") }
    guard data.count >= 8 else { throw fail("truncated: \(data.count) bytes, no header length") }
    var n: UInt64 = 0
    for i in 0..<8 { n |= UInt64(data[data.startIndex + i]) << (8 * UInt64(i)) }
    guard n <= UInt64(data.count - 8) else { throw fail("truncated: header length \(n) exceeds file size \(data.count)") }
    let headerData = data.subdata(in: 8..<(8 + Int(n)))
    guard let obj = try? JSONSerialization.jsonObject(with: headerData), let header = obj as? [String: Any] else {
      throw fail("corrupt header: not a JSON object")
    }
    let base = 8 + Int(n), payload = data.count - base
    var out: [String: ([Int], [Float])] = [:]
    var meta: [String: String] = [:]
    for (name, v) in header {
      if name == "__metadata__" {
        if let m = v as? [String: String] { meta = m }
        continue
      }
      guard let e = v as? [String: Any], let dtype = e["dtype"] as? String, let shape = e["shape"] as? [Int],
            let offs = e["data_offsets"] as? [Int], offs.count == 2 else {
        throw fail("corrupt header entry for \(name)")
      }
      guard dtype == "F32" else { throw fail("tensor \(name) has dtype \(dtype), only F32 is supported") }
      guard shape.allSatisfy({ $0 >= 0 }), offs[0] >= 0, offs[1] >= offs[0] else { throw fail("tensor \(name): bad shape or offsets") }
      var count = 1
      for d in shape {
        let (m, o) = count.multipliedReportingOverflow(by: d)
        guard !o, m <= payload else { throw fail("tensor \(name): shape \(shape) is larger than the file") }
        count = m
      }
      guard offs[1] - offs[0] == 4 * count else {
        throw fail("tensor \(name): offsets cover \(offs[1] - offs[0]) bytes, shape \(shape) needs \(4 * count)")
      }
      guard offs[1] <= payload else { throw fail("truncated: tensor \(name) ends at byte \(offs[1]) of \(payload)") }
      var vals = [Float](repeating: 0, count: count)
      vals.withUnsafeMutableBytes { dst in
        data.withUnsafeBytes { src in
          dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[(base + offs[0])..<(base + offs[1])]))
        }
      }
      out[name] = (shape, vals)
    }
    return (out, meta)
  }

  /// Loads a checkpoint into the store: every parameter must be present with the same shape.
  /// Returns tensors in the file that are not parameters (e.g. optimiser state).
  @discardableResult
  public static func load(_ ps: ParamStore, from path: String) throws -> [String: ([Int], [Float])] {
    var (t, _) = try read(path)
    for r in ps.params {
      guard let (shape, vals) = t.removeValue(forKey: r.name) else {
        throw CheckpointError(file: path, problem: "missing parameter \(r.name)")
      }
      guard shape == r.shape else {
        throw CheckpointError(file: path, problem: "parameter \(r.name) has shape \(shape), model expects \(r.shape)")
      }
      vals.withUnsafeBufferPointer { ps.w(r).update(from: $0.baseAddress!, count: r.count) }
    }
    return t
  }
}
