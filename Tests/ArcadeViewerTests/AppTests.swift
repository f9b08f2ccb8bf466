import ArcadeCore
import ArcadeGames
import Foundation
import Testing
@testable import ArcadeViewer

@Suite struct PlayAppTests {
  func turnBased(seed: UInt32 = 1, record: String? = nil) throws -> PlayApp {
    let env = try Catalog.make(EnvConfig(game: "maze", options: GameOptions(mode: .hard)))
    return try PlayApp(PlaySettings(env: env, firstSeed: seed, recordPath: record, turnBased: true))
  }

  @Test func hudShowsGameModeLevelStepAndReturn() throws {
    let app = try turnBased()
    let s = render(app)
    #expect(s.line(0).hasPrefix("ProcArcade maze · hard · level 1 · step 0/500 · return 0.0 · last reward 0.0 · turn-based"))
    #expect(s.line(1).hasPrefix("[pixels]"))
    #expect(s.line(2).contains("▀▀▀▀"))
  }

  @Test func arrowKeysMoveTheAgentInTheGlyphView() throws {
    let app = try turnBased()
    try press(app, Key.tab)
    let before = try #require(render(app).find("@"))
    try press(app, Key.right)
    let s = render(app)
    let after = try #require(s.find("@"))
    #expect(s.line(0).contains("step 1"))
    #expect(after.y == before.y && after.x == before.x + 2)  // two columns per cell
    #expect(app.lastAction == .move(dx: 1, dy: 0))
  }

  @Test func tooSmallScreenShowsTheNeededSizeAndDoesNotStep() throws {
    let app = try turnBased()
    let s = render(app, width: 50, height: 20)
    #expect(s.text.contains("Terminal too small: 50×20"))
    #expect(s.text.contains("needs at least 64×35"))
    try press(app, Key.right)
    #expect(app.env.stepCount == 0)
    _ = render(app)
    try press(app, Key.right)
    #expect(app.env.stepCount == 1)
  }

  @Test func withoutColourOnlyTheGlyphViewIsShown() throws {
    let app = try turnBased()
    let s = render(app, colours: .none)
    #expect(s.line(1).hasPrefix("[glyphs (no colour)]"))
    #expect(s.find("@") != nil && s.find("▀") == nil)
  }

  @Test func helpQuitRestartAndPause() throws {
    let app = try turnBased()
    try press(app, Key.char("?"))
    #expect(render(app).text.contains("maze: keys and glyphs (any key closes)"))
    try press(app, Key.char("x"))
    #expect(!render(app).text.contains("keys and glyphs"))
    try press(app, Key.right, Key.right)
    #expect(app.env.stepCount == 2)
    try press(app, Key.char("r"))
    #expect(app.env.stepCount == 0 && app.env.levelSeed == 1)
    try press(app, Key.char("p"), Key.right)
    #expect(app.env.stepCount == 0 && app.paused)
    try press(app, Key.char("n"))
    #expect(app.env.levelSeed != 1)
    #expect(try app.handle(key: Key.char("q"), now: 0) == .quit)
    #expect(try app.handle(key: Key.escape, now: 0) == .quit)
  }

  @Test func helpNamesThisGamesActionsGlyphsAndStepLimit() throws {
    let env = try Catalog.make(EnvConfig(game: "starpilot", options: GameOptions(mode: .hard)))
    let app = try PlayApp(PlaySettings(env: env, firstSeed: 1, turnBased: true))
    try press(app, Key.char("?"))
    let s = render(app).text
    #expect(s.contains("d  fire"))
    #expect(s.contains("@  your ship") && s.contains("-  your shot") && s.contains("<>  enemy flyer, pointing where it flies"))
    #expect(s.contains("Step limit 1000"))
    #expect(!s.contains("Q  "))  // starpilot has no Q action
    // Every label is a key that plays its action.
    for a in 0..<Action.count where GameKeys.labels[a].unicodeScalars.count == 1 && GameKeys.labels[a].first!.isASCII {
      #expect(GameKeys.action(for: Key.char(GameKeys.labels[a].first!)) == Action(a))
    }
  }

  @Test func turnBasedHoldsTheLastFrameUntilAKey() throws {
    let app = try turnBased()
    for k in [Key.right, Key.right, Key.up, Key.up, Key.up, Key.up, Key.right, Key.right, Key.down, Key.down, Key.down, Key.down] {
      try press(app, k)
    }
    #expect(app.env.levelSeed == 1 && app.env.stepCount == 12)  // still the finished level
    let s = render(app)
    #expect(s.text.contains("Level complete! Return 10.0 in 12 steps. Any key for the next level."))
    try press(app, Key.char("x"))
    #expect(app.env.levelSeed != 1 && app.env.stepCount == 0 && app.endedText == nil)
  }

  @Test func aKeyThatChangesNothingIsReported() throws {
    let app = try turnBased()
    try press(app, Key.left)  // maze level 1 starts against the left wall
    #expect(render(app).text.contains("← had no effect this step"))
    #expect(app.env.stepCount == 1)
    try press(app, Key.right)
    #expect(!render(app).text.contains("had no effect"))
  }

  @Test func realTimeStepsOnTheClockWithTheLastKeyOfTheFrame() throws {
    let env = try maze()
    let app = try PlayApp(PlaySettings(env: env, firstSeed: 1, stepsPerSecond: 10))
    #expect(try app.advance(now: 100) == 100.1)  // first frame scheduled
    try press(app, Key.up, Key.right)
    _ = try app.advance(now: 100.1)
    #expect(env.stepCount == 1 && app.lastAction == .move(dx: 1, dy: 0))
    _ = try app.advance(now: 100.2)
    #expect(env.stepCount == 2 && app.lastAction == .noop)
    try press(app, Key.char("+"))
    #expect(app.stepsPerSecond == 15)
  }

  @Test func recordingWritesAReplayThatChecks() throws {
    let path = NSTemporaryDirectory() + "arcade-viewer-test-\(UUID().uuidString).replay"
    defer { try? FileManager.default.removeItem(atPath: path) }
    let app = try turnBased(record: path)
    try press(app, Key.right, Key.right, Key.up, Key.up)
    #expect(try app.writeRecording(finished: false))
    let replay = try Replay.parse(try AtomicFile.readText(path), path: path)
    #expect(replay.actions == [7, 7, 5, 5] && replay.levelSeed == 1)
    #expect(try replay.check(in: try maze()) == .matches(steps: 4, finalHash: app.env.levelHash()))
  }
}

@Suite struct ReplayViewerTests {
  func recorded(steps: Int) throws -> Replay {
    let env = try maze(seed: 5)
    var rec = ReplayRecorder(env: env, hashEvery: 10)
    var rng = PCG32(seed: 3, stream: 1)
    for _ in 0..<steps {
      let a = Action(rng.below(9))
      let r = env.step(a)
      rec.record(a, env: env)
      if r.done { break }
    }
    return rec.finish(env: env)
  }

  @Test func stepsBackByRestoringSavedStates() throws {
    let replay = try recorded(steps: 90)
    let cursor = try ReplayCursor(replay: replay, env: try maze(), interval: 16)
    var hashes: [UInt64] = [cursor.env.stateHash()]
    for _ in 0..<replay.actions.count { cursor.forward(); hashes.append(cursor.env.stateHash()) }
    #expect(cursor.atEnd && cursor.divergedAt == nil)
    for t in stride(from: replay.actions.count, through: 0, by: -1) {
      try cursor.seek(to: t)
      #expect(cursor.step == t && cursor.env.stateHash() == hashes[t])
    }
    try cursor.seek(to: 37)
    try cursor.back()
    #expect(cursor.step == 36 && cursor.env.stateHash() == hashes[36])
  }

  @Test func keysPlayStepAndJump() throws {
    let replay = try recorded(steps: 60)
    let app = ReplayApp(cursor: try ReplayCursor(replay: replay, env: try maze()), title: "test.replay")
    #expect(app.playing)
    try press(app, Key.char(" "), Key.right, Key.right, Key.left)
    #expect(!app.playing && app.cursor.step == 1)
    try press(app, Key.char("g"), Key.char("2"), Key.char("5"))
    #expect(render(app).text.contains("Go to step (0–\(replay.actions.count)): 25"))
    try press(app, Key.enter)
    #expect(app.cursor.step == min(25, replay.actions.count))
    try press(app, Key.end)
    #expect(app.cursor.atEnd)
    try press(app, Key.home, Key.tab)
    let s = render(app)
    #expect(s.line(0).contains("Replay test.replay · maze · hard · level 5 · step 0/\(replay.actions.count)"))
    #expect(s.find("@") != nil)
    _ = try app.advance(now: 1)
    #expect(app.cursor.step == 0)  // paused: the clock does nothing
    try press(app, Key.char(" "))
    _ = try app.advance(now: 2)
    #expect(app.cursor.step == 1)
  }
}

/// A policy with fake fast weights, as an SRWM agent would report them.
struct FakeFastWeightPolicy: ViewerPolicy {
  var name: String { "fake-srwm" }
  var calls = 0
  mutating func act(on envs: [any Environment]) -> [PolicyOutput] {
    calls += 1
    let view = FastWeightView(layer: 0, head: 1, rows: 4, columns: 8, change: (0..<32).map { Float($0) },
                              normHistory: (0..<calls).map { Float($0) })
    return envs.map { _ in
      var p = [Float](repeating: 0, count: 15)
      p[5] = 0.75; p[7] = 0.25
      return PolicyOutput(action: Action(5), probabilities: p, value: 0.5, fastWeights: [view])
    }
  }
}

@Suite struct WatchAppTests {
  func envs(_ n: Int) throws -> [any Environment] {
    try (0..<n).map { try Catalog.make(EnvConfig(game: "maze", options: GameOptions(mode: .easy), envIndex: $0)) }
  }

  @Test func tilesShowBarsValueAndFastWeights() throws {
    let app = try WatchApp(envs: try envs(2), policy: FakeFastWeightPolicy())
    try app.step(now: 0)
    let s = render(app, width: 140, height: 40)
    #expect(s.line(0).hasPrefix("Watch policy fake-srwm · easy · 2 envs · step 1"))
    #expect(s.line(2).hasPrefix("#1 maze"))
    // The up action (index 5) at 0.75 of a 10-cell bar.
    #expect(s.line(3 + 5).contains("↑  ███████▌   .75"))
    #expect(s.line(3 + 15).contains("V 0.50"))
    #expect(s.line(2).hasSuffix("fast weights, env #1"))
    #expect(s.line(3).hasSuffix("layer 0 head 1 ‖W−W₀‖ 1.00"))
    // 4×8 matrix, two columns per entry: 2 text rows of 16 half blocks, then the sparkline.
    let fx = 104  // two tiles of 51 columns and their gaps
    #expect(s.line(3).unicodeScalars.dropFirst(fx).starts(with: "layer 0".unicodeScalars))
    #expect(s[fx, 4].char == 0x2580 && s[fx + 15, 5].char == 0x2580 && s[fx + 16, 5].char == 32)
    #expect(s[fx, 4].style.fg == Widgets.heat256[0] && s[fx + 15, 5].style.bg == Widgets.heat256.last)
    #expect(s.line(6).hasSuffix("▁█"))
  }

  @Test func randomPolicyHasUniformMeaningfulActionsAndNoValue() throws {
    let es = try envs(6)
    let app = try WatchApp(envs: es, policy: RandomPolicy(seed: 1))
    for o in app.outputs {
      #expect(o.value == nil && o.fastWeights.isEmpty)
      #expect(abs(o.probabilities.reduce(0, +) - 1) < 1e-5)
      #expect(es[0].descriptor.meaningfulActions.contains(o.action.index))
    }
    for t in 0..<200 { try app.step(now: Double(t)) }
    #expect(app.stats.reduce(0) { $0 + $1.episodes } > 0)
    // Six envs fit 120×40 as compact 3×2 tiles: one summary line under each view,
    // the selected env's bars in the side column.
    let s = render(app, width: 120, height: 40)
    #expect(!s.text.contains("showing"))
    #expect(s.line(2).hasPrefix("#1 maze") && s.line(2).hasSuffix("env #1 (keys 1-9)"))
    #expect(s.line(2 + 1 + 16).contains("V —") && s.line(2 + 1 + 16).contains("ep "))
    #expect(s.line(2 + 19).contains("#4 maze"))
    #expect(render(app, width: 100, height: 40).line(1).hasPrefix("showing 4 of 6 envs"))
    #expect(render(app, width: 40, height: 15).text.contains("Terminal too small"))
  }

  @Test func aPolicyReturningTheWrongCountIsAnError() throws {
    struct Broken: ViewerPolicy {
      var name: String { "broken" }
      mutating func act(on envs: [any Environment]) -> [PolicyOutput] { [] }
    }
    #expect(throws: ArcadeError.self) { try WatchApp(envs: try envs(2), policy: Broken()) }
  }
}

@Suite struct MenuAndKeyTests {
  let games = [MenuGame(name: "maze", summary: "find the cheese", modes: [.easy, .hard, .memory]),
               MenuGame(name: "heist", summary: "keys and locks", modes: [.easy, .hard])]

  @Test func menuPicksGameModeAndPlayOrWatch() throws {
    let app = MenuApp(games: games)
    let s = render(app)
    #expect(s.text.contains("▶ maze") && s.text.contains("◀ easy ▶"))
    try press(app, Key.right, Key.right)
    #expect(try app.handle(key: Key.newline, now: 0) == .quit)
    #expect(app.choice == .play(game: "maze", mode: .memory))
    let b = MenuApp(games: games)
    try press(b, Key.down, Key.left)
    #expect(try b.handle(key: Key.char("w"), now: 0) == .quit)
    #expect(b.choice == .watch(game: "heist", mode: .hard))
    let c = MenuApp(games: games)
    #expect(try c.handle(key: Key.char("q"), now: 0) == .quit && c.choice == .quit)
    // `a` (the trained agent) only when there is one, and the menu says what `w` and `a` do.
    #expect(try c.handle(key: Key.char("a"), now: 0) == .handled)
    #expect(render(c).text.contains("w           watch a random policy play maze (easy)"))
    let d = MenuApp(games: games, agentLine: "the shipped srwm agent on its games: maze (easy)")
    #expect(render(d).text.contains("a           watch the shipped srwm agent"))
    #expect(try d.handle(key: Key.char("a"), now: 0) == .quit && d.choice == .watchAgent)
  }

  @Test func menuDescriptionsBreakAtWords() throws {
    let long = "Side-scrolling shooter: destroy enemies, dodge bullets and meteors, reach the finish after step 500."
    let app = MenuApp(games: [MenuGame(name: "starpilot", summary: long, modes: [.easy, .hard])] + games)
    let s = render(app, width: 100, height: 40)
    let row = s.line(4)
    let shown = String(row.unicodeScalars.dropFirst(row.unicodeScalars.count - row.drop { $0 != "S" }.unicodeScalars.count))
    #expect(shown.hasSuffix("…"))
    let kept = shown.dropLast()
    #expect(long.hasPrefix(kept) && long.dropFirst(kept.count).hasPrefix(" "))  // cut before a space, not mid-word
    // The selected game's whole description, wrapped, below the list.
    let below = (8...9).map { String(s.line($0).drop { $0 == " " }) }.joined(separator: " ")
    #expect(below == long)
    #expect(Widgets.wrap("aa bb cc", width: 5) == ["aa bb", "cc"])
    #expect(Widgets.wrap("abcdefg h", width: 3) == ["abc", "def", "g h"])
    #expect(Widgets.cutAtWord("one two three", width: 9) == "one two…")
    #expect(Widgets.cutAtWord("one two", width: 9) == "one two")
  }

  @Test func keysFollowProcGensInteractiveTool() {
    #expect(GameKeys.action(for: Key.left) == Action(1))
    #expect(GameKeys.action(for: Key.up) == Action(5))
    #expect(GameKeys.action(for: Key.keypad7) == Action(2))
    #expect(GameKeys.action(for: Key.home) == Action(2))
    #expect(GameKeys.action(for: Key.pageDown) == Action(6))
    #expect(GameKeys.action(for: Key.char("u")) == Action(8))
    #expect(GameKeys.action(for: Key.char("b")) == Action(0))
    #expect(["d", "a", "w", "s", "Q", "e"].map { GameKeys.action(for: Key.char(Character($0)))?.index } == [9, 10, 11, 12, 13, 14])
    #expect(GameKeys.action(for: Key.char("q")) == nil)  // q quits
    #expect(GameKeys.action(for: Key.char("n")) == nil)  // n is the next level
  }
}
