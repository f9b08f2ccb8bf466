import ArcadeBase
import ArcadeNN
import Foundation

/// A few-shot training run in a directory: it opens the data, writes OUT/splits.txt (Omniglot's character
/// split), keeps OUT/metrics.jsonl (the RL runs' format, kind "fewshot", so `arcade plot` reads it) in step
/// with the checkpoints the trainer writes, and continues from a checkpoint when asked.
public final class FewShotRunDirectory {
  public let trainer: FewShotTrainer
  public let log: RunLog
  /// The checkpoint the run continued from, if any.
  public let continuedFrom: String?

  public init(config c: FewShotRunConfig, out: String, continueFrom: String? = nil) throws {
    try c.validate()
    let source = try FewShotData.open(c.data, dataSeed: c.dataSeed, splitSeed: c.splitSeed, heldOutAlphabets: c.heldOutAlphabets, side: c.side)
    try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
    if let o = source as? OmniglotSource {
      try AtomicFile.write(Array(o.split.text.utf8), to: out + "/splits.txt")
      for s in Split.allCases { try o.preload(s) }
    }
    let second = try c.secondData.map { try FewShotData.open($0, dataSeed: c.dataSeed, splitSeed: c.splitSeed, side: c.side) }
    if let o = second as? OmniglotSource { for s in Split.allCases { try o.preload(s) } }
    trainer = try FewShotTrainer(c, source: source, second: second, out: out)
    trainer.info = ["split": FewShotData.splitFingerprint(source)]
    log = RunLog(runDirectory: out)
    continuedFrom = continueFrom
    if let from = continueFrom {
      try trainer.continue(from: from)
      try log.truncate(afterFrames: trainer.stepOffset)   // lines past the checkpoint belong to a lost future
    } else if FileManager.default.fileExists(atPath: log.path) {
      try FileManager.default.removeItem(atPath: log.path)
    }
  }

  /// Trains to the end, appending one metrics line per log interval; `progress` sees each interval after it
  /// is written.
  public func run(progress: (FewShotLog) -> Void) throws {
    _ = try trainer.run { l in
      try log.append(MetricsLine(fewShot: l))
      progress(l)
    }
  }
}

extension MetricsLine {
  /// A few-shot interval: frames are training steps, returns the train (and validation) accuracy.
  public init(fewShot l: FewShotLog) {
    var returns = ["train": l.trainAccuracy]
    if let v = l.validAccuracy { returns["valid"] = v }
    if let p = l.prototypeAccuracy { returns["prototypes"] = p }
    self.init(frames: l.step, seconds: l.seconds, framesPerSecond: l.stepsPerSecond, loss: l.loss, gradNorm: l.gradNorm,
              episodes: l.episodes, returns: returns, kind: "fewshot")
  }
}
