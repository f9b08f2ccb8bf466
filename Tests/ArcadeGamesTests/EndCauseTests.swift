import Testing
import ArcadeCore
import ArcadeGames

/// The viewer tells people how an episode ended ("Crushed by a falling boulder"),
/// so every death in every game must come with its cause, and nothing else may.
@Suite struct EndCauseTests {
  @Test(arguments: allGameModes.map { "\($0.0)/\($0.1.rawValue)" })
  func everyDeathSaysWhy(_ key: String) throws {
    let (game, mode) = split(key)
    let env = try makeEnv(game, mode, levels: LevelOptions(randSeed: 9))
    var rng = PCG32(seed: 31, stream: 31)
    for _ in 0..<3000 {
      let r = env.step(Action(rng.below(Action.count)))
      if r.terminated && !r.info.prevLevelComplete {
        #expect(!(env.endCause ?? "").isEmpty, "\(key): a death without a cause at step \(r.info.episodeLength)")
      } else {
        #expect(env.endCause == nil, "\(key): '\(env.endCause!)' without a death")
      }
      if r.done { env.reset(levelSeed: nil) }
    }
  }
}
