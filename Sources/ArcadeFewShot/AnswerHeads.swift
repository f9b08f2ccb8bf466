// Who answers a synchronous episode's queries besides the whole model: its image encoder alone, as a
// prototypical network (nearest class prototype = mean support feature). Comparing the two shows where
// accuracy is lost: in the features, or in the core's in-context matching of them.
import ArcadeNN

/// The answering head of `FewShotLearner.evaluate`.
public enum AnswerHead: String, Sendable, CaseIterable {
  /// The model's own output.
  case model
  /// The encoder's nearest class prototype.
  case prototypes
}

extension FewShotLearner {
  /// The class each support step shows (its input label), −1 for the query steps (synchronous episodes).
  func supportLabels(_ e: EpisodeBatch) -> [Int] {
    if supportLabelRows.count != e.targets.count { supportLabelRows = Array(repeating: -1, count: e.targets.count) }
    for r in 0..<e.targets.count { supportLabelRows[r] = e.targets[r] < 0 ? e.inputLabels[r] : -1 }
    return supportLabelRows
  }

  /// The encoder's nearest-prototype class per step [L·B], −1 for support steps: the encoder alone as a
  /// prototypical network (synchronous episodes; evaluation mode must be set by the caller).
  public func predictByPrototypes(_ e: EpisodeBatch) -> [Int] {
    requireSide(e)
    let F = model.encoder.featureDim
    e.images.withUnsafeBufferPointer { px in
      let f = model.encoder.forward(px.baseAddress!, N: e.L * e.B)
      prototypes.lossAndGradient(f, featureDim: F, L: e.L, B: e.B, supportLabels: supportLabels(e), targets: e.targets,
                                 classes: config.ways)
    }
    return prototypes.predictions
  }
}
