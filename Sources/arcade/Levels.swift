import ArcadeCore
import ArcadeGames
import ArgumentParser

struct Levels: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Export, validate and hash level files (format: levels/README.md).",
    subcommands: [Export.self, Validate.self, Hash.self])

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
}
