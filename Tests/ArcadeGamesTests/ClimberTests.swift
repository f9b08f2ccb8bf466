import Foundation
import Testing
import ArcadeCore
@testable import ArcadeGames

@Suite struct ClimberTests {
  /// A 16-wide tower (easy width): `rows` on top of a ground row.
  static func tower(_ rows: [String]) -> [String] {
    rows + [String(repeating: "#", count: 16)]
  }

  @Test(arguments: [DistributionMode.easy, .hard, .exploration])
  func generatedTowersAreSolvable(mode: DistributionMode) {
    let g = Climber(options: GameOptions(mode: mode))
    let seeds: [UInt32] = mode == .exploration ? [Climber.descriptor.explorationSeed!] : (0..<500).map { UInt32($0) }
    var stars = 0
    for seed in seeds {
      let s = Arena.level(g, seed)
      #expect(Climber.solvable(s), "seed \(seed): a star is unreachable")
      #expect(!s.stars.isEmpty)
      for e in s.enemies { #expect(!e.overlaps(s.agent, margin: 1)) }
      stars += s.stars.count
    }
    if mode == .hard { #expect(Float(stars) / 500 > 1.5 && Float(stars) / 500 < 5) }
  }

  @Test func platformsAreSolidAndAreClimbedFromTheSide() throws {
    let rows = [
      "..........*.....",
      "......=====.....",
      "................",
      "................",
      "........A.......",
    ]
    // Under the platform a jump bumps the agent's head (ProcGen's platforms are walls).
    let e = try Platforms.env(Climber.self, Self.tower(rows), mode: .easy)
    let y0 = e.state.agent.y
    var peak = y0
    _ = e.step(Action(5))
    for _ in 0..<30 { _ = e.step(.noop); peak = max(peak, e.state.agent.y) }
    #expect(peak - y0 > 1.5 && peak - y0 < 2.2, "head bumped 3 rows up: \(peak - y0)")
    #expect(abs(e.state.agent.y - y0) < 0.01)
    // From beside it: run right, jump, land on top, walk to the star.
    var side = rows
    side[4] = "...A............"
    let f = try Platforms.env(Climber.self, Self.tower(side), mode: .easy)
    var total: Float = 0, stoodOnTop = false, won = false
    for k in 0..<60 where !won {
      let r = f.step(Action(k == 1 ? 8 : 7))
      total += r.reward
      won = r.done && r.reward > 0
      if abs(f.state.agent.y - (y0 + 4)) < 0.01 { stoodOnTop = true }
    }
    #expect(stoodOnTop, "stands on the platform 4 rows up")
    #expect(won && total == 11, "star +1, all stars +10: \(total)")
  }

  @Test func jumpHeightAndNoAirJump() throws {
    let e = try Platforms.env(Climber.self, Self.tower(["A..............*"]), mode: .easy)
    let y0 = e.state.agent.y
    var peak = y0
    for _ in 0..<12 { _ = e.step(Action(5)); peak = max(peak, e.state.agent.y) }
    #expect(peak - y0 > 5.5 && peak - y0 < 6.5)
    let f = try Platforms.env(Climber.self, Self.tower(["A..............*"]), mode: .easy)
    _ = f.step(Action(5)); _ = f.step(.noop)
    let vy = f.state.agent.vy
    _ = f.step(Action(5))
    #expect(f.state.agent.vy < vy)
  }

  @Test func enemiesPatrolAndKill() throws {
    let e = try Platforms.env(Climber.self, Self.tower(["..E.............", "................", "..A............*"]), mode: .easy)
    let x0 = e.state.enemies[0].x
    for _ in 0..<200 {
      _ = e.step(.noop)
      #expect(abs(e.state.enemies[0].x - x0) <= Climber.patrol + 0.2)
    }
    let k = try Platforms.env(Climber.self, Self.tower(["..A..e.........*"]), mode: .easy)
    #expect(Platforms.run(k, 4, 60) == (0, true, false))
  }

  @Test func cameraScrollsWithTheAgent() throws {
    let e = try Platforms.env(Climber.self, Self.tower(Array(repeating: "................", count: 30) + [
      "....====........", "................", "................", "................", "....A..........*"]), mode: .easy)
    let a = e.rgb()
    _ = e.step(Action(5))
    for _ in 0..<5 { _ = e.step(.noop) }
    #expect(e.rgb() != a)
  }

  @Test func exportedLevelsRoundTrip() throws {
    try Platforms.checkRoundTrip("climber", .hard)
    try Platforms.checkRoundTrip("climber", .easy)
  }

  /// (Hand-made levels load in HandMadeLevelTests.)
  @Test func unreachableStarIsReported() throws {
    do {
      _ = try Platforms.env(Climber.self, Self.tower(["........*.......", "......=====.....", "................",
        "................", "................", "................", "................", "................", "A..............."]), mode: .easy)
      Issue.record("no error")
    } catch { #expect("\(error)".contains("cannot be reached")) }
  }
}
