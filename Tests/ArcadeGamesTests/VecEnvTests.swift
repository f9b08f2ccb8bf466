import Testing
import ArcadeCore
import ArcadeGames

@Suite struct VecEnvTests {
  func run(threads: Int, steps: Int = 300) throws -> [UInt64] {
    let vec = try VecEnv(games: Catalog.names, count: 12, options: GameOptions(mode: .easy),
                         levels: LevelOptions(numLevels: 50, randSeed: 8), observations: [.rgb, .grid],
                         threads: threads, make: Catalog.make)
    var rng = PCG32(seed: 1, stream: 1)
    var digests: [UInt64] = []
    for _ in 0..<steps {
      vec.step((0..<vec.count).map { _ in Int32(rng.below(15)) })
      var h = fnv1a64(UnsafeBufferPointer(vec.rgb))
      h = fnv1a64(UnsafeRawBufferPointer(UnsafeBufferPointer(vec.grid)), seed: h)
      h = fnv1a64(UnsafeRawBufferPointer(UnsafeBufferPointer(vec.rewards)), seed: h)
      h = fnv1a64(UnsafeBufferPointer(vec.terminated), seed: h)
      h = fnv1a64(UnsafeBufferPointer(vec.truncated), seed: h)
      for i in 0..<vec.count { h = fnv1a64(withUnsafeBytes(of: vec.infos[i].levelSeed) { Array($0) }, seed: h) }
      digests.append(h)
    }
    return digests
  }

  @Test func resultsAreIdenticalForAnyThreadCount() throws {
    let one = try run(threads: 1)
    #expect(try run(threads: 2) == one)
    #expect(try run(threads: 5) == one)
  }

  @Test func autoResetKeepsTheFinalObservationAndReportsLevels() throws {
    let vec = try VecEnv(games: ["maze"], count: 4, options: GameOptions(mode: .easy),
                         levels: LevelOptions(numLevels: 3, startLevel: 10, randSeed: 2),
                         observations: [.rgb, .grid], threads: 2, make: Catalog.make)
    var ended = 0
    var rng = PCG32(seed: 9, stream: 9)
    for _ in 0..<2000 {
      let before = (0..<vec.count).map { vec.envs[$0].levelSeed }
      vec.step((0..<vec.count).map { _ in Int32(rng.below(15)) })
      for i in 0..<vec.count where vec.terminated[i] == 1 || vec.truncated[i] == 1 {
        ended += 1
        #expect(vec.infos[i].prevLevelSeed == before[i])
        #expect((10..<13).contains(vec.infos[i].levelSeed))
        #expect(vec.envs[i].stepCount == 0)
        let final = fnv1a64(UnsafeBufferPointer(rebasing: vec.finalRGB[(i * 12288)..<((i + 1) * 12288)]))
        let now = fnv1a64(UnsafeBufferPointer(rebasing: vec.rgb[(i * 12288)..<((i + 1) * 12288)]))
        let fresh = try makeEnv("maze", .easy)
        fresh.reset(levelSeed: vec.infos[i].levelSeed)
        #expect(now == fnv1a64(fresh.rgb()), "the observation is the first frame of the next episode")
        if vec.terminated[i] == 1 { #expect(final != now, "a won episode's final frame shows the agent on the goal") }
        if vec.terminated[i] == 1 { #expect(vec.infos[i].prevLevelComplete && vec.rewards[i] == 10) }
      }
    }
    #expect(ended > 0)
  }

  @Test func mixedGamesPadTheirGridsToOneShape() throws {
    let vec = try VecEnv(games: Catalog.names, count: Catalog.names.count, observations: [.grid], threads: 1,
                         make: Catalog.make)
    let s = vec.gridShape
    #expect(vec.grid.count == vec.count * s.channels * s.height * s.width)
    for e in vec.envs {
      #expect(e.gridShape.channels <= s.channels && e.gridShape.height <= s.height && e.gridShape.width <= s.width)
    }
  }
}
