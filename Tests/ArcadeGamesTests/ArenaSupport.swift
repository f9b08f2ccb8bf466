import Testing
import ArcadeCore
@testable import ArcadeGames

/// Shared helpers for the arcade games (bigfish ... starpilot).
enum Arena {
  /// A generated state of `G` for `seed`.
  static func level<G: Game>(_ g: G, _ seed: UInt32) -> G.State {
    var rng = PCG32.stream(levelSeed: seed, role: .generation)
    return g.generate(levelSeed: seed, rng: &rng)
  }
}
