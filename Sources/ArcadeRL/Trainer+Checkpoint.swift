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
  /// With `keepsAgentSnapshots`, every checkpoint's weights also go to RUN/snapshots/agent-FRAMES.safetensors.
  public static let snapshotsFolder = "snapshots"

  func metadata() -> [String: String] {
    let g = vec.gridShape
    return [
      "format": Trainer.format, "config": AgentFactory.encode(config), "frames": String(frames),
      "env_steps": String(learner.envSteps), "grid_channels": String(g.channels), "grid_height": String(g.height),
      "grid_width": String(g.width),
    ]
  }

  public func saveCheckpoint() throws {
    guard let group, ranks > 1 else {
      var extra = [("train.optimizer.square_avg", [learner.optimizer.squareAvg.count], learner.optimizer.squareAvg.array)]
      extra += localTensors()
      return try writeMain(extra: extra, metadata: metadata())
    }
    try saveShardedCheckpoint(group)
  }

  /// Weights and optimiser state (rank 0's, under MPI) with this process's envs, recurrent state, carried
  /// unroll entry and sampler, as `checkpoint.safetensors`, and the weights as `agent.safetensors`.
  func writeMain(extra: [(String, [Int], [Float])], metadata: [String: String]) throws {
    var meta = metadata
    try Checkpoint.save(agent.ps, to: checkpointPath, extra: extra, metadata: meta)
    meta["format"] = "procarcade-agent-1"
    meta["ranks"] = nil
    try Checkpoint.save(agent.ps, to: runDirectory + "/" + Trainer.agentName, metadata: meta)
    if keepsAgentSnapshots {
      let dir = runDirectory + "/" + Trainer.snapshotsFolder
      try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
      try Checkpoint.save(agent.ps, to: dir + "/agent-\(frames).safetensors", metadata: meta)
    }
  }

  /// This process's share of the run's state: its envs, recurrent state, carried unroll entry and sampler.
  func localTensors() -> [(String, [Int], [Float])] {
    var extra: [(String, [Int], [Float])] = []
    for (i, s) in actor.state.enumerated() { extra.append(("train.state.\(i)", [s.count], s.array)) }
    for (k, t) in (teachers?.all ?? []).enumerated() {
      for (i, s) in t.state.enumerated() { extra.append((KickstartTeachers.stateName(k, i), [s.count], s.array)) }
    }
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
    let words = [actor.rng.state, actor.rng.increment]
    extra.append(("train.action_rng", [8], words.flatMap { w in (0..<4).map { Float((w >> (16 * UInt64($0))) & 0xffff) } }))
    if let levelReplay { extra += levelReplay.tensors() }
    return extra
  }

  /// A trainer continuing the run in `runDirectory` from its checkpoint. The config is checked and the
  /// header compared with the tensors it implies (weights, one env per batch slot) before the trainer is built.
  /// Under MPI (`group`), rank 0 reads the checkpoint and every other rank its shard (see `resumeShard`).
  public static func resume(runDirectory: String, group: TrainGroup? = nil) throws -> Trainer {
    if let group, group.rank > 0 { return try resumeShard(runDirectory: runDirectory, group: group) }
    let path = runDirectory + "/" + checkpointName
    guard FileManager.default.fileExists(atPath: path) else {
      throw ArcadeError("\(path): no checkpoint to resume from")
    }
    let file = try CheckpointFile(path)
    let meta = file.metadata
    guard meta["format"] == format else { throw ArcadeError("\(path): not a training checkpoint (format \(meta["format"] ?? "none"))") }
    let savedRanks = meta["ranks"] ?? "1", ranks = group?.size ?? 1
    guard savedRanks == String(ranks) else {
      throw ArcadeError("\(path): written by \(savedRanks) MPI rank(s); resume it with the same number (mpirun -np \(savedRanks)), not \(ranks)")
    }
    let config = try AgentFactory.config(fromMetadata: meta, file: path)
    if let group, ranks > 1 {
      // What the other ranks check their shards against.
      _ = group.broadcastFromRoot(Int(meta["frames"] ?? "") ?? -1)
      _ = group.broadcastFromRoot(meta["config"] ?? "")
    }
    let envs = file.entries.keys.filter { $0.hasPrefix("train.env.") }.count
    guard envs == config.batch else {
      throw ArcadeError("\(path): holds \(envs) env states (train.env.*), config field 'batch' says \(config.batch)")
    }
    if config.obs == "grid" {
      let g = try AgentFactory.gridShape(fromMetadata: meta, file: path)
      try file.expect(RLAgent.parameterShapes(AgentFactory.agentConfig(config, gridShape: g)), allowUnknown: { $0.hasPrefix("train.") })
    }
    let t = try Trainer(config: config, runDirectory: runDirectory, group: group)
    try t.restore(file, meta: meta)
    t.shareRootWeights()
    try t.log.truncate(afterFrames: t.frames)
    return t
  }

  /// Every tensor of the checkpoint must be one the trainer expects, with its size; values are checked
  /// where they are converted (bytes, actions, PRNG pieces) so nothing traps.
  /// A shard (`weights: false`) holds no weights or optimiser state: those come from rank 0.
  func restore(_ file: CheckpointFile, meta: [String: String], weights: Bool = true) throws {
    let path = file.path
    var sizes: [String: Int] = weights ? ["train.optimizer.square_avg": learner.optimizer.squareAvg.count] : [:]
    for (i, s) in actor.state.enumerated() { sizes["train.state.\(i)"] = s.count }
    for (k, t) in (teachers?.all ?? []).enumerated() {
      for (i, s) in t.state.enumerated() { sizes[KickstartTeachers.stateName(k, i)] = s.count }
    }
    let B = unroll.B
    for (k, n) in [("obs", B * unroll.obsSize), ("reward", B), ("done", B), ("action", B), ("logits", B * unroll.A)] {
      sizes["train.unroll.\(k)"] = n
    }
    sizes["train.action_rng"] = 8
    if let levelReplay { sizes.merge(levelReplay.tensorSizes) { a, _ in a } }
    try file.expect(weights ? agent.ps.params : [], extra: sizes.mapValues { [$0] }, allowUnknown: { name in
      name.hasPrefix("train.env.") && Int(name.dropFirst("train.env.".count)).map { (0..<B).contains($0) } == true
    })
    func tensor(_ name: String) throws -> [Float] { try file.values(name) }
    func whole(_ name: String, _ range: ClosedRange<Int>) throws -> [Int] {
      try tensor(name).enumerated().map { i, v in
        guard let n = Int(exactly: v), range.contains(n) else {
          throw ArcadeError("\(path): tensor '\(name)' holds \(v) at index \(i), expected a whole number in \(range.lowerBound)…\(range.upperBound)")
        }
        return n
      }
    }
    if weights {
      for r in agent.ps.params { agent.ps.w(r).update(from: try tensor(r.name), count: r.count) }
      let sq = learner.optimizer.squareAvg
      sq.ptr.update(from: try tensor("train.optimizer.square_avg"), count: sq.count)
    }
    actor.weightsChanged()
    for (i, s) in actor.state.enumerated() { s.ptr.update(from: try tensor("train.state.\(i)"), count: s.count) }
    for (k, t) in (teachers?.all ?? []).enumerated() {
      for (i, s) in t.state.enumerated() { s.ptr.update(from: try tensor(KickstartTeachers.stateName(k, i)), count: s.count) }
    }
    for (i, e) in vec.envs.enumerated() {
      let name = "train.env.\(i)"
      let bytes = try whole(name, 0...255).map(UInt8.init)
      do { try e.restoreState(bytes) } catch { throw ArcadeError("\(path): tensor '\(name)': \(error)") }
    }
    if unroll.isRGB {
      for (i, v) in try whole("train.unroll.obs", 0...255).enumerated() { unroll.frames[i] = UInt8(v) }
    } else {
      for (i, v) in try tensor("train.unroll.obs").enumerated() { unroll.grids[i] = v }
    }
    for (i, v) in try tensor("train.unroll.reward").enumerated() { unroll.rewards[i] = v }
    for (i, v) in try tensor("train.unroll.done").enumerated() { unroll.dones[i] = v }
    for (i, v) in try whole("train.unroll.action", 0...(unroll.A - 1)).enumerated() { unroll.actions[i] = v }
    for (i, v) in try tensor("train.unroll.logits").enumerated() { unroll.logits[i] = v }
    for (b, e) in vec.envs.enumerated() { unroll.levels[b] = e.levelSeed }   // the carried entry is each env's now
    do { try levelReplay?.restore(tensor) } catch { throw ArcadeError("\(path): \(error)") }
    let rng = try whole("train.action_rng", 0...0xffff).map(UInt64.init)
    let state = (0..<4).reduce(UInt64(0)) { $0 | rng[$1] << (16 * UInt64($1)) }
    let inc = (0..<4).reduce(UInt64(0)) { $0 | rng[4 + $1] << (16 * UInt64($1)) }
    actor.rng = PCG32(rawState: state, rawIncrement: inc)
    guard let f = Int(meta["frames"] ?? ""), let steps = Int(meta["env_steps"] ?? ""), f >= 0, steps >= 0 else {
      throw ArcadeError("\(path): metadata fields 'frames' and 'env_steps' must be whole numbers ≥ 0")
    }
    frames = f
    learner.envSteps = steps
  }
}
