// Several checkpoints answering each episode together (`fewshot eval --with`): every member sees the same
// views of the episode, and their log-probabilities are summed as the views' are. Networks trained apart
// err on different queries, so the sum is right more often than any one of them.
import ArcadeBase
import ArcadeNN
import Foundation

extension FewShotLearner {
  /// Refuses, with the message a user sees, a checkpoint `name` that cannot answer beside this one:
  /// another task, image size or character split (its training characters could be this split's test ones).
  public func checkJoining(_ other: FewShotLearner, name: String) throws {
    let a = config, b = other.config
    guard b.ways == a.ways, b.episodeMode == a.episodeMode else {
      throw FewShotError("\(name) is \(b.ways)-way (\(b.mode)); the first checkpoint is \(a.ways)-way (\(a.mode))")
    }
    guard b.side == a.side else {
      throw FewShotError("\(name) takes \(b.side)×\(b.side) images; the first checkpoint takes \(a.side)×\(a.side)")
    }
    guard b.dataSeed == a.dataSeed, b.splitSeed == a.splitSeed, b.validAlphabets == a.validAlphabets,
          b.testAlphabets == a.testAlphabets else {
      throw FewShotError("\(name) was trained on another character split than the first checkpoint")
    }
  }

  /// `head`'s log-probabilities over the `config.ways` classes at every step of a synchronous batch,
  /// [L·B, ways]; only the query steps' are meaningful. Evaluation mode must be set by the caller.
  func logProbabilities(_ e: EpisodeBatch, head: AnswerHead) -> [Float] {
    requireSide(e)
    let N = config.ways, n = e.L * e.B
    var out = [Float](repeating: 0, count: n * N)
    switch head {
    case .model:
      let logits = e.images.withUnsafeBufferPointer { model.forward(images: $0.baseAddress!, labels: e.inputLabels, L: e.L, B: e.B) }
      for r in 0..<n {
        let lse = SoftmaxCrossEntropy.logSumExp(logits + r * N, N)
        for j in 0..<N { out[r * N + j] = logits[r * N + j] - lse }
      }
    case .prototypes:
      let F = model.encoder.featureDim
      e.images.withUnsafeBufferPointer { px in
        let f = model.encoder.forward(px.baseAddress!, N: n)
        out.withUnsafeMutableBufferPointer { p in
          _ = prototypes.lossAndGradient(f, featureDim: F, L: e.L, B: e.B, supportLabels: supportLabels(e), targets: e.targets,
                                         classes: N, probabilities: p.baseAddress!)
        }
      }
      // Classes an episode does not show have probability 0: a floor keeps their log finite and last.
      for i in out.indices { out[i] = log(max(out[i], Float.leastNormalMagnitude)) }
    }
    return out
  }

  /// The class of each episode's query (its last step) when this learner and `others` (none: this learner
  /// alone) answer together: each member's `head` log-probabilities on the same `members` views
  /// (`EpisodeViews`), summed. The other steps are −1. Evaluation mode must be set on every learner by the caller.
  func answersTogether(_ e: EpisodeBatch, head: AnswerHead, members M: Int, jitter: ImageJitter?, others: [FewShotLearner],
                       rng: inout PCG32) -> [Int] {
    precondition(M >= 1 && config.episodeMode == .sync)
    let N = config.ways
    let views = EpisodeViews(of: e, ways: N, members: M, jitter: jitter, rng: &rng)
    var sum = logProbabilities(views.batch, head: head)
    for o in others {
      let p = o.logProbabilities(views.batch, head: head)
      for i in sum.indices { sum[i] += p[i] }
    }
    var out = [Int](repeating: -1, count: e.L * e.B)
    for (b, c) in views.answers(sum, ways: N).enumerated() { out[(e.L - 1) * e.B + b] = c }
    return out
  }
}
