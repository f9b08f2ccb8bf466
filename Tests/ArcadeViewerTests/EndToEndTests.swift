import ArcadeCore
import ArcadeGames
import Foundation
import Testing

/// The real binary in a real (tmux) terminal: keys in, screen out, clean exit.
@Suite(.serialized) struct EndToEndTests {
  /// The binary, or nil after printing why the test is skipped.
  func setUp(_ test: String) -> String? {
    guard TmuxDriver.tmuxPath != nil else { print("\(test): skipped, tmux is not installed"); return nil }
    guard let bin = arcadeBinary() else {
      print("\(test): skipped, no .build/release/arcade or .build/debug/arcade (run `swift build` first)")
      return nil
    }
    return bin
  }

  /// q ends the program with status 0 and leaves a working shell.
  func quitAndCheckShell(_ t: TmuxDriver, key: String = "q", expectStatus: Int = 0) throws {
    try t.press(key)
    // Type only once the shell is back: keys sent earlier could reach the viewer instead.
    _ = try t.waitFor(TmuxDriver.shellIsPrompting)
    try t.type("echo status=$?; stty -a | grep -o ' icanon\\| echo ' | tr -d ' ' | tr '\\n' ,; echo")
    let s = try t.waitFor { $0.contains("status=") && $0.contains("icanon,echo,") }
    #expect(s.contains("status=\(expectStatus)"))
  }

  @Test func playMazeTurnBasedMovesThePlayer() throws {
    guard let bin = setUp("play") else { return }
    let t = try TmuxDriver(name: "play")
    try t.type("\(bin) play maze --mode hard --seed 1 --turn-based")
    _ = try t.waitFor { $0.contains("maze · hard · level 1 · step 0") }
    try t.press("Tab")
    let before = try t.waitForSettled { $0.contains("[glyphs]") && $0.contains("@") }
    let p0 = try #require(TmuxDriver.find("@", in: before))
    try t.press("Right")
    // Settled: a capture can land between the header and the map of one redraw.
    let after = try t.waitForSettled { $0.contains("step 1/500 ·") }
    let p1 = try #require(TmuxDriver.find("@", in: after))
    #expect(p1.y == p0.y && p1.x == p0.x + 2)
    #expect(after.contains("return 0.0 · last reward 0.0 · turn-based"))
    try quitAndCheckShell(t)
  }

  /// Keys that solve maze level 1 (hard): right 2, up 4, right 2, down 4.
  static let solveMazeLevel1 = ["Right", "Right", "Up", "Up", "Up", "Up", "Right", "Right", "Down", "Down", "Down", "Down"]

  @Test func finishingALevelShowsTheResultRecordsAndContinues() throws {
    guard let bin = setUp("record") else { return }
    let path = "/tmp/arcade-e2e-record-\(getpid()).replay"
    defer { unlink(path) }
    let t = try TmuxDriver(name: "record")
    try t.type("\(bin) play maze --mode hard --seed 1 --turn-based --record \(path)")
    _ = try t.waitFor { $0.contains("level 1 · step 0") }
    for k in EndToEndTests.solveMazeLevel1 { try t.press(k) }
    let s = try t.waitFor { $0.contains("Level complete!") }
    #expect(s.contains("Return 10.0 in 12 steps") && s.contains("Recorded \(path)"))
    // Turn-based play holds the finished level until a key.
    #expect(s.contains("level 1 · step 12/500") && s.contains("Any key for the next level."))
    try t.press("x")
    _ = try t.waitFor { !$0.contains("level 1 · ") && $0.contains("step 0/500") }
    try quitAndCheckShell(t)
    try t.type("\(bin) replay \(path) --check")
    _ = try t.waitFor { $0.contains("ok: all 2 state hashes match over 12 steps") }
  }

  @Test func anErrorInsideTheLoopRestoresTheTerminalOnce() throws {
    guard let bin = setUp("error") else { return }
    let t = try TmuxDriver(name: "error")
    // The recording is written when the episode ends, inside the loop: the write fails.
    try t.type("clear; \(bin) play maze --mode hard --seed 1 --turn-based --record /nonexistent-dir/x.replay")
    _ = try t.waitFor { $0.contains("level 1 · step 0") }
    for k in EndToEndTests.solveMazeLevel1 { try t.press(k) }
    let s = try t.waitFor { $0.contains("cannot write") && TmuxDriver.shellIsPrompting($0) }
    #expect(!s.contains("ProcArcade maze"))  // the viewer's screen is gone
    try t.type("echo status=$?; stty -a | grep -o ' icanon\\| echo ' | tr -d ' ' | tr '\\n' ,; echo")
    let after = try t.waitFor { $0.contains("status=") && $0.contains("icanon,echo,") }
    #expect(after.contains("status=1"))
  }

  @Test func ctrlCRestoresTheTerminalWithStatus130() throws {
    guard let bin = setUp("ctrl-c") else { return }
    let t = try TmuxDriver(name: "sigint")
    try t.type("\(bin) play maze --mode hard --seed 2")
    _ = try t.waitFor { $0.contains("steps/s") }
    try quitAndCheckShell(t, key: "C-c", expectStatus: 130)
  }

  @Test func watchRandomPolicyShowsTiles() throws {
    guard let bin = setUp("watch") else { return }
    let t = try TmuxDriver(name: "watch")
    try t.type("\(bin) watch --policy random --envs 4")
    let s = try t.waitFor { $0.contains("Watch policy random · hard · 4 envs") && $0.contains("#4 ") }
    #expect(s.contains("V —"))
    try t.press("Tab")
    _ = try t.waitFor { $0.contains("@") }
    try quitAndCheckShell(t)
  }

  @Test func replayViewerStepsThroughARecording() throws {
    guard let bin = setUp("replay") else { return }
    // A replay made the way `arcade play --record` makes one.
    let env = try Catalog.make(EnvConfig(game: "maze", options: GameOptions(mode: .hard)))
    env.reset(levelSeed: 1)
    var rec = ReplayRecorder(env: env)
    for a in [7, 7, 4, 4] { _ = env.step(Action(a)); rec.record(Action(a), env: env) }
    let path = "/tmp/arcade-e2e-\(getpid()).replay"
    try AtomicFile.write(rec.finish(env: env).text(), to: path)
    defer { unlink(path) }

    let t = try TmuxDriver(name: "replay")
    try t.type("\(bin) replay \(path)")
    _ = try t.waitFor { $0.contains("step 4/4") }  // plays to the end by itself
    try t.press("Tab", "Home")
    let start = try t.waitForSettled { $0.contains("step 0/4") && $0.contains("@") }
    let p0 = try #require(TmuxDriver.find("@", in: start))
    try t.press("Right", "Right")
    // Wait for the whole frame of step 2 (under load a capture can catch the header before the map):
    // the mouse two cells (four columns) to the right. A timeout fails the test.
    let later = try t.waitFor { s in
      s.contains("step 2/4") && TmuxDriver.find("@", in: s).map { $0.x == p0.x + 4 && $0.y == p0.y } == true
    }
    #expect(later.contains("step 2/4"))
    try t.press("Left")
    _ = try t.waitFor { $0.contains("step 1/4") }
    try quitAndCheckShell(t)
  }

  @Test func withoutATerminalTheViewerCommandsFailWithOneLine() throws {
    guard let bin = setUp("no-tty") else { return }
    let (status, text) = try spawn([bin, "play", "maze"], captureOutput: true)
    #expect(status != 0)
    #expect(text.contains("needs a terminal"))
    #expect(text.split(separator: "\n").count == 1)
  }
}
