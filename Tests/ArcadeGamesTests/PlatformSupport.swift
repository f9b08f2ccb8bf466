import Testing
import ArcadeCore
@testable import ArcadeGames

/// Helpers for the platform games' tests (coinrun, climber, ...).
enum Platforms {
  /// An env of game `name` loaded from map rows (top row first).
  static func env<G: Game>(_ type: G.Type, _ rows: [String], mode: DistributionMode = .hard,
                           centerAgent: Bool = true) throws -> GameEnv<G> {
    let name = G.descriptor.name
    let e = try GameEnv<G>(config: EnvConfig(game: name, options: GameOptions(mode: mode, centerAgent: centerAgent)))
    try e.load(level: LevelFile(game: name, mode: mode, seed: nil, map: LevelMap(rows: rows.map(Array.init))))
    return e
  }

  /// Steps `action` up to `n` times or until the episode ends; returns total reward and the last outcome.
  @discardableResult
  static func run<G: Game>(_ e: GameEnv<G>, _ action: Int, _ n: Int) -> (reward: Float, done: Bool, won: Bool) {
    var total: Float = 0
    for _ in 0..<n {
      let r = e.step(Action(action))
      total += r.reward
      if r.done { return (total, true, r.reward > 0) }
    }
    return (total, false, false)
  }
}

extension Platforms {
  /// Export → load gives the same level hash for `count` seeds.
  static func checkRoundTrip(_ game: String, _ mode: DistributionMode, count: UInt32 = 100) throws {
    let env = try makeEnv(game, mode), loaded = try makeEnv(game, mode)
    for seed in UInt32(0)..<count {
      env.reset(levelSeed: seed)
      let file = env.exportLevel()!
      try loaded.load(level: try LevelFile.parse(file.text(), path: "x").0)
      #expect(loaded.levelHash() == env.levelHash(), "\(game)/\(mode.rawValue) seed \(seed)")
    }
  }
}
