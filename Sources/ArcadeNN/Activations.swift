// Elementwise activations and softmax, forward and backward side by side.
import Glibc

public enum Act {
  // ReLU: y = max(x, 0); dx = dy·[y > 0]
  @inline(__always) public static func relu(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
    for i in 0..<n { y[i] = max(x[i], 0) }
  }
  /// dx = dy where x > 0 (x may be the input or the output). dx may alias dy.
  @inline(__always) public static func reluBackward(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>,
                                                    _ dx: UnsafeMutablePointer<Float>, _ n: Int) {
    for i in 0..<n { dx[i] = x[i] > 0 ? dy[i] : 0 }
  }

  // LeakyReLU(slope)
  @inline(__always) public static func leakyRelu(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int, slope: Float = 0.01) {
    for i in 0..<n { y[i] = x[i] > 0 ? x[i] : slope * x[i] }
  }
  @inline(__always) public static func leakyReluBackward(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>,
                                                         _ dx: UnsafeMutablePointer<Float>, _ n: Int, slope: Float = 0.01) {
    for i in 0..<n { dx[i] = x[i] > 0 ? dy[i] : slope * dy[i] }
  }

  @inline(__always) public static func sigmoid(_ x: Float) -> Float { 1 / (1 + expf(-x)) }

  /// Max-subtracted softmax over n entries.
  @inline(__always) public static func softmax(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
    var m = x[0]
    for i in 1..<n { m = max(m, x[i]) }
    var s: Float = 0
    for i in 0..<n { let e = expf(x[i] - m); y[i] = e; s += e }
    let inv = 1 / s
    for i in 0..<n { y[i] *= inv }
  }
  /// dx = y ⊙ (dy − (dy·y)). dx may alias dy.
  @inline(__always) public static func softmaxBackward(_ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>,
                                                       _ dx: UnsafeMutablePointer<Float>, _ n: Int) {
    var s: Float = 0
    for i in 0..<n { s += dy[i] * y[i] }
    for i in 0..<n { dx[i] = y[i] * (dy[i] - s) }
  }

  /// Row-wise softmax over m rows of n.
  public static func softmaxRows(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, m: Int, n: Int) {
    for r in 0..<m { softmax(x + r * n, y + r * n, n) }
  }
  public static func softmaxRowsBackward(_ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>,
                                         _ dx: UnsafeMutablePointer<Float>, m: Int, n: Int) {
    for r in 0..<m { softmaxBackward(y + r * n, dy + r * n, dx + r * n, n) }
  }
}
