import Foundation
import Testing
import ArcadeCore
@testable import ArcadeRL

extension ArcadeRLSuite {
  /// `arcade train --init-from`: a new run starts from another agent's weights, in both pipelines.
  @Suite(.serialized) struct InitFromTests {
    func config(model: String = "srwm", seed: UInt64, pipeline: TrainPipeline = .sync) -> TrainConfig {
      var c = TrainConfig()
      c.games = ["maze", "leaper"]; c.obs = "grid"; c.model = model; c.seed = seed; c.pipeline = pipeline
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
  }
}
