import ArcadeCore
@testable import ArcadeGames

/// Where each glyph cell lies in the 64×64 frame: the frame's viewport and the
/// world cell at the glyph window's bottom-left corner (games whose glyph view is a
/// window around the agent, or a scrolled slice, have a non-zero origin).
struct GlyphWindow {
  var view: Viewport
  var originX = 0, originY = 0

  /// The frame pixels [x0, x1) × [y0, y1) of glyph cell (column, row from the top) in a grid `height` rows tall.
  func pixels(column: Int, row: Int, height: Int) -> (x0: Int, y0: Int, x1: Int, y1: Int) {
    let wx = Float(originX + column), wy = Float(originY + height - 1 - row)
    return view.pixelRect(x0: wx, y0: wy, x1: wx + 1, y1: wy + 1)
  }

  /// Each game's window, read from its own camera functions, so a camera change cannot leave this table behind.
  static let of: [String: @Sendable (any Environment) -> GlyphWindow] = [
    "bigfish": { _ in GlyphWindow(view: .whole(width: BigFish.side, height: BigFish.side)) },
    "bossfight": { _ in GlyphWindow(view: .whole(width: BossFight.side, height: BossFight.side)) },
    "caveflyer": { on($0, CaveFlyer.self) { g, s in let w = g.window(s); return GlyphWindow(view: g.view(s), originX: w.x, originY: w.y) } },
    "chaser": { on($0, Chaser.self) { _, s in GlyphWindow(view: .whole(width: s.size, height: s.size)) } },
    "climber": { on($0, Climber.self) { g, s in GlyphWindow(view: g.view(s), originY: g.windowOrigin(s)) } },
    "coinrun": { on($0, CoinRun.self) { g, s in let w = g.window(s); return GlyphWindow(view: g.view(s), originX: w.x, originY: w.y) } },
    "dodgeball": { on($0, DodgeBall.self) { g, s in let w = g.window(s); return GlyphWindow(view: g.view(s), originX: w.x, originY: w.y) } },
    "fruitbot": { on($0, FruitBot.self) { g, s in GlyphWindow(view: g.view(s), originY: g.windowOrigin(s)) } },
    "heist": { on($0, Heist.self) { g, s in GlyphWindow(view: g.viewport(s)) } },
    "jumper": { on($0, Jumper.self) { g, s in let w = g.window(s); return GlyphWindow(view: g.view(s), originX: w.x, originY: w.y) } },
    "leaper": { on($0, Leaper.self) { _, s in GlyphWindow(view: .whole(width: s.side, height: s.side)) } },
    "maze": { on($0, Maze.self) { g, s in GlyphWindow(view: g.viewport(s)) } },
    "miner": { on($0, Miner.self) { g, s in GlyphWindow(view: g.viewport(s)) } },
    "ninja": { on($0, Ninja.self) { g, s in let w = g.window(s); return GlyphWindow(view: g.view(s), originX: w.x, originY: w.y) } },
    "plunder": { _ in GlyphWindow(view: .whole(width: Plunder.side, height: Plunder.side)) },
    "starpilot": { _ in GlyphWindow(view: .whole(width: StarPilot.side, height: StarPilot.side)) },
  ]

  private static func on<G: Game>(_ env: any Environment, _: G.Type, _ f: (G, G.State) -> GlyphWindow) -> GlyphWindow {
    let e = env as! GameEnv<G>
    return f(e.game, e.state)
  }
}
