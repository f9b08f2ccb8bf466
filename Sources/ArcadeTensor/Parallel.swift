// Fork/join over independent work items on the process-wide worker pool (persistent threads:
// the network's many short parallel loops hand over in well under a microsecond).
import ArcadeThreads

public enum Parallel {
  /// Number of worker threads used by `forEach` (1 = run inline). Set once at start-up.
  nonisolated(unsafe) public static var threads: Int = 1
  nonisolated(unsafe) static var pool: WorkerPool?

  /// Runs body(i) for i in 0..<n, split into `threads` contiguous chunks.
  public static func forEach(_ n: Int, _ body: (Int) -> Void) {
    guard threads > 1, n > 1, let pool else { for i in 0..<n { body(i) }; return }
    pool.forEach(n, body)
  }

  /// Sets our worker count; OpenBLAS is kept single-threaded (large gemms are split by BLAS.gemm).
  public static func configure(threads n: Int) {
    let t = max(1, n)
    if t != threads || (t > 1 && pool == nil) { pool = t > 1 ? WorkerPool(threads: t) : nil }
    threads = t
    BLAS.setThreads(1)
  }
}
