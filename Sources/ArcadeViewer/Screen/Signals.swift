#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// The last SIGINT/SIGTERM/SIGHUP received; the handler touches nothing else.
let receivedSignal = Atomic<Int32>(0)

/// Turns termination signals into a flag the event loop polls, so the loop
/// ends normally and the terminal is restored once, by the code that took it.
public enum SignalWatch {
  /// Installed without SA_RESTART, so a blocking getch returns when a signal arrives.
  public static func install() {
    for sig in [SIGINT, SIGTERM, SIGHUP] {
      var action = sigaction()
      action.__sigaction_handler.sa_handler = { s in receivedSignal.store(s, ordering: .relaxed) }
      sigemptyset(&action.sa_mask)
      action.sa_flags = 0
      sigaction(sig, &action, nil)
    }
  }

  /// The signal received so far, or 0.
  public static var pending: Int32 { receivedSignal.load(ordering: .relaxed) }
}
