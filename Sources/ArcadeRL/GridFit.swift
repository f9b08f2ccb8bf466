// Whether a grid agent can see the games it is asked to play: its grid input [C, H, W] is fixed when it is
// trained (the games' largest grid, or --grid-shape), and a game whose grid is larger cannot be padded into it.
import ArcadeCore
import ArcadeGames

public enum GridFit {
  /// Throws one line naming the agent and the first game whose grid does not fit `agentGrid` ([C, H, W]);
  /// nothing for frame agents (`agentGrid` nil). `trainedMode` is the mode the agent learned: a larger grid in
  /// another mode is most often the wrong mode, otherwise the agent needs a larger --grid-shape.
  public static func check(agent path: String, agentGrid: [Int]?, envs: [any Environment],
                           mode: DistributionMode, trainedMode: DistributionMode) throws {
    guard let g = agentGrid, g.count == 3 else { return }
    for e in envs {
      let s = e.gridShape
      guard s.channels > g[0] || s.height > g[1] || s.width > g[2] else { continue }
      let need = [max(s.channels, g[0]), max(s.height, g[1]), max(s.width, g[2])]
      let hint = mode != trainedMode
        ? "it learned \(trainedMode.rawValue) mode: try --mode \(trainedMode.rawValue)"
        : "an agent trained with --grid-shape \(need.map(String.init).joined(separator: ",")) or larger can play it"
      throw ArcadeError("\(path) reads grids of \(g), but \(e.descriptor.name) in \(mode.rawValue) mode has "
                        + "\([s.channels, s.height, s.width]) (\(hint))")
    }
  }

  /// One env of each game, to read their grid shapes.
  public static func sampleEnvs(_ games: [String], mode: DistributionMode) throws -> [any Environment] {
    try games.map { try Catalog.make(EnvConfig(game: $0, options: GameOptions(mode: mode))) }
  }
}
