import ArcadeCore
import ArcadeGames
import ArcadeNN
import ArgumentParser

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
  @Option(help: "Comma-separated parts: layer, agent-srwm, agent-lstm, fewshot (default: all).") var only: String?

  func validate() throws {
    let parts: Set<String> = ["layer", "agent-srwm", "agent-lstm", "fewshot"]
    for p in only?.split(separator: ",") ?? [] where !parts.contains(String(p)) {
      throw ValidationError("unknown part '\(p)' (expected layer, agent-srwm, agent-lstm or fewshot)")
    }
  }

  func run() {
    let parts = only.map { Set($0.split(separator: ",").map(String.init)) }
    NNBenchmark.run(threads: threads, quick: quick, only: parts) { print($0) }
  }
}

/// ProcGen 0.10.7 on this machine: steps/s of one env stepped in-process from
/// C, hard mode, frame drawn every step (figures from the project's issues).
let procgenStepsPerSecond: [String: Double] = [
  "maze": 11_800, "heist": 24_700, "miner": 14_600, "leaper": 23_100,
  "bigfish": 55_400, "bossfight": 15_700, "chaser": 30_200, "dodgeball": 29_900, "fruitbot": 12_700,
  "plunder": 48_800, "starpilot": 41_300, "coinrun": 17_700, "climber": 20_600, "jumper": 12_800,
  "ninja": 15_000, "caveflyer": 15_900,
]

struct BenchEnv: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "env",
    abstract: "Steps per second per game: step alone, step + rgb, step + grid; 1 env on 1 thread and N envs on T threads.")

  @Option(help: "Comma-separated games (default: all).") var games: String?
  @Option(help: "Distribution mode.") var mode = "hard"
  @Option(Limits.benchSeconds, help: "Seconds per measurement.") var seconds = 1.0
  @Option(Limits.benchEnvs, help: "Envs in the batched measurement.") var envs = 64
  @Option(Limits.threads, help: "Threads in the batched measurement.") var threads = 2

  func run() throws {
    guard let m = DistributionMode(rawValue: mode) else { throw ValidationError("unknown mode '\(mode)'") }
    let names = games?.split(separator: ",").map(String.init) ?? Catalog.names
    for n in names { _ = try Catalog.entry(n) }
    print("steps/s, \(m.rawValue) mode, random actions, \(seconds) s per cell; ProcGen = 1 env, frame drawn every step")
    let header = ["game", "1env step", "1env +rgb", "1env +grid",
                  "\(envs)env/\(threads)thr step", "+rgb", "+grid", "ProcGen", "rgb ×ProcGen"]
    print(header.map { $0.padding(12) }.joined())
    for name in names {
      var row = [name]
      var oneRGB = 0.0
      for (count, thr) in [(1, 1), (envs, threads)] {
        for kinds in [ObservationKinds(), .rgb, .grid] {
          let v = try measure(game: name, mode: m, count: count, threads: thr, kinds: kinds)
          if count == 1 && kinds == .rgb { oneRGB = v }
          row.append(format(v))
        }
      }
      let ref = procgenStepsPerSecond[name]
      row.append(ref.map(format) ?? "-")
      row.append(ref.map { String(format1: oneRGB / $0) + "×" } ?? "-")
      print(row.map { $0.padding(12) }.joined())
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
