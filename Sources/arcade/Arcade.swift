import ArcadeCore
import ArcadeGames
import ArcadeViewer
import ArgumentParser
import Foundation

@main
struct Arcade: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "arcade",
    abstract: "ProcArcade: procedurally generated arcade games for people and agents.",
    subcommands: [
      ListGames.self, Play.self, Watch.self, Run.self, Train.self, Eval.self, Plot.self, Levels.self,
      ReplayCommand.self, Bench.self, FewShot.self,
    ]
  )

  /// Parses and runs like `ParsableCommand.main()`, except that a `ValidationError` raised while running
  /// (options that are each valid but do not work together, found once files are read) prints one line:
  /// the usage text belongs to errors in the command line itself, which parsing reports.
  static func main() {
    let command: ParsableCommand
    do { command = try parseAsRoot() } catch { exit(withError: error) }
    do {
      var command = command
      try command.run()
    } catch let e as ValidationError {
      FileHandle.standardError.write(Data("Error: \(e.message)\n".utf8))
      Foundation.exit(ExitCode.validationFailure.rawValue)
    } catch {
      exit(withError: error)
    }
  }

  func run() throws {
    // On a terminal: the start menu. Otherwise (pipes, scripts): the text overview.
    if Viewer.hasTerminal { return try startMenu() }
    print("ProcArcade — \(Catalog.entries.count) games: \(Catalog.names.joined(separator: ", "))")
    print("""

      Try:
        arcade list                         games, modes and observation spec
        arcade play maze                    play in the terminal (? shows keys)
        arcade watch                        watch the shipped SRWM agent play
        arcade train --games maze --obs grid --out runs/try   train an agent
        arcade run maze --render text       a random agent, shown as text
        arcade levels export maze --seed 7  a level as a text file
        arcade bench env                    steps per second per game
        arcade --help                       every command
      """)
  }
}

extension Arcade {
  /// The start menu, and back to it after each game or watch until the user quits it.
  func startMenu() throws {
    let games = Catalog.entries.map { MenuGame(name: $0.descriptor.name, summary: $0.descriptor.summary, modes: $0.descriptor.modes) }
    let agent = DefaultAgent.path().flatMap { try? AgentPolicy(path: $0, greedy: false) }
    let agentLine = agent.map { a in
      "the shipped \(a.config.model) agent play the \(a.config.distinctGames.count) game\(a.config.distinctGames.count == 1 ? "" : "s") it learned (\(a.config.mode.rawValue))"
    }
    let menu = MenuApp(games: games, agentLine: agentLine)
    while true {
      try exitAfterViewer(try Viewer.menu(menu))
      switch menu.choice {
      case .quit: return
      case .play(let game, let mode):
        let env = try Catalog.make(EnvConfig(game: game, options: GameOptions(mode: mode)))
        try exitAfterViewer(try Viewer.play(PlaySettings(env: env)).0)
      case .watch(let game, let mode):
        let envs = try (0..<4).map { i in
          try Catalog.make(EnvConfig(game: game, options: GameOptions(mode: mode), envIndex: i))
        }
        try exitAfterViewer(try Viewer.watch(envs: envs, policy: RandomPolicy()))
      case .watchAgent:
        guard let agent else { return }
        let plan = WatchPlan(trainedOn: PolicyTraining(games: agent.config.distinctGames, mode: agent.config.mode), games: nil,
                             mode: nil, envs: nil, allGames: Catalog.names)
        let envs = try (0..<plan.envs).map { i in
          try Catalog.make(EnvConfig(game: plan.games[i % plan.games.count], options: GameOptions(mode: plan.mode), envIndex: i))
        }
        try exitAfterViewer(try Viewer.watch(envs: envs, policy: agent))
      }
    }
  }
}

/// Options every command that creates a game shares.
struct GameSelection: ParsableArguments {
  @Option(help: "Distribution mode: easy, hard, extreme, memory or exploration (default: hard; easy for `play`).")
  var mode: DistributionMode?

  @Flag(inversion: .prefixedNo, help: "Agent-centred camera, where the game offers the choice.")
  var centerAgent = true

  @Flag(help: "Draw every sprite as a flat rectangle.")
  var monochrome = false

  /// The options, with `defaultMode` when --mode is not given.
  func options(defaultMode: DistributionMode = .hard) throws -> GameOptions {
    GameOptions(mode: mode ?? defaultMode, centerAgent: centerAgent, monochrome: monochrome)
  }
}

/// ProcGen's level-seed options.
struct LevelSelection: ParsableArguments {
  @Option(Limits.numLevels, help: "Number of levels in the set; 0 = unlimited.")
  var numLevels = 0
  @Option(Limits.startLevel, help: "Lowest level seed of the set.")
  var startLevel = 0
  @Flag(help: "After a completed level continue on seed + 997 instead of ending the episode.")
  var useSequentialLevels = false
  @Option(Limits.seed, help: "Seed of the level-seed sampler.")
  var randSeed: UInt64 = 0
  @Option(help: "Sample levels from the seeds in this file (one per line, optionally 'SEED WEIGHT') instead of --num-levels/--start-level.")
  var levelSeeds: String?

  func options() throws -> LevelOptions {
    var o = LevelOptions(numLevels: numLevels, startLevel: startLevel, useSequentialLevels: useSequentialLevels,
                         randSeed: randSeed)
    if let levelSeeds {
      let list = try LevelSeedList.read(levelSeeds)
      o.seeds = list.seeds; o.weights = list.weights
    }
    do { try o.validate() } catch let e as ArcadeError { throw ValidationError(e.message) }
    return o
  }
}

/// Reads and checks a level file, turning every problem into one error.
func readLevelFile(_ path: String) throws -> LevelFile {
  let text = try AtomicFile.readText(path, limit: LevelFile.maxBytes)
  let file: LevelFile, firstLine: Int
  do {
    (file, firstLine) = try LevelFile.parse(text, path: path)
  } catch {
    // Add the map characters the game does not know to the format problems.
    var all = error
    if let (partial, first) = error.partial, let entry = try? Catalog.entry(partial.game) {
      let legend = Set(entry.descriptor.legend.map(\.0))
      for (r, row) in partial.map.rows.enumerated() {
        for (c, ch) in row.enumerated() where !legend.contains(ch) {
          all.problems.append(FileProblem(path: path, line: first + r, column: c + 1,
                                          message: "unknown map character '\(ch)'"))
        }
      }
      all.problems.sort { ($0.line, $0.column) < ($1.line, $1.column) }
    }
    throw all
  }
  let entry: GameEntry
  do { entry = try Catalog.entry(file.game) } catch {
    throw ArcadeError("\(path): \(error)")
  }
  let env = try entry.make(EnvConfig(game: file.game, options: GameOptions(mode: file.mode)))
  do {
    try env.load(level: file)
  } catch {
    throw error.located(path: path, mapFirstLine: firstLine)
  }
  return file
}
