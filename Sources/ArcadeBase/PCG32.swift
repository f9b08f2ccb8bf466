/// The project's random number generator: PCG-XSH-RR 32 (O'Neill 2014).
///
/// 64 bits of state plus a 64-bit stream selector. Every seeded decision in
/// the suite (level generation, in-episode dynamics, level-seed sampling)
/// draws from one of these, never from the system generator.
public struct PCG32: Sendable, Equatable {
  public var state: UInt64
  public var increment: UInt64

  @usableFromInline static let multiplier: UInt64 = 6364136223846793005

  /// A generator for `seed` on stream `stream` (distinct streams never overlap).
  public init(seed: UInt64, stream: UInt64) {
    state = 0
    increment = (stream << 1) | 1
    _ = next()
    state &+= seed
    _ = next()
  }

  /// Restores a generator from its raw words (as saved by `state`/`increment`).
  public init(rawState: UInt64, rawIncrement: UInt64) {
    state = rawState
    increment = rawIncrement | 1
  }

  /// The next 32 uniformly distributed bits.
  @inlinable
  public mutating func next() -> UInt32 {
    let old = state
    state = old &* PCG32.multiplier &+ increment
    let xorshifted = UInt32(truncatingIfNeeded: ((old >> 18) ^ old) >> 27)
    let rot = UInt32(truncatingIfNeeded: old >> 59)
    return (xorshifted >> rot) | (xorshifted << ((~rot &+ 1) & 31))
  }

  /// A uniform integer in `0..<n` (Lemire's unbiased multiply-shift). `n > 0`.
  @inlinable
  public mutating func below(_ n: Int) -> Int {
    precondition(n > 0, "PCG32.below needs a positive bound")
    let bound = UInt32(truncatingIfNeeded: n)
    var m = UInt64(next()) &* UInt64(bound)
    if UInt32(truncatingIfNeeded: m) < bound {
      let threshold = (0 &- bound) % bound
      while UInt32(truncatingIfNeeded: m) < threshold {
        m = UInt64(next()) &* UInt64(bound)
      }
    }
    return Int(m >> 32)
  }

  /// A uniform integer in `lo..<hi`; returns `lo` when the range is empty.
  @inlinable
  public mutating func int(_ lo: Int, _ hi: Int) -> Int {
    hi > lo ? lo + below(hi - lo) : lo
  }

  /// A uniform float in [0, 1) with 24 random bits.
  @inlinable
  public mutating func unit() -> Float {
    Float(next() >> 8) * (1.0 / 16_777_216.0)
  }

  /// A uniform float in [lo, hi).
  @inlinable
  public mutating func float(_ lo: Float, _ hi: Float) -> Float {
    lo + (hi - lo) * unit()
  }

  /// True with probability `p`.
  @inlinable
  public mutating func chance(_ p: Float) -> Bool { unit() < p }

  /// A fair coin.
  @inlinable
  public mutating func coin() -> Bool { next() & 1 == 1 }

  /// Shuffles `array` in place (Fisher–Yates, deterministic given the state).
  public mutating func shuffle<T>(_ array: inout [T]) {
    var i = array.count - 1
    while i > 0 {
      let j = below(i + 1)
      array.swapAt(i, j)
      i -= 1
    }
  }
}

/// Turns structured integers (seed, index, role) into well-mixed 64-bit seeds for independent PCG32
/// streams. The shape of SplitMix64's finaliser, but its second multiplier is 0xBF58_476C_E5E4_E5B9 where
/// SplitMix64 has 0xBF58_476D_1CE4_E5B9 (a slip made early on). It mixes just as well; every level seed
/// goes through it, so correcting it would regenerate every level, golden hash and the shipped agent's
/// training set: it keeps the constant and a name that does not claim to be SplitMix64.
@inlinable
public func mixSeed(_ x: UInt64) -> UInt64 {
  var z = x &+ 0x9E37_79B9_7F4A_7C15
  z = (z ^ (z >> 30)) &* 0xBF58_476C_E5E4_E5B9
  z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
  return z ^ (z >> 31)
}
