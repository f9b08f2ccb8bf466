// Inverted dropout with its own seeded PRNG; the mask is kept for backward. p = 0 is the identity.
import ArcadeTensor

public final class Dropout {
  public let p: Float
  public var training = true
  public var rng: SplitMix
  var mask: [Float] = []

  public init(p: Float, seed: UInt64) { self.p = p; rng = SplitMix(seed: seed) }

  public var active: Bool { training && p > 0 }

  /// In place on x[n].
  public func forward(_ x: UnsafeMutablePointer<Float>, _ n: Int) {
    guard active else { return }
    if mask.count < n { mask = [Float](repeating: 0, count: n) }
    let scale = 1 / (1 - p)
    for i in 0..<n { let keep = rng.uniform() >= p; mask[i] = keep ? scale : 0; x[i] *= mask[i] }
  }
  /// In place on dx[n].
  public func backward(_ dx: UnsafeMutablePointer<Float>, _ n: Int) {
    guard active else { return }
    for i in 0..<n { dx[i] *= mask[i] }
  }
}
