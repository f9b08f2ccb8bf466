import Foundation
import Testing
import ArcadeCore
@testable import ArcadeGames

/// Tests of heist: generation (solvable in key order), movement, keys and
/// doors, rewards, saving, level files.
@Suite struct HeistTests {
  typealias Tile = Heist.Tile

  static func env(_ mode: DistributionMode = .hard) throws -> GameEnv<Heist> {
    try GameEnv<Heist>(config: EnvConfig(game: "heist", options: GameOptions(mode: mode)))
  }

  static func load(_ rows: [String], mode: DistributionMode = .easy) throws -> GameEnv<Heist> {
    let e = try env(mode)
    try e.load(level: LevelFile(game: "heist", mode: mode, seed: nil, map: LevelMap(rows: rows.map(Array.init))))
    return e
  }

  /// Cells reachable from the agent's cell with doors of the colours in `open` passable.
  static func reach(_ s: Heist.State, open: UInt8) -> [Int] {
    let n = s.size
    return GridSearch.distances(width: n, height: n, from: Int(s.agent.y) * n + Int(s.agent.x)) { i in
      let t = s.tiles[i]
      return t != Tile.wall && !(Tile.isDoor(t) && open & (1 << (t - Tile.door)) == 0)
    }
  }

  @Test(arguments: [DistributionMode.easy, .hard, .memory])
  func generatedLevelsSolvableInKeyOrder(mode: DistributionMode) {
    let game = Heist(options: GameOptions(mode: mode))
    var keyCounts = [0, 0, 0, 0]
    for seed in 0..<UInt32(1000) {
      var rng = PCG32.stream(levelSeed: seed, role: .generation)
      let s = game.generate(levelSeed: seed, rng: &rng)
      let n = s.size
      #expect(n == game.worldSide)
      let doors = (0..<3).filter { c in s.tiles.contains(Tile.door + UInt8(c)) }
      let keys = (0..<3).filter { c in s.tiles.contains(Tile.key + UInt8(c)) }
      // Colours are used in order, one door and one key each.
      #expect(doors == Array(0..<doors.count) && keys == doors, "seed \(seed)")
      for c in doors {
        #expect(s.tiles.filter { $0 == Tile.door + UInt8(c) }.count == 1)
        #expect(s.tiles.filter { $0 == Tile.key + UInt8(c) }.count == 1)
      }
      #expect(s.tiles.filter { $0 == Tile.gem }.count == 1, "seed \(seed)")
      keyCounts[doors.count] += 1
      // Key i is reachable with only doors < i open; the gem needs every door.
      for i in 0..<doors.count {
        let d = Self.reach(s, open: UInt8((1 << i) - 1))
        let k = s.tiles.firstIndex(of: Tile.key + UInt8(i))!
        #expect(d[k] >= 0, "seed \(seed): key \(i) not reachable before its door")
      }
      let all = Self.reach(s, open: UInt8((1 << doors.count) - 1))
      let gem = s.tiles.firstIndex(of: Tile.gem)!
      #expect(all[gem] >= 0, "seed \(seed): gem unreachable")
      if !doors.isEmpty {
        let before = Self.reach(s, open: UInt8((1 << (doors.count - 1)) - 1))
        #expect(before[gem] < 0, "seed \(seed): gem reachable before the last door")
      }
      // The agent starts on a floor cell, not next to a door.
      let a = Int(s.agent.y) * n + Int(s.agent.x)
      #expect(s.tiles[a] == Tile.floor)
      #expect(Heist.solvable(s))
    }
    // Every key count occurs (easy: up to 2, since d ≤ 2 ... capped at 3).
    #expect(keyCounts[0] > 0 && keyCounts[1] > 0 && keyCounts[2] > 0)
    if mode != .easy { #expect(keyCounts[3] > 0) }
  }

  @Test func worldSidesPerMode() throws {
    #expect(try Self.env(.easy).gridShape.height == 9)
    #expect(try Self.env(.hard).gridShape.height == 13)
    #expect(try Self.env(.memory).gridShape.height == 23)
    let e = try Self.env(.exploration)
    #expect(e.levelSeed == 876_640_971 && e.gridShape.width == 13)
    #expect(e.gridShape.channels == Heist.descriptor.gridChannels.count)
  }

  @Test func inertialMovementIsNotGridSnapped() throws {
    // 9×5 map centred in the 9×9 world: the agent's row is y = 5.
    let e = try Self.load([
      "#########",
      "#A......#",
      "#######.#",
      "#$......#",
      "#########",
    ])
    var speeds: [Float] = []
    for _ in 0..<6 { _ = e.step(Action(7)); speeds.append(e.state.agent.vx) }
    // Velocity builds up toward (not beyond) the maximum speed 0.75.
    #expect(speeds == speeds.sorted() && speeds.last! < 0.75 && speeds.last! > 0.5)
    #expect(e.state.agent.x != e.state.agent.x.rounded(.down) + 0.5)
    // Released, it coasts and decays.
    let x = e.state.agent.x
    _ = e.step(.noop)
    #expect(e.state.agent.x > x && e.state.agent.vx < speeds.last!)
    // Walls stop it flush; it never leaves the corridor.
    for _ in 0..<20 { _ = e.step(Action(8)) }
    #expect(abs(e.state.agent.x - 7.625) < 1e-4)
    #expect(abs(e.state.agent.y - 5.625) < 1e-4)
  }

  @Test func keysOpenDoorsAndGemGivesTen() throws {
    // 9×3 map centred in the 9×9 easy world: rows y = 5, 4, 3.
    let e = try Self.load([
      "#########",
      "#A.r.R.$#",
      "#########",
    ])
    var total: Float = 0
    var sawKey = false, sawOpen = false, done = false
    for _ in 0..<60 {
      let r = e.step(Action(7))
      total += r.reward
      if e.state.keys & 1 != 0 { sawKey = true }
      if sawKey && !e.state.tiles.contains(Tile.door) { sawOpen = true }
      if r.done { done = r.terminated && r.info.prevLevelComplete; break }
    }
    #expect(sawKey && sawOpen && done && total == 10)
  }

  @Test func lockedDoorBlocksWithoutKey() throws {
    // The loader rejects a level whose key is behind its own door.
    #expect(throws: LevelProblems.self) {
      _ = try Self.load(["#########", "#A.R.r.$#", "#########"])
    }
    let f = try Self.load([
      "#########",
      "#A.G.$.g#",
      "#.......#",
      "#########",
    ])
    // Pressing right along the top row: the green door stops the thief.
    for _ in 0..<30 { _ = f.step(Action(7)) }
    #expect(f.state.agent.x <= 3.0 - 0.375 + 1e-4)
    #expect(f.state.keys == 0)
  }

  @Test func loaderReportsEveryProblem() throws {
    do {
      _ = try Self.load(["#####", "#AxR#", "#A..#", "#####"])
      Issue.record("expected problems")
    } catch let error as LevelProblems {
      let p = error.problems
      #expect(p.contains { $0.row == 1 && $0.column == 2 })           // unknown 'x'
      #expect(p.contains { $0.row == 2 && $0.column == 1 })           // second agent
      #expect(p.contains { $0.message.contains("no gem") })
      #expect(p.contains { $0.message.contains("no matching key") && $0.row == 1 && $0.column == 3 })
    }
  }

  /// Steers the thief along BFS paths: keys in order, then the gem.
  static func autopilot(_ e: GameEnv<Heist>, maxSteps: Int = 1000) -> (won: Bool, steps: Int) {
    for t in 0..<maxSteps {
      let r = autopilotStep(e)
      if r.done { return (r.info.prevLevelComplete, t + 1) }
    }
    return (false, maxSteps)
  }

  static func autopilotStep(_ e: GameEnv<Heist>) -> StepResult {
    do {
      let s = e.state
      let n = s.size
      let cell = Int(s.agent.y) * n + Int(s.agent.x)
      // Target: the next missing key (in colour order), else the gem.
      var target = s.tiles.firstIndex(of: Tile.gem)!
      for c in 0..<3 where s.keys & (1 << c) == 0 {
        if let k = s.tiles.firstIndex(of: Tile.key + UInt8(c)) { target = k; break }
      }
      let dist = GridSearch.distances(width: n, height: n, from: target) { i in
        let x = s.tiles[i]
        return x != Tile.wall && !(Tile.isDoor(x) && s.keys & (1 << (x - Tile.door)) == 0)
      }
      // Aim two cells ahead along the shortest path: diagonal commands let the
      // thief slide along a corridor wall and slip into a side passage.
      func downhill(_ c: Int) -> Int {
        var best = c
        let x = c % n, y = c / n
        for (nx, ny) in [(x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)] where nx >= 0 && ny >= 0 && nx < n && ny < n {
          let i = ny * n + nx
          if dist[i] >= 0 && dist[i] < dist[best] { best = i }
        }
        return best
      }
      let aim = downhill(downhill(cell))
      let ex = Float(aim % n) + 0.5 - s.agent.x, ey = Float(aim / n) + 0.5 - s.agent.y
      let dx = abs(ex) > 0.1 ? (ex > 0 ? 1 : -1) : 0
      let dy = abs(ey) > 0.1 ? (ey > 0 ? 1 : -1) : 0
      return e.step(.move(dx: dx, dy: dy))
    }
  }

  @Test(arguments: [DistributionMode.easy, .hard, .memory])
  func levelsArePlayableWithInertia(mode: DistributionMode) throws {
    let e = try Self.env(mode)
    var won = 0
    for seed in UInt32(0)..<60 {
      e.reset(levelSeed: seed)
      let r = Self.autopilot(e)
      if r.won { won += 1 } else { print("heist \(mode) seed \(seed) not won\n\(e.glyphs().text())") }
    }
    #expect(won == 60)
  }

  @Test func saveRestoreReproducesRollout() throws {
    let e = try Self.env(.hard)
    e.reset(levelSeed: 42)
    var pick = PCG32(seed: 7, stream: 3)
    for _ in 0..<80 { _ = e.step(Action(pick.below(15))) }
    let saved = e.saveState()
    var actions: [Action] = []
    for _ in 0..<300 { actions.append(Action(pick.below(15))) }
    func rollout() -> ([UInt64], [Float], [UInt8]) {
      var hashes: [UInt64] = [], rewards: [Float] = []
      for a in actions { let r = e.step(a); hashes.append(e.stateHash()); rewards.append(r.reward) }
      return (hashes, rewards, e.renderedPixels())
    }
    let first = rollout()
    try e.restoreState(saved)
    let second = rollout()
    #expect(first.0 == second.0 && first.1 == second.1 && first.2 == second.2)
    // Corrupted or truncated states are refused with an error, never a trap.
    #expect(throws: ArcadeError.self) { try e.restoreState(Array(saved.dropLast(9))) }
    var bad = saved
    let firstTile = saved.count - 4 - (4 * 4 + 1 + 1 + 8) - 13 * 13  // before agent, keys, facing, theme, sentinel
    bad[firstTile + 5] = 200
    #expect(throws: ArcadeError.self) { try e.restoreState(bad) }
  }

  @Test func renderingShowsKeyRingAndThemes() throws {
    let e = try Self.load([
      "#########",
      "#A.r.R.$#",
      "#########",
    ])
    let before = e.renderedPixels()
    for _ in 0..<4 { _ = e.step(Action(7)) }
    #expect(e.state.keys == 1)
    let after = e.renderedPixels()
    // The red key now shows in the top-right corner.
    var red = 0
    for y in 0..<9 { for x in 50..<64 { let i = (y * 64 + x) * 3; if after[i] > 200 && after[i + 1] < 100 { red += 1 } } }
    #expect(red > 3 && before != after)
    // Monochrome frames differ from themed ones; themes differ between levels.
    let mono = try GameEnv<Heist>(config: EnvConfig(game: "heist", options: GameOptions(mode: .hard, monochrome: true)))
    let col = try Self.env(.hard)
    #expect(mono.renderedPixels() != col.renderedPixels())
    var themes = Set<Int>()
    for seed in UInt32(0)..<30 { col.reset(levelSeed: seed); themes.insert(col.state.theme) }
    #expect(themes.count == Heist.themes.count)
    let mem = try Self.env(.memory)
    _ = mem.renderedPixels()
    #expect(mem.glyphs().width == 23)
  }

  /// (HandMadeLevelTests loads them and checks their solvability and export.)
  @Test func handMadeLevelsAreWonByTheAutopilot() throws {
    let files = HandMadeLevelTests.files.filter { $0.hasPrefix("heist/") }
    #expect(files.count >= 3)
    for f in files {
      let text = try String(contentsOf: HandMadeLevelTests.root.appendingPathComponent(f), encoding: .utf8)
      let (level, _) = try LevelFile.parse(text, path: f)
      let e = try Self.env(level.mode)
      try e.load(level: level)
      #expect(Self.autopilot(e).won, "\(f)")
    }
  }
}
