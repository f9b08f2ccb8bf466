import Foundation
import Testing

/// Issue 18 item 6: every terminal gets a usable viewer or a clear refusal.
extension EndToEndTests {
  @Test func noColourGivesTheGlyphView() throws {
    guard let bin = setUp("no-color") else { return }
    let t = try TmuxDriver(name: "no-color")
    try t.type("NO_COLOR=1 \(bin) play maze --mode hard --seed 1 --turn-based")
    let s = try t.waitFor { $0.contains("[glyphs (no colour)]") }
    #expect(s.contains("@"))
    #expect(!(try t.tmux("capture-pane", "-p", "-e")).contains("8;5;"))  // no 256-colour cell at all
    try quitAndCheckShell(t)
  }

  @Test func aDumbTerminalIsRefusedInOneLine() throws {
    guard let bin = setUp("dumb") else { return }
    let t = try TmuxDriver(name: "dumb")
    try t.type("clear; TERM=dumb \(bin) play maze; echo status=$?")
    let s = try t.waitFor { $0.range(of: #"status=\d"#, options: .regularExpression) != nil }
    #expect(s.contains("Error: arcade play needs a terminal: TERM=dumb cannot position the cursor (use `arcade run --render text`"))
    #expect(s.contains("status=1"))
    // With no command, a dumb terminal gets the text overview instead of the menu.
    try t.type("clear; TERM=dumb \(bin) | head -1")
    _ = try t.waitFor { $0.contains("ProcArcade — 16 games") }
  }

  @Test func stdinThatIsNotATerminalIsNamed() throws {
    guard let bin = setUp("stdin") else { return }
    let t = try TmuxDriver(name: "stdin")
    try t.type("clear; \(bin) play maze < /dev/null; echo status=$?")
    let s = try t.waitFor { $0.range(of: #"status=\d"#, options: .regularExpression) != nil }
    #expect(s.contains("needs a terminal: standard input is not a terminal"))
    #expect(s.contains("status=1"))
  }

  @Test func eightColoursKeepTheMazeMouseOffThePath() throws {
    guard let bin = setUp("xterm8") else { return }
    let t = try TmuxDriver(name: "xterm8")
    try t.type("TERM=xterm \(bin) play maze --mode hard --seed 1 --turn-based")
    _ = try t.waitForSettled { $0.contains("step 0/500") }
    let cells = try t.tmux("capture-pane", "-p", "-e")
    // Path white, walls blue and black, cheese yellow; the pink-and-grey mouse takes magenta.
    #expect(cells.contains("\u{1b}[45m") || cells.contains("\u{1b}[35m") || cells.contains(";45m") || cells.contains(";35m"))
    try quitAndCheckShell(t)
  }
}
