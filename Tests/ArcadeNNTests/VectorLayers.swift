// Handlers: layernorm, ff_block, lstm, deltanet_layer, lt_layer.
import ArcadeNN
import ArcadeNNTestSupport
import ArcadeTensor

func runLayerNorm(_ c: VectorCase) throws -> CaseResult {
  let x = try c.input("x"), D = c.inputs["x"]!.shape.last!, n = x.count / D
  let ps = ParamStore()
  let ln = LayerNorm(ps, "", D)
  // reference names are "weight"/"bias"; ours are ".weight"/".bias" with an empty prefix
  try c.loadParameters(into: ps, prefix: ".")
  var y = zeros(x.count), dx = zeros(x.count)
  ln.forward(x, &y, n: n)
  ln.backward(x, c.coef("out")!, &dx, n: n)
  var r = CaseResult()
  r.outputs["out"] = y
  r.gradients = c.parameterGradients(ps, prefix: ".")
  r.gradients["x"] = dx
  return r
}

func runFFBlock(_ c: VectorCase) throws -> CaseResult {
  let x = try c.input("x"), D = c.int("D"), F = c.int("F"), n = x.count / D
  let ps = ParamStore()
  let ff = FFBlock(ps, "", dim: D, hidden: F)
  try c.loadParameters(into: ps, prefix: ".")
  var y = zeros(x.count), dx = zeros(x.count)
  ff.forward(x, &y, n: n)
  ff.backward(x, c.coef("out")!, &dx, n: n)
  var r = CaseResult()
  r.outputs["out"] = y
  r.gradients = c.parameterGradients(ps, prefix: ".")
  r.gradients["x"] = dx
  return r
}

func runLSTM(_ c: VectorCase) throws -> CaseResult {
  let L = c.int("L"), B = c.int("B"), I = c.int("input_size"), Hh = c.int("hidden_size")
  let ps = ParamStore()
  let lstm = LSTM(ps, "lstm", inDim: I, hidden: Hh)
  try c.loadParameters(into: ps)
  let x = try c.input("x")
  var h = try c.input("h0"), cc = try c.input("c0"), y = zeros(L * B * Hh)
  let mask = c.nondiff["reset_mask"]?.floats
  mask.withOptionalPointer { m in lstm.forward(x, &y, L: L, B: B, h: &h, c: &cc, reset: m) }
  var r = CaseResult()
  r.outputs["y"] = y; r.outputs["h_final"] = h; r.outputs["c_final"] = cc
  var dh = c.coef("h_final") ?? zeros(B * Hh), dc = c.coef("c_final") ?? zeros(B * Hh), dx = zeros(x.count)
  lstm.backward(x, c.coef("y")!, &dx, dhState: &dh, dcState: &dc)
  r.gradients = c.parameterGradients(ps)
  r.gradients["x"] = dx; r.gradients["h0"] = dh; r.gradients["c0"] = dc
  return r
}

func runFastWeight(_ c: VectorCase, kind: FastWeightLayer.Kind) throws -> CaseResult {
  let L = c.int("L"), B = c.int("B"), H = c.int("H"), D = c.int("D"), d = D / H
  let eps = Float((c.config["sum_norm_eps"] as? Double) ?? 0)
  let ps = ParamStore()
  let layer = FastWeightLayer(ps, "", dim: D, heads: H, kind: kind, eps: eps)
  try c.loadParameters(into: ps)
  let x = try c.input("h")
  var state = c.inputs["W_init"]?.floats ?? zeros(B * H * d * d)
  var y = zeros(x.count), dx = zeros(x.count)
  let mask = c.nondiff["reset_mask"]?.floats
  mask.withOptionalPointer { m in layer.forward(x, &y, L: L, B: B, state: &state, reset: m) }
  var r = CaseResult()
  r.outputs["out"] = y; r.outputs["state_W"] = state
  var dS = c.coef("state_W") ?? zeros(state.count)
  layer.backward(x, c.coef("out")!, &dx, dState: &dS)
  r.gradients = c.parameterGradients(ps)
  r.gradients["h"] = dx; r.gradients["W_init"] = dS
  return r
}
