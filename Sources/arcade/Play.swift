import ArcadeCore
import ArcadeGames
import ArcadeViewer
import ArgumentParser

struct Play: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Play a game in the terminal (pixel and glyph views; press ? for keys).",
    discussion: """
      Easy mode by default (the largest sprites); --mode hard is ProcGen's default. \
      Real time at 15 steps/s by default: the last key pressed during a step is the action, no key is a no-op. \
      --turn-based makes one step per key. Tab switches between the pixel and glyph views.
      """)

  @Argument(help: "The game to play (see `arcade list`).")
  var game: String
  @OptionGroup var selection: GameSelection
  @Option(Limits.levelSeed, help: "Seed of the first level (later levels are drawn at random).")
  var seed: UInt32?
  @Option(help: "Play a level file (every episode; at most \(LevelFile.maxBytes >> 20) MB).")
  var level: String?
  @Option(help: "Record the first episode as a replay file.")
  var record: String?
  @Flag(help: "One step per key instead of real time.")
  var turnBased = false
  @Option(Limits.speed, help: "Steps per second in real time (+/- change it while playing).")
  var speed: Double = 15
  @Option(Limits.redrawFrames, help: .hidden) var measureRedraw: Int?

  func validate() throws {
    if seed != nil && level != nil { throw ValidationError("give --seed or --level, not both") }
  }

  func run() throws {
    let levelFile = try level.map(readLevelFile)
    if let f = levelFile, f.game != game { throw ValidationError("\(level!) is a level of '\(f.game)', not '\(game)'") }
    // Easy by default, unlike ProcGen's interactive tool (hard): its larger sprites suit a first game.
    var options = try selection.options(defaultMode: .easy)
    if let f = levelFile { options.mode = f.mode }
    let env = try Catalog.make(EnvConfig(game: game, options: options, levels: LevelOptions(randSeed: UInt64(seed ?? 0))))
    try Viewer.requireTerminal("arcade play")
    let settings = PlaySettings(env: env, level: levelFile, levelName: level, firstSeed: seed, recordPath: record, turnBased: turnBased,
                                stepsPerSecond: speed)
    if let frames = measureRedraw {
      for full in [true, false] {
        let r = try Viewer.measureRedraw(settings, frames: frames, full: full)
        print("\(full ? "full" : "changed-cells") redraw at \(r.width)x\(r.height): \(Int(r.fps)) frames/s (\(frames) frames)")
      }
      return
    }
    let (end, recorded) = try Viewer.play(settings)
    if let recorded { print("recorded replay \(recorded)") }
    try exitAfterViewer(end)
  }
}

/// Turns a viewer's end into the process exit: 128 + signal after Ctrl-C or SIGTERM.
func exitAfterViewer(_ end: LoopEnd) throws {
  if case .signal(let s) = end { throw ExitCode(128 + s) }
}
