// Clocks: monotonic time, and the running time of a job that may be paused with `kill -STOP` … `-CONT`.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Monotonic time in seconds, for benchmarks and frame pacing.
public func monotonicSeconds() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_MONOTONIC, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// How many times the process has been continued (SIGCONT) since a `RunningClock` was first made.
let continuedCount = Atomic<Int>(0)

/// Seconds a job has been running, leaving out the time it spent stopped, so that a time budget
/// (`fewshot train --minutes`) is not used up while the job is paused for a benchmark. Read it once per
/// step with `tick()`: a step in which the process was continued counts as long as the step before it.
public struct RunningClock {
  public private(set) var seconds = 0.0
  private var last: Double, continues: Int, lastStep = 0.0

  public init() {
    Self.countContinues()
    last = monotonicSeconds()
    continues = continuedCount.load(ordering: .relaxed)
  }

  /// Adds the time since the last tick (or the start) and returns the running seconds so far.
  @discardableResult
  public mutating func tick() -> Double {
    let now = monotonicSeconds(), c = continuedCount.load(ordering: .relaxed)
    if c == continues {
      lastStep = now - last
    } else {
      continues = c     // stopped during this step: its wall time is mostly the pause
    }
    seconds += lastStep
    last = now
    return seconds
  }

  /// Installs the SIGCONT handler (with SA_RESTART, so that no system call fails because of it) and lets
  /// the calling thread receive the signal (worker threads, such as Dispatch's, may block it). The
  /// process is continued whatever the handler does; the handler only counts.
  static func countContinues() {
    #if os(Linux)
    var action = sigaction()
    action.__sigaction_handler.sa_handler = { _ in continuedCount.add(1, ordering: .relaxed) }
    sigemptyset(&action.sa_mask)
    action.sa_flags = SA_RESTART
    sigaction(SIGCONT, &action, nil)
    var continueSignal = sigset_t()
    sigemptyset(&continueSignal)
    sigaddset(&continueSignal, SIGCONT)
    pthread_sigmask(SIG_UNBLOCK, &continueSignal, nil)
    #endif
  }
}
