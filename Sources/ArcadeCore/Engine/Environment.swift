/// Info reported with every step (ProcGen's info fields plus episode stats).
public struct StepInfo: Sendable, Equatable {
  /// Seed of the level now being played.
  public var levelSeed: UInt32
  /// Seed of the level the last step was played on.
  public var prevLevelSeed: UInt32
  /// Whether the last step completed a level.
  public var prevLevelComplete: Bool
  /// Return and length of the episode so far (of the ended one when done).
  public var episodeReturn: Float
  public var episodeLength: Int
}

/// The result of one step: terminated (death or win) and truncated (step
/// limit) are kept apart.
public struct StepResult: Sendable, Equatable {
  public var reward: Float
  public var terminated: Bool
  public var truncated: Bool
  public var info: StepInfo
  public var done: Bool { terminated || truncated }
}

/// Everything needed to create an env: game, options, level-seed choice.
public struct EnvConfig: Sendable, Equatable, Codable {
  public var game: String
  public var options: GameOptions
  public var levels: LevelOptions
  public var envIndex: Int

  public init(game: String, options: GameOptions = GameOptions(), levels: LevelOptions = LevelOptions(), envIndex: Int = 0) {
    self.game = game
    self.options = options
    self.levels = levels
    self.envIndex = envIndex
  }
}

/// A game with its episode bookkeeping, seen without its concrete type.
/// The vector env, the CLI, the viewer and the C ABI all work through this.
public protocol Environment: AnyObject {
  var descriptor: GameDescriptor { get }
  var config: EnvConfig { get }
  /// Shape of the `grid` observation: channels, height, width.
  var gridShape: (channels: Int, height: Int, width: Int) { get }
  var levelSeed: UInt32 { get }
  var stepCount: Int { get }
  var episodeReturn: Float { get }
  var stepLimit: Int { get }
  /// What ended the episode at the last step, in words for people (the viewer shows it); nil otherwise.
  var endCause: String? { get }

  /// Starts a new episode on `levelSeed`, or on the sampler's next seed.
  func reset(levelSeed: UInt32?)
  /// Restarts the level-seed sampler from `randSeed` (Gymnasium's `reset(seed=)`): the env then plays
  /// the levels of a single env made with that rand_seed, whatever its index in a vector env, so a
  /// native vector env reseeded with s + i equals Gymnasium's SyncVectorEnv over single envs.
  func reseedLevels(randSeed: UInt64)
  /// Samples the next levels from `seeds` (with `weights`, uniform when nil); nil goes back to
  /// num_levels from start_level. The stream restarts from (rand_seed, env index); the current
  /// level stays until the next reset.
  func setLevelSeeds(_ seeds: [UInt32]?, weights: [Double]?) throws
  /// Changes the weights of the seed list from the next level on (e.g. a level-replay curriculum).
  func setLevelWeights(_ weights: [Double]?) throws
  /// Starts an episode on a level read from a file.
  func load(level: LevelFile) throws(LevelProblems)
  /// One step. An ended episode is not reset here: call `reset` (the vector
  /// env does it automatically, after keeping the final observation).
  func step(_ action: Action) -> StepResult

  func renderRGB(into out: UnsafeMutablePointer<UInt8>)
  func encodeGrid(into out: UnsafeMutableBufferPointer<Float>)
  func glyphs() -> GlyphGrid

  func saveState() -> [UInt8]
  func restoreState(_ bytes: [UInt8]) throws
  /// A hash of the whole state (stable across runs and machines).
  func stateHash() -> UInt64
  /// A hash of the game state and its dynamics stream, without the episode
  /// counters and level sampler: equal for a generated level and the same
  /// level loaded from its file, and what replays check.
  func levelHash() -> UInt64
  /// The game's reachability check on the current state (nil: the game has none).
  func isSolvable() -> Bool?
  /// A hash of what the game state shows — layout, objects, theme — without any random stream or
  /// counter: right after a reset, two level seeds that generate the same-looking level hash equal.
  func layoutHash() -> UInt64
  /// The current level as a level file, where the game has maps.
  func exportLevel() -> LevelFile?
}

extension Environment {
  /// The `rgb` observation as a fresh array (convenience; allocates).
  public func rgb() -> [UInt8] {
    var a = [UInt8](repeating: 0, count: 64 * 64 * 3)
    a.withUnsafeMutableBufferPointer { renderRGB(into: $0.baseAddress!) }
    return a
  }

  /// The `grid` observation as a fresh array (convenience; allocates).
  public func grid() -> [Float] {
    let s = gridShape
    var a = [Float](repeating: 0, count: s.channels * s.height * s.width)
    a.withUnsafeMutableBufferPointer { encodeGrid(into: $0) }
    return a
  }
}
