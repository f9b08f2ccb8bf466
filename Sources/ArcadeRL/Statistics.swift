/// Mean and a 95% confidence interval (normal approximation, 1.96·s/√n).
public struct MeanCI: Sendable, Equatable, Codable {
  public var mean: Double
  public var halfWidth: Double
  public var count: Int

  public init(mean: Double, halfWidth: Double, count: Int) {
    self.mean = mean; self.halfWidth = halfWidth; self.count = count
  }

  public init(_ xs: [Double]) {
    count = xs.count
    guard !xs.isEmpty else { mean = .nan; halfWidth = .nan; return }
    mean = xs.reduce(0, +) / Double(xs.count)
    guard xs.count > 1 else { halfWidth = .nan; return }
    let m = mean
    let variance = xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(xs.count - 1)
    halfWidth = 1.96 * variance.squareRoot() / Double(xs.count).squareRoot()
  }

  /// True when the two 95% intervals do not overlap and this mean is the larger.
  public func clearlyAbove(_ other: MeanCI) -> Bool { mean - halfWidth > other.mean + other.halfWidth }

  public func formatted(_ digits: Int = 2) -> String {
    "\(Fmt.fixed(mean, digits)) ± \(Fmt.fixed(halfWidth, digits))"
  }
}

/// Number formatting without Foundation.
public enum Fmt {
  public static func fixed(_ v: Double, _ digits: Int) -> String {
    guard v.isFinite else { return "n/a" }
    var p = 1.0
    for _ in 0..<digits { p *= 10 }
    let r = (abs(v) * p).rounded()
    let whole = Int(r / p), frac = Int(r.truncatingRemainder(dividingBy: p))
    var f = String(frac)
    while f.count < digits { f = "0" + f }
    return (v < 0 && r != 0 ? "-" : "") + String(whole) + (digits > 0 ? "." + f : "")
  }

  /// 1.2M, 350k, 900.
  public static func count(_ v: Double) -> String {
    v >= 1e6 ? fixed(v / 1e6, 2) + "M" : v >= 1e4 ? fixed(v / 1e3, 0) + "k" : fixed(v, 0)
  }

  /// 1h05m, 3m20s.
  public static func duration(_ s: Double) -> String {
    guard s.isFinite, s >= 0 else { return "?" }
    let t = Int(s)
    if t >= 3600 { return "\(t / 3600)h" + pad2(t % 3600 / 60) + "m" }
    if t >= 60 { return "\(t / 60)m" + pad2(t % 60) + "s" }
    return "\(t)s"
  }

  static func pad2(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
}
