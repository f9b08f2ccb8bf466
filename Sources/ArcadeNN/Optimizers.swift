// Optimisers over a ParamStore's flat parameter and gradient buffers, plus clipping and schedules.
import ArcadeTensor
import Glibc

/// RMSProp with PyTorch semantics: v = αv + (1−α)g², p −= lr·g/(√v + ε) (ε outside the sqrt), no momentum.
public final class RMSProp {
  public var lr: Float
  public let alpha: Float, eps: Float
  public let squareAvg: Buffer
  public init(count: Int, lr: Float, alpha: Float = 0.99, eps: Float = 0.01) {
    self.lr = lr; self.alpha = alpha; self.eps = eps
    squareAvg = Buffer(count)
  }
  /// Learning-rate multipliers for disjoint ranges of the flat parameter buffer (say, a newly grown
  /// branch that must catch up with trained weights); the rest of the buffer uses `lr` as it is.
  public var scaledRanges: [(range: Range<Int>, factor: Float)] = [] {
    didSet { scaledRanges.sort { $0.range.lowerBound < $1.range.lowerBound } }
  }
  public func step(_ ps: ParamStore) {
    var start = 0
    for (r, f) in scaledRanges {
      update(ps, start..<r.lowerBound, lr: lr)
      update(ps, r, lr: lr * f)
      start = r.upperBound
    }
    update(ps, start..<ps.count, lr: lr)
  }
  private func update(_ ps: ParamStore, _ range: Range<Int>, lr: Float) {
    let p = ps.values.ptr, g = ps.grads.ptr, v = squareAvg.ptr
    let a = alpha, eps = eps
    for i in range {
      let gi = g[i]
      v[i] = a * v[i] + (1 - a) * gi * gi
      p[i] -= lr * gi / (v[i].squareRoot() + eps)
    }
  }
}

/// Adam with PyTorch semantics (bias-corrected, ε added after the sqrt of the corrected second moment).
public final class Adam {
  public var lr: Float
  public let beta1: Float, beta2: Float, eps: Float
  public let m: Buffer, v: Buffer
  public private(set) var t = 0
  public init(count: Int, lr: Float, beta1: Float = 0.9, beta2: Float = 0.999, eps: Float = 1e-8) {
    self.lr = lr; self.beta1 = beta1; self.beta2 = beta2; self.eps = eps
    m = Buffer(count); v = Buffer(count)
  }
  public func step(_ ps: ParamStore) {
    t += 1
    let bc1 = 1 - Float(pow(Double(beta1), Double(t))), bc2 = 1 - Float(pow(Double(beta2), Double(t)))
    let p = ps.values.ptr, g = ps.grads.ptr, mp = m.ptr, vp = v.ptr, n = ps.count
    let b1 = beta1, b2 = beta2, stepSize = lr / bc1, sbc2 = bc2.squareRoot(), eps = eps
    for i in 0..<n {
      let gi = g[i]
      mp[i] = b1 * mp[i] + (1 - b1) * gi
      vp[i] = b2 * vp[i] + (1 - b2) * gi * gi
      p[i] -= stepSize * mp[i] / (vp[i].squareRoot() / sbc2 + eps)
    }
  }
  /// Restores the step counter (checkpoint loading).
  public func setStep(_ s: Int) { t = s }
}

public enum GradClip {
  /// Global-norm clipping like torch.nn.utils.clip_grad_norm_: scales by max/(norm+1e-6) when that is < 1.
  /// Returns the norm before clipping.
  @discardableResult
  public static func globalNorm(_ ps: ParamStore, maxNorm: Float) -> Float {
    let n = ps.count, g = ps.grads.ptr
    let norm = Float(Vec.sumSquares(g, n).squareRoot())
    let coef = maxNorm / (norm + 1e-6)
    if coef < 1 { Vec.scale(coef, g, n) }
    return norm
  }
}

public enum LRSchedule {
  /// Linear decay to 0: lr·(1 − min(step, total)/total) (torchbeast LambdaLR over environment steps).
  public static func linearDecay(base: Float, step: Int, total: Int) -> Float {
    base * (1 - Float(min(step, total)) / Float(max(total, 1)))
  }
  /// Noam: scale·D^−½·min(s^−½, s·warmup^−1.5), s ≥ 1.
  public static func noam(step: Int, dModel: Int, warmup: Int, scale: Float = 1) -> Float {
    let s = Float(max(step, 1))
    return scale / Float(dModel).squareRoot() * min(1 / s.squareRoot(), s / pow(Float(warmup), 1.5))
  }
}
