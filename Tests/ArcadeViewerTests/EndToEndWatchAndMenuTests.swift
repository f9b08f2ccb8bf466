import Foundation
import Testing

/// Issue 18 (watch and the menu) and issue 15 (watch defaults) as a user meets them.
extension EndToEndTests {
  @Test func watchWithNoArgumentsShowsEveryGameOfTheAgentInItsMode() throws {
    guard let bin = setUp("watch-default") else { return }
    let t = try TmuxDriver(name: "watch-default")
    try t.type("\(bin) watch")
    // The shipped agent: six games, easy, all six tiles on 120×40 (no "showing 4 of 6").
    let s = try t.waitFor { $0.contains("· easy · 6 envs") && $0.contains("#6 starpilot") }
    for g in ["bigfish", "fruitbot", "maze", "leaper", "plunder"] { #expect(s.contains(g)) }
    #expect(!s.contains("showing") && !s.contains("Warning"))
    try quitAndCheckShell(t)
  }

  @Test func watchWarnsAboutGamesAndModesTheAgentNeverTrainedOn() throws {
    guard let bin = setUp("watch-warn") else { return }
    let t = try TmuxDriver(name: "watch-warn")
    try t.type("\(bin) watch --games bossfight")
    // Waits for both: a capture can land between the tiles and the bottom line of one redraw.
    _ = try t.waitFor { $0.contains("#1 bossfight") && $0.contains("Warning: the agent never trained on bossfight") }
    try quitAndCheckShell(t)
    // Said on stderr too, so it is still there after the viewer.
    #expect(try t.screen().contains("warning: the agent never trained on bossfight"))
    // A mode the agent's grids cannot read is refused in one line, after the warning; never run silently in another mode.
    try t.type("clear; \(bin) watch --games maze --mode hard")
    let refused = try t.waitFor { $0.contains("Error:") && TmuxDriver.shellIsPrompting($0) }
    #expect(refused.contains("warning: the agent trained in easy mode, shown in hard"))
    // -J joins wrapped lines: the agent's path (the clone's folder) moves where the error wraps.
    let joined = try t.tmux("capture-pane", "-p", "-J")
    #expect(joined.contains("reads grids of [7, 20, 20], but maze in hard mode has [3, 25, 25]"))
    #expect(joined.contains("(it learned easy mode: try --mode easy)"))
  }

  @Test func aNegativeMeanReturnIsNotCutOff() throws {
    guard let bin = setUp("watch-mean") else { return }
    let t = try TmuxDriver(name: "watch-mean")
    // fruitbot's junk (−4) makes negative returns common for a random policy.
    try t.type("\(bin) watch --policy random --games fruitbot --envs 2 --speed 240")
    let s = try t.waitFor(timeout: 30) { $0.range(of: #"ø -\d+\.\d\d"#, options: .regularExpression) != nil }
    #expect(s.range(of: #"ø -\d+\.\d\d"#, options: .regularExpression) != nil)
    try quitAndCheckShell(t)
  }

  @Test func theMenuWatchesARandomPolicyAndComesBackAfterwards() throws {
    guard let bin = setUp("menu") else { return }
    let t = try TmuxDriver(name: "menu")
    try t.type(bin)
    let menu = try t.waitForSettled { $0.contains("procedurally generated games") && $0.contains("More: arcade --help") }
    #expect(menu.contains("w           watch a random policy play maze (easy)"))
    // Descriptions end at a word (or in full): no line ends in a cut word.
    for line in menu.split(separator: "\n") where line.contains("        easy          ") {
      let text = line.trimmingCharacters(in: .whitespaces)
      #expect(text.hasSuffix("…") || text.hasSuffix("."), "cut mid-word: \(text)")
    }
    try t.press("Down", "w")
    _ = try t.waitFor { $0.contains("Watch policy random · easy · 4 envs") && $0.contains("#1 heist") }
    try t.press("q")
    _ = try t.waitFor { $0.contains("procedurally generated games") && $0.contains("▶ heist") }  // back, heist still selected
    try t.press("Enter")
    _ = try t.waitFor { $0.contains("ProcArcade heist · easy") }
    try t.press("q")
    _ = try t.waitFor { $0.contains("procedurally generated games") }
    // a: the shipped agent on its own games, in its mode.
    try t.press("a")
    _ = try t.waitFor { $0.contains("Watch policy srwm agent") && $0.contains("· easy · 6 envs") }
    try t.press("q")
    _ = try t.waitFor { $0.contains("procedurally generated games") }
    try quitAndCheckShell(t)
  }
}
