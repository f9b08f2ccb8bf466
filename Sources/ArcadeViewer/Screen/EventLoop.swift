import ArcadeCore

/// What a key did to an app.
public enum KeyOutcome: Equatable, Sendable {
  case handled
  case quit
}

/// How a viewer loop ended.
public enum LoopEnd: Equatable, Sendable {
  case quit
  /// A termination signal arrived; exit with 128 + the signal number.
  case signal(Int32)
}

/// A screen-filling interactive view driven by keys and time. Apps never
/// call ncurses: they draw into a `CellBuffer`, which makes them testable.
public protocol ViewerApp: AnyObject {
  /// Set when the screen should be drawn again.
  var needsRedraw: Bool { get set }
  func handle(key: Int32, now: Double) throws -> KeyOutcome
  /// Advances time-driven state; returns when it next wants to run (nil: only on a key).
  func advance(now: Double) throws -> Double?
  func draw(into screen: inout CellBuffer, colours: ColourSupport)
}

/// Longest wait for a key: signals interrupt getch anyway, this is only a backstop.
let longestWaitMilliseconds = 1000

/// Runs `app` on `terminal` until it quits or a signal arrives.
/// Waits in getch (blocking with a timeout), so an idle viewer uses no CPU.
public func runLoop(_ app: ViewerApp, on terminal: Terminal) throws -> LoopEnd {
  let size = terminal.size
  var screen = CellBuffer(width: size.width, height: size.height)
  terminal.invalidate()
  app.needsRedraw = true
  while true {
    if SignalWatch.pending != 0 { return .signal(SignalWatch.pending) }
    let now = monotonicSeconds()
    let wake = try app.advance(now: now)
    if app.needsRedraw {
      app.needsRedraw = false
      screen.clear()
      app.draw(into: &screen, colours: terminal.colours)
      terminal.present(screen)
    }
    let wait = wake.map { max(0, Int((($0 - monotonicSeconds()) * 1000).rounded(.up))) } ?? longestWaitMilliseconds
    guard let key = terminal.readKey(milliseconds: min(wait, longestWaitMilliseconds)) else { continue }
    if key == Key.resize {
      let s = terminal.size
      screen.resize(width: s.width, height: s.height)
      terminal.invalidate()
      app.needsRedraw = true
      continue
    }
    if try app.handle(key: key, now: monotonicSeconds()) == .quit { return .quit }
  }
}

/// Takes the terminal for `body` and gives it back exactly once, also when `body` throws.
public func withTerminal<T>(_ body: (Terminal) throws -> T) throws -> T {
  SignalWatch.install()
  let terminal = Terminal()
  try terminal.start()
  defer { terminal.stop() }
  return try body(terminal)
}
