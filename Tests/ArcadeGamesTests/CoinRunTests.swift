import Foundation
import Testing
import ArcadeCore
@testable import ArcadeGames

@Suite struct CoinRunTests {
  typealias T = CoinRun.Tile

  /// A 16-wide strip: sky, a floor row, ground below; `row` is the floor-level row (agent's row).
  static func strip(_ row: String, above: [String] = [], floor: String? = nil) -> [String] {
    let w = row.count
    var rows = Array(repeating: String(repeating: ".", count: w), count: 8 - above.count) + above
    rows.append(row)
    rows.append(floor ?? String(repeating: "#", count: w))
    return rows
  }

  @Test(arguments: [DistributionMode.easy, .hard, .exploration])
  func generatedLevelsAreSolvable(mode: DistributionMode) {
    let g = CoinRun(options: GameOptions(mode: mode))
    let seeds: [UInt32] = mode == .exploration ? [CoinRun.descriptor.explorationSeed!] : (0..<500).map { UInt32($0) }
    var lengths = 0
    for seed in seeds {
      let s = Arena.level(g, seed)
      #expect(CoinRun.solvable(s), "seed \(seed) unsolvable")
      #expect(s.tiles.filter { $0 == T.coin }.count == 1)
      let a = s.agent.cell
      #expect(s.tiles[a.y * 64 + a.x] == T.empty && s.tiles[(a.y - 1) * 64 + a.x] == T.ground)
      lengths += s.tiles.firstIndex(of: T.coin)! % 64
    }
    if mode != .exploration { #expect(lengths / seeds.count >= 10) }
  }

  @Test func jumpRisesAboutSixCellsAndOnlyFromTheGround() throws {
    let e = try Platforms.env(CoinRun.self, Self.strip("A..............G"))
    let y0 = e.state.agent.y
    var peak = y0
    _ = e.step(Action(5))
    for _ in 0..<20 { _ = e.step(Action(5)); peak = max(peak, e.state.agent.y) }
    #expect(peak - y0 > 5.5 && peak - y0 < 6.5, "rise \(peak - y0)")
    // Up in mid-air does not jump again.
    let f = try Platforms.env(CoinRun.self, Self.strip("A..............G"))
    _ = f.step(Action(5)); _ = f.step(.noop); _ = f.step(.noop)
    let vy = f.state.agent.vy
    _ = f.step(Action(5))
    #expect(f.state.agent.vy < vy)
  }

  @Test func runningRightReachesTheCoin() throws {
    let e = try Platforms.env(CoinRun.self, Self.strip("A.........=....G"))
    let r = Platforms.run(e, 7, 100)
    #expect(r.won && r.reward == 10)
  }

  @Test func sawsLavaAndWalkersKill() throws {
    let saw = try Platforms.env(CoinRun.self, Self.strip("A....^.........G"))
    #expect(Platforms.run(saw, 7, 60) == (0, true, false))
    let lava = try Platforms.env(CoinRun.self, Self.strip("A..............G", floor: "#####~~~########"))
    #expect(Platforms.run(lava, 7, 60) == (0, true, false))
    let walker = try Platforms.env(CoinRun.self, Self.strip("A.....e........G"))
    #expect(Platforms.run(walker, 4, 80) == (0, true, false))
    // Jumping over the saw with a run-up clears it.
    let over = try Platforms.env(CoinRun.self, Self.strip("A......^.......G"))
    Platforms.run(over, 7, 6)
    #expect(Platforms.run(over, 8, 2).done == false)
    #expect(Platforms.run(over, 7, 80).won)
  }

  @Test func walkersTurnAtBarriersAndLedges() throws {
    let e = try Platforms.env(CoinRun.self, Self.strip("A.|..E..|......G", floor: "################"))
    for _ in 0..<200 {
      _ = e.step(.noop)
      let x = e.state.enemies[0].x
      #expect(x > 27 && x < 32, "map column \(x - 24)")
    }
  }

  @Test func cratesHoldFromAboveAndDownDropsThrough() throws {
    // The agent stands on a crate one row up.
    let e = try Platforms.env(CoinRun.self, Self.strip("...............G", above: ["A..............."],
                                                         floor: "################").map { $0 }.enumerated().map { i, r in
      i == 8 ? "=" + r.dropFirst() : r })
    let y0 = e.state.agent.y
    Platforms.run(e, 4, 5)
    #expect(abs(e.state.agent.y - y0) < 0.01, "rests on the crate")
    Platforms.run(e, 3, 6)
    #expect(e.state.agent.y < y0 - 0.9, "dropped through")
    // Jumping up through a crate lands on top of it.
    let j = try Platforms.env(CoinRun.self, Self.strip("A..............G", above: ["..=............."]))
    Platforms.run(j, 7, 2)
    Platforms.run(j, 8, 3)
    Platforms.run(j, 4, 20)
    #expect(j.state.agent.y > j.state.agent.ry + 2.5)
  }

  @Test func cameraFollowsTheAgentOrShowsTheLevel() throws {
    let centred = try Platforms.env(CoinRun.self, Self.strip("A..............G"))
    let a = centred.rgb()
    Platforms.run(centred, 7, 10)
    #expect(centred.rgb() != a)
    #expect(CoinRun.descriptor.cameraChoice)
    let whole = try Platforms.env(CoinRun.self, Self.strip("A..............G"), centerAgent: false)
    #expect(whole.rgb() != a)
  }

  @Test func exportedLevelsRoundTrip() throws {
    try Platforms.checkRoundTrip("coinrun", .hard)
    try Platforms.checkRoundTrip("coinrun", .easy)
  }

  /// (Save and restore mid-episode: SuiteTests.restoringAtAnyStepReproducesTheRestOfTheRollout.)
  @Test func outOfRangeThemeIsRejected() throws {
    let env = try makeEnv("coinrun", .hard)
    var bad = env.saveState()
    bad[bad.count - 6] = 0x7f   // theme out of range
    #expect(throws: ArcadeError.self) { try env.restoreState(bad) }
  }

  /// (Hand-made levels load in HandMadeLevelTests.)
  @Test func unreachableCoinIsReported() throws {
    // An unreachable coin is reported at its map position.
    do {
      _ = try Platforms.env(CoinRun.self, Self.strip("A.....#########G", above: Array(repeating: "......##########", count: 6)))
      Issue.record("no error")
    } catch {
      #expect("\(error)".contains("cannot be reached"))
    }
  }

  /// A simple scripted player: run right, jump when something is in the way.
  @Test func aScriptedRunnerWinsManyLevels() throws {
    let env = try GameEnv<CoinRun>(config: EnvConfig(game: "coinrun", options: GameOptions(mode: .easy)))
    var wins = 0
    for seed in UInt32(0)..<40 {
      env.reset(levelSeed: seed)
      for _ in 0..<300 {
        let s = env.state
        let c = s.agent.cell
        func t(_ dx: Int, _ dy: Int) -> UInt8 { CoinRun.tile(s.tiles, c.x + dx, c.y + dy) }
        var danger = false
        for dx in 1...3 where [T.ground, T.saw].contains(t(dx, 0)) || [T.lava, T.saw].contains(t(dx, -1)) || t(dx, -1) == T.empty { danger = true }
        for e in s.enemies where e.x > s.agent.x && e.x - s.agent.x < 3 { danger = true }
        let r = env.step(Action(danger ? 8 : 7))
        if r.done { if r.reward > 0 { wins += 1 }; break }
      }
    }
    #expect(wins >= 20, "wins \(wins) of 40")
  }
}
