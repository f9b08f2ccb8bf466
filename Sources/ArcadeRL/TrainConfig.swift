import ArcadeCore
import ArcadeNN

/// How the trainer schedules acting and learning.
public enum TrainPipeline: String, Codable, Sendable, CaseIterable {
  /// Collect an unroll with the current weights, then learn from it (one thread of control).
  case sync
  /// IMPALA-style: the actor collects unroll k with the weights of the previous update while the
  /// learner learns from unroll k−1, on two threads (a policy lag of one update, corrected by V-trace).
  case overlap
}

/// Everything that defines a training run (saved in every checkpoint).
/// Defaults follow the SRWM paper's IMPALA set-up (torchbeast: RMSProp lr 6e-4, batch 32, unroll 50, entropy 0.01).
public struct TrainConfig: Codable, Sendable, Equatable {
  /// The envs' games, in turn (env b plays games[b % games.count]): a game named twice gets twice the envs.
  public var games: [String] = ["maze"]
  /// Each game once, in the order of `games` (what metrics, evaluation and `watch` show).
  public var distinctGames: [String] { games.enumerated().filter { games.firstIndex(of: $0.element) == $0.offset }.map(\.element) }
  public var mode: DistributionMode = .easy
  public var numLevels = 200
  public var startLevel = 0
  /// Training levels from a list (`--level-seeds FILE`) with optional weights; nil: numLevels from startLevel.
  public var levelSeeds: [UInt32]? = nil
  public var levelWeights: [Double]? = nil
  /// Prioritized Level Replay over the training levels (`--level-replay`); nil: levels drawn uniformly (or by
  /// `levelWeights`), and configs saved before the option stay byte-identical.
  public var levelReplay: LevelReplaySettings? = nil
  /// The training levels as a list: `levelSeeds`, or numLevels seeds from startLevel.
  public var trainingSeeds: [UInt32]? {
    levelSeeds ?? (numLevels > 0 ? (0..<numLevels).map { UInt32(startLevel + $0) } : nil)
  }
  /// The level options of the training envs. With level replay the levels are an explicit list, whose
  /// weights the replay state sets (uniform draws from the list give the same levels as from the range).
  public var levelOptions: LevelOptions {
    var o = LevelOptions(numLevels: numLevels, startLevel: startLevel, randSeed: seed)
    o.seeds = levelReplay == nil ? levelSeeds : trainingSeeds
    o.weights = levelWeights
    return o
  }
  public var model = "srwm"            // ff | lstm | delta | lt | fakesr | srwm
  public var obs = "rgb"               // rgb | grid
  /// The grid encoder; nil means linear, and keeps configs saved before the option byte-identical.
  public var encoder: GridEncoder? = nil
  public var gridEncoder: GridEncoder { encoder ?? .linear }
  /// The grid's [C, H, W] (`--grid-shape`), at least every game's; nil: the smallest that holds the run's
  /// games (and configs saved before the option stay byte-identical). A larger one lets an agent trained on
  /// some games read the grids of a run of more (say, a teacher for one game of a six-game run).
  public var gridShape: [Int]? = nil
  /// Learning-rate multiplier of the conv branch of `--encoder linear+conv` (grid_cnn.*, grid_conv_fc.*);
  /// nil means 1, and keeps configs saved before the option byte-identical.
  public var convLRScale: Float? = nil
  /// Kickstarting from a teacher agent (`--kickstart`); nil keeps configs saved before the option byte-identical.
  public var kickstart: KickstartSettings? = nil
  /// Games whose training episodes are each shown under a random turn or mirror of the square
  /// (`--augment`, `SymmetricEnv`); nil keeps configs saved before the option byte-identical.
  public var augment: [String]? = nil
  public func augments(_ game: String) -> Bool { augment?.contains(game) ?? false }
  public var paperDetach = false
  /// The agent's core also reads the previous action (`RLAgentConfig.lastActionInput`, `--last-action`); nil
  /// means no, and keeps configs saved before the option byte-identical.
  public var lastAction: Bool? = nil
  /// The agent whose weights started the run (`--init-from`, as given); nil for a fresh start, which keeps
  /// configs saved before the option byte-identical.
  public var initFrom: String? = nil
  /// How acting and learning are scheduled; nil means sync, and keeps configs saved before the option
  /// byte-identical.
  public var pipeline: TrainPipeline? = nil
  public var trainPipeline: TrainPipeline { pipeline ?? .sync }
  public var frames = 1_000_000
  public var unroll = 50
  public var batch = 32
  // The learner's hyper-parameters default to the learner's own defaults (declared once, in ImpalaSettings).
  public var learningRate = ImpalaSettings().learningRate
  public var rmsAlpha = ImpalaSettings().rmsAlpha
  public var rmsEpsilon = ImpalaSettings().rmsEps
  public var gradClip = ImpalaSettings().maxGradNorm
  public var entropyCost = ImpalaSettings().entropyCost
  public var baselineCost = ImpalaSettings().baselineCost
  public var discount = ImpalaSettings().discount
  public var seed: UInt64 = 1
  public var threads = 2
  /// Frames between checkpoints and between metric lines.
  public var checkpointEvery = 200_000
  public var logEvery = 20_000

  public init() {}

  /// unroll × batch: the unroll buffer holds this many frames (12 KB each for rgb).
  public static let maxFramesPerUpdate = 32_768

  public static let models = ["ff", "lstm", "delta", "lt", "fakesr", "srwm"]

  /// Checks every field against its documented range (the same for the command line and for configs read
  /// back from checkpoints): games 1…64 known names, model and obs known, levels as LevelOptions allows,
  /// frames 1…10¹², unroll 1…1000, batch 1…1024 with unroll × batch ≤ 32768 and a multiple of the games,
  /// threads 1…64, checkpoint/log intervals ≥ 1, learning rate 1e-9…1, RMSProp α 0…0.999999 and ε 1e-12…1,
  /// gradient clip 1e-6…10⁶, entropy and baseline costs 0…100, discount 0…1.
  public func validate(knownGames: [String]) throws {
    guard (1...64).contains(games.count) else { throw ArcadeError("--games needs 1 to 64 games, got \(games.count)") }
    for g in games where !knownGames.contains(g) {
      throw ArcadeError("unknown game '\(g)' (games that exist: \(knownGames.joined(separator: ", ")))")
    }
    guard TrainConfig.models.contains(model) else {
      throw ArcadeError("unknown model '\(model)' (expected \(TrainConfig.models.joined(separator: ", ")))")
    }
    guard ["rgb", "grid"].contains(obs) else { throw ArcadeError("unknown observation '\(obs)' (expected rgb or grid)") }
    guard obs == "grid" || gridEncoder == .linear else { throw ArcadeError("--encoder \(gridEncoder.rawValue) needs --obs grid") }
    if let g = gridShape {
      guard obs == "grid" else { throw ArcadeError("--grid-shape needs --obs grid") }
      guard g.count == 3, g.allSatisfy({ (1...256).contains($0) }) else {
        throw ArcadeError("--grid-shape must be three sizes C,H,W in 1…256, got \(g.map(String.init).joined(separator: ","))")
      }
    }
    if let k = kickstart {
      guard !k.teacher.isEmpty else { throw ArcadeError("--kickstart needs a teacher agent") }
      guard (0...100).contains(k.weight) else { throw ArcadeError("--kickstart-weight must be in 0…100, got \(k.weight)") }
      guard (1...1_000_000_000_000).contains(k.frames) else { throw ArcadeError("--kickstart-frames must be in 1…10¹², got \(k.frames)") }
      if let guided = k.games {
        guard !guided.isEmpty else { throw ArcadeError("--kickstart-games needs at least one game") }
        if let g = guided.first(where: { !games.contains($0) }) {
          throw ArcadeError("--kickstart-games: '\(g)' is not one of the run's games (\(distinctGames.joined(separator: ",")))")
        }
      }
      var taken = Set(k.games ?? [])
      for t in k.gameTeachers ?? [] {
        guard !t.teacher.isEmpty, !t.games.isEmpty else { throw ArcadeError("--kickstart-teacher needs GAMES=AGENT, got '\(t.argument)'") }
        for g in t.games {
          guard games.contains(g) else {
            throw ArcadeError("--kickstart-teacher \(t.argument): '\(g)' is not one of the run's games (\(distinctGames.joined(separator: ",")))")
          }
          guard taken.insert(g).inserted else { throw ArcadeError("--kickstart-teacher \(t.argument): '\(g)' already has a teacher") }
        }
      }
      if let t = k.temperature, !KickstartSettings.temperatures.contains(t) {
        throw ArcadeError("--kickstart-temperature must be in 0.05…10, got \(t)")
      }
      if k.games == nil, k.gameTeachers != nil, distinctGames.allSatisfy(taken.contains) {
        throw ArcadeError("--kickstart \(k.teacher) would guide no game: every game has a --kickstart-teacher")
      }
    }
    if let a = augment {
      guard !a.isEmpty else { throw ArcadeError("--augment needs at least one game") }
      if let g = a.first(where: { !games.contains($0) }) {
        throw ArcadeError("--augment: '\(g)' is not one of the run's games (\(distinctGames.joined(separator: ",")))")
      }
    }
    if let f = convLRScale {
      guard gridEncoder == .linearConv else { throw ArcadeError("--conv-lr-scale needs --encoder linear+conv") }
      guard (0.01...100).contains(f) else { throw ArcadeError("--conv-lr-scale must be in 0.01…100, got \(f)") }
    }
    // The range first: the replay's seed list is built from it.
    try LevelOptions(numLevels: numLevels, startLevel: startLevel).validate()
    try checkLevelReplay()
    try levelOptions.validate()
    if let p = ConfigRange.first(
      ConfigRange.problem("frames", frames, 1...1_000_000_000_000), ConfigRange.problem("unroll", unroll, 1...1000),
      ConfigRange.problem("batch", batch, 1...1024), ConfigRange.problem("threads", threads, 1...64),
      ConfigRange.problem("checkpointEvery", checkpointEvery, 1...Int.max), ConfigRange.problem("logEvery", logEvery, 1...Int.max),
      ConfigRange.problem("learningRate", learningRate, 1e-9...1), ConfigRange.problem("rmsAlpha", rmsAlpha, 0...0.999999),
      ConfigRange.problem("rmsEpsilon", rmsEpsilon, 1e-12...1), ConfigRange.problem("gradClip", gradClip, 1e-6...1e6),
      ConfigRange.problem("entropyCost", entropyCost, 0...100), ConfigRange.problem("baselineCost", baselineCost, 0...100),
      ConfigRange.problem("discount", discount, 0...1)) { throw ArcadeError(p) }
    guard unroll * batch <= TrainConfig.maxFramesPerUpdate else {
      throw ArcadeError("unroll × batch = \(unroll * batch) frames per update is more than \(TrainConfig.maxFramesPerUpdate)")
    }
    guard batch % games.count == 0 else {
      throw ArcadeError("batch \(batch) must be a multiple of the number of games listed (\(games.count)) so each gets the same envs")
    }
  }

  /// The level-replay settings and what they need: a finite list of distinct levels without weights.
  public func checkLevelReplay() throws {
    guard let r = levelReplay else { return }
    if let p = r.problem() { throw ArcadeError(p) }
    let seeds = levelSeeds
    guard levelWeights == nil else {
      throw ArcadeError("--level-replay sets the level weights itself; give --level-seeds a file without weights")
    }
    let count = seeds?.count ?? numLevels
    guard (1...LevelReplaySettings.maxLevels).contains(count) else {
      throw ArcadeError("--level-replay needs 1 to \(LevelReplaySettings.maxLevels) training levels (--num-levels or --level-seeds), got \(count == 0 ? "unlimited" : String(count))")
    }
    if let seeds, Set(seeds).count != seeds.count {
      throw ArcadeError("--level-replay needs distinct level seeds; the list repeats \(seeds.count - Set(seeds).count) of them")
    }
  }

  /// Frames consumed by one update.
  public var framesPerUpdate: Int { unroll * batch }
}
