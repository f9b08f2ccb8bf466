import Testing
import ArcadeCore
import ArcadeGames

/// `arcade train --augment`: episodes shown turned or mirrored, with moves that turn with the picture.
@Suite struct SymmetricEnvTests {
  func maze(envIndex: Int = 0, randSeed: UInt64 = 3) throws -> SymmetricEnv {
    try SymmetricEnv(Catalog.make(EnvConfig(game: "maze", options: GameOptions(mode: .easy),
                                            levels: LevelOptions(numLevels: 20, randSeed: randSeed), envIndex: envIndex)))
  }

  /// The cell of the single 1 in `channel` of a side × side grid, in world coordinates (y up).
  func cell(_ grid: [Float], channel: Int, side n: Int) -> (x: Int, y: Int) {
    let i = grid[(channel * n * n)..<((channel + 1) * n * n)].firstIndex(of: 1)! - channel * n * n
    return (i % n, n - 1 - i / n)
  }

  @Test(arguments: 0..<SquareSymmetry.count)
  func movesTurnWithThePicture(_ t: Int) {
    let s = SquareSymmetry(t), n = 9
    var cells = Set<Int>()
    for y in 0..<n { for x in 0..<n { let m = s.map(x: x, y: y, side: n); cells.insert(m.y * n + m.x) } }
    #expect(cells.count == n * n, "\(s) is not one-to-one")
    for a in 0..<Action.count {
      let shown = Action(a), original = s.originalAction(shown)
      #expect(s.shownAction(original) == shown)
      guard a < 9 else { #expect(original == shown); continue }
      // A move from (4, 4) in the original world lands where the shown move leads in the shown world.
      let from = s.map(x: 4, y: 4, side: n), to = s.map(x: 4 + original.dx, y: 4 + original.dy, side: n)
      #expect((to.x - from.x, to.y - from.y) == (shown.dx, shown.dy), "\(s): \(shown)")
    }
  }

  @Test func theMouseMovesWhereTheShownMoveSays() throws {
    let env = try maze(), n = env.gridShape.height
    var rng = PCG32(seed: 5, stream: 5)
    var seen = Set<Int>(), moved = 0
    for _ in 0..<3000 {
      seen.insert(env.symmetry.index)
      let before = cell(env.grid(), channel: 1, side: n)
      let a = Action([1, 3, 5, 7][rng.below(4)])
      let r = env.step(a)
      if r.done || env.stepCount == 150 { env.reset(levelSeed: nil); continue }
      let after = cell(env.grid(), channel: 1, side: n)
      if after != before {
        moved += 1
        #expect((after.x - before.x, after.y - before.y) == (a.dx, a.dy))
      }
    }
    #expect(moved > 500)
    #expect(seen.count >= 6, "the episodes were shown under \(seen.count) symmetries")
  }

  @Test func gridAndFrameAreTheGamesTurned() throws {
    let env = try maze(), n = env.gridShape.height, c = env.gridShape.channels
    for _ in 0..<12 {
      let base = env.base.grid(), baseFrame = env.base.rgb()
      var turned = [Float](repeating: -1, count: base.count), turnedFrame = [UInt8](repeating: 0, count: baseFrame.count)
      base.withUnsafeBufferPointer { b in turned.withUnsafeMutableBufferPointer {
        env.symmetry.transformPlanes(b.baseAddress!, into: $0.baseAddress!, channels: c, side: n) } }
      baseFrame.withUnsafeBufferPointer { b in turnedFrame.withUnsafeMutableBufferPointer {
        env.symmetry.transformPixels(b.baseAddress!, into: $0.baseAddress!, side: 64, bytesPerPixel: 3) } }
      #expect(env.grid() == turned)
      #expect(env.rgb() == turnedFrame)
      #expect(env.grid().reduce(0, +) == base.reduce(0, +))
      env.reset(levelSeed: nil)
    }
  }

  @Test func symmetriesAreDrawnFromTheEnvsOwnSeededStream() throws {
    func draws(_ env: SymmetricEnv) -> [Int] {
      (0..<40).map { _ in env.reset(levelSeed: nil); return env.symmetry.index }
    }
    let a = try draws(maze()), b = try draws(maze())
    #expect(a == b && Set(a).count == SquareSymmetry.count)
    #expect(try draws(maze(envIndex: 1)) != a)
    #expect(try draws(maze(randSeed: 4)) != a)
  }

  @Test func savedStatesRestoreTheSymmetryAndItsStream() throws {
    let env = try maze()
    for _ in 0..<3 { env.reset(levelSeed: nil) }
    _ = env.step(Action(7))
    let saved = env.saveState(), hash = env.stateHash(), grid = env.grid()
    var later: [Int] = []
    for _ in 0..<5 { env.reset(levelSeed: nil); later.append(env.symmetry.index) }
    try env.restoreState(saved)
    #expect(env.stateHash() == hash && env.grid() == grid)
    #expect((0..<5).map { _ in env.reset(levelSeed: nil); return env.symmetry.index } == later)

    // A bad state is refused in one line and changes nothing.
    try env.restoreState(saved)
    var bad = saved
    bad[4] = 9  // the symmetry byte
    for bytes in [bad, Array(saved.prefix(10)), try maze().base.saveState()] {
      #expect { try env.restoreState(bytes) } throws: { "\($0)".hasPrefix("saved state") && !"\($0)".contains("\n") }
      #expect(env.stateHash() == hash)
    }
  }

  @Test func onlyGamesThatPlayTheSameInEveryOrientationAreAugmented() throws {
    #expect(Catalog.entries.map(\.descriptor).filter(\.symmetric).map(\.name) == ["maze"])
    let leaper = try Catalog.make(EnvConfig(game: "leaper", options: GameOptions(mode: .easy)))
    #expect { try SymmetricEnv(leaper) } throws: { "\($0)" == "leaper cannot be shown turned or mirrored: it does not play the same in every orientation" }
  }
}
