import ArcadeCore
import ArcadeFewShot
import ArcadeNN
import ArcadeRL
import ArcadeTensor
import ArgumentParser
import Foundation

struct FewShot: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "fewshot",
    abstract: "Supervised few-shot learning (N-way K-shot episodes) with SRWM, DeltaNet or LSTM models.",
    subcommands: [FewShotTrain.self, FewShotEval.self, FewShotMakeRuns.self])

  static let defaultCheckpoint = "fewshot/default.safetensors"

  /// --data default: the Omniglot subset beside the project when present, else the procedural glyphs.
  static func defaultData() -> String {
    FileManager.default.fileExists(atPath: FewShotData.sharedOmniglot) ? FewShotData.sharedOmniglot : "glyphs"
  }

  /// "A,B,C" → ["A", "B", "C"] (an option naming alphabets); nil stays nil.
  static func alphabetList(_ s: String?) -> [String]? {
    s.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
  }
}

struct FewShotTrain: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Train a few-shot model; writes OUT/best.safetensors (best validation), OUT/last.safetensors, OUT/metrics.jsonl and OUT/splits.txt.",
    discussion: "Plot validation accuracy against training steps with `arcade plot OUT --metric accuracy`.")

  @Option(Limits.ways, help: "Classes per episode.") var ways = 5
  @Option(Limits.shots, help: "Support examples per class.") var shots = 1
  @Option(help: "Core.") var model = FewShotCore.srwm
  @Option(help: "sync (label with its own image, one query) or delayed (previous label, loss at every step).") var mode = EpisodeMode.sync
  @Option(help: "An Omniglot folder or 'glyphs' (default: ../shared/data/omniglot when present, else glyphs).") var data: String?
  @Option(Limits.fewShotSteps, help: "Training steps (batches).") var steps = 1000
  @Option(Limits.fewShotBatch, help: "Episodes per batch.") var batch = 32
  @Option(Limits.fewShotLR, help: "Adam learning rate.") var lr = 1e-3
  @Option(Limits.fewShotLRFinal, help: "Let the learning rate fall linearly from --lr to this by step --steps, from the step this run starts at (continuing a run with the same --lr, --lr-final and --steps keeps its schedule). Default: constant --lr.") var lrFinal: Double?
  @Option(Limits.validEvery, help: "Validate (and keep the best checkpoint) every this many steps.") var validEvery = 100
  @Option(Limits.episodes, help: "Validation episodes.") var validEpisodes = 500
  @Option(Limits.seed, help: "Seed of the model and the training episodes.") var seed: UInt64 = 0
  @Option(Limits.seed, help: "Seed of the character split (Omniglot) / of the glyph shapes.") var splitSeed: UInt64 = 0
  @Option(Limits.width, help: "Model width D.") var dModel = 256
  @Option(Limits.layers, help: "Core layers (srwm, delta).") var layers = 2
  @Option(Limits.heads, help: "Heads.") var heads = 16
  @Option(Limits.width, help: "Feed-forward width.") var ffDim = 1024
  @Option(Limits.width, help: "LSTM hidden size.") var lstmHidden = 1024
  @Option(Limits.width, help: "Conv-4 channels.") var convChannels = 64
  @Option(help: "Value of the label's one-hot entry in the model input (the paper: 1).") var labelScale: Double = 1
  @Flag(name: .customLong("no-rotations"), help: "No 90°/180°/270° class augmentation.") var noRotations = false
  @Flag(help: "Distort every training image a little: shift up to ±2 px, rotate up to ±10°, scale by up to ±10% (validation and test images are not).") var augment = false
  @Option(help: "Second task for two-task delayed-label sequences (needs --mode delayed): 'glyphs' or an Omniglot folder; each sequence is one episode of each task, labels sharing the same output units.") var secondData: String?
  @Flag(help: "Ways curriculum: begin with 2-way episodes, add a class each time training accuracy (last 100 steps, on steps whose class was already shown) reaches halfway from chance to 100%; validation always uses all ways. For srwm and delta; an LSTM learns without it, not with it.") var curriculum = false
  @Option(help: "Split Omniglot by whole alphabets: these alphabets (comma-separated) are the validation characters; with --test-alphabets.") var validAlphabets: String?
  @Option(help: "Split Omniglot by whole alphabets: these alphabets (comma-separated) are the test characters; every alphabet not named is for training.") var testAlphabets: String?
  @Flag(help: "Train on the validation characters too (for a final model whose schedule was chosen on validation): no validation, no best.safetensors; last.safetensors every --valid-every steps.") var trainOnValid = false
  @Flag(help: "Within-alphabet episodes: each training episode's classes come from one alphabet (rotations included), and validation uses within-alphabet episodes of unrotated characters, as 'fewshot eval --within-alphabet' does.") var withinAlphabet = false
  @Option(Limits.lossWeight, help: "Weight of an auxiliary prototypical-network loss on the encoder's image features (each query against its episode's mean support feature per class; --mode sync). It trains the encoder for the matching the core learns to do; 0: the paper's loss alone.") var protoLoss = 0.0
  @Option(Limits.lossWeight, help: "Weight of a distillation loss pulling the model's answers toward its encoder's nearest-prototype answers (the prototypes' softmax at --distill-temperature, not trained by it; --mode sync). 0: none.") var distill = 0.0
  @Option(Limits.distillTemperature, help: "Temperature of the prototypes' softmax that --distill aims at (above 1: softer targets).") var distillTemperature = 1.0
  @Option(Limits.imageSide, help: "Side of the square images the drawings are shrunk to, by area averaging (the encoder's input; the paper: 28).") var imageSide = 28
  @Option(Limits.minutes, help: "Stop after this many minutes of running (a pause with kill -STOP does not count; 0: no limit).") var minutes: Double = 0
  @Option(Limits.threads, help: "Threads for the network.") var threads = 1
  @Option(help: "Run directory.") var out: String
  @Option(name: .customLong("continue"), help: "Carry on from a checkpoint of the same model (e.g. RUN/last.safetensors): weights, Adam state, step count; --steps is the total. A model with fewer ways is widened to --ways, one of another --image-side is carried over to it (fresh Adam state either way).") var continueFrom: String?

  func run() throws {
    var c = FewShotRunConfig()
    c.ways = ways; c.shots = shots; c.model = model.rawValue; c.mode = mode.rawValue
    c.data = data ?? FewShot.defaultData()
    c.dataSeed = splitSeed; c.splitSeed = splitSeed; c.rotations = !noRotations
    c.steps = steps; c.batch = batch; c.lr = lr; c.lrFinal = lrFinal; c.validEvery = validEvery; c.validEpisodes = validEpisodes
    c.seed = seed; c.dModel = dModel; c.layers = layers; c.heads = heads; c.ffDim = ffDim
    c.lstmHidden = lstmHidden; c.convChannels = convChannels; c.minutes = minutes
    c.curriculum = curriculum ? true : nil
    c.secondData = secondData
    c.labelScale = labelScale == 1 ? nil : labelScale
    c.augment = augment ? true : nil
    c.trainOnValid = trainOnValid ? true : nil
    c.withinAlphabet = withinAlphabet ? true : nil
    c.protoLoss = protoLoss > 0 ? protoLoss : nil
    if distillTemperature != 1 && distill == 0 { throw ValidationError("--distill-temperature needs --distill W (a weight above 0)") }
    c.distill = distill > 0 ? distill : nil
    c.distillTemperature = distill > 0 && distillTemperature != 1 ? distillTemperature : nil
    c.imageSide = imageSide == 28 ? nil : imageSide
    c.validAlphabets = FewShot.alphabetList(validAlphabets); c.testAlphabets = FewShot.alphabetList(testAlphabets)
    if c.heldOutAlphabets != nil, c.validAlphabets?.isEmpty ?? true || c.testAlphabets?.isEmpty ?? true {
      throw ValidationError("--valid-alphabets and --test-alphabets go together, each naming at least one alphabet")
    }
    do { try c.validate() } catch { throw ValidationError("\(error)") }
    Parallel.configure(threads: threads)
    let run = try FewShotRunDirectory(config: c, out: out, continueFrom: continueFrom)
    let trainer = run.trainer
    if let from = run.continuedFrom {
      print("continuing from \(from) at step \(trainer.stepOffset)" + (trainer.widenedFrom.map { ", widened from \($0) to \(c.ways) ways" } ?? "")
            + (trainer.resizedFrom.map { ", images \($0)×\($0) → \(c.side)×\(c.side)" } ?? ""))
    }
    print("few-shot \(c.model) \(c.ways)-way \(c.shots)-shot (\(c.mode)), \(trainer.learner.model.ps.count) parameters, \(trainer.source.summary)" + (trainer.second.map { " + second task \($0.summary)" } ?? "") + (c.trainOnValid == true ? "; training on the train and valid characters" : ""))
    print("batch \(c.batch), Adam lr \(c.lr)\(c.lrFinal.map { " falling to \($0) from step \(trainer.lrDecayStart)" } ?? ""), \(c.steps) steps\(c.minutes > 0 ? " or \(c.minutes) minutes" : ""), \(threads) thread(s) → \(out)")
    if let d = c.distill { print("distillation toward the encoder's prototypes: weight \(d), temperature \(c.distillTemperature ?? 1)") }
    try run.run { l in
      var s = "step \(l.step)/\(c.steps)  \(Fmt.duration(l.seconds))  \(Fmt.fixed(l.stepsPerSecond, 2)) steps/s  loss \(Fmt.fixed(l.loss, 4))  train acc \(Fmt.fixed(100 * l.trainAccuracy, 1))%"
      if l.activeWays < c.ways { s += " (\(l.activeWays)-way)" }
      if let p = l.prototypeAccuracy { s += "  prototype acc \(Fmt.fixed(100 * p, 1))%" }
      if let v = l.validAccuracy { s += "  valid acc \(Fmt.fixed(100 * v, 2))%" + (l.best ? " (best, saved)" : "") }
      print(s)
      fflush(nil)
    }
    if c.trainOnValid == true {
      print("trained on the validation characters too: no validation; latest weights → \(out)/last.safetensors")
    } else if trainer.savedBest {
      print("best validation accuracy \(Fmt.fixed(100 * trainer.bestValid, 2))% → \(out)/best.safetensors")
    } else {
      print("no validation beat the best carried over from the checkpoint (\(Fmt.fixed(100 * trainer.bestValid, 2))%); latest weights → \(out)/last.safetensors")
    }
  }
}

struct FewShotEval: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "eval",
    abstract: "Test accuracy of a few-shot checkpoint with a 95% interval, or Lake et al.'s 20-way one-shot runs.")

  @Argument(help: "Checkpoint (default: \(FewShot.defaultCheckpoint)).") var checkpoint: String = FewShot.defaultCheckpoint
  @Option(Limits.ways, help: "Classes per episode (default: as trained).") var ways: Int?
  @Option(Limits.shots, help: "Support examples per class (default: as trained).") var shots: Int?
  @Option(Limits.episodes, help: "Test episodes.") var episodes = 1000
  @Option(Limits.groups, help: "Independent groups of episodes for the confidence interval.") var groups = 10
  @Option(help: "Characters to test on.") var split = Split.test
  @Option(help: "Data (default: what the checkpoint was trained on).") var data: String?
  @Option(Limits.seed, help: "Seed of the evaluation episodes.") var seed: UInt64 = 12345
  @Option(help: "Lake et al. one-shot folder (runNN/...): 20-way accuracy per run instead.") var oneShotRuns: String?
  @Flag(help: "Within-alphabet episodes: every episode's classes are characters of one alphabet, unrotated (Lake et al.'s setting; needs a split by alphabets, see fewshot train --test-alphabets).") var withinAlphabet = false
  @Option(Limits.ensemble, help: "Answer each query with this many views of its episode (labels permuted, support reordered), log-probabilities summed; 1: the episode as drawn.") var ensemble = 1
  @Option(Limits.viewJitter, help: "With --ensemble: every view but the first also distorts its images, by up to this fraction of --augment's ranges (0: views differ only in labels and order).") var viewJitter = 0.0
  @Option(help: "Who answers: the model, or its encoder alone by the nearest class prototype (mean support feature; synchronous models; its --ensemble needs --view-jitter).") var head = AnswerHead.model
  @Option(name: .customLong("with"), help: ArgumentHelp("Another checkpoint of the same task and split that answers together with this one: its log-probabilities on the same views are added (repeat for more).", valueName: "checkpoint")) var others: [String] = []
  @Option(Limits.threads, help: "Threads for the network.") var threads = 1

  func run() throws {
    let sp = split
    guard episodes > 0, groups >= 2, episodes >= groups else { throw ValidationError("need --episodes ≥ --groups ≥ 2") }
    guard viewJitter == 0 || ensemble > 1 else { throw ValidationError("--view-jitter distorts the views of --ensemble: give --ensemble 2 or more") }
    Parallel.configure(threads: threads)
    let (learner, meta) = try FewShotLearner.load(checkpoint)
    let c = learner.config
    let validation = c.trainOnValid == true ? "trained on the validation characters too"
      : meta["valid_accuracy"].flatMap(Double.init).map { "validation accuracy " + Fmt.fixed(100 * $0, 2) + "%" } ?? "not validated at this step"
    print("\(checkpoint): \(c.model) \(c.ways)-way \(c.shots)-shot (\(c.mode)), step \(meta["step"] ?? "?"), \(validation)")
    let joining = try others.map { path in
      let (other, otherMeta) = try FewShotLearner.load(path)
      try learner.checkJoining(other, name: path)
      if sp == .valid, oneShotRuns == nil, other.config.trainOnValid == true {
        throw ValidationError("\(path) was trained on the validation characters (--train-on-valid); evaluate it on --split test")
      }
      print("with \(path): \(other.config.model), step \(otherMeta["step"] ?? "?")")
      return other
    }
    let jitter = viewJitter > 0 ? ImageJitter.standard(side: c.side).scaled(by: Float(viewJitter)) : nil
    let answerer = (head == .prototypes ? " (encoder's nearest prototype)" : "")
      + (ensemble > 1 ? " (ensemble of \(ensemble) views\(viewJitter > 0 ? ", jittered by \(viewJitter) of --augment" : ""))" : "")
      + (others.isEmpty ? "" : " (\(others.count + 1) checkpoints together)")
    if let dir = oneShotRuns {
      let runs = try OneShotRuns.parse(dir)
      let accs = try OneShotRuns.evaluate(runs, learner: learner, head: head, ensemble: ensemble, viewJitter: jitter,
                                             joining: joining, seed: seed)
      for (name, a) in accs { print("\(name)  \(Fmt.fixed(100 * a, 1))%") }
      let total = runs.map(\.items.count).reduce(0, +)
      let hits = zip(runs, accs).map { Double($0.items.count) * $1.1 }.reduce(0, +)
      print("overall \(Fmt.fixed(100 * hits / Double(total), 2))% over \(runs.count) runs (\(total) items, \(runs.first?.training.count ?? 0)-way one-shot)\(answerer)")
      return
    }
    if sp == .valid, c.trainOnValid == true {
      throw ValidationError("\(checkpoint) was trained on the validation characters (--train-on-valid); evaluate it on --split test")
    }
    let source = try FewShotData.open(data ?? c.data, dataSeed: c.dataSeed, splitSeed: c.splitSeed, heldOutAlphabets: c.heldOutAlphabets, side: c.side)
    if let f = meta["split"], f != FewShotData.splitFingerprint(source) {
      print("note: this data's character split differs from the one the model was trained with (other data or split seed); test characters may have been seen in training")
    }
    let second = try c.secondData.map { try FewShotData.open($0, dataSeed: c.dataSeed, splitSeed: c.splitSeed, side: c.side) }
    let w = ways ?? c.ways, k = shots ?? c.shots
    let start = Date()
    let ev = try learner.evaluate(source: source, second: second, split: sp, ways: w, shots: k, withinAlphabet: withinAlphabet,
                                  episodes: episodes, seed: seed, ensemble: ensemble, viewJitter: jitter, head: head,
                                  joining: joining)
    let ci = ev.ci(groups: groups)
    print("\(source.summary)" + (second.map { " then \($0.summary)" } ?? ""))
    print("\(sp.rawValue) \(w)-way \(k)-shot\(withinAlphabet ? " within-alphabet" : "") accuracy\(answerer): \(ci.percent) (95% CI over \(ci.count) groups of \(episodes / ci.count) episodes, \(Fmt.duration(Date().timeIntervalSince(start))))")
    if !ev.byAlphabet.isEmpty {
      print("by alphabet: " + ev.byAlphabet.map { "\($0.alphabet) \(Fmt.fixed(100 * $0.accuracy, 2))% (\($0.episodes) episodes)" }.joined(separator: ", "))
    }
    func perShot(_ a: [Double]) -> String { a.enumerated().map { "\($0 + 1): \(Fmt.fixed(100 * $1, 1))%" }.joined(separator: "  ") }
    if c.episodeMode == .delayed {
      if second != nil {
        print("task 1 (first in the sequence) accuracy \(Fmt.fixed(100 * ev.taskAccuracy[0], 2))%, per shot: " + perShot(ev.perShot))
        print("task 2 (after the switch) accuracy \(Fmt.fixed(100 * ev.taskAccuracy[1], 2))%, per shot: " + perShot(ev.perShotSecondTask))
      } else {
        print("per-shot accuracy: " + perShot(ev.perShot))
      }
      let per = 5
      print("accuracy by position (mean of \(per) steps): " + stride(from: 0, to: ev.perPosition.count, by: per).map { i in
        let seg = ev.perPosition[i..<min(i + per, ev.perPosition.count)]
        return "\(i)–\(i + seg.count - 1): \(Fmt.fixed(100 * seg.reduce(0, +) / Double(seg.count), 1))%"
      }.joined(separator: "  "))
    }
  }
}

struct FewShotMakeRuns: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "make-runs",
    abstract: "Write 20-way one-shot runs in Lake et al.'s layout (runNN/training, runNN/test, class_labels.txt) from whole Omniglot alphabets, for `fewshot eval --one-shot-runs`.",
    discussion: "Each run takes --ways characters of one of the named alphabets (in turn) and two drawers: one drawer's drawings are the training images, the other's the test items.")

  @Option(help: "An Omniglot folder (default: ../shared/data/omniglot).") var data: String = FewShotData.sharedOmniglot
  @Option(help: "The alphabets to draw from, comma-separated (e.g. a model's --test-alphabets).") var alphabets: String
  @Option(Limits.episodes, help: "Runs.") var runs = 20
  @Option(Limits.ways, help: "Classes (characters) per run.") var ways = 20
  @Option(Limits.seed, help: "Seed of the characters and drawers.") var seed: UInt64 = 0
  @Option(help: "Folder to create.") var out: String

  func run() throws {
    let names = FewShot.alphabetList(alphabets) ?? []
    guard !names.isEmpty else { throw ValidationError("--alphabets names no alphabet") }
    guard runs <= 99 else { throw ValidationError("--runs must be at most 99") }
    let source = try OmniglotSource(root: data, heldOutAlphabets: ([], names))
    let used = try OneShotRunsMaker.make(source, split: .test, runs: runs, ways: ways, seed: seed, into: out)
    print("\(out): \(used.count) runs of \(ways)-way one-shot from " + Set(used).sorted().map { a in "\(a) (\(used.filter { $0 == a }.count))" }.joined(separator: ", "))
  }
}
