// Training of the few-shot model (the SRWM paper's set-up): Adam (0.9, 0.995, 1e-9), batches of
// episodes, validation on fixed episodes with the best checkpoint kept, atomic checkpoints.
import ArcadeNN
import ArcadeTensor
import Foundation

/// One logged interval of training.
public struct FewShotLog: Sendable {
  public var step: Int, episodes: Int
  public var seconds: Double, stepsPerSecond: Double
  public var loss: Double, trainAccuracy: Double, gradNorm: Double
  /// With `protoLoss`: the encoder's nearest-prototype accuracy on the training queries.
  public var prototypeAccuracy: Double?
  public var validAccuracy: Double?
  public var best: Bool
  /// Classes per training episode at this point (the curriculum's, or all ways).
  public var activeWays: Int
}

public final class FewShotTrainer {
  public let config: FewShotRunConfig
  public let learner: FewShotLearner
  public let source: FewShotSource
  /// The second task of two-task delayed-label sequences.
  public let second: FewShotSource?
  public let out: String?
  public var logEvery = 10
  /// Extra metadata written into every checkpoint (e.g. the split's fingerprint).
  public var info: [String: String] = [:]
  public private(set) var bestValid = -1.0
  /// Whether this run wrote OUT/best.safetensors (false when no validation beat a best carried over by `continue`).
  public private(set) var savedBest = false
  public private(set) var stepsDone = 0

  /// Continuing from a checkpoint (`continue(from:)`): its step, best validation accuracy and Adam state.
  public private(set) var stepOffset = 0
  /// Classes per training episode now (below `ways` only during a curriculum).
  public private(set) var activeWays = 0
  /// The ways of the checkpoint this run widened (`continue(from:)` a model with fewer ways); nil otherwise.
  public private(set) var widenedFrom: Int?
  /// The image side of the checkpoint this run carried over to another side; nil otherwise.
  public private(set) var resizedFrom: Int?
  var adamState: (m: [Float], v: [Float], t: Int)? = nil
  /// The step after which `lrFinal`'s decay begins: where this run started, or, when it continues a run
  /// with the same schedule (lr, lrFinal, steps), where that run's decay began.
  public private(set) var lrDecayStart = 0

  /// Adam's rate for `step` (1-based): with `lrFinal`, linear from `lr` after step `decayStart` to
  /// `lrFinal` at step `steps`; without it, `lr`.
  public static func learningRate(step: Int, decayStart: Int, _ c: FewShotRunConfig) -> Double {
    guard let final = c.lrFinal, c.steps > decayStart else { return c.lr }
    let f = min(1, max(0, Double(step - decayStart) / Double(c.steps - decayStart)))
    return c.lr * (1 - f) + final * f
  }

  public init(_ config: FewShotRunConfig, source: FewShotSource, second: FewShotSource? = nil, out: String?) throws {
    try config.validate()
    try FewShotLearner.checkSide(config, source, second)
    self.config = config; self.source = source; self.second = second; self.out = out
    learner = FewShotLearner(config)
    activeWays = config.curriculum == true ? 2 : config.ways
  }

  /// Starts from a checkpoint's weights (the same architecture): steps and metrics continue from its step,
  /// and the Adam moments are restored when the file has them (RUN/last.safetensors does). The training
  /// episodes after the continuation are drawn from a new stream, so this is a continuation, not a bit-exact resume.
  /// A model with fewer ways is widened (`ModelWidening`): its label inputs and outputs keep their weights,
  /// the new ones start from this run's fresh initialisation, and Adam starts afresh.
  /// A model of another image side is carried over (`ImageSideTransfer`), with Adam afresh too.
  public func `continue`(from path: String) throws {
    let file = try CheckpointFile(path)
    let (l, meta) = try FewShotLearner.load(file)
    let a = l.model.ps, b = learner.model.ps
    let widened = l.config.ways < config.ways, resized = l.config.side != config.side
    if widened && resized {
      throw FewShotError("\(path): widen the model (--ways) and change its image side (--image-side) in two runs, not at once")
    } else if widened {
      try ModelWidening.copy(a, into: b, addedWays: config.ways - l.config.ways, source: path)
      widenedFrom = l.config.ways
    } else if resized {
      let old = l.model.encoder, new = learner.model.encoder
      let C = config.convChannels
      guard l.config.convChannels == C else {
        throw FewShotError("\(path): its model (\(l.config.architecture)) differs from this run's (\(config.architecture))")
      }
      try ImageSideTransfer.copy(a, into: b, channels: C, oldPositions: old.featureDim / C, newPositions: new.featureDim / C, source: path)
      resizedFrom = l.config.side
    } else {
      guard a.params.map(\.name) == b.params.map(\.name), a.params.map(\.shape) == b.params.map(\.shape) else {
        throw FewShotError("\(path): its model (\(l.config.architecture)) differs from this run's (\(config.architecture))")
      }
      b.values.ptr.update(from: a.values.ptr, count: a.count)
    }
    for (x, y) in zip(l.model.encoder.batchNorms, learner.model.encoder.batchNorms) { y.runningMean = x.runningMean; y.runningVar = x.runningVar }
    stepOffset = Int(meta["step"] ?? "") ?? 0
    guard (0...1_000_000_000).contains(stepOffset) else {
      throw FewShotError("checkpoint \(path): metadata field 'step' = \(stepOffset) is out of range 0…1000000000")
    }
    lrDecayStart = stepOffset
    if config.lrFinal != nil, l.config.lrFinal == config.lrFinal, l.config.lr == config.lr, l.config.steps == config.steps,
       let s = meta["lr_decay_start"].flatMap(Int.init) {
      guard (0...stepOffset).contains(s) else {
        throw FewShotError("checkpoint \(path): metadata field 'lr_decay_start' = \(s) is out of range 0…\(stepOffset)")
      }
      lrDecayStart = s
    }
    if config.curriculum == true, let a = meta["active_ways"].flatMap(Int.init) ?? (widened ? l.config.ways : nil) {
      activeWays = min(config.ways, max(2, a))
    }
    // The best validation accuracy carries over only when validation measures the same task; otherwise
    // (say, a sync model continued into delayed-label training) best.safetensors must start afresh.
    let o = l.config
    let sameTask = o.ways == config.ways && o.mode == config.mode && o.validAlphabets == config.validAlphabets && o.shots == config.shots && o.data == config.data
      && o.secondData == config.secondData && o.splitSeed == config.splitSeed && o.dataSeed == config.dataSeed
      && (o.withinAlphabet ?? false) == (config.withinAlphabet ?? false)
    if sameTask, let v = meta["best_valid_accuracy"].flatMap(Double.init) ?? meta["valid_accuracy"].flatMap(Double.init) { bestValid = v }
    if !widened, !resized, file.entries["adam.m"] != nil || file.entries["adam.v"] != nil {
      let t = Int(meta["adam_t"] ?? "") ?? stepOffset
      guard t >= 0 else { throw FewShotError("checkpoint \(path): metadata field 'adam_t' = \(t) is negative") }
      adamState = (try file.values("adam.m"), try file.values("adam.v"), t)
    }
  }

  /// Trains; `log` receives every interval line, `validation` lines included. Returns the losses per step.
  @discardableResult
  public func run(log: (FewShotLog) throws -> Void = { _ in }) throws -> [Double] {
    let c = config
    func make(_ s: FewShotSource, _ stream: UInt64) throws -> EpisodeSampler {
      try EpisodeSampler(source: s, split: .train, ways: c.ways, shots: c.shots, mode: c.episodeMode,
                         extraSplits: c.trainOnValid == true ? [.valid] : [],
                         rotations: c.rotations, withinAlphabet: c.withinAlphabet == true, jitter: c.trainingJitter, seed: c.seed, stream: stream &+ UInt64(stepOffset))
    }
    var sampler = SequenceSampler(first: try make(source, 1), second: try second.map { try make($0, 0x5eed) },
                                  randomOrder: true, seed: c.seed &+ UInt64(stepOffset))
    let ps = learner.model.ps
    let adam = Adam(count: ps.count, lr: Float(c.lr), beta1: 0.9, beta2: 0.995, eps: 1e-9)
    if let st = adamState {
      adam.m.ptr.update(from: st.m, count: ps.count); adam.v.ptr.update(from: st.v, count: ps.count); adam.setStep(st.t)
    }
    learner.model.training = true
    var clock = RunningClock()   // running time: a pause (kill -STOP) does not use up --minutes
    var lastT = Date()
    var losses: [Double] = []
    var iLoss = 0.0, iHit = 0, iCnt = 0, iGrad = 0.0, iSteps = 0, iProtoHit = 0
    var curriculum = WaysCurriculum(ways: c.ways, start: activeWays)
    var e = EpisodeBatch()   // refilled at every step
    if let out { try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true) }
    func saveLast() throws {
      guard let out else { return }
      // Model and Adam moments, so that `--continue RUN/last.safetensors` carries on.
      let adamExtra: [(String, [Int], [Float])] = [("adam.m", [ps.count], Array(UnsafeBufferPointer(start: adam.m.ptr, count: ps.count))),
                                                   ("adam.v", [ps.count], Array(UnsafeBufferPointer(start: adam.v.ptr, count: ps.count)))]
      var meta = ["step": "\(stepsDone)", "adam_t": "\(adam.t)", "active_ways": "\(activeWays)", "best_valid_accuracy": "\(bestValid)"]
      if c.lrFinal != nil { meta["lr_decay_start"] = "\(lrDecayStart)" }
      try learner.save(out + "/last.safetensors", info: meta.merging(info) { a, _ in a }, extra: adamExtra)
    }
    for step in (stepOffset + 1)...max(stepOffset + 1, c.steps) {
      sampler.fill(&e, batch: c.batch, active: activeWays)
      ps.zeroGrad()
      adam.lr = Float(Self.learningRate(step: step, decayStart: lrDecayStart, c))
      let r = learner.lossAndGradient(e)
      let gn = GradClip.globalNorm(ps, maxNorm: .infinity)   // no clipping (as in the SRWM paper); norm for the log
      adam.step(ps)
      losses.append(r.loss)
      iLoss += r.loss; iHit += r.correct; iCnt += r.counted; iGrad += Double(gn); iSteps += 1; iProtoHit += r.prototypeCorrect
      stepsDone = step
      if activeWays < c.ways {
        curriculum.record(r.seenAccuracy)
        activeWays = curriculum.active
      }
      let running = clock.tick()
      let overTime = c.minutes > 0 && running > c.minutes * 60
      let validate = step % c.validEvery == 0 || step == c.steps || overTime
      if step % logEvery == 0 || validate {
        let now = Date()
        var line = FewShotLog(step: step, episodes: (step - stepOffset) * c.batch, seconds: running,
                              stepsPerSecond: Double(iSteps) / max(now.timeIntervalSince(lastT), 1e-9),
                              loss: iLoss / Double(iSteps), trainAccuracy: Double(iHit) / Double(max(iCnt, 1)),
                              gradNorm: iGrad / Double(iSteps),
                              prototypeAccuracy: (c.protoLoss ?? 0) > 0 || (c.distill ?? 0) > 0 ? Double(iProtoHit) / Double(max(iCnt, 1)) : nil,
                              validAccuracy: nil, best: false, activeWays: activeWays)
        if validate && c.trainOnValid == true {
          try saveLast()
        } else if validate {
          let ev = try learner.evaluate(source: source, second: second, split: .valid, withinAlphabet: c.withinAlphabet == true,
                                        episodes: c.validEpisodes, seed: c.seed &+ 1_000_003)
          line.validAccuracy = ev.mean
          if ev.mean > bestValid {
            bestValid = ev.mean; line.best = true
            if let out {
              // The curriculum's stage too, so that `--continue RUN/best.safetensors` carries on from it.
              try learner.save(out + "/best.safetensors", info: ["step": "\(step)", "valid_accuracy": "\(ev.mean)", "active_ways": "\(activeWays)",
                                                                 "seconds": "\(Int(line.seconds))", "best_valid_accuracy": "\(ev.mean)"].merging(info) { a, _ in a })
              savedBest = true
            }
          }
          learner.model.training = true
          try saveLast()
        }
        try log(line)
        iLoss = 0; iHit = 0; iCnt = 0; iGrad = 0; iSteps = 0; iProtoHit = 0; lastT = Date()
      }
      if overTime { break }
    }
    try saveLast()
    return losses
  }
}
