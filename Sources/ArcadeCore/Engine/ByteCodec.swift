/// Little-endian binary writer used for saved states and replays.
public struct ByteWriter: Sendable {
  public private(set) var bytes: [UInt8] = []

  public init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

  public mutating func clear() { bytes.removeAll(keepingCapacity: true) }

  public mutating func u8(_ v: UInt8) { bytes.append(v) }
  public mutating func bool(_ v: Bool) { bytes.append(v ? 1 : 0) }
  public mutating func u16(_ v: UInt16) { bytes.append(UInt8(v & 0xff)); bytes.append(UInt8(v >> 8)) }
  public mutating func u32(_ v: UInt32) {
    for s in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: v >> UInt32(s))) }
  }
  public mutating func u64(_ v: UInt64) {
    for s in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: v >> UInt64(s))) }
  }
  public mutating func i32(_ v: Int32) { u32(UInt32(bitPattern: v)) }
  public mutating func int(_ v: Int) { u64(UInt64(bitPattern: Int64(v))) }
  public mutating func f32(_ v: Float) { u32(v.bitPattern) }
  public mutating func string(_ s: String) {
    let utf8 = Array(s.utf8)
    u32(UInt32(utf8.count))
    bytes.append(contentsOf: utf8)
  }
  public mutating func u8s(_ a: [UInt8]) { u32(UInt32(a.count)); bytes.append(contentsOf: a) }
  public mutating func f32s(_ a: [Float]) { u32(UInt32(a.count)); for v in a { f32(v) } }
  public mutating func ints(_ a: [Int]) { u32(UInt32(a.count)); for v in a { int(v) } }
  public mutating func rng(_ r: PCG32) { u64(r.state); u64(r.increment) }
}

/// Reader matching `ByteWriter`; every read checks bounds and throws a clear error.
public struct ByteReader {
  public let bytes: [UInt8]
  public private(set) var offset = 0
  /// What is being read, for error messages ("state", "replay file x.rpl").
  public let context: String

  public init(_ bytes: [UInt8], context: String) {
    self.bytes = bytes
    self.context = context
  }

  public var isAtEnd: Bool { offset == bytes.count }

  mutating func take(_ n: Int, _ what: String) throws -> ArraySlice<UInt8> {
    guard n >= 0, offset + n <= bytes.count else {
      throw ArcadeError("\(context): truncated at byte \(offset) while reading \(what)")
    }
    defer { offset += n }
    return bytes[offset..<offset + n]
  }

  public mutating func u8(_ what: String = "byte") throws -> UInt8 { try take(1, what).first! }
  public mutating func bool(_ what: String = "flag") throws -> Bool { try u8(what) != 0 }
  public mutating func u16(_ what: String = "u16") throws -> UInt16 {
    let s = try take(2, what)
    return UInt16(s[s.startIndex]) | UInt16(s[s.startIndex + 1]) << 8
  }
  public mutating func u32(_ what: String = "u32") throws -> UInt32 {
    var v: UInt32 = 0
    for (i, b) in try take(4, what).enumerated() { v |= UInt32(b) << UInt32(8 * i) }
    return v
  }
  public mutating func u64(_ what: String = "u64") throws -> UInt64 {
    var v: UInt64 = 0
    for (i, b) in try take(8, what).enumerated() { v |= UInt64(b) << UInt64(8 * i) }
    return v
  }
  public mutating func i32(_ what: String = "i32") throws -> Int32 { Int32(bitPattern: try u32(what)) }
  public mutating func int(_ what: String = "int") throws -> Int { Int(Int64(bitPattern: try u64(what))) }
  public mutating func f32(_ what: String = "float") throws -> Float { Float(bitPattern: try u32(what)) }
  public mutating func count(_ what: String, max: Int = 1 << 24) throws -> Int {
    let n = Int(try u32("\(what) count"))
    guard n <= max else { throw ArcadeError("\(context): \(what) count \(n) is more than \(max)") }
    return n
  }
  public mutating func string(_ what: String = "string") throws -> String {
    let n = try count(what, max: 1 << 16)
    return String(decoding: try take(n, what), as: UTF8.self)
  }
  public mutating func u8s(_ what: String = "bytes") throws -> [UInt8] {
    Array(try take(try count(what), what))
  }
  public mutating func f32s(_ what: String = "floats") throws -> [Float] {
    let n = try count(what, max: (bytes.count - offset) / 4)
    var a = [Float](); a.reserveCapacity(n)
    for _ in 0..<n { a.append(try f32(what)) }
    return a
  }
  public mutating func ints(_ what: String = "ints") throws -> [Int] {
    let n = try count(what, max: (bytes.count - offset) / 8)
    var a = [Int](); a.reserveCapacity(n)
    for _ in 0..<n { a.append(try int(what)) }
    return a
  }
  public mutating func rng(_ what: String = "rng") throws -> PCG32 {
    PCG32(rawState: try u64(what), rawIncrement: try u64(what))
  }

  // MARK: - Checked reads: a value outside its range is an error naming the field

  /// The error for a decoded field that is out of range.
  public func invalid(_ what: String, _ problem: String) -> ArcadeError {
    ArcadeError("\(context): \(what) \(problem)")
  }

  /// An `int` that must lie in `range`.
  public mutating func int(_ what: String, in range: ClosedRange<Int>) throws -> Int {
    try within(range, what, try int(what))
  }

  /// A `u8` that must lie in `range` (enum cases, looks, key masks).
  public mutating func u8(_ what: String, in range: ClosedRange<UInt8>) throws -> UInt8 {
    try within(range, what, try u8(what))
  }

  /// An `i32` that must lie in `range`.
  public mutating func i32(_ what: String, in range: ClosedRange<Int32>) throws -> Int32 {
    try within(range, what, try i32(what))
  }

  /// `v` if it lies in `range`, else an error naming the field.
  func within<T: Comparable>(_ range: ClosedRange<T>, _ what: String, _ v: T) throws -> T {
    guard range.contains(v) else { throw invalid(what, "\(v) is not in \(range.lowerBound)...\(range.upperBound)") }
    return v
  }

  /// A finite `f32` in `range` (NaN and ±inf are rejected).
  public mutating func f32(_ what: String, in range: ClosedRange<Float>) throws -> Float {
    let v = try f32(what)
    try check(v, what, in: range)
    return v
  }

  /// Throws unless `v` is finite and in `range`.
  public func check(_ v: Float, _ what: String, in range: ClosedRange<Float>) throws {
    guard v.isFinite, range.contains(v) else {
      throw invalid(what, "\(v) is not a number in \(range.lowerBound)...\(range.upperBound)")
    }
  }

  /// Throws unless `v` is in `range` (for values read before their bound was known).
  public func check(_ v: Int, _ what: String, in range: ClosedRange<Int>) throws {
    guard range.contains(v) else { throw invalid(what, "\(v) is not in \(range.lowerBound)...\(range.upperBound)") }
  }

  /// Bytes whose count must be exactly `count` and each at most `max` (tile maps).
  public mutating func u8s(_ what: String, count: Int, max: UInt8) throws -> [UInt8] {
    let n = try self.count(what, max: count)
    guard n == count else { throw invalid(what, "count \(n) does not match the level (\(count))") }
    let a = Array(try take(n, what))
    if let i = a.firstIndex(where: { $0 > max }) { throw invalid(what, "value \(a[i]) at \(i) is not in 0...\(max)") }
    return a
  }
}

/// FNV-1a over bytes: the suite's state and level hash (stable across runs,
/// unlike Swift's `Hasher`, which is seeded per process).
@inlinable
public func fnv1a64<C: Collection>(_ bytes: C, seed: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64
where C.Element == UInt8 {
  var h = seed
  for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
  return h
}

/// A hash as 16 lowercase hex digits.
public func hex64(_ v: UInt64) -> String {
  let s = String(v, radix: 16)
  return String(repeating: "0", count: 16 - s.count) + s
}
