import Foundation
import Testing
import ArcadeCore
@testable import ArcadeGames

/// Tests of miner: generation (reachability model), digging, pushing,
/// falling and rolling, death, rewards, saving, level files.
@Suite struct MinerTests {
  typealias Tile = Miner.Tile

  static func env(_ mode: DistributionMode = .hard) throws -> GameEnv<Miner> {
    try GameEnv<Miner>(config: EnvConfig(game: "miner", options: GameOptions(mode: mode)))
  }

  /// A 10×10 easy level from map rows (row 0 = top, so world y = 9 - row).
  static func load(_ rows: [String]) throws -> GameEnv<Miner> {
    let e = try env(.easy)
    try e.load(level: LevelFile(game: "miner", mode: .easy, seed: nil, map: LevelMap(rows: rows.map(Array.init))))
    return e
  }

  static let left = Action(1), down = Action(3), up = Action(5), right = Action(7)

  func tile(_ e: GameEnv<Miner>, _ x: Int, _ y: Int) -> UInt8 { e.state.tiles[y * 10 + x] }

  @Test(arguments: [DistributionMode.easy, .hard, .memory])
  func generatedLevelsAreReachable(mode: DistributionMode) {
    let game = Miner(options: GameOptions(mode: mode))
    let n = game.worldSide
    for seed in 0..<UInt32(1000) {
      var rng = PCG32.stream(levelSeed: seed, role: .generation)
      let s = game.generate(levelSeed: seed, rng: &rng)
      #expect(s.size == n && s.tiles.count == n * n)
      #expect(Miner.reachable(s), "seed \(seed)")
      let diamonds = s.tiles.filter { $0 == Tile.diamond }.count
      #expect(diamonds == n * n * 3 / 100 && s.diamondsLeft == diamonds, "seed \(seed)")
      #expect(s.tiles.filter { $0 == Tile.exit }.count == 1)
      // The agent starts on an empty cell with no boulder next to it.
      let a = s.agent.y * n + s.agent.x
      #expect(s.tiles[a] == Tile.empty)
      for y in max(0, s.agent.y - 1)...min(n - 1, s.agent.y + 1) {
        for x in max(0, s.agent.x - 1)...min(n - 1, s.agent.x + 1) { #expect(s.tiles[y * n + x] != Tile.boulder) }
      }
      // The exit lies under dirt or the top edge.
      let ex = s.tiles.firstIndex(of: Tile.exit)!
      #expect(ex / n == n - 1 || s.tiles[ex + n] == Tile.dirt)
    }
    #expect(game.worldSide == [DistributionMode.easy: 10, .hard: 20, .memory: 35][mode])
  }

  @Test func diggingAndDiamondsAndExit() throws {
    let e = try Self.load([
      "..........",
      "..........",
      "..........",
      "..........",
      "..........",
      "..........",
      "..........",
      "..........",
      "A.*.E.....",
      "..........",
    ])
    // Agent at (0, 1). Digging right clears dirt.
    #expect(tile(e, 1, 1) == Tile.dirt)
    var r = e.step(Self.right)
    #expect(e.state.agent == (1, 1) && tile(e, 1, 1) == Tile.empty && r.reward == 0)
    r = e.step(Self.right)
    #expect(r.reward == 1 && e.state.diamondsLeft == 0)
    // Diagonal input moves horizontally only.
    r = e.step(Action(8))
    #expect(e.state.agent == (3, 1))
    r = e.step(Self.right)
    #expect(r.reward == 10 && r.terminated && r.info.prevLevelComplete)
  }

  @Test func exitNeedsAllDiamonds() throws {
    let e = try Self.load([
      "*.........",
      "..........",
      "..........",
      "..........",
      "..........",
      "..........",
      "..........",
      "..........",
      "AE........",
      "..........",
    ])
    var r = e.step(Self.right)
    #expect(r.reward == 0 && !r.done && e.state.agent == (1, 1))
    // Standing on the exit, nothing happens until the last diamond is taken.
    r = e.step(.noop)
    #expect(!r.done)
    #expect(tile(e, 1, 1) == Tile.exit)
    // Exported there, the level keeps both the agent and the exit ('&') and loads back to the same state.
    let file = try #require(e.exportLevel())
    #expect(file.map.rows[8] == Array("_&........"))
    let again = try Self.env(.easy)
    try again.load(level: file)
    #expect(again.state.agent == (1, 1) && again.state.tiles == e.state.tiles)
  }

  @Test func pushingBoulders() throws {
    let e = try Self.load([
      ".........E",
      "..........",
      "..........",
      "..........",
      "..........",
      "..........",
      "..........",
      "..........",
      "..........",
      "AO_OO.O...",
    ])
    // Agent (0,0) pushes the boulder at (1,0) into the empty cell (2,0).
    _ = e.step(Self.right)
    #expect(e.state.agent == (1, 0) && tile(e, 2, 0) == Tile.boulder && tile(e, 1, 0) == Tile.empty)
    // Now three boulders in a row: no push.
    _ = e.step(Self.right)
    #expect(e.state.agent == (1, 0) && tile(e, 2, 0) == Tile.boulder)
    // A boulder with dirt behind it does not move either; nor is one pushed upward.
    let f = try Self.load([
      ".........E", "..........", "..........", "..........", "..........",
      "..........", "..........", "..O.......", "..A.......", "_O.O......",
    ])
    _ = f.step(Self.up)
    #expect(f.state.agent == (2, 1) && tile(f, 2, 2) == Tile.boulder)
    _ = f.step(Self.left)  // agent to (1,1)
    _ = f.step(Self.down)  // (1,0) holds a boulder: blocked
    #expect(f.state.agent == (1, 1) && tile(f, 1, 0) == Tile.boulder)
    let g = try Self.load([
      ".........E", "..........", "..........", "..........", "..........",
      "..........", "..........", "..........", "..........", "AO.O......",
    ])
    _ = g.step(Self.right)
    #expect(g.state.agent == (0, 0) && tile(g, 1, 0) == Tile.boulder)
  }

  @Test func restingBoulderAboveAgentIsSafe() throws {
    let e = try Self.load([
      ".........E", "..........", "..........", "..........", "..........",
      "..........", "..........", "..O.......", "..A.......", "..........",
    ])
    for _ in 0..<5 { #expect(!e.step(.noop).done) }
    #expect(tile(e, 2, 2) == Tile.boulder)
    // Stepping aside lets it fall into the vacated cell.
    _ = e.step(Self.right)
    #expect(tile(e, 2, 1) == Tile.fallingBoulder && tile(e, 2, 2) == Tile.empty)
    #expect(!e.step(.noop).done)
    #expect(tile(e, 2, 1) == Tile.boulder)
  }

  @Test func fallingBoulderKills() throws {
    let e = try Self.load([
      ".........E", "..........", "..........", "..........", "..O.......",
      ".._.......", ".._.......", ".._.......", "..A.......", "..........",
    ])
    var outcome: (step: Int, died: Bool)?
    for t in 1...6 {
      let r = e.step(.noop)
      if r.terminated { outcome = (t, !r.info.prevLevelComplete); break }
    }
    // Falls (2,5)→(2,4)→(2,3)→(2,2) in three steps and crushes the miner on the fourth.
    #expect(outcome?.step == 4 && outcome?.died == true)
    // A falling diamond kills too.
    let d = try Self.load([
      ".........E", "..........", "..........", "..........", "..*.......",
      ".._.......", "..A.......", "..........", "..........", "..........",
    ])
    _ = d.step(.noop)
    #expect(d.step(.noop).terminated)
  }

  @Test func rollingOffRoundObjects() throws {
    let e = try Self.load([
      ".........E",
      "..........",
      "..........",
      "..........",
      "..........",
      "..........",
      "....O.....",
      "...__.....",
      "..._*.....",
      ".........A",
    ])
    // Boulder at (4,3) falls onto empty (4,2), lands on the diamond at (4,1)
    // and rolls left since (3,2) and (3,1) are empty.
    _ = e.step(.noop)
    #expect(tile(e, 4, 2) == Tile.fallingBoulder)
    _ = e.step(.noop)
    #expect(tile(e, 3, 2) == Tile.fallingBoulder && tile(e, 4, 2) == Tile.empty)
    _ = e.step(.noop)
    #expect(tile(e, 3, 1) == Tile.fallingBoulder)
    _ = e.step(.noop)
    #expect(tile(e, 3, 1) == Tile.boulder)  // landed on dirt
    #expect(tile(e, 4, 1) == Tile.diamond)
  }

  @Test func saveRestoreReproducesRollout() throws {
    let e = try Self.env(.hard)
    e.reset(levelSeed: 9)
    var pick = PCG32(seed: 11, stream: 5)
    for _ in 0..<40 { _ = e.step(Action([1, 3, 5, 7][pick.below(4)])) }
    let saved = e.saveState()
    var actions: [Action] = []
    for _ in 0..<200 { actions.append(Action(pick.below(15))) }
    func rollout() -> ([UInt64], [Float], [UInt8]) {
      var h: [UInt64] = [], rw: [Float] = []
      for a in actions { let r = e.step(a); h.append(e.stateHash()); rw.append(r.reward); if r.done { break } }
      return (h, rw, e.renderedPixels())
    }
    let first = rollout()
    try e.restoreState(saved)
    let second = rollout()
    #expect(first.0 == second.0 && first.1 == second.1 && first.2 == second.2)
    #expect(throws: ArcadeError.self) { try e.restoreState(Array(saved.prefix(saved.count - 3))) }
    var bad = saved
    bad[saved.count - 4 - (8 + 8 + 8 + 1 + 8) - 400 + 7] = 99
    #expect(throws: ArcadeError.self) { try e.restoreState(bad) }
  }

  @Test func observations() throws {
    let e = try Self.env(.memory)
    #expect(e.gridShape.channels == 6 && e.gridShape.height == 35)
    var buf = [Float](repeating: 0, count: 6 * 35 * 35)
    buf.withUnsafeMutableBufferPointer { e.encodeGrid(into: $0) }
    #expect(buf[(5 * 35 * 35)...].reduce(0, +) == 1)
    let mono = try GameEnv<Miner>(config: EnvConfig(game: "miner", options: GameOptions(mode: .hard, monochrome: true)))
    #expect(mono.renderedPixels() != (try Self.env(.hard)).renderedPixels())
    #expect(e.glyphs().text().contains("@"))
    #expect(Miner.descriptor.actionMask == [false, true, false, true, true, true, false, true, false] + Array(repeating: false, count: 6))
  }

  @Test func loaderReportsProblems() throws {
    do {
      _ = try Self.load(["A.x", "OOO", "O*O", "OOO"])
      Issue.record("expected problems")
    } catch let error as LevelProblems {
      #expect(error.problems.contains { $0.row == 0 && $0.column == 2 })
      #expect(error.problems.contains { $0.message.contains("no exit") })
    }
    do {
      _ = try Self.load(["A.E", "OOO", "O*O", "OOO"])
      Issue.record("expected problems")
    } catch let error as LevelProblems {
      #expect(error.problems.contains { $0.row == 2 && $0.column == 1 && $0.message.contains("walled off") })
    }
  }

}
