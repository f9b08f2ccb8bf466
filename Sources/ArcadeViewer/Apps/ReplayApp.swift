import ArcadeCore

/// Watches a replay: play/pause, single steps both ways, speed, jumps.
public final class ReplayApp: ViewerApp, SingleViewApp {
  public var needsRedraw = true
  public let cursor: ReplayCursor
  let title: String
  public private(set) var mode: ViewMode = .pixels
  public private(set) var playing = true
  public private(set) var stepsPerSecond: Double = 15
  public private(set) var showingHelp = false
  /// Digits typed after `g`, or nil when not typing a step number.
  public private(set) var jumpInput: String?
  var nextStepTime: Double = -1
  var frame = GameFrame()
  let glyphs: (width: Int, height: Int)
  var screenTooSmall = false

  public init(cursor: ReplayCursor, title: String) {
    self.cursor = cursor
    self.title = title
    glyphs = glyphSize(cursor.env)
  }

  public func handle(key: Int32, now: Double) throws -> KeyOutcome {
    needsRedraw = true
    if showingHelp && key != Key.char("q") { showingHelp = false; return .handled }
    if let typed = jumpInput { return try handleJump(key: key, typed: typed) }
    switch key {
    case Key.char("q"), Key.escape: return .quit
    case Key.char(" "), Key.char("p"):
      if cursor.atEnd && !playing { try cursor.seek(to: 0) }
      playing.toggle()
      nextStepTime = now
    case Key.right, Key.char("."): playing = false; cursor.forward()
    case Key.left, Key.char(","): playing = false; try cursor.back()
    case Key.pageDown: try cursor.seek(to: cursor.step + 50)
    case Key.pageUp: try cursor.seek(to: cursor.step - 50)
    case Key.home: playing = false; try cursor.seek(to: 0)
    case Key.end: playing = false; try cursor.seek(to: cursor.count)
    case Key.char("g"): jumpInput = ""; playing = false
    case Key.char("+"), Key.char("="): changeSpeed(faster: true)
    case Key.char("-"), Key.char("_"): changeSpeed(faster: false)
    case Key.tab: mode = mode == .pixels ? .glyphs : .pixels
    case Key.char("?"), Key.char("h"): showingHelp = true
    default: break
    }
    return .handled
  }

  func handleJump(key: Int32, typed: String) throws -> KeyOutcome {
    if Key.isEnter(key) {
      if let n = Int(typed) { try cursor.seek(to: n) }
      jumpInput = nil
    } else if key == Key.escape {
      jumpInput = nil
    } else if key == Key.backspace || key == Key.delete || key == 8 {
      jumpInput = String(typed.dropLast())
    } else if (48...57).contains(key), typed.count < 9 {
      jumpInput = typed + String(UnicodeScalar(UInt8(key)))
    }
    return .handled
  }

  func changeSpeed(faster: Bool) {
    let speeds = PlayApp.speeds + [120, 240]
    let i = speeds.firstIndex { $0 >= stepsPerSecond } ?? speeds.count - 1
    stepsPerSecond = speeds[max(0, min(speeds.count - 1, i + (faster ? 1 : -1)))]
  }

  public func advance(now: Double) throws -> Double? {
    guard playing, !showingHelp, !screenTooSmall else { return nil }
    if cursor.atEnd { playing = false; needsRedraw = true; return nil }
    let period = 1 / stepsPerSecond
    if nextStepTime < 0 { nextStepTime = now }
    if now >= nextStepTime {
      cursor.forward()
      needsRedraw = true
      nextStepTime += period
      if nextStepTime < now { nextStepTime = now + period }
    }
    return nextStepTime
  }

  public func draw(into screen: inout CellBuffer, colours: ColourSupport) {
    guard case let (layout, shownMode)? = fitView(into: &screen, colours: colours) else { return }
    let env = cursor.env
    frame.draw(env, mode: shownMode, layout: layout, into: &screen, colours: colours)
    let state = playing ? "▶ \(Fmt.fixed(stepsPerSecond, 0)) steps/s" : (cursor.atEnd ? "■ end" : "❚❚ paused")
    screen.writeStatus(title: "Replay ", [title, env.descriptor.name, env.config.options.mode.rawValue,
                                          cursor.replay.level == nil ? "level \(cursor.replay.levelSeed)" : "level file",
                                          "step \(cursor.step)/\(cursor.count)", "return \(Fmt.fixed(env.episodeReturn, 1))",
                                          "last reward \(Fmt.fixed(cursor.lastReward, 1))", state])
    let action = cursor.previousAction.map { "\(Widgets.actionLabels[$0.index]) \(env.descriptor.actionNames[$0.index])" } ?? "-"
    let hints = ["[\(mode.name)] last \(action)", "space play/pause", "←/→ step", "? keys", "q quit", "g jump", "Home/End", "+/- speed", "Tab view"]
    screen.write(0, 1, Widgets.joinFitting(hints, width: screen.width), .faint)
    // Footer: progress bar, or the jump prompt, or the divergence warning.
    if let typed = jumpInput {
      screen.write(0, layout.footerY, "Go to step (0–\(cursor.count)): \(typed)▏  Enter jumps, Esc cancels", .strong)
    } else if let d = cursor.divergedAt {
      screen.write(0, layout.footerY, "Warning: the replay diverges from its recorded state hashes at step \(d).", .strong)
    } else {
      let w = min(screen.width, max(10, layout.viewWidth))
      Widgets.bar(cursor.count == 0 ? 1 : Float(cursor.step) / Float(cursor.count), into: &screen,
                  x: (screen.width - w) / 2, y: layout.footerY, width: w, style: .faint)
    }
    if showingHelp { Widgets.box(ReplayApp.help, title: "Replay keys (any key closes)", into: &screen) }
  }

  static let help = [
    "space or p          play / pause (at the end: from the start)",
    "→ or .   ← or ,     one step forward / back",
    "PgDn / PgUp         50 steps forward / back",
    "Home / End          first / last step",
    "g 123 Enter         go to step 123",
    "+ / -               faster / slower",
    "Tab                 pixels ↔ glyphs",
    "q or Esc            quit",
  ]
}
