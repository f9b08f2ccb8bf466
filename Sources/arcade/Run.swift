import ArcadeCore
import ArcadeGames
import ArgumentParser

struct Run: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run headless rollouts of a game with a simple policy.",
    discussion: "Prints one line per finished episode and a summary; --render text prints each frame as glyphs.")

  @Argument(help: "The game to run (see `arcade list`).")
  var game: String
  @OptionGroup var selection: GameSelection
  @OptionGroup var levels: LevelSelection
  @Option(Limits.levelSeed, help: "Play exactly this level seed (every episode).")
  var seed: UInt32?
  @Option(help: "Play a level file instead of a generated level (at most \(LevelFile.maxBytes >> 20) MB).")
  var level: String?
  @Option(Limits.runSteps, help: "Number of steps to run (at most \(Limits.dumpedSteps) with --dump-observations).")
  var steps = 1000
  @Option(help: "Policy: random or noop.")
  var policy = RunPolicy.random
  @Option(Limits.seed, help: "Seed of the random policy.")
  var policySeed: UInt64 = 0
  @Option(help: "Rendering: none or text.")
  var render = RunRender.none
  @Option(help: "Record the first episode as a replay file.")
  var record: String?
  @Option(help: "Play these comma-separated actions (0-14) instead of a policy; --steps is their count.")
  var actions: String?
  @Option(help: "Write every step's observation (rgb bytes), reward (float32 LE), terminated and truncated (one byte each) to a file.")
  var dumpObservations: String?

  func validate() throws {
    let count = try parsedActions()?.count ?? steps
    if dumpObservations != nil && count > Limits.dumpedSteps {
      throw ValidationError("--steps must be at most \(Limits.dumpedSteps) with --dump-observations (every frame is kept in memory)")
    }
    if seed != nil && level != nil { throw ValidationError("give --seed or --level, not both") }
  }

  func parsedActions() throws -> [Action]? {
    guard let actions else { return nil }
    return try actions.split(separator: ",").map {
      guard let a = Int($0.filter { $0 != " " }), (0..<15).contains(a) else {
        throw ValidationError("--actions: '\($0)' is not an action in 0...14")
      }
      return Action(a)
    }
  }

  func run() throws {
    let fixed = try parsedActions()
    let steps = fixed?.count ?? self.steps
    var dump: [UInt8] = []
    let levelFile = try level.map(readLevelFile)
    let name = levelFile?.game ?? game
    if let f = levelFile, f.game != game { throw ValidationError("\(level!) is a level of '\(f.game)', not '\(game)'") }
    var options = try selection.options()
    if let f = levelFile { options.mode = f.mode }
    let env = try Catalog.make(EnvConfig(game: name, options: options, levels: try levels.options()))
    func startEpisode() throws {
      if let f = levelFile { try env.load(level: f) } else if let s = seed { env.reset(levelSeed: s) }
    }
    try startEpisode()
    var rng = PCG32(seed: policySeed, stream: 7)
    var recorder = record.map { _ in ReplayRecorder(env: env, level: levelFile) }
    var episodes = 0, returns: Float = 0, wins = 0
    let t0 = monotonicSeconds()
    for t in 0..<steps {
      if render == .text { printFrame(env, step: t) }
      let a = fixed?[t] ?? (policy == .random ? Action(rng.below(Action.count)) : Action.noop)
      let r = env.step(a)
      recorder?.record(a, env: env)
      if dumpObservations != nil {
        dump += env.rgb()
        withUnsafeBytes(of: r.reward.bitPattern.littleEndian) { dump += $0 }
        dump += [r.terminated ? 1 : 0, r.truncated ? 1 : 0]
      }
      if r.done {
        episodes += 1
        returns += r.info.episodeReturn
        if r.info.prevLevelComplete { wins += 1 }
        let how = r.terminated ? (r.info.prevLevelComplete ? "complete" : "died") : "time limit"
        print("episode \(episodes): level \(r.info.prevLevelSeed), return \(r.info.episodeReturn), length \(r.info.episodeLength), \(how)")
        if var rec = recorder, let path = record {
          try AtomicFile.write(rec.finish(env: env).text(), to: path)
          print("recorded replay \(path)")
          recorder = nil
        }
        env.reset(levelSeed: nil)
        if seed != nil || levelFile != nil { try startEpisode() }
      }
    }
    if var rec = recorder, let path = record {
      try AtomicFile.write(rec.finish(env: env).text(), to: path)
      print("recorded replay \(path) (episode not finished)")
    }
    if let path = dumpObservations { try AtomicFile.write(dump, to: path) }
    let dt = monotonicSeconds() - t0
    let mean = episodes > 0 ? returns / Float(episodes) : 0
    print("\(steps) steps, \(episodes) episodes, \(wins) complete, mean return \(mean), \(Int(Double(steps) / max(dt, 1e-9))) steps/s")
  }

  func printFrame(_ env: any Environment, step: Int) {
    print("\(env.descriptor.name) level \(env.levelSeed) step \(step) return \(env.episodeReturn)")
    print(env.glyphs().text(), terminator: "")
  }
}
