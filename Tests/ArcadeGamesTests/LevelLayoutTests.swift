// Layout hashes see what a level shows: planted duplicates are found, and on a game with maps two
// seeds hash equal exactly when their exported maps are equal.
import ArcadeCore
import ArcadeGames
import Testing

@Suite struct LevelLayoutTests {
  @Test func plantedDuplicatesAreFound() throws {
    let o = try LevelLayouts.overlap(game: "bigfish", mode: .easy, train: [5, 6, 7], test: [7, 1000, 1001, 5])
    #expect(o.duplicates.map(\.test) == [7, 5] && o.duplicates.map(\.train) == [7, 5])
    #expect(o.distinctTrainLayouts == 3 && o.testCount == 4 && o.share == 0.5)
  }

  @Test(arguments: ["coinrun", "maze"])
  func equalHashesMeanEqualMaps(_ game: String) throws {
    let seeds = Array(UInt32(0)..<400)
    let hashes = try LevelLayouts.hashes(game: game, mode: .easy, seeds: seeds)
    let env = try Catalog.make(EnvConfig(game: game, options: GameOptions(mode: .easy)))
    let maps = seeds.map { s -> String in
      env.reset(levelSeed: s)
      let f = env.exportLevel()!
      return f.map.rows.map { String($0) }.joined(separator: "\n") + "@\(f.map.theme)"
    }
    var byHash = [UInt64: Int](), equalPairs = 0
    for (i, h) in hashes.enumerated() {
      if let j = byHash[h] { #expect(maps[i] == maps[j], "seeds \(i) and \(j) hash equal but look different"); equalPairs += 1 }
      else { byHash[h] = i }
    }
    #expect(Set(maps).count == byHash.count, "as many distinct maps as distinct layout hashes")
    #expect(equalPairs > 0, "easy \(game) repeats layouts within 400 seeds")
  }
}
