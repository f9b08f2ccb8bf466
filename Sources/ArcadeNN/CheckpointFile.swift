// A safetensors file checked before anything is sized by it: the header must be a JSON object whose
// tensors are F32 with offsets matching their shapes and tiling the data region exactly (no gap, no
// overlap, nothing after the last tensor), and whose metadata is a map of strings. Values are read
// per tensor on demand and must be finite. Every problem is a one-line CheckpointError naming the file.
import ArcadeTensor
import Foundation

public struct CheckpointFile {
  /// One tensor as the header describes it: byte range [start, end) in the data region.
  public struct Entry: Sendable {
    public let name: String
    public let shape: [Int]
    public let start: Int, end: Int
    public var count: Int { (end - start) / 4 }
  }

  public let path: String
  public let metadata: [String: String]
  public let entries: [String: Entry]
  let data: Data
  let base: Int

  func fail(_ s: String) -> CheckpointError { CheckpointError(file: path, problem: s) }

  public init(_ path: String) throws {
    self.path = path
    func fail(_ s: String) -> CheckpointError { CheckpointError(file: path, problem: s) }
    // Data(…) re-bases the bytes at index 0.
    guard let data = FileManager.default.contents(atPath: path).map({ Data($0) }) else { throw fail("cannot read file") }
    guard data.count >= 8 else { throw fail("truncated: \(data.count) bytes, no header length") }
    var n: UInt64 = 0
    for i in 0..<8 { n |= UInt64(data[i]) << (8 * UInt64(i)) }
    guard n <= UInt64(data.count - 8) else { throw fail("truncated: header length \(n) exceeds file size \(data.count)") }
    let headerData = data.subdata(in: 8..<(8 + Int(n)))
    guard let obj = try? JSONSerialization.jsonObject(with: headerData), let header = obj as? [String: Any] else {
      throw fail("corrupt header: not a JSON object (or header length \(n) is wrong)")
    }
    let base = 8 + Int(n), payload = data.count - base
    var entries: [String: Entry] = [:]
    var meta: [String: String] = [:]
    for (name, v) in header {
      if name == "__metadata__" {
        guard let m = v as? [String: String] else { throw fail("corrupt header: __metadata__ is not a map of strings") }
        meta = m
        continue
      }
      guard let e = v as? [String: Any], let dtype = e["dtype"] as? String, let shape = Self.ints(e["shape"]),
            let offs = Self.ints(e["data_offsets"]), offs.count == 2 else {
        throw fail("corrupt header entry for tensor '\(name)'")
      }
      guard dtype == "F32" else { throw fail("tensor '\(name)' has dtype \(dtype), only F32 is supported") }
      guard shape.allSatisfy({ $0 >= 0 }), offs[0] >= 0, offs[1] >= offs[0] else {
        throw fail("tensor '\(name)': negative shape \(shape) or bad offsets \(offs)")
      }
      guard offs[1] <= payload else { throw fail("truncated: tensor '\(name)' ends at byte \(offs[1]) of \(payload)") }
      var count = 1
      for d in shape {
        let (m, o) = count.multipliedReportingOverflow(by: d)
        guard !o, m <= payload / 4 else { throw fail("tensor '\(name)': shape \(shape) is larger than the file") }
        count = m
      }
      guard offs[1] - offs[0] == 4 * count else {
        throw fail("tensor '\(name)': offsets \(offs) cover \(offs[1] - offs[0]) bytes, shape \(shape) needs \(4 * count)")
      }
      entries[name] = Entry(name: name, shape: shape, start: offs[0], end: offs[1])
    }
    // Tiling: sorted by start, each tensor begins where the previous one ended and the last ends the file.
    var next = 0, previous = "the header"
    for e in entries.values.sorted(by: { ($0.start, $0.end, $0.name) < ($1.start, $1.end, $1.name) }) {
      guard e.start <= next else { throw fail("gap of \(e.start - next) bytes between \(previous) and tensor '\(e.name)'") }
      guard e.start == next else { throw fail("tensor '\(e.name)' overlaps \(previous)") }
      guard e.end <= payload else { throw fail("truncated: tensor '\(e.name)' ends at byte \(e.end) of \(payload)") }
      next = e.end; previous = "tensor '\(e.name)'"
    }
    guard next == payload else {
      throw fail("\(payload - next) bytes after \(previous) belong to no tensor (header length or offsets wrong)")
    }
    self.metadata = meta; self.entries = entries; self.data = data; self.base = base
  }

  /// Whole numbers only (JSON numbers may arrive as doubles; 1.5 or 1e300 is not a shape).
  static func ints(_ v: Any?) -> [Int]? {
    guard let a = v as? [Any] else { return nil }
    var out: [Int] = []
    for x in a {
      guard let n = x as? NSNumber else { return nil }
      let d = n.doubleValue
      guard d.rounded() == d, abs(d) <= 9.2e18 else { return nil }
      out.append(Int(d))
    }
    return out
  }

  /// The values of one tensor; a missing tensor or a NaN/infinite value is an error naming it.
  public func values(_ name: String) throws -> [Float] {
    guard let e = entries[name] else { throw fail("missing tensor '\(name)'") }
    let v = [Float](unsafeUninitializedCapacity: e.count) { dst, n in
      data.withUnsafeBytes { src in
        UnsafeMutableRawBufferPointer(dst).copyMemory(from: UnsafeRawBufferPointer(rebasing: src[(base + e.start)..<(base + e.end)]))
      }
      n = e.count
    }
    if let i = v.firstIndex(where: { !$0.isFinite }) {
      throw fail("tensor '\(name)' holds a non-finite value (\(v[i])) at index \(i)")
    }
    return v
  }

  /// Checks the header against a model's parameters before anything is allocated for them: each must be
  /// present with its shape. Other tensors must be in `extra` with that shape, or accepted by `allowUnknown`.
  public func expect(_ params: [ParamRef], extra: [String: [Int]] = [:], allowUnknown: (String) -> Bool = { _ in false }) throws {
    var known = Set<String>()
    for p in params {
      guard let e = entries[p.name] else { throw fail("missing tensor '\(p.name)'") }
      guard e.shape == p.shape else { throw fail("tensor '\(p.name)' has shape \(e.shape), the config needs \(p.shape)") }
      known.insert(p.name)
    }
    for name in entries.keys.sorted() where !known.contains(name) {
      if let shape = extra[name] {
        guard entries[name]!.shape == shape else { throw fail("tensor '\(name)' has shape \(entries[name]!.shape), the config needs \(shape)") }
      } else if !allowUnknown(name) {
        throw fail("unknown tensor '\(name)' (not part of this model)")
      }
    }
  }
}
