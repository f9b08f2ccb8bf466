import ArcadeCore

/// Seeded mutations of a saved state for the restore fuzz test: byte flips,
/// truncations, extensions, shifted bytes and fields overwritten with extreme
/// or nearly plausible values.
struct StateMutator {
  var rng: PCG32
  /// Where the header's step count starts; return and episode length follow.
  let stepCountOffset: Int

  /// Byte offset of the step count in a state saved by env `game` in `mode`:
  /// version, game name, mode, two flags, level seed, two generators.
  static func stepCountOffset(game: String, mode: DistributionMode) -> Int {
    4 + (4 + game.utf8.count) + (4 + mode.rawValue.utf8.count) + 2 + 4 + 16 + 16
  }

  static let extreme64: [UInt64] = [
    .max, UInt64(bitPattern: Int64.min), UInt64(Int64.max), 0, 1 << 31, 1 << 32, UInt64(bitPattern: -1_000_000),
  ]
  static let extreme32: [UInt32] = [
    Float.nan.bitPattern, Float.infinity.bitPattern, (-Float.infinity).bitPattern,
    Float.greatestFiniteMagnitude.bitPattern, (-Float.greatestFiniteMagnitude).bitPattern,
    Float(1e30).bitPattern, Float.leastNonzeroMagnitude.bitPattern, (-Float(0)).bitPattern,
    .max, 0x8000_0000, 0x7fff_ffff,
  ]
  /// Values a field could nearly hold: just outside worlds, counts and enums.
  static let plausibleFloats: [Float] = [-50, -5, -1.5, -0.5, 0, 0.25, 3.5, 19.99, 20, 21, 45, 64, 100, 999, 1e6]
  static let plausibleInts: [Int] = [-1_000_000, -1000, -1, 0, 1, 2, 5, 30, 63, 64, 100, 1000, 6001, 1 << 40]

  mutating func mutant(of base: [UInt8]) -> [UInt8] {
    var b = base
    for _ in 0..<(1 + rng.below(3)) { mutate(&b) }
    return b
  }

  mutating func mutate(_ b: inout [UInt8]) {
    switch rng.below(9) {
    case 0:
      for _ in 0..<(1 + rng.below(4)) where !b.isEmpty { b[rng.below(b.count)] ^= UInt8(1 + rng.below(255)) }
    case 1: b = Array(b.prefix(rng.below(b.count + 1)))
    case 2: for _ in 0..<(1 + rng.below(16)) { b.append(UInt8(rng.below(256))) }
    case 3:
      if b.isEmpty { return }
      if rng.coin() { b.remove(at: rng.below(b.count)) } else { b.insert(UInt8(rng.below(256)), at: rng.below(b.count)) }
    case 4: put64(&b, Self.extreme64[rng.below(Self.extreme64.count)], at: fieldOffset(b, width: 8))
    case 5: put32(&b, Self.extreme32[rng.below(Self.extreme32.count)], at: fieldOffset(b, width: 4))
    case 6: put32(&b, Self.plausibleFloats[rng.below(Self.plausibleFloats.count)].bitPattern, at: fieldOffset(b, width: 4))
    // Anywhere in and around the largest worlds (64 cells).
    case 7: put32(&b, rng.float(-8, 72).bitPattern, at: fieldOffset(b, width: 4))
    default:
      let v = Self.plausibleInts[rng.below(Self.plausibleInts.count)]
      put64(&b, UInt64(bitPattern: Int64(v)), at: fieldOffset(b, width: 8))
    }
  }

  /// A header counter (a third of the time), a place that holds a float-like
  /// value (a third), or anywhere.
  mutating func fieldOffset(_ b: [UInt8], width: Int) -> Int? {
    guard b.count >= width else { return nil }
    switch rng.below(3) {
    case 0: return min(b.count - width, stepCountOffset + [0, 8, 12][rng.below(3)])
    case 1:
      // Probe a few offsets for a float of everyday size (positions, speeds).
      for _ in 0..<16 {
        let o = rng.below(b.count - 3)
        let f = abs(Float(bitPattern: get32(b, o)))
        if f >= 0.01 && f <= 1000 { return min(o, b.count - width) }
      }
      return rng.below(b.count - width + 1)
    default: return rng.below(b.count - width + 1)
    }
  }

  func get32(_ b: [UInt8], _ o: Int) -> UInt32 {
    (0..<4).reduce(0) { $0 | UInt32(b[o + $1]) << UInt32(8 * $1) }
  }

  func put32(_ b: inout [UInt8], _ v: UInt32, at o: Int?) {
    guard let o else { return }
    for k in 0..<4 { b[o + k] = UInt8(truncatingIfNeeded: v >> UInt32(8 * k)) }
  }

  func put64(_ b: inout [UInt8], _ v: UInt64, at o: Int?) {
    guard let o else { return }
    for k in 0..<8 { b[o + k] = UInt8(truncatingIfNeeded: v >> UInt64(8 * k)) }
  }
}
