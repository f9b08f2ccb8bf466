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
  }
}

/// Draws the level seed of every new episode for one env.
///
/// Env i of a vector env gets its own stream from (randSeed, i), so the
/// sequence of levels depends neither on thread count nor on actions.
public struct LevelSeedSampler: Sendable, Equatable {
  public let options: LevelOptions
  public private(set) var rng: PCG32

  public init(options: LevelOptions, envIndex: Int) {
    self.options = options
    rng = PCG32(seed: splitMix64(options.randSeed), stream: splitMix64(UInt64(envIndex) ^ StreamRole.levelSampler.rawValue << 40))
  }

  public init(options: LevelOptions, rng: PCG32) {
    self.options = options
    self.rng = rng
  }

  /// The next level seed.
  public mutating func next() -> UInt32 {
    if options.numLevels == 0 { return UInt32(rng.below(Int(Int32.max))) }
    return UInt32(options.startLevel + rng.below(options.numLevels))
  }

  /// The seed after `seed` in sequential-levels mode (ProcGen: + 997, wrapping in int32).
  public static func sequentialSuccessor(of seed: UInt32) -> UInt32 {
    UInt32((UInt64(seed) + 997) % UInt64(Int32.max))
  }
}
