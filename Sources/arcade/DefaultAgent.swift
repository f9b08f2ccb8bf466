import Foundation

/// The trained agent that ships with ProcArcade (`agents/default/agent.safetensors`
/// in the repository), found next to the executable's checkout or the current
/// directory, or through $ARCADE_DEFAULT_AGENT.
enum DefaultAgent {
  static let relativePath = "agents/default/agent.safetensors"

  static func path() -> String? {
    let fm = FileManager.default
    if let p = ProcessInfo.processInfo.environment["ARCADE_DEFAULT_AGENT"], fm.fileExists(atPath: p) { return p }
    var starts = [URL(fileURLWithPath: fm.currentDirectoryPath)]
    if let exe = Bundle.main.executableURL { starts.append(exe.deletingLastPathComponent()) }
    for start in starts {
      var dir = start.standardizedFileURL
      for _ in 0..<6 {
        let candidate = dir.appendingPathComponent(relativePath).path
        if fm.fileExists(atPath: candidate) { return candidate }
        dir.deleteLastPathComponent()
      }
    }
    return nil
  }
}
