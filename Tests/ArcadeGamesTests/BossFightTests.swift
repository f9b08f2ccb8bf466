import Foundation
import Testing
import ArcadeCore
@testable import ArcadeGames

@Suite struct BossFightTests {
  static let hard = BossFight(options: GameOptions(mode: .hard))

  @Test func generatedLevelsAreSane() {
    for mode in [DistributionMode.easy, .hard] {
      let g = BossFight(options: GameOptions(mode: mode))
      for seed in 0..<UInt32(300) {
        let s = Arena.level(g, seed)
        #expect((1...9).contains(s.roundHealth))
        let rounds = Int(s.boss.body.health) / s.roundHealth
        #expect(Int(s.boss.body.health) % s.roundHealth == 0 && (1...5).contains(rounds))
        #expect(s.boss.shielded && !s.boss.body.touchesCircle(s.player))
        #expect((1...3).contains(s.barriers.count))
        for b in s.barriers { #expect(!b.touchesCircle(s.player) && !b.overlaps(s.player, margin: 0.5)) }
        #expect((2...(mode == .easy ? 3 : 5)).contains(s.boss.legsLeft))
      }
    }
  }

  @Test func shieldDeflectsThenDropsAndRoundsPay() {
    let g = Self.hard
    var s = Arena.level(g, 5)
    var rng = PCG32(seed: 1, stream: 1)
    s.barriers.removeAll()
    s.roundHealth = 2
    s.boss.body.health = 4
    // A shot into the shield is deflected.
    s.shots.append(Entity(x: s.boss.body.x, y: s.boss.body.y - 3.2, rx: 0.15, ry: 0.35, vy: 1, kind: 0, life: 25))
    s.player = Entity(x: 1, y: 1, r: 0.5)
    s.bossShots.removeAll()
    _ = g.step(&s, action: .noop, rng: &rng)
    #expect(s.shots.allSatisfy { $0.kind == BossFight.Kind.deflected.rawValue })
    #expect(s.boss.body.health == 4)
    // Unshielded: two hits complete a round (+1), then shield and flash.
    s.boss.shielded = false
    var reward: Float = 0
    for _ in 0..<2 {
      s.bossShots.removeAll()
      s.shots.removeAll()
      s.shots.append(Entity(x: s.boss.body.x, y: s.boss.body.y - 3, rx: 0.15, ry: 0.35, vy: 0, kind: 0, life: 25))
      reward += g.step(&s, action: .noop, rng: &rng).reward
    }
    #expect(reward == 1 && s.boss.shielded && s.boss.flash > 0 && s.boss.body.health == 2)
    // Last round: +1 and +10, won.
    s.boss.shielded = false; s.boss.flash = 0
    var last = StepEvents()
    for _ in 0..<2 {
      s.bossShots.removeAll()
      s.shots.removeAll()
      s.shots.append(Entity(x: s.boss.body.x, y: s.boss.body.y - 3, rx: 0.15, ry: 0.35, vy: 0, kind: 0, life: 25))
      last = g.step(&s, action: .noop, rng: &rng)
    }
    #expect(last.reward == 11 && last.outcome == .won)
  }

  @Test func shieldDropsAfterItsLegs() {
    let g = Self.hard
    var s = Arena.level(g, 6)
    var rng = PCG32(seed: 1, stream: 1)
    let legs = s.boss.legsLeft
    var t = 0
    while s.boss.shielded && t < 1000 {
      s.bossShots.removeAll()
      s.player = Entity(x: 0.5, y: 0.5, r: 0.5)
      _ = g.step(&s, action: .noop, rng: &rng)
      t += 1
    }
    #expect(t == legs * BossFight.legSteps + 1)
  }

  @Test func bossBulletsAndBarriersKill() {
    let g = Self.hard
    var s = Arena.level(g, 7)
    var rng = PCG32(seed: 1, stream: 1)
    s.bossShots.append(Entity(x: s.player.x, y: s.player.y, r: 0.3, kind: 2))
    #expect(g.step(&s, action: .noop, rng: &rng).outcome == .died)
    s = Arena.level(g, 7)
    let b = s.barriers[0]
    s.player = Entity(x: b.x, y: b.y, r: 0.5)
    #expect(g.step(&s, action: .noop, rng: &rng).outcome == .died)
  }
}
