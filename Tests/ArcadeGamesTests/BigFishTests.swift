import Foundation
import Testing
import ArcadeCore
@testable import ArcadeGames

@Suite struct BigFishTests {
  static let hard = BigFish(options: GameOptions(mode: .hard))
  static let easy = BigFish(options: GameOptions(mode: .easy))

  @Test func generatedLevelsAreSane() {
    for (g, r) in [(Self.easy, Float(1)), (Self.hard, 0.5)] {
      for seed in 0..<UInt32(200) {
        let s = Arena.level(g, seed)
        #expect(s.player.rx == r && s.player.y == 1 + r)
        #expect(s.player.x >= r && s.player.x <= 20 - r)
        #expect(s.fish.isEmpty && s.eaten == 0)
      }
    }
  }

  @Test func eatingSmallerFishGrowsAndLargerFishKills() {
    let g = Self.hard
    var s = Arena.level(g, 1)
    var rng = PCG32(seed: 1, stream: 1)
    s.player = Entity(x: 10, y: 10, r: 0.5)
    s.fish.append(Entity(x: 10.3, y: 10, r: 0.4, vx: 0.0001, kind: 1))
    var e = g.step(&s, action: .noop, rng: &rng)
    #expect(e.reward == 1 && s.eaten == 1 && e.outcome == .running)
    #expect(abs(s.player.rx - (0.5 + 1.5 / 30)) < 1e-6)
    s.fish.removeAll()
    s.fish.append(Entity(x: 10.3, y: 10, r: 1.2, vx: 0.0001, kind: 1))
    e = g.step(&s, action: .noop, rng: &rng)
    #expect(e.outcome == .died)
  }

  @Test func thirtiethFishWins() {
    let g = Self.easy
    var s = Arena.level(g, 2)
    var rng = PCG32(seed: 1, stream: 1)
    s.player = Entity(x: 10, y: 10, r: 1.9)
    s.eaten = 29
    s.fish.append(Entity(x: 10, y: 10.5, r: 0.3, vx: 0.0001, kind: 1))
    let e = g.step(&s, action: .noop, rng: &rng)
    #expect(e.reward == 11 && e.outcome == .won)
  }

  @Test func fishSpawnAtTheEdgesAndCrossTheTank() throws {
    let env = try GameEnv<BigFish>(config: EnvConfig(game: "bigfish"))
    var seen = 0
    for _ in 0..<300 {
      let r = env.step(Action(4))
      if r.done { env.reset(levelSeed: nil) }
      for f in env.state.fish {
        #expect(f.rx >= 0.25 && f.rx <= 2.0)
        #expect(abs(f.vx) >= 0.15 && abs(f.vx) <= 0.4 && f.vy == 0)
        #expect(f.mirrored == (f.vx < 0))
        seen += 1
      }
    }
    #expect(seen > 0)
  }
}
