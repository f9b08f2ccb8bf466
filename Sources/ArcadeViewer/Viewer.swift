#if canImport(Glibc)
import Glibc
#endif
import ArcadeCore

/// Entry points of the terminal viewer for the command-line tool. Each takes
/// the terminal, runs its app, and restores the terminal before returning.
public enum Viewer {
  /// Whether standard input and output are both terminals that can draw (not TERM=dumb).
  public static var hasTerminal: Bool { terminalProblem == nil }

  /// Why the viewer cannot run here, or nil.
  static var terminalProblem: String? {
    if isatty(STDIN_FILENO) != 1 { return "standard input is not a terminal" }
    if isatty(STDOUT_FILENO) != 1 { return "standard output is not a terminal" }
    if let term = getenv("TERM").map({ String(cString: $0) }), term == "dumb" || term.isEmpty {
      return "TERM=\(term) cannot position the cursor"
    }
    return nil
  }

  /// A one-line error unless the viewer can run.
  public static func requireTerminal(_ command: String) throws {
    if let problem = terminalProblem {
      throw ArcadeError("\(command) needs a terminal: \(problem) (use `arcade run --render text` for text output)")
    }
  }

  /// Plays until the user quits; writes the recording (the first finished episode, else the unfinished one).
  public static func play(_ settings: PlaySettings) throws -> (LoopEnd, recorded: String?) {
    let app = try PlayApp(settings)
    let end = try withTerminal { try runLoop(app, on: $0) }
    try app.writeRecording(finished: false)
    return (end, app.recordedPath)
  }

  public static func replay(_ replay: Replay, env: any Environment, title: String) throws -> LoopEnd {
    let app = ReplayApp(cursor: try ReplayCursor(replay: replay, env: env), title: title)
    return try withTerminal { try runLoop(app, on: $0) }
  }

  /// `warnings` stay on the bottom line (e.g. games the agent never trained on).
  public static func watch(envs: [any Environment], policy: any ViewerPolicy, stepsPerSecond: Double = 15,
                           warnings: [String] = []) throws -> LoopEnd {
    let app = try WatchApp(envs: envs, policy: policy, stepsPerSecond: stepsPerSecond, warnings: warnings)
    return try withTerminal { try runLoop(app, on: $0) }
  }

  /// Runs the menu until a choice (`app.choice`); the same app keeps its selection between runs.
  public static func menu(_ app: MenuApp) throws -> LoopEnd {
    try withTerminal { try runLoop(app, on: $0) }
  }

  /// Draws `frames` full redraws of a play screen and returns frames per second
  /// (every cell sent again each frame, alternating views, so nothing is skipped).
  /// With `full` false, only the cells that changed are sent (the normal case).
  public static func measureRedraw(_ settings: PlaySettings, frames: Int, full: Bool) throws -> (fps: Double, width: Int, height: Int) {
    let app = try PlayApp(settings)
    return try withTerminal { terminal in
      let size = terminal.size
      var screen = CellBuffer(width: size.width, height: size.height)
      let t0 = monotonicSeconds()
      for i in 0..<frames {
        if i % 20 == 0 { _ = try app.handle(key: Key.tab, now: monotonicSeconds()) }
        try app.step(.move(dx: i % 2 == 0 ? 1 : -1, dy: 0), now: monotonicSeconds())
        screen.clear()
        app.draw(into: &screen, colours: terminal.colours)
        if full { terminal.invalidate() }
        terminal.present(screen)
      }
      return (Double(frames) / (monotonicSeconds() - t0), size.width, size.height)
    }
  }
}
