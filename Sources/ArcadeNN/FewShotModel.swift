// The SRWM paper's few-shot model: Conv-4 → z = [f ; one_hot(label, N)] → core → Linear(→N).
// core srwm/delta: input_proj + numLayers × [layer, FF]; lstm: one LSTM layer.
import ArcadeTensor

public struct FewShotConfig: Sendable {
  /// The paper's core: D = 256, 2 layers of 16 heads, FF 1024 (LSTM: 1024 units).
  public var core: CoreConfig
  public var imageHW = 28
  public var imageChannels = 1
  public var convChannels = 64
  public var nWay = 5
  /// Value of the label's one-hot entry in the input z = [f ; labelScale · one_hot(label)] (1 in the paper).
  public var labelScale: Float = 1
  /// Dropout in the Conv-4 encoder (the paper's "vision dropout"; the core's is `core.dropout`).
  public var visionDropout: Float = 0
  public init(core: CoreKind = .srwm) {
    self.core = CoreConfig(kind: core, hidden: 256, numLayers: 2, numHeads: 16, dimFF: 1024, lstmHidden: 1024)
  }
}

public final class FewShotModel: ConfiguredModel {
  public let config: FewShotConfig
  public let ps: ParamStore
  public let encoder: Conv4
  public let core: CoreStack
  public let out: Linear
  let z = Buffer(), logits = Buffer(), dz = Buffer(), dIn = Buffer(), dFeat = Buffer()
  var coreOut: UnsafePointer<Float>? = nil
  /// The encoder's image features of the last forward pass, [L·B, encoder.featureDim].
  public private(set) var features: UnsafePointer<Float>? = nil
  var states: [Buffer] = [], dStates: [Buffer] = []    // episodes start from W0 / zeros each call
  var images: UnsafePointer<Float>? = nil
  var L = 0, B = 0

  public init(_ config: FewShotConfig, seed: UInt64, store: ParamStore) {
    self.config = config
    ps = store
    let c = config
    encoder = Conv4(ps, "encoder", inChannels: c.imageChannels, channels: c.convChannels, H: c.imageHW, W: c.imageHW,
                    dropout: c.visionDropout, seed: seed &+ 77)
    core = CoreStack(ps, c.core, inDim: encoder.featureDim + c.nWay, srwmVariant: .fewShot, deltaEps: 0, seed: seed &+ 1000)
    out = Linear(ps, "out", core.outDim, c.nWay)
    if store.shapesOnly { return }
    var rng = SplitMix(seed: seed)
    encoder.initDefault(&rng); core.initDefault(&rng); out.initDefault(&rng)
  }

  /// Training mode (batch-norm batch statistics, dropout on) or evaluation mode (running statistics, no dropout).
  public var training: Bool = true {
    didSet { encoder.training = training; core.setTraining(training) }
  }

  /// images [L,B,C,H,W], labels [L,B] (label feedback; the query step carries a dummy label). Returns logits [L,B,N].
  public func forward(images: UnsafePointer<Float>, labels: [Int], L: Int, B: Int) -> UnsafePointer<Float> {
    self.L = L; self.B = B; self.images = images
    let n = L * B, Fv = encoder.featureDim, N = config.nWay, I = Fv + N
    let f = encoder.forward(images, N: n)
    features = UnsafePointer(f)
    let zp = z.resize(n * I)
    for r in 0..<n {
      Vec.copy(f + r * Fv, zp + r * I, Fv)
      let on = config.labelScale
      for j in 0..<N { zp[r * I + Fv + j] = labels[r] == j ? on : 0 }
    }
    let sizes = core.stateSizes(batch: B)
    if states.map(\.count) != sizes { states = sizes.map { Buffer($0) }; dStates = sizes.map { Buffer($0) } }
    for s in states { s.zero() }
    let h = core.forward(zp, L: L, B: B, states: states, reset: nil)
    coreOut = h
    out.forward(h, logits.resize(n * N), n: n)
    return UnsafePointer(logits.ptr)
  }

  /// dLogits [L,B,N] → parameter gradients (accumulated). `dFeatures` [L·B, featureDim]: a gradient that
  /// another loss on `features` (an auxiliary prototype loss) adds to the encoder's.
  public func backward(dLogits: UnsafePointer<Float>, dFeatures: UnsafePointer<Float>? = nil) {
    let n = L * B, Fv = encoder.featureDim, N = config.nWay, I = Fv + N
    out.backward(coreOut!, dLogits, dz.resize(n * core.outDim), n: n)
    for s in dStates { s.zero() }
    core.backward(dz.ptr, dIn.resize(n * I), dStates: dStates)
    let df = dFeat.resize(n * Fv)
    for r in 0..<n { Vec.copy(dIn.ptr + r * I, df + r * Fv, Fv) }
    if let dFeatures { Vec.axpy(1, dFeatures, df, n * Fv) }
    encoder.backward(images!, df, nil)
  }
}
