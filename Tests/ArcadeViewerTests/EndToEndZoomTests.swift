import Foundation
import Testing

/// Issue 18 item 2: on a large terminal the people's view is drawn 2× or 3×.
extension EndToEndTests {
  @Test func aLargeTerminalShowsThePixelViewAtTwiceTheSize() throws {
    guard let bin = setUp("zoom") else { return }
    let t = try TmuxDriver(width: 200, height: 70, name: "zoom")
    try t.type("\(bin) play maze --mode hard --seed 1 --turn-based")
    let s = try t.waitForSettled { $0.contains("step 0/500") }
    let rows = s.split(separator: "\n").filter { $0.contains("▀") }
    #expect(rows.count == 64)
    #expect(rows.allSatisfy { $0.filter { $0 == "▀" }.count == 128 })
    try quitAndCheckShell(t)
  }
}
