import ArcadeCore

/// Every game of the suite, by name.
public enum Catalog {
  public static let entries: [GameEntry] = [
    GameEntry(Maze.self),
    GameEntry(Heist.self),
    GameEntry(Miner.self),
    GameEntry(Leaper.self),
    GameEntry(BigFish.self),
    GameEntry(Plunder.self),
    GameEntry(StarPilot.self),
    GameEntry(BossFight.self),
    GameEntry(Chaser.self),
    GameEntry(FruitBot.self),
    GameEntry(DodgeBall.self),
    GameEntry(CoinRun.self),
    GameEntry(Climber.self),
    GameEntry(Jumper.self),
    GameEntry(Ninja.self),
    GameEntry(CaveFlyer.self),
  ]

  public static var names: [String] { entries.map(\.descriptor.name) }

  /// The entry for `name`, or a clear error listing the games there are.
  public static func entry(_ name: String) throws -> GameEntry {
    guard let e = entries.first(where: { $0.descriptor.name == name }) else {
      throw ArcadeError("unknown game '\(name)' (games: \(names.joined(separator: ", ")))")
    }
    return e
  }

  /// An env for `config`; throws for an unknown game or unsupported mode.
  public static func make(_ config: EnvConfig) throws -> any Environment {
    try entry(config.game).make(config)
  }
}
