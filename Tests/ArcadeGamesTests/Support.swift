import ArcadeCore
import ArcadeGames

/// Every (game, mode) pair of the suite.
let allGameModes: [(String, DistributionMode)] = Catalog.entries.flatMap { e in
  e.descriptor.modes.map { (e.descriptor.name, $0) }
}

func makeEnv(_ game: String, _ mode: DistributionMode, levels: LevelOptions = LevelOptions(), envIndex: Int = 0) throws
  -> any Environment
{
  try Catalog.make(EnvConfig(game: game, options: GameOptions(mode: mode), levels: levels, envIndex: envIndex))
}

/// Steps `env` with `n` seeded random actions (auto-reset), returning the
/// state hash after every step.
func randomRollout(_ env: any Environment, steps n: Int, seed: UInt64) -> [UInt64] {
  var rng = PCG32(seed: seed, stream: 99)
  var hashes: [UInt64] = []
  for _ in 0..<n {
    env.stepAutoReset(Action(rng.below(Action.count)))
    hashes.append(env.stateHash())
  }
  return hashes
}
