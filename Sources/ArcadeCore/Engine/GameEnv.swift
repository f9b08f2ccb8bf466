/// The episode manager for one game (ProcGen's `Game::step`/`reset`): level
/// seeds, step limit, reward and episode bookkeeping, saving and hashing.
public final class GameEnv<G: Game>: Environment {
  public let game: G
  public let config: EnvConfig
  public private(set) var state: G.State
  /// Random stream of in-episode dynamics, derived from the level seed.
  public private(set) var dynamics: PCG32
  public private(set) var sampler: LevelSeedSampler
  public private(set) var levelSeed: UInt32
  public private(set) var stepCount = 0
  public private(set) var episodeReturn: Float = 0
  public private(set) var endCause: String?
  public private(set) var episodeLength = 0
  public let stepLimit: Int
  var canvas = Canvas()
  var writer = ByteWriter(capacity: 4096)

  public static var formatVersion: UInt32 { 1 }

  public init(config: EnvConfig) throws {
    try G.descriptor.check(mode: config.options.mode)
    var config = config
    if config.options.mode == .exploration, let s = G.descriptor.explorationSeed {
      config.levels.numLevels = 1
      config.levels.startLevel = Int(s)
    }
    try config.levels.validate()
    self.config = config
    game = G(options: config.options)
    stepLimit = G.descriptor.stepLimit(config.options.mode)
    sampler = LevelSeedSampler(options: config.levels, envIndex: config.envIndex)
    samplerIndex = config.envIndex
    levelSeed = sampler.next()
    var gen = PCG32.stream(levelSeed: levelSeed, role: .generation)
    state = game.generate(levelSeed: levelSeed, rng: &gen)
    dynamics = PCG32.stream(levelSeed: levelSeed, role: .dynamics)
  }

  public var descriptor: GameDescriptor { G.descriptor }

  public var gridShape: (channels: Int, height: Int, width: Int) {
    let s = game.gridSize
    return (G.descriptor.gridChannels.count, s.height, s.width)
  }

  public func reset(levelSeed seed: UInt32?) {
    levelSeed = seed ?? sampler.next()
    startLevel()
    episodeReturn = 0
    episodeLength = 0
  }

  public func reseedLevels(randSeed: UInt64) {
    var levels = sampler.options
    levels.randSeed = randSeed
    sampler = LevelSeedSampler(options: levels, envIndex: 0)
    samplerIndex = 0
  }

  public func setLevelSeeds(_ seeds: [UInt32]?, weights: [Double]?) throws {
    guard config.options.mode != .exploration || seeds == nil else {
      throw ArcadeError("exploration mode plays one fixed level; it takes no list of level seeds")
    }
    var levels = sampler.options
    levels.seeds = seeds
    levels.weights = weights
    try levels.validate()
    sampler = LevelSeedSampler(options: levels, envIndex: samplerIndex)
  }

  public func setLevelWeights(_ weights: [Double]?) throws {
    try sampler.setWeights(weights)
  }

  /// The index the sampler's stream was derived from (the env's, or 0 after `reseedLevels`).
  var samplerIndex: Int

  func startLevel() {
    var gen = PCG32.stream(levelSeed: levelSeed, role: .generation)
    state = game.generate(levelSeed: levelSeed, rng: &gen)
    dynamics = PCG32.stream(levelSeed: levelSeed, role: .dynamics)
    stepCount = 0
  }

  public func load(level: LevelFile) throws(LevelProblems) {
    guard level.game == G.descriptor.name else {
      throw LevelProblems([LevelProblem("level is for game '\(level.game)', not '\(G.descriptor.name)'")])
    }
    let seed = level.seed ?? 0
    var gen = PCG32.stream(levelSeed: seed, role: .generation)
    state = try game.load(map: level.map, rng: &gen)
    levelSeed = seed
    dynamics = PCG32.stream(levelSeed: seed, role: .dynamics)
    stepCount = 0
    episodeReturn = 0
    episodeLength = 0
  }

  public func step(_ action: Action) -> StepResult {
    let played = levelSeed
    stepCount += 1
    episodeLength += 1
    let events = game.step(&state, action: action, rng: &dynamics)
    endCause = events.outcome == .running ? nil : events.cause
    episodeReturn += events.reward
    var terminated = events.outcome != .running
    let complete = events.outcome == .won
    if complete && config.levels.useSequentialLevels {
      // Sequential levels: the episode goes on in the next level.
      levelSeed = LevelSeedSampler.sequentialSuccessor(of: levelSeed)
      startLevel()
      terminated = false
    }
    let truncated = !terminated && stepCount >= stepLimit
    let info = StepInfo(
      levelSeed: levelSeed, prevLevelSeed: played, prevLevelComplete: complete,
      episodeReturn: episodeReturn, episodeLength: episodeLength)
    return StepResult(reward: events.reward, terminated: terminated, truncated: truncated, info: info)
  }

  public func renderRGB(into out: UnsafeMutablePointer<UInt8>) {
    game.render(state, into: &canvas)
    canvas.copy(to: out)
  }

  public func encodeGrid(into out: UnsafeMutableBufferPointer<Float>) {
    out.update(repeating: 0)
    game.encodeGrid(state, into: out)
  }

  public func glyphs() -> GlyphGrid {
    let s = game.gridSize
    var g = GlyphGrid(width: s.width, height: s.height)
    game.drawGlyphs(state, into: &g)
    return g
  }

  // MARK: - Saving and hashing

  static var sentinel: UInt32 { 0xCAFE_CAFE }
  /// Largest |episode return| a saved state may hold (far above any real episode).
  static var maxReturn: Float { 1e9 }
  /// Room left below Int32.max for the episode length to keep growing after a restore.
  static var maxEpisodeSlack: Int { 1 << 20 }

  func writeState(_ w: inout ByteWriter) {
    w.u32(GameEnv.formatVersion)
    w.string(G.descriptor.name)
    w.string(config.options.mode.rawValue)
    w.bool(config.options.centerAgent)
    w.bool(config.options.monochrome)
    w.u32(levelSeed)
    w.rng(sampler.rng)
    w.rng(dynamics)
    w.int(stepCount)
    w.f32(episodeReturn)
    w.int(episodeLength)
    game.encode(state, into: &w)
    w.u32(GameEnv.sentinel)
  }

  public func saveState() -> [UInt8] {
    writer.clear()
    writeState(&writer)
    return writer.bytes
  }

  /// All or nothing: everything is decoded and checked before any field of
  /// the env changes, so a rejected state leaves the env as it was.
  public func restoreState(_ bytes: [UInt8]) throws {
    var r = ByteReader(bytes, context: "saved state")
    let version = try r.u32("version")
    guard version == GameEnv.formatVersion else {
      throw ArcadeError("saved state: format version \(version) is not supported (expected \(GameEnv.formatVersion))")
    }
    let name = try r.string("game name")
    guard name == G.descriptor.name else { throw ArcadeError("saved state is for game '\(name)', not '\(G.descriptor.name)'") }
    let mode = try r.string("mode")
    guard mode == config.options.mode.rawValue else {
      throw ArcadeError("saved state is for mode '\(mode)', this env runs '\(config.options.mode.rawValue)'")
    }
    _ = try r.bool("center_agent")
    _ = try r.bool("monochrome")
    let seed = try r.u32("level seed")
    let samplerRNG = try r.rng("sampler")
    let dyn = try r.rng("dynamics")
    // Counters stay where stepping can take them, so the next step's += 1 and
    // the C ABI's Int32 info fields cannot overflow.
    let steps = try r.int("step count", in: 0...stepLimit)
    let ret = try r.f32("episode return", in: -Self.maxReturn...Self.maxReturn)
    let len = try r.int("episode length", in: steps...Int(Int32.max) - Self.maxEpisodeSlack)
    let s = try game.decode(from: &r)
    guard try r.u32("sentinel") == GameEnv.sentinel, r.isAtEnd else {
      throw ArcadeError("saved state: corrupted (end marker missing)")
    }
    levelSeed = seed
    sampler = LevelSeedSampler(options: sampler.options, rng: samplerRNG)   // this env's list and weights
    dynamics = dyn
    stepCount = steps
    episodeReturn = ret
    episodeLength = len
    state = s
  }

  public func stateHash() -> UInt64 {
    writer.clear()
    writeState(&writer)
    return fnv1a64(writer.bytes)
  }

  public func levelHash() -> UInt64 {
    writer.clear()
    writer.rng(dynamics)
    game.encode(state, into: &writer)
    return fnv1a64(writer.bytes)
  }

  public func isSolvable() -> Bool? { game.solvability(state) }

  public func layoutHash() -> UInt64 {
    writer.clear()
    game.encode(state, into: &writer)
    return fnv1a64(writer.bytes)
  }

  public func exportLevel() -> LevelFile? {
    game.levelMap(state).map {
      LevelFile(game: G.descriptor.name, mode: config.options.mode, seed: levelSeed, map: $0)
    }
  }
}

/// A registered game: its descriptor and how to make an env for it.
public struct GameEntry: Sendable {
  public let descriptor: GameDescriptor
  public let make: @Sendable (EnvConfig) throws -> any Environment

  public init<G: Game>(_ type: G.Type) {
    descriptor = G.descriptor
    make = { try GameEnv<G>(config: $0) }
  }
}
