import Foundation
import Testing
import ArcadeCore
@testable import ArcadeGames

@Suite struct ChaserTests {
  typealias T = Chaser.Tile

  static func env(_ mode: DistributionMode = .easy) throws -> GameEnv<Chaser> {
    try GameEnv<Chaser>(config: EnvConfig(game: "chaser", options: GameOptions(mode: mode)))
  }

  @Test(arguments: [DistributionMode.easy, .hard, .extreme])
  func generatedMazesAreConnectedAndOrbsReachable(mode: DistributionMode) {
    let g = Chaser(options: GameOptions(mode: mode))
    let n = g.worldSide
    for seed in 0..<UInt32(300) {
      let s = Arena.level(g, seed)
      let a = s.agent.cell
      #expect(s.tiles[a.y * n + a.x] == T.floor)
      let dist = GridSearch.distances(width: n, height: n, from: a.y * n + a.x) { s.tiles[$0] != T.wall }
      for i in 0..<(n * n) where s.tiles[i] != T.wall { #expect(dist[i] >= 0, "seed \(seed): cell \(i) unreachable") }
      // No dead ends among the rooms.
      for y in stride(from: 0, to: n, by: 2) {
        for x in stride(from: 0, to: n, by: 2) {
          let open = [(1, 0), (-1, 0), (0, 1), (0, -1)].filter { d in
            let nx = x + d.0, ny = y + d.1
            return nx >= 0 && ny >= 0 && nx < n && ny < n && s.tiles[ny * n + nx] != T.wall
          }.count
          #expect(open >= 2, "seed \(seed): dead end at \(x),\(y)")
        }
      }
      #expect(s.enemies.count == (mode == .extreme ? 5 : 3))
      for e in s.enemies {
        #expect(e.kind == Chaser.Kind.egg.rawValue && !e.overlaps(s.agent))
        #expect(abs(e.cell.x - a.x) + abs(e.cell.y - a.y) >= n / 2)
      }
      let power = s.tiles.filter { $0 == T.power }.count
      #expect(power == 4 + (mode == .easy ? 0 : mode == .hard ? -1 : 1))
      #expect(s.orbsLeft == s.tiles.filter { $0 == T.orb }.count && s.orbsLeft > 20)
    }
  }

  @Test func handMadeLevelLoadsAndExportsBack() throws {
    let text = try String(contentsOfFile: "levels/chaser/pillbox.txt", encoding: .utf8)
    let file = try LevelFile.parse(text, path: "pillbox.txt").0
    let e = try Self.env(file.mode)
    try e.load(level: file)
    #expect(e.state.enemies.count == 3 && e.state.theme == 1)
    #expect(e.exportLevel()!.map == file.map)
  }

  @Test func unreachableOrbsAndMissingPiecesAreReported() throws {
    let e = try Self.env(.easy)
    let rows = ["A.#.", "..#E", "###.", "o.#."]
    do {
      try e.load(level: LevelFile(game: "chaser", mode: .easy, seed: nil, map: LevelMap(rows: rows.map(Array.init))))
      Issue.record("no error")
    } catch {
      #expect(error.problems.contains { $0.message.contains("cannot be reached") && $0.row != nil })
    }
    do {
      try e.load(level: LevelFile(game: "chaser", mode: .easy, seed: nil, map: LevelMap(rows: [Array("..x")])))
      Issue.record("no error")
    } catch {
      #expect(error.problems.contains { $0.message.contains("unknown map character") && $0.column == 2 })
      #expect(error.problems.contains { $0.message.contains("no agent start") })
    }
  }

  /// A 11×11 corridor level: agent at the left end of row y = 5.
  static func corridor(_ row: String) throws -> GameEnv<Chaser> {
    var rows = Array(repeating: String(repeating: "#", count: 11), count: 11)
    rows[5] = row
    rows[0] = "E__########"
    let e = try env(.easy)
    try e.load(level: LevelFile(game: "chaser", mode: .easy, seed: nil, map: LevelMap(rows: rows.map(Array.init))))
    return e
  }

  @Test func orbsPayAndKeepMoving() throws {
    let e = try Self.corridor("A...o......")
    #expect(e.state.orbsLeft == 9)
    // One press keeps the agent moving right at half a cell per step.
    var total: Float = 0
    var r = e.step(Action(7))
    total += r.reward
    for _ in 0..<7 { r = e.step(.noop); total += r.reward }
    #expect(e.state.agent.x == 4.5)
    #expect(abs(total - 0.16) < 1e-5)  // three small orbs and the power orb
    #expect(e.state.vulnerable > 0)
  }

  @Test func vulnerableEnemiesAreEatenAndReplacedByEggs() throws {
    let e = try Self.corridor("A..........")
    var s = e.state
    s.enemies.removeAll()
    s.enemies.append(Entity(x: 2.5, y: 5.5, r: Chaser.half, kind: Chaser.Kind.enemy.rawValue))
    s.vulnerable = 50
    let g = e.game
    var rng = PCG32(seed: 1, stream: 1)
    var t = s
    for _ in 0..<20 where t.enemies[0].kind == Chaser.Kind.enemy.rawValue {
      #expect(g.step(&t, action: Action(7), rng: &rng).outcome == .running)
    }
    #expect(t.enemies.count == 1 && t.enemies[0].kind == Chaser.Kind.egg.rawValue)
    // Not vulnerable: touching it is death.
    t = s
    t.vulnerable = 0
    var out = g.step(&t, action: Action(7), rng: &rng).outcome
    if out == .running { out = g.step(&t, action: Action(7), rng: &rng).outcome }
    #expect(out == .died)
  }

  @Test func eatingTheLastOrbWins() throws {
    let e = try Self.corridor("A.#########")
    var s = e.state
    s.tiles = s.tiles.map { $0 == T.orb ? T.floor : $0 }
    s.tiles[5 * 11 + 1] = T.orb
    s.orbsLeft = 1
    var rng = PCG32(seed: 1, stream: 1)
    var r = e.game.step(&s, action: Action(7), rng: &rng)
    if r.outcome == .running { r = e.game.step(&s, action: .noop, rng: &rng) }
    #expect(r.outcome == .won && abs(r.reward - 10.04) < 1e-5)
  }

  @Test func eggsHatchAfter50Steps() throws {
    let e = try Self.corridor("A..........")
    for _ in 0..<49 { _ = e.step(.noop) }
    #expect(e.state.enemies[0].kind == Chaser.Kind.egg.rawValue)
    _ = e.step(.noop)
    #expect(e.state.enemies[0].kind == Chaser.Kind.enemy.rawValue)
  }
}
