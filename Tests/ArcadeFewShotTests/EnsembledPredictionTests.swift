import ArcadeBase
@testable import ArcadeFewShot
import Testing

/// `fewshot eval --ensemble`: views of an episode with permuted labels and reordered support steps.
@Suite struct EnsembledPredictionTests {
  func episodes(ways: Int = 5, shots: Int = 2, batch: Int = 3) throws -> EpisodeBatch {
    var sampler = try EpisodeSampler(source: GlyphSource(seed: 2, train: 30, valid: 10, test: 10), split: .test,
                                     ways: ways, shots: shots, seed: 4)
    return sampler.next(batch: batch)
  }

  /// Every view holds the episode's (image, label) pairs with the labels renamed by its permutation,
  /// the query last and unchanged but for its target; view 0 is the episode itself.
  @Test func eachViewIsTheEpisodeRelabelledAndReordered() throws {
    let e = try episodes(), M = 4, P = e.side * e.side, B = e.B, BM = B * M
    var rng = PCG32(seed: 9, stream: 3)
    let v = EpisodeViews(of: e, ways: 5, members: M, rng: &rng)
    #expect(v.batch.B == BM && v.batch.L == e.L)
    func image(_ x: EpisodeBatch, _ t: Int, _ col: Int) -> ArraySlice<Float> {
      x.images[((t * x.B + col) * P)..<((t * x.B + col + 1) * P)]
    }
    var reordered = 0
    for m in 0..<M {
      for b in 0..<B {
        let perm = v.relabel[m * B + b], col = m * B + b
        #expect(Set(perm) == Set(0..<5))
        if m == 0 { #expect(perm == Array(0..<5)) }
        func pairs(_ x: EpisodeBatch, _ c: Int, _ rename: [Int]) -> [[Float]] {   // [label, pixels…], sorted
          (0..<(x.L - 1)).map { t in [Float(rename[x.inputLabels[t * x.B + c]])] + image(x, t, c) }
            .sorted { $0.lexicographicallyPrecedes($1) }
        }
        #expect(pairs(v.batch, col, Array(0..<5)) == pairs(e, b, perm))
        let q = e.L - 1
        #expect(image(v.batch, q, col) == image(e, q, b))
        #expect(v.batch.inputLabels[q * BM + col] == e.inputLabels[q * B + b])
        #expect(v.batch.targets[q * BM + col] == perm[e.targets[q * B + b]])
        if (0..<q).contains(where: { image(v.batch, $0, col) != image(e, $0, b) }) { reordered += 1 }
      }
    }
    #expect(reordered > 0, "some view reorders its support steps")
  }

  /// `fewshot eval --view-jitter`: views 1… show distorted copies of the episode's images; view 0 stays
  /// as drawn. A zero-range jitter changes nothing but the random draws.
  @Test func jitteredViewsDistortEveryImageButView0s() throws {
    let e = try episodes(), M = 3, P = e.side * e.side, B = e.B, BM = B * M
    func image(_ x: EpisodeBatch, _ t: Int, _ col: Int) -> [Float] {
      Array(x.images[((t * x.B + col) * P)..<((t * x.B + col + 1) * P)])
    }
    var rng = PCG32(seed: 9, stream: 3)
    let none = EpisodeViews(of: e, ways: 5, members: M, jitter: ImageJitter(maxShift: 0, maxDegrees: 0, maxScale: 0), rng: &rng)
    for col in 0..<BM {
      let b = col % B
      #expect(Set((0..<e.L).map { image(none.batch, $0, col) }) == Set((0..<e.L).map { image(e, $0, b) }))
    }
    let v = EpisodeViews(of: e, ways: 5, members: M, jitter: .standard, rng: &rng)
    for col in 0..<BM {
      let b = col % B, originals = Set((0..<e.L).map { image(e, $0, b) })
      for t in 0..<e.L {
        let x = image(v.batch, t, col)
        if col < B { #expect(x == image(e, t, b)) } else { #expect(!originals.contains(x) && x.reduce(0, +) > 0) }
      }
      let q = e.L - 1
      #expect(v.batch.targets[q * BM + col] == v.relabel[col][e.targets[q * B + b]])
    }
  }

  /// The members' scores are read through each view's permutation: views that each pick their own
  /// name of class 3 agree on class 3, and one view alone gives its argmax.
  @Test func answersMapEachViewBackToTheEpisodesLabels() throws {
    let e = try episodes(batch: 2), M = 3, N = 5
    var rng = PCG32(seed: 1, stream: 1)
    let v = EpisodeViews(of: e, ways: N, members: M, rng: &rng)
    var logits = [Float](repeating: 0, count: e.L * e.B * M * N)
    let last = (e.L - 1) * e.B * M
    // Views 1 and 2 only (view 0 is the identity): a mapping read the wrong way round would pick
    // perm[perm[3]], which differs from 3 for these permutations.
    for col in e.B..<(e.B * M) { logits[(last + col) * N + v.relabel[col][3]] = 2 }
    #expect((e.B..<(e.B * M)).contains { v.relabel[$0][v.relabel[$0][3]] != 3 })
    #expect(logits.withUnsafeBufferPointer { v.answers($0.baseAddress!, ways: N) } == [3, 3])
    var one = PCG32(seed: 1, stream: 1)
    let single = EpisodeViews(of: e, ways: N, members: 1, rng: &one)
    var plain = [Float](repeating: 0, count: e.L * e.B * N)
    plain[((e.L - 1) * e.B + 1) * N + 4] = 1
    #expect(plain.withUnsafeBufferPointer { single.answers($0.baseAddress!, ways: N) } == [0, 4])
  }

  @Test func oneMemberIsPlainPrediction() throws {
    let l = FewShotLearner(tinyConfig())
    l.model.training = false
    let e = try episodes(shots: 1, batch: 6)
    var rng = PCG32(seed: 2, stream: 2)
    #expect(l.predictEnsembled(e, members: 1, rng: &rng) == l.predict(e))
    #expect(l.predictEnsembled(e, members: 3, rng: &rng).count == e.L * e.B)
  }

  /// `--head prototypes --ensemble M --view-jitter F`: renaming labels and reordering the support leave the
  /// nearest prototype where it was, so unjittered views answer as the episode does; jittered ones may not.
  @Test func prototypeHeadViewsAgreeWithoutJitter() throws {
    let l = FewShotLearner(tinyConfig())
    l.model.training = false
    let e = try episodes(shots: 1, batch: 8)
    let plain = l.predictByPrototypes(e)
    var rng = PCG32(seed: 2, stream: 2)
    #expect(l.predictByPrototypesEnsembled(e, members: 1, jitter: .standard, rng: &rng) == plain)
    #expect(l.predictByPrototypesEnsembled(e, members: 4, jitter: nil, rng: &rng) == plain)
    let jittered = l.predictByPrototypesEnsembled(e, members: 4, jitter: .standard, rng: &rng)
    #expect(jittered.count == plain.count && zip(jittered, plain).allSatisfy { ($0 < 0) == ($1 < 0) })
    let g = GlyphSource(seed: 2, train: 30, valid: 10, test: 10)
    #expect(throws: FewShotError.self) {
      try l.evaluate(source: g, split: .test, episodes: 4, seed: 1, ensemble: 2, head: .prototypes)
    }
    let a = try l.evaluate(source: g, split: .test, episodes: 8, seed: 1, ensemble: 3, viewJitter: .standard, head: .prototypes)
    #expect(a.episodeAccuracy.count == 8)
  }

  @Test func evaluationRefusesTheDelayedSetting() throws {
    var c = tinyConfig(ways: 3); c.mode = "delayed"
    let l = FewShotLearner(c)
    #expect(throws: FewShotError.self) {
      try l.evaluate(source: GlyphSource(seed: 2, train: 30, valid: 10, test: 10), split: .test, episodes: 4, seed: 1, ensemble: 2)
    }
  }
}
