import ArcadeCore
import ArcadeGames
import Testing
@testable import ArcadeViewer

/// Terminals narrower than the HUD (80 columns) and too small for the pixel view (80×24).
@Suite struct NarrowTerminalTests {
  @Test func joinFittingDropsWholePartsFromTheEnd() {
    #expect(Widgets.joinFitting(["a", "bb", "cc"], width: 20) == "a · bb · cc")
    #expect(Widgets.joinFitting(["a", "bb", "cc"], width: 11) == "a · bb · cc")
    #expect(Widgets.joinFitting(["a", "bb", "cc"], width: 10) == "a · bb …")
    #expect(Widgets.joinFitting(["a", "bb", "cc"], width: 5) == "a …")
    #expect(Widgets.joinFitting(["one two three"], width: 9) == "one two…")
  }

  func heist(turnBased: Bool = true) throws -> PlayApp {
    let env = try Catalog.make(EnvConfig(game: "heist", options: GameOptions(mode: .easy)))
    return try PlayApp(PlaySettings(env: env, firstSeed: 2, turnBased: turnBased))
  }

  /// At 80 columns the HUD keeps whole items and "q quit"; it was cut to "… n next · q qui".
  @Test func theHUDKeepsWholeItemsAt80Columns() throws {
    let app = try heist()
    try press(app, Key.tab)
    let s = render(app, width: 80, height: 24)
    #expect(s.line(0) == "heist · easy · level 2 · step 0/1000 · return 0.0 · last reward 0.0 · turn-based")
    #expect(s.line(1).hasPrefix("[glyphs] last · no-op · Tab view · ? keys · q quit · p pause") && s.line(1).hasSuffix(" …"))
    // With room, nothing changes.
    let wide = render(app, width: 120, height: 40)
    #expect(wide.line(0).hasPrefix("ProcArcade heist · easy · level 2 · step 0/1000"))
    #expect(wide.line(1).hasSuffix("r restart · n next"))
  }

  /// Too small for the pixel view but not for the glyph view: the message says Tab helps.
  @Test func tooSmallForPixelsPointsToTheGlyphView() throws {
    let app = try heist()
    #expect(render(app, width: 80, height: 24).text.contains("Enlarge the window, or Tab for the glyph view, which fits (q quits)."))
    #expect(!render(app, width: 30, height: 10).text.contains("Tab for the glyph view"))
    try press(app, Key.tab)
    #expect(render(app, width: 80, height: 24).find("@") != nil)
  }
}
