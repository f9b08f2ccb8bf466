// Fork/join over independent work items (concurrentPerform; cheap fork/join on 2 cores).
import Dispatch

public enum Parallel {
  /// Number of worker threads used by `forEach` (1 = run inline). Set once at start-up.
  nonisolated(unsafe) public static var threads: Int = 1

  /// Runs body(i) for i in 0..<n, split into `threads` contiguous chunks.
  public static func forEach(_ n: Int, _ body: (Int) -> Void) {
    let t = min(threads, n)
    if t <= 1 { for i in 0..<n { body(i) }; return }
    withoutActuallyEscaping(body) { b in
      nonisolated(unsafe) let f = b
      DispatchQueue.concurrentPerform(iterations: t) { c in
        let lo = n * c / t, hi = n * (c + 1) / t
        for i in lo..<hi { f(i) }
      }
    }
  }

  /// Sets our worker count; OpenBLAS is kept single-threaded (large gemms are split by BLAS.gemm).
  public static func configure(threads n: Int) {
    threads = max(1, n)
    BLAS.setThreads(1)
  }
}
