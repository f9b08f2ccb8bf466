#if canImport(Glibc)
import Glibc  // log, cos
#else
import Darwin
#endif

/// SplitMix64 (Steele, Lea and Flood 2014): the networks' generator, for weight initialisation and dropout
/// masks. Games and training streams use `PCG32`.
public struct SplitMix: Sendable {
  public var state: UInt64
  public init(seed: UInt64) { state = seed }
  @inlinable public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  /// Uniform in [0, 1).
  @inlinable public mutating func uniform() -> Float { Float(next() >> 40) * (1.0 / 16_777_216.0) }
  @inlinable public mutating func normal() -> Float {
    let u1 = max(Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0), 1e-300)
    let u2 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    return Float((-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2))
  }
}
