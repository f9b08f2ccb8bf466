// Handler: fewshot_*.
import ArcadeNN
import ArcadeNNTestSupport
import ArcadeTensor

func runFewShot(_ c: VectorCase) throws -> CaseResult {
  var cfg = FewShotConfig(core: CoreKind(rawValue: c.config["core"] as! String)!)
  cfg.imageHW = c.int("img_hw"); cfg.convChannels = c.int("conv_channels"); cfg.nWay = c.int("n_way")
  cfg.dModel = c.int("D"); cfg.numLayers = c.int("num_layers"); cfg.numHeads = c.int("num_heads")
  cfg.ffDim = c.int("ff_dim"); cfg.lstmHidden = c.int("lstm_hidden")
  let L = c.int("L"), B = c.int("B")
  let model = FewShotModel(cfg)
  try c.loadParameters(into: model.ps)
  let images = try c.input("images"), labels = try c.input("labels").map { Int($0) }
  let lg = model.forward(images: images, labels: labels, L: L, B: B)
  var r = CaseResult()
  r.outputs["logits"] = Array(UnsafeBufferPointer(start: lg, count: L * B * cfg.nWay))
  model.ps.zeroGrad()
  model.backward(dLogits: c.coef("logits")!)
  r.gradients = c.parameterGradients(model.ps)
  return r
}
