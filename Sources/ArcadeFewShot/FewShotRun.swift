// Training and evaluation of the few-shot model (the SRWM paper's set-up): Adam (0.9, 0.995, 1e-9), batches of
// episodes, validation on fixed episodes with the best checkpoint kept, atomic checkpoints.
import ArcadeBase
import ArcadeNN
import ArcadeTensor
import Foundation

/// Everything a run needs; stored as JSON in every checkpoint's metadata.
public struct FewShotRunConfig: Codable, Sendable, Equatable {
  public var ways = 5, shots = 1
  public var model = "srwm"
  public var mode = "sync"
  /// "glyphs" or an Omniglot folder.
  public var data = "glyphs"
  public var dataSeed: UInt64 = 1
  /// Seed of the character split (Omniglot).
  public var splitSeed: UInt64 = 0
  public var rotations = true
  public var steps = 1000
  public var batch = 32
  public var lr: Double = 1e-3
  /// Linear decay: the rate falls from `lr` to this by step `steps` (nil: constant `lr`). See
  /// `FewShotTrainer.learningRate`.
  public var lrFinal: Double?
  public var validEvery = 100
  public var validEpisodes = 500
  public var seed: UInt64 = 0
  public var convChannels = 64, dModel = 256, layers = 2, heads = 16, ffDim = 1024, lstmHidden = 1024
  /// Budget of running minutes (0: none; time stopped by SIGSTOP does not count); training stops after the step that exceeds it.
  public var minutes: Double = 0
  /// Ways curriculum: start with 2-way episodes (on random label slots of the N-way model) and add a
  /// class whenever the training accuracy of the last 100 steps reaches the midpoint between chance and
  /// 100 %. Validation always uses all N ways. Optional so that older checkpoints' configs still decode.
  public var curriculum: Bool?
  /// Two-task delayed-label sequences (the SRWM paper's delayed-label setting): the second task's data ("glyphs" or an Omniglot folder).
  public var secondData: String?
  /// Split Omniglot by whole alphabets: these alphabets' characters are the validation and test sets, the
  /// other alphabets' the training set (instead of a random character split by `splitSeed`).
  public var validAlphabets: [String]?, testAlphabets: [String]?
  /// The label's one-hot value in the model input (nil: 1, the paper's).
  public var labelScale: Double?
  /// Distort every training image a little (`ImageJitter.standard`); validation and test images are not.
  public var augment: Bool?
  /// The validation characters join the training set (no validation; the run keeps only last.safetensors).
  /// For a final model trained on every character but the test ones, after its schedule was chosen on validation.
  public var trainOnValid: Bool?
  /// Every training episode's classes from one alphabet (rotated classes included), and validation on
  /// within-alphabet episodes of unrotated characters, as `fewshot eval --within-alphabet` tests.
  public var withinAlphabet: Bool?
  /// Weight of an auxiliary prototypical-network loss on the encoder's features (`PrototypeLoss`;
  /// synchronous labels only). nil or 0: the paper's loss alone.
  public var protoLoss: Double?
  public init() {}

  /// The training images' distortion, if any.
  public var trainingJitter: ImageJitter? { augment == true ? .standard : nil }

  /// The held-out alphabets, when the run splits by alphabets.
  public var heldOutAlphabets: (valid: [String], test: [String])? {
    validAlphabets == nil && testAlphabets == nil ? nil : (validAlphabets ?? [], testAlphabets ?? [])
  }

  public var modelConfig: FewShotConfig {
    var c = FewShotConfig(core: CoreKind(rawValue: model) ?? .srwm)
    c.nWay = ways; c.convChannels = convChannels; c.core.hidden = dModel; c.core.numLayers = layers
    c.core.numHeads = heads; c.core.dimFF = ffDim; c.core.lstmHidden = lstmHidden
    c.labelScale = Float(labelScale ?? 1)
    return c
  }
  public var episodeMode: EpisodeMode { EpisodeMode(rawValue: mode) ?? .sync }

  /// Checks every field against its documented range (the command line and configs read back from
  /// checkpoints alike): ways 2…64, shots 1…100, steps 1…10⁹, batch 1…1024, lr 1e-9…1, lrFinal 0…1, validEvery 1…10⁹,
  /// validEpisodes 1…10⁶, convChannels, dModel, ffDim and lstmHidden 1…4096, layers 1…64, heads 1…64
  /// dividing dModel, minutes 0…10⁶.
  public func validate() throws {
    guard ["srwm", "delta", "lstm"].contains(model) else { throw FewShotError("--model must be srwm, delta or lstm") }
    guard EpisodeMode(rawValue: mode) != nil else { throw FewShotError("--mode must be sync or delayed") }
    if let p = ConfigRange.first(
      ConfigRange.problem("ways", ways, 2...64), ConfigRange.problem("shots", shots, 1...100),
      ConfigRange.problem("steps", steps, 1...1_000_000_000), ConfigRange.problem("batch", batch, 1...1024),
      ConfigRange.problem("lr", lr, 1e-9...1), ConfigRange.problem("lrFinal", lrFinal ?? lr, 0...1),
      ConfigRange.problem("validEvery", validEvery, 1...1_000_000_000),
      ConfigRange.problem("validEpisodes", validEpisodes, 1...1_000_000),
      ConfigRange.problem("convChannels", convChannels, 1...4096), ConfigRange.problem("dModel", dModel, 1...4096),
      ConfigRange.problem("layers", layers, 1...64), ConfigRange.problem("heads", heads, 1...64),
      ConfigRange.problem("ffDim", ffDim, 1...4096), ConfigRange.problem("lstmHidden", lstmHidden, 1...4096),
      ConfigRange.problem("minutes", minutes, 0...1_000_000),
      ConfigRange.problem("labelScale", labelScale ?? 1, 1e-3...1e3),
      ConfigRange.problem("protoLoss", protoLoss ?? 0, 0...100)) { throw FewShotError(p) }
    guard dModel % heads == 0 else { throw FewShotError("config field 'heads' = \(heads) does not divide 'dModel' = \(dModel) (--d-model must be a multiple of --heads)") }
    guard secondData == nil || mode == "delayed" else { throw FewShotError("--second-data needs --mode delayed (loss at every step)") }
    guard (protoLoss ?? 0) == 0 || mode == "sync" else { throw FewShotError("--proto-loss needs --mode sync (support images labelled with their own class)") }
    guard withinAlphabet != true || data != "glyphs" else {
      throw FewShotError("within-alphabet episodes need Omniglot data (the glyphs have no alphabets)")
    }
  }
}

public enum FewShotData {
  /// A fingerprint of a source's split (FNV-1a of the written-down split for Omniglot; the glyph summary otherwise).
  public static func splitFingerprint(_ s: FewShotSource) -> String {
    let text = (s as? OmniglotSource)?.split.text ?? s.summary
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
    return String(h, radix: 16)
  }

  /// The subset shipped beside the project, when present.
  public static let sharedOmniglot = "../shared/data/omniglot"

  /// "glyphs" → procedural glyphs; anything else → an Omniglot folder.
  public static func open(_ data: String, dataSeed: UInt64, splitSeed: UInt64,
                          heldOutAlphabets: (valid: [String], test: [String])? = nil) throws -> FewShotSource {
    if data == "glyphs" {
      guard heldOutAlphabets == nil else { throw FewShotError("glyphs have no alphabets (--test-alphabets needs Omniglot data)") }
      return GlyphSource(seed: dataSeed)
    }
    return try OmniglotSource(root: data, seed: splitSeed, heldOutAlphabets: heldOutAlphabets)
  }
}

/// Model + config, saved and loaded as one safetensors file.
public final class FewShotLearner {
  public let config: FewShotRunConfig
  public let model: FewShotModel
  let dLogits = Buffer(), dFeatures = Buffer()
  let prototypes = PrototypeLoss()
  /// `supportLabels(_:)`'s answer, kept so that training steps reuse its storage.
  var supportLabelRows: [Int] = []

  public init(_ config: FewShotRunConfig) {
    self.config = config
    model = FewShotModel(config.modelConfig, seed: config.seed)
  }

  var bnExtra: [(String, [Int], [Float])] {
    model.encoder.batchNorms.enumerated().flatMap { i, bn in
      [("encoder.bn\(i).running_mean", [bn.channels], bn.runningMean), ("encoder.bn\(i).running_var", [bn.channels], bn.runningVar)]
    }
  }

  public func save(_ path: String, info: [String: String] = [:], extra: [(String, [Int], [Float])] = []) throws {
    let json = String(decoding: try JSONEncoder().encode(config), as: UTF8.self)
    var meta = info
    meta["fewshot.config"] = json
    try Checkpoint.save(model.ps, to: path, extra: bnExtra + extra, metadata: meta)
  }

  /// Loads a checkpoint written by `save`; every problem is a one-line error. The stored config is checked
  /// against its ranges and the header against the tensors it implies before the model is built.
  public static func load(_ path: String) throws -> (FewShotLearner, [String: String]) {
    try load(CheckpointFile(path))
  }

  static func load(_ file: CheckpointFile) throws -> (FewShotLearner, [String: String]) {
    let path = file.path, meta = file.metadata
    guard let js = meta["fewshot.config"] else {
      throw FewShotError("checkpoint \(path): not a few-shot checkpoint (no fewshot.config metadata)")
    }
    let cfg: FewShotRunConfig
    do { cfg = try JSONDecoder().decode(FewShotRunConfig.self, from: Data(js.utf8)) } catch {
      throw FewShotError("checkpoint \(path): \(ConfigRange.decodingProblem(error))")
    }
    do { try cfg.validate() } catch { throw FewShotError("checkpoint \(path): \(error)") }
    let params = FewShotModel.parameterShapes(cfg.modelConfig)
    let total = params.reduce(0) { $0 + $1.count }
    var extra = ["adam.m": [total], "adam.v": [total]]
    for i in 0..<4 { for s in ["running_mean", "running_var"] { extra["encoder.bn\(i).\(s)"] = [cfg.convChannels] } }
    try file.expect(params, extra: extra)
    let l = FewShotLearner(cfg)
    for r in l.model.ps.params { l.model.ps.w(r).update(from: try file.values(r.name), count: r.count) }
    for (i, bn) in l.model.encoder.batchNorms.enumerated() {
      bn.runningMean = try file.values("encoder.bn\(i).running_mean")
      bn.runningVar = try file.values("encoder.bn\(i).running_var")
    }
    return (l, meta)
  }

  /// One optimisation step's forward and backward pass. Returns the loss, correct and counted targets, and the
  /// accuracy on the targets whose class was shown before in the episode (`seenAccuracy`): every query in the
  /// synchronous setting; in the delayed setting, first occurrences (a guess by construction) are left out.
  /// With `protoLoss`, the auxiliary loss's gradient joins the encoder's and `prototypeCorrect` counts the
  /// queries its nearest prototype gets right (0 without it).
  public func lossAndGradient(_ e: EpisodeBatch) -> (loss: Double, correct: Int, counted: Int, seenAccuracy: Double, prototypeCorrect: Int) {
    let n = e.L * e.B, N = config.ways
    // The model reads the images again in backward, so both passes run while the pointer is valid.
    return e.images.withUnsafeBufferPointer { px in
      let logits = model.forward(images: px.baseAddress!, labels: e.inputLabels, L: e.L, B: e.B)
      var seenHit = 0, seenCount = 0
      for r in 0..<n where e.targets[r] >= 0 && e.shotIndex[r] > 0 {
        seenCount += 1
        if Self.argmax(logits + r * N, N) == e.targets[r] { seenHit += 1 }
      }
      let r = SoftmaxCrossEntropy.lossAndGradient(logits, labels: e.targets, n: n, classes: N, dLogits: dLogits.resize(n * N))
      var protoHit = 0
      let protoWeight = config.protoLoss ?? 0
      if protoWeight > 0 {
        let F = model.encoder.featureDim, dF = dFeatures.resize(n * F)
        dF.update(repeating: 0, count: n * F)
        protoHit = prototypes.lossAndGradient(model.features!, featureDim: F, L: e.L, B: e.B, supportLabels: supportLabels(e),
                                              targets: e.targets, classes: N, weight: Float(protoWeight), dFeatures: dF).correct
      }
      model.backward(dLogits: dLogits.ptr, dFeatures: protoWeight > 0 ? UnsafePointer(dFeatures.ptr) : nil)
      return (r.loss, r.correct, r.counted, Double(seenHit) / Double(max(seenCount, 1)), protoHit)
    }
  }

  /// Predicted class per step [L·B] (evaluation mode must be set by the caller).
  public func predict(_ e: EpisodeBatch) -> [Int] {
    let N = config.ways
    let logits = e.images.withUnsafeBufferPointer { model.forward(images: $0.baseAddress!, labels: e.inputLabels, L: e.L, B: e.B) }
    return (0..<(e.L * e.B)).map { Self.argmax(logits + $0 * N, N) }
  }

  /// The predicted class of one row of logits (the first of equal maxima).
  static func argmax(_ row: UnsafePointer<Float>, _ n: Int) -> Int {
    var best = 0
    for j in 1..<n where row[j] > row[best] { best = j }
    return best
  }

  public struct Evaluation: Sendable {
    /// Accuracy of each episode (fraction of its scored steps that were right).
    public var episodeAccuracy: [Double]
    /// Delayed setting: accuracy per occurrence of a class (1st, 2nd, ... shot) — of the first task.
    public var perShot: [Double]
    /// The same for the second task of two-task sequences (empty otherwise).
    public var perShotSecondTask: [Double] = []
    /// Accuracy per position in the sequence (scored steps only).
    public var perPosition: [Double] = []
    /// Accuracy over each task's scored steps (the second is 0 without a second task).
    public var taskAccuracy: [Double] = []
    /// Within-alphabet episodes: the mean episode accuracy of each alphabet and its number of episodes,
    /// in alphabetical order (empty otherwise).
    public var byAlphabet: [(alphabet: String, accuracy: Double, episodes: Int)] = []
    public func ci(groups: Int) -> MeanCI { MeanCI(episodeCorrect: episodeAccuracy, groups: groups) }
    public var mean: Double { episodeAccuracy.reduce(0, +) / Double(max(1, episodeAccuracy.count)) }
  }

  /// Accuracy on `episodes` episodes of a split (evaluation mode; fixed seed = the same episodes every time).
  /// `withinAlphabet`: every episode's classes from one alphabet, unrotated characters only (Lake et al.'s setting).
  /// `ensemble` > 1 (synchronous episodes): each query answered by that many relabelled, reordered views
  /// of its episode (`predictEnsembled`); the episodes themselves are the same as without it.
  /// `viewJitter`: views after the first also distort their images by draws of it.
  /// `head`: who answers (`AnswerHead`); heads other than the model's need synchronous single-task episodes.
  public func evaluate(source: FewShotSource, second: FewShotSource? = nil, split: Split, ways: Int? = nil, shots: Int? = nil,
                       withinAlphabet: Bool = false, episodes: Int, seed: UInt64, batch: Int = 100,
                       ensemble: Int = 1, viewJitter: ImageJitter? = nil, head: AnswerHead = .model) throws -> Evaluation {
    guard ensemble == 1 || (config.episodeMode == .sync && second == nil) else {
      throw FewShotError("--ensemble needs a synchronous-label model on one task")
    }
    guard head == .model || (config.episodeMode == .sync && second == nil && ensemble == 1) else {
      throw FewShotError("--head \(head.rawValue) needs a synchronous-label model on one task, without --ensemble")
    }
    var viewOrder = PCG32(seed: seed, stream: 0xe5e)
    func make(_ s: FewShotSource, _ stream: UInt64) throws -> EpisodeSampler {
      try EpisodeSampler(source: s, split: split, ways: ways ?? config.ways, shots: shots ?? config.shots,
                         mode: config.episodeMode, rotations: config.rotations && !withinAlphabet,
                         withinAlphabet: withinAlphabet, seed: seed, stream: stream)
    }
    var sampler = SequenceSampler(first: try make(source, 77), second: try second.map { try make($0, 78) },
                                  randomOrder: false, seed: seed)
    guard sampler.ways <= config.ways else { throw FewShotError("the model has \(config.ways) output classes, cannot run \(sampler.ways)-way episodes") }
    let wasTraining = model.training
    model.training = false
    defer { model.training = wasTraining }
    var acc: [Double] = []
    var shotHit: [[Double]] = [[], []], shotCount: [[Double]] = [[], []]
    var posHit: [Double] = [], posCount: [Double] = []
    var alphabetSums: [String: (accuracy: Double, episodes: Int)] = [:]
    var left = episodes
    while left > 0 {
      let b = min(max(1, batch / ensemble), left)   // the same episodes in smaller forward passes
      let e = sampler.next(batch: b)
      let p = head == .prototypes ? predictByPrototypes(e)
        : ensemble > 1 ? predictEnsembled(e, members: ensemble, jitter: viewJitter, rng: &viewOrder) : predict(e)
      for i in 0..<b {
        var hit = 0, cnt = 0
        for t in 0..<e.L {
          let r = t * b + i
          guard e.targets[r] >= 0 else { continue }
          let ok = p[r] == e.targets[r]
          hit += ok ? 1 : 0; cnt += 1
          let s = e.shotIndex[r], k = e.task[r]
          while shotHit[k].count <= s { shotHit[k].append(0); shotCount[k].append(0) }
          shotHit[k][s] += ok ? 1 : 0; shotCount[k][s] += 1
          while posHit.count <= t { posHit.append(0); posCount.append(0) }
          posHit[t] += ok ? 1 : 0; posCount[t] += 1
        }
        acc.append(Double(hit) / Double(max(cnt, 1)))
        if withinAlphabet, let a = e.classes[i].first.flatMap({ source.alphabet($0.character) }) {
          alphabetSums[a, default: (0, 0)].accuracy += acc[acc.count - 1]
          alphabetSums[a, default: (0, 0)].episodes += 1
        }
      }
      left -= b
    }
    func ratio(_ h: [Double], _ c: [Double]) -> [Double] { zip(h, c).map { $0 / max($1, 1) } }
    return Evaluation(episodeAccuracy: acc, perShot: ratio(shotHit[0], shotCount[0]),
                      perShotSecondTask: ratio(shotHit[1], shotCount[1]), perPosition: ratio(posHit, posCount),
                      taskAccuracy: (0..<2).map { k in shotHit[k].reduce(0, +) / max(shotCount[k].reduce(0, +), 1) },
                      byAlphabet: alphabetSums.keys.sorted().map { a in
                        let s = alphabetSums[a]!
                        return (a, s.accuracy / Double(s.episodes), s.episodes)
                      })
  }
}

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
    self.config = config; self.source = source; self.second = second; self.out = out
    learner = FewShotLearner(config)
    activeWays = config.curriculum == true ? 2 : config.ways
  }

  /// Starts from a checkpoint's weights (the same architecture): steps and metrics continue from its step,
  /// and the Adam moments are restored when the file has them (RUN/last.safetensors does). The training
  /// episodes after the continuation are drawn from a new stream, so this is a continuation, not a bit-exact resume.
  /// A model with fewer ways is widened (`ModelWidening`): its label inputs and outputs keep their weights,
  /// the new ones start from this run's fresh initialisation, and Adam starts afresh.
  public func `continue`(from path: String) throws {
    let file = try CheckpointFile(path)
    let (l, meta) = try FewShotLearner.load(file)
    let a = l.model.ps, b = learner.model.ps
    let widened = l.config.ways < config.ways
    if widened {
      try ModelWidening.copy(a, into: b, addedWays: config.ways - l.config.ways, source: path)
      widenedFrom = l.config.ways
    } else {
      guard a.params.map(\.name) == b.params.map(\.name), a.params.map(\.shape) == b.params.map(\.shape) else {
        throw FewShotError("\(path): its model (\(l.config.model), \(l.config.ways)-way, D \(l.config.dModel)) differs from this run's")
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
    if !widened, file.entries["adam.m"] != nil || file.entries["adam.v"] != nil {
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
                              prototypeAccuracy: (c.protoLoss ?? 0) > 0 ? Double(iProtoHit) / Double(max(iCnt, 1)) : nil,
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

/// The ways curriculum of `--curriculum`: episodes start with 2 classes; one is added whenever the mean
/// training accuracy of the last `window` steps reaches halfway between chance and 100 %. The accuracy is
/// taken on steps whose class was already shown (`seenAccuracy`), so the delayed setting's first occurrences,
/// which no model can get right beyond chance, do not hold the curriculum back.
public struct WaysCurriculum: Sendable {
  public let ways: Int
  public private(set) var active: Int
  public static let window = 100
  var recent: [Double] = []

  public init(ways: Int, start: Int = 2) { self.ways = ways; active = min(ways, max(2, start)) }

  /// The accuracy needed to add a class at the current number of active classes.
  public var threshold: Double { (1 + 1 / Double(active)) / 2 }

  /// Records one training step's query accuracy; returns true when a class was added.
  @discardableResult
  public mutating func record(_ accuracy: Double) -> Bool {
    guard active < ways else { return false }
    recent.append(accuracy)
    if recent.count > Self.window { recent.removeFirst() }
    guard recent.count == Self.window, recent.reduce(0, +) / Double(Self.window) >= threshold else { return false }
    active += 1
    recent = []
    return true
  }
}
