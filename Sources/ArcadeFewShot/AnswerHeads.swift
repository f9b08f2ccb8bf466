// Who answers a synchronous episode's queries besides the whole model: its image encoder alone, as a
// prototypical network (nearest class prototype = mean support feature). Comparing the two shows where
// accuracy is lost: in the features, or in the core's in-context matching of them.
import ArcadeBase
import ArcadeNN
import Foundation

/// The answering head of `FewShotLearner.evaluate`.
public enum AnswerHead: String, Sendable, CaseIterable {
  /// The model's own output.
  case model
  /// The encoder's nearest class prototype.
  case prototypes
}

extension FewShotLearner {
  /// Refuses, with the message a user sees, what `answers` cannot do for this model's episodes.
  func checkAnswering(head: AnswerHead, ensemble: Int, jittered: Bool, secondTask: Bool, joined: Bool = false) throws {
    let oneSyncTask = config.episodeMode == .sync && !secondTask
    guard ensemble == 1 || oneSyncTask else { throw FewShotError("--ensemble needs a synchronous-label model on one task") }
    guard !joined || oneSyncTask else { throw FewShotError("--with needs synchronous-label models on one task") }
    guard head == .model || oneSyncTask else {
      throw FewShotError("--head \(head.rawValue) needs a synchronous-label model on one task")
    }
    guard head == .model || ensemble == 1 || jittered else {
      throw FewShotError("--head \(head.rawValue) does not depend on label order: its --ensemble views differ only with --view-jitter")
    }
  }

  /// The predicted class per step [L·B] (−1 where the head does not answer): `head`'s answers, with each
  /// query decided by `members` views of its episode when there is more than one (`EpisodeViews`), and
  /// by the `others` checkpoints' answers too when there are any (`answersTogether`).
  /// Evaluation mode must be set by the caller, on every learner.
  public func answers(_ e: EpisodeBatch, head: AnswerHead, members: Int = 1, jitter: ImageJitter? = nil,
                      joining others: [FewShotLearner] = [], rng: inout PCG32) -> [Int] {
    if !others.isEmpty { return answersTogether(e, head: head, members: members, jitter: jitter, others: others, rng: &rng) }
    return switch (head, members > 1) {
    case (.model, false): predict(e)
    case (.model, true): predictEnsembled(e, members: members, jitter: jitter, rng: &rng)
    case (.prototypes, false): predictByPrototypes(e)
    case (.prototypes, true): predictByPrototypesEnsembled(e, members: members, jitter: jitter, rng: &rng)
    }
  }

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

  /// `predictByPrototypes` with each query decided by `members` jittered views of its episode
  /// (`EpisodeViews`): the views' nearest-prototype log-probabilities, mapped back to the episode's labels,
  /// are summed. Label order does not change this head's answer, so only the jitter makes views differ.
  public func predictByPrototypesEnsembled(_ e: EpisodeBatch, members M: Int, jitter: ImageJitter?,
                                           rng: inout PCG32) -> [Int] {
    answersTogether(e, head: .prototypes, members: M, jitter: jitter, others: [], rng: &rng)
  }
}
