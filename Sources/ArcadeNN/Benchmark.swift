// Benchmark of the networks at the paper's shapes: median forward+backward times and peak RSS. The parts
// that need only this module (the SRWM layer and core, the few-shot model) are here; `arcade bench nn`
// runs them with the RL agent's part through `NNBenchmark.run` in ArcadeRL (NNBenchmark+Agent.swift).
import ArcadeTensor
import Glibc

public enum NNBenchmark {
  static func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
  }
  /// This thread's CPU time in seconds.
  static func threadCPU() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
  }
  /// Process CPU time (all threads) in seconds. Not getrusage: Linux splits its user and system
  /// times by sampled ticks, and their sum over a few milliseconds came out above the wall time of a
  /// one-thread run (10.3 against 6.7 ms per run in `bench nn --threads 1 --only layer`).
  static func cpuTime() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
  }
  package struct Timing { var median: Double; var min: Double; var cpu: Double }

  /// One measured case, as `arcade bench nn --json` reports it.
  public struct Result: Encodable, Sendable {
    public var part: String
    public var label: String
    public var medianSeconds: Double
    public var bestSeconds: Double
    public var cpuSecondsPerRun: Double
  }
  /// Wall times of `reps` runs after one warm-up run: median, best, and process CPU time per run.
  package static func measure(reps: Int, _ body: () -> Void) -> Timing {
    body()
    var t: [Double] = []
    let c0 = cpuTime()
    for _ in 0..<reps { let a = now(); body(); t.append(now() - a) }
    let cpu = (cpuTime() - c0) / Double(reps)
    t.sort()
    return Timing(median: t[t.count / 2], min: t[0], cpu: cpu)
  }
  /// Peak resident set size in MiB (getrusage).
  public static func peakRSSMiB() -> Double {
    var u = rusage()
    getrusage(RUSAGE_SELF.rawValue, &u)
    return Double(u.ru_maxrss) / 1024
  }
  static func fmt(_ s: Double) -> String {
    let ms = s * 1000
    return ms >= 1000 ? "\((s * 1000).rounded() / 1000) s" : "\((ms * 100).rounded() / 100) ms"
  }
  static func fmt(_ t: Timing) -> String {
    "median \(fmt(t.median)) (best \(fmt(t.min)), cpu \(fmt(t.cpu))/run)"
  }

  /// One benchmark run: the selected parts, the shared random stream, the results so far and the log.
  package final class Session {
    package let quick: Bool
    let only: Set<String>?
    package var rng = SplitMix(seed: 42)
    package private(set) var results: [Result] = []
    package let log: (String) -> Void

    /// Configures `threads` workers and logs the header.
    package init(threads: Int, quick: Bool, only: Set<String>?, log: @escaping (String) -> Void) {
      self.quick = quick; self.only = only; self.log = log
      Parallel.configure(threads: threads)
      log("NN benchmark: threads=\(threads) (own workers; OpenBLAS single-threaded), forward+backward wall time")
    }

    package func want(_ k: String) -> Bool { only.map { $0.contains(k) } ?? true }
    package func report(_ part: String, _ label: String, _ t: Timing) {
      results.append(Result(part: part, label: label, medianSeconds: t.median, bestSeconds: t.min, cpuSecondsPerRun: t.cpu))
      log("  \(label): \(fmt(t))")
    }
    func randomFill(_ b: Buffer, _ s: Float = 1) { for i in 0..<b.count { b[i] = s * rng.normal() } }

    /// The SRWM layer at the RL and few-shot shapes (part "layer"). The first line of each shape times what
    /// the PyTorch reference's srwm_core cases time (`../shared/bench/torch`): the recurrence alone, forward
    /// from W0 and backward of a loss on Y, at the configured threads. The second line times the whole layer
    /// as the models run it (input softmax or LayerNorm, out_proj, residual; the RL one with state in and out).
    package func layers() {
      for (label, L, B, H, variant) in [("RL (L50 B32 8x16)", 50, 32, 8, SRWMLayer.Variant.rl),
                                        ("few-shot (L26 B16 16x16)", 26, 16, 16, SRWMLayer.Variant.fewShot)]
        where want("layer") {
        let D = H * 16, ps = ParamStore()
        let layer = SRWMLayer(ps, "l", dim: D, heads: H, variant: variant)
        var r2 = SplitMix(seed: 1)
        layer.initDefault(&r2)
        let x = Buffer(L * B * D), y = Buffer(L * B * D), dy = Buffer(L * B * D), dx = Buffer(L * B * D)
        randomFill(x); randomFill(dy)
        let recurrence = measure(reps: quick ? 5 : 21) {
          layer.core.forward(x.ptr, y.ptr, L: L, B: B, state: nil, reset: nil)
          layer.core.backward(dy.ptr, dx.ptr, dState: nil)
        }
        report("layer", "SRWM layer \(label), recurrence alone as in the reference", recurrence)
        let st = Buffer(layer.stateCount(batch: B)), dst = Buffer(layer.stateCount(batch: B))
        let whole = measure(reps: quick ? 5 : 21) {
          // RL: carried state ΔW in and out (as in the agent); few-shot: stateless episodes (as in the model).
          if variant == .rl {
            st.zero(); dst.zero()
            layer.forward(x.ptr, y.ptr, L: L, B: B, state: st.ptr, reset: nil)
            layer.backward(x.ptr, dy.ptr, dx.ptr, dState: dst.ptr)
          } else {
            layer.forward(x.ptr, y.ptr, L: L, B: B)
            layer.backward(x.ptr, dy.ptr, dx.ptr)
          }
        }
        report("layer", "SRWM layer + out_proj \(label), as the models run it", whole)
      }
    }

    /// The SRWM core alone on one thread, with the d = 16 SIMD kernels and the generic loops (thread CPU
    /// time, so other processes do not count) (part "core").
    package func cores() {
      for (label, L, B, H, softmax) in [("RL (L50 B32 8x16)", 50, 32, 8, true), ("few-shot (L26 B16 16x16)", 26, 16, 16, false)]
        where want("core") {
        let ps = ParamStore()
        let core = SRWMCore(ps, heads: H, headDim: 16, inputSoftmax: softmax, names: ("a", "b", "c", "e"))
        var r2 = SplitMix(seed: 7)
        core.initDefault(&r2)
        let n = L * B * H * 16
        let x = Buffer(n), y = Buffer(n), dy = Buffer(n), dx = Buffer(n)
        randomFill(x); randomFill(dy)
        for simd in [true, false] {
          core.useSIMD16 = simd
          var best = (forward: Double.infinity, backward: Double.infinity)
          for _ in 0..<(quick ? 5 : 30) {
            let a = threadCPU()
            core.forward(x.ptr, y.ptr, L: L, B: B, state: nil, reset: nil)
            let b = threadCPU()
            core.backward(dy.ptr, dx.ptr, dState: nil)
            let c = threadCPU()
            best = (min(best.forward, b - a), min(best.backward, c - b))
          }
          let t = Timing(median: best.forward + best.backward, min: best.forward + best.backward, cpu: best.forward + best.backward)
          results.append(Result(part: "core", label: "SRWM core \(label) \(simd ? "simd" : "generic")", medianSeconds: t.median,
                                bestSeconds: t.min, cpuSecondsPerRun: t.cpu))
          log("  SRWM core \(label), \(simd ? "SIMD d=16" : "generic") kernels: forward \(fmt(best.forward)), backward \(fmt(best.backward)) (thread CPU, best of \(quick ? 5 : 30))")
        }
      }
    }

    /// The few-shot model: 16 episodes × 26 steps of 28×28 (Omniglot config: D 256, 2 layers, 16 heads, FF 1024)
    /// (part "fewshot").
    package func fewShot() {
      guard want("fewshot") else { return }
      let L = 26, B = 16
      let model = FewShotModel(FewShotConfig(core: .srwm), seed: 5)
      var images = [Float](repeating: 0, count: L * B * 28 * 28)
      for i in 0..<images.count { images[i] = rng.uniform() }
      let labels = (0..<(L * B)).map { _ in Int(rng.next() % 5) }
      let dl = [Float](repeating: 0.01, count: L * B * 5)
      let t = measure(reps: quick ? 3 : 7) {
        model.ps.zeroGrad()
        images.withUnsafeBufferPointer { px in   // backward reads the images again: one valid pointer for both
          _ = model.forward(images: px.baseAddress!, labels: labels, L: L, B: B)
          model.backward(dLogits: dl)
        }
      }
      report("fewshot", "few-shot model srwm (16 x 26 of 28x28)", t)
    }

    /// Logs the peak RSS and returns the results.
    package func finish() -> [Result] {
      log("  peak RSS: \((peakRSSMiB() * 10).rounded() / 10) MiB")
      return results
    }
  }
}
