import Foundation
import Testing
import ArcadeCore
import ArcadeNN
@testable import ArcadeRL

extension ArcadeRLSuite {
  @Suite(.serialized) struct TrainerTests {
    func config(model: String = "srwm", frames: Int = 800) -> TrainConfig {
      var c = TrainConfig()
      c.games = ["maze", "leaper"]
      c.obs = "grid"
      c.model = model
      c.frames = frames
      c.unroll = 10
      c.batch = 4
      c.logEvery = 200
      c.checkpointEvery = 400
      c.threads = 1
      return c
    }

    func tempDir(_ name: String) -> String {
      let d = NSTemporaryDirectory() + "arcade-train-\(name)-\(getpid())"
      try? FileManager.default.removeItem(atPath: d)
      return d
    }

    @Test(arguments: ["srwm", "lstm", "ff"], [TrainPipeline.sync, .overlap])
    func stoppingAndResumingGivesTheSameWeightsBitForBit(_ model: String, _ pipeline: TrainPipeline) throws {
      let whole = tempDir("whole-\(model)-\(pipeline)"), split = tempDir("split-\(model)-\(pipeline)")
      defer { try? FileManager.default.removeItem(atPath: whole); try? FileManager.default.removeItem(atPath: split) }
      var c = config(model: model)
      c.pipeline = pipeline
      try Trainer(config: c, runDirectory: whole).run { _ in }
      let first = try Trainer(config: c, runDirectory: split)
      try first.run(stopAt: 400) { _ in }
      #expect(first.frames == 400)
      let resumed = try Trainer.resume(runDirectory: split)
      #expect(resumed.frames == 400 && resumed.config.trainPipeline == pipeline)
      try resumed.run { _ in }
      let a = try Data(contentsOf: URL(fileURLWithPath: whole + "/agent.safetensors"))
      let b = try Data(contentsOf: URL(fileURLWithPath: split + "/agent.safetensors"))
      #expect(a == b, "\(model): resumed weights differ")
      let logA = try RunLog.read(whole + "/metrics.jsonl").map(\.frames)
      let logB = try RunLog.read(split + "/metrics.jsonl").map(\.frames)
      #expect(logA == logB)
    }

    @Test(arguments: [TrainPipeline.sync, .overlap])
    func anAugmentedRunResumesBitForBitAndSeesTurnedMazes(_ pipeline: TrainPipeline) throws {
      let whole = tempDir("aug-whole-\(pipeline)"), split = tempDir("aug-split-\(pipeline)")
      defer { try? FileManager.default.removeItem(atPath: whole); try? FileManager.default.removeItem(atPath: split) }
      var c = config(model: "lstm")
      c.pipeline = pipeline
      c.augment = ["maze"]
      let t = try Trainer(config: c, runDirectory: whole)
      #expect(t.vec.envs.map { $0 is SymmetricEnv } == [true, false, true, false])
      try t.run { _ in }
      let first = try Trainer(config: c, runDirectory: split)
      try first.run(stopAt: 400) { _ in }
      let resumed = try Trainer.resume(runDirectory: split)
      #expect(resumed.config.augment == ["maze"])
      try resumed.run { _ in }
      let a = try Data(contentsOf: URL(fileURLWithPath: whole + "/agent.safetensors"))
      let b = try Data(contentsOf: URL(fileURLWithPath: split + "/agent.safetensors"))
      #expect(a == b, "resumed weights differ")
      // The augmentation changes what the agent learns from.
      c.augment = nil
      let plain = tempDir("aug-plain-\(pipeline)")
      defer { try? FileManager.default.removeItem(atPath: plain) }
      try Trainer(config: c, runDirectory: plain).run { _ in }
      #expect(try Data(contentsOf: URL(fileURLWithPath: plain + "/agent.safetensors")) != a)
    }

    @Test func corruptCheckpointsGiveOneLineErrors() throws {
      let dir = tempDir("corrupt")
      defer { try? FileManager.default.removeItem(atPath: dir) }
      let t = try Trainer(config: config(frames: 40), runDirectory: dir)
      try t.run { _ in }
      let path = dir + "/checkpoint.safetensors"
      let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
      try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: path))
      do { _ = try Trainer.resume(runDirectory: dir); Issue.record("resumed a truncated checkpoint") } catch {
        #expect("\(error)".contains("checkpoint.safetensors") && !"\(error)".contains("\n"))
      }
      do { _ = try Trainer.resume(runDirectory: dir + "-none"); Issue.record("resumed nothing") } catch {
        #expect("\(error)".contains("no checkpoint"))
      }
    }

    @Test func configurationErrorsNameTheProblem() {
      var c = config()
      c.games = ["maze", "pong"]
      #expect(throws: ArcadeError.self) { try c.validate(knownGames: ["maze"]) }
      c = config()
      c.augment = ["heist"]
      #expect { try c.validate(knownGames: ["maze", "leaper", "heist"]) } throws: {
        "\($0)" == "--augment: 'heist' is not one of the run's games (maze,leaper)"
      }
      c = config()
      c.batch = 5
      do { try c.validate(knownGames: ["maze", "leaper"]) } catch {
        #expect("\(error)".contains("multiple of the number of games"))
      }
    }
  }
}
