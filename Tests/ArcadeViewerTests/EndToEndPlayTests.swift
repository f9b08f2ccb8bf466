import Foundation
import Testing

/// Issue 18 (frames, help, episode ends, rewards) as a player meets them.
extension EndToEndTests {
  /// Cells drawn with xterm colour 227, the nearest to starpilot's shot yellow (0xffee58).
  static func shotCells(_ screenWithEscapes: String) -> Int {
    screenWithEscapes.components(separatedBy: "8;5;227m").count - 1
  }

  @Test func starpilotShotsFromTheStartingHeightAreInThePixelView() throws {
    guard let bin = setUp("starpilot") else { return }
    let t = try TmuxDriver(name: "starpilot")
    try t.type("\(bin) play starpilot --mode hard --seed 1 --turn-based")
    let start = try t.waitForSettled { $0.contains("starpilot · hard · level 1 · step 0/1000") }
    #expect(start.contains("step 0/1000"))
    #expect(EndToEndTests.shotCells(try t.tmux("capture-pane", "-p", "-e")) == 0)
    for _ in 0..<5 { try t.press("d") }
    _ = try t.waitForSettled { $0.contains("step 5/1000") }
    #expect(EndToEndTests.shotCells(try t.tmux("capture-pane", "-p", "-e")) >= 3)
    try t.press("Tab")
    // Two columns per glyph cell; the five shots (0.8 wide, 0.8 apart) cover three cells.
    _ = try t.waitFor { $0.contains("@ @ - - -") }
    try quitAndCheckShell(t)
  }

  @Test func helpListsThisGamesActionsGlyphsAndStepLimit() throws {
    guard let bin = setUp("help") else { return }
    let t = try TmuxDriver(name: "help")
    try t.type("\(bin) play starpilot --mode hard --seed 1 --turn-based")
    _ = try t.waitFor { $0.contains("step 0/1000") }
    try t.press("?")
    let s = try t.waitFor { $0.contains("starpilot: keys and glyphs") }
    #expect(s.contains("d  fire") && s.contains("-  your shot") && s.contains("T  turret") && s.contains("Step limit 1000"))
    try t.press("x")
    _ = try t.waitFor { !$0.contains("keys and glyphs") }
    try quitAndCheckShell(t)
  }

  @Test func chaserShowsTheRewardOfAnOrb() throws {
    guard let bin = setUp("chaser") else { return }
    let t = try TmuxDriver(name: "chaser")
    try t.type("\(bin) play chaser --mode hard --seed 1 --turn-based")
    _ = try t.waitFor { $0.contains("step 0/1000") }
    try t.press("Left", "Left")
    let s = try t.waitFor { $0.contains("step 2/1000") }
    #expect(s.contains("return 0.04 · last reward 0.04"))
    try quitAndCheckShell(t)
  }

  @Test func leaperSaysWhenAKeyIsIgnoredMidHop() throws {
    guard let bin = setUp("leaper") else { return }
    let t = try TmuxDriver(name: "leaper")
    try t.type("\(bin) play leaper --mode hard --seed 1 --turn-based")
    _ = try t.waitFor { $0.contains("step 0/500") }
    try t.press("Up")
    let first = try t.waitFor { $0.contains("step 1/500") }
    #expect(!first.contains("had no effect"))
    try t.press("Up")
    _ = try t.waitFor { $0.contains("step 2/500") && $0.contains("↑ had no effect this step") }
    try quitAndCheckShell(t)
  }

  @Test func aTurnBasedDeathSaysHowAndWaitsForAKey() throws {
    guard let bin = setUp("death") else { return }
    let t = try TmuxDriver(name: "death")
    try t.type("\(bin) play leaper --mode hard --seed 2 --turn-based")
    _ = try t.waitFor { $0.contains("step 0/500") }
    // Hopping straight up, the frog of level 2 meets a car in the second lane on its ninth step.
    for step in 1...9 {
      try t.press("Up")
      _ = try t.waitFor { $0.contains("step \(step)/500") }
    }
    let s = try t.waitFor { $0.contains("Any key for the next level.") }
    #expect(s.contains("Hit by a car. Return 0.0 in 9 steps."))
    #expect(s.contains("level 2 · step 9/500"))  // the last frame is held
    try t.press("Up")
    _ = try t.waitFor { $0.contains("step 0/500") && !$0.contains("level 2 · ") }
    try quitAndCheckShell(t)
  }
}

/// Issue 18 item 2: defaults a first-time player enjoys.
extension EndToEndTests {
  /// `arcade play GAME` starts on easy (the largest sprites), in real time at 15 steps/s, in the pixel view.
  @Test func playStartsOnEasyInRealTime() throws {
    guard let bin = setUp("defaults") else { return }
    let t = try TmuxDriver(name: "defaults")
    try t.type("\(bin) play maze --seed 1")
    let s = try t.waitFor { $0.contains("maze · easy · level 1") && $0.contains("steps/s (target 15)") }
    #expect(s.contains("[pixels]") && s.contains("▀"))
    try quitAndCheckShell(t)
  }
}

extension EndToEndTests {
  /// The ninja's suit is cyan (xterm colour 44) in the pixel view; it was near-black (236) on a 235 background.
  @Test func theNinjaIsCyanInThePixelView() throws {
    guard let bin = setUp("ninja") else { return }
    let t = try TmuxDriver(name: "ninja")
    try t.type("\(bin) play ninja --seed 3 --turn-based")
    _ = try t.waitForSettled { $0.contains("ninja · easy · level 3 · step 0/1000") }
    #expect(try t.tmux("capture-pane", "-p", "-e").contains("8;5;44m"))
    try quitAndCheckShell(t)
  }
}
