// The few-shot run's settings, checked before a run starts and stored in every checkpoint.
import ArcadeNN

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
  /// Weight of a distillation loss pulling the model's answers toward its encoder's nearest-prototype
  /// answers (their softmax at `distillTemperature`, nil: 1; synchronous labels only). nil or 0: none.
  public var distill: Double?
  public var distillTemperature: Double?
  /// Side of the square images the drawings are shrunk to (nil: 28, the paper's).
  public var imageSide: Int?
  public init() {}

  /// The images' side: `imageSide`, or 28.
  public var side: Int { imageSide ?? 28 }

  /// The model's shape in words, for messages: "srwm, 5-way, D 256, 2 layers, 16 heads, conv 64, 28×28 images".
  public var architecture: String {
    "\(model), \(ways)-way, D \(dModel), \(layers) layers, \(heads) heads, conv \(convChannels), \(side)×\(side) images"
  }

  /// The training images' distortion, if any.
  public var trainingJitter: ImageJitter? { augment == true ? .standard(side: side) : nil }

  /// The held-out alphabets, when the run splits by alphabets.
  public var heldOutAlphabets: (valid: [String], test: [String])? {
    validAlphabets == nil && testAlphabets == nil ? nil : (validAlphabets ?? [], testAlphabets ?? [])
  }

  public var modelConfig: FewShotConfig {
    var c = FewShotConfig(core: CoreKind(rawValue: model) ?? .srwm)
    c.nWay = ways; c.convChannels = convChannels; c.core.hidden = dModel; c.core.numLayers = layers
    c.core.numHeads = heads; c.core.dimFF = ffDim; c.core.lstmHidden = lstmHidden
    c.labelScale = Float(labelScale ?? 1)
    c.imageHW = side
    return c
  }
  public var episodeMode: EpisodeMode { EpisodeMode(rawValue: mode) ?? .sync }

  /// Checks every field against its documented range (the command line and configs read back from
  /// checkpoints alike): ways 2…64, shots 1…100, steps 1…10⁹, batch 1…1024, lr 1e-9…1, lrFinal 0…1, validEvery 1…10⁹,
  /// validEpisodes 1…10⁶, convChannels, dModel, ffDim and lstmHidden 1…4096, layers 1…64, heads 1…64
  /// dividing dModel, minutes 0…10⁶, imageSide 16…105 (the encoder halves it four times).
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
      ConfigRange.problem("protoLoss", protoLoss ?? 0, 0...100),
      ConfigRange.problem("distill", distill ?? 0, 0...100),
      ConfigRange.problem("distillTemperature", distillTemperature ?? 1, 0.01...100),
      ConfigRange.problem("imageSide", side, 16...105)) { throw FewShotError(p) }
    guard dModel % heads == 0 else { throw FewShotError("config field 'heads' = \(heads) does not divide 'dModel' = \(dModel) (--d-model must be a multiple of --heads)") }
    guard secondData == nil || mode == "delayed" else { throw FewShotError("--second-data needs --mode delayed (loss at every step)") }
    guard (protoLoss ?? 0) == 0 || mode == "sync" else { throw FewShotError("--proto-loss needs --mode sync (support images labelled with their own class)") }
    guard (distill ?? 0) == 0 || mode == "sync" else { throw FewShotError("--distill needs --mode sync (support images labelled with their own class)") }
    guard withinAlphabet != true || data != "glyphs" else {
      throw FewShotError("within-alphabet episodes need Omniglot data (the glyphs have no alphabets)")
    }
  }
}
