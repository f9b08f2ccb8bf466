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

  public init(first: EpisodeSampler, second: EpisodeSampler? = nil, randomOrder: Bool, seed: UInt64) {
    self.first = first; self.second = second; self.randomOrder = randomOrder
    rng = PCG32(seed: seed, stream: 0x7a5c)
  }

  public var ways: Int { first.ways }

  public mutating func next(batch B: Int, active: Int? = nil) -> EpisodeBatch {
    guard second != nil else { return first.next(batch: B, active: active) }
    let a = first.next(batch: B, active: active), b = second!.next(batch: B, active: active)
    let L = a.L + b.L, P = a.side * a.side
    var out = EpisodeBatch(L: L, B: B, side: a.side, images: [Float](repeating: 0, count: L * B * P),
                           inputLabels: [Int](repeating: 0, count: L * B), targets: [Int](repeating: -1, count: L * B),
                           shotIndex: [Int](repeating: 0, count: L * B), task: [Int](repeating: 0, count: L * B),
                           classes: zip(a.classes, b.classes).map { $0 + $1 })
    for e in 0..<B {
      let swap = randomOrder && rng.below(2) == 1
      let parts = swap ? [(b, 1), (a, 0)] : [(a, 0), (b, 1)]
      var t0 = 0
      for (part, task) in parts {
        for t in 0..<part.L {
          let src = t * B + e, dst = (t0 + t) * B + e
          out.images.replaceSubrange(dst * P..<(dst + 1) * P, with: part.images[src * P..<(src + 1) * P])
          out.inputLabels[dst] = part.inputLabels[src]
          out.targets[dst] = part.targets[src]
          out.shotIndex[dst] = part.shotIndex[src]
          out.task[dst] = task
        }
        if t0 > 0 { out.inputLabels[t0 * B + e] = out.targets[(t0 - 1) * B + e] }   // delayed label across the switch
        t0 += part.L
      }
    }
    return out
  }
}
