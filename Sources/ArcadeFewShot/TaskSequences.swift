// Sequences of one task's episodes, or of two tasks' delayed-label episodes concatenated in time
// (the SRWM paper's delayed-label setting): e.g. an Omniglot episode then a procedural-glyph episode whose classes reuse the same
// output units, so the model has to notice the switch and relearn the labels within the sequence.
// In training the order of the two parts is drawn per sequence; in evaluation the first task comes first.
// The delayed label runs on across the boundary: the first step of the second part is fed the last
// label of the first.
import ArcadeBase

public struct SequenceSampler {
  public var first: EpisodeSampler
  public var second: EpisodeSampler?
  public var randomOrder: Bool
  var rng: PCG32
  // The two parts of each batch, kept between batches (their storage is reused).
  var partA = EpisodeBatch(), partB = EpisodeBatch()

  public init(first: EpisodeSampler, second: EpisodeSampler? = nil, randomOrder: Bool, seed: UInt64) {
    self.first = first; self.second = second; self.randomOrder = randomOrder
    rng = PCG32(seed: seed, stream: 0x7a5c)
  }

  public var ways: Int { first.ways }

  /// A batch of sequences (a new one; `fill` reuses one).
  public mutating func next(batch B: Int, active: Int? = nil) -> EpisodeBatch {
    var out = EpisodeBatch()
    fill(&out, batch: B, active: active)
    return out
  }

  /// Overwrites `out` with a batch of sequences, reusing its storage.
  public mutating func fill(_ out: inout EpisodeBatch, batch B: Int, active: Int? = nil) {
    guard second != nil else { return first.fill(&out, batch: B, active: active) }
    first.fill(&partA, batch: B, active: active)
    second!.fill(&partB, batch: B, active: active)
    out.reset(L: partA.L + partB.L, B: B, side: partA.side)
    for e in 0..<B {
      out.classes[e].append(contentsOf: partA.classes[e]); out.classes[e].append(contentsOf: partB.classes[e])
      let swap = randomOrder && rng.below(2) == 1
      if swap { copy(partB, task: 1, episode: e, from: 0, into: &out); copy(partA, task: 0, episode: e, from: partB.L, into: &out) }
      else { copy(partA, task: 0, episode: e, from: 0, into: &out); copy(partB, task: 1, episode: e, from: partA.L, into: &out) }
    }
  }

  /// Copies episode `e` of `part` to steps t0… of `out`.
  private func copy(_ part: EpisodeBatch, task: Int, episode e: Int, from t0: Int, into out: inout EpisodeBatch) {
    let B = out.B, P = out.side * out.side
    for t in 0..<part.L {
      let src = t * B + e, dst = (t0 + t) * B + e
      out.images.replaceSubrange(dst * P..<(dst + 1) * P, with: part.images[src * P..<(src + 1) * P])
      out.inputLabels[dst] = part.inputLabels[src]
      out.targets[dst] = part.targets[src]
      out.shotIndex[dst] = part.shotIndex[src]
      out.task[dst] = task
    }
    if t0 > 0 { out.inputLabels[t0 * B + e] = out.targets[(t0 - 1) * B + e] }   // delayed label across the switch
  }
}
