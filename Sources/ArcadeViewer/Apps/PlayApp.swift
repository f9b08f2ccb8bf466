import ArcadeCore

/// What `arcade play` was asked to do.
public struct PlaySettings {
  public var env: any Environment
  /// Play this level file every episode instead of generated levels.
  public var level: LevelFile?
  /// How the HUD names the level file (its path).
  public var levelName: String?
  /// Seed of the first level (later levels come from the env's sampler).
  public var firstSeed: UInt32?
  /// Write the first episode as a replay here.
  public var recordPath: String?
  public var turnBased: Bool
  public var stepsPerSecond: Double

  public init(env: any Environment, level: LevelFile? = nil, levelName: String? = nil, firstSeed: UInt32? = nil, recordPath: String? = nil,
              turnBased: Bool = false, stepsPerSecond: Double = 15) {
    self.env = env
    self.level = level
    self.levelName = levelName
    self.firstSeed = firstSeed
    self.recordPath = recordPath
    self.turnBased = turnBased
    self.stepsPerSecond = stepsPerSecond
  }
}

/// A person plays one game: real time (the last key of a frame is the action)
/// or turn-based (one step per key).
public final class PlayApp: ViewerApp, SingleViewApp {
  public var needsRedraw = true
  public let env: any Environment
  let settings: PlaySettings
  public private(set) var mode: ViewMode = .pixels
  public private(set) var paused = false
  public private(set) var showingHelp = false
  public private(set) var stepsPerSecond: Double
  public private(set) var lastReward: Float = 0
  public private(set) var lastAction = Action.noop
  public private(set) var episodes = 0
  /// Messages for the footer (results, recordings), kept until `messageUntil`.
  public private(set) var message = ""
  var messageUntil: Double = 0
  /// The key pressed during the current frame; the frame's step uses it.
  var pendingAction: Action?
  var nextStepTime: Double = -1
  /// After an episode ends, real-time play waits until then so the result can be read.
  var holdUntil: Double = 0
  /// Turn-based: how the episode ended, shown over its last frame until a key starts the next level.
  public private(set) var endedText: String?
  /// The footer says the last key had no effect (cleared by the next step).
  var ignoredKeyShown = false
  var recorder: ReplayRecorder?
  public private(set) var recordedPath: String?
  var stepRate = RateMeter()
  var frame = GameFrame()
  let glyphs: (width: Int, height: Int)
  var screenTooSmall = false

  public init(_ settings: PlaySettings) throws {
    self.settings = settings
    env = settings.env
    stepsPerSecond = settings.stepsPerSecond
    glyphs = glyphSize(env)
    try startLevel(.first)
  }

  enum LevelChoice { case first, same, next }

  /// Starts an episode: the level file every time, else the given first seed,
  /// the current seed again, or the sampler's next seed.
  func startLevel(_ choice: LevelChoice) throws {
    if let level = settings.level {
      try env.load(level: level)
    } else {
      switch choice {
      case .first: if let s = settings.firstSeed { env.reset(levelSeed: s) }
      case .same: env.reset(levelSeed: env.levelSeed)
      case .next: env.reset(levelSeed: nil)
      }
    }
    lastReward = 0
    endedText = nil
    pendingAction = nil  // keys pressed for the old level do not carry over
    // Record from the start of an episode until one ends (a restart starts the recording again).
    if settings.recordPath != nil && recordedPath == nil { recorder = ReplayRecorder(env: env, level: settings.level) }
    needsRedraw = true
  }

  /// "level 123", or the level file's name.
  var levelLabel: String { settings.level == nil ? "level \(env.levelSeed)" : "level \(settings.levelName ?? "file")" }

  func show(_ text: String, now: Double, for seconds: Double = 3) {
    message = text
    messageUntil = now + seconds
  }

  /// One game step; ends and reports the episode when it is done.
  public func step(_ action: Action, now: Double) throws {
    let ignored = try action != .noop && actionChangesNothing(action)
    let r = env.step(action)
    lastAction = action
    lastReward = r.reward
    recorder?.record(action, env: env)
    stepRate.tick(now: now)
    needsRedraw = true
    if ignoredKeyShown { message = ""; ignoredKeyShown = false }
    guard r.done else {
      if ignored { ignoredKeyShown = true; show("\(GameKeys.labels[action.index]) had no effect this step (blocked, or input is ignored now, e.g. mid-hop)", now: now, for: 1.5) }
      return
    }
    episodes += 1
    let how = r.terminated ? (r.info.prevLevelComplete ? "Level complete!" : "\(env.endCause ?? "Died").")
      : "Time limit (\(env.stepLimit) steps)."
    var text = "\(how) Return \(Fmt.reward(r.info.episodeReturn)) in \(r.info.episodeLength) steps."
    if try writeRecording(finished: true) { text += " Recorded \(recordedPath!)." }
    let next = settings.level == nil ? "the next level" : "this level again"
    if settings.turnBased {
      // Keep the last frame and its outcome on screen until the player has seen them.
      endedText = "\(text) Any key for \(next)."
      return
    }
    show("\(text) On to \(next)…", now: now, for: 3)
    holdUntil = now + 1.5
    try startLevel(.next)
  }

  /// Whether `action` leaves the game exactly as a no-op would (tried on a copy of the state, then undone).
  /// At human speed the saved copies cost nothing that matters.
  func actionChangesNothing(_ action: Action) throws -> Bool {
    let saved = env.saveState()
    _ = env.step(.noop)
    let afterNoop = env.stateHash()
    try env.restoreState(saved)
    _ = env.step(action)
    let afterAction = env.stateHash()
    try env.restoreState(saved)
    return afterNoop == afterAction
  }

  /// Writes the recording (atomically) if there is one; true when written.
  @discardableResult
  public func writeRecording(finished: Bool) throws -> Bool {
    guard var rec = recorder, let path = settings.recordPath, finished || rec.replay.actions.count > 0 else { return false }
    try AtomicFile.write(rec.finish(env: env).text(), to: path)
    recorder = nil
    recordedPath = path
    return true
  }

  public func handle(key: Int32, now: Double) throws -> KeyOutcome {
    needsRedraw = true
    if showingHelp && key != Key.char("q") {
      showingHelp = false
      return .handled
    }
    if endedText != nil, ![Key.char("q"), Key.escape, Key.tab, Key.char("?"), Key.char("h"), Key.char("r")].contains(key) {
      try startLevel(.next)
      return .handled
    }
    switch key {
    case Key.char("q"), Key.escape: return .quit
    case Key.tab: toggleView(now: now)
    case Key.char("?"), Key.char("h"): showingHelp = true
    case Key.char("p"), Key.char(" "):
      paused.toggle()
      stepRate.restart()
      nextStepTime = now
    case Key.char("r"):
      try startLevel(.same)
      show("Restarted \(levelLabel).", now: now)
    case Key.char("n"):
      try startLevel(.next)
      show(settings.level == nil ? "Next level: \(env.levelSeed)." : "Restarted \(levelLabel) (a level file has no next level).", now: now)
    case Key.char("+"), Key.char("="): changeSpeed(faster: true)
    case Key.char("-"), Key.char("_"): changeSpeed(faster: false)
    default:
      guard let action = GameKeys.action(for: key) else { return .handled }
      if settings.turnBased {
        if !paused && !screenTooSmall { try step(action, now: now) }
      } else {
        pendingAction = action
      }
    }
    return .handled
  }

  func toggleView(now: Double) {
    mode = mode == .pixels ? .glyphs : .pixels
    needsRedraw = true
  }

  static let speeds: [Double] = [1, 2, 3, 5, 8, 10, 15, 20, 30, 45, 60]

  func changeSpeed(faster: Bool) {
    let i = PlayApp.speeds.firstIndex { $0 >= stepsPerSecond } ?? PlayApp.speeds.count - 1
    stepsPerSecond = PlayApp.speeds[max(0, min(PlayApp.speeds.count - 1, i + (faster ? 1 : -1)))]
    stepRate.restart()
  }

  public func advance(now: Double) throws -> Double? {
    if !message.isEmpty && now >= messageUntil { message = ""; needsRedraw = true }
    let messageWake = message.isEmpty ? nil : Optional(messageUntil)
    if settings.turnBased || paused || showingHelp || screenTooSmall { return messageWake }
    if now < holdUntil { return holdUntil }
    let period = 1 / stepsPerSecond
    if nextStepTime < 0 { nextStepTime = now + period }
    if now >= nextStepTime {
      let action = pendingAction ?? .noop
      pendingAction = nil
      try step(action, now: now)
      nextStepTime += period
      if nextStepTime < now { nextStepTime = now + period }  // fell behind: do not race to catch up
    }
    return min(nextStepTime, messageWake ?? .infinity)
  }

  public func draw(into screen: inout CellBuffer, colours: ColourSupport) {
    guard case let (layout, shownMode)? = fitView(into: &screen, colours: colours) else { return }
    frame.draw(env, mode: shownMode, layout: layout, into: &screen, colours: colours)
    drawHUD(into: &screen, mode: shownMode, colours: colours)
    let footer = endedText ?? (message.isEmpty ? (paused ? "PAUSED — p or space resumes" : "") : message)
    screen.write(0, layout.footerY, footer, footer == message || endedText != nil ? .strong : .faint)
    if showingHelp { Widgets.box(helpLines, title: "\(env.descriptor.name): keys and glyphs (any key closes)", into: &screen) }
  }

  func drawHUD(into screen: inout CellBuffer, mode: ViewMode, colours: ColourSupport) {
    let d = env.descriptor
    let speed = settings.turnBased ? "turn-based"
      : "\(Fmt.fixed(stepRate.rate, 1)) steps/s (target \(Fmt.fixed(stepsPerSecond, 0)))"
    let status = [d.name, env.config.options.mode.rawValue, levelLabel, "step \(env.stepCount)/\(env.stepLimit)",
                  "return \(Fmt.reward(env.episodeReturn))", "last reward \(Fmt.reward(lastReward))", speed]
    screen.writeStatus(title: "ProcArcade ", status)
    let colourNote = colours == .none ? " (no colour)" : ""
    // What a player needs most first, so a narrow terminal drops the rest (all in the ? help).
    let hints = ["[\(mode.name)\(colourNote)] last \(Widgets.actionLabels[lastAction.index]) \(d.actionNames[lastAction.index])",
                 "Tab view", "? keys", "q quit", "p pause", "r restart", "n next"]
    screen.write(0, 1, Widgets.joinFitting(hints, width: screen.width), .faint)
  }

  /// This game's actions by key and name, its glyph legend, then the viewer's keys.
  var helpLines: [String] {
    let d = env.descriptor
    let actions = d.meaningfulActions.filter { $0 != Action.noop.index }.map { a in
      GameKeys.labels[a] + "  " + d.actionNames[a]
    }
    var lines = ["Actions in \(d.name) (other action keys are no-ops):"]
    // Two columns keep the box short enough for a 40-row terminal.
    let half = (actions.count + 1) / 2
    for i in 0..<half {
      let left = actions[i]
      lines.append("  " + left + String(repeating: " ", count: max(1, 24 - left.unicodeScalars.count))
                   + (i + half < actions.count ? actions[i + half] : ""))
    }
    if !d.glyphLegend.isEmpty {
      lines.append("Glyph view (Tab):")
      // Characters with the same meaning share a line (caveflyer's eight ship arrows).
      var groups: [(chars: String, meaning: String)] = []
      for (c, meaning) in d.glyphLegend {
        if let i = groups.firstIndex(where: { $0.meaning == meaning }) { groups[i].chars.append(c) } else { groups.append((String(c), meaning)) }
      }
      for g in groups { lines.append("  " + g.chars + "  " + g.meaning) }
    }
    lines.append("Step limit \(env.stepLimit). Viewer keys:")
    return lines + PlayApp.viewerKeys
  }

  static let viewerKeys = [
    "  . or keypad 5  no-op · y u b m, keypad 7 9 1 3: diagonals",
    "  Tab pixels ↔ glyphs · p or space pause · +/- faster/slower",
    "  r restart the level · n next level · q or Esc quit",
  ]
}
