// Checkpoints in safetensors format (8-byte LE header length, JSON header, raw little-endian F32 data),
// written atomically (temp file in the same folder + rename). Loading validates everything and
// reports problems as one-line errors naming the file; it never traps on bad input (CheckpointFile).
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

  /// Reads every tensor of a safetensors file: name → (shape, values). F32 only; checked as `CheckpointFile` does.
  public static func read(_ path: String) throws -> (tensors: [String: ([Int], [Float])], metadata: [String: String]) {
    let f = try CheckpointFile(path)
    var out: [String: ([Int], [Float])] = [:]
    for (name, e) in f.entries { out[name] = (e.shape, try f.values(name)) }
    return (out, f.metadata)
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
