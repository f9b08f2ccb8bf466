// The few-shot model with its run config, saved and loaded as one file: a training step's loss and
// gradient, and predictions.
import ArcadeNN
import ArcadeTensor
import Foundation

/// Model + config, saved and loaded as one safetensors file.
public final class FewShotLearner {
  public let config: FewShotRunConfig
  public let model: FewShotModel
  let dLogits = Buffer(), dFeatures = Buffer(), teacher = Buffer()
  let prototypes = PrototypeLoss()
  /// `supportLabels(_:)`'s answer, kept so that training steps reuse its storage.
  var supportLabelRows: [Int] = []

  public init(_ config: FewShotRunConfig) {
    self.config = config
    model = FewShotModel(config.modelConfig, seed: config.seed)
  }

  var bnExtra: [(String, [Int], [Float])] {
    model.encoder.batchNorms.enumerated().flatMap { i, bn in
      [("encoder.bn\(i).running_mean", [bn.channels], bn.runningMean), ("encoder.bn\(i).running_var", [bn.channels], bn.runningVar)]
    }
  }

  public func save(_ path: String, info: [String: String] = [:], extra: [(String, [Int], [Float])] = []) throws {
    let json = String(decoding: try JSONEncoder().encode(config), as: UTF8.self)
    var meta = info
    meta["fewshot.config"] = json
    try Checkpoint.save(model.ps, to: path, extra: bnExtra + extra, metadata: meta)
  }

  /// Loads a checkpoint written by `save`; every problem is a one-line error. The stored config is checked
  /// against its ranges and the header against the tensors it implies before the model is built.
  public static func load(_ path: String) throws -> (FewShotLearner, [String: String]) {
    try load(CheckpointFile(path))
  }

  static func load(_ file: CheckpointFile) throws -> (FewShotLearner, [String: String]) {
    let path = file.path, meta = file.metadata
    guard let js = meta["fewshot.config"] else {
      throw FewShotError("checkpoint \(path): not a few-shot checkpoint (no fewshot.config metadata)")
    }
    let cfg: FewShotRunConfig
    do { cfg = try JSONDecoder().decode(FewShotRunConfig.self, from: Data(js.utf8)) } catch {
      throw FewShotError("checkpoint \(path): \(ConfigRange.decodingProblem(error))")
    }
    do { try cfg.validate() } catch { throw FewShotError("checkpoint \(path): \(error)") }
    let params = FewShotModel.parameterShapes(cfg.modelConfig)
    let total = params.reduce(0) { $0 + $1.count }
    var extra = ["adam.m": [total], "adam.v": [total]]
    for i in 0..<4 { for s in ["running_mean", "running_var"] { extra["encoder.bn\(i).\(s)"] = [cfg.convChannels] } }
    try file.expect(params, extra: extra)
    let l = FewShotLearner(cfg)
    for r in l.model.ps.params { l.model.ps.w(r).update(from: try file.values(r.name), count: r.count) }
    for (i, bn) in l.model.encoder.batchNorms.enumerated() {
      bn.runningMean = try file.values("encoder.bn\(i).running_mean")
      bn.runningVar = try file.values("encoder.bn\(i).running_var")
    }
    return (l, meta)
  }

  /// One optimisation step's forward and backward pass. Returns the loss, correct and counted targets, and the
  /// accuracy on the targets whose class was shown before in the episode (`seenAccuracy`): every query in the
  /// synchronous setting; in the delayed setting, first occurrences (a guess by construction) are left out.
  /// With `protoLoss`, the auxiliary loss's gradient joins the encoder's and `prototypeCorrect` counts the
  /// queries its nearest prototype gets right (0 without it or `distill`). With `distill`, the model's answers
  /// are also pulled toward the prototypes' (their softmax at `distillTemperature`, a target that is not trained).
  public func lossAndGradient(_ e: EpisodeBatch) -> (loss: Double, correct: Int, counted: Int, seenAccuracy: Double, prototypeCorrect: Int) {
    requireSide(e)
    let n = e.L * e.B, N = config.ways
    // The model reads the images again in backward, so both passes run while the pointer is valid.
    return e.images.withUnsafeBufferPointer { px in
      let logits = model.forward(images: px.baseAddress!, labels: e.inputLabels, L: e.L, B: e.B)
      var seenHit = 0, seenCount = 0
      for r in 0..<n where e.targets[r] >= 0 && e.shotIndex[r] > 0 {
        seenCount += 1
        if Vec.argmax(logits + r * N, N) == e.targets[r] { seenHit += 1 }
      }
      let r = SoftmaxCrossEntropy.lossAndGradient(logits, labels: e.targets, n: n, classes: N, dLogits: dLogits.resize(n * N))
      var protoHit = 0
      let protoWeight = config.protoLoss ?? 0, distillWeight = config.distill ?? 0
      if protoWeight > 0 || distillWeight > 0 {
        let F = model.encoder.featureDim
        let dF = protoWeight > 0 ? dFeatures.resize(n * F) : nil, soft = distillWeight > 0 ? teacher.resize(n * N) : nil
        dF?.update(repeating: 0, count: n * F)
        protoHit = prototypes.lossAndGradient(model.features!, featureDim: F, L: e.L, B: e.B, supportLabels: supportLabels(e),
                                              targets: e.targets, classes: N, weight: Float(protoWeight), dFeatures: dF,
                                              temperature: Float(config.distillTemperature ?? 1), probabilities: soft).correct
        if let soft {
          SoftmaxCrossEntropy.softTargetLossAndGradient(logits, targets: soft, rows: prototypes.predictions, n: n, classes: N,
                                                        weight: Float(distillWeight), addingTo: dLogits.ptr)
        }
      }
      model.backward(dLogits: dLogits.ptr, dFeatures: protoWeight > 0 ? UnsafePointer(dFeatures.ptr) : nil)
      return (r.loss, r.correct, r.counted, Double(seenHit) / Double(max(seenCount, 1)), protoHit)
    }
  }

  /// Predicted class per step [L·B] (evaluation mode must be set by the caller).
  public func predict(_ e: EpisodeBatch) -> [Int] {
    requireSide(e)
    let N = config.ways
    let logits = e.images.withUnsafeBufferPointer { model.forward(images: $0.baseAddress!, labels: e.inputLabels, L: e.L, B: e.B) }
    return (0..<(e.L * e.B)).map { Vec.argmax(logits + $0 * N, N) }
  }

  /// Episodes must come in the image size the encoder was built for (a programming error otherwise:
  /// sources of another size are refused with a message before any episode is drawn).
  func requireSide(_ e: EpisodeBatch) {
    precondition(e.side == config.side, "episode images are \(e.side)×\(e.side), the model takes \(config.side)×\(config.side)")
  }
}
