import Foundation
import Testing
import ArcadeCore
@testable import ArcadeGames

@Suite struct PlunderTests {
  static let hard = Plunder(options: GameOptions(mode: .hard))
  static let fire = Action(9)

  @Test func generatedLevelsAreSane() {
    for mode in [DistributionMode.easy, .hard] {
      let g = Plunder(options: GameOptions(mode: mode))
      for seed in 0..<UInt32(200) {
        let s = Arena.level(g, seed)
        #expect(s.targetColour != s.friendlyColour && s.timer == 1 && s.hits == 0)
        #expect(s.laneSpeeds.allSatisfy { abs($0) >= 0.15 && abs($0) <= 0.25 })
        #expect(mode == .hard ? s.panels.count <= 3 : s.panels.isEmpty)
        for p in s.panels { #expect(!p.overlaps(s.player) && p.y + p.ry < g.laneY[0] - 1) }
      }
    }
  }

  func ship(_ kind: Plunder.Kind, x: Float, y: Float) -> Entity {
    Entity(x: x, y: y, rx: 0.75, ry: 0.5, vx: 0.0001, kind: kind.rawValue)
  }

  @Test func targetAndFriendlyHitsAndTheTimer() {
    let g = Self.hard
    var s = Arena.level(g, 1)
    s.panels.removeAll()
    var rng = PCG32(seed: 1, stream: 1)
    s.player.x = 10
    // A shot costs 0.02 of the timer and starts a cooldown of 3 steps.
    var e = g.step(&s, action: Self.fire, rng: &rng)
    #expect(s.balls.count == 1 && abs(s.timer - (1 - 0.02 - 0.0015)) < 1e-6)
    _ = g.step(&s, action: Self.fire, rng: &rng)
    #expect(s.balls.count == 1)
    // A target ship in the ball's way.
    s.balls.removeAll(); s.ships.removeAll()
    s.timer = 0.5
    s.balls.append(Entity(x: 10, y: 9, r: 0.25, vy: 0.8, kind: 2))
    s.ships.append(ship(.target, x: 10, y: 10.5))
    e = g.step(&s, action: .noop, rng: &rng)
    #expect(e.reward == 1 && s.hits == 1 && abs(s.timer - (0.6 - 0.0015)) < 1e-5)
    // A friendly ship: no reward, 0.1 of the timer.
    s.balls.removeAll(); s.ships.removeAll()
    s.balls.append(Entity(x: 10, y: 9, r: 0.25, vy: 0.8, kind: 2))
    s.ships.append(ship(.friendly, x: 10, y: 10.5))
    let before = s.timer
    e = g.step(&s, action: .noop, rng: &rng)
    #expect(e.reward == 0 && s.hits == 1 && abs(s.timer - (before - 0.1 - 0.0015)) < 1e-5)
  }

  @Test func twentiethHitWinsAndTheTimerRunsOut() {
    let g = Self.hard
    var s = Arena.level(g, 2)
    s.panels.removeAll()
    var rng = PCG32(seed: 1, stream: 1)
    s.hits = 19
    s.balls.append(Entity(x: 5, y: 9, r: 0.25, vy: 0.8, kind: 2))
    s.ships.append(ship(.target, x: 5, y: 10.5))
    let e = g.step(&s, action: .noop, rng: &rng)
    #expect(e.reward == 11 && e.outcome == .won)
    var t = Arena.level(g, 3)
    var steps = 0
    while steps < 2000 {
      steps += 1
      if g.step(&t, action: .noop, rng: &rng).outcome == .died { break }
    }
    #expect(steps == 667, "1 / 0.0015 steps")
  }

  @Test func panelsStopCannonballs() {
    let g = Self.hard
    var s = Arena.level(g, 4)
    var rng = PCG32(seed: 1, stream: 1)
    s.panels.removeAll()
    s.panels.append(Entity(x: 10, y: 6, rx: 1, ry: 0.4, kind: 3))
    s.balls.append(Entity(x: 10, y: 5, r: 0.25, vy: 0.8, kind: 2))
    _ = g.step(&s, action: .noop, rng: &rng)
    #expect(s.balls.isEmpty)
  }
}
