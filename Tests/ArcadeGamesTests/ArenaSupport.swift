import Testing
import ArcadeCore
@testable import ArcadeGames

/// Shared checks for the arcade games (bigfish ... starpilot).
enum Arena {
  /// Saves mid-episode, plays on, restores into a fresh env and checks the
  /// same actions give the same states and frames.
  static func checkSaveRestore(_ game: String, _ mode: DistributionMode, seed: UInt64 = 1) throws {
    let env = try makeEnv(game, mode, levels: LevelOptions(randSeed: seed))
    var rng = PCG32(seed: seed, stream: 7)
    for _ in 0..<60 { env.stepAutoReset(Action(rng.below(15))) }
    let saved = env.saveState()
    let actions = (0..<80).map { _ in Action(rng.below(15)) }
    var hashes: [UInt64] = []
    for a in actions { env.stepAutoReset(a); hashes.append(env.stateHash() ^ fnv1a64(env.rgb())) }
    let other = try makeEnv(game, mode, levels: LevelOptions(randSeed: seed + 100))
    try other.restoreState(saved)
    for (i, a) in actions.enumerated() {
      other.stepAutoReset(a)
      #expect(other.stateHash() ^ fnv1a64(other.rgb()) == hashes[i], "\(game) diverged at \(i)")
    }
  }

  /// A generated state of `G` for `seed`.
  static func level<G: Game>(_ g: G, _ seed: UInt32) -> G.State {
    var rng = PCG32.stream(levelSeed: seed, role: .generation)
    return g.generate(levelSeed: seed, rng: &rng)
  }

  /// Glyph frames of a short random-ish play, for eyeballing (printed by tests run with ARCADE_SHOW=1).
  static func show(_ game: String, _ mode: DistributionMode, steps: Int, every: Int, policy: (Int) -> Int) throws {
    let env = try makeEnv(game, mode)
    env.reset(levelSeed: 3)
    for t in 0..<steps {
      let r = env.step(Action(policy(t)))
      if t % every == 0 || r.done { print("t=\(t + 1) r=\(r.reward) done=\(r.done)\n" + env.glyphs().text()) }
      if r.done { break }
    }
  }
}
