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
}

/// Runs a trained agent for a number of episodes per game on a level split.
public struct Evaluator {
  public var games: [String]
  public var mode: DistributionMode
  public var startLevel: Int
  public var numLevels: Int
  public var episodesPerGame: Int
  public var greedy: Bool
  public var envsPerGame = 8
  public var seed: UInt64 = 123

  public init(games: [String], mode: DistributionMode, startLevel: Int, numLevels: Int, episodesPerGame: Int,
              greedy: Bool) {
    self.games = games
    self.mode = mode
    self.startLevel = startLevel
    self.numLevels = numLevels
    self.episodesPerGame = episodesPerGame
    self.greedy = greedy
  }

  public func run(agent: RLAgent, obs: String, progress: (String) -> Void = { _ in }) throws -> [GameEvaluation] {
    let B = envsPerGame * games.count
    let kinds: ObservationKinds = obs == "rgb" ? [.rgb] : [.grid]
    let vec = try VecEnv(games: games, count: B, options: GameOptions(mode: mode),
                         levels: LevelOptions(numLevels: numLevels, startLevel: startLevel, randSeed: seed),
                         observations: kinds, threads: 1, make: Catalog.make)
    if let g = agent.config.gridShape, g != [vec.gridShape.channels, vec.gridShape.height, vec.gridShape.width] {
      throw ArcadeError("the agent reads grids of shape \(g); these games give \(vec.gridShape)")
    }
    let obsSize = obs == "rgb" ? VecEnv.frameBytes : vec.gridShape.channels * vec.gridShape.height * vec.gridShape.width
    let step = Unroll(T: 0, B: B, A: 15, obsSize: obsSize, isRGB: obs == "rgb")
    let state = agent.initialState(batch: B)
    var rng = PCG32(seed: seed, stream: 21)
    var returns = [String: [Double]](), completed = [String: Int]()
    for b in 0..<B { step.dones[b] = 1 }
    var actions = [Int32](repeating: 4, count: B)
    func finished() -> Bool { games.allSatisfy { (returns[$0]?.count ?? 0) >= episodesPerGame } }
    var steps = 0
    while !finished() {
      step.storeObservations(vec, at: 0)
      let (logits, _) = agent.forward(step.input(0), reward: step.rewards.baseAddress!, done: step.dones.baseAddress!,
                                      T: 1, B: B, state: state)
      for b in 0..<B {
        let l = logits + b * 15
        actions[b] = Int32(greedy ? ActionSampler.greedy(l, count: 15) : ActionSampler.sample(l, count: 15, rng: &rng))
      }
      vec.step(actions)
      steps += 1
      for b in 0..<B {
        let done = vec.terminated[b] != 0 || vec.truncated[b] != 0
        step.rewards[b] = vec.rewards[b]
        step.dones[b] = done ? 1 : 0
        guard done else { continue }
        let g = games[b % games.count]
        if (returns[g]?.count ?? 0) < episodesPerGame {
          returns[g, default: []].append(Double(vec.infos[b].episodeReturn))
          if vec.infos[b].prevLevelComplete { completed[g, default: 0] += 1 }
        }
      }
      if steps % 500 == 0 {
        progress("step \(steps): " + games.map { "\($0) \(returns[$0]?.count ?? 0)/\(episodesPerGame)" }.joined(separator: ", "))
      }
    }
    return games.map { g in
      let r = returns[g] ?? []
      let d = Catalog.entries.first { $0.descriptor.name == g }!.descriptor
      let norm = d.scoreRange[mode == .exploration ? .hard : mode] == nil
        ? nil : MeanCI(r.map { Double(d.normalisedScore(Float($0), mode: mode)!) })
      return GameEvaluation(game: g, episodes: r.count, meanReturn: MeanCI(r), normalised: norm,
                            completed: Double(completed[g] ?? 0) / Double(max(1, r.count)))
    }
  }
}
