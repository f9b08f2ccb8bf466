// Optimisers, clipping, schedules and checkpoints.
import ArcadeNN
import ArcadeNNTestSupport
import ArcadeTensor
import Foundation
import Testing

@Suite struct OptimAndCheckpoint {
  func store(_ values: [Float], _ grads: [Float]) -> ParamStore {
    let ps = ParamStore()
    let r = ps.register("p", [values.count])
    for i in 0..<values.count { ps.w(r)[i] = values[i]; ps.g(r)[i] = grads[i] }
    return ps
  }

  @Test func rmspropMatchesPyTorchFormula() {
    let ps = store([1, -2, 0.5], [0.3, -0.1, 2])
    let opt = RMSProp(count: 3, lr: 6e-4, alpha: 0.99, eps: 0.01)
    var p: [Double] = [1, -2, 0.5], v: [Double] = [0, 0, 0]
    let g: [Double] = [0.3, -0.1, 2]
    for _ in 0..<3 {
      opt.step(ps)
      for i in 0..<3 { v[i] = 0.99 * v[i] + 0.01 * g[i] * g[i]; p[i] -= 6e-4 * g[i] / (v[i].squareRoot() + 0.01) }
    }
    for i in 0..<3 { #expect(abs(Double(ps.values[i]) - p[i]) < 1e-6) }
  }

  @Test func adamMatchesPyTorchFormula() {
    let ps = store([1, -2, 0.5], [0.3, -0.1, 2])
    let opt = Adam(count: 3, lr: 1e-3, beta1: 0.9, beta2: 0.995, eps: 1e-9)
    var p: [Double] = [1, -2, 0.5], m: [Double] = [0, 0, 0], v: [Double] = [0, 0, 0]
    let g: [Double] = [0.3, -0.1, 2]
    for t in 1...4 {
      opt.step(ps)
      for i in 0..<3 {
        m[i] = 0.9 * m[i] + 0.1 * g[i]; v[i] = 0.995 * v[i] + 0.005 * g[i] * g[i]
        let mh = m[i] / (1 - pow(0.9, Double(t))), vh = v[i] / (1 - pow(0.995, Double(t)))
        p[i] -= 1e-3 * mh / (vh.squareRoot() + 1e-9)
      }
    }
    for i in 0..<3 { #expect(abs(Double(ps.values[i]) - p[i]) < 1e-6) }
  }

  @Test func clippingAndSchedules() {
    let ps = store([0, 0], [30, 40])
    let norm = GradClip.globalNorm(ps, maxNorm: 40)
    #expect(abs(norm - 50) < 1e-4)
    #expect(abs(ps.grads[0] - 24) < 1e-3 && abs(ps.grads[1] - 32) < 1e-3)
    let ps2 = store([0], [3])
    GradClip.globalNorm(ps2, maxNorm: 40)
    #expect(ps2.grads[0] == 3)
    #expect(LRSchedule.linearDecay(base: 6e-4, step: 0, total: 100) == 6e-4)
    #expect(abs(LRSchedule.linearDecay(base: 6e-4, step: 25, total: 100) - 4.5e-4) < 1e-9)
    #expect(LRSchedule.linearDecay(base: 6e-4, step: 200, total: 100) == 0)
    let peak = LRSchedule.noam(step: 5000, dModel: 256, warmup: 5000)
    #expect(abs(peak - 1 / 16 / Float(5000).squareRoot()) < 1e-7)   // ≈ 8.8e-4
    #expect(LRSchedule.noam(step: 100, dModel: 256, warmup: 5000) < peak)
    #expect(LRSchedule.noam(step: 20000, dModel: 256, warmup: 5000) < peak)
  }

  func tempPath(_ name: String) -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("arcade-nn-tests-\(getpid())")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.appendingPathComponent(name).path
  }

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
