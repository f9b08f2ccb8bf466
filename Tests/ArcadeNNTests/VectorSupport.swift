// Helpers shared by the per-component reference-vector handlers.
import ArcadeNN
import ArcadeTensor
import Foundation

extension VectorCase {
  func input(_ k: String) throws -> [Float] {
    guard let t = inputs[k] ?? nondiff[k] else { throw VectorError.bad("\(file): missing input \(k)") }
    return t.floats
  }
  /// Copies every reference parameter into the store (name = prefix + reference name).
  func loadParameters(into ps: ParamStore, prefix: String = "") throws {
    for (k, t) in parameters {
      guard let r = ps.ref(prefix + k) else { throw VectorError.bad("\(file): model has no parameter \(prefix + k)") }
      guard r.count == t.data.count else {
        throw VectorError.bad("\(file): parameter \(k) has \(t.data.count) values, model \(r.count)")
      }
      let p = ps.w(r)
      for i in 0..<r.count { p[i] = Float(t.data[i]) }
    }
  }
  /// Gradients of every reference parameter from the store.
  func parameterGradients(_ ps: ParamStore, prefix: String = "") -> [String: [Float]] {
    var g: [String: [Float]] = [:]
    for k in parameters.keys {
      if let r = ps.ref(prefix + k) { g[k] = Array(UnsafeBufferPointer(start: ps.g(r), count: r.count)) }
    }
    return g
  }
}

/// Packs per-block SRWM states (B,H,d,d)×3 + (B,H,4,d) into [B,H,R,d].
func packSRWM(_ y: [Float], _ q: [Float], _ k: [Float], _ b: [Float], B: Int, H: Int, d: Int) -> [Float] {
  let R = 3 * d + 4, dd = d * d
  var out = [Float](repeating: 0, count: B * H * R * d)
  for bh in 0..<(B * H) {
    let o = bh * R * d
    for i in 0..<dd { out[o + i] = y[bh * dd + i]; out[o + dd + i] = q[bh * dd + i]; out[o + 2 * dd + i] = k[bh * dd + i] }
    for i in 0..<(4 * d) { out[o + 3 * dd + i] = b[bh * 4 * d + i] }
  }
  return out
}

func unpackSRWM(_ s: [Float], B: Int, H: Int, d: Int) -> ([Float], [Float], [Float], [Float]) {
  let R = 3 * d + 4, dd = d * d
  var y = [Float](), q = [Float](), k = [Float](), b = [Float]()
  for bh in 0..<(B * H) {
    let o = bh * R * d
    y += s[o..<(o + dd)]; q += s[(o + dd)..<(o + 2 * dd)]; k += s[(o + 2 * dd)..<(o + 3 * dd)]
    b += s[(o + 3 * dd)..<(o + R * d)]
  }
  return (y, q, k, b)
}

func zeros(_ n: Int) -> [Float] { [Float](repeating: 0, count: n) }
