import Foundation
import Testing
import ArcadeCore
import ArcadeGames

/// Seeded fuzzing of `restoreState` (issue 14): mutated saved states are
/// either rejected with an error that leaves the env unchanged, or accepted
/// and then stepped and rendered without trapping. A crash fails the run.
@Suite struct StateFuzzTests {
  static let mutantsPerGame = 2000
  static let stepsAfterRestore = 20

  @Test(arguments: Catalog.names)
  func mutatedStatesAreRejectedOrPlayable(_ game: String) throws {
    let env = try makeEnv(game, .hard, levels: LevelOptions(randSeed: 14))
    let index = UInt64(Catalog.names.firstIndex(of: game)!)
    var rng = PCG32(seed: 1414, stream: index)
    // Saved states at several points of a seeded rollout (auto-reset).
    var bases: [[UInt8]] = []
    for step in 0..<400 {
      if [0, 3, 25, 120, 399].contains(step) { bases.append(env.saveState()) }
      env.stepAutoReset(Action(rng.below(Action.count)))
    }
    var mutator = StateMutator(rng: PCG32(seed: 14, stream: index),
                               stepCountOffset: StateMutator.stepCountOffset(game: game, mode: .hard))
    var rejected = 0, accepted = 0
    for k in 0..<Self.mutantsPerGame {
      let base = bases[k % bases.count]
      try env.restoreState(base)
      let before = env.stateHash()
      let m = mutator.mutant(of: base)
      do {
        try env.restoreState(m)
      } catch let e as ArcadeError {
        rejected += 1
        #expect(e.message.hasPrefix("saved state"), "\(game) mutant \(k): \(e.message)")
        #expect(env.stateHash() == before, "\(game) mutant \(k): a rejected restore changed the env")
        continue
      }
      accepted += 1
      exercise(env, rng: &rng)
    }
    print("state fuzz \(game): tried \(Self.mutantsPerGame), rejected \(rejected), accepted and stepped \(accepted)")
    #expect(rejected + accepted == Self.mutantsPerGame)
    #expect(rejected > 0 && accepted > 0, "\(game): the mutants exercise both paths")
  }

  /// Renders every observation, steps with seeded actions until the episode
  /// ends, and renders again.
  func exercise(_ env: any Environment, rng: inout PCG32) {
    _ = env.rgb(); _ = env.grid(); _ = env.glyphs(); _ = env.stateHash()
    for _ in 0..<Self.stepsAfterRestore {
      if env.step(Action(rng.below(Action.count))).done { break }
    }
    _ = env.rgb(); _ = env.grid(); _ = env.glyphs(); _ = env.saveState()
  }
}
