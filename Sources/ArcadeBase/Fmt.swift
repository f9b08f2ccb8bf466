/// Number formatting for people, without Foundation: one place, so every output prints NaN, signs and
/// rounding the same way.
public enum Fmt {
  /// `v` with `digits` decimals; "n/a" when not finite.
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

  public static func fixed(_ v: Float, _ digits: Int) -> String { fixed(Double(v), digits) }

  /// A reward or return: one decimal, or two when one would hide it (chaser's +0.04 orbs, 0.44 after eleven).
  public static func reward(_ v: Float) -> String {
    let oneDecimal = (v * 10).rounded() / 10
    return fixed(v, abs(v - oneDecimal) > 0.001 ? 2 : 1)
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

  /// Right-aligns `s` in `width` columns.
  public static func pad(_ s: String, _ width: Int) -> String {
    let n = s.unicodeScalars.count
    return n >= width ? s : String(repeating: " ", count: width - n) + s
  }

  static func pad2(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
}
