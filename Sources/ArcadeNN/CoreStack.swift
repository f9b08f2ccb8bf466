// Sequence core shared by the RL agent and the few-shot model:
//   ff:     identity (heads act on the input)
//   lstm:   one LSTM layer
//   srwm / delta / lt / fakesr: input_proj, then numLayers × [core layer, FF block]
// Whole sequence [L,B,in] per call, full BPTT, per-step reset mask, carried states (one Buffer each).
import ArcadeTensor

public enum CoreKind: String, Sendable, CaseIterable { case ff, lstm, delta, lt, fakesr, srwm }

/// The shape of a `CoreStack`, which the few-shot model and the RL agent configure alike.
public struct CoreConfig: Sendable {
  public var kind: CoreKind
  /// Width of the layers (the few-shot paper's D).
  public var hidden: Int
  public var numLayers: Int
  public var numHeads: Int
  public var dimFF: Int
  public var lstmHidden: Int
  /// Dropout in the core layers (the few-shot paper's "Dropout").
  public var dropout: Float = 0

  public init(kind: CoreKind, hidden: Int, numLayers: Int, numHeads: Int, dimFF: Int, lstmHidden: Int) {
    self.kind = kind; self.hidden = hidden; self.numLayers = numLayers; self.numHeads = numHeads
    self.dimFF = dimFF; self.lstmHidden = lstmHidden
  }
}

public final class CoreStack {
  enum Layer {
    case srwm(SRWMLayer), fast(FastWeightLayer), fake(FakeSRLayer), ff(FFBlock)
  }
  public let kind: CoreKind
  public let inDim: Int
  public let outDim: Int
  let inputProj: Linear?
  let layers: [Layer]
  let lstm: LSTM?
  let acts: [Buffer]     // acts[0] = input_proj output, acts[i+1] = output of layer i
  let g1 = Buffer(), g2 = Buffer()
  var L = 0, B = 0
  var x: UnsafePointer<Float>? = nil

  /// srwmVariant: .rl (input softmax, plain residual) or .fewShot. deltaEps: sum-norm eps for delta.
  public init(_ ps: ParamStore, _ config: CoreConfig, inDim: Int, srwmVariant: SRWMLayer.Variant, deltaEps: Float,
              ltEps: Float = 1e-5, seed: UInt64 = 0) {
    let kind = config.kind, hidden = config.hidden, heads = config.numHeads, dropout = config.dropout
    self.kind = kind; self.inDim = inDim
    var ls: [Layer] = []
    switch kind {
    case .ff:
      inputProj = nil; lstm = nil; outDim = inDim
    case .lstm:
      inputProj = nil; lstm = LSTM(ps, "lstm.lstm", inDim: inDim, hidden: config.lstmHidden); outDim = config.lstmHidden
    default:
      inputProj = Linear(ps, "input_proj", inDim, hidden); lstm = nil; outDim = hidden
      for i in 0..<config.numLayers {
        let n = "layers.\(2 * i)", sd = seed &+ UInt64(10 * i)
        switch kind {
        case .srwm: ls.append(.srwm(SRWMLayer(ps, n, dim: hidden, heads: heads, variant: srwmVariant, dropout: dropout, seed: sd)))
        case .delta: ls.append(.fast(FastWeightLayer(ps, n, dim: hidden, heads: heads, kind: .delta, eps: deltaEps, dropout: dropout, seed: sd)))
        case .lt: ls.append(.fast(FastWeightLayer(ps, n, dim: hidden, heads: heads, kind: .linear, eps: ltEps, dropout: dropout, seed: sd)))
        default: ls.append(.fake(FakeSRLayer(ps, n, dim: hidden, heads: heads)))
        }
        ls.append(.ff(FFBlock(ps, "layers.\(2 * i + 1)", dim: hidden, hidden: config.dimFF, dropout: dropout, seed: sd &+ 5)))
      }
    }
    layers = ls
    acts = (0...ls.count).map { _ in Buffer() }
  }

  public func initDefault(_ rng: inout SplitMix) {
    inputProj?.initDefault(&rng); lstm?.initDefault(&rng)
    for l in layers {
      switch l {
      case .srwm(let s): s.initDefault(&rng)
      case .fast(let f): f.initDefault(&rng)
      case .fake(let f): f.initDefault(&rng)
      case .ff(let f): f.initDefault(&rng)
      }
    }
  }

  /// Carried-state sizes for a batch (in the order `forward` expects them).
  public func stateSizes(batch B: Int) -> [Int] {
    if let lstm { return [B * lstm.hidden, B * lstm.hidden] }
    return layers.compactMap { l in
      switch l {
      case .srwm(let s): return s.stateCount(batch: B)
      case .fast(let f): return f.stateCount(batch: B)
      default: return nil
      }
    }
  }

  /// x [L,B,in] -> pointer to [L,B,outDim] (owned by the stack; for ff it is x itself).
  public func forward(_ x: UnsafePointer<Float>, L: Int, B: Int, states: [Buffer], reset: UnsafePointer<Float>?)
    -> UnsafePointer<Float> {
    self.L = L; self.B = B; self.x = x
    let n = L * B
    if kind == .ff { return x }
    if let lstm {
      lstm.forward(x, acts[0].resize(n * outDim), L: L, B: B, h: states[0].ptr, c: states[1].ptr, reset: reset)
      return UnsafePointer(acts[0].ptr)
    }
    inputProj!.forward(x, acts[0].resize(n * outDim), n: n)
    var si = 0
    for (i, l) in layers.enumerated() {
      let a = UnsafePointer(acts[i].ptr), o = acts[i + 1].resize(n * outDim)
      switch l {
      case .srwm(let s): s.forward(a, o, L: L, B: B, state: states[si].ptr, reset: reset); si += 1
      case .fast(let f): f.forward(a, o, L: L, B: B, state: states[si].ptr, reset: reset); si += 1
      case .fake(let f): f.forward(a, o, n: n)
      case .ff(let f): f.forward(a, o, n: n)
      }
    }
    return UnsafePointer(acts[layers.count].ptr)
  }

  /// dOut [L,B,outDim] -> dx [L,B,in] (overwritten). dStates: in dL/d(final state), out dL/d(initial state).
  public func backward(_ dOut: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, dStates: [Buffer]) {
    let n = L * B
    if kind == .ff { Vec.copy(dOut, dx, n * inDim); return }
    if let lstm {
      lstm.backward(x!, dOut, dx, dhState: dStates[0].ptr, dcState: dStates[1].ptr)
      return
    }
    Vec.copy(dOut, g1.resize(n * outDim), n * outDim)
    var si = dStates.count
    for i in stride(from: layers.count - 1, through: 0, by: -1) {
      let a = UnsafePointer(acts[i].ptr), gi = g2.resize(n * outDim)
      switch layers[i] {
      case .srwm(let s): si -= 1; s.backward(a, g1.ptr, gi, dState: dStates[si].ptr)
      case .fast(let f): si -= 1; f.backward(a, g1.ptr, gi, dState: dStates[si].ptr)
      case .fake(let f): f.backward(a, g1.ptr, gi)
      case .ff(let f): f.backward(a, g1.ptr, gi, n: n)
      }
      Vec.copy(gi, g1.ptr, n * outDim)
    }
    inputProj!.backward(x!, g1.ptr, dx, n: n)
  }

  /// Switches dropout in every layer on (training) or off (evaluation).
  public func setTraining(_ on: Bool) {
    for l in layers {
      switch l {
      case .srwm(let s): s.drop.training = on
      case .fast(let f): f.drop.training = on
      case .ff(let f): f.drop1.training = on; f.drop2.training = on
      case .fake: break
      }
    }
  }

  /// Writes the states the SRWM layers' last forward call left pending (`SRWMCore.deferStateWrite`).
  public func writePendingStates(_ states: [Buffer]) {
    var si = 0
    for l in layers {
      switch l {
      case .srwm(let s): s.core.writeState(states[si].ptr); si += 1
      case .fast: si += 1
      case .fake, .ff: break
      }
    }
  }

  public var srwmLayers: [SRWMLayer] {
    layers.compactMap { if case .srwm(let s) = $0 { return s } else { return nil } }
  }
}
