// The agent's parameters: the shapes it reports without allocating, and a checkpoint round trip with the
// errors of damaged files (the checkpoint format itself is checked in ArcadeNNTests).
import ArcadeNN
import ArcadeNNTestSupport
@testable import ArcadeRL
import ArcadeTensor
import Foundation
import Testing

extension ArcadeRLSuite {
  @Suite struct AgentParameters {
    /// The shapes an agent reports without allocating are exactly the ones it registers when built.
    @Test(arguments: CoreKind.allCases)
    func parameterShapesMatchTheBuiltModel(_ kind: CoreKind) {
      var rl = RLAgentConfig(core: kind)
      rl.gridShape = [3, 4, 5]
      #expect(RLAgent.parameterShapes(rl).map { "\($0.name)\($0.shape)" } == RLAgent(rl).ps.params.map { "\($0.name)\($0.shape)" })
      #expect(RLAgent.parameterShapes(RLAgentConfig(core: kind)).map(\.shape) == RLAgent(RLAgentConfig(core: kind)).ps.params.map(\.shape))
    }

    let scratch = ScratchDirectory("arcade-rl-agent-params")
    func tempPath(_ name: String) -> String { scratch.path + "/" + name }

    @Test func checkpointRoundTripAndErrors() throws {
      let agent = RLAgent(RLAgentConfig(core: .srwm), seed: 1)
      let path = tempPath("agent.safetensors")
      try Checkpoint.save(agent.ps, to: path, extra: [("optim.step", [1], [42])], metadata: ["format": "procarcade-nn"])
      let other = RLAgent(RLAgentConfig(core: .srwm), seed: 2)
      #expect(other.ps.values.array != agent.ps.values.array)
      let rest = try Checkpoint.load(other.ps, from: path)
      #expect(other.ps.values.array == agent.ps.values.array)
      #expect(rest["optim.step"]?.1 == [42])
      #expect(try Checkpoint.read(path).metadata["format"] == "procarcade-nn")
      // No temporary file is left behind.
      let dir = (path as NSString).deletingLastPathComponent
      #expect(try FileManager.default.contentsOfDirectory(atPath: dir).allSatisfy { !$0.contains(".tmp") })

      let data = try Data(contentsOf: URL(fileURLWithPath: path))
      func expectError(_ bytes: Data, _ name: String, contains: String) {
        let p = tempPath(name)
        try? bytes.write(to: URL(fileURLWithPath: p))
        do {
          try Checkpoint.load(other.ps, from: p)
          Issue.record("no error for \(name)")
        } catch let e as CheckpointError {
          let s = e.description
          #expect(s.contains(p) && s.contains(contains) && !s.contains("\n"), "\(s)")
        } catch { Issue.record("unexpected error \(error)") }
      }
      expectError(data.prefix(5), "short.safetensors", contains: "truncated")
      expectError(data.prefix(data.count / 2), "half.safetensors", contains: "truncated")
      var bad = data; bad[10] = UInt8(ascii: "#")
      expectError(bad, "badjson.safetensors", contains: "corrupt header")
      expectError(Data(), "empty.safetensors", contains: "truncated")
      // A header claiming an absurd shape must not overflow or trap.
      let hdr = "{\"p\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,16]}}"
      var huge = Data(); var hl = UInt64(hdr.utf8.count).littleEndian
      withUnsafeBytes(of: &hl) { huge.append(contentsOf: $0) }
      huge.append(hdr.data(using: .utf8)!); huge.append(Data(count: 16))
      expectError(huge, "huge.safetensors", contains: "larger than the file")
      let lstm = RLAgent(RLAgentConfig(core: .lstm), seed: 1)
      do { try Checkpoint.load(lstm.ps, from: path); Issue.record("loaded an srwm checkpoint into an lstm agent") } catch let e as CheckpointError {
        #expect(e.description.contains("missing parameter"))
      }
      do { try Checkpoint.load(other.ps, from: tempPath("does-not-exist")); Issue.record("no error") } catch let e as CheckpointError {
        #expect(e.description.contains("cannot read"))
      }
    }
  }
}
