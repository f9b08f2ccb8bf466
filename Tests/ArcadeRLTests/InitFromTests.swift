import Foundation
import Testing
import ArcadeCore
@testable import ArcadeRL

extension ArcadeRLSuite {
  /// `arcade train --init-from`: a new run starts from another agent's weights, in both pipelines.
  @Suite(.serialized) struct InitFromTests {
    func config(model: String = "srwm", seed: UInt64, pipeline: TrainPipeline = .sync, encoder: GridEncoder? = nil) -> TrainConfig {
      var c = TrainConfig()
      c.games = ["maze", "leaper"]; c.obs = "grid"; c.model = model; c.seed = seed; c.pipeline = pipeline; c.encoder = encoder
      c.frames = 80; c.unroll = 10; c.batch = 4; c.logEvery = 40; c.checkpointEvery = 40; c.threads = 2
      return c
    }
    func tempDir(_ name: String) -> String {
      let d = NSTemporaryDirectory() + "arcade-init-\(name)-\(getpid())"
      try? FileManager.default.removeItem(atPath: d)
      return d
    }
    func weights(_ t: Trainer) -> [Float] { Array(UnsafeBufferPointer(start: t.agent.ps.values.ptr, count: t.agent.ps.count)) }

    @Test(arguments: [TrainPipeline.sync, .overlap])
    func aNewRunTakesTheAgentsWeightsAndActsWithThem(_ pipeline: TrainPipeline) throws {
      let source = tempDir("source"), target = tempDir("target-\(pipeline)")
      defer { try? FileManager.default.removeItem(atPath: source); try? FileManager.default.removeItem(atPath: target) }
      let trained = try Trainer(config: config(seed: 1), runDirectory: source)
      try trained.run { _ in }
      let t = try Trainer(config: config(seed: 2, pipeline: pipeline), runDirectory: target)
      #expect(weights(t) != weights(trained))
      try t.initialiseWeights(fromAgent: source)       // the folder stands for its agent.safetensors
      #expect(weights(t) == weights(trained))
      let actorWeights = Array(UnsafeBufferPointer(start: t.actor.agent.ps.values.ptr, count: t.actor.agent.ps.count))
      #expect(actorWeights == weights(trained))
      try t.run { _ in }
      #expect(t.frames == 80)
    }

    @Test func anAgentOfAnotherShapeIsRefusedWithOneLine() throws {
      let source = tempDir("ff"), target = tempDir("srwm")
      defer { try? FileManager.default.removeItem(atPath: source); try? FileManager.default.removeItem(atPath: target) }
      try Trainer(config: config(model: "ff", seed: 1), runDirectory: source).run { _ in }
      let t = try Trainer(config: config(seed: 1), runDirectory: target)
      #expect(throws: ArcadeError.self) { try t.initialiseWeights(fromAgent: source) }
      do { try t.initialiseWeights(fromAgent: source) } catch let e as ArcadeError {
        #expect(e.message.contains("model is ff, this run's is srwm") && !e.message.contains("\n"))
      }
      #expect(throws: ArcadeError.self) { try t.initialiseWeights(fromAgent: target + "/none") }
    }

    /// A linear agent grows a conv branch: same policy at the start (the branch's fc is zero), and
    /// training then moves the branch. The other way round is refused.
    @Test func aLinearAgentGrowsAConvBranchThatStartsAtZero() throws {
      let source = tempDir("linear"), target = tempDir("linear-conv"), conv = tempDir("conv")
      defer { for d in [source, target, conv] { try? FileManager.default.removeItem(atPath: d) } }
      let trained = try Trainer(config: config(seed: 1), runDirectory: source)
      try trained.run { _ in }
      let t = try Trainer(config: config(seed: 2, encoder: .linearConv), runDirectory: target)
      try t.initialiseWeights(fromAgent: source)
      let ps = t.agent.ps
      for p in trained.agent.ps.params {
        let mine = try #require(ps.ref(p.name))
        #expect(Array(UnsafeBufferPointer(start: ps.w(mine), count: p.count))
                == Array(UnsafeBufferPointer(start: trained.agent.ps.w(p), count: p.count)), "\(p.name)")
      }
      let branchFC = try #require(ps.ref("grid_conv_fc.weight"))
      let convWeights = try #require(ps.ref("grid_cnn.stages.0.conv.weight"))
      #expect(UnsafeBufferPointer(start: ps.w(branchFC), count: branchFC.count).allSatisfy { $0 == 0 })
      #expect(UnsafeBufferPointer(start: ps.w(convWeights), count: convWeights.count).contains { $0 != 0 })

      // The same logits on a grid with a few cells set, and a different one for a conv-only agent.
      let g = try #require(t.agent.config.gridShape), n = 3, size = g.reduce(1, *)
      var grid = [Float](repeating: 0, count: n * size)
      for i in stride(from: 0, to: grid.count, by: 7) { grid[i] = 1 }
      let zeros = [Float](repeating: 0, count: n)
      func logits(_ a: RLAgent) -> [Float] {
        let out = a.forward(grid: grid, reward: zeros, done: zeros, T: 1, B: n, state: a.initialState(batch: n))
        return Array(UnsafeBufferPointer(start: out.logits, count: n * a.config.numActions))
      }
      #expect(logits(t.agent) == logits(trained.agent))

      try t.run { _ in }
      #expect(UnsafeBufferPointer(start: ps.w(branchFC), count: branchFC.count).contains { $0 != 0 },
              "training moved the conv branch")

      // --conv-lr-scale gives exactly the branch's tensors the larger learning rate, and needs the branch.
      var scaled = config(seed: 2, encoder: .linearConv)
      scaled.convLRScale = 5
      let s = try Trainer(config: scaled, runDirectory: tempDir("scaled"))
      defer { try? FileManager.default.removeItem(atPath: tempDir("scaled")) }
      let branch = ps.params.filter { $0.name.hasPrefix("grid_cnn.") || $0.name.hasPrefix("grid_conv_fc.") }
      #expect(branch.count >= 3)
      #expect(s.learner.optimizer.scaledRanges.map(\.range) == branch.map { $0.offset..<$0.offset + $0.count })
      #expect(s.learner.optimizer.scaledRanges.allSatisfy { $0.factor == 5 })
      #expect(t.learner.optimizer.scaledRanges.isEmpty)
      var linear = config(seed: 2)
      linear.convLRScale = 5
      #expect(throws: ArcadeError.self) { try linear.validate(knownGames: ["maze", "leaper"]) }

      try Trainer(config: config(seed: 1, encoder: .conv), runDirectory: conv).run { _ in }
      let back = try Trainer(config: config(seed: 3, encoder: .linearConv), runDirectory: tempDir("back"))
      defer { try? FileManager.default.removeItem(atPath: tempDir("back")) }
      do {
        try back.initialiseWeights(fromAgent: conv)
        Issue.record("a conv agent started a linear+conv run")
      } catch let e as ArcadeError {
        #expect(e.message.contains("encoder is conv, this run's is linear+conv") && !e.message.contains("\n"))
      }
    }
  }
}
