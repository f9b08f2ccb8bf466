import Foundation
import Glibc
import Testing
@testable import ArcadeBase

@Suite struct AtomicFileTests {
  func scratchDirectory() -> String {
    var template = Array("/tmp/atomicfile-test-XXXXXX".utf8CString)
    return String(cString: mkdtemp(&template)!)
  }

  @Test func readStopsJustPastTheLimit() throws {
    // /dev/zero never ends: only a bounded read returns.
    #expect(throws: ArcadeError("/dev/zero: larger than 1 KB, the limit for this kind of file")) {
      _ = try AtomicFile.read("/dev/zero", limit: 1024)
    }
    let dir = scratchDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try AtomicFile.write([UInt8](repeating: 7, count: 1024), to: dir + "/exact")
    #expect(try AtomicFile.read(dir + "/exact", limit: 1024).count == 1024)
    #expect(try AtomicFile.read(dir + "/exact").count == 1024)   // no limit
    #expect(throws: ArcadeError.self) { _ = try AtomicFile.read(dir + "/exact", limit: 1023) }
  }

  @Test func staleTemporariesOfDeadWritersAreRemoved() throws {
    let dir = scratchDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    // No process has PID 2^31 - 2 (Linux PIDs stay below 2^22).
    let names = ["checkpoint.safetensors.tmp-2147483646", "agent.safetensors.tmp-\(getpid())",
                 "checkpoint.safetensors", "notes.tmp-", "x.tmp-12ab"]
    for n in names { try AtomicFile.write([1], to: dir + "/" + n) }
    #expect(AtomicFile.removeStaleTemporaries(in: dir) == ["checkpoint.safetensors.tmp-2147483646"])
    for n in names.dropFirst() { #expect(access(dir + "/" + n, F_OK) == 0, "\(n) kept") }
    #expect(access(dir + "/" + names[0], F_OK) != 0)
  }
}
