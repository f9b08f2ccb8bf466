import Testing
import ArcadeCore
import ArcadeGames

@Suite struct ReplayTests {
  func record(_ game: String, _ mode: DistributionMode, steps: Int, level: LevelFile? = nil) throws -> Replay {
    let env = try makeEnv(game, mode)
    if let level { try env.load(level: level) } else { env.reset(levelSeed: 21) }
    var rec = ReplayRecorder(env: env, level: level, hashEvery: 10)
    var rng = PCG32(seed: 2, stream: 2)
    for _ in 0..<steps {
      let a = Action(rng.below(15))
      let r = env.step(a)
      rec.record(a, env: env)
      if r.done { break }
    }
    return rec.finish(env: env)
  }

  @Test(arguments: Catalog.names)
  func recordedEpisodesReplayExactly(_ game: String) throws {
    let replay = try record(game, .hard, steps: 95)
    let parsed = try Replay.parse(replay.text(), path: "r.rpl")
    #expect(parsed == replay)
    let fresh = try makeEnv(game, .hard, levels: LevelOptions(randSeed: 77))
    guard case .matches = try parsed.check(in: fresh) else {
      Issue.record("\(game): replay diverged")
      return
    }
  }

  @Test func replaysOfLevelFilesCarryTheLevel() throws {
    let level = try LevelFile.parse("game: maze\nmode: easy\nseed: hand-made\nsize: 5x1\nmap:\nA...G\n", path: "l").0
    let replay = try record("maze", .easy, steps: 30, level: level)
    let parsed = try Replay.parse(replay.text(), path: "r.rpl")
    #expect(parsed.level == level)
    guard case .matches = try parsed.check(in: try makeEnv("maze", .easy)) else {
      Issue.record("diverged")
      return
    }
  }

  @Test func aChangedActionIsFoundAtItsCheckpoint() throws {
    var replay = try record("maze", .hard, steps: 200)
    let env = try makeEnv("maze", .hard)
    // Find an action whose change moves the mouse, then expect the divergence
    // at the first checkpoint after it.
    for i in 0..<replay.actions.count {
      var edited = replay
      edited.actions[i] = replay.actions[i] == 7 ? 1 : 7
      if case .diverges(let step, _, _) = try edited.check(in: env) {
        #expect(step >= i + 1 && step <= i + 10)
        return
      }
    }
    replay.actions = []
    Issue.record("no edit changed the rollout")
  }

  @Test func crlfReplaysParseAndCheck() throws {
    let replay = try record("maze", .easy, steps: 30, level: try LevelFile.parse(
      "game: maze\nmode: easy\nseed: hand-made\nsize: 5x1\nmap:\nA...G\n", path: "l").0)
    let crlf = replay.text().split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n")
    let parsed = try Replay.parse(crlf, path: "crlf.rpl")
    #expect(parsed == replay)
    guard case .matches = try parsed.check(in: try makeEnv("maze", .easy)) else {
      Issue.record("diverged")
      return
    }
  }

  @Test func missingOrOutOfRangeHashesAreRefusedNotSkipped() throws {
    let replay = try record("maze", .hard, steps: 120)   // hashes at 10, 20, …, and the last step
    #expect(replay.hashes.map(\.step) == replay.hashSteps && replay.hashSteps.count >= 2)
    let text = replay.text()
    let noHashes = text.split(separator: "\n").filter { !$0.hasPrefix("hash:") }.joined(separator: "\n") + "\n"
    let last = replay.hashes.last!
    let beyond = text.replacingOnce("hash: \(last.step) ", with: "hash: \(last.step + 500) ")
    for (bad, message) in [(noHashes, "no hash for step 10"), (beyond, "hash for step \(last.step + 500) is outside")] {
      do {
        _ = try Replay.parse(bad, path: "x.rpl")
        Issue.record("parsed: \(message)")
      } catch let e as ArcadeError {
        #expect(e.message.hasPrefix("x.rpl:") && e.message.contains(message), "\(e.message)")
      }
    }
    // A replay built in code is checked against the same schedule.
    var cut = replay
    cut.hashes.removeLast()
    #expect(try cut.check(in: try makeEnv("maze", .hard)) == .incomplete(
      "no hash for step \(last.step) (a hash every 10 steps and after the last; lines deleted?)"))
  }

  @Test func truncatedAndMalformedReplaysGiveLocatedErrors() throws {
    let text = try record("maze", .hard, steps: 120).text()
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    let cuts: [(String, String)] = [
      (lines.prefix(6).joined(separator: "\n"), "truncated"),
      (lines.filter { !$0.hasPrefix("actions:") || $0.count < 20 }.joined(separator: "\n"), "truncated?"),
      (text.replacingOnce("procarcade-replay 1", with: "procarcade-replay 9"), "version '9'"),
      (text.replacingOnce("mode: hard", with: "mode: nightmare"), "unknown mode 'nightmare'"),
      (text.replacingOnce("level_seed:", with: "level_sed:"), "unknown field 'level_sed'"),
      ("hello", "not a ProcArcade replay"),
    ]
    for (bad, message) in cuts {
      do {
        _ = try Replay.parse(bad, path: "x.rpl")
        Issue.record("parsed: \(message)")
      } catch let e as ArcadeError {
        #expect(e.message.hasPrefix("x.rpl:") && e.message.contains(message), "\(e.message)")
      }
    }
  }
}

extension String {
  func replacingOnce(_ a: String, with b: String) -> String {
    guard let r = firstRange(of: a) else { return self }
    var s = self
    s.replaceSubrange(r, with: b)
    return s
  }
}
