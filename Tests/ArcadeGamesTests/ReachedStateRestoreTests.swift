import Testing
import ArcadeCore
import ArcadeGames

/// Every state a game reaches must restore: `restoreState`'s range checks are
/// there to reject damaged files, and a bound tighter than the dynamics would
/// make a training checkpoint unresumable (a starpilot object at y −4.26 did).
@Suite struct ReachedStateRestoreTests {
  static let levelSeeds: [UInt64] = [3, 17, 40, 91]
  static let stepsPerSeed = 2500

  @Test(arguments: allGameModes.map { "\($0.0)/\($0.1.rawValue)" })
  func everyReachedStateRestores(_ key: String) throws {
    let (game, mode) = split(key)
    let copy = try makeEnv(game, mode)
    for seed in Self.levelSeeds {
      let env = try makeEnv(game, mode, levels: LevelOptions(randSeed: seed))
      // Sticky random actions (held for 1–8 steps) reach farther than uniform ones.
      var rng = PCG32(seed: seed, stream: 7)
      var action = Action(0), hold = 0
      for step in 0..<Self.stepsPerSeed {
        if hold == 0 { action = Action(rng.below(Action.count)); hold = 1 + Int(rng.below(8)) }
        hold -= 1
        env.stepAutoReset(action)
        do {
          try copy.restoreState(env.saveState())
        } catch {
          Issue.record("\(key) level seed \(seed), step \(step + 1): \(error)")
          return
        }
        #expect(copy.stateHash() == env.stateHash(), "\(key) seed \(seed) step \(step + 1)")
      }
    }
  }
}
