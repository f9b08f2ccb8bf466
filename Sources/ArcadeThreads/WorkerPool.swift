// A fixed set of persistent worker threads for fork/join loops that are too short for
// DispatchQueue.concurrentPerform: its workers park between calls and take tens of microseconds to
// wake, so on two cores the caller often ran every chunk itself. Here the workers spin briefly
// (so back-to-back calls, as in a training step or a vector-env step, hand over in well under a
// microsecond), then sleep on a condition variable so an idle process costs no CPU.
//
// Chunk c of a call always runs on worker c (the caller is worker 0): the split is static, so
// results never depend on timing.
//
// A worker woken from its sleep lands, more often than not, on the CPU of the thread that woke it
// (Linux's wake-affine placement), and there it stays: both threads are always busy or spinning, so
// the idle CPU's balancer rarely takes one over. The pair then shares one CPU, and every call runs at
// one thread's speed (seen in `perf sched timehist` as the SRWM layer's 2-thread time doubling in
// about half of all processes). So a worker that wakes on its caller's CPU moves itself off it.
import Synchronization
#if canImport(Glibc)
import Glibc
#endif
import Foundation

public final class WorkerPool: @unchecked Sendable {
  /// Threads taking part in each call, the caller included.
  public let threads: Int
  private let shared: Shared

  public init(threads: Int) {
    self.threads = max(1, threads)
    shared = Shared()
    for w in 1..<self.threads {
      let s = shared
      let t = Thread { s.workerLoop(index: w) }
      t.name = "arcade-worker-\(w)"
      t.start()
    }
  }

  deinit { shared.stop() }

  /// Runs body(c) for every chunk c in 0..<threads, chunk c on worker c; returns when all are done.
  /// A call made while another is running (nested, or from another thread) runs its chunks inline.
  public func run(_ body: (Int) -> Void) {
    if threads == 1 { body(0); return }
    withoutActuallyEscaping(body) { b in
      if !shared.begin(b, workers: threads - 1) {
        for c in 0..<threads { b(c) }
        return
      }
      b(0)
      shared.join()
    }
  }

  /// Runs body(i) for i in 0..<n, split into `threads` contiguous ranges.
  public func forEach(_ n: Int, _ body: (Int) -> Void) {
    let t = min(threads, n)
    if t <= 1 { for i in 0..<n { body(i) }; return }
    let T = threads
    run { c in
      let lo = n * c / T, hi = n * (c + 1) / T
      for i in lo..<hi { body(i) }
    }
  }
}

/// State shared by the pool object and its threads (the threads never retain the pool itself).
private final class Shared: @unchecked Sendable {
  let generation = Atomic<Int>(0)
  let pending = Atomic<Int>(0)
  let sleepers = Atomic<Int>(0)
  let busy = Atomic<Bool>(false)
  /// The CPU the caller ran on when it started the current call (-1: unknown).
  let callerCPU = Atomic<Int>(-1)
  let stopping = Atomic<Bool>(false)
  nonisolated(unsafe) var job: ((Int) -> Void)?
  let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
  let cond = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
  /// Spin iterations before a worker sleeps (roughly 50–100 µs).
  static let spinLimit = 20_000

  init() {
    pthread_mutex_init(mutex, nil)
    pthread_cond_init(cond, nil)
  }

  func begin(_ body: @escaping (Int) -> Void, workers: Int) -> Bool {
    guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return false }
    job = body
    callerCPU.store(CPUPlacement.current(), ordering: .relaxed)
    pending.store(workers, ordering: .sequentiallyConsistent)
    generation.add(1, ordering: .sequentiallyConsistent)
    if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
      pthread_mutex_lock(mutex); pthread_cond_broadcast(cond); pthread_mutex_unlock(mutex)
    }
    return true
  }

  func join() {
    var spins = 0
    while pending.load(ordering: .acquiring) > 0 {
      spins += 1
      if spins > Self.spinLimit { sched_yield() }
    }
    job = nil
    busy.store(false, ordering: .releasing)
  }

  func stop() {
    stopping.store(true, ordering: .sequentiallyConsistent)
    generation.add(1, ordering: .sequentiallyConsistent)
    pthread_mutex_lock(mutex); pthread_cond_broadcast(cond); pthread_mutex_unlock(mutex)
    // The mutex and condition variable are left allocated: a worker may still be leaving its wait.
  }

  func workerLoop(index: Int) {
    // Generation 0 is the pool's creation: a call may already have started before this thread runs.
    var seen = 0
    while true {
      var spins = 0
      var g = generation.load(ordering: .acquiring)
      while g == seen {
        spins += 1
        if spins > Self.spinLimit {
          pthread_mutex_lock(mutex)
          sleepers.add(1, ordering: .sequentiallyConsistent)
          while generation.load(ordering: .sequentiallyConsistent) == seen { pthread_cond_wait(cond, mutex) }
          sleepers.subtract(1, ordering: .sequentiallyConsistent)
          pthread_mutex_unlock(mutex)
          spins = 0
          let cpu = CPUPlacement.current()
          if cpu >= 0 && cpu == callerCPU.load(ordering: .relaxed) { CPUPlacement.leave(cpu: cpu) }
        }
        g = generation.load(ordering: .acquiring)
      }
      seen = g
      if stopping.load(ordering: .acquiring) { return }
      job?(index)
      pending.subtract(1, ordering: .releasing)
    }
  }
}
