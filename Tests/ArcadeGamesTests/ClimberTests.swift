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

  @Test func jumpsThroughPlatformsAndLandsOnThem() throws {
    let e = try Platforms.env(Climber.self, Self.tower([
      "..........*.....",
      "......=====.....",
      "................",
      "................",
      "........A.......",
    ]), mode: .easy)
    let y0 = e.state.agent.y
    _ = e.step(Action(5))
    for _ in 0..<30 { _ = e.step(.noop) }
    #expect(abs(e.state.agent.y - (y0 + 4)) < 0.01, "stands on the platform 4 rows up: \(e.state.agent.y - y0)")
    let r1 = Platforms.run(e, 7, 4)
    let r2 = r1.done ? r1 : Platforms.run(e, 4, 30)
    #expect((r1.won || r2.won) && r1.reward + (r1.done ? 0 : r2.reward) == 11, "star +1, all stars +10")
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

  @Test func saveRestoreMidEpisode() throws {
    try Arena.checkSaveRestore("climber", .hard)
    try Arena.checkSaveRestore("climber", .easy, seed: 4)
  }

  @Test func handMadeLevelsLoad() throws {
    let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../levels/climber")
    let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".txt") }
    #expect(!files.isEmpty)
    for f in files {
      let text = try String(contentsOf: dir.appendingPathComponent(f), encoding: .utf8)
      let file = try LevelFile.parse(text, path: f).0
      let env = try makeEnv("climber", file.mode)
      try env.load(level: file)
    }
    do {
      _ = try Platforms.env(Climber.self, Self.tower(["........*.......", "......=====.....", "................",
        "................", "................", "................", "................", "................", "A..............."]), mode: .easy)
      Issue.record("no error")
    } catch { #expect("\(error)".contains("cannot be reached")) }
  }
}
