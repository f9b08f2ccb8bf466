import Testing
import ArcadeCore
@testable import ArcadeGames

@Suite struct MazeTests {
  @Test(arguments: [DistributionMode.easy, .hard, .memory])
  func everyGeneratedMazeIsSolvable(_ mode: DistributionMode) throws {
    let env = try GameEnv<Maze>(config: EnvConfig(game: "maze", options: GameOptions(mode: mode)))
    for seed in UInt32(0)..<1000 {
      env.reset(levelSeed: seed)
      let s = env.state
      let dist = GridSearch.distances(width: s.size, height: s.size, from: s.agent.y * s.size + s.agent.x) { s.walls[$0] == 0 }
      #expect(dist[s.goal.y * s.size + s.goal.x] > 0, "seed \(seed)")
    }
  }

  /// Every plane of the grid observation has row 0 at the top: the wall plane must agree with the agent
  /// and goal planes, or a spatial (conv) encoder sees the walls mirrored against the mouse.
  @Test(arguments: [DistributionMode.easy, .hard])
  func gridPlanesShareOneRowOrder(_ mode: DistributionMode) throws {
    let env = try GameEnv<Maze>(config: EnvConfig(game: "maze", options: GameOptions(mode: mode)))
    let g = env.gridShape, plane = g.height * g.width
    var buf = [Float](repeating: 0, count: g.channels * plane)
    for seed in UInt32(0)..<50 {
      env.reset(levelSeed: seed)
      let s = env.state, n = s.size
      buf.withUnsafeMutableBufferPointer { b in b.update(repeating: 0); env.encodeGrid(into: b) }
      for y in 0..<n {
        for x in 0..<n {
          let top = (n - 1 - y) * n + x
          #expect(buf[top] == (s.walls[y * n + x] != 0 ? 1 : 0), "seed \(seed) wall (\(x), \(y))")
        }
      }
      let agentCell = (n - 1 - s.agent.y) * n + s.agent.x
      #expect(buf[plane + agentCell] == 1 && buf[agentCell] == 0, "seed \(seed): the agent sits on a wall in the grid")
    }
  }

  @Test func followingTheShortestPathWinsWithTenPoints() throws {
    let env = try GameEnv<Maze>(config: EnvConfig(game: "maze", options: GameOptions(mode: .hard)))
    for seed in UInt32(0)..<50 {
      env.reset(levelSeed: seed)
      let s = env.state
      let n = s.size
      // Walk downhill on the distance field from the goal.
      let toGoal = GridSearch.distances(width: n, height: n, from: s.goal.y * n + s.goal.x) { s.walls[$0] == 0 }
      var result: StepResult?
      while result == nil || !result!.done {
        let a = env.state.agent
        let moves = [(1, 0), (-1, 0), (0, 1), (0, -1)]
        let best = moves.first { m in
          let x = a.x + m.0, y = a.y + m.1
          return x >= 0 && y >= 0 && x < n && y < n && toGoal[y * n + x] >= 0 && toGoal[y * n + x] < toGoal[a.y * n + a.x]
        }!
        result = env.step(.move(dx: best.0, dy: best.1))
      }
      #expect(result!.terminated && result!.reward == 10 && result!.info.prevLevelComplete)
      #expect(result!.info.episodeLength == toGoal[s.agent.y * n + s.agent.x])
    }
  }

  @Test func wallsBlockAndSpecialKeysDoNothing() throws {
    let env = try GameEnv<Maze>(config: EnvConfig(game: "maze", options: GameOptions(mode: .easy)))
    env.reset(levelSeed: 3)
    let start = env.state.agent
    _ = env.step(.move(dx: -1, dy: 0))  // the maze's left edge is walled
    #expect(env.state.agent == start)
    for k in 9..<15 { _ = env.step(Action(k)) }
    #expect(env.state.agent == start)
  }

  @Test func timeLimitTruncatesAtFiveHundredSteps() throws {
    let env = try GameEnv<Maze>(config: EnvConfig(game: "maze", options: GameOptions(mode: .hard)))
    env.reset(levelSeed: 1)
    var r: StepResult?
    for _ in 0..<500 { r = env.step(.noop) }
    #expect(r!.truncated && !r!.terminated && env.stepCount == 500)
  }

  @Test func sequentialLevelsContinueOnTheNextSeed() throws {
    let env = try GameEnv<Maze>(config: EnvConfig(
      game: "maze", options: GameOptions(mode: .easy), levels: LevelOptions(useSequentialLevels: true)))
    env.reset(levelSeed: 40)
    // Put the agent next to the cheese through a hand-made level.
    let file = try LevelFile.parse("game: maze\nmode: easy\nseed: 40\nsize: 3x1\nmap:\nAG.\n", path: "t").0
    try env.load(level: file)
    let r = env.step(.move(dx: 1, dy: 0))
    #expect(r.reward == 10 && !r.done && r.info.prevLevelComplete)
    #expect(r.info.prevLevelSeed == 40 && r.info.levelSeed == 1037 && env.levelSeed == 1037)
  }

  @Test func levelProblemsAreAllReported() throws {
    let env = try GameEnv<Maze>(config: EnvConfig(game: "maze", options: GameOptions(mode: .easy)))
    let file = try LevelFile.parse("game: maze\nmode: easy\nseed: hand-made\nsize: 4x2\nmap:\n#x..\n#.##\n", path: "t").0
    do { try env.load(level: file); Issue.record("loaded") } catch {
      let messages = error.problems.map(\.message)
      #expect(messages.contains { $0.contains("unknown map character 'x'") })
      #expect(messages.contains { $0.contains("no agent start") })
      #expect(messages.contains { $0.contains("no cheese") })
    }
    let walled = try LevelFile.parse("game: maze\nmode: easy\nseed: hand-made\nsize: 3x1\nmap:\nA#G\n", path: "t").0
    do { try env.load(level: walled); Issue.record("loaded") } catch {
      #expect(error.problems[0].message.contains("cannot be reached") && error.problems[0].column == 2)
    }
  }
}
