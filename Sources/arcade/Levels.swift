import ArcadeCore
import ArcadeGames
import ArcadeRL
import ArgumentParser

struct Levels: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Export, validate and hash level files (format: levels/README.md).",
    subcommands: [Export.self, Validate.self, Hash.self, Overlap.self, Stats.self])

  struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write a generated level as a level file.")
    @Argument(help: "The game.") var game: String
    @Option(Limits.levelSeed, help: "Level seed.") var seed: UInt32
    @OptionGroup var selection: GameSelection
    @Option(name: .shortAndLong, help: "Output file (default: standard output).") var out: String?

    func run() throws {
      let env = try Catalog.make(EnvConfig(game: game, options: try selection.options()))
      env.reset(levelSeed: seed)
      guard let file = env.exportLevel() else { throw ValidationError("game '\(game)' has no level maps") }
      if let out {
        try AtomicFile.write(file.text(), to: out)
        print("wrote \(out) (level hash \(hex64(env.levelHash())))")
      } else {
        print(file.text(), terminator: "")
      }
    }
  }

  struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Check level files; prints each file's problems as file:line:column (the first \(FileProblems.shownLimit), then a count) and exits non-zero if any.")
    @Argument(help: "Level files (at most \(LevelFile.maxBytes >> 20) MB, lines at most \(LevelFile.maxLineLength) bytes).") var files: [String]

    func run() throws {
      var bad = 0
      for path in files {
        do {
          let f = try readLevelFile(path)
          print("\(path): ok (\(f.game), \(f.mode.rawValue), \(f.map.width)x\(f.map.height))")
        } catch let e as FileProblems {
          bad += 1
          for line in e.shown { print(line) }
        } catch {
          bad += 1
          let message = "\(error)"
          print(message.hasPrefix(path + ":") ? message : "\(path): \(message)")
        }
      }
      if bad > 0 { throw ExitCode(1) }
    }
  }

  struct Hash: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Print the level hash of a generated level (GAME --seed S) or of a level file (--file F).")
    @Argument(help: "The game (for a generated level).") var game: String?
    @Option(Limits.levelSeed, help: "Level seed.") var seed: UInt32?
    @Option(help: "A level file.") var file: String?
    @OptionGroup var selection: GameSelection

    func run() throws {
      let env: any Environment
      if let file {
        let level = try readLevelFile(file)
        env = try Catalog.make(EnvConfig(game: level.game, options: GameOptions(mode: level.mode)))
        try env.load(level: level)
      } else {
        guard let game, let seed else { throw ValidationError("give GAME --seed S, or --file F") }
        env = try Catalog.make(EnvConfig(game: game, options: try selection.options()))
        env.reset(levelSeed: seed)
      }
      print(hex64(env.levelHash()))
    }
  }

  struct Overlap: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Count the test levels whose layout (what the level shows, without random streams) repeats a training level's.")
    @Argument(help: "The game.") var game: String
    @OptionGroup var selection: GameSelection
    @Option(help: "Training levels: a range A:B (seeds A..<B) or a level-seeds file.") var train: String
    @Option(help: "Test levels: a range A:B or a level-seeds file.") var test: String
    @Flag(help: "List every test seed that repeats a training layout, with that training seed.") var list = false

    func run() throws {
      let mode = try selection.options().mode
      let a = try seedSet(train, "--train"), b = try seedSet(test, "--test")
      let o = try LevelLayouts.overlap(game: game, mode: mode, train: a, test: b)
      if list { for d in o.duplicates { print("test \(d.test) = train \(d.train)") } }
      print("\(game) \(mode.rawValue): \(o.trainCount) training levels (\(o.distinctTrainLayouts) distinct layouts), "
            + "\(o.testCount) test levels: \(o.duplicates.count) (\(Fmt.fixed(100 * o.share, 2))%) repeat a training layout")
    }
  }
}

extension Levels {
  struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Share of generated levels the game's reachability check accepts, and share that end within one step whatever the action.")
    @Argument(help: "Games (comma-separated; default: all).") var games: String?
    @OptionGroup var selection: GameSelection
    @Option(help: "Level seeds: a range A:B or a level-seeds file.") var seeds = "0:10000"

    func run() throws {
      let mode = try selection.options().mode
      let list = try seedSet(seeds, "--seeds")
      let names = games?.split(separator: ",").map(String.init) ?? Catalog.names
      print("game        mode   levels   solvable (check)   end within one step")
      for g in names where (try? Catalog.entry(g).descriptor.check(mode: mode)) != nil || games != nil {
        let c = try LevelStats.count(game: g, mode: mode, seeds: list)
        func pct(_ k: Int) -> String { "\(k) (\(Fmt.fixed(100 * Double(k) / Double(c.levels), 2))%)" }
        print(g.padding(toLength: 12, withPad: " ", startingAt: 0) + mode.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)
              + "\(c.levels)".padding(toLength: 9, withPad: " ", startingAt: 0)
              + (c.solvable.map(pct) ?? "no check").padding(toLength: 19, withPad: " ", startingAt: 0) + pct(c.endAtOnce))
      }
    }
  }
}

/// "A:B" (seeds A..<B) or a level-seeds file.
func seedSet(_ spec: String, _ option: String) throws -> [UInt32] {
  let parts = spec.split(separator: ":", omittingEmptySubsequences: false)
  if parts.count == 2, let a = UInt32(parts[0]), let b = UInt32(parts[1]) {
    guard a < b, b <= UInt32(Int32.max) else {
      throw ValidationError("\(option) \(spec): a range A:B needs A < B ≤ \(Int32.max)")
    }
    guard b - a <= 10_000_000 else { throw ValidationError("\(option) \(spec): at most 10000000 seeds") }
    return Array(a..<b)
  }
  return try LevelSeedList.read(spec).seeds
}
