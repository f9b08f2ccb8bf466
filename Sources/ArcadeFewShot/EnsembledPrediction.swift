// Test-time ensembling for synchronous-label episodes. The right answer does not depend on which label
// slot a class was given or on the order the support examples came in, but a trained sequence model's
// answer does a little. Each member sees the same episode with its labels permuted and its support
// steps reordered (and, with a jitter, its images slightly distorted); the members' log-probabilities,
// mapped back to the episode's labels, are summed.
import ArcadeBase
import ArcadeTensor
import Foundation

/// `members` views of a batch of synchronous episodes, as one batch of B·members episodes (view m of
/// episode b at column m·B + b). View 0 is the batch as drawn.
public struct EpisodeViews {
  public var batch: EpisodeBatch
  /// [m·B + b][label]: the label that view m gives to episode b's label.
  public var relabel: [[Int]]
  public let members: Int

  /// `jitter`: every image of views 1… is also distorted by its own random draw (view 0 stays as drawn).
  public init(of e: EpisodeBatch, ways N: Int, members M: Int, jitter: ImageJitter? = nil, rng: inout PCG32) {
    let L = e.L, B = e.B, BM = B * M, P = e.side * e.side
    members = M
    batch = EpisodeBatch(L: L, B: BM, side: e.side, images: [Float](repeating: 0, count: L * BM * P),
                         inputLabels: [Int](repeating: 0, count: L * BM), targets: [Int](repeating: -1, count: L * BM),
                         shotIndex: [Int](repeating: 0, count: L * BM), task: [Int](repeating: 0, count: L * BM),
                         classes: (0..<M).flatMap { _ in e.classes })
    relabel = []
    for m in 0..<M {
      for b in 0..<B {
        var perm = Array(0..<N), order = Array(0..<(L - 1))
        if m > 0 { rng.shuffle(&perm); rng.shuffle(&order) }
        relabel.append(perm)
        for (to, from) in (order + [L - 1]).enumerated() {
          let src = from * B + b, dst = to * BM + m * B + b
          if m > 0, let jitter {
            let t = jitter.sample(&rng)
            e.images.withUnsafeBufferPointer { s in
              batch.images.withUnsafeMutableBufferPointer { d in
                ImageJitter.apply(t, s.baseAddress! + src * P, n: e.side, into: d.baseAddress! + dst * P)
              }
            }
          } else {
            batch.images.replaceSubrange(dst * P..<(dst + 1) * P, with: e.images[src * P..<(src + 1) * P])
          }
          // The query's input is the dummy label, not a class: it stays as it is.
          batch.inputLabels[dst] = to == L - 1 ? e.inputLabels[src] : perm[e.inputLabels[src]]
          batch.targets[dst] = e.targets[src] < 0 ? -1 : perm[e.targets[src]]
          batch.shotIndex[dst] = e.shotIndex[src]
        }
      }
    }
  }

  /// The class of each episode's query (last step), in the drawn episode's labels: the argmax of the
  /// members' log-softmax scores summed. `logits` [L, B·members, N] are the model's on `batch`.
  public func answers(_ logits: UnsafePointer<Float>, ways N: Int) -> [Int] {
    let BM = batch.B, B = BM / members, last = (batch.L - 1) * BM
    var score = [Float](repeating: 0, count: N)
    return (0..<B).map { b in
      for c in 0..<N { score[c] = 0 }
      for m in 0..<members {
        let row = logits + (last + m * B + b) * N
        var top = row[0]
        for j in 1..<N { top = max(top, row[j]) }
        var sum: Float = 0
        for j in 0..<N { sum += exp(row[j] - top) }
        let logSum = top + log(sum)
        for c in 0..<N { score[c] += row[relabel[m * B + b][c]] - logSum }
      }
      return score.withUnsafeBufferPointer { Vec.argmax($0.baseAddress!, N) }
    }
  }
}

extension FewShotLearner {
  /// Predicted class per step [L·B] like `predict`, for synchronous single-task episodes, with the query
  /// (last) step decided by `members` views of each episode (`EpisodeViews`); the other steps are view 0's.
  /// One member gives exactly `predict`'s answer.
  public func predictEnsembled(_ e: EpisodeBatch, members M: Int, jitter: ImageJitter? = nil, rng: inout PCG32) -> [Int] {
    precondition(M >= 1 && config.episodeMode == .sync)
    let N = config.ways, B = e.B, BM = B * M
    let views = EpisodeViews(of: e, ways: N, members: M, jitter: jitter, rng: &rng)
    let logits = views.batch.images.withUnsafeBufferPointer {
      model.forward(images: $0.baseAddress!, labels: views.batch.inputLabels, L: e.L, B: BM)
    }
    var out = (0..<(e.L * B)).map { r in Vec.argmax(logits + (r / B * BM + r % B) * N, N) }
    for (b, c) in views.answers(logits, ways: N).enumerated() { out[(e.L - 1) * B + b] = c }
    return out
  }
}
