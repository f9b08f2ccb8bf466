import ArcadeCore

/// Levels compared by what they show (`Environment.layoutHash`): which test levels repeat a training
/// level's layout (ProcGen's train/test leakage, openai/procgen#100).
public enum LevelLayouts {
  /// One overlap count: test seeds whose generated level looks like a training seed's.
  public struct Overlap: Sendable {
    public var trainCount: Int
    public var distinctTrainLayouts: Int
    public var testCount: Int
    /// (test seed, a training seed with the same layout), in test-seed order.
    public var duplicates: [(test: UInt32, train: UInt32)]
    public var share: Double { testCount == 0 ? 0 : Double(duplicates.count) / Double(testCount) }
  }

  /// The layout hash of every seed's generated level.
  public static func hashes(game: String, mode: DistributionMode, seeds: [UInt32]) throws -> [UInt64] {
    let env = try Catalog.make(EnvConfig(game: game, options: GameOptions(mode: mode)))
    return seeds.map { seed in
      env.reset(levelSeed: seed)
      return env.layoutHash()
    }
  }

  public static func overlap(game: String, mode: DistributionMode, train: [UInt32], test: [UInt32]) throws -> Overlap {
    var first = [UInt64: UInt32]()   // a layout's first training seed (lookups only: order never matters)
    for (seed, h) in zip(train, try hashes(game: game, mode: mode, seeds: train)) where first[h] == nil { first[h] = seed }
    var dups: [(UInt32, UInt32)] = []
    for (seed, h) in zip(test, try hashes(game: game, mode: mode, seeds: test)) {
      if let t = first[h] { dups.append((seed, t)) }
    }
    return Overlap(trainCount: train.count, distinctTrainLayouts: first.count, testCount: test.count, duplicates: dups)
  }
}
