// Fork/join over independent work items on the process-wide worker pool (persistent threads:
// the network's many short parallel loops hand over in well under a microsecond).
import ArcadeThreads
#if canImport(Glibc)
import Glibc
#endif

public enum Parallel {
  /// Number of chunks the network's loops are split into (1 = run inline). Set once at start-up.
  /// Results depend on this number only, never on which thread runs a chunk.
  nonisolated(unsafe) public static var threads: Int = 1
  nonisolated(unsafe) static var pool: WorkerPool?
  /// Set (non-nil) on threads that run every loop themselves: see `inline(_:)`.
  static let inlineKey: pthread_key_t = {
    var k = pthread_key_t()
    pthread_key_create(&k, nil)
    return k
  }()

  /// Runs body(i) for i in 0..<n, split into `threads` contiguous chunks.
  public static func forEach(_ n: Int, _ body: (Int) -> Void) {
    guard threads > 1, n > 1 else { for i in 0..<n { body(i) }; return }
    if let mine = pthread_getspecific(inlineKey) {
      // This thread's own setting: inline (marker 1) or another pool.
      if Int(bitPattern: mine) == 1 { for i in 0..<n { body(i) }; return }
      Unmanaged<WorkerPool>.fromOpaque(mine).takeUnretainedValue().forEach(n, body)
      return
    }
    guard let pool else { for i in 0..<n { body(i) }; return }
    pool.forEach(n, body)
  }

  /// Runs `body` with the parallel loops it starts on `pool` (a pool of its own, e.g. with fewer threads
  /// than `threads`), or on the calling thread alone when `pool` is nil. Loops keep their split, so the
  /// numbers are those of the process-wide pool.
  public static func using<R>(_ pool: WorkerPool?, _ body: () throws -> R) rethrows -> R {
    guard let pool else { return try inline(body) }
    let old = pthread_getspecific(inlineKey)
    pthread_setspecific(inlineKey, Unmanaged.passUnretained(pool).toOpaque())
    defer { pthread_setspecific(inlineKey, old) }
    return try withExtendedLifetime(pool) { try body() }
  }

  /// Runs `body` with every parallel loop it starts on the calling thread alone. The loops keep their
  /// split (`threads` chunks, run one after the other), so the numbers are the same as on the pool. This
  /// is how a second thread (the trainer's actor) runs the network while another thread uses the pool.
  public static func inline<R>(_ body: () throws -> R) rethrows -> R {
    let old = pthread_getspecific(inlineKey)
    pthread_setspecific(inlineKey, UnsafeRawPointer(bitPattern: 1))
    defer { pthread_setspecific(inlineKey, old) }
    return try body()
  }

  /// Sets our worker count; OpenBLAS is kept single-threaded (large gemms are split by BLAS.gemm).
  public static func configure(threads n: Int) {
    let t = max(1, n)
    if t != threads || (t > 1 && pool == nil) { pool = t > 1 ? WorkerPool(threads: t) : nil }
    threads = t
    BLAS.setThreads(1)
  }
}
