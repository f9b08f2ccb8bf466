// Handlers: impala_cnn, impala_cnn_fullsize (formula-defined, checksummed gradients), conv4.
import ArcadeNN
import ArcadeNNTestSupport
import ArcadeTensor
import Foundation

func runImpalaSmall(_ c: VectorCase) throws -> CaseResult {
  let H = c.int("H"), W = c.int("W"), B = c.int("B"), chans = c.config["channels"] as! [Int]
  let ps = ParamStore()
  let cnn = ImpalaCNN(ps, "", inChannels: c.int("in_channels"), channels: chans, H: H, W: W)
  try c.loadParameters(into: ps)
  let x = try c.input("x")
  let f = cnn.forward(x, N: B)
  var r = CaseResult()
  r.outputs["features"] = Array(UnsafeBufferPointer(start: f, count: B * cnn.featureDim))
  var dx = zeros(x.count)
  cnn.backward(x, c.coef("features")!, &dx)
  r.gradients = c.parameterGradients(ps)
  r.gradients["x"] = dx
  return r
}

/// f(shape, a, b, s)[i] = s·sin(a·i + b)
func formula(_ n: Int, a: Double, b: Double, s: Double) -> [Double] { (0..<n).map { s * sin(a * Double($0) + b) } }

func runImpalaFullsize(_ c: VectorCase) throws -> CaseResult {
  let H = c.int("H"), W = c.int("W"), chans = c.config["channels"] as! [Int]
  let ps = ParamStore()
  let cnn = ImpalaCNN(ps, "", inChannels: 3, channels: chans, H: H, W: W)
  guard let pf = c.json["parameter_formulas"] as? [String: [String: Any]] else { throw VectorError.bad("\(c.file): no parameter_formulas") }
  for (name, spec) in pf {
    guard let ref = ps.ref(name) else { throw VectorError.bad("\(c.file): model has no parameter \(name)") }
    let v = formula(ref.count, a: (spec["a"] as! NSNumber).doubleValue, b: (spec["b"] as! NSNumber).doubleValue,
                    s: (spec["s"] as! NSNumber).doubleValue)
    for i in 0..<ref.count { ps.w(ref)[i] = Float(v[i]) }
  }
  let x = formula(3 * H * W, a: 0.37, b: 0, s: 1).map { Float(($0 + 1) / 2) }
  let coef = formula(cnn.featureDim, a: 0.011, b: 1, s: 1)
  let f = cnn.forward(x, N: 1)
  var r = CaseResult()
  let feats = Array(UnsafeBufferPointer(start: f, count: cnn.featureDim))
  r.outputs["features"] = feats
  var loss = 0.0
  for i in 0..<feats.count { loss += Double(feats[i]) * coef[i] }
  if let lv = (c.json["loss"] as? [String: Any])?["value"] as? NSNumber { r.extraChecks.append(("loss", loss, lv.doubleValue)) }
  var dx = zeros(x.count)
  cnn.backward(x, coef.map { Float($0) }, &dx)
  guard let sums = c.json["gradient_checksums"] as? [String: [String: Any]] else { throw VectorError.bad("\(c.file): no gradient_checksums") }
  for (name, s) in sums.sorted(by: { $0.key < $1.key }) {
    let g: [Float]
    if name == "x" { g = dx } else {
      guard let ref = ps.ref(name) else { throw VectorError.bad("\(c.file): model has no parameter \(name)") }
      g = Array(UnsafeBufferPointer(start: ps.g(ref), count: ref.count))
    }
    let gd = g.map { Double($0) }
    let w = formula(gd.count, a: 0.013, b: 0.3, s: 1)
    let sumAbs = (s["sum_abs"] as! NSNumber).doubleValue
    // Sums can cancel: compare them against the gradient's total magnitude (sum_abs) instead of |want|.
    func add(_ label: String, _ got: Double, _ key: String, scale: Double? = nil) {
      let want = (s[key] as! NSNumber).doubleValue
      let sc = scale ?? abs(want)
      r.extraChecks.append(("\(name).\(label)", want + (got - want) * max(1, abs(want)) / max(1, sc, abs(want)), want))
    }
    add("sum", gd.reduce(0, +), "sum", scale: sumAbs)
    add("sum_abs", gd.reduce(0) { $0 + abs($1) }, "sum_abs")
    add("sum_sq", gd.reduce(0) { $0 + $1 * $1 }, "sum_sq")
    add("weighted_sum", zip(gd, w).reduce(0) { $0 + $1.0 * $1.1 }, "weighted_sum", scale: sumAbs)
    let scale = (gd.map { abs($0) }.max() ?? 1)
    for (key, vals) in [("first8", Array(gd.prefix(8))), ("last8", Array(gd.suffix(8)))] {
      let want = (s[key] as! [NSNumber]).map { $0.doubleValue }
      for i in 0..<want.count {
        r.extraChecks.append(("\(name).\(key)[\(i)]", want[i] + (vals[i] - want[i]) / max(1, scale), want[i]))
      }
    }
  }
  return r
}

func runConv4(_ c: VectorCase) throws -> CaseResult {
  let N = c.int("N"), C = c.int("C"), H = c.int("H"), W = c.int("W"), ch = c.int("channels")
  let ps = ParamStore()
  let enc = Conv4(ps, "", inChannels: C, channels: ch, H: H, W: W)
  try c.loadParameters(into: ps)
  let x = try c.input("x")
  let f = enc.forward(x, N: N)
  var r = CaseResult()
  r.outputs["features"] = Array(UnsafeBufferPointer(start: f, count: N * enc.featureDim))
  var dx = zeros(x.count)
  enc.backward(x, c.coef("features")!, &dx)
  r.gradients = c.parameterGradients(ps)
  r.gradients["x"] = dx
  return r
}
