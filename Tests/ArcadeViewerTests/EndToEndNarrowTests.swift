import Foundation
import Testing

/// An 80×24 terminal: too small for the pixel view, narrower than the HUD.
extension EndToEndTests {
  @Test func an80x24TerminalPointsToTheGlyphViewAndKeepsWholeHUDItems() throws {
    guard let bin = setUp("narrow") else { return }
    let t = try TmuxDriver(width: 80, height: 24, name: "narrow")
    try t.type("\(bin) play heist --seed 2 --turn-based")
    _ = try t.waitFor { $0.contains("Enlarge the window, or Tab for the glyph view, which fits (q quits).") }
    try t.press("Tab")
    let s = try t.waitForSettled { $0.contains("[glyphs]") && $0.contains("@") }
    let lines = s.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines[0].hasPrefix("heist · easy · level 2 · step 0/1000 ·") && lines[0].hasSuffix("turn-based"))
    #expect(lines[1].contains("? keys · q quit") && lines[1].hasSuffix(" …"))
    try quitAndCheckShell(t)
  }
}
