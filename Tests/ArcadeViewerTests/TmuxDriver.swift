import Foundation

/// Drives a shell inside tmux on a private socket (never the user's tmux server):
/// type commands, press keys, read the screen.
final class TmuxDriver {
  let socket: String
  let width: Int, height: Int

  nonisolated(unsafe) private static var counter = 0

  /// Where tmux is, or nil.
  static let tmuxPath: String? = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].first {
    FileManager.default.isExecutableFile(atPath: $0)
  }

  init(width: Int = 120, height: Int = 40, name: String) throws {
    self.width = width
    self.height = height
    socket = "arcade-test-\(getpid())-\(name)"
    // A plain shell with a fixed prompt, no rc files, no user tmux config.
    // The server it starts must not inherit a pipe, or reading the pipe never ends.
    try run(["-f", "/dev/null", "new-session", "-d", "-x", "\(width)", "-y", "\(height)",
             "env -i HOME=/tmp PATH=/usr/bin:/bin TERM=tmux-256color PS1='$ ' SWIFT_BACKTRACE=interactive=no bash --norc --noprofile"],
            output: false)
    _ = try waitFor(timeout: 5) { $0.contains("$") }
  }

  deinit {
    _ = try? run(["kill-server"], output: false)
    unlink("\(ProcessInfo.processInfo.environment["TMUX_TMPDIR"] ?? "/tmp")/tmux-\(getuid())/\(socket)")
  }

  @discardableResult
  func tmux(_ args: String...) throws -> String { try run(args) }

  @discardableResult
  func run(_ args: [String], output: Bool = true) throws -> String {
    let (status, text) = try spawn([TmuxDriver.tmuxPath ?? "/usr/bin/tmux", "-L", socket] + args, captureOutput: output)
    if status != 0 && output { throw TmuxFailure(args: args, output: text) }
    return text
  }

  /// Types a command line and presses Enter.
  func type(_ line: String) throws {
    try tmux("send-keys", "-l", line)
    try tmux("send-keys", "Enter")
  }

  /// Presses tmux key names ("Right", "Tab", "q", "C-c").
  func press(_ keys: String...) throws { try run(["send-keys"] + keys) }

  func screen() throws -> String { try tmux("capture-pane", "-p") }

  /// Polls the screen until `ok` holds; returns that screen, or throws with the last one.
  func waitFor(timeout: Double = 10, _ ok: (String) -> Bool) throws -> String {
    let end = Date().addingTimeInterval(timeout)
    var last = ""
    while Date() < end {
      last = try screen()
      if ok(last) { return last }
      usleep(50_000)
    }
    throw TmuxTimeout(screen: last)
  }

  /// Like `waitFor`, but returns only once two captures 50 ms apart are identical, so the frame is
  /// complete (a capture can land between the header and the map of a redraw).
  func waitForSettled(timeout: Double = 10, _ ok: (String) -> Bool) throws -> String {
    let end = Date().addingTimeInterval(timeout)
    var last = ""
    while Date() < end {
      let now = try screen()
      if ok(now) && now == last { return now }
      last = now
      usleep(50_000)
    }
    throw TmuxTimeout(screen: last)
  }

  /// Whether the last non-empty line is the bare shell prompt.
  static func shellIsPrompting(_ screen: String) -> Bool {
    screen.split(separator: "\n").last { !$0.allSatisfy { $0 == " " } }.map { $0.trimmingCharacters(in: .whitespaces) == "$" } ?? false
  }

  /// (column, row) of the first `char` on the screen.
  static func find(_ char: Character, in screen: String) -> (x: Int, y: Int)? {
    for (y, line) in screen.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      if let i = line.firstIndex(of: char) { return (line.distance(from: line.startIndex, to: i), y) }
    }
    return nil
  }
}

struct TmuxFailure: Error, CustomStringConvertible {
  var args: [String]
  var output: String
  var description: String { "tmux \(args.joined(separator: " ")) failed: \(output)" }
}

/// Runs a program and waits for it, with posix_spawn rather than Foundation's
/// Process: the test runner blocks signals in its threads, and a child that
/// inherits that mask (the tmux server, the shell, the viewer) never dies of
/// SIGHUP/SIGTERM, and Process may never notice the child exited.
/// Output goes through a file, so a daemon that keeps it open cannot hang the read.
func spawn(_ argv: [String], captureOutput: Bool) throws -> (status: Int32, output: String) {
  let outPath = "/tmp/arcade-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).out"
  defer { unlink(outPath) }
  var actions = posix_spawn_file_actions_t()
  posix_spawn_file_actions_init(&actions)
  defer { posix_spawn_file_actions_destroy(&actions) }
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
  posix_spawn_file_actions_addopen(&actions, 1, captureOutput ? outPath : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
  posix_spawn_file_actions_adddup2(&actions, 1, 2)
  var attr = posix_spawnattr_t()
  posix_spawnattr_init(&attr)
  defer { posix_spawnattr_destroy(&attr) }
  var none = sigset_t(), all = sigset_t()
  sigemptyset(&none)
  sigfillset(&all)
  posix_spawnattr_setsigmask(&attr, &none)
  posix_spawnattr_setsigdefault(&attr, &all)
  posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
  var cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
  defer { for a in cArgs { free(a) } }
  var pid: pid_t = 0
  let rc = posix_spawn(&pid, argv[0], &actions, &attr, &cArgs, environ)
  guard rc == 0 else { throw TmuxFailure(args: argv, output: "posix_spawn failed (\(rc))") }
  var status: Int32 = 0
  while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
  let text = captureOutput ? ((try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "") : ""
  let exited = status & 0x7f == 0
  return (exited ? (status >> 8) & 0xff : 128 + (status & 0x7f), text)
}

struct TmuxTimeout: Error, CustomStringConvertible {
  var screen: String
  var description: String { "timed out; the screen was:\n\(screen)" }
}

/// The built `arcade` binary (the newer of release and debug), or nil.
func arcadeBinary() -> String? {
  let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  let candidates = ["release", "debug"].map { root.appendingPathComponent(".build/\($0)/arcade").path }
    .filter { FileManager.default.isExecutableFile(atPath: $0) }
  func modified(_ p: String) -> Date {
    (try? FileManager.default.attributesOfItem(atPath: p)[.modificationDate] as? Date) ?? .distantPast
  }
  return candidates.max { modified($0) < modified($1) }
}
