/// How an env chooses level seeds (ProcGen's options, with the same meaning).
public struct LevelOptions: Sendable, Equatable, Codable {
  /// Size of the level set; 0 = any seed in [0, 2³¹−1).
  public var numLevels: Int
  /// Lowest seed of the set (ignored when `numLevels` is 0).
  public var startLevel: Int
  /// On level completion move to seed + 997 instead of ending the episode.
  public var useSequentialLevels: Bool
  /// Seeds the level-seed sampler of every env in a vector env.
  public var randSeed: UInt64
  /// An explicit list of level seeds to sample from, instead of `numLevels` from `startLevel`.
  public var seeds: [UInt32]?
  /// Sampling weights, one per entry of `seeds` (non-negative, not all zero); nil = uniform.
  public var weights: [Double]?

  public init(numLevels: Int = 0, startLevel: Int = 0, useSequentialLevels: Bool = false, randSeed: UInt64 = 0) {
    self.numLevels = numLevels
    self.startLevel = startLevel
    self.useSequentialLevels = useSequentialLevels
    self.randSeed = randSeed
  }

  public func validate() throws {
    guard numLevels >= 0 else { throw ArcadeError("num-levels must be 0 or more, got \(numLevels)") }
    guard startLevel >= 0, startLevel < Int(Int32.max) else {
      throw ArcadeError("start-level must be in 0..<\(Int32.max), got \(startLevel)")
    }
    guard numLevels == 0 || startLevel + numLevels <= Int(Int32.max) else {
      throw ArcadeError("start-level + num-levels must stay below 2^31−1")
    }
    if let seeds {
      guard !seeds.isEmpty else { throw ArcadeError("the list of level seeds is empty") }
      if let i = seeds.firstIndex(where: { $0 >= UInt32(Int32.max) }) {
        throw ArcadeError("level seed \(seeds[i]) (entry \(i + 1)) is not below 2^31−1")
      }
    }
    if let weights { try LevelOptions.check(weights: weights, count: seeds?.count) }
  }

  static func check(weights: [Double], count: Int?) throws {
    guard let count else { throw ArcadeError("level weights need a list of level seeds") }
    guard weights.count == count else {
      throw ArcadeError("\(weights.count) level weights for \(count) level seeds")
    }
    if let i = weights.firstIndex(where: { !$0.isFinite || $0 < 0 }) {
      throw ArcadeError("level weight \(weights[i]) (entry \(i + 1)) is not a finite number ≥ 0")
    }
    guard weights.contains(where: { $0 > 0 }) else { throw ArcadeError("every level weight is 0") }
  }
}

/// Draws the level seed of every new episode for one env.
///
/// Env i of a vector env gets its own stream from (randSeed, i), so the
/// sequence of levels depends neither on thread count nor on actions.
public struct LevelSeedSampler: Sendable, Equatable {
  public private(set) var options: LevelOptions
  public private(set) var rng: PCG32

  public init(options: LevelOptions, envIndex: Int) {
    self.init(options: options,
              rng: PCG32(seed: mixSeed(options.randSeed), stream: mixSeed(UInt64(envIndex) ^ StreamRole.levelSampler.rawValue << 40)))
  }

  public init(options: LevelOptions, rng: PCG32) {
    self.options = options
    self.rng = rng
    cumulative = LevelSeedSampler.cumulative(options.weights)
  }

  /// Running sums of the weights (empty: uniform), searched by `next`.
  private var cumulative: [Double]

  static func cumulative(_ weights: [Double]?) -> [Double] {
    var total = 0.0
    return weights?.map { total += $0; return total } ?? []
  }

  /// Changes the weights of the seed list from the next draw on (the stream goes on where it was, so
  /// the levels stay a function of the seed, the env and the sequence of weight changes).
  public mutating func setWeights(_ weights: [Double]?) throws {
    if let weights { try LevelOptions.check(weights: weights, count: options.seeds?.count) }
    options.weights = weights
    cumulative = LevelSeedSampler.cumulative(weights)
  }

  /// The next level seed.
  public mutating func next() -> UInt32 {
    if let seeds = options.seeds {
      guard let total = cumulative.last else { return seeds[rng.below(seeds.count)] }
      // 53 random bits: u uniform in [0, total); the first seed whose running sum exceeds u.
      let u = Double((UInt64(rng.next()) << 21) ^ UInt64(rng.next() >> 11)) / Double(1 << 53) * total
      var lo = 0, hi = cumulative.count - 1
      while lo < hi {
        let mid = (lo + hi) / 2
        if cumulative[mid] > u { hi = mid } else { lo = mid + 1 }
      }
      return seeds[lo]
    }
    if options.numLevels == 0 { return UInt32(rng.below(Int(Int32.max))) }
    return UInt32(options.startLevel + rng.below(options.numLevels))
  }

  /// The seed after `seed` in sequential-levels mode (ProcGen: + 997, wrapping in int32).
  public static func sequentialSuccessor(of seed: UInt32) -> UInt32 {
    UInt32((UInt64(seed) + 997) % UInt64(Int32.max))
  }
}
