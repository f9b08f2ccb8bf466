import ArcadeCore
import ArcadeGames
import ArcadeNN
import ArcadeTensor

/// Per-game evaluation result: returns and normalised scores with 95% intervals.
public struct GameEvaluation: Sendable, Codable {
  public var game: String
  public var episodes: Int
  public var meanReturn: MeanCI
  public var normalised: MeanCI?
  public var completed: Double
  /// With `Evaluator.trainingSeeds`: test levels left out because they repeat a training layout.
  public var levelsLeftOut: Int?
}

/// Who acts in an evaluation: a trained agent (on its observation kind), or uniformly random actions
/// over the 15 buttons, the reference row every score table needs.
public enum EvalPolicy {
  case agent(RLAgent, obs: String)
  case random
}

/// Runs a policy for a number of episodes per game on each of a list of level splits (the paper's
/// test splits start at 1000, 1200 and 1400) and pools the episodes per game.
public struct Evaluator {
  public var games: [String]
  public var mode: DistributionMode
  public var startLevels: [Int]
  public var numLevels: Int
  /// Levels from a list instead (one split: e.g. an agent trained on `--level-seeds`).
  public var levelSeeds: [UInt32]?
  /// When set, test levels whose layout repeats one of these training levels' are left out.
  public var trainingSeeds: [UInt32]?
  /// Episodes per game on each split.
  public var episodesPerGame: Int
  public var greedy: Bool
  public var envsPerGame = 8
  public var seed: UInt64 = 123

  public init(games: [String], mode: DistributionMode, startLevels: [Int], numLevels: Int, episodesPerGame: Int,
              greedy: Bool) {
    self.games = games
    self.mode = mode
    self.startLevels = startLevels
    self.numLevels = numLevels
    self.episodesPerGame = episodesPerGame
    self.greedy = greedy
  }

  public func run(_ policy: EvalPolicy, progress: (String) -> Void = { _ in }) throws -> [GameEvaluation] {
    var returns = [String: [Double]](), completed = [String: Int](), leftOut = [String: Int]()
    if let levelSeeds {
      var levels = LevelOptions(randSeed: seed)
      levels.seeds = levelSeeds
      try runSplit(policy, levels: levels, leftOut: &leftOut, returns: &returns, completed: &completed, progress: progress)
    } else {
      for start in startLevels {
        try runSplit(policy, levels: LevelOptions(numLevels: numLevels, startLevel: start, randSeed: seed),
                     leftOut: &leftOut, returns: &returns, completed: &completed, progress: progress)
      }
    }
    return games.map { g in
      let r = returns[g] ?? []
      let d = Catalog.entries.first { $0.descriptor.name == g }!.descriptor
      let norm = d.scoreRange[mode == .exploration ? .hard : mode] == nil
        ? nil : MeanCI(r.map { Double(d.normalisedScore(Float($0), mode: mode)!) })
      return GameEvaluation(game: g, episodes: r.count, meanReturn: MeanCI(r), normalised: norm,
                            completed: Double(completed[g] ?? 0) / Double(max(1, r.count)),
                            levelsLeftOut: trainingSeeds == nil ? nil : leftOut[g, default: 0])
    }
  }

  /// The mean over games of the per-game mean normalised score, with the 95% interval of that mean
  /// (games are independent samples, so half-widths add in quadrature).
  public static func meanNormalised(_ results: [GameEvaluation]) -> MeanCI? {
    let norms = results.compactMap(\.normalised)
    guard !norms.isEmpty else { return nil }
    let k = Double(norms.count)
    let hw = norms.reduce(0) { $0 + $1.halfWidth * $1.halfWidth }.squareRoot() / k
    return MeanCI(mean: norms.reduce(0) { $0 + $1.mean } / k, halfWidth: hw, count: norms.reduce(0) { $0 + $1.count })
  }

  /// Per game, the test levels of `levels` (a start and count) whose layout no training level has.
  func disjointSeeds(_ levels: LevelOptions, leftOut: inout [String: Int]) throws -> [String: [UInt32]] {
    guard let train = trainingSeeds else { return [:] }
    guard levels.seeds == nil, levels.numLevels > 0 else { throw ArcadeError("leaving out training layouts needs a test range") }
    let test = (0..<levels.numLevels).map { UInt32(levels.startLevel + $0) }
    var out = [String: [UInt32]]()
    for g in games {
      let o = try LevelLayouts.overlap(game: g, mode: mode, train: train, test: test)
      let dup = Set(o.duplicates.map(\.test))
      out[g] = test.filter { !dup.contains($0) }
      leftOut[g, default: 0] += dup.count
      guard !out[g]!.isEmpty else { throw ArcadeError("\(g): every test level repeats a training layout") }
    }
    return out
  }

  func runSplit(_ policy: EvalPolicy, levels: LevelOptions, leftOut: inout [String: Int], returns: inout [String: [Double]], completed: inout [String: Int],
                progress: (String) -> Void) throws {
    let B = envsPerGame * games.count
    let target = episodesPerGame
    let before = Dictionary(uniqueKeysWithValues: games.map { ($0, returns[$0]?.count ?? 0) })
    func count(_ g: String) -> Int { (returns[g]?.count ?? 0) - before[g]! }
    func record(_ vec: VecEnv, _ b: Int) {
      let g = games[b % games.count]
      guard count(g) < target else { return }
      returns[g, default: []].append(Double(vec.infos[b].episodeReturn))
      if vec.infos[b].prevLevelComplete { completed[g, default: 0] += 1 }
    }
    func finished() -> Bool { games.allSatisfy { count($0) >= target } }
    func report(_ steps: Int) {
      guard steps % 500 == 0 else { return }
      progress("levels \(levels.seeds == nil ? "\(levels.startLevel)…" : "from a list"), step \(steps): " + games.map { "\($0) \(count($0))/\(target)" }.joined(separator: ", "))
    }

    let disjoint = try disjointSeeds(levels, leftOut: &leftOut)
    func restrict(_ vec: VecEnv) throws {
      guard !disjoint.isEmpty else { return }
      for (b, e) in vec.envs.enumerated() { try e.setLevelSeeds(disjoint[games[b % games.count]], weights: nil) }
      vec.reset()
    }
    switch policy {
    case .random:
      let vec = try VecEnv(games: games, count: B, options: GameOptions(mode: mode), levels: levels,
                           observations: [], threads: 1, make: Catalog.make)
      try restrict(vec)
      var rng = PCG32(seed: seed, stream: 22)
      var a = [Int32](repeating: 0, count: B), steps = 0
      while !finished() {
        for b in 0..<B { a[b] = Int32(rng.below(Action.count)) }
        vec.step(a)
        for b in 0..<B where vec.terminated[b] != 0 || vec.truncated[b] != 0 { record(vec, b) }
        steps += 1; report(steps)
      }
    case .agent(let agent, let obs):
      let kinds: ObservationKinds = obs == "rgb" ? [.rgb] : [.grid]
      let vec = try VecEnv(games: games, count: B, options: GameOptions(mode: mode), levels: levels,
                           observations: kinds, threads: 1, gridShape: agent.config.gridShape, make: Catalog.make)
      try restrict(vec)
      let obsSize = obs == "rgb" ? VecEnv.frameBytes : vec.gridShape.channels * vec.gridShape.height * vec.gridShape.width
      // One entry, read and rewritten in place every step.
      let step = Unroll(T: 0, B: B, A: agent.config.numActions, obsSize: obsSize, isRGB: obs == "rgb")
      let actor = Actor(agent: agent, batch: B, rng: PCG32(seed: seed, stream: 21), greedy: greedy)
      step.storeObservations(vec, at: 0)
      for b in 0..<B { step.dones[b] = 1 }
      var steps = 0
      let entry = step.entry(0)
      while !finished() {
        actor.step(vec, from: entry, to: entry) { b in record(vec, b) }
        steps += 1; report(steps)
      }
    }
  }
}
