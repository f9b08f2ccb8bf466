// Level-seed lists: the sampler follows the weights (chi-square over a seeded stream), skips zero
// weights, and a weight change takes effect at the next draw without restarting the stream.
import ArcadeCore
import Testing

@Suite struct LevelSeedListTests {
  func options(_ seeds: [UInt32], _ weights: [Double]?) -> LevelOptions {
    var o = LevelOptions(randSeed: 9)
    o.seeds = seeds; o.weights = weights
    return o
  }

  @Test func drawsFollowTheWeights() throws {
    let seeds: [UInt32] = [3, 5, 8, 13, 21], weights = [1.0, 0, 2, 3, 4]
    try options(seeds, weights).validate()
    var s = LevelSeedSampler(options: options(seeds, weights), envIndex: 2)
    let n = 20_000
    var counts = [UInt32: Int]()
    for _ in 0..<n { counts[s.next(), default: 0] += 1 }
    #expect(counts[5] == nil)
    let total = weights.reduce(0, +)
    var chi2 = 0.0
    for (k, seed) in seeds.enumerated() where weights[k] > 0 {
      let expected = Double(n) * weights[k] / total
      chi2 += (Double(counts[seed] ?? 0) - expected) * (Double(counts[seed] ?? 0) - expected) / expected
    }
    #expect(chi2 < 16.27, "χ² \(chi2) with 3 degrees of freedom (0.1% quantile 16.27)")
  }

  @Test func weightChangesAreDeterministicAndImmediate() throws {
    func run() throws -> [UInt32] {
      var s = LevelSeedSampler(options: options([1, 2, 3], nil), envIndex: 0)
      var out = (0..<30).map { _ in s.next() }
      try s.setWeights([0, 0, 1])
      out += (0..<30).map { _ in s.next() }
      return out
    }
    let a = try run()
    #expect(a == (try run()))
    #expect(Set(a[0..<30]) == [1, 2, 3] && Set(a[30...]) == [3])
  }

  @Test func badListsAreRefused() {
    #expect(throws: ArcadeError.self) { try options([], nil).validate() }
    #expect(throws: ArcadeError.self) { try options([1, 2], [1]).validate() }
    #expect(throws: ArcadeError.self) { try options([1, 2], [0, 0]).validate() }
    #expect(throws: ArcadeError.self) { try options([1, 2], [1, .nan]).validate() }
    #expect(throws: ArcadeError.self) { try options([UInt32(Int32.max)], nil).validate() }
    var s = LevelSeedSampler(options: options([1, 2], nil), envIndex: 0)
    #expect(throws: ArcadeError.self) { try s.setWeights([1, -1]) }
  }
}
