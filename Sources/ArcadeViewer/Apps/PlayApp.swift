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
public final class PlayApp: ViewerApp {
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
    let r = env.step(action)
    lastAction = action
    lastReward = r.reward
    recorder?.record(action, env: env)
    stepRate.tick(now: now)
    needsRedraw = true
    guard r.done else { return }
    episodes += 1
    let how = r.terminated ? (r.info.prevLevelComplete ? "Level complete!" : "Died.") : "Time limit."
    var text = "\(how) Return \(Format.fixed(r.info.episodeReturn)) in \(r.info.episodeLength) steps. \(settings.level == nil ? "Next level…" : "Again…")"
    if try writeRecording(finished: true) { text += " Recorded \(recordedPath!)." }
    show(text, now: now, for: 3)
    holdUntil = now + 1.5
    try startLevel(.next)
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
    let shownMode = usableMode(mode, colours)
    guard let layout = SingleViewLayout.make(screen: (screen.width, screen.height), mode: shownMode, glyphs: glyphs) else {
      screenTooSmall = true
      Widgets.tooSmall(need: SingleViewLayout.minimumSize(mode: shownMode, glyphs: glyphs),
                       what: "The \(shownMode == .pixels ? "pixel" : "glyph") view", into: &screen)
      return
    }
    screenTooSmall = false
    frame.draw(env, mode: shownMode, layout: layout, into: &screen, colours: colours)
    drawHUD(into: &screen, mode: shownMode, colours: colours)
    let footer = message.isEmpty ? (paused ? "PAUSED — p or space resumes" : "") : message
    screen.write(0, layout.footerY, footer, message.isEmpty ? .faint : .strong)
    if showingHelp { Widgets.box(PlayApp.help, title: "Keys (any key closes)", into: &screen) }
  }

  func drawHUD(into screen: inout CellBuffer, mode: ViewMode, colours: ColourSupport) {
    let d = env.descriptor
    let speed = settings.turnBased ? "turn-based"
      : "\(Format.fixed(stepRate.rate)) steps/s (target \(Format.fixed(stepsPerSecond, 0)))"
    var x = screen.write(0, 0, "ProcArcade ", .strong)
    x = screen.write(x, 0, "\(d.name) · \(env.config.options.mode.rawValue) · \(levelLabel) · step \(env.stepCount) · ")
    x = screen.write(x, 0, "return \(Format.fixed(env.episodeReturn)) · last reward \(Format.fixed(lastReward)) · \(speed)")
    let colourNote = colours == .none ? " (no colour)" : ""
    screen.write(0, 1, "[\(mode.name)\(colourNote)] last \(Widgets.actionLabels[lastAction.index]) \(d.actionNames[lastAction.index]) · Tab view · ? keys · p pause · r restart · n next · q quit",
                 .faint)
  }

  static let help = [
    "arrows                     move",
    "y u b m, keypad 7 9 1 3    diagonals (also Home PgUp End PgDn)",
    ". or keypad 5              no-op",
    "d a w s Q e                special actions D A W S Q E",
    "Tab                        pixels ↔ glyphs",
    "p or space                 pause / resume",
    "+ / -                      faster / slower (real time)",
    "r                          restart the level",
    "n                          next level",
    "q or Esc                   quit",
  ]
}
