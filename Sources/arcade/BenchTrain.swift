import ArcadeCore
import ArcadeGames
import ArcadeNN
import ArcadeRL
import ArgumentParser
import Foundation

struct BenchTrain: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Training speed (acting + learning): frames/s of the sync and overlap pipelines in alternating rounds.",
    discussion: """
      Each round trains a fresh run for --seconds with each pipeline in turn (sync, then overlap); the best round \
      of each is reported with its split: seconds acting and learning and, for overlap, the seconds each side \
      waited for the other. Nothing is written to disk.
      """)

  @Option(help: "Comma-separated games; env i plays game i mod k.") var games = "bigfish,fruitbot,maze,leaper,plunder,starpilot"
  @Option(help: "Core.") var model = CoreKind.srwm
  @Option(help: "Comma-separated cores, one measurement each (overrides --model).") var models: String?
  @Option(help: "Observation.") var obs = ObservationChoice.grid
  @Option(help: "Grid encoder.") var encoder = GridEncoder.linear
  @Option(Limits.batch, help: "Envs per update.") var batch = 48
  @Option(Limits.unroll, help: "Unroll length.") var unroll = 20
  @Option(Limits.benchSeconds, help: "Seconds per pipeline per round.") var seconds = 3.0
  @Option(Limits.benchRounds, help: "Rounds (best of N).") var rounds = 3
  @Option(Limits.threads, help: "Threads (the overlap pipeline's actor uses one of them).") var threads = 2
  @Option(help: "Pipelines to measure.") var pipeline = BenchPipeline.both
  @Flag(help: "Print one JSON object instead of a table.") var json = false
  @Flag(help: .hidden) var learnerSharesPool = false

  struct Measurement: Codable {
    var pipeline: String
    var frames: Int
    var seconds: Double
    var framesPerSecond: Double
    var actingSeconds: Double
    var learningSeconds: Double
    var actorWaitedSeconds: Double
    var learnerWaitedSeconds: Double
    /// CPU time of the process (all threads) per 1000 frames: the work, whatever else runs on the machine.
    var cpuMsPerThousandFrames: Double
  }

  struct ModelResult: Codable {
    var model: String
    var best: [Measurement]
    var framesPerSecond: Double
    var overlapOverSync: Double?
  }

  struct Report: Codable {
    var games: [String]
    var obs: String
    var encoder: String
    var batch: Int
    var unroll: Int
    var threads: Int
    var secondsPerRound: Double
    var rounds: Int
    var loadAverage: Double?
    var framesPerSecond: Double
    var results: [ModelResult]
  }

  func pipelines() -> [TrainPipeline] {
    switch pipeline {
    case .both: return [.sync, .overlap]
    case .sync: return [.sync]
    case .overlap: return [.overlap]
    }
  }

  func config(model: String, pipeline: TrainPipeline) throws -> TrainConfig {
    var c = TrainConfig()
    c.games = games.split(separator: ",").map(String.init)
    c.model = model; c.obs = obs.rawValue; c.batch = batch; c.unroll = unroll; c.threads = threads; c.pipeline = pipeline
    c.encoder = encoder == .linear ? nil : encoder
    c.frames = 1_000_000_000_000
    c.checkpointEvery = Int.max; c.logEvery = Int.max
    do { try c.validate(knownGames: Catalog.names) } catch let e as ArcadeError { throw ValidationError(e.message) }
    return c
  }

  static func cpuSeconds() -> Double {
    var u = rusage()
    getrusage(RUSAGE_SELF.rawValue, &u)
    return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6
  }

  static func loadAverage() -> Double? {
    guard let s = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return nil }
    return s.split(separator: " ").first.flatMap { Double($0) }
  }

  func run() throws {
    let list = try (models ?? model.rawValue).split(separator: ",").map { name in
      guard CoreKind(rawValue: String(name)) != nil else {
        throw ValidationError("--models: unknown core '\(name)' (expected \(CoreKind.allCases.map(\.rawValue).joined(separator: ", ")))")
      }
      return String(name)
    }
    let kinds = pipelines()
    let dir = NSTemporaryDirectory() + "arcade-bench-train-\(getpid())"
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let load = Self.loadAverage()
    if !json {
      print("training speed: \(games), obs \(obs)\(obs == .grid ? " (\(encoder))" : ""), batch \(batch), unroll \(unroll), \(threads) thread(s); best of \(rounds) round(s) of \(seconds) s per pipeline\(load.map { "; load average \(String(format1: $0))" } ?? "")")
      print(["model", "pipeline", "frames/s", "CPU ms/1k fr", "acting s", "learning s", "actor waited", "learner waited"].map { $0.padding(14) }.joined())
    }
    var results: [ModelResult] = []
    for m in list {
      var trainers: [Trainer] = []
      for (i, p) in kinds.enumerated() {
        let t = try Trainer(config: try config(model: m, pipeline: p), runDirectory: dir + "/\(m)-\(i)")
        t.learnerSharesPool = learnerSharesPool
        trainers.append(t)
      }
      var best = [Measurement?](repeating: nil, count: kinds.count)
      for round in 0..<(rounds + 1) {
        for (i, t) in trainers.enumerated() {
          t.timing = TrainTiming()
          let t0 = monotonicSeconds(), c0 = Self.cpuSeconds()
          let frames = t.train(seconds: round == 0 ? min(0.5, seconds) : seconds)   // round 0 warms up
          let wall = monotonicSeconds() - t0, cpu = Self.cpuSeconds() - c0
          guard round > 0 else { continue }
          let x = Measurement(pipeline: kinds[i].rawValue, frames: frames, seconds: wall, framesPerSecond: Double(frames) / wall,
                              actingSeconds: t.timing.acting, learningSeconds: t.timing.learning,
                              actorWaitedSeconds: t.timing.actorWaited, learnerWaitedSeconds: t.timing.learnerWaited,
                              cpuMsPerThousandFrames: 1e6 * cpu / Double(max(1, frames)))
          if best[i].map({ x.framesPerSecond > $0.framesPerSecond }) ?? true { best[i] = x }
        }
      }
      let got = best.compactMap { $0 }
      let sync = got.first { $0.pipeline == "sync" }, overlap = got.first { $0.pipeline == "overlap" }
      let ratio = sync.flatMap { s in overlap.map { $0.framesPerSecond / s.framesPerSecond } }
      results.append(ModelResult(model: m, best: got, framesPerSecond: got.map(\.framesPerSecond).max() ?? 0, overlapOverSync: ratio))
      if !json {
        for x in got {
          let waits = x.pipeline == "overlap" ? [fmt(x.actorWaitedSeconds), fmt(x.learnerWaitedSeconds)] : ["-", "-"]
          print(([m, x.pipeline, Fmt.count(x.framesPerSecond), Fmt.fixed(x.cpuMsPerThousandFrames, 0), fmt(x.actingSeconds),
                  fmt(x.learningSeconds)] + waits)
            .map { $0.padding(14) }.joined())
        }
        if let ratio { print("\(m.padding(14))overlap / sync: \(Fmt.fixed(ratio, 2))×") }
      }
    }
    if json {
      let report = Report(games: games.split(separator: ",").map(String.init), obs: obs.rawValue, encoder: encoder.rawValue, batch: batch,
                          unroll: unroll, threads: threads, secondsPerRound: seconds, rounds: rounds, loadAverage: load,
                          framesPerSecond: results.first?.framesPerSecond ?? 0, results: results)
      try printJSON(report)
    }
  }

  func fmt(_ s: Double) -> String { Fmt.fixed(s, 2) }
}
