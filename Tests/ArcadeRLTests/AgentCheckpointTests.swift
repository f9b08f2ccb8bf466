// Agent and training checkpoints: the stored training config and grid metadata are checked against their
// documented ranges and the tensors against the shapes they imply before an agent is built; every bad
// value is a one-line error naming the file and the field, never a trap or a huge allocation.
import ArcadeCore
import ArcadeNN
import ArcadeNNTestSupport
@testable import ArcadeRL
import Foundation
import Testing

extension ArcadeRLSuite {
  @Suite(.serialized) struct AgentCheckpointChecks {
    let scratch = ScratchDirectory("arcade-agentckpt")
    var dir: String { scratch.path }

    func config() -> TrainConfig {
      var c = TrainConfig()
      c.obs = "grid"; c.batch = 4; c.unroll = 10
      return c
    }

    /// A small grid agent (grid 1×2×2) saved with `meta` on top of valid metadata; a nil value removes the key.
    func save(_ name: String, config edits: [String: Any] = [:], meta: [String: String?] = [:]) throws -> String {
      let agent = RLAgent(AgentFactory.agentConfig(config(), gridShape: (1, 2, 2)), seed: 1)
      var c = try JSONSerialization.jsonObject(with: Data(AgentFactory.encode(self.config()).utf8)) as! [String: Any]
      for (k, v) in edits { c[k] = v }
      var m: [String: String] = ["format": "procarcade-agent-1", "grid_channels": "1", "grid_height": "2", "grid_width": "2",
                                 "config": String(decoding: try JSONSerialization.data(withJSONObject: c), as: UTF8.self)]
      for (k, v) in meta { m[k] = v }
      let path = dir + "/\(name).safetensors"
      try Checkpoint.save(agent.ps, to: path, metadata: m)
      return path
    }

    func expectError(_ path: String, _ words: String..., sourceLocation: SourceLocation = #_sourceLocation) {
      do {
        _ = try AgentFactory.load(path)
        Issue.record("\(path): loaded without an error", sourceLocation: sourceLocation)
      } catch {
        let s = "\(error)"
        #expect(s.contains(path) && !s.contains("\n") && words.allSatisfy { s.contains($0) }, "\(s)", sourceLocation: sourceLocation)
      }
    }

    @Test func gridMetadataIsChecked() throws {
      #expect(try AgentFactory.load(save("ok")).gridShape == (1, 2, 2))
      for (i, v) in ["-1", "9223372036854775807", "0", "257"].enumerated() {
        expectError(try save("grid\(i)", meta: ["grid_width": v]), "metadata field 'grid_width' = \(v) is out of range 1…256")
      }
      expectError(try save("gridtext", meta: ["grid_height": "abc"]), "'grid_height' is missing or not a whole number")
      expectError(try save("gridnone", meta: ["grid_channels": nil]), "'grid_channels' is missing")
      expectError(try save("gridother", meta: ["grid_width": "3"]), "tensor 'grid_fc.weight' has shape [256, 4], the config needs [256, 6]")
      expectError(try save("format", meta: ["format": "other"]), "format other")
    }

    @Test func storedConfigIsChecked() throws {
      let cases: [(String, Any, String)] = [
        ("batch", 0, "'batch' = 0 is out of range 1…1024"), ("unroll", -1, "'unroll' = -1"), ("frames", 0, "'frames' = 0"),
        ("batch", 1 << 40, "'batch' = 1099511627776"), ("threads", -3, "'threads' = -3"), ("model", "gpt", "unknown model 'gpt'"),
        ("games", [String](), "--games needs 1 to 64"), ("games", ["pong"], "unknown game 'pong'"), ("learningRate", 1e30, "'learningRate'"),
        ("numLevels", -1, "num-levels"), ("mode", "weird", "config field 'mode' has an invalid value"), ("obs", "smell", "unknown observation"),
        ("discount", -1, "'discount' = -1.0"), ("batch", "four", "'batch' has the wrong type"),
      ]
      for (i, (field, value, words)) in cases.enumerated() { expectError(try save("config\(i)", config: [field: value]), words) }
    }

    /// A training checkpoint with one tensor replaced (or added) must not resume.
    @Test func resumeChecksEveryTensor() throws {
      let run = dir + "/run"
      try? FileManager.default.removeItem(atPath: run)
      var c = config(); c.games = ["maze"]; c.frames = 40; c.threads = 1
      let t = try Trainer(config: c, runDirectory: run)
      try t.run { _ in }
      let path = run + "/" + Trainer.checkpointName
      let (tensors, meta) = try Checkpoint.read(path)
      let params = Set(t.agent.ps.params.map(\.name))
      func rewrite(_ edit: (inout [String: ([Int], [Float])]) -> Void) throws {
        var ts = tensors
        edit(&ts)
        try Checkpoint.save(t.agent.ps, to: path, extra: ts.filter { !params.contains($0.key) }.map { ($0.key, $0.value.0, $0.value.1) }, metadata: meta)
      }
      func expectRefused(_ words: String..., sourceLocation: SourceLocation = #_sourceLocation) {
        do { _ = try Trainer.resume(runDirectory: run); Issue.record("resumed", sourceLocation: sourceLocation) } catch {
          let s = "\(error)"
          #expect(s.contains(path) && !s.contains("\n") && words.allSatisfy { s.contains($0) }, "\(s)", sourceLocation: sourceLocation)
        }
      }
      _ = try Trainer.resume(runDirectory: run)
      try rewrite { $0["train.unroll.action"]!.1[0] = 99 }
      expectRefused("'train.unroll.action'", "99")
      try rewrite { $0["train.action_rng"]!.1[2] = -1 }
      expectRefused("'train.action_rng'")
      try rewrite { $0["train.env.0"]!.1[0] = 300 }
      expectRefused("'train.env.0'")
      try rewrite { $0["train.mystery"] = ([1], [0]) }
      expectRefused("unknown tensor 'train.mystery'")
      try rewrite { $0["train.env.4"] = ([1], [0]) }
      expectRefused("5 env states", "'batch' says 4")
      try rewrite { $0["train.unroll.reward"]!.1[1] = .infinity }
      expectRefused("'train.unroll.reward'", "non-finite")
    }

    /// Seeded byte flips, header edits and truncations of a real small agent: each load succeeds or throws.
    @Test func mutationFuzzOnlyLoadsOrThrows() throws {
      let path = try save("fuzz-original")
      let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
      var headerEnd = 8
      for i in 0..<8 { headerEnd += Int(original[i]) << (8 * i) }
      // Digits before the first "dtype" are the metadata's (stored config, grid sizes), where loaders trapped.
      let dtype = Array("\"dtype\"".utf8)
      let firstEntry = (8..<headerEnd).first { Array(original[$0..<min($0 + dtype.count, headerEnd)]) == dtype } ?? headerEnd
      let metaDigits = (8..<firstEntry).filter { (48...57).contains(original[$0]) }
      var rng = PCG32(seed: 14, stream: 3)
      let mutants = 300, target = dir + "/fuzz.safetensors"
      var loaded = 0, refused = 0
      for _ in 0..<mutants {
        var b = original
        switch rng.below(5) {
        case 0: for _ in 0...rng.below(4) { b[rng.below(b.count)] ^= UInt8(1 << rng.below(8)) }
        case 1: b[rng.below(headerEnd)] = UInt8(truncatingIfNeeded: rng.next())
        case 2:
          let digits = (8..<headerEnd).filter { (48...57).contains(b[$0]) }
          b[digits[rng.below(digits.count)]] = Array("0123456789-9".utf8)[rng.below(12)]
        case 3: b[metaDigits[rng.below(metaDigits.count)]] = Array("0123456789-".utf8)[rng.below(11)]
        default: b = Array(b.prefix(rng.below(b.count)))
        }
        try Data(b).write(to: URL(fileURLWithPath: target))
        do { _ = try AgentFactory.load(target); loaded += 1 } catch {
          refused += 1
          #expect("\(error)".contains(target) && !"\(error)".contains("\n"), "\(error)")
        }
      }
      print("agent checkpoint fuzz: \(mutants) mutants, \(loaded) loaded, \(refused) refused with an error, 0 crashes")
      #expect(loaded + refused == mutants && refused > mutants / 4)
    }
  }
}
