import Foundation
import Testing
import ArcadeCore
@testable import ArcadeGames

@Suite struct CaveFlyerTests {
  /// A room: `rows` inside walls (the map is centred in the mode's world; walls around).
  static func room(_ rows: [String]) -> [String] {
    let w = rows[0].count + 2
    return [String(repeating: "#", count: w)] + rows.map { "#" + $0 + "#" } + [String(repeating: "#", count: w)]
  }

  /// The reachability model (see `CaveFlyer.solvable`): a 4-connected chain
  /// of open cells without meteors or targets joins the ship and the exit.
  @Test(arguments: [DistributionMode.easy, .hard, .memory, .exploration])
  func generatedCavesAreSolvable(mode: DistributionMode) {
    let g = CaveFlyer(options: GameOptions(mode: mode))
    let seeds: [UInt32] = mode == .exploration ? [CaveFlyer.descriptor.explorationSeed!] : (0..<500).map { UInt32($0) }
    var objects = 0
    for seed in seeds {
      let s = Arena.level(g, seed)
      #expect(CaveFlyer.solvable(s), "seed \(seed): exit unreachable")
      #expect(s.size == [DistributionMode.easy: 30, .memory: 60][mode] ?? 40)
      let open = s.tiles.filter { $0 == CaveFlyer.Tile.open }.count
      // k = open cells / 80 of each kind (fewer only when free cells run out).
      for kind in [CaveFlyer.Kind.meteor, .target, .enemy] { #expect(s.objects.count(kind: kind.rawValue) <= open / 80) }
      objects += s.objects.count
      // Objects stay off the path, which holds the ship's cell, so none starts on the ship (but, as in ProcGen, one may start beside it).
      #expect(!s.objects.contains { $0.overlaps(s.agent) }, "seed \(seed)")
    }
    if mode != .exploration { #expect(objects > seeds.count, "levels hold objects") }
  }

  @Test func memoryCavesAreBiggerAndUnpruned() {
    func openCells(_ mode: DistributionMode) -> Int {
      let g = CaveFlyer(options: GameOptions(mode: mode))
      return (0..<20).map { Arena.level(g, UInt32($0)).tiles.filter { $0 == CaveFlyer.Tile.open }.count }.reduce(0, +)
    }
    #expect(openCells(.memory) > 2 * openCells(.hard))
  }

  @Test func headingTableIsExactAtQuarterTurnsAndUnitLength() {
    let u = CaveFlyer.Heading.unit
    #expect(u.count == 1440 && u[0] == (1, 0) && u[360] == (0, 1) && u[720] == (-1, 0) && u[1080] == (0, -1))
    for (c, s) in u { #expect(abs(c * c + s * s - 1) < 1e-6) }
    // cos 60° and sin 30°.
    #expect(abs(u[240].0 - 0.5) < 1e-7 && abs(u[120].1 - 0.5) < 1e-7)
  }

  @Test func turningMixesTowardFifteenDegreesAndStops() throws {
    let e = try Platforms.env(CaveFlyer.self, Self.room(Array(repeating: "......", count: 5) + ["..A..X"]), mode: .easy)
    #expect(e.state.heading == CaveFlyer.startHeading)
    var spins: [Int] = []
    for _ in 0..<8 { _ = e.step(Action(1)); spins.append(e.state.spin) }
    #expect(spins == [30, 45, 52, 56, 58, 59, 59, 59])
    let h = e.state.heading
    #expect(h == (CaveFlyer.startHeading + spins.reduce(0, +)) % CaveFlyer.Heading.turn)
    for _ in 0..<8 { _ = e.step(.noop) }
    #expect(e.state.spin == 0)
    _ = e.step(Action(7))
    #expect(e.state.spin == -30)
    // Turning alone does not move the ship.
    #expect(e.state.agent.vx == 0 && e.state.agent.vy == 0)
  }

  @Test func thrustForwardIsThreeTimesReverse() throws {
    let rows = Self.room(Array(repeating: "......", count: 12) + ["..A...", ".....X"])
    let f = try Platforms.env(CaveFlyer.self, rows, mode: .hard)
    _ = f.step(Action(5))
    #expect(abs(f.state.agent.vy - CaveFlyer.thrustPower * CaveFlyer.decay) < 1e-6 && f.state.agent.vx == 0)
    let b = try Platforms.env(CaveFlyer.self, rows, mode: .hard)
    _ = b.step(Action(3))
    #expect(abs(b.state.agent.vy + CaveFlyer.thrustPower / 3 * CaveFlyer.decay) < 1e-6)
    // Coasting decays by 0.9 per step.
    let v = f.state.agent.vy
    _ = f.step(.noop)
    #expect(f.state.agent.vy == v * 0.9)
  }

  @Test func wallsBlockWithoutKilling() throws {
    let e = try Platforms.env(CaveFlyer.self, Self.room(["......", "......", "..A..X"]), mode: .easy)
    let r = Platforms.run(e, 5, 40)
    #expect(!r.done)
    // Flush under the ceiling (the room's top wall), not through it.
    let top = e.state.agent.y + e.state.agent.ry
    #expect(top <= Float(e.state.agent.cell.y + 1) + 1e-4 && e.state.agent.vy < 0.05)
    #expect(e.state.agent.cell.y == 15)
  }

  @Test func meteorsEnemiesAndTargetsKillOnTouch() throws {
    for ch in ["O", "T", "v"] {
      let e = try Platforms.env(CaveFlyer.self, Self.room(["..\(ch)...", "......", "......", "..A..X"]), mode: .easy)
      let r = Platforms.run(e, 5, 40)
      #expect(r.done && !r.won && r.reward == 0, "\(ch)")
    }
  }

  @Test func fiveHitsDestroyATargetForThree() throws {
    let e = try Platforms.env(CaveFlyer.self, Self.room(["..T...", "......", "......", "......", "..A..X"]), mode: .easy)
    var total: Float = 0
    var rewards: [Float] = []
    for _ in 0..<12 {
      let r = e.step(Action(9))
      rewards.append(r.reward)
      total += r.reward
      #expect(!r.done)
    }
    #expect(total == 3 && rewards.filter { $0 != 0 }.count == 1)
    #expect(e.state.objects.isEmpty)
    // Four hits leave it at one hit point.
    let four = try Platforms.env(CaveFlyer.self, Self.room(["..T...", "......", "......", "......", "..A..X"]), mode: .easy)
    for _ in 0..<4 { _ = four.step(Action(9)) }
    for _ in 0..<6 { _ = four.step(.noop) }
    #expect(four.state.objects.first?.health == 1)
  }

  @Test func theExitWinsTen() throws {
    let e = try Platforms.env(CaveFlyer.self, Self.room(["..X...", "......", "......", "..A..."]), mode: .easy)
    let r = Platforms.run(e, 5, 40)
    #expect(r.done && r.won && r.reward == 10)
  }

  @Test func boltsLiveTenStepsAndStopAtWallsMeteorsAndTheExit() throws {
    let rows = Self.room(Array(repeating: "......", count: 14) + ["..A..X"])
    let e = try Platforms.env(CaveFlyer.self, rows, mode: .hard)
    _ = e.step(Action(9))
    let y0 = e.state.bolts[0].y
    var alive = 1
    for _ in 0..<12 {
      _ = e.step(.noop)
      if !e.state.bolts.isEmpty { alive += 1 }
    }
    #expect(alive == 10 && e.state.bolts.isEmpty, "\(alive)")
    #expect(abs(y0 - (e.state.agent.y + 0.5 + 1)) < 1e-5)
    // A wall two cells away stops the bolt at once; so does a meteor (unharmed).
    let w = try Platforms.env(CaveFlyer.self, Self.room(["......", "..A..X"]), mode: .hard)
    _ = w.step(Action(9)); _ = w.step(.noop)
    #expect(w.state.bolts.isEmpty)
    let m = try Platforms.env(CaveFlyer.self, Self.room(["..O...", "......", "......", "..A..X"]), mode: .hard)
    _ = m.step(Action(9)); _ = m.step(.noop); _ = m.step(.noop)
    #expect(m.state.bolts.isEmpty && m.state.objects.count == 1)
    let x = try Platforms.env(CaveFlyer.self, Self.room(["..X...", "......", "......", "..A..."]), mode: .hard)
    _ = x.step(Action(9)); _ = x.step(.noop)
    #expect(x.state.bolts.isEmpty)
  }

  @Test func enemiesPatrolAndTurnBackAtWalls() throws {
    let e = try Platforms.env(CaveFlyer.self, Self.room(["#>...#", "######", "......", "..A..X"]), mode: .easy)
    let v = e.state.objects[0].vx
    #expect(v >= 0.1 && v < 0.2 && e.state.objects[0].vy == 0)
    // Open cells x 13...16 (the 8-wide map is centred in the 30-wide world).
    var xs: [Float] = [], vs: [Float] = []
    for _ in 0..<80 { _ = e.step(.noop); xs.append(e.state.objects[0].x); vs.append(e.state.objects[0].vx) }
    #expect(xs.min()! >= 13.39 && xs.max()! <= 16.61, "\(xs.min()!) \(xs.max()!)")
    #expect(vs.contains(v) && vs.contains(-v) && xs.max()! > 16 && xs.min()! < 14)
  }

  @Test func exportedLevelsRoundTrip() throws {
    try Platforms.checkRoundTrip("caveflyer", .hard, count: 50)
    try Platforms.checkRoundTrip("caveflyer", .memory, count: 20)
    try Platforms.checkRoundTrip("caveflyer", .easy, count: 50)
  }

  /// (Hand-made levels load in HandMadeLevelTests.)
  @Test func unreachableExitIsReported() throws {
    do {
      _ = try Platforms.env(CaveFlyer.self, Self.room(["..X...", "######", "..A..."]), mode: .easy)
      Issue.record("no error")
    } catch { #expect("\(error)".contains("cannot be reached")) }
    do {
      _ = try Platforms.env(CaveFlyer.self, Self.room(["..X...", "OOOOOO", "..A..."]), mode: .easy)
      Issue.record("no error")
    } catch { #expect("\(error)".contains("cannot be reached")) }
  }

  @Test func cameraAndObservationsFollowTheShip() throws {
    let rows = Self.room(Array(repeating: "..........", count: 6) + ["A......X.."])
    let e = try Platforms.env(CaveFlyer.self, rows, mode: .hard)
    let f0 = e.rgb()
    let g = e.glyphs()
    #expect(g.text().contains("↑") && g.text().contains("X"))
    _ = e.step(Action(7)); _ = e.step(Action(7)); _ = e.step(Action(8))
    #expect(e.rgb() != f0)
    // Heading channels hold the unit vector on the ship's cells.
    let grid = e.grid(), n = CaveFlyer.gridSide, plane = n * n
    let (cx, cy) = CaveFlyer.Heading.unit[e.state.heading]
    var found = false
    for i in 0..<plane where grid[6 * plane + i] == 1 {
      found = true
      #expect(grid[7 * plane + i] == cx && grid[8 * plane + i] == cy)
    }
    #expect(found)
  }
}

extension CaveFlyerTests {
  /// The scripted pilot of `ArcadePlaytests` flies every shipped level to its exit.
  @Test func handMadeLevelsAreWinnable() throws {
    let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../levels/caveflyer")
    for f in try FileManager.default.contentsOfDirectory(atPath: dir.path).filter({ $0.hasSuffix(".txt") }).sorted() {
      let file = try LevelFile.parse(try String(contentsOf: dir.appendingPathComponent(f), encoding: .utf8), path: f).0
      let env = try GameEnv<CaveFlyer>(config: EnvConfig(game: "caveflyer", options: GameOptions(mode: file.mode)))
      try env.load(level: file)
      let pilot = ArcadePlaytests.CavePilot(env.state)
      var result = "timed out"
      for t in 0..<1000 {
        let before = env.state
        let r = env.step(pilot.act(env.state))
        if r.done {
          result = r.info.prevLevelComplete ? "won at step \(t + 1)" : "died at step \(t + 1)"
          // For a failure: the object nearest the ship just before (the likely killer).
          let a = before.agent
          if !r.info.prevLevelComplete,
             let k = before.objects.min(by: { abs($0.x - a.x) + abs($0.y - a.y) < abs($1.x - a.x) + abs($1.y - a.y) }) {
            result += " beside kind \(k.kind) at (\(k.x), \(k.y)); ship at (\(a.x), \(a.y))"
          }
          break
        }
      }
      print("caveflyer \(f): \(result)")
      #expect(result.hasPrefix("won"), "\(f): \(result)")
    }
  }
}
