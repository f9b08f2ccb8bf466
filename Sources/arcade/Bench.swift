import ArcadeCore
import ArcadeGames
import ArcadeNN
import ArcadeRL
import ArgumentParser
import Foundation

struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Measure speed (use a release build: tools/run bench ...).",
    subcommands: [BenchEnv.self, BenchNN.self, BenchTrain.self])
}

struct BenchNN: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "nn",
    abstract: "Median forward+backward time of the SRWM layer, the RL agent and the few-shot model, and peak memory.")

  @Option(Limits.threads, help: "Worker threads (OpenBLAS runs single-threaded inside them).") var threads = 2
  @Flag(help: "Fewer repetitions.") var quick = false
  @Option(help: "Comma-separated parts: layer (the SRWM recurrence as the PyTorch reference times it, then the whole layer), core (the SRWM core alone, SIMD and generic kernels), agent-srwm, agent-lstm, fewshot (default: all).") var only: String?
  @Flag(help: "Print one JSON object instead of lines.") var json = false

  func validate() throws {
    let parts: Set<String> = ["layer", "core", "agent-srwm", "agent-lstm", "fewshot"]
    for p in only?.split(separator: ",") ?? [] where !parts.contains(String(p)) {
      throw ValidationError("unknown part '\(p)' (expected layer, core, agent-srwm, agent-lstm or fewshot)")
    }
  }

  struct Report: Encodable {
    var threads: Int
    var loadAverage: Double?
    var results: [NNBenchmark.Result]
    var peakRSSMib: Double
  }

  func run() throws {
    let parts = only.map { Set($0.split(separator: ",").map(String.init)) }
    let load = BenchTrain.loadAverage()
    let results = NNBenchmark.run(threads: threads, quick: quick, only: parts) { if !json { print($0) } }
    if json {
      try printJSON(Report(threads: threads, loadAverage: load, results: results, peakRSSMib: NNBenchmark.peakRSSMiB()))
    }
  }
}

/// Prints a bench report as one pretty JSON object with snake_case keys.
func printJSON(_ value: some Encodable) throws {
  let enc = JSONEncoder()
  enc.outputFormatting = [.prettyPrinted, .sortedKeys]
  enc.keyEncodingStrategy = .convertToSnakeCase
  print(String(decoding: try enc.encode(value), as: UTF8.self))
}

struct BenchEnv: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "env",
    abstract: "Steps per second per game: step alone, step + rgb, step + grid; 1 env on 1 thread and N envs on T threads.")

  @Option(help: "Comma-separated games (default: all).") var games: String?
  @Option(help: "Distribution mode.") var mode = DistributionMode.hard
  @Option(Limits.benchSeconds, help: "Seconds per measurement.") var seconds = 1.0
  @Option(Limits.benchEnvs, help: "Envs in the batched measurement.") var envs = 64
  @Option(Limits.threads, help: "Threads in the batched measurement.") var threads = 2
  @Flag(help: "Print one JSON object instead of a table.") var json = false

  /// Steps/s of one game: 1 env on 1 thread and `envs` envs on `threads` threads, each with no
  /// observation, the rgb frame and the grid.
  struct Row: Encodable {
    var game: String
    var oneEnv: [String: Double]
    var batched: [String: Double]
  }

  struct Report: Encodable {
    var mode: String
    var secondsPerCell: Double
    var envs: Int
    var threads: Int
    var loadAverage: Double?
    var stepsPerSecond: [Row]
  }

  func run() throws {
    let m = mode
    let names = games?.split(separator: ",").map(String.init) ?? Catalog.names
    for n in names { _ = try Catalog.entry(n) }
    let load = BenchTrain.loadAverage()
    let kinds: [(String, ObservationKinds)] = [("step", []), ("rgb", .rgb), ("grid", .grid)]
    if !json {
      print("steps/s, \(m.rawValue) mode, random actions, \(seconds) s per cell\(load.map { "; load average \(String(format1: $0))" } ?? "")")
      print(["game", "1env step", "1env +rgb", "1env +grid", "\(envs)env/\(threads)thr step", "+rgb", "+grid"]
        .map { $0.padding(12) }.joined())
    }
    var rows: [Row] = []
    for name in names {
      var row = Row(game: name, oneEnv: [:], batched: [:])
      var cells = [name]
      for (count, thr) in [(1, 1), (envs, threads)] {
        for (key, k) in kinds {
          let v = try measure(game: name, mode: m, count: count, threads: thr, kinds: k)
          if count == 1 { row.oneEnv[key] = v } else { row.batched[key] = v }
          cells.append(format(v))
        }
      }
      rows.append(row)
      if !json { print(cells.map { $0.padding(12) }.joined()) }
    }
    if json {
      try printJSON(Report(mode: m.rawValue, secondsPerCell: seconds, envs: envs, threads: threads, loadAverage: load,
                           stepsPerSecond: rows))
    }
  }

  func measure(game: String, mode: DistributionMode, count: Int, threads: Int, kinds: ObservationKinds) throws -> Double {
    let vec = try VecEnv(games: [game], count: count, options: GameOptions(mode: mode),
                         levels: LevelOptions(randSeed: 1), observations: kinds, threads: threads, make: Catalog.make)
    var rng = PCG32(seed: 42, stream: 1)
    // Pre-drawn actions, so the measurement is of the envs alone.
    let table = (0..<(4096 * count)).map { _ in Int32(rng.below(Action.count)) }
    var steps = 0, k = 0
    let t0 = monotonicSeconds()
    var t = t0
    table.withUnsafeBufferPointer { acts in
      while t - t0 < seconds {
        for _ in 0..<64 {
          vec.step(UnsafeBufferPointer(rebasing: acts[(k * count)..<((k + 1) * count)]))
          k = (k + 1) % 4096
        }
        steps += 64 * count
        t = monotonicSeconds()
      }
    }
    return Double(steps) / (t - t0)
  }

  func format(_ v: Double) -> String {
    v >= 1e6 ? String(format1: v / 1e6) + "M" : v >= 1e3 ? String(format1: v / 1e3) + "k" : String(Int(v))
  }
}

extension String {
  /// A number with one decimal, without Foundation.
  init(format1 v: Double) {
    let r = (v * 10).rounded() / 10
    let i = Int(r), f = Int(((r - Double(i)) * 10).rounded())
    self = "\(i).\(abs(f))"
  }

  func padding(_ n: Int) -> String { count >= n ? self + " " : self + String(repeating: " ", count: n - count) }
}
