// Prioritized Level Replay: the score, rank and staleness arithmetic against hand-worked values, the level
// sampler against its distribution, the trainer's scoring of unrolls, and the checkpoint round trip.
import ArcadeCore
import ArcadeGames
import Foundation
import Testing
@testable import ArcadeRL

extension ArcadeRLSuite {
  @Suite(.serialized) struct LevelReplayTests {
    func settings(p: Double = 0.5, beta: Double = 1, rho: Double = 0.1) -> LevelReplaySettings {
      var s = LevelReplaySettings()
      s.replayProbability = p; s.temperature = beta; s.staleness = rho
      return s
    }

    /// Levels 10–13; 10, 11, 12 sampled in turn and scored 0.5, 2.0, 1.0; then 11 sampled again (c = 4).
    func worked(_ s: LevelReplaySettings) -> LevelReplay {
      var r = LevelReplay(seeds: [10, 11, 12, 13], settings: s)
      for seed: UInt32 in [10, 11, 12] { r.sampled(seed) }
      r.scored(10, 0.5); r.scored(11, 2.0); r.scored(12, 1.0)
      r.sampled(11)
      return r
    }

    func expectClose(_ a: [Double], _ b: [Double], sourceLocation: SourceLocation = #_sourceLocation) {
      #expect(a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) < 1e-12 }, "\(a) vs \(b)", sourceLocation: sourceLocation)
    }

    @Test func rankStalenessAndMixtureMatchHandWorkedValues() {
      let r = worked(settings())
      // Ranks by score: 11 (2.0) first, 12 (1.0) second, 10 (0.5) third; β = 1: h = 1, 1/2, 1/3, sum 11/6.
      expectClose(r.scoreDistribution(), [2.0 / 11, 6.0 / 11, 3.0 / 11, 0])
      // c = 4; last sampled at 1, 4, 3: staleness 3, 0, 1 over the seen levels.
      expectClose(r.stalenessDistribution(), [0.75, 0, 0.25, 0])
      // P_replay = 0.9·P_S + 0.1·P_C.
      let replay = [0.9 * 2 / 11 + 0.075, 0.9 * 6 / 11, 0.9 * 3 / 11 + 0.025, 0]
      expectClose(r.replayDistribution(), replay)
      // p = 0.5 on the seen levels, 0.5 on the one unseen level (13).
      expectClose(r.weights(), [0.5 * replay[0], 0.5 * replay[1], 0.5 * replay[2], 0.5])
      #expect(r.seenCount == 3 && r.sampledEpisodes == 4)

      // The paper's β = 0.1: (1/rank)^10.
      let sharp = worked(settings(beta: 0.1)).scoreDistribution()
      let half: Double = pow(0.5, 10), third: Double = pow(1.0 / 3, 10)
      let z = 1 + half + third
      expectClose(sharp, [third / z, 1 / z, half / z, 0])
    }

    @Test func edgeCasesOfTheMixture() {
      var r = LevelReplay(seeds: [5, 6, 7], settings: settings())
      expectClose(r.weights(), [1.0 / 3, 1.0 / 3, 1.0 / 3])          // nothing seen: uniform
      r.sampled(6); r.scored(6, 3)
      // One seen level, sampled last: no staleness, P_replay = P_S.
      expectClose(r.weights(), [0.25, 0.5, 0.25])
      for s: UInt32 in [5, 7] { r.sampled(s); r.scored(s, 3) }         // all seen, equal scores
      // Ties rank by list order (5, 6, 7); staleness c = 3, last 2, 1, 3 → 1, 2, 0.
      let ps = [1.0, 0.5, 1.0 / 3].map { $0 / (11.0 / 6) }
      expectClose(r.weights(), [0.9 * ps[0] + 0.1 / 3, 0.9 * ps[1] + 0.2 / 3, 0.9 * ps[2]])
      r.sampled(999); r.scored(999, 1)                                  // not a training level: ignored
      #expect(r.sampledEpisodes == 3 && r.seenCount == 3)
    }

    @Test func stateRoundTripsExactly() throws {
      var r = worked(settings(beta: 0.1))
      r.scored(13, 0.1 + 0.2)                                           // a score that is not a short binary fraction
      var back = LevelReplay(seeds: r.seeds, settings: r.settings)
      try back.decode(r.encoded(), what: "t")
      #expect(back == r)
      var bad = r.encoded()
      bad[5] = 0.5
      #expect(throws: ArcadeError.self) { try back.decode(bad, what: "t") }
    }

    /// Chi-square statistic of `counts` against `probs` × total, cells with an expected count under 5 pooled.
    func chiSquare(_ counts: [Int], _ probs: [Double]) -> (statistic: Double, df: Int) {
      let n = Double(counts.reduce(0, +))
      var stat = 0.0, cells = 0, pooledObs = 0.0, pooledExp = 0.0
      for (c, p) in zip(counts, probs) {
        if n * p < 5 { pooledObs += Double(c); pooledExp += n * p; continue }
        stat += (Double(c) - n * p) * (Double(c) - n * p) / (n * p)
        cells += 1
      }
      if pooledExp > 0 { stat += (pooledObs - pooledExp) * (pooledObs - pooledExp) / pooledExp; cells += 1 }
      return (stat, cells - 1)
    }

    @Test func envsDrawTheirLevelsFromTheReplayDistribution() throws {
      // 20 levels, 12 seen with scores, through the trainer's hook (weights pushed to the vector env's samplers).
      var levels = LevelOptions(randSeed: 7)
      levels.seeds = (100..<120).map(UInt32.init)
      let vec = try VecEnv(games: ["leaper"], count: 2, levels: levels, observations: [.grid], make: Catalog.make)
      let tracker = LevelReplayTracker(seeds: levels.seeds!, settings: settings(beta: 0.5), games: 1, T: 1, B: 2)
      var state = tracker.games[0]
      for i in 0..<12 { state.sampled(UInt32(100 + i)); state.scored(UInt32(100 + i), Double((i * 7) % 5) + 0.1 * Double(i)) }
      state.sampled(103)
      tracker.setState(state, game: 0)
      tracker.push(to: vec)
      let probs = state.weights()
      var counts = Array(repeating: 0, count: 20)
      for _ in 0..<20_000 {
        vec.envs[1].reset(levelSeed: nil)
        counts[Int(vec.envs[1].levelSeed) - 100] += 1
      }
      let (stat, df) = chiSquare(counts, probs)
      // 99.9% quantiles of χ² (df 10–19); a wrong distribution (e.g. uniform) gives thousands.
      let critical = [10: 29.59, 11: 31.26, 12: 32.91, 13: 34.53, 14: 36.12, 15: 37.70, 16: 39.25, 17: 40.79, 18: 42.31, 19: 43.82]
      #expect(df >= 10, "only \(df) degrees of freedom")
      #expect(stat < critical[df] ?? 0, "χ² = \(stat) with \(df) degrees of freedom")
      #expect(chiSquare(counts, Array(repeating: 0.05, count: 20)).statistic > 1000, "indistinguishable from uniform")
    }

    @Test func unrollsScoreTheLevelsOfFinishedEpisodes() {
      // B = 2 envs of one game, two unrolls of T = 2. Env 0: level 1 for 3 steps (errors −1, 2, 3), then level 2.
      // Env 1: level 5 ends after 1 step (error 0.5), level 6 runs on.
      let t = LevelReplayTracker(seeds: [1, 2, 5, 6], settings: settings(), games: 1, T: 2, B: 2)
      var levels: [UInt32] = [1, 5, 1, 6, 1, 6], dones: [Float] = [1, 1, 0, 1, 0, 0]
      for (i, e) in [-1, 0.5, 2, 4].enumerated() { t.errors[i] = Float(e) }
      t.record(levels: levels, dones: dones, T: 2, B: 2)
      #expect(t.games[0].seen == [false, false, true, false] && t.games[0].scores[2] == 0.5)
      levels = [1, 6, 2, 6, 2, 6]; dones = [0, 0, 1, 0, 0, 0]
      for (i, e) in [3, 1, 7, 1].enumerated() { t.errors[i] = Float(e) }
      t.record(levels: levels, dones: dones, T: 2, B: 2)
      #expect(t.games[0].seen == [true, false, true, false])
      #expect(t.games[0].scores[0] == 2, "level 1: mean of |−1|, |2|, |3|")
      #expect(t.running[1].steps == 3 && t.running[1].sum == 6, "level 6's episode runs on: 4 + 1 + 1")
      #expect(t.games[0].sampledEpisodes == 2, "levels 6 and 2 started")
    }

    func config(pipeline: TrainPipeline) -> TrainConfig {
      var c = TrainConfig()
      c.games = ["leaper", "bigfish"]
      c.obs = "grid"; c.model = "lstm"
      c.frames = 1600; c.unroll = 10; c.batch = 4
      c.logEvery = 400; c.checkpointEvery = 800; c.threads = 2
      c.numLevels = 12
      c.pipeline = pipeline
      c.levelReplay = settings(beta: 0.1)
      return c
    }

    func tempDir(_ name: String) -> String {
      let d = NSTemporaryDirectory() + "arcade-plr-\(name)-\(getpid())"
      try? FileManager.default.removeItem(atPath: d)
      return d
    }

    @Test(arguments: [TrainPipeline.sync, .overlap])
    func stoppingAndResumingWithReplayGivesTheSameWeightsBitForBit(_ pipeline: TrainPipeline) throws {
      let whole = tempDir("whole-\(pipeline)"), split = tempDir("split-\(pipeline)"), plain = tempDir("plain-\(pipeline)")
      defer { for d in [whole, split, plain] { try? FileManager.default.removeItem(atPath: d) } }
      let c = config(pipeline: pipeline)
      let one = try Trainer(config: c, runDirectory: whole)
      try one.run { _ in }
      let first = try Trainer(config: c, runDirectory: split)
      try first.run(stopAt: 800) { _ in }
      let resumed = try Trainer.resume(runDirectory: split)
      #expect(resumed.config.levelReplay == c.levelReplay)
      #expect(resumed.levelReplay!.games == first.levelReplay!.games, "replay state after the round trip")
      #expect(resumed.levelReplay!.running.map(\.sum) == first.levelReplay!.running.map(\.sum))
      try resumed.run { _ in }
      #expect(resumed.levelReplay!.games == one.levelReplay!.games)
      let a = try Data(contentsOf: URL(fileURLWithPath: whole + "/agent.safetensors"))
      let b = try Data(contentsOf: URL(fileURLWithPath: split + "/agent.safetensors"))
      #expect(a == b, "resumed weights differ")
      // The replay did something: levels were scored, and the run differs from one without replay.
      #expect(one.levelReplay!.seenCount.seen > 0)
      var noReplay = c
      noReplay.levelReplay = nil
      try Trainer(config: noReplay, runDirectory: plain).run { _ in }
      let p = try Data(contentsOf: URL(fileURLWithPath: plain + "/agent.safetensors"))
      #expect(p != a, "level replay changed nothing")
    }

    @Test func badReplayConfigurationsGiveOneLineErrors() {
      func problem(_ edit: (inout TrainConfig) -> Void) -> String {
        var c = config(pipeline: .sync)
        edit(&c)
        do { try c.validate(knownGames: Catalog.names); return "" } catch { return "\(error)" }
      }
      let cases: [(String, (inout TrainConfig) -> Void)] = [
        ("needs 1 to 100000 training levels", { $0.numLevels = 0 }),
        ("sets the level weights itself", { $0.levelSeeds = [1, 2]; $0.levelWeights = [1, 1] }),
        ("needs distinct level seeds", { $0.levelSeeds = [1, 2, 1] }),
        ("'levelReplay.temperature' = 0.0 is out of range", { $0.levelReplay!.temperature = 0 }),
        ("'levelReplay.replayProbability' = 1.5", { $0.levelReplay!.replayProbability = 1.5 }),
        ("'levelReplay.staleness' = nan", { $0.levelReplay!.staleness = .nan }),
      ]
      for (words, edit) in cases {
        let s = problem(edit)
        #expect(s.contains(words) && !s.contains("\n"), "\(s)")
      }
      #expect(problem { _ in } == "")
    }
  }
}
