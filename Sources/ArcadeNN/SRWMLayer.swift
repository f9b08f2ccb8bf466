// SRWM layer wrappers (Irie, Schlag, Csordás and Schmidhuber 2022, "A Modern Self-Referential Weight Matrix That Learns to Modify Itself").
//   few-shot (.fewShot): out = LayerNorm(h) + Dropout(W_o · SRWM(h))          (no input softmax)
//   RL       (.rl):      out = h + Dropout(W_o · SRWM(softmax_d(h)))
import ArcadeTensor

public final class SRWMLayer {
  public enum Variant: Sendable { case fewShot, rl }
  public let variant: Variant
  public let core: SRWMCore
  public let outProj: Linear
  public let ln: LayerNorm?
  public let dim: Int
  public let drop: Dropout
  let Y = Buffer(), dY = Buffer(), dCore = Buffer()
  var n = 0

  public init(_ ps: ParamStore, _ name: String, dim: Int, heads: Int, variant: Variant,
              dropout: Float = 0, seed: UInt64 = 0) {
    self.variant = variant; self.dim = dim
    drop = Dropout(p: dropout, seed: seed)
    precondition(dim % heads == 0)
    let p = name.isEmpty ? "" : name + "."
    core = SRWMCore(ps, heads: heads, headDim: dim / heads, inputSoftmax: variant == .rl,
                    names: (p + "Wy", p + "Wq", p + "Wk", p + "Wb"))
    outProj = Linear(ps, p + "out_proj", dim, dim, bias: false)
    ln = variant == .fewShot ? LayerNorm(ps, p + "ln", dim) : nil
  }
  public func initDefault(_ rng: inout SplitMix) {
    core.initDefault(&rng); outProj.initDefault(&rng); ln?.initDefault()
  }
  public func stateCount(batch: Int) -> Int { core.stateCount(batch: batch) }

  /// x, y: [L,B,D]; state: ΔW (nil = W0); reset: [L,B].
  public func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, L: Int, B: Int,
                      state: UnsafeMutablePointer<Float>? = nil, reset: UnsafePointer<Float>? = nil) {
    n = L * B
    Y.resize(n * dim)
    core.forward(x, Y.ptr, L: L, B: B, state: state, reset: reset)
    outProj.forward(Y.ptr, y, n: n)
    drop.forward(y, n * dim)
    if let ln {
      ln.forward(x, y, n: n, accumulate: true)
    } else {
      Vec.add(x, y, n * dim)
    }
  }

  /// dy -> dx (overwritten); dState as in SRWMCore.backward.
  public func backward(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
                       dState: UnsafeMutablePointer<Float>? = nil) {
    dY.resize(n * dim); dCore.resize(n * dim)
    var g = dy
    if drop.active { Vec.copy(dy, dCore.ptr, n * dim); drop.backward(dCore.ptr, n * dim); g = UnsafePointer(dCore.ptr) }
    outProj.backward(Y.ptr, g, dY.ptr, n: n)
    core.backward(dY.ptr, dx, dState: dState)
    if let ln { ln.backward(x, dy, dx, n: n, accumulate: true) } else { Vec.add(dy, dx, n * dim) }
  }
}
