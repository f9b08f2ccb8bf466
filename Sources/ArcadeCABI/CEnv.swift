import ArcadeCore
import Synchronization

/// One vector env behind a C handle. Its fields are touched only while its
/// lock is held (see `withEnv`), so calls on one handle from several threads
/// run one after another, and `pa_destroy` waits for the call in flight.
final class CEnv: @unchecked Sendable {
  let envs: [any Environment]
  let observations: ObservationKinds
  let threads: Int
  let lock = Mutex(())
  var vec: VecEnv?
  var lastError = ""
  /// Set by pa_destroy: a call that looked the env up just before it was
  /// destroyed finds this once it gets the lock.
  var destroyed = false

  init(envs: [any Environment], observations: ObservationKinds, threads: Int) {
    self.envs = envs
    self.observations = observations
    self.threads = threads
  }

  func fail(_ message: String) -> Int32 {
    lastError = message
    return -1
  }
}

/// Runs `body` on the live env behind `p` with its lock held; -1 for a handle
/// that is destroyed, stale or was never given out.
func withEnv(_ p: OpaquePointer?, _ body: (CEnv) -> Int32) -> Int32 {
  guard let env = handles.withLock({ $0.lookup(p) }) else { return -1 }
  return env.lock.withLock { _ in env.destroyed ? -1 : body(env) }
}
