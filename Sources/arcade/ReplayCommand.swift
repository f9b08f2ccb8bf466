import ArcadeCore
import ArcadeGames
import ArcadeViewer
import ArgumentParser

struct ReplayCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "replay",
    abstract: "View, check or print a replay file.",
    discussion: """
      Without options, opens the replay viewer in the terminal (space plays, ←/→ step, g jumps, ? lists keys). \
      --check re-simulates the episode and reports the first step whose state hash differs; \
      --render text prints every frame as glyphs.
      """)

  @Argument(help: "The replay file (at most \(Replay.maxBytes >> 20) MB).") var file: String
  @Flag(help: "Re-simulate and compare the recorded state hashes.") var check = false
  @Option(help: "Rendering when not checking: view (the terminal viewer), none or text.") var render = ReplayRender.view

  func run() throws {
    let replay = try Replay.parse(try AtomicFile.readText(file, limit: Replay.maxBytes), path: file)
    let env = try Catalog.make(EnvConfig(game: replay.game, options: replay.options))
    let source = replay.level != nil ? "level file" : "level \(replay.levelSeed)"
    if !check && render == .view {
      try Viewer.requireTerminal("arcade replay")
      try exitAfterViewer(try Viewer.replay(replay, env: env, title: file))
      return
    }
    print("\(file): \(replay.game) \(replay.options.mode.rawValue), \(source), \(replay.actions.count) steps")
    if check {
      switch try replay.check(in: env) {
      case .matches(let steps, let h):
        // .matches means the initial hash and every one of hashSteps were compared.
        print("ok: all \(replay.hashSteps.count + 1) state hashes match over \(steps) steps (final \(hex64(h)))")
      case .diverges(let step, let expected, let actual):
        print("diverges at step \(step): expected state hash \(hex64(expected)), got \(hex64(actual))")
        throw ExitCode(1)
      case .incomplete(let why):
        throw ArcadeError("\(file): \(why)")
      }
    } else if render == .text {
      try replay.start(env)
      var ret: Float = 0
      for (i, a) in replay.actions.enumerated() {
        print("step \(i) return \(ret)")
        print(env.glyphs().text(), terminator: "")
        ret += env.step(Action(a)).reward
      }
      print("step \(replay.actions.count) return \(ret)")
      print(env.glyphs().text(), terminator: "")
    }
  }
}
