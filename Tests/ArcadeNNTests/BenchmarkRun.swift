// Runs the benchmark only when ARCADE_NN_BENCH is set (timings are never pass/fail conditions).
import ArcadeNN
import Foundation
import Testing

@Test func nnBenchmark() {
  guard let v = ProcessInfo.processInfo.environment["ARCADE_NN_BENCH"], !v.isEmpty else { return }
  for t in v.split(separator: ",").compactMap({ Int($0) }) {
    let env = ProcessInfo.processInfo.environment
    let only = env["ARCADE_NN_BENCH_ONLY"].map { Set($0.split(separator: ",").map(String.init)) }
    NNBenchmark.run(threads: t, quick: env["ARCADE_NN_BENCH_QUICK"] != nil, only: only) { print($0) }
  }
}
