import Foundation
import Testing
import ArcadeCore
@testable import ArcadeGames

@Suite struct DodgeBallTests {
  typealias T = DodgeBall.Tile

  static func env(_ mode: DistributionMode = .hard) throws -> GameEnv<DodgeBall> {
    try GameEnv<DodgeBall>(config: EnvConfig(game: "dodgeball", options: GameOptions(mode: mode)))
  }

  @Test(arguments: [DistributionMode.easy, .hard, .extreme, .memory])
  func generatedRoomsAreSane(mode: DistributionMode) {
    let g = DodgeBall(options: GameOptions(mode: mode))
    let n = g.worldSide
    for seed in 0..<UInt32(mode == .memory ? 100 : 300) {
      let s = Arena.level(g, seed)
      #expect(g.reachable(s).isEmpty, "seed \(seed): door or an enemy unreachable")
      #expect(s.tiles.filter { $0 == T.door }.count == 2)
      // The door is on the outer wall.
      for i in 0..<(n * n) where s.tiles[i] == T.door {
        let x = i % n, y = i / n
        #expect(x == 0 || y == 0 || x == n - 1 || y == n - 1)
      }
      #expect(g.enemyRange.contains(s.enemies.count))
      #expect(!g.touches(s, s.agent) { $0 != T.floor })
      for e in s.enemies {
        #expect(!e.overlaps(s.agent) && !g.touches(s, e) { $0 != T.floor })
      }
    }
  }

  static func room(_ rows: [String], mode: DistributionMode = .hard) throws -> GameEnv<DodgeBall> {
    let e = try env(mode)
    try e.load(level: LevelFile(game: "dodgeball", mode: mode, seed: nil, map: LevelMap(rows: rows.map(Array.init))))
    return e
  }

  /// A 20×20 room walled round (door in the top wall), plain floor inside;
  /// with `lavaLeft`, the left wall is lava instead.
  static func plainRoom(agent: (Int, Int), enemy: (Int, Int), lavaLeft: Bool = false) -> [String] {
    var rows = [String(repeating: "W", count: 8) + "DD" + String(repeating: "W", count: 10)]
    for _ in 0..<18 { rows.append((lavaLeft ? "#" : "W") + String(repeating: ".", count: 18) + "W") }
    rows.append(String(repeating: "W", count: 20))
    func put(_ p: (Int, Int), _ c: Character) {
      var r = Array(rows[19 - p.1]); r[p.0] = c; rows[19 - p.1] = String(r)
    }
    put(agent, "A"); put(enemy, "E")
    return rows
  }

  @Test func ballHitsPayAndTheDoorOpens() throws {
    let e = try Self.room(Self.plainRoom(agent: (3, 10), enemy: (12, 10)))
    // Facing right by default. ProcGen's first throw comes at step 7: throw then.
    var total: Float = 0
    for _ in 0..<6 { #expect(e.step(Action(9)).reward == 0) }
    #expect(e.state.balls.isEmpty)
    var r = e.step(Action(9))
    #expect(e.state.balls.count == 1)
    total += r.reward
    for _ in 0..<30 where e.state.enemies.count > 0 { r = e.step(.noop); total += r.reward }
    #expect(total == 2 && e.state.enemies.isEmpty)
    #expect(e.state.tiles.filter { $0 == T.open }.count == 2)
    // Walk to the door: up then right.
    var won = false
    for t in 0..<200 {
      let a = e.state.agent
      let act: Action = a.x < 8.9 ? Action(8) : a.x > 9.1 ? Action(2) : Action(5)
      r = e.step(t % 2 == 0 ? act : .noop)
      if r.done { won = r.info.prevLevelComplete; break }
    }
    #expect(won && r.reward == 10)
  }

  @Test func closedDoorBlocksLavaAndEnemyBallsKill() throws {
    // Walk into the closed door: blocked, not dead.
    var e = try Self.room(Self.plainRoom(agent: (9, 17), enemy: (2, 2)))
    for _ in 0..<20 { #expect(!e.step(Action(5)).done) }
    #expect(e.state.agent.y < 19)
    // Walk into the outer wall: blocked, not dead.
    e = try Self.room(Self.plainRoom(agent: (3, 10), enemy: (15, 2)))
    for _ in 0..<20 { #expect(!e.step(Action(1)).done) }
    #expect(e.state.agent.x - e.state.agent.rx >= 1 - 0.01)
    // Walk into lava: dead.
    e = try Self.room(Self.plainRoom(agent: (3, 10), enemy: (15, 2), lavaLeft: true))
    var died = false
    for _ in 0..<30 { let r = e.step(Action(1)); if r.done { died = !r.info.prevLevelComplete; break } }
    #expect(died)
    // An enemy ball kills.
    let g = e.game
    var s = try Self.room(Self.plainRoom(agent: (5, 10), enemy: (15, 2))).state
    var rng = PCG32(seed: 1, stream: 1)
    s.balls.append(Entity(x: s.agent.x + 0.3, y: s.agent.y, rx: 0.2, ry: 0.2, kind: DodgeBall.Kind.enemyBall.rawValue, life: 50))
    #expect(g.step(&s, action: .noop, rng: &rng).outcome == .died)
  }

  @Test func enemiesThrowWhenAligned() throws {
    let e = try Self.room(Self.plainRoom(agent: (3, 10), enemy: (15, 10)))
    let g = e.game
    var s = e.state
    var rng = PCG32(seed: 1, stream: 1)
    // Walking left along the agent's row, the enemy stays aligned; ProcGen's enemies first throw at step 60.
    s.enemies[0].a = 1; s.enemies[0].timer = 1000
    var threwAt = -1
    for t in 1...70 {
      _ = g.step(&s, action: .noop, rng: &rng)
      if s.balls.contains(where: { $0.kind == DodgeBall.Kind.enemyBall.rawValue && $0.vx < 0 && $0.vy == 0 }) { threwAt = t; break }
    }
    #expect(threwAt == 60)
  }

  @Test func enemiesTurnBackAtWalls() throws {
    let e = try Self.room(Self.plainRoom(agent: (3, 10), enemy: (17, 5)))
    let g = e.game
    var s = e.state
    var rng = PCG32(seed: 1, stream: 1)
    // Walking right toward the wall at x = 19, with no change of direction due.
    s.enemies[0].a = 0; s.enemies[0].timer = 1000
    var turnedAt = -1
    for t in 1...40 {
      _ = g.step(&s, action: .noop, rng: &rng)
      if s.enemies[0].a == 1 { turnedAt = t; break }
    }
    #expect(turnedAt > 0 && s.enemies[0].x + s.enemies[0].rx <= 19)
  }

  @Test func aCorridorAsWideAsTheBodyPasses() throws {
    // Hard bodies are 1.5 wide: a 2-cell gap in a lava line lets the agent
    // through to the enemy and the door, a 1-cell gap does not.
    func rows(gap: Int) -> [String] {
      var r = Self.plainRoom(agent: (3, 3), enemy: (15, 15))
      r[19 - 10] = "W" + (1...18).map { (9..<(9 + gap)).contains($0) ? "." : "#" }.joined() + "W"
      return r
    }
    _ = try Self.room(rows(gap: 2))
    #expect(throws: LevelProblems.self) { _ = try Self.room(rows(gap: 1)) }
  }

  @Test func handMadeLevelLoadsAndProblemsAreReported() throws {
    let text = try String(contentsOfFile: "levels/dodgeball/crossfire.txt", encoding: .utf8)
    let file = try LevelFile.parse(text, path: "crossfire.txt").0
    let e = try Self.env(file.mode)
    try e.load(level: file)
    #expect(e.state.enemies.count == 5)
    #expect(e.exportLevel()!.map == file.map)
    // A walled-off door.
    var rows = Self.plainRoom(agent: (3, 3), enemy: (10, 10))
    rows[1] = "W" + String(repeating: "#", count: 18) + "W"
    do { _ = try Self.room(rows); Issue.record("no error") } catch let error as LevelProblems {
      #expect(error.problems.contains { $0.message.contains("door cannot be reached") && $0.row == 0 })
    }
  }
}
