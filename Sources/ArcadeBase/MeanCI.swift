/// A mean with a 95% confidence interval (normal approximation: 1.96·s/√n, s the sample standard deviation)
/// over `count` independent values: episode returns, or accuracies of independent groups of episodes.
public struct MeanCI: Sendable, Equatable, Codable {
  public var mean: Double
  public var halfWidth: Double
  public var count: Int

  public init(mean: Double, halfWidth: Double, count: Int) {
    self.mean = mean; self.halfWidth = halfWidth; self.count = count
  }

  /// Over the values `xs` (NaN mean when empty, NaN half-width below two values).
  public init(_ xs: [Double]) {
    count = xs.count
    guard !xs.isEmpty else { mean = .nan; halfWidth = .nan; return }
    mean = xs.reduce(0, +) / Double(xs.count)
    guard xs.count > 1 else { halfWidth = .nan; return }
    let m = mean
    let variance = xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(xs.count - 1)
    halfWidth = 1.96 * variance.squareRoot() / Double(xs.count).squareRoot()
  }

  /// Over the accuracies of `groups` equal consecutive groups of per-episode correctness (0…1 each); the
  /// episodes are independent, the correctness of one episode's queries is not.
  public init(episodeCorrect: [Double], groups: Int) {
    let g = max(1, min(groups, episodeCorrect.count)), per = episodeCorrect.count / g
    self.init((0..<g).map { i in episodeCorrect[(i * per)..<((i + 1) * per)].reduce(0, +) / Double(per) })
  }

  /// True when the two 95% intervals do not overlap and this mean is the larger.
  public func clearlyAbove(_ other: MeanCI) -> Bool { mean - halfWidth > other.mean + other.halfWidth }

  /// "0.21 ± 0.02"
  public func formatted(_ digits: Int = 2) -> String {
    "\(Fmt.fixed(mean, digits)) ± \(Fmt.fixed(halfWidth, digits))"
  }

  /// "93.12% ± 0.85%"
  public var percent: String { "\(Fmt.fixed(100 * mean, 2))% ± \(Fmt.fixed(100 * halfWidth, 2))%" }
}
