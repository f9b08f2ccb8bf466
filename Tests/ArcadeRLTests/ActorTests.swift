// The Actor is the one acting path (training, eval, watch): it must act exactly as the loops it replaced,
// and the overlap pipeline built on it must be deterministic and resume bit for bit.
import ArcadeCore
import ArcadeGames
@testable import ArcadeNN
import ArcadeTensor
@testable import ArcadeRL
import Foundation
import Testing

/// Every suite of this target runs inside this one, one test at a time: the network's thread count
/// (`Parallel.configure`) is process-wide, and the trainers' bit-for-bit checks must not see another
/// test change it halfway.
@Suite(.serialized) struct ArcadeRLSuite {}

extension ArcadeRLSuite {
  @Suite(.serialized) struct ActorTests {
    let games = ["bigfish", "maze", "leaper"]

    func makeVec(_ B: Int, seed: UInt64) throws -> VecEnv {
      try VecEnv(games: games, count: B, options: GameOptions(mode: .easy),
                 levels: LevelOptions(numLevels: 200, startLevel: 0, randSeed: seed), observations: [.grid], threads: 1,
                 make: Catalog.make)
    }

    func makeAgent(_ vec: VecEnv, core: String, encoder: GridEncoder? = nil) -> RLAgent {
      var c = TrainConfig()
      c.obs = "grid"; c.model = core; c.encoder = encoder
      return RLAgent(AgentFactory.agentConfig(c, gridShape: vec.gridShape), seed: 3)
    }

    /// The trainer's collection loop before the Actor (copied from it), as the reference.
    @Test(arguments: ["srwm", "lstm"])
    func actorActsAsTheOldCollectLoop(_ core: String) throws {
      Parallel.configure(threads: 1)
      let B = 6, T = 30, A = 15
      let vecA = try makeVec(B, seed: 7), vecB = try makeVec(B, seed: 7)
      let agentA = makeAgent(vecA, core: core), agentB = makeAgent(vecB, core: core)
      let g = vecA.gridShape, obs = g.channels * g.height * g.width
      // Reference.
      let ref = Unroll(T: T, B: B, A: A, obsSize: obs, isRGB: false)
      ref.storeObservations(vecA, at: 0)
      for b in 0..<B { ref.dones[b] = 1 }
      var rng = PCG32(seed: 99, stream: 11)
      let state = agentA.initialState(batch: B)
      var actions = [Int32](repeating: 4, count: B)
      var refEnded: [Int] = []
      for t in 0..<T {
        let (logits, _) = agentA.forward(ref.input(t), reward: ref.rewards.baseAddress! + t * B,
                                         done: ref.dones.baseAddress! + t * B, T: 1, B: B, state: state)
        for b in 0..<B {
          let a = ActionSampler.sample(logits + b * A, count: A, rng: &rng)
          actions[b] = Int32(a)
          ref.actions[(t + 1) * B + b] = a
          for k in 0..<A { ref.logits[((t + 1) * B + b) * A + k] = logits[b * A + k] }
        }
        vecA.step(actions)
        ref.storeObservations(vecA, at: t + 1)
        for b in 0..<B {
          let done = vecA.terminated[b] != 0 || vecA.truncated[b] != 0
          ref.rewards[(t + 1) * B + b] = vecA.rewards[b]
          ref.dones[(t + 1) * B + b] = done ? 1 : 0
          if done { refEnded.append(t * B + b) }
        }
      }
      // Actor.
      let u = Unroll(T: T, B: B, A: A, obsSize: obs, isRGB: false)
      u.storeObservations(vecB, at: 0)
      for b in 0..<B { u.dones[b] = 1 }
      let actor = Actor(agent: agentB, batch: B, rng: PCG32(seed: 99, stream: 11))
      var ended: [Int] = []
      for t in 0..<T { actor.step(vecB, from: u.entry(t), to: u.entry(t + 1)) { ended.append(t * B + $0) } }
      #expect(Array(u.actions) == Array(ref.actions))
      #expect(Array(u.logits) == Array(ref.logits))
      #expect(Array(u.rewards) == Array(ref.rewards) && Array(u.dones) == Array(ref.dones))
      #expect(Array(u.grids) == Array(ref.grids))
      #expect(ended == refEnded)
      #expect(zip(actor.state, state).allSatisfy { $0.array == $1.array })
    }

    /// The evaluator's loop before the Actor (copied from it): the same returns on the same agent and seed.
    @Test func evaluatorGivesTheSameResultsAsBefore() throws {
      Parallel.configure(threads: 1)
      var ev = Evaluator(games: games, mode: .easy, startLevels: [1000], numLevels: 200, episodesPerGame: 3, greedy: false)
      ev.envsPerGame = 2
      for greedy in [false, true] {
        ev.greedy = greedy
        let vec0 = try makeVec(games.count, seed: 1)
        let agent = makeAgent(vec0, core: "srwm")
        let got = try ev.run(.agent(agent, obs: "grid"))
        // Reference loop.
        let B = ev.envsPerGame * games.count
        let vec = try VecEnv(games: games, count: B, options: GameOptions(mode: .easy),
                             levels: LevelOptions(numLevels: 200, startLevel: 1000, randSeed: ev.seed), observations: [.grid],
                             threads: 1, make: Catalog.make)
        let g = vec.gridShape
        let step = Unroll(T: 0, B: B, A: 15, obsSize: g.channels * g.height * g.width, isRGB: false)
        let state = agent.initialState(batch: B)
        var rng = PCG32(seed: ev.seed, stream: 21)
        var returns = [String: [Double]]()
        for b in 0..<B { step.dones[b] = 1 }
        var actions = [Int32](repeating: 4, count: B)
        while !games.allSatisfy({ (returns[$0]?.count ?? 0) >= 3 }) {
          step.storeObservations(vec, at: 0)
          let (logits, _) = agent.forward(step.input(0), reward: step.rewards.baseAddress!, done: step.dones.baseAddress!,
                                          T: 1, B: B, state: state)
          for b in 0..<B {
            let l = logits + b * 15
            actions[b] = Int32(greedy ? ActionSampler.greedy(l, count: 15) : ActionSampler.sample(l, count: 15, rng: &rng))
          }
          vec.step(actions)
          for b in 0..<B {
            let done = vec.terminated[b] != 0 || vec.truncated[b] != 0
            step.rewards[b] = vec.rewards[b]
            step.dones[b] = done ? 1 : 0
            guard done else { continue }
            let gname = games[b % games.count]
            if (returns[gname]?.count ?? 0) < 3 { returns[gname, default: []].append(Double(vec.infos[b].episodeReturn)) }
          }
        }
        for r in got { #expect(r.meanReturn == MeanCI(returns[r.game] ?? []), "\(r.game) greedy \(greedy)") }
      }
    }

    func overlapConfig(threads: Int, frames: Int = 960) -> TrainConfig {
      var c = TrainConfig()
      c.games = ["maze", "leaper"]; c.obs = "grid"; c.model = "srwm"
      c.frames = frames; c.unroll = 10; c.batch = 8; c.threads = threads
      c.logEvery = 240; c.checkpointEvery = 480
      c.pipeline = .overlap
      return c
    }

    func tempDir(_ name: String) -> String {
      let d = NSTemporaryDirectory() + "arcade-actor-\(name)-\(getpid())"
      try? FileManager.default.removeItem(atPath: d)
      return d
    }

    /// Two overlap runs with the same seed and thread count give the same weights, whether the learner
    /// uses the process-wide worker pool or its own (inline with 2 threads) while the actor thread runs; and they differ from the sync run (policy lag).
    @Test(arguments: [1, 2])
    func overlapTrainingIsDeterministic(_ threads: Int) throws {
      var weights: [[Float]] = []
      for (i, pool) in [true, true, false].enumerated() {
        let dir = tempDir("det\(threads)-\(i)")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let t = try Trainer(config: overlapConfig(threads: threads), runDirectory: dir)
        t.learnerSharesPool = pool
        try t.run { _ in }
        #expect(t.frames == 960)
        weights.append(t.agent.ps.values.array)
      }
      #expect(weights[0] == weights[1])
      #expect(weights[0] == weights[2])
      var sync = overlapConfig(threads: threads)
      sync.pipeline = .sync
      let dir = tempDir("det-sync\(threads)")
      defer { try? FileManager.default.removeItem(atPath: dir) }
      let s = try Trainer(config: sync, runDirectory: dir)
      try s.run { _ in }
      #expect(s.agent.ps.values.array != weights[0])
    }

    /// The actor's forward pass (grid read in place, grid_fc weights transposed once and reused) gives the
    /// same logits and values as the learner's (grid copied, weights transposed in the call), and both
    /// stay close to a dense product (the sparse grid encoder skips the zero inputs only). With a conv
    /// encoder the actor's pools find maxima without argmax indices: the same outputs.
    @Test(arguments: [GridEncoder.linear, .conv, .linearConv])
    func actingForwardEqualsLearnerForward(_ encoder: GridEncoder) throws {
      Parallel.configure(threads: 1)
      let B = 6
      let vec = try makeVec(B, seed: 5)
      let agent = makeAgent(vec, core: "srwm", encoder: encoder == .linear ? nil : encoder)
      let actor = Actor(agent: agent, batch: B, rng: PCG32(seed: 1, stream: 1))
      let reward = [Float](repeating: 0.5, count: B), done = [Float](repeating: 0, count: B)
      let st = agent.initialState(batch: B)
      for _ in 0..<3 {
        let (l, v) = agent.forward(grid: UnsafePointer(vec.grid.baseAddress!), reward: reward, done: done, T: 1, B: B, state: st)
        let want = (Array(UnsafeBufferPointer(start: l, count: B * 15)), Array(UnsafeBufferPointer(start: v, count: B)))
        actor.act(.grid(UnsafePointer(vec.grid.baseAddress!)), reward: reward, done: done)
        #expect(Array(UnsafeBufferPointer(start: actor.logits!, count: B * 15)) == want.0)
        #expect(Array(UnsafeBufferPointer(start: actor.values!, count: B)) == want.1)
        vec.step(UnsafeBufferPointer(actor.actions))
      }
      guard encoder == .linear else { return }   // conv: fc reads features; linear+conv: fcOut holds both branches
      // grid_fc against a dense sum.
      let fcIn = agent.fc.inDim, F = agent.fc.outDim
      _ = agent.forward(grid: UnsafePointer(vec.grid.baseAddress!), reward: reward, done: done, T: 1, B: B, state: st)
      let W = agent.ps.w(agent.fc.w), bias = agent.ps.w(agent.fc.b!)
      var worst: Float = 0
      for b in 0..<B {
        for j in 0..<F {
          var acc: Double = Double(bias[j])
          for i in 0..<fcIn { acc += Double(vec.grid[b * fcIn + i]) * Double(W[j * fcIn + i]) }
          worst = max(worst, abs(Float(acc) - agent.fcOut.ptr[b * F + j]))
        }
      }
      #expect(worst < 1e-5)
    }

    /// Old configs (no pipeline field) decode as sync; the field round-trips.
    @Test func pipelineFieldDecodesFromOldConfigs() throws {
      var c = TrainConfig()
      let old = AgentFactory.encode(c)
      #expect(!old.contains("pipeline"))
      let decoded = try JSONDecoder().decode(TrainConfig.self, from: Data(old.utf8))
      #expect(decoded.trainPipeline == .sync)
      c.pipeline = .overlap
      #expect(try JSONDecoder().decode(TrainConfig.self, from: Data(AgentFactory.encode(c).utf8)).trainPipeline == .overlap)
    }
  }
}
