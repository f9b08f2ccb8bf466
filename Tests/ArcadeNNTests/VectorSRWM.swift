// Handlers: srwm_core, srwm_layer_fsl, srwm_layer_rl.
import ArcadeNN
import ArcadeNNTestSupport
import ArcadeTensor

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
