import Testing
import ArcadeCore
import ArcadeGames

/// Properties every game of the suite must have, checked over the catalog.
@Suite struct SuiteTests {
  @Test(arguments: Catalog.names)
  func descriptorIsConsistent(_ name: String) throws {
    let d = try Catalog.entry(name).descriptor
    #expect(!d.modes.isEmpty && d.modes.contains(.easy) && d.modes.contains(.hard))
    #expect(d.meaningfulActions.contains(4))
    #expect(d.actionMask.count == Action.count)
    #expect(d.scoreRange[.easy] != nil && d.scoreRange[.hard] != nil)
    #expect(Set(d.legend.map(\.0)).count == d.legend.count)
    #expect(d.modes.contains(.exploration) == (d.explorationSeed != nil))
  }

  @Test(arguments: allGameModes.map { "\($0.0)/\($0.1.rawValue)" })
  func observationsMatchTheSpec(_ key: String) throws {
    let (game, mode) = split(key)
    let env = try makeEnv(game, mode)
    let s = env.gridShape
    #expect(s.channels == env.descriptor.gridChannels.count)
    var rng = PCG32(seed: 3, stream: 3)
    for _ in 0..<50 {
      env.stepAutoReset(Action(rng.below(15)))
      let g = env.grid()
      #expect(g.count == s.channels * s.height * s.width)
      #expect(g.allSatisfy { $0.isFinite && $0 >= -1 && $0 <= 1 })
      // Each channel that holds the agent must mark it somewhere.
      let glyphs = env.glyphs()
      #expect(glyphs.width == s.width && glyphs.height == s.height)
      #expect(env.rgb().count == 64 * 64 * 3)
    }
    let frame = env.rgb()
    var colours = Set<Int>()
    for i in stride(from: 0, to: frame.count, by: 3) {
      let r = Int(frame[i]), g = Int(frame[i + 1]), b = Int(frame[i + 2])
      colours.insert(r << 16 | g << 8 | b)
    }
    #expect(colours.count > 2, "the frame shows more than two colours")
  }

  @Test(arguments: allGameModes.map { "\($0.0)/\($0.1.rawValue)" })
  func sameSeedSameLevelDifferentSeedDifferentLevel(_ key: String) throws {
    let (game, mode) = split(key)
    let a = try makeEnv(game, mode), b = try makeEnv(game, mode)
    a.reset(levelSeed: 77); b.reset(levelSeed: 77)
    #expect(a.stateHash() == b.stateHash())
    #expect(a.rgb() == b.rgb())
    if mode != .exploration {
      let hashes = Set((0..<20).map { s -> UInt64 in a.reset(levelSeed: UInt32(s)); return a.levelHash() })
      #expect(hashes.count >= 15, "20 seeds give mostly different levels")
    }
  }

  @Test(arguments: allGameModes.map { "\($0.0)/\($0.1.rawValue)" })
  func restoringAtAnyStepReproducesTheRestOfTheRollout(_ key: String) throws {
    let (game, mode) = split(key)
    let env = try makeEnv(game, mode, levels: LevelOptions(randSeed: 11))
    var rng = PCG32(seed: 5, stream: 5)
    let actions = (0..<500).map { _ in Action(rng.below(15)) }
    var states: [[UInt8]] = [], hashes: [UInt64] = [], frames: [UInt64] = []
    for a in actions {
      states.append(env.saveState())
      env.stepAutoReset(a)
      hashes.append(env.stateHash())
      frames.append(fnv1a64(env.rgb()))
    }
    let other = try makeEnv(game, mode, levels: LevelOptions(randSeed: 999))
    for k in stride(from: 0, to: 500, by: 1) {
      try other.restoreState(states[k])
      // Every step checks the next state; every 25th restore replays to the end.
      let end = k % 25 == 0 ? 500 : min(500, k + 3)
      for t in k..<end {
        other.stepAutoReset(actions[t])
        guard other.stateHash() == hashes[t], fnv1a64(other.rgb()) == frames[t] else {
          Issue.record("\(key): restored at step \(k), diverged at step \(t + 1)")
          return
        }
      }
    }
  }

  @Test(arguments: allGameModes.map { "\($0.0)/\($0.1.rawValue)" })
  func exportedLevelsRoundTrip(_ key: String) throws {
    let (game, mode) = split(key)
    let env = try makeEnv(game, mode), loaded = try makeEnv(game, mode)
    for seed in UInt32(0)..<20 {
      env.reset(levelSeed: seed)
      guard let file = env.exportLevel() else { return }
      let parsed = try LevelFile.parse(file.text(), path: "\(game)-\(seed).txt").0
      #expect(parsed == file)
      try loaded.load(level: parsed)
      #expect(loaded.levelHash() == env.levelHash(), "\(key) seed \(seed): export → load changes the level")
    }
  }

  @Test func badStatesAreRejectedWithoutCrashing() throws {
    for (game, mode) in allGameModes {
      let env = try makeEnv(game, mode)
      let good = env.saveState()
      for cut in [0, 3, good.count / 2, good.count - 1] {
        #expect(throws: ArcadeError.self) { try env.restoreState(Array(good.prefix(cut))) }
      }
      var flipped = good
      flipped[0] ^= 0xff
      #expect(throws: ArcadeError.self) { try env.restoreState(flipped) }
      try env.restoreState(good)
    }
  }

  @Test func unknownGamesAndUnsupportedModesGiveClearErrors() {
    do { _ = try makeEnv("pong", .hard); Issue.record("no error") } catch {
      #expect("\(error)".contains("unknown game 'pong'"))
    }
    for (game, mode) in [("maze", DistributionMode.extreme), ("miner", .exploration), ("leaper", .memory)]
    where Catalog.names.contains(game) {
      do { _ = try makeEnv(game, mode); Issue.record("no error") } catch {
        #expect("\(error)".contains("has no mode '\(mode.rawValue)'"))
      }
    }
  }

  @Test func explorationModePlaysOneFixedLevel() throws {
    for e in Catalog.entries where e.descriptor.modes.contains(.exploration) {
      let env = try makeEnv(e.descriptor.name, .exploration, levels: LevelOptions(randSeed: 4))
      for _ in 0..<5 {
        #expect(env.levelSeed == e.descriptor.explorationSeed)
        env.reset(levelSeed: nil)
      }
    }
  }
}

func split(_ key: String) -> (String, DistributionMode) {
  let p = key.split(separator: "/")
  return (String(p[0]), DistributionMode(rawValue: String(p[1]))!)
}
