// Generated levels in figures: every level of the games with a reachability check passes it, and no
// level ends on the first step whatever the action (ProcGen's jumper does so for ~7% of seeds).
import ArcadeCore
import ArcadeGames
import Testing

@Suite struct LevelStatsTests {
  static let checked = ["heist", "miner", "coinrun", "climber", "jumper", "ninja", "caveflyer"]

  @Test(arguments: checked, [DistributionMode.easy, .hard])
  func generatedLevelsPassTheirReachabilityCheck(_ game: String, _ mode: DistributionMode) throws {
    let c = try LevelStats.count(game: game, mode: mode, seeds: Array(0..<300))
    #expect(c.solvable == 300, "\(game) \(mode): \(c.solvable ?? -1) of 300 pass")
    #expect(c.endAtOnce == 0)
  }

  /// Hard ninja seed 11362 drew a ledge so high that the wall fill below it started past the map's
  /// top and trapped (found by `levels overlap` over 100,000 seeds).
  @Test func ninjaSeedWhoseLedgeFillStartsAboveTheMap() throws {
    let c = try LevelStats.count(game: "ninja", mode: .hard, seeds: [11362])
    #expect(c.levels == 1 && c.solvable == 1)
  }

  @Test func gamesWithoutACheckSayNil() throws {
    let c = try LevelStats.count(game: "bigfish", mode: .easy, seeds: Array(0..<20))
    #expect(c.solvable == nil && c.levels == 20 && c.endAtOnce == 0)
  }
}
