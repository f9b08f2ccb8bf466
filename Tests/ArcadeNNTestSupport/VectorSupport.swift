// Helpers shared by the per-component reference-vector handlers (ArcadeNNTests and ArcadeRLTests).
import ArcadeNN
import ArcadeTensor
import Foundation

extension VectorCase {
  package func input(_ k: String) throws -> [Float] {
    guard let t = inputs[k] ?? nondiff[k] else { throw VectorError.bad("\(file): missing input \(k)") }
    return t.floats
  }
  /// Copies every reference parameter into the store (name = prefix + reference name).
  package func loadParameters(into ps: ParamStore, prefix: String = "") throws {
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
  package func parameterGradients(_ ps: ParamStore, prefix: String = "") -> [String: [Float]] {
    var g: [String: [Float]] = [:]
    for k in parameters.keys {
      if let r = ps.ref(prefix + k) { g[k] = Array(UnsafeBufferPointer(start: ps.g(r), count: r.count)) }
    }
    return g
  }
}

/// Packs per-block SRWM states (B,H,d,d)×3 + (B,H,4,d) into [B,H,R,d].
package func packSRWM(_ y: [Float], _ q: [Float], _ k: [Float], _ b: [Float], B: Int, H: Int, d: Int) -> [Float] {
  let R = 3 * d + 4, dd = d * d
  var out = [Float](repeating: 0, count: B * H * R * d)
  for bh in 0..<(B * H) {
    let o = bh * R * d
    for i in 0..<dd { out[o + i] = y[bh * dd + i]; out[o + dd + i] = q[bh * dd + i]; out[o + 2 * dd + i] = k[bh * dd + i] }
    for i in 0..<(4 * d) { out[o + 3 * dd + i] = b[bh * 4 * d + i] }
  }
  return out
}

package func unpackSRWM(_ s: [Float], B: Int, H: Int, d: Int) -> ([Float], [Float], [Float], [Float]) {
  let R = 3 * d + 4, dd = d * d
  var y = [Float](), q = [Float](), k = [Float](), b = [Float]()
  for bh in 0..<(B * H) {
    let o = bh * R * d
    y += s[o..<(o + dd)]; q += s[(o + dd)..<(o + 2 * dd)]; k += s[(o + 2 * dd)..<(o + 3 * dd)]
    b += s[(o + 3 * dd)..<(o + R * d)]
  }
  return (y, q, k, b)
}

package func zeros(_ n: Int) -> [Float] { [Float](repeating: 0, count: n) }

/// Reads the SRWM carried state (prefix "dW" + "y"/"q"/"k"/"b" + suffix) or zeros.
package func srwmState(_ c: VectorCase, _ pre: String, _ suf: String, B: Int, H: Int, d: Int) throws -> [Float] {
  if c.inputs[pre + "y" + suf] == nil { return zeros(B * H * (3 * d + 4) * d) }
  return packSRWM(try c.input(pre + "y" + suf), try c.input(pre + "q" + suf), try c.input(pre + "k" + suf),
                  try c.input(pre + "b" + suf), B: B, H: H, d: d)
}
package func srwmStateCoef(_ c: VectorCase, _ pre: String, B: Int, H: Int, d: Int) -> [Float] {
  let n = B * H * d * d
  return packSRWM(c.coef(pre + "y") ?? zeros(n), c.coef(pre + "q") ?? zeros(n), c.coef(pre + "k") ?? zeros(n),
                  c.coef(pre + "b") ?? zeros(B * H * 4 * d), B: B, H: H, d: d)
}
package func putSRWMState(_ r: inout CaseResult, outputs: Bool, _ pre: String, _ s: [Float], B: Int, H: Int, d: Int) {
  let (y, q, k, b) = unpackSRWM(s, B: B, H: H, d: d)
  if outputs {
    r.outputs[pre + "y"] = y; r.outputs[pre + "q"] = q; r.outputs[pre + "k"] = k; r.outputs[pre + "b"] = b
  } else {
    r.gradients[pre + "y" + "_init"] = y; r.gradients[pre + "q_init"] = q; r.gradients[pre + "k_init"] = k
    r.gradients[pre + "b_init"] = b
  }
}

extension Optional where Wrapped == [Float] {
  package func withOptionalPointer<R>(_ body: (UnsafePointer<Float>?) -> R) -> R {
    switch self {
    case .none: return body(nil)
    case .some(let a): return a.withUnsafeBufferPointer { body($0.baseAddress) }
    }
  }
}
