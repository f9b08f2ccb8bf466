// Micro-benchmark of the SRWM core (only with ARCADE_NN_MICRO set: "rl" or "fewshot" picks the shape);
// thread CPU time, not pass/fail.
import ArcadeNN
import ArcadeTensor
import Foundation
import Testing

func threadCPU() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

@Test func srwmMicroBench() {
  guard let shape = ProcessInfo.processInfo.environment["ARCADE_NN_MICRO"] else { return }
  Parallel.configure(threads: 1)
  let (L, B, H, d) = shape == "fewshot" ? (26, 16, 16, 16) : (50, 32, 8, 16)
  let ps = ParamStore()
  let core = SRWMCore(ps, heads: H, headDim: d, inputSoftmax: shape != "fewshot", names: ("a", "b", "c", "e"))
  var rng = SplitMix(seed: 7)
  core.initDefault(&rng)
  let x = randomArray(L * B * H * d, &rng), dy = randomArray(L * B * H * d, &rng)
  var y = zeros(x.count), dx = zeros(x.count)
  for simd in [true, false] {
    core.useSIMD16 = simd
    var tf = 1e9, tb = 1e9
    for _ in 0..<30 {
      let a = threadCPU()
      core.forward(x, &y, L: L, B: B, state: nil, reset: nil)
      let b = threadCPU()
      core.backward(dy, &dx, dState: nil)
      let c = threadCPU()
      tf = min(tf, b - a); tb = min(tb, c - b)
    }
    print("SRWM core simd=\(simd): forward \(tf * 1000) ms, backward \(tb * 1000) ms (thread CPU, best of 30, L\(L) B\(B) \(H)×\(d))")
  }
}
