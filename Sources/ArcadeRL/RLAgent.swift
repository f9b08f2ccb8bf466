// The SRWM paper's RL agent over a whole unroll (T frames × B) with full BPTT:
// frames/255 → IMPALA CNN → ReLU → flatten → fc → ReLU → [· ; clamp(r,−1,1)] → core → policy, baseline
// (with `lastActionInput`, a one-hot of the previous action joins the reward).
import ArcadeNN
import ArcadeTensor

public struct RLAgentConfig: Sendable {
  /// The paper's RL core: 128 wide, 2 layers of 8 heads, FF 512 (LSTM: 256 units).
  public var core: CoreConfig
  public var frameHW = 64
  public var cnnChannels = [16, 32, 32]
  public var cnnFC = 256
  public var numActions = 15
  /// Reproduce the SRWM paper's published RL code: SRWM state treated as a constant at every step, so
  /// only W^y_0 of each SRWM layer is trained. Default false: full BPTT through q, k, β and the state.
  public var detachSRWMStateLikePublishedRLCode = false
  /// When set ([C, H, W]), the agent reads the symbolic `grid` observation instead of frames,
  /// with the encoder `gridEncoder`.
  public var gridShape: [Int]? = nil
  public var gridEncoder: GridEncoder = .linear
  public var gridCNNChannels = GridCNN.defaultChannels
  /// The core also reads a one-hot of the previous action (zero at an episode's first frame), as IMPALA's
  /// agents do; the SRWM paper's agent does not. With it, a deterministic (greedy) policy knows which way
  /// it was going, which is what it needs to follow a maze's wall instead of pacing between two cells.
  public var lastActionInput = false
  /// Width of the core's input: the fc features, the reward, and the last action's one-hot if read.
  public var coreInputWidth: Int { cnnFC + 1 + (lastActionInput ? numActions : 0) }
  public init(core: CoreKind = .srwm) {
    self.core = CoreConfig(kind: core, hidden: 128, numLayers: 2, numHeads: 8, dimFF: 512, lstmHidden: 256)
  }
}

/// How the agent encodes grid observations before its fc layer.
public enum GridEncoder: String, Sendable, CaseIterable, Codable {
  /// flatten → fc: cheap, but blind to which cells are neighbours.
  case linear
  /// GridCNN (conv 3×3 stages) → flatten → fc.
  case conv
  /// Both, summed before the ReLU: fc(flatten) + fc(GridCNN). A linear agent grows a conv branch this way
  /// (`--init-from` zeroes the branch's fc, so training starts from the linear agent's exact policy).
  case linearConv = "linear+conv"
}

/// What the agent reads: raw frames [T,B,3,H,W] or grid observations [T,B,C,H,W].
public enum AgentInput {
  case frames(UnsafePointer<UInt8>)
  case grid(UnsafePointer<Float>)
}

public final class RLAgent: ConfiguredModel {
  public let config: RLAgentConfig
  public let ps: ParamStore
  /// The frame encoder (nil for grid observations).
  public let cnn: ImpalaCNN?
  /// The grid encoder when `gridEncoder` is `.conv` or `.linearConv` (nil otherwise).
  public let gridCNN: GridCNN?
  public let fc: Linear
  /// The conv branch's fc when `gridEncoder` is `.linearConv` (`fc` is then the linear branch).
  public let convFC: Linear?
  public let core: CoreStack
  public let policy: Linear, baseline: Linear
  let x = Buffer(), fcOut = Buffer(), convFCOut = Buffer(), coreIn = Buffer(), logits = Buffer(), values = Buffer()
  let dCore = Buffer(), dCoreIn = Buffer(), dFc = Buffer(), dFeat = Buffer(), dHead = Buffer()
  var coreOut: UnsafePointer<Float>? = nil
  var zeroDState: [Buffer] = []
  var T = 0, B = 0
  /// False after a forward that read the grid in place (no backward may follow it).
  var inputKept = true
  /// For an actor stepping one frame at a time: the state passed to the next forward call is the one the
  /// previous call left and the weights have not changed since, so SRWM layers keep W_t in their working
  /// buffers (no W0 + ΔW rebuild per step). Reset to false after every call.
  public var continueCoreState = false
  /// For the same actor: SRWM layers may leave the state unwritten (W_t stays in their buffers) until
  /// `writePendingState` is called, which must happen before the weights change or the state is read.
  /// Reset to false after every call.
  public var deferCoreStateWrite = false

  public func writePendingState(_ state: [Buffer]) { core.writePendingStates(state) }
  let srwmCores: [SRWMCore]

  /// The linear grid encoder reads the grid's non-zeros only (0/1 planes, mostly zero).
  var sparseInput: Bool { cnn == nil && config.gridEncoder != .conv }
  let nonZeros = SparseRows()
  /// grid_fc's Wᵀ, made per forward pass (or dWᵀ in backward) unless the caller gives its own.
  let fcWT = Buffer()
  /// Set for one forward call by `forward(…, gridWeightsT:)`.
  var gridWeightsT: UnsafePointer<Float>?

  /// grid_fc's weights transposed, for an actor that runs many forward passes between weight changes
  /// (`forward(…, gridWeightsT:)`); nil unless the agent reads grids with the linear encoder.
  public func transposedGridWeights(into dst: Buffer) -> UnsafePointer<Float>? {
    sparseInput ? fc.transposedWeights(into: dst) : nil
  }

  public init(_ config: RLAgentConfig, seed: UInt64, store: ParamStore) {
    self.config = config
    ps = store
    let c = config
    if let g = c.gridShape {
      cnn = nil
      switch c.gridEncoder {
      case .conv:
        let net = GridCNN(ps, "grid_cnn", inChannels: g[0], channels: c.gridCNNChannels, H: g[1], W: g[2])
        gridCNN = net; convFC = nil
        fc = Linear(ps, "grid_fc", net.featureDim, c.cnnFC)
      case .linear:
        gridCNN = nil; convFC = nil
        fc = Linear(ps, "grid_fc", g.reduce(1, *), c.cnnFC)
      case .linearConv:
        fc = Linear(ps, "grid_fc", g.reduce(1, *), c.cnnFC)
        let net = GridCNN(ps, "grid_cnn", inChannels: g[0], channels: c.gridCNNChannels, H: g[1], W: g[2])
        gridCNN = net
        convFC = Linear(ps, "grid_conv_fc", net.featureDim, c.cnnFC)
      }
    } else {
      let net = ImpalaCNN(ps, "cnn", inChannels: 3, channels: c.cnnChannels, H: c.frameHW, W: c.frameHW)
      cnn = net; gridCNN = nil; convFC = nil
      fc = Linear(ps, "fc", net.featureDim, c.cnnFC)
    }
    core = CoreStack(ps, c.core, inDim: c.coreInputWidth, srwmVariant: .rl, deltaEps: 1e-5)
    srwmCores = core.srwmLayers.map(\.core)
    policy = Linear(ps, "policy", core.outDim, c.numActions)
    baseline = Linear(ps, "baseline", core.outDim, 1)
    for l in core.srwmLayers { l.core.detachStateLikePublishedRLCode = c.detachSRWMStateLikePublishedRLCode }
    if store.shapesOnly { return }
    var rng = SplitMix(seed: seed)
    cnn?.initDefault(&rng); gridCNN?.initDefault(&rng); fc.initDefault(&rng); convFC?.initDefault(&rng)
    core.initDefault(&rng)
    policy.initDefault(&rng); baseline.initDefault(&rng)
  }

  /// Fresh zero state (ΔW = 0, i.e. W = W0; LSTM h = c = 0) for B sequences.
  public func initialState(batch: Int) -> [Buffer] { core.stateSizes(batch: batch).map { Buffer($0) } }

  /// frames [T,B,3,H,W] raw 0…255, reward [T,B] (received on the transition into frame t), done [T,B].
  /// state is updated in place to the final state. Returns (policy logits [T,B,A], baseline [T,B]).
  /// lastAction [T,B]: the action that led to frame t; read (and required) when `lastActionInput` is set.
  public func forward(frames: UnsafePointer<UInt8>, reward: UnsafePointer<Float>, done: UnsafePointer<Float>,
                      lastAction: UnsafePointer<Int>? = nil,
                      T: Int, B: Int, state: [Buffer]) -> (logits: UnsafePointer<Float>, baseline: UnsafePointer<Float>) {
    guard let cnn else { preconditionFailure("this agent reads grid observations: call forward(grid:…)") }
    inputKept = true
    let n = T * B, hw = config.frameHW, pix = 3 * hw * hw
    let xp = x.resize(n * pix)
    let xs = SendablePtr(xp)
    nonisolated(unsafe) let fr = frames
    Parallel.forEach(n) { r in for i in (r * pix)..<((r + 1) * pix) { xs.p[i] = Float(fr[i]) * (1 / 255) } }
    return forwardFromFeatures(cnn.forward(xp, N: n), reward: reward, done: done, lastAction: lastAction, T: T, B: B, state: state)
  }

  /// Like `forward(frames:…)` for an agent made with `gridShape`: grid [T,B,C,H,W]. With `keepInput` false
  /// (acting: no backward follows) the linear encoder reads `grid` in place instead of a copy.
  /// `gridWeightsT`: grid_fc's weights as `transposedGridWeights` made them from the current weights (else
  /// they are transposed in this call).
  public func forward(grid: UnsafePointer<Float>, reward: UnsafePointer<Float>, done: UnsafePointer<Float>,
                      lastAction: UnsafePointer<Int>? = nil,
                      T: Int, B: Int, state: [Buffer], keepInput: Bool = true, gridWeightsT: UnsafePointer<Float>? = nil)
    -> (logits: UnsafePointer<Float>, baseline: UnsafePointer<Float>) {
    precondition(cnn == nil, "this agent reads frames: call forward(frames:…)")
    inputKept = keepInput
    self.gridWeightsT = gridWeightsT
    defer { self.gridWeightsT = nil }
    var input = grid
    if keepInput {   // the backward reads the input again
      let count = T * B * config.gridShape!.reduce(1, *)
      let xp = x.resize(count)
      xp.update(from: grid, count: count)
      input = UnsafePointer(xp)
    }
    let feat = config.gridEncoder == .conv ? gridCNN!.forward(input, N: T * B, forBackward: keepInput) : input
    return forwardFromFeatures(feat, reward: reward, done: done, lastAction: lastAction, T: T, B: B, state: state)
  }

  /// Forward on either kind of input.
  public func forward(_ input: AgentInput, reward: UnsafePointer<Float>, done: UnsafePointer<Float>,
                      lastAction: UnsafePointer<Int>? = nil,
                      T: Int, B: Int, state: [Buffer], keepInput: Bool = true, gridWeightsT: UnsafePointer<Float>? = nil)
    -> (logits: UnsafePointer<Float>, baseline: UnsafePointer<Float>) {
    switch input {
    case .frames(let f): return forward(frames: f, reward: reward, done: done, lastAction: lastAction, T: T, B: B, state: state)
    case .grid(let g):
      return forward(grid: g, reward: reward, done: done, lastAction: lastAction, T: T, B: B, state: state, keepInput: keepInput,
                     gridWeightsT: gridWeightsT)
    }
  }

  func forwardFromFeatures(_ feat: UnsafePointer<Float>, reward: UnsafePointer<Float>, done: UnsafePointer<Float>,
                           lastAction: UnsafePointer<Int>?, T: Int, B: Int, state: [Buffer]) -> (logits: UnsafePointer<Float>, baseline: UnsafePointer<Float>) {
    self.T = T; self.B = B
    let n = T * B, F = config.cnnFC
    if sparseInput {
      nonZeros.build(feat, n: n, width: fc.inDim)
      let wt = gridWeightsT ?? fc.transposedWeights(into: fcWT)
      fc.forward(sparse: nonZeros, weightsT: wt, fcOut.resize(n * F))
    } else {
      fc.forward(feat, fcOut.resize(n * F), n: n)
    }
    if let convFC, let gridCNN {   // linear+conv: feat is the grid itself
      convFC.forward(gridCNN.forward(feat, N: n, forBackward: inputKept), convFCOut.resize(n * F), n: n)
      Vec.add(convFCOut.ptr, fcOut.ptr, n * F)
    }
    let CI = config.coreInputWidth, A = config.numActions
    let ci = coreIn.resize(n * CI)
    let fo = fcOut.ptr
    precondition(!config.lastActionInput || lastAction != nil, "this agent reads the last action: pass lastAction")
    for r in 0..<n {
      let row = ci + r * CI
      for j in 0..<F { row[j] = max(fo[r * F + j], 0) }
      row[F] = min(max(reward[r], -1), 1)
      if config.lastActionInput, let lastAction {
        let onehot = row + F + 1
        for a in 0..<A { onehot[a] = 0 }
        let a = lastAction[r]
        if done[r] == 0 && (0..<A).contains(a) { onehot[a] = 1 }
      }
    }
    for c in srwmCores { c.continuing = continueCoreState; c.deferStateWrite = deferCoreStateWrite }
    let z = core.forward(ci, L: T, B: B, states: state, reset: done)
    for c in srwmCores { c.continuing = false; c.deferStateWrite = false }
    continueCoreState = false
    deferCoreStateWrite = false
    coreOut = z
    policy.forward(z, logits.resize(n * config.numActions), n: n)
    baseline.forward(z, values.resize(n), n: n)
    return (UnsafePointer(logits.ptr), UnsafePointer(values.ptr))
  }

  /// Gradients of the loss w.r.t. logits [T,B,A] and baseline [T,B] → parameter gradients (accumulated).
  /// dState: nil, or buffers shaped like the state: in dL/d(final state), out dL/d(initial state).
  public func backward(dLogits: UnsafePointer<Float>, dBaseline: UnsafePointer<Float>, dState: [Buffer]? = nil) {
    precondition(inputKept, "backward after a forward with keepInput: false")
    let n = T * B, F = config.cnnFC, D = core.outDim
    let dz = dHead.resize(n * D)
    policy.backward(coreOut!, dLogits, dz, n: n)
    baseline.backward(coreOut!, dBaseline, dz, n: n, accumulate: true)
    let ds: [Buffer]
    if let dState { ds = dState } else {
      let sizes = core.stateSizes(batch: B)
      if zeroDState.map(\.count) != sizes { zeroDState = sizes.map { Buffer($0) } }
      for b in zeroDState { b.zero() }
      ds = zeroDState
    }
    let CI = config.coreInputWidth
    let dci = dCoreIn.resize(n * CI)
    core.backward(dz, dci, dStates: ds)
    let dfc = dFc.resize(n * F)
    let fo = fcOut.ptr
    for r in 0..<n { for j in 0..<F { dfc[r * F + j] = fo[r * F + j] > 0 ? dci[r * CI + j] : 0 } }
    if let gridCNN {
      let df = dFeat.resize(n * gridCNN.featureDim)
      (convFC ?? fc).backward(gridCNN.featPtr, dfc, df, n: n)
      gridCNN.backward(x.ptr, df, nil)
      if convFC == nil { return }
    }
    guard let cnn else {
      fc.backwardWeights(sparse: nonZeros, dfc, scratch: fcWT)   // linear grid encoder: no gradient needed for the input
      return
    }
    let df = dFeat.resize(n * cnn.featureDim)
    fc.backward(cnn.featPtr, dfc, df, n: n)
    cnn.backward(x.ptr, df, nil)
  }
}
