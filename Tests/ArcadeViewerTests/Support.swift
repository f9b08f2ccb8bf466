import ArcadeCore
import ArcadeGames
@testable import ArcadeViewer

func maze(seed: UInt32 = 1, mode: DistributionMode = .hard) throws -> any Environment {
  let env = try Catalog.make(EnvConfig(game: "maze", options: GameOptions(mode: mode)))
  env.reset(levelSeed: seed)
  return env
}

/// Draws `app` on an in-memory screen of the given size, as the event loop would.
func render(_ app: ViewerApp, width: Int = 120, height: Int = 40, colours: ColourSupport = .indexed256) -> CellBuffer {
  var screen = CellBuffer(width: width, height: height)
  app.draw(into: &screen, colours: colours)
  return screen
}

/// Presses keys (characters or key codes) in order.
func press(_ app: ViewerApp, _ keys: Int32...) throws {
  for k in keys { _ = try app.handle(key: k, now: 0) }
}
