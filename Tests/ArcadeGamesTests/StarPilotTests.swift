import Foundation
import Testing
import ArcadeCore
@testable import ArcadeGames

@Suite struct StarPilotTests {
  typealias K = StarPilot.Kind

  @Test func generatedSchedulesAreSane() {
    for mode in [DistributionMode.easy, .hard, .extreme] {
      let g = StarPilot(options: GameOptions(mode: mode))
      for seed in 0..<UInt32(100) {
        let s = Arena.level(g, seed)
        #expect(s.objects.isEmpty && s.time == 0)
        #expect(s.schedule.count > 10)
        let times = s.schedule.map { Int($0.timer) }
        // Groups of up to five, 5 steps apart, from the last start at step 500 or before.
        #expect(times == times.sorted() && times.first! >= 11 && times.last! <= 520)
        for e in s.schedule {
          #expect(e.y - e.ry >= 0 && e.y + e.ry <= 16)
          #expect(!e.overlaps(s.player))
          if mode == .easy { #expect(e.kind == K.flyer.rawValue && e.vx < 0) }
        }
      }
    }
  }

  @Test func shotsDestroyEnemiesByHealth() {
    let g = StarPilot(options: GameOptions(mode: .hard))
    var s = Arena.level(g, 1)
    s.schedule.removeAll()
    var rng = PCG32(seed: 1, stream: 1)
    s.player.x = 2; s.player.y = 8
    s.objects.append(Entity(x: 4, y: 8, rx: 0.5, ry: 0.5, vx: 0, kind: K.flyer.rawValue, health: 2, a: 1000))
    var total: Float = 0
    for _ in 0..<4 { total += g.step(&s, action: Action(9), rng: &rng).reward }
    #expect(total == 1 && s.objects.isEmpty)
    // Firing left (A) sends the bullet left.
    _ = g.step(&s, action: Action(10), rng: &rng)
    #expect(s.shots.last!.vx < 0)
  }

  @Test func enemiesAndBulletsKillCloudsDoNot() {
    let g = StarPilot(options: GameOptions(mode: .hard))
    var s = Arena.level(g, 2)
    s.schedule.removeAll()
    var rng = PCG32(seed: 1, stream: 1)
    s.objects.append(Entity(x: s.player.x, y: s.player.y, rx: 2, ry: 1, kind: K.cloud.rawValue))
    #expect(g.step(&s, action: .noop, rng: &rng).outcome == .running)
    s.enemyShots.append(Entity(x: s.player.x, y: s.player.y, r: 0.2, kind: K.enemyShot.rawValue))
    #expect(g.step(&s, action: .noop, rng: &rng).outcome == .died)
  }

  @Test func finishLineAppearsAtStep500() {
    let g = StarPilot(options: GameOptions(mode: .easy))
    var s = Arena.level(g, 3)
    s.schedule.removeAll()
    var rng = PCG32(seed: 1, stream: 1)
    for _ in 0..<499 { _ = g.step(&s, action: Action(7), rng: &rng) }
    #expect(!s.objects.contains { $0.kind == K.finish.rawValue })
    var e = g.step(&s, action: Action(7), rng: &rng)
    #expect(s.objects.contains { $0.kind == K.finish.rawValue })
    var steps = 0
    while e.outcome == .running && steps < 100 { e = g.step(&s, action: Action(7), rng: &rng); steps += 1 }
    #expect(e.outcome == .won && e.reward == 10)
  }

  /// Issue 18's repro: five shots from the ship's starting height are in the glyph
  /// view ("@@-----") and must be in the frame agents see (they were not: 0.96 px tall
  /// boxes rounded to zero rows at that height).
  @Test func shotsFromTheStartingHeightAreInTheFrame() throws {
    let env = try Catalog.make(EnvConfig(game: "starpilot", options: GameOptions(mode: .hard)))
    env.reset(levelSeed: 1)
    for _ in 0..<5 { _ = env.step(Action(9)) }
    let glyphRows = env.glyphs().text().split(separator: "\n")
    #expect(glyphRows.contains { $0.contains("@@-") })
    // Shot yellow; no enemy (whose eyes share it) appears before step 10.
    let frame = env.rgb()
    let shotPixels = stride(from: 0, to: frame.count, by: 3).filter { frame[$0] == 0xff && frame[$0 + 1] == 0xee && frame[$0 + 2] == 0x58 }
    #expect(shotPixels.count >= 5)
  }
}
