import ArcadeCore

/// Per-env episode statistics shown in the tiles.
public struct EpisodeStats: Sendable, Equatable {
  public var episodes = 0
  public var lastReward: Float = 0
  public var lastReturn: Float?
  public var returnSum: Float = 0
  public var meanReturn: Float? { episodes > 0 ? returnSum / Float(episodes) : nil }
}

/// A policy plays several envs at once, shown as a grid of tiles with its
/// action distribution, value estimate and (when it has them) fast weights.
public final class WatchApp: ViewerApp {
  public var needsRedraw = true
  public let envs: [any Environment]
  var policy: any ViewerPolicy
  /// The decision for each env's current state (shown, then played on the next step).
  public private(set) var outputs: [PolicyOutput]
  public private(set) var stats: [EpisodeStats]
  public private(set) var mode: ViewMode = .pixels
  public private(set) var paused = false
  public private(set) var showingHelp = false
  public private(set) var stepsPerSecond: Double
  /// The env whose fast weights are shown (keys 1–9).
  public private(set) var selected = 0
  public private(set) var steps = 0
  var nextStepTime: Double = -1
  var stepRate = RateMeter()
  var frame = GameFrame()
  let glyphs: WatchLayout.Size
  var screenTooSmall = false

  /// Shown on the bottom line for as long as the app runs.
  public let warnings: [String]

  public init(envs: [any Environment], policy: any ViewerPolicy, stepsPerSecond: Double = 15, warnings: [String] = []) throws {
    precondition(!envs.isEmpty)
    self.warnings = warnings
    self.envs = envs
    self.policy = policy
    self.stepsPerSecond = stepsPerSecond
    let g = glyphSize(envs[0])
    // Tiles have one size: the largest glyph grid of the games shown.
    glyphs = envs.dropFirst().reduce(WatchLayout.Size(g.width, g.height)) { s, e in
      let h = glyphSize(e)
      return WatchLayout.Size(max(s.width, h.width), max(s.height, h.height))
    }
    stats = Array(repeating: EpisodeStats(), count: envs.count)
    outputs = try self.policy.act(on: envs)
    try checkOutputs()
  }

  func checkOutputs() throws {
    guard outputs.count == envs.count else {
      throw ArcadeError("policy '\(policy.name)' returned \(outputs.count) decisions for \(envs.count) envs")
    }
  }

  /// Plays the current decisions in every env, resets ended episodes, then decides again.
  public func step(now: Double) throws {
    for (i, env) in envs.enumerated() {
      let r = env.step(outputs[i].action)
      stats[i].lastReward = r.reward
      if r.done {
        recordEpisode(env: i, return: r.info.episodeReturn)
        env.reset(levelSeed: nil)
        policy.episodeEnded(env: i)
      }
    }
    steps += 1
    outputs = try policy.act(on: envs)
    try checkOutputs()
    stepRate.tick(now: now)
    needsRedraw = true
  }

  func recordEpisode(env i: Int, return value: Float) {
    stats[i].episodes += 1
    stats[i].lastReturn = value
    stats[i].returnSum += value
  }

  public func handle(key: Int32, now: Double) throws -> KeyOutcome {
    needsRedraw = true
    if showingHelp && key != Key.char("q") { showingHelp = false; return .handled }
    switch key {
    case Key.char("q"), Key.escape: return .quit
    case Key.char("p"), Key.char(" "): paused.toggle(); stepRate.restart(); nextStepTime = now
    case Key.right, Key.char("."): if paused { try step(now: now) }
    case Key.tab: mode = mode == .pixels ? .glyphs : .pixels
    case Key.char("+"), Key.char("="): changeSpeed(faster: true)
    case Key.char("-"), Key.char("_"): changeSpeed(faster: false)
    case Key.char("?"), Key.char("h"): showingHelp = true
    case Key.char("1")...Key.char("9"): selected = min(envs.count - 1, Int(key - Key.char("1")))
    default: break
    }
    return .handled
  }

  func changeSpeed(faster: Bool) {
    let speeds = PlayApp.speeds + [120, 240]
    let i = speeds.firstIndex { $0 >= stepsPerSecond } ?? speeds.count - 1
    stepsPerSecond = speeds[max(0, min(speeds.count - 1, i + (faster ? 1 : -1)))]
    stepRate.restart()
  }

  public func advance(now: Double) throws -> Double? {
    guard !paused, !showingHelp, !screenTooSmall else { return nil }
    let period = 1 / stepsPerSecond
    if nextStepTime < 0 { nextStepTime = now + period }
    if now >= nextStepTime {
      try step(now: now)
      nextStepTime += period
      if nextStepTime < now { nextStepTime = now + period }
    }
    return nextStepTime
  }

  /// Width of the fast-weight column: the widest matrix, at least room for its title.
  var fastWeightsWidth: Int {
    let views = outputs[selected].fastWeights
    guard !views.isEmpty else { return 0 }
    return max(28, min(32, 2 * views.map(\.columns).max()!))
  }

  public func draw(into screen: inout CellBuffer, colours: ColourSupport) {
    let shownMode = usableMode(mode, colours)
    let size = WatchLayout.Size(screen.width, screen.height)
    guard let layout = WatchLayout.make(screen: size, envs: envs.count, mode: shownMode, glyphs: glyphs,
                                        fastWeightsWidth: fastWeightsWidth) else {
      screenTooSmall = true
      let need = WatchLayout.minimumSize(mode: shownMode, glyphs: glyphs, fastWeightsWidth: fastWeightsWidth)
      Widgets.tooSmall(need: (need.width, need.height), what: "Watching", into: &screen)
      return
    }
    screenTooSmall = false
    drawHUD(into: &screen, layout: layout)
    for i in 0..<layout.shown { drawTile(i, layout: layout, mode: shownMode, into: &screen, colours: colours) }
    if let x = layout.sideX {
      var y = WatchLayout.hudRows
      if layout.compact {
        screen.write(x, y, "env #\(selected + 1) (keys 1-9)", .strong, maxWidth: layout.sideWidth)
        drawBars(outputs[selected], x: x, y: y + 1, colours: colours, into: &screen)
        y += 2 + Action.count
      }
      drawFastWeights(outputs[selected].fastWeights, x: x, y: y, width: layout.sideWidth, into: &screen, colours: colours)
    }
    if !warnings.isEmpty {
      let style = colours == .none ? TextStyle.strong : TextStyle(fg: 3, attributes: TextStyle.bold)
      screen.write(0, screen.height - 1, "Warning: " + warnings.joined(separator: "; "), style)
    }
    if showingHelp { Widgets.box(WatchApp.help, title: "Watch keys (any key closes)", into: &screen) }
  }

  func drawHUD(into screen: inout CellBuffer, layout: WatchLayout) {
    let episodes = stats.reduce(0) { $0 + $1.episodes }
    let sum = stats.reduce(Float(0)) { $0 + $1.returnSum }
    let mean = episodes > 0 ? Fmt.fixed(sum / Float(episodes), 2) : "-"
    let speed = paused ? "PAUSED" : "\(Fmt.fixed(stepRate.rate, 1)) steps/s (target \(Fmt.fixed(stepsPerSecond, 0)))"
    screen.writeStatus(title: "Watch ", ["policy \(policy.name)", envs[0].config.options.mode.rawValue, "\(envs.count) envs",
                                         "step \(steps)", "\(episodes) episodes, mean return \(mean)", speed])
    var hints = ["Tab view", "? keys", "q quit", "p pause", "→ step (paused)", "+/- speed", "1-9 select env"]
    if layout.shown < envs.count { hints.insert("showing \(layout.shown) of \(envs.count) envs (enlarge the window)", at: 0) }
    screen.write(0, 1, Widgets.joinFitting(hints, width: screen.width), .faint)
  }

  func drawTile(_ i: Int, layout: WatchLayout, mode: ViewMode, into screen: inout CellBuffer, colours: ColourSupport) {
    let env = envs[i], out = outputs[i], s = stats[i]
    let (x, y) = layout.origin(ofTile: i)
    let (R, r) = (Fmt.reward(env.episodeReturn), Fmt.reward(s.lastReward))
    // Compact tiles are 32 columns: the level seed gives way to the return and reward.
    let header = layout.compact ? "#\(i + 1) \(env.descriptor.name) t\(env.stepCount) R \(R) r \(r)"
      : "#\(i + 1) \(env.descriptor.name) · L\(env.levelSeed) · t\(env.stepCount) · R \(R) · r \(r)"
    screen.write(x, y, header, i == selected && envs.count > 1 ? .highlighted : .strong, maxWidth: layout.tileWidth)
    switch mode {
    case .pixels:
      frame.drawPixels(env, x: x, y: y + 1, scale: layout.scale, into: &screen, colours: colours)
    case .glyphs:
      GlyphView.draw(env.glyphs(), into: &screen, x: x, y: y + 1, cellWidth: layout.scale, colours: colours)
    }
    if layout.compact {
      // One line under the view; the bars of the selected env are in the side column.
      let chosen = out.action.index
      let p = chosen < out.probabilities.count ? Fmt.fixed(out.probabilities[chosen], 2).replacingPrefix("0.", ".") : ""
      screen.write(x, y + 1 + layout.view.height, "\(Widgets.actionLabels[chosen]) \(p) \(valueText(out)) \(episodesText(s))",
                   .plain, maxWidth: layout.tileWidth)
      return
    }
    let px = x + layout.view.width + 1
    drawBars(out, x: px, y: y + 1, colours: colours, into: &screen)
    screen.write(px, y + 1 + Action.count, valueText(out), .plain, maxWidth: WatchLayout.panelWidth)
    screen.write(px, y + 2 + Action.count, episodesText(s), .plain, maxWidth: WatchLayout.panelWidth)
  }

  func valueText(_ out: PolicyOutput) -> String { "V \(out.value.map { Fmt.fixed($0, 2) } ?? "—")" }

  /// Episodes ended and their mean return ("ø"), written out in full: a cut-off sign would mislead.
  func episodesText(_ s: EpisodeStats) -> String {
    s.meanReturn.map { "ep \(s.episodes) ø \(Fmt.fixed($0, 2))" } ?? "ep 0"
  }

  /// One bar per action (18 columns), the chosen one bold.
  func drawBars(_ out: PolicyOutput, x: Int, y: Int, colours: ColourSupport, into screen: inout CellBuffer) {
    for a in 0..<Action.count {
      let p = a < out.probabilities.count ? out.probabilities[a] : 0
      let chosen = a == out.action.index
      let style = chosen ? TextStyle.strong : (p > 0 ? .plain : .faint)
      screen.write(x, y + a, Widgets.actionLabels[a], style)
      Widgets.bar(p, into: &screen, x: x + 3, y: y + a, width: 10,
                  style: chosen && colours != .none ? TextStyle(fg: 2, attributes: TextStyle.bold) : style)
      screen.write(x + 14, y + a, Fmt.fixed(p, 2).replacingPrefix("0.", "."), style)
    }
  }

  /// Heat maps of |W_t − W_0| per layer and head with a sparkline of the norm.
  func drawFastWeights(_ views: [FastWeightView], x: Int, y top: Int, width: Int, into screen: inout CellBuffer,
                       colours: ColourSupport) {
    guard !views.isEmpty else { return }
    var y = top
    screen.write(x, y, "fast weights, env #\(selected + 1)", .strong, maxWidth: width)
    y += 1
    for v in views {
      let mapRows = (v.rows + 1) / 2
      guard y + 2 + mapRows < screen.height - WatchLayout.footerRows else {
        screen.write(x, y, "… (enlarge for more)", .faint, maxWidth: width)
        break
      }
      let norm = v.normHistory.last.map { Fmt.fixed($0, 2) } ?? "-"
      let title = width >= 28 ? "layer \(v.layer) head \(v.head) ‖W−W₀‖ \(norm)" : "L\(v.layer) H\(v.head) ‖W−W₀‖ \(norm)"
      screen.write(x, y, title, .plain, maxWidth: width)
      let cols = min(v.columns, width)
      Widgets.heatMap(cols == v.columns ? v.change : cropped(v, columns: cols), rows: v.rows, columns: cols,
                      into: &screen, x: x, y: y + 1, cellWidth: cols * 2 <= width ? 2 : 1, colours: colours)
      Widgets.sparkline(v.normHistory, into: &screen, x: x, y: y + 1 + mapRows, width: width,
                        style: colours == .none ? .plain : TextStyle(fg: 6))
      y += 3 + mapRows
    }
  }

  func cropped(_ v: FastWeightView, columns: Int) -> [Float] {
    (0..<v.rows).flatMap { r in v.change[(r * v.columns)..<(r * v.columns + columns)] }
  }

  static let help = [
    "p or space     pause / resume",
    "→ or .         one step (while paused)",
    "+ / -          faster / slower",
    "Tab            pixels ↔ glyphs",
    "1 … 9          whose fast weights to show",
    "q or Esc       quit",
    "",
    "Bars: the policy's π(a|s) for the state shown; bold = the action it takes.",
    "V: value estimate (— when the policy has none). ø: mean return of finished episodes.",
  ]
}

extension String {
  func replacingPrefix(_ prefix: String, _ with: String) -> String {
    hasPrefix(prefix) ? with + dropFirst(prefix.count) : self
  }
}
