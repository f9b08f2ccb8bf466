import Foundation
import Testing
import ArcadeCore
@testable import ArcadeGames

@Suite struct JumperTests {
  /// A room: `rows` inside walls (easy world is 20×20; the map is centred, walls around).
  static func room(_ rows: [String]) -> [String] {
    let w = rows[0].count + 2
    return [String(repeating: "#", count: w)] + rows.map { "#" + $0 + "#" } + [String(repeating: "#", count: w)]
  }

  @Test(arguments: [DistributionMode.easy, .hard, .memory, .exploration])
  func generatedCavesAreSolvable(mode: DistributionMode) {
    let g = Jumper(options: GameOptions(mode: mode))
    let seeds: [UInt32] = mode == .exploration ? [Jumper.descriptor.explorationSeed!] : (0..<500).map { UInt32($0) }
    for seed in seeds {
      let s = Arena.level(g, seed)
      #expect(Jumper.solvable(s), "seed \(seed): carrot unreachable")
      if mode == .memory { #expect(!s.tiles.contains(Jumper.Tile.spike)) }
    }
  }

  @Test func doubleJumpRisesHigherThanOneJump() throws {
    let rows = Self.room(Array(repeating: "..........", count: 12) + ["A........C"])
    let one = try Platforms.env(Jumper.self, rows, mode: .easy)
    let y0 = one.state.agent.y
    var peak1 = y0
    _ = one.step(Action(5))
    for _ in 0..<15 { _ = one.step(.noop); peak1 = max(peak1, one.state.agent.y) }
    #expect(peak1 - y0 > 3.3 && peak1 - y0 < 4.2, "single jump \(peak1 - y0)")
    let two = try Platforms.env(Jumper.self, rows, mode: .easy)
    var peak2 = y0
    _ = two.step(Action(5))
    for _ in 0..<5 { _ = two.step(.noop) }
    _ = two.step(Action(5))
    for _ in 0..<15 { _ = two.step(.noop); peak2 = max(peak2, two.state.agent.y) }
    #expect(peak2 - y0 > 6, "double jump \(peak2 - y0)")
    // A third jump in the air does nothing.
    let three = try Platforms.env(Jumper.self, rows, mode: .easy)
    _ = three.step(Action(5))
    for _ in 0..<4 { _ = three.step(.noop) }
    _ = three.step(Action(5))
    for _ in 0..<4 { _ = three.step(.noop) }
    let vy = three.state.agent.vy
    _ = three.step(Action(5))
    #expect(three.state.agent.vy < vy && three.state.jumps == 0)
    // The cooldown: pressing up on consecutive steps uses only one jump.
    let hold = try Platforms.env(Jumper.self, rows, mode: .easy)
    _ = hold.step(Action(5)); _ = hold.step(Action(5))
    #expect(hold.state.jumps == 1)
  }

  @Test func spikesKillAndTheCarrotWins() throws {
    let spike = try Platforms.env(Jumper.self, Self.room(["..........", "A...^....C"]), mode: .easy)
    #expect(Platforms.run(spike, 7, 40) == (0, true, false))
    let carrot = try Platforms.env(Jumper.self, Self.room(["..........", "A........C"]), mode: .easy)
    let r = Platforms.run(carrot, 7, 60)
    #expect(r.won && r.reward == 10)
  }

  @Test func compassAndCameraDependOnMode() throws {
    let rows = Self.room(["..........", "A........C"])
    let e = try Platforms.env(Jumper.self, rows, mode: .easy)
    let a = e.rgb()
    Platforms.run(e, 7, 5)
    #expect(e.rgb() != a)
    // The compass is drawn top-left (a black panel) except in memory mode.
    let px = e.rgb()
    #expect(px[(2 * 64 + 2) * 3] == 0 && px[(2 * 64 + 2) * 3 + 1] == 0)
  }

  @Test func exportedLevelsRoundTrip() throws {
    try Platforms.checkRoundTrip("jumper", .hard, count: 50)
    try Platforms.checkRoundTrip("jumper", .memory, count: 20)
  }

  /// (Hand-made levels load in HandMadeLevelTests.)
  @Test func unreachableCarrotIsReported() throws {
    do {
      _ = try Platforms.env(Jumper.self, Self.room(["....C.....", "..........", "..........", "..........", "..........",
                                                    "..........", "..........", "..........", "A........."]), mode: .easy)
      Issue.record("no error")
    } catch { #expect("\(error)".contains("cannot be reached")) }
  }
}
