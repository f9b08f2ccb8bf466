import ArcadeCore
import ArcadeNN
import ArcadeTensor
import Foundation

/// Checkpoints of a data-parallel run. Rank 0 writes `checkpoint.safetensors` as one process would (weights,
/// optimiser state and its own envs, plus `ranks` in the header); rank r > 0 writes only its own envs,
/// recurrent state and carried unroll entry to `checkpoint.rank-R.FRAMES.safetensors` in its run directory
/// (so no shared file system is needed). Order: shards, barrier, rank 0's file, barrier, old shards removed;
/// a job killed anywhere in between still has the shards of the checkpoint rank 0's file names.
extension Trainer {
  static let shardFormat = "procarcade-train-shard-1"

  static func shardPath(_ runDirectory: String, rank: Int, frames: Int) -> String {
    runDirectory + "/checkpoint.rank-\(rank).\(frames).safetensors"
  }

  func saveShardedCheckpoint(_ group: TrainGroup) throws {
    // Every rank took the same steps from the same sums; rank 0's copy makes that certain (MPI does not
    // promise bitwise-equal sums on every rank), and is what a resumed run starts from.
    shareRootWeights()
    var meta = metadata()
    meta["ranks"] = String(ranks)
    if rank > 0 {
      meta["format"] = Trainer.shardFormat
      meta["rank"] = String(rank)
      try Checkpoint.save(ParamStore(), to: Trainer.shardPath(runDirectory, rank: rank, frames: frames),
                          extra: localTensors(), metadata: meta)
    }
    group.barrier()
    if rank == 0 {
      let sq = learner.optimizer.squareAvg
      try writeMain(extra: [("train.optimizer.square_avg", [sq.count], sq.array)] + localTensors(), metadata: meta)
    }
    group.barrier()
    if rank > 0 {
      let keep = (Trainer.shardPath(runDirectory, rank: rank, frames: frames) as NSString).lastPathComponent
      let prefix = "checkpoint.rank-\(rank)."
      for name in (try? FileManager.default.contentsOfDirectory(atPath: runDirectory)) ?? []
      where name.hasPrefix(prefix) && name.hasSuffix(".safetensors") && name != keep {
        try? FileManager.default.removeItem(atPath: runDirectory + "/" + name)
      }
    }
  }

  /// Rank 0's weights and optimiser state on every rank (collective; nothing in one process).
  func shareRootWeights() {
    guard let group, ranks > 1 else { return }
    group.broadcastFromRoot(agent.ps.values.ptr, count: agent.ps.count)
    let sq = learner.optimizer.squareAvg
    group.broadcastFromRoot(sq.ptr, count: sq.count)
    if actor.agent === agent { actor.weightsChanged() }
  }

  /// Rank r > 0 of a resumed run: the frame count and config come from rank 0's checkpoint, the rank's
  /// own state from its shard for that frame count, the weights from rank 0.
  static func resumeShard(runDirectory: String, group: TrainGroup) throws -> Trainer {
    let frames = group.broadcastFromRoot(0)
    let rootConfig = group.broadcastFromRoot("")
    let path = shardPath(runDirectory, rank: group.rank, frames: frames)
    guard FileManager.default.fileExists(atPath: path) else {
      throw ArcadeError("\(path): rank \(group.rank) has no shard of the checkpoint at \(frames) frames to resume from")
    }
    let file = try CheckpointFile(path)
    let meta = file.metadata
    guard meta["format"] == shardFormat, meta["rank"] == String(group.rank), meta["ranks"] == String(group.size),
          meta["frames"] == String(frames), meta["config"] == rootConfig else {
      throw ArcadeError("\(path): not rank \(group.rank) of \(group.size)'s shard of this run's checkpoint at \(frames) frames")
    }
    let config = try AgentFactory.config(fromMetadata: meta, file: path)
    let envs = file.entries.keys.filter { $0.hasPrefix("train.env.") }.count
    guard envs == config.batch else {
      throw ArcadeError("\(path): holds \(envs) env states (train.env.*), config field 'batch' says \(config.batch)")
    }
    let t = try Trainer(config: config, runDirectory: runDirectory, group: group)
    try t.restore(file, meta: meta, weights: false)
    t.shareRootWeights()
    return t
  }
}
