import ArcadeCore
import ArcadeNN
import ArcadeTensor
import Foundation

/// Builds the agent a training config describes, and reads it back from a checkpoint.
public enum AgentFactory {
  public static func agentConfig(_ c: TrainConfig, gridShape: (channels: Int, height: Int, width: Int)) -> RLAgentConfig {
    var a = RLAgentConfig(core: CoreKind(rawValue: c.model) ?? .srwm)
    a.detachSRWMStateLikePublishedRLCode = c.paperDetach
    if c.obs == "grid" {
      a.gridShape = [gridShape.channels, gridShape.height, gridShape.width]
      a.gridEncoder = c.gridEncoder
    }
    return a
  }

  /// The training config saved in a checkpoint's metadata.
  public static func config(fromMetadata m: [String: String], file: String) throws -> TrainConfig {
    guard let json = m["config"], let c = try? JSONDecoder().decode(TrainConfig.self, from: Data(json.utf8)) else {
      throw ArcadeError("\(file): not a ProcArcade agent checkpoint (no training config in its metadata)")
    }
    return c
  }

  public static func encode(_ c: TrainConfig) -> String {
    let enc = JSONEncoder()
    enc.outputFormatting = [.sortedKeys]
    return String(decoding: (try? enc.encode(c)) ?? Data(), as: UTF8.self)
  }

  /// An agent with the weights of `path` (for eval and watch).
  public static func load(_ path: String) throws -> (agent: RLAgent, config: TrainConfig, gridShape: (Int, Int, Int)) {
    let (tensors, meta) = try Checkpoint.read(path)
    let c = try config(fromMetadata: meta, file: path)
    let g = (Int(meta["grid_channels"] ?? "") ?? 0, Int(meta["grid_height"] ?? "") ?? 0, Int(meta["grid_width"] ?? "") ?? 0)
    let agent = RLAgent(agentConfig(c, gridShape: g))
    for r in agent.ps.params {
      guard let (shape, values) = tensors[r.name], shape == r.shape, values.count == r.count else {
        throw ArcadeError("\(path): parameter \(r.name) is missing or has the wrong shape")
      }
      agent.ps.w(r).update(from: values, count: r.count)
    }
    return (agent, c, g)
  }
}

/// Samples actions from policy logits with the project's PRNG.
enum ActionSampler {
  static func sample(_ logits: UnsafePointer<Float>, count a: Int, rng: inout PCG32) -> Int {
    var m = logits[0]
    for i in 1..<a { m = max(m, logits[i]) }
    var total: Float = 0
    for i in 0..<a { total += expf(logits[i] - m) }
    var u = rng.unit() * total
    for i in 0..<a {
      u -= expf(logits[i] - m)
      if u < 0 { return i }
    }
    return a - 1
  }

  static func greedy(_ logits: UnsafePointer<Float>, count a: Int) -> Int {
    var best = 0
    for i in 1..<a where logits[i] > logits[best] { best = i }
    return best
  }
}

/// Thread settings for the network outside the trainer (eval, watch).
public enum ArcadeRLThreads {
  public static func configure(_ n: Int) { Parallel.configure(threads: n) }
}
