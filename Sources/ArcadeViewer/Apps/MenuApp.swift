import ArcadeCore

/// A game as the start menu lists it.
public struct MenuGame: Sendable {
  public var name: String
  public var summary: String
  public var modes: [DistributionMode]
  public init(name: String, summary: String, modes: [DistributionMode]) {
    self.name = name
    self.summary = summary
    self.modes = modes
  }
}

/// What the user picked in the start menu.
public enum MenuChoice: Equatable, Sendable {
  case play(game: String, mode: DistributionMode)
  /// A random policy plays the game in the mode picked.
  case watch(game: String, mode: DistributionMode)
  /// The trained agent plays the games it learned, in its mode (`arcade watch`).
  case watchAgent
  case quit
}

/// `arcade` with no arguments on a terminal: pick a game and mode, then play or watch.
public final class MenuApp: ViewerApp {
  public var needsRedraw = true
  public let games: [MenuGame]
  public private(set) var gameIndex = 0
  public private(set) var modeIndex: [Int]
  public private(set) var choice: MenuChoice = .quit
  /// What `a` starts ("the shipped srwm agent on bigfish, …"), or nil when there is no agent.
  public let agentLine: String?

  public init(games: [MenuGame], agentLine: String? = nil) {
    precondition(!games.isEmpty)
    self.games = games
    self.agentLine = agentLine
    // Start every game on easy: for a first game the biggest sprites (maze's mouse is
    // 1–3 px in hard) and the gentlest rules; → picks hard, ProcGen's benchmark mode.
    modeIndex = games.map { $0.modes.firstIndex(of: .easy) ?? 0 }
  }

  public var mode: DistributionMode { games[gameIndex].modes[modeIndex[gameIndex]] }

  public func handle(key: Int32, now: Double) throws -> KeyOutcome {
    needsRedraw = true
    let modes = games[gameIndex].modes.count
    switch key {
    case Key.char("q"), Key.escape: choice = .quit; return .quit
    case Key.up, Key.char("k"): gameIndex = (gameIndex + games.count - 1) % games.count
    case Key.down, Key.char("j"): gameIndex = (gameIndex + 1) % games.count
    case Key.left: modeIndex[gameIndex] = (modeIndex[gameIndex] + modes - 1) % modes
    case Key.right: modeIndex[gameIndex] = (modeIndex[gameIndex] + 1) % modes
    case Key.char("p"), Key.enter, Key.returnKey, Key.newline:
      choice = .play(game: games[gameIndex].name, mode: mode); return .quit
    case Key.char("w"):
      choice = .watch(game: games[gameIndex].name, mode: mode); return .quit
    case Key.char("a") where agentLine != nil:
      choice = .watchAgent; return .quit
    default: break
    }
    return .handled
  }

  public func advance(now: Double) throws -> Double? { nil }

  public func draw(into screen: inout CellBuffer, colours: ColourSupport) {
    let need = (width: 44, height: games.count + 13)
    guard screen.width >= need.width, screen.height >= need.height else {
      Widgets.tooSmall(need: need, what: "The menu", into: &screen)
      return
    }
    let x = max(2, (screen.width - 100) / 2)
    let summaryWidth = max(0, screen.width - (x + 30) - 1)
    screen.write(x, 1, "ProcArcade", .strong)
    screen.write(x + 11, 1, "— \(games.count) procedurally generated game\(games.count == 1 ? "" : "s")", .faint)
    screen.write(x, 3, "Game", .strong)
    screen.write(x + 14, 3, "Mode (← →)", .strong)
    for (i, g) in games.enumerated() {
      let selected = i == gameIndex
      let style = selected ? TextStyle.highlighted : .plain
      screen.write(x, 4 + i, (selected ? "▶ " : "  ") + g.name, style, maxWidth: 13)
      let m = g.modes[modeIndex[i]].rawValue
      screen.write(x + 14, 4 + i, selected ? "◀ \(m) ▶" : "  \(m)", style)
      screen.write(x + 30, 4 + i, Widgets.cutAtWord(g.summary, width: summaryWidth), .faint)
    }
    // The whole description of the selected game, wrapped at word boundaries.
    var y = 5 + games.count
    for line in Widgets.wrap(games[gameIndex].summary, width: screen.width - x - 1).prefix(2) {
      screen.write(x, y, line)
      y += 1
    }
    y = 8 + games.count
    screen.write(x, y, "Enter or p  play \(games[gameIndex].name) (\(mode.rawValue))")
    screen.write(x, y + 1, "w           watch a random policy play \(games[gameIndex].name) (\(mode.rawValue))")
    if let agentLine { screen.write(x, y + 2, "a           watch \(agentLine)", maxWidth: screen.width - x - 1) }
    screen.write(x, y + 3, "↑ ↓ game · ← → mode · q quit", .faint)
    screen.write(x, y + 4, "More: arcade --help (play, watch, replay, run, levels, bench)", .faint)
  }
}
