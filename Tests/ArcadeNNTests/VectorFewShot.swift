// Handler: fewshot_*.
import ArcadeNN
import ArcadeNNTestSupport
import ArcadeTensor

func runFewShot(_ c: VectorCase) throws -> CaseResult {
  var cfg = FewShotConfig(core: CoreKind(rawValue: c.config["core"] as! String)!)
  cfg.imageHW = c.int("img_hw"); cfg.convChannels = c.int("conv_channels"); cfg.nWay = c.int("n_way")
  cfg.core.hidden = c.int("D"); cfg.core.numLayers = c.int("num_layers"); cfg.core.numHeads = c.int("num_heads")
  cfg.core.dimFF = c.int("ff_dim"); cfg.core.lstmHidden = c.int("lstm_hidden")
  let L = c.int("L"), B = c.int("B")
  let model = FewShotModel(cfg)
  try c.loadParameters(into: model.ps)
  let images = try c.input("images"), labels = try c.input("labels").map { Int($0) }
  var r = CaseResult()
  // The model keeps the images pointer for backward, so it must stay valid until then: an
  // implicit array-to-pointer conversion in forward's call dangles once the optimiser frees
  // the array (it did in release builds, with garbage encoder.net.0.weight gradients).
  images.withUnsafeBufferPointer { px in
    let lg = model.forward(images: px.baseAddress!, labels: labels, L: L, B: B)
    r.outputs["logits"] = Array(UnsafeBufferPointer(start: lg, count: L * B * cfg.nWay))
    model.ps.zeroGrad()
    model.backward(dLogits: c.coef("logits")!)
  }
  r.gradients = c.parameterGradients(model.ps)
  return r
}
