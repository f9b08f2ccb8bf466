// Small vector helpers on raw pointers (loops vectorise under -O -target-cpu haswell).

public enum Vec {
  @inlinable @inline(__always) public static func zero(_ p: UnsafeMutablePointer<Float>, _ n: Int) {
    p.update(repeating: 0, count: n)
  }
  @inlinable @inline(__always) public static func copy(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ n: Int) {
    dst.update(from: src, count: n)
  }
  /// y += a * x
  @inlinable @inline(__always) public static func axpy(_ a: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
    for i in 0..<n { y[i] += a * x[i] }
  }
  /// y += x
  @inlinable @inline(__always) public static func add(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
    for i in 0..<n { y[i] += x[i] }
  }
  @inlinable @inline(__always) public static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ n: Int) -> Float {
    var s: Float = 0
    for i in 0..<n { s += x[i] * y[i] }
    return s
  }
  @inlinable @inline(__always) public static func scale(_ a: Float, _ x: UnsafeMutablePointer<Float>, _ n: Int) {
    for i in 0..<n { x[i] *= a }
  }
  /// The index of the first of the largest values.
  @inlinable public static func argmax(_ x: UnsafePointer<Float>, _ n: Int) -> Int {
    var best = 0
    for i in 1..<n where x[i] > x[best] { best = i }
    return best
  }
  @inlinable public static func sumSquares(_ x: UnsafePointer<Float>, _ n: Int) -> Double {
    var s: Double = 0
    for i in 0..<n { s += Double(x[i]) * Double(x[i]) }
    return s
  }
  /// Adds bias b[n] to each of m rows of y[m,n].
  @inlinable @inline(__always) public static func addRows(_ b: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, m: Int, n: Int) {
    for r in 0..<m { add(b, y + r * n, n) }
  }
  /// db[n] += column sums of dy[m,n].
  @inlinable @inline(__always) public static func colSum(_ dy: UnsafePointer<Float>, _ db: UnsafeMutablePointer<Float>, m: Int, n: Int) {
    for r in 0..<m { add(dy + r * n, db, n) }
  }
}
