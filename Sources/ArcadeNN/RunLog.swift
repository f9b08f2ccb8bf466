import ArcadeBase
import Foundation

/// One line of a run's metrics file (`metrics.jsonl`): the interval since the
/// previous line. RL and few-shot runs share the format, so `arcade plot` reads both.
public struct MetricsLine: Codable, Sendable {
  public var frames: Int
  public var seconds: Double
  public var framesPerSecond: Double
  public var loss: Double
  public var policyLoss: Double
  public var baselineLoss: Double
  public var entropy: Double
  public var gradNorm: Double
  public var episodes: Int
  /// Mean episode return per game over the episodes that ended in the interval.
  public var returns: [String: Double]
  /// Normalised score per game (ProcGen's constants), where defined.
  public var normalised: [String: Double]
  public var meanNormalised: Double?
  /// "fewshot" for few-shot runs (frames = training steps, returns = train/valid accuracy); nil for RL runs.
  public var kind: String? = nil
  /// Kickstarted RL runs: the mean KL(π_teacher ‖ π) per step over the interval; nil otherwise.
  public var distillation: Double? = nil

  public init(frames: Int, seconds: Double, framesPerSecond: Double, loss: Double, policyLoss: Double = 0,
              baselineLoss: Double = 0, entropy: Double = 0, gradNorm: Double, episodes: Int,
              returns: [String: Double], normalised: [String: Double] = [:], meanNormalised: Double? = nil,
              kind: String? = nil) {
    self.frames = frames; self.seconds = seconds; self.framesPerSecond = framesPerSecond; self.loss = loss
    self.policyLoss = policyLoss; self.baselineLoss = baselineLoss; self.entropy = entropy; self.gradNorm = gradNorm
    self.episodes = episodes; self.returns = returns; self.normalised = normalised
    self.meanNormalised = meanNormalised; self.kind = kind
  }
}

/// Appends metrics lines to `RUN/metrics.jsonl` (one JSON object per line).
public struct RunLog {
  public let path: String

  public init(runDirectory: String) { path = runDirectory + "/metrics.jsonl" }

  public func append(_ line: MetricsLine) throws {
    let enc = JSONEncoder()
    enc.outputFormatting = [.sortedKeys]
    var data = try enc.encode(line)
    data.append(0x0a)
    if !FileManager.default.fileExists(atPath: path) {
      _ = FileManager.default.createFile(atPath: path, contents: nil)   // the open below reports a failure
    }
    guard let h = FileHandle(forWritingAtPath: path) else { throw ArcadeError("\(path): cannot append") }
    defer { try? h.close() }
    try h.seekToEnd()
    try h.write(contentsOf: data)
  }

  /// Every line of a metrics file; a malformed line is an error naming it.
  public static func read(_ path: String) throws -> [MetricsLine] {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
      throw ArcadeError("\(path): cannot read")
    }
    let dec = JSONDecoder()
    return try text.split(separator: "\n").enumerated().map { i, line in
      do { return try dec.decode(MetricsLine.self, from: Data(line.utf8)) } catch {
        throw ArcadeError("\(path):\(i + 1): not a metrics line")
      }
    }
  }

  /// Keeps only the lines up to `frames` (used when a run resumes from an
  /// earlier checkpoint than its last metrics line).
  public func truncate(afterFrames frames: Int) throws {
    guard FileManager.default.fileExists(atPath: path) else { return }
    let kept = try RunLog.read(path).filter { $0.frames <= frames }
    let enc = JSONEncoder()
    enc.outputFormatting = [.sortedKeys]
    var out = Data()
    for l in kept { out.append(try enc.encode(l)); out.append(0x0a) }
    try AtomicFile.write([UInt8](out), to: path)
  }
}
