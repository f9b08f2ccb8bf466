// Elementwise ops over large activation tensors, split into chunks across the workers.
import ArcadeTensor

enum PAct {
  static let chunk = 1 << 16

  @inline(__always) static func run(_ n: Int, _ body: @escaping (Int, Int) -> Void) {
    let chunks = (n + chunk - 1) / chunk
    if chunks <= 1 || Parallel.threads <= 1 { body(0, n); return }
    Parallel.forEach(chunks) { c in body(c * chunk, min(n, (c + 1) * chunk)) }
  }

  /// y = max(x, 0)
  static func relu(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
    let xp = SendablePtr(UnsafeMutablePointer(mutating: x)), yp = SendablePtr(y)
    run(n) { lo, hi in for i in lo..<hi { yp.p[i] = max(xp.p[i], 0) } }
  }
  /// dx = x > 0 ? dy : 0 (dx may alias dy)
  static func reluBackward(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, _ n: Int) {
    let xp = SendablePtr(UnsafeMutablePointer(mutating: x)), gp = SendablePtr(UnsafeMutablePointer(mutating: dy))
    let dp = SendablePtr(dx)
    run(n) { lo, hi in for i in lo..<hi { dp.p[i] = xp.p[i] > 0 ? gp.p[i] : 0 } }
  }
  /// y += x
  static func add(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
    let xp = SendablePtr(UnsafeMutablePointer(mutating: x)), yp = SendablePtr(y)
    run(n) { lo, hi in for i in lo..<hi { yp.p[i] += xp.p[i] } }
  }
  /// y += (m > 0 ? x : 0)
  static func maskedAdd(_ m: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
    let mp = SendablePtr(UnsafeMutablePointer(mutating: m)), xp = SendablePtr(UnsafeMutablePointer(mutating: x))
    let yp = SendablePtr(y)
    run(n) { lo, hi in for i in lo..<hi { yp.p[i] += mp.p[i] > 0 ? xp.p[i] : 0 } }
  }
}
