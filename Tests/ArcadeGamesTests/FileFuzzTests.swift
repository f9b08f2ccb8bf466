// Seeded mutation fuzz of level files and replays: every mutant either gives problems (a thrown
// error) or loads and plays. A crash or trap kills the test process, which fails the run.
import ArcadeCore
import ArcadeGames
import Testing

@Suite struct FileFuzzTests {
  static let mutantsPerGame = 300
  /// The games that have level files (the arena games have none).
  static let gamesWithLevelFiles = Catalog.names.filter { game in
    guard let env = try? makeEnv(game, .easy) else { return false }
    env.reset(levelSeed: 5)
    return env.exportLevel() != nil
  }

  /// Text mutations that keep most of a file intact: characters swapped for other characters of
  /// the file (often legend glyphs), lines dropped, duplicated or cut, digits stretched, CRLF.
  struct TextMutator {
    var rng: PCG32
    mutating func mutate(_ text: String) -> String {
      var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0) }
      let pool = Array(Set(text)).sorted()
      for _ in 0..<(1 + rng.below(4)) {
        guard !lines.isEmpty else { break }
        let l = rng.below(lines.count)
        switch rng.below(7) {
        case 0 where !lines[l].isEmpty: lines[l][rng.below(lines[l].count)] = pool[rng.below(pool.count)]
        case 1: lines.remove(at: l)
        case 2: lines.insert(lines[l], at: l)
        case 3: lines[l] = Array(lines[l].prefix(rng.below(lines[l].count + 1)))
        case 4: lines[l] += Array(String(repeating: "9", count: 1 + rng.below(30)))
        case 5: lines[l] = Array(lines[l].map { $0 == " " ? "\t" : $0 })
        default: lines[l] += ["\r"]
        }
      }
      return lines.map { String($0) }.joined(separator: "\n")
    }
  }

  /// Tallies of one fuzz run (tried, refused with problems, loaded and played).
  struct Tally { var tried = 0, refused = 0, played = 0 }

  @Test(arguments: gamesWithLevelFiles)
  func mutatedLevelFilesAreRefusedOrPlayable(_ game: String) throws {
    var tally = Tally()
    var mutator = TextMutator(rng: PCG32(seed: 41, stream: UInt64(game.utf8.count)))
    var actions = PCG32(seed: 42, stream: 1)
    for mode in [DistributionMode.easy, .hard] {
      let source = try makeEnv(game, mode)
      source.reset(levelSeed: 5)
      let original = try #require(source.exportLevel()).text()
      for _ in 0..<(Self.mutantsPerGame / 2) {
        tally.tried += 1
        let text = mutator.mutate(original)
        do {
          let (file, _) = try LevelFile.parse(text, path: "fuzz.txt")
          let env = try makeEnv(file.game, file.mode)
          try env.load(level: file)
          for _ in 0..<20 { if env.step(Action(actions.below(15))).done { break } }
          _ = env.rgb(); _ = env.grid()
          tally.played += 1
        } catch {
          tally.refused += 1
        }
      }
    }
    #expect(tally.tried == tally.refused + tally.played)
    #expect(tally.refused > 0, "\(game): no mutant was refused, so the mutator tests nothing")
    print("level fuzz \(game): \(tally.tried) tried, \(tally.refused) refused, \(tally.played) played")
  }

  @Test(arguments: Catalog.names)
  func mutatedReplaysAreRefusedOrChecked(_ game: String) throws {
    let env = try makeEnv(game, .hard)
    env.reset(levelSeed: 9)
    var recorder = ReplayRecorder(env: env, hashEvery: 10)
    var actions = PCG32(seed: 43, stream: 2)
    for _ in 0..<60 {
      let a = Action(actions.below(15))
      let r = env.step(a)
      recorder.record(a, env: env)
      if r.done { break }
    }
    let original = recorder.finish(env: env).text()
    var mutator = TextMutator(rng: PCG32(seed: 44, stream: UInt64(game.utf8.count)))
    var tally = Tally()
    for _ in 0..<Self.mutantsPerGame {
      tally.tried += 1
      do {
        let replay = try Replay.parse(mutator.mutate(original), path: "fuzz.rpl")
        _ = try replay.check(in: try makeEnv(replay.game, replay.options.mode))
        tally.played += 1
      } catch {
        tally.refused += 1
      }
    }
    #expect(tally.refused > 0, "\(game): no mutant was refused, so the mutator tests nothing")
    print("replay fuzz \(game): \(tally.tried) tried, \(tally.refused) refused, \(tally.played) checked")
  }
}
