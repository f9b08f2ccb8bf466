import ArcadeCore
import ArcadeNN
import ArcadeTensor
import Foundation

/// Checkpoints hold everything needed to continue a run exactly: weights,
/// optimiser state, the agents' recurrent state, every env's saved state, the
/// unroll's carried entry, the action sampler's stream, config and frame
/// count. Written atomically, together with a weights-only `agent.safetensors`.
extension Trainer {
  static let format = "procarcade-train-1"
  public static let agentName = "agent.safetensors"

  func metadata() -> [String: String] {
    let g = vec.gridShape
    return [
      "format": Trainer.format, "config": AgentFactory.encode(config), "frames": String(frames),
      "env_steps": String(learner.envSteps), "grid_channels": String(g.channels), "grid_height": String(g.height),
      "grid_width": String(g.width),
    ]
  }

  public func saveCheckpoint() throws {
    var extra: [(String, [Int], [Float])] = []
    extra.append(("train.optimizer.square_avg", [learner.optimizer.squareAvg.count], learner.optimizer.squareAvg.array))
    for (i, s) in actingState.enumerated() { extra.append(("train.state.\(i)", [s.count], s.array)) }
    for (i, e) in vec.envs.enumerated() {
      let bytes = e.saveState()
      extra.append(("train.env.\(i)", [bytes.count], bytes.map(Float.init)))
    }
    let B = unroll.B
    let obs: [Float] = unroll.isRGB
      ? unroll.frames[0..<(B * unroll.obsSize)].map(Float.init) : Array(unroll.grids[0..<(B * unroll.obsSize)])
    extra.append(("train.unroll.obs", [obs.count], obs))
    extra.append(("train.unroll.reward", [B], Array(unroll.rewards[0..<B])))
    extra.append(("train.unroll.done", [B], Array(unroll.dones[0..<B])))
    extra.append(("train.unroll.action", [B], unroll.actions[0..<B].map(Float.init)))
    extra.append(("train.unroll.logits", [B * unroll.A], Array(unroll.logits[0..<(B * unroll.A)])))
    // The sampler's 128 bits as eight 16-bit pieces (exact in Float).
    let words = [actionRNG.state, actionRNG.increment]
    extra.append(("train.action_rng", [8], words.flatMap { w in (0..<4).map { Float((w >> (16 * UInt64($0))) & 0xffff) } }))
    var meta = metadata()
    try Checkpoint.save(agent.ps, to: checkpointPath, extra: extra, metadata: meta)
    meta["format"] = "procarcade-agent-1"
    try Checkpoint.save(agent.ps, to: runDirectory + "/" + Trainer.agentName, metadata: meta)
  }

  /// A trainer continuing the run in `runDirectory` from its checkpoint.
  public static func resume(runDirectory: String) throws -> Trainer {
    let path = runDirectory + "/" + checkpointName
    guard FileManager.default.fileExists(atPath: path) else {
      throw ArcadeError("\(path): no checkpoint to resume from")
    }
    let (tensors, meta) = try Checkpoint.read(path)
    guard meta["format"] == format else { throw ArcadeError("\(path): not a training checkpoint (format \(meta["format"] ?? "none"))") }
    let config = try AgentFactory.config(fromMetadata: meta, file: path)
    let t = try Trainer(config: config, runDirectory: runDirectory)
    try t.restore(tensors: tensors, meta: meta, file: path)
    try t.log.truncate(afterFrames: t.frames)
    return t
  }

  func restore(tensors: [String: ([Int], [Float])], meta: [String: String], file: String) throws {
    func tensor(_ name: String, count: Int? = nil) throws -> [Float] {
      guard let (_, v) = tensors[name], count == nil || v.count == count! else {
        throw ArcadeError("\(file): tensor \(name) is missing or has the wrong size")
      }
      return v
    }
    for r in agent.ps.params { agent.ps.w(r).update(from: try tensor(r.name, count: r.count), count: r.count) }
    let sq = learner.optimizer.squareAvg
    sq.ptr.update(from: try tensor("train.optimizer.square_avg", count: sq.count), count: sq.count)
    for (i, s) in actingState.enumerated() { s.ptr.update(from: try tensor("train.state.\(i)", count: s.count), count: s.count) }
    for (i, e) in vec.envs.enumerated() {
      let bytes = try tensor("train.env.\(i)").map { UInt8(exactly: $0) ?? 0 }
      try e.restoreState(bytes)
    }
    let B = unroll.B
    let obs = try tensor("train.unroll.obs", count: B * unroll.obsSize)
    if unroll.isRGB { for i in 0..<obs.count { unroll.frames[i] = UInt8(obs[i]) } }
    else { for i in 0..<obs.count { unroll.grids[i] = obs[i] } }
    for (i, v) in try tensor("train.unroll.reward", count: B).enumerated() { unroll.rewards[i] = v }
    for (i, v) in try tensor("train.unroll.done", count: B).enumerated() { unroll.dones[i] = v }
    for (i, v) in try tensor("train.unroll.action", count: B).enumerated() { unroll.actions[i] = Int(v) }
    for (i, v) in try tensor("train.unroll.logits", count: B * unroll.A).enumerated() { unroll.logits[i] = v }
    let rng = try tensor("train.action_rng", count: 8).map { UInt64($0) }
    let state = (0..<4).reduce(UInt64(0)) { $0 | rng[$1] << (16 * UInt64($1)) }
    let inc = (0..<4).reduce(UInt64(0)) { $0 | rng[4 + $1] << (16 * UInt64($1)) }
    actionRNG = PCG32(rawState: state, rawIncrement: inc)
    guard let f = Int(meta["frames"] ?? ""), let steps = Int(meta["env_steps"] ?? "") else {
      throw ArcadeError("\(file): frame count missing from the metadata")
    }
    frames = f
    learner.envSteps = steps
  }
}
