import Foundation
import Testing
import ArcadeCore
@testable import ArcadeGames

@Suite struct FruitBotTests {
  typealias T = FruitBot.Tile
  static let hard = FruitBot(options: GameOptions(mode: .hard))

  @Test(arguments: [DistributionMode.easy, .hard])
  func generatedCorridorsAreSane(mode: DistributionMode) {
    let g = FruitBot(options: GameOptions(mode: mode))
    var doors = 0
    for seed in 0..<UInt32(300) {
      let s = Arena.level(g, seed)
      let w = s.width
      #expect(w == (mode == .easy ? 10 : 20))
      var rows: [Int] = []
      for y in 0..<FruitBot.height where s.tiles[y * w] != T.empty || s.tiles[y * w + w - 1] != T.empty
        || (0..<w).contains(where: { s.tiles[y * w + $0] != T.empty }) {
        rows.append(y)
      }
      #expect(rows.last == FruitBot.height - 1)
      let walls = rows.dropLast()
      #expect(walls.count == (mode == .easy ? 5 : 10))
      for (a, b) in zip(walls, walls.dropFirst()) { #expect(b - a >= 4) }
      for y in walls {
        // Every wall has a gap (open or a locked door) at least two cells wide.
        let passable = (0..<w).filter { s.tiles[y * w + $0] != T.wall }.count
        #expect(passable >= 2)
        if (0..<w).contains(where: { s.tiles[y * w + $0] == T.lock }) { doors += 1; #expect(mode == .hard) }
      }
      let fruit = s.objects.count(kind: FruitBot.Kind.fruit.rawValue), junk = s.objects.count(kind: FruitBot.Kind.junk.rawValue)
      #expect((10...19).contains(fruit) && (10...19).contains(junk))
      for o in s.objects {
        #expect(!o.overlaps(s.robot))
        #expect(!walls.contains(Int(o.y.rounded(.down))))
      }
    }
    if mode == .hard { #expect(doors > 10) }
  }

  func blank() -> FruitBot.State {
    var s = Arena.level(Self.hard, 1)
    let w = s.width
    for i in 0..<(w * (FruitBot.height - 1)) { s.tiles[i] = T.empty }
    s.objects.removeAll()
    return s
  }

  @Test func fruitJunkAndPresents() {
    let g = Self.hard
    var s = blank()
    var rng = PCG32(seed: 1, stream: 1)
    s.objects.append(Entity(x: s.robot.x, y: s.robot.y + 0.6, r: 0.4, kind: 0))
    #expect(g.step(&s, action: .noop, rng: &rng).reward == 1)
    s.objects.append(Entity(x: s.robot.x, y: s.robot.y + 0.6, r: 0.4, kind: 1))
    #expect(g.step(&s, action: .noop, rng: &rng).reward == -4)
    var e = StepEvents()
    var steps = 0
    while e.outcome == .running && steps < 600 { e = g.step(&s, action: .noop, rng: &rng); steps += 1 }
    #expect(e.outcome == .won && e.reward == 10)
  }

  @Test func wallsKillAndKeysOpenDoors() {
    let g = Self.hard
    var s = blank()
    var rng = PCG32(seed: 1, stream: 1)
    let w = s.width
    let y = 5
    for x in 0..<w { s.tiles[y * w + x] = T.wall }
    for x in 8..<12 { s.tiles[y * w + x] = T.door }
    s.tiles[y * w + 10] = T.lock
    s.robot.x = 10
    var t = s
    var e = StepEvents()
    while e.outcome == .running { e = g.step(&t, action: .noop, rng: &rng) }
    #expect(e.outcome == .died && t.robot.y < 6)
    // Fire a key from within its reach (8 steps at 0.5): the door opens and the robot passes.
    t = s
    while t.robot.y < 2 { _ = g.step(&t, action: .noop, rng: &rng) }
    _ = g.step(&t, action: Action(9), rng: &rng)
    for _ in 0..<7 { _ = g.step(&t, action: .noop, rng: &rng) }
    #expect((8..<12).allSatisfy { t.tiles[y * w + $0] == T.empty } && t.tiles[y * w + 7] == T.wall)
    for _ in 0..<20 { #expect(g.step(&t, action: .noop, rng: &rng).outcome == .running) }
  }

  @Test func scrolledTilesMatchPlainDrawing() throws {
    let env = try GameEnv<FruitBot>(config: EnvConfig(game: "fruitbot", options: GameOptions(mode: .hard)))
    for _ in 0..<40 { _ = env.step(Action(7)) }
    let s = env.state
    var a = Canvas(), b = Canvas()
    let v = env.game.view(s)
    a.drawTilesScrolled(key: 1, s.tiles, width: s.width, height: FruitBot.height, view: v, atlas: FruitBot.atlases[0], outside: 1)
    b.drawTiles(s.tiles, width: s.width, height: FruitBot.height, view: v, atlas: FruitBot.atlases[0], outside: 1)
    #expect(a.pixels == b.pixels)
  }

  /// A scripted pilot: steer to the middle of the next gap, fire at doors.
  static func pilot(_ s: FruitBot.State) -> Action {
    let w = s.width, ry = Int((s.robot.y - s.robot.ry).rounded(.down))
    for y in ry..<(FruitBot.height - 1) {
      let row = (0..<w).map { s.tiles[y * w + $0] }
      guard row.contains(T.wall) || row.contains(T.door) else { continue }
      let gap = (0..<w).filter { row[$0] != T.wall }
      let mid = Float(gap.first! + gap.last! + 1) / 2
      if row.contains(T.door) && y - ry <= 4 && abs(s.robot.x - mid) < 0.3 && s.cooldown == 0 { return Action(9) }
      if s.robot.x < mid - 0.15 { return Action(7) }
      if s.robot.x > mid + 0.15 { return Action(1) }
      return .noop
    }
    return .noop
  }

  @Test(arguments: [DistributionMode.easy, .hard])
  func aScriptedPilotReachesThePresents(mode: DistributionMode) throws {
    let env = try GameEnv<FruitBot>(config: EnvConfig(game: "fruitbot", options: GameOptions(mode: mode)))
    var wins = 0
    for seed in 0..<UInt32(50) {
      env.reset(levelSeed: seed)
      for _ in 0..<1000 {
        let r = env.step(Self.pilot(env.state))
        if r.done {
          if r.info.prevLevelComplete { wins += 1 } else if seed < 2 { print(env.glyphs().text(), env.state.robot, r) }
          break
        }
      }
    }
    #expect(wins >= 45, "\(wins) of 50")
  }
}
