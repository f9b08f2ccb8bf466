import ArcadeCore

/// Figures about generated levels: how many the game's reachability check accepts, and how many
/// end within one step whatever the action (ProcGen's jumper: about 7%, openai/procgen#59).
public enum LevelStats {
  public struct Counts: Sendable {
    public var levels = 0
    /// Levels the reachability check accepts; nil when the game has no check.
    public var solvable: Int?
    /// Levels where every one of the 15 actions ends the episode on the first step.
    public var endAtOnce = 0
  }

  public static func count(game: String, mode: DistributionMode, seeds: [UInt32]) throws -> Counts {
    let env = try Catalog.make(EnvConfig(game: game, options: GameOptions(mode: mode)))
    var c = Counts()
    for seed in seeds {
      env.reset(levelSeed: seed)
      c.levels += 1
      if let ok = env.isSolvable() { c.solvable = (c.solvable ?? 0) + (ok ? 1 : 0) }
      let start = env.saveState()
      var every = true
      for a in 0..<Action.count where every {
        if a > 0 { try env.restoreState(start) }
        every = env.step(Action(a)).done
      }
      if every { c.endAtOnce += 1 }
    }
    return c
  }
}
