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
    // One entry, read and rewritten in place every step.
    let step = Unroll(T: 0, B: B, A: agent.config.numActions, obsSize: obsSize, isRGB: obs == "rgb")
    let actor = Actor(agent: agent, batch: B, rng: PCG32(seed: seed, stream: 21), greedy: greedy)
    var returns = [String: [Double]](), completed = [String: Int]()
    step.storeObservations(vec, at: 0)
    for b in 0..<B { step.dones[b] = 1 }
    func finished() -> Bool { games.allSatisfy { (returns[$0]?.count ?? 0) >= episodesPerGame } }
    var steps = 0
    let entry = step.entry(0)
    while !finished() {
      actor.step(vec, from: entry, to: entry) { b in
        let g = games[b % games.count]
        if (returns[g]?.count ?? 0) < episodesPerGame {
          returns[g, default: []].append(Double(vec.infos[b].episodeReturn))
          if vec.infos[b].prevLevelComplete { completed[g, default: 0] += 1 }
        }
      }
      steps += 1
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
