// Row reductions for the conv encoders' batch norm and bias gradients.

/// Reductions over a row in 16 float lanes (the compiler keeps a scalar sum in order, one add at a time).
enum Lanes {
  typealias V = SIMD16<Float>

  @inline(__always) static func load(_ p: UnsafePointer<Float>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }

  /// Σ x
  static func sum(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
    var acc = V(), i = 0
    while i + 16 <= n { acc += load(x + i); i += 16 }
    var s = acc.sum()
    while i < n { s += x[i]; i += 1 }
    return s
  }

  /// Σ (x − m)²
  static func sumSquaredDeviation(_ x: UnsafePointer<Float>, _ n: Int, from m: Float) -> Float {
    var acc = V(), i = 0
    let mv = V(repeating: m)
    while i + 16 <= n { let d = load(x + i) - mv; acc.addProduct(d, d); i += 16 }
    var s = acc.sum()
    while i < n { let d = x[i] - m; s += d * d; i += 1 }
    return s
  }

  /// (Σ y, Σ y·(x − m))
  static func sumAndDotDeviation(_ y: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ n: Int, from m: Float) -> (Float, Float) {
    var a = V(), b = V(), i = 0
    let mv = V(repeating: m)
    while i + 16 <= n { let yv = load(y + i); a += yv; b.addProduct(yv, load(x + i) - mv); i += 16 }
    var s = a.sum(), d = b.sum()
    while i < n { s += y[i]; d += y[i] * (x[i] - m); i += 1 }
    return (s, d)
  }
}
