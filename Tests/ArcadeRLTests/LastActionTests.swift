// `--last-action`: the core reads a one-hot of the previous action, the same one when acting and learning.
import ArcadeCore
import ArcadeGames
@testable import ArcadeNN
import ArcadeTensor
@testable import ArcadeRL
import Foundation
import Testing

extension ArcadeRLSuite {
  @Suite(.serialized) struct LastActionTests {
    func agent(lastAction: Bool, seed: UInt64 = 3) -> RLAgent {
      var c = TrainConfig()
      c.obs = "grid"; c.model = "srwm"; c.lastAction = lastAction ? true : nil
      return RLAgent(AgentFactory.agentConfig(c, gridShape: (3, 5, 4)), seed: seed)
    }

    func logits(_ a: RLAgent, lastAction: [Int], done: [Float]) -> [Float] {
      let B = lastAction.count, grid = [Float](repeating: 0.5, count: B * 60), reward = [Float](repeating: 0, count: B)
      let out = a.forward(grid: grid, reward: reward, done: done, lastAction: lastAction, T: 1, B: B, state: a.initialState(batch: B))
      return Array(UnsafeBufferPointer(start: out.logits, count: B * a.config.numActions))
    }

    @Test func theCoreReadsTheLastActionWithinAnEpisodeOnly() {
      let a = agent(lastAction: true), A = 15
      #expect(a.config.coreInputWidth == a.config.cnnFC + 1 + A)
      // Column 0 continues an episode, column 1 starts one: only column 0's policy depends on the last action.
      let left = logits(a, lastAction: [1, 1], done: [0, 1]), right = logits(a, lastAction: [2, 2], done: [0, 1])
      #expect(left[0..<A] != right[0..<A])
      #expect(left[A..<(2 * A)] == right[A..<(2 * A)])
      let plain = agent(lastAction: false)
      #expect(logits(plain, lastAction: [1, 1], done: [0, 1]) == logits(plain, lastAction: [2, 2], done: [0, 1]))
    }

    /// The actor's behaviour logits at each step are what the learner's forward over the stored unroll
    /// computes: both read entry t's action as the one that led to frame t.
    @Test func actingAndLearningReadTheSameLastAction() throws {
      Parallel.configure(threads: 1)
      let B = 4, T = 25, A = 15
      let vec = try VecEnv(games: ["maze", "leaper"], count: B, options: GameOptions(mode: .easy),
                           levels: LevelOptions(numLevels: 200, startLevel: 0, randSeed: 5), observations: [.grid], threads: 1,
                           make: Catalog.make)
      var c = TrainConfig()
      c.obs = "grid"; c.model = "srwm"; c.lastAction = true
      let agent = RLAgent(AgentFactory.agentConfig(c, gridShape: vec.gridShape), seed: 4)
      let g = vec.gridShape, u = Unroll(T: T, B: B, A: A, obsSize: g.channels * g.height * g.width, isRGB: false)
      u.storeObservations(vec, at: 0)
      for b in 0..<B { u.dones[b] = 1 }
      let actor = Actor(agent: agent, batch: B, rng: PCG32(seed: 1, stream: 2))
      var ended = 0
      for t in 0..<T { actor.step(vec, from: u.entry(t), to: u.entry(t + 1)) { _ in ended += 1 } }
      #expect(Set(u.actions[B...]).count > 3)
      let (l, _) = agent.forward(u.input(0), reward: u.rewards.baseAddress!, done: u.dones.baseAddress!,
                                 lastAction: u.actions.baseAddress!, T: T, B: B, state: agent.initialState(batch: B))
      var worst: Float = 0
      for i in 0..<(T * B * A) { worst = max(worst, abs(l[i] - u.logits[B * A + i])) }
      #expect(worst < 1e-4)
      // Reading the actions one step off gives other logits: the check above can fail.
      let shifted = Array(u.actions[B...]) + [Int](repeating: 0, count: B)
      let (m, _) = agent.forward(u.input(0), reward: u.rewards.baseAddress!, done: u.dones.baseAddress!,
                                 lastAction: shifted, T: T, B: B, state: agent.initialState(batch: B))
      #expect((0..<(T * B * A)).contains { abs(m[$0] - u.logits[B * A + $0]) > 1e-3 })
    }

    /// `--init-from` an agent without the input: the new columns start at zero, so the policy is the same.
    @Test func anAgentWithoutItStartsARunWithItAtTheSamePolicy() throws {
      func config(lastAction: Bool, seed: UInt64) -> TrainConfig {
        var c = TrainConfig()
        c.games = ["maze", "leaper"]; c.obs = "grid"; c.model = "srwm"; c.seed = seed; c.lastAction = lastAction ? true : nil
        c.frames = 80; c.unroll = 10; c.batch = 4; c.logEvery = 40; c.checkpointEvery = 40; c.threads = 1
        return c
      }
      let source = NSTemporaryDirectory() + "arcade-lastaction-src-\(getpid())", target = source + "-target"
      defer { for d in [source, target] { try? FileManager.default.removeItem(atPath: d) } }
      let trained = try Trainer(config: config(lastAction: false, seed: 1), runDirectory: source)
      try trained.run { _ in }
      let t = try Trainer(config: config(lastAction: true, seed: 2), runDirectory: target)
      try t.initialiseWeights(fromAgent: source)
      let g = try #require(t.agent.config.gridShape), n = 3, size = g.reduce(1, *)
      var grid = [Float](repeating: 0, count: n * size)
      for i in stride(from: 0, to: grid.count, by: 5) { grid[i] = 1 }
      let zeros = [Float](repeating: 0, count: n)
      func policy(_ a: RLAgent) -> [Float] {
        let out = a.forward(grid: grid, reward: zeros, done: zeros, lastAction: [3, 7, 11], T: 1, B: n, state: a.initialState(batch: n))
        return Array(UnsafeBufferPointer(start: out.logits, count: n * 15))
      }
      #expect(policy(t.agent) == policy(trained.agent))
      try t.run { _ in }
      #expect(policy(t.agent) != policy(trained.agent))
      // The other way round does not fit.
      let back = try Trainer(config: config(lastAction: false, seed: 3), runDirectory: source + "-back")
      defer { try? FileManager.default.removeItem(atPath: source + "-back") }
      #expect(throws: ArcadeError.self) { try back.initialiseWeights(fromAgent: target) }
    }
  }
}
