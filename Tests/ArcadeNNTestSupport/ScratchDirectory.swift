// A temporary directory of one test, removed with it (tests run in parallel, so each gets its own).
import Foundation

package final class ScratchDirectory {
  package let path: String

  package init(_ prefix: String) {
    path = NSTemporaryDirectory() + "\(prefix)-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }
}
