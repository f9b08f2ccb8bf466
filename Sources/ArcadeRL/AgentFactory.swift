import ArcadeCore
import ArcadeGames
import ArcadeNN
import ArcadeTensor
import Foundation

/// Builds the agent a training config describes, and reads it back from a checkpoint.
public enum AgentFactory {
  public static func agentConfig(_ c: TrainConfig, gridShape: (channels: Int, height: Int, width: Int)) -> RLAgentConfig {
    var a = RLAgentConfig(core: CoreKind(rawValue: c.model) ?? .srwm)
    a.detachSRWMStateLikePublishedRLCode = c.paperDetach
    a.lastActionInput = c.lastAction ?? false
    if c.obs == "grid" {
      a.gridShape = [gridShape.channels, gridShape.height, gridShape.width]
      a.gridEncoder = c.gridEncoder
    }
    return a
  }

  /// The training config saved in a checkpoint's metadata, checked against its documented ranges.
  public static func config(fromMetadata m: [String: String], file: String) throws -> TrainConfig {
    guard let json = m["config"] else {
      throw ArcadeError("\(file): not a ProcArcade agent checkpoint (no training config in its metadata)")
    }
    let c: TrainConfig
    do { c = try JSONDecoder().decode(TrainConfig.self, from: Data(json.utf8)) } catch {
      throw ArcadeError("\(file): \(ConfigRange.decodingProblem(error))")
    }
    do { try c.validate(knownGames: Catalog.names) } catch { throw ArcadeError("\(file): \(error)") }
    return c
  }

  /// The grid shape an agent reading grid observations was built for (metadata grid_channels, _height, _width).
  static let gridRange = 1...256
  static func gridShape(fromMetadata m: [String: String], file: String) throws -> (Int, Int, Int) {
    func field(_ name: String) throws -> Int {
      guard let v = m[name].flatMap({ Int($0) }) else { throw ArcadeError("\(file): metadata field '\(name)' is missing or not a whole number") }
      guard gridRange.contains(v) else {
        throw ArcadeError("\(file): metadata field '\(name)' = \(v) is out of range \(gridRange.lowerBound)…\(gridRange.upperBound)")
      }
      return v
    }
    return (try field("grid_channels"), try field("grid_height"), try field("grid_width"))
  }

  public static func encode(_ c: TrainConfig) -> String {
    let enc = JSONEncoder()
    enc.outputFormatting = [.sortedKeys]
    return String(decoding: (try? enc.encode(c)) ?? Data(), as: UTF8.self)
  }

  static let agentFormat = "procarcade-agent-1"

  /// An agent with the weights of `path` (for eval and watch): RUN/agent.safetensors, or the weights of a
  /// training checkpoint. The config is checked, then every tensor's shape against the header, before the
  /// agent is built; nothing else may be in the file.
  /// A run or agent folder (runs/NAME, agents/default) stands for its agent.safetensors.
  public static func load(_ given: String) throws -> (agent: RLAgent, config: TrainConfig, gridShape: (Int, Int, Int)) {
    let path = try agentFile(given)
    let file = try CheckpointFile(path)
    let meta = file.metadata
    let format = meta["format"] ?? "none"
    guard format == agentFormat || format == Trainer.format else {
      throw ArcadeError("\(path): not a ProcArcade agent checkpoint (format \(format))")
    }
    let c = try config(fromMetadata: meta, file: path)
    let g = c.obs == "grid" ? try gridShape(fromMetadata: meta, file: path) : (0, 0, 0)
    let agentConfig = agentConfig(c, gridShape: g)
    try file.expect(RLAgent.parameterShapes(agentConfig), allowUnknown: { format == Trainer.format && $0.hasPrefix("train.") })
    let agent = RLAgent(agentConfig)
    for r in agent.ps.params { agent.ps.w(r).update(from: try file.values(r.name), count: r.count) }
    return (agent, c, g)
  }
}

extension AgentFactory {
  /// `path` itself, or `path/agent.safetensors` when `path` is a folder.
  static func agentFile(_ path: String) throws -> String {
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { throw ArcadeError("\(path): no such file") }
    guard isDir.boolValue else { return path }
    let inside = (path as NSString).appendingPathComponent("agent.safetensors")
    guard FileManager.default.fileExists(atPath: inside) else {
      throw ArcadeError("\(path): a folder without agent.safetensors (give RUN/agent.safetensors or RUN/checkpoint.safetensors)")
    }
    return inside
  }
}

/// Thread settings for the network outside the trainer (eval, watch).
public enum ArcadeRLThreads {
  public static func configure(_ n: Int) { Parallel.configure(threads: n) }
}
