// Handlers: srwm_core, srwm_layer_fsl, srwm_layer_rl.
import ArcadeNN
import ArcadeTensor

/// Reads the SRWM carried state (prefix "dW" + "y"/"q"/"k"/"b" + suffix) or zeros.
func srwmState(_ c: VectorCase, _ pre: String, _ suf: String, B: Int, H: Int, d: Int) throws -> [Float] {
  if c.inputs[pre + "y" + suf] == nil { return zeros(B * H * (3 * d + 4) * d) }
  return packSRWM(try c.input(pre + "y" + suf), try c.input(pre + "q" + suf), try c.input(pre + "k" + suf),
                  try c.input(pre + "b" + suf), B: B, H: H, d: d)
}
func srwmStateCoef(_ c: VectorCase, _ pre: String, B: Int, H: Int, d: Int) -> [Float] {
  let n = B * H * d * d
  return packSRWM(c.coef(pre + "y") ?? zeros(n), c.coef(pre + "q") ?? zeros(n), c.coef(pre + "k") ?? zeros(n),
                  c.coef(pre + "b") ?? zeros(B * H * 4 * d), B: B, H: H, d: d)
}
func putSRWMState(_ r: inout CaseResult, outputs: Bool, _ pre: String, _ s: [Float], B: Int, H: Int, d: Int) {
  let (y, q, k, b) = unpackSRWM(s, B: B, H: H, d: d)
  if outputs {
    r.outputs[pre + "y"] = y; r.outputs[pre + "q"] = q; r.outputs[pre + "k"] = k; r.outputs[pre + "b"] = b
  } else {
    r.gradients[pre + "y" + "_init"] = y; r.gradients[pre + "q_init"] = q; r.gradients[pre + "k_init"] = k
    r.gradients[pre + "b_init"] = b
  }
}

func runSRWMCore(_ c: VectorCase) throws -> CaseResult {
  let L = c.int("L"), B = c.int("B"), H = c.int("H"), d = c.int("d")
  let ps = ParamStore()
  let core = SRWMCore(ps, heads: H, headDim: d, inputSoftmax: c.bool("input_softmax"), names: ("W0y", "W0q", "W0k", "W0b"))
  try c.loadParameters(into: ps)
  let x = try c.input("x")
  var state = try srwmState(c, "dW", "_init", B: B, H: H, d: d)
  var y = zeros(x.count)
  let mask = c.nondiff["reset_mask"]?.floats
  mask.withOptionalPointer { m in core.forward(x, &y, L: L, B: B, state: &state, reset: m) }
  var r = CaseResult()
  r.outputs["Y"] = y
  putSRWMState(&r, outputs: true, "state_dW", state, B: B, H: H, d: d)
  var dState = srwmStateCoef(c, "state_dW", B: B, H: H, d: d)
  var dx = zeros(x.count)
  ps.zeroGrad()
  core.backward(c.coef("Y")!, &dx, dState: &dState)
  r.gradients["x"] = dx
  putSRWMState(&r, outputs: false, "dW", dState, B: B, H: H, d: d)
  r.gradients.merge(c.parameterGradients(ps)) { a, _ in a }
  return r
}

func runSRWMLayer(_ c: VectorCase, variant: SRWMLayer.Variant) throws -> CaseResult {
  let L = c.int("L"), B = c.int("B"), H = c.int("H"), D = c.int("D"), d = D / H
  let ps = ParamStore()
  let layer = SRWMLayer(ps, "", dim: D, heads: H, variant: variant)
  try c.loadParameters(into: ps)
  let x = try c.input("h")
  var state = try srwmState(c, "dW", "_init", B: B, H: H, d: d)
  var y = zeros(x.count)
  let mask = c.nondiff["reset_mask"]?.floats
  mask.withOptionalPointer { m in layer.forward(x, &y, L: L, B: B, state: &state, reset: m) }
  var r = CaseResult()
  r.outputs["out"] = y
  putSRWMState(&r, outputs: true, "state_dW", state, B: B, H: H, d: d)
  var dState = srwmStateCoef(c, "state_dW", B: B, H: H, d: d)
  var dx = zeros(x.count)
  ps.zeroGrad()
  layer.backward(x, c.coef("out")!, &dx, dState: &dState)
  r.gradients["h"] = dx
  putSRWMState(&r, outputs: false, "dW", dState, B: B, H: H, d: d)
  r.gradients.merge(c.parameterGradients(ps)) { a, _ in a }
  return r
}

extension Optional where Wrapped == [Float] {
  func withOptionalPointer<R>(_ body: (UnsafePointer<Float>?) -> R) -> R {
    switch self {
    case .none: return body(nil)
    case .some(let a): return a.withUnsafeBufferPointer { body($0.baseAddress) }
    }
  }
}
