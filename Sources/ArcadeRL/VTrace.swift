// V-trace targets and the sum-reduced IMPALA loss (Espeholt et al. 2018).
// Index t holds the logits on frame t, the action a_t, reward r_t and discount γ_t (0 at episode end).
import Glibc

public struct ImpalaLossValue: Sendable {
  public var total: Double, pg: Double, baseline: Double, entropy: Double
}

public enum VTrace {
  /// log π(a) − log μ(a) for each (t,b).
  static func logRho(_ target: UnsafePointer<Float>, _ behaviour: UnsafePointer<Float>, _ a: Int, _ A: Int) -> Float {
    logSoftmax(target, A, a) - logSoftmax(behaviour, A, a)
  }
  @inline(__always) static func logSoftmax(_ z: UnsafePointer<Float>, _ A: Int, _ a: Int) -> Float {
    let (m, logSum) = maxAndLogSum(z, A)
    return z[a] - m - logSum
  }
  /// m = max z and log Σ exp(z − m): log softmax(z)_a = z_a − m − logSum.
  @inline(__always) static func maxAndLogSum(_ z: UnsafePointer<Float>, _ A: Int) -> (m: Float, logSum: Float) {
    var m = z[0]
    for i in 1..<A { m = max(m, z[i]) }
    var s: Float = 0
    for i in 0..<A { s += expf(z[i] - m) }
    return (m, logf(s))
  }

  /// V-trace with ρ̄, c̄, ρ̄_pg clips. Outputs vs, pgAdv, logRhos: [T,B]. values [T,B], bootstrap [B].
  public static func targets(
    behaviourLogits: UnsafePointer<Float>, targetLogits: UnsafePointer<Float>, actions: UnsafePointer<Int>,
    rewards: UnsafePointer<Float>, discounts: UnsafePointer<Float>, values: UnsafePointer<Float>,
    bootstrap: UnsafePointer<Float>, T: Int, B: Int, A: Int,
    clipRho: Float = 1, clipC: Float = 1, clipPgRho: Float = 1, clipRewards: Bool = false,
    vs: UnsafeMutablePointer<Float>, pgAdv: UnsafeMutablePointer<Float>, logRhos: UnsafeMutablePointer<Float>
  ) {
    for b in 0..<B {
      var acc: Float = 0     // vs_{t+1} − V_{t+1}
      for t in stride(from: T - 1, through: 0, by: -1) {
        let i = t * B + b
        let lr = logRho(targetLogits + i * A, behaviourLogits + i * A, actions[i], A)
        logRhos[i] = lr
        let rho = expf(lr)
        let r = clipRewards ? min(max(rewards[i], -1), 1) : rewards[i]
        let vNext = t == T - 1 ? bootstrap[b] : values[i + B]
        let delta = min(clipRho, rho) * (r + discounts[i] * vNext - values[i])
        acc = delta + discounts[i] * min(clipC, rho) * acc
        vs[i] = values[i] + acc
      }
      for t in 0..<T {
        let i = t * B + b
        let r = clipRewards ? min(max(rewards[i], -1), 1) : rewards[i]
        let vsNext = t == T - 1 ? bootstrap[b] : vs[i + B]
        pgAdv[i] = min(clipPgRho, expf(logRhos[i])) * (r + discounts[i] * vsNext - values[i])
      }
    }
  }

  /// IMPALA loss: Σ CE(target, a)·pgAdv + baselineCost·0.5·Σ(vs − V)² + entropyCost·Σ π log π,
  /// rewards clamped to [−1,1]. Writes dL/dtargetLogits [T,B,A] and dL/dvalues [T,B] (overwritten).
  /// vsOut/pgAdvOut (optional) receive the loss's internal V-trace values.
  public static func impalaLoss(
    behaviourLogits: UnsafePointer<Float>, targetLogits: UnsafePointer<Float>, actions: UnsafePointer<Int>,
    rewards: UnsafePointer<Float>, discounts: UnsafePointer<Float>, values: UnsafePointer<Float>,
    bootstrap: UnsafePointer<Float>, T: Int, B: Int, A: Int,
    entropyCost: Float = 0.01, baselineCost: Float = 0.5,
    dTargetLogits: UnsafeMutablePointer<Float>, dValues: UnsafeMutablePointer<Float>,
    vsOut: UnsafeMutablePointer<Float>? = nil, pgAdvOut: UnsafeMutablePointer<Float>? = nil,
    scratch: UnsafeMutablePointer<Float>? = nil
  ) -> ImpalaLossValue {
    let n = T * B
    // vs, pgAdv and log ρ [3, T, B]: the caller's `scratch` (3·T·B floats) or a temporary.
    let vs = scratch ?? UnsafeMutablePointer<Float>.allocate(capacity: 3 * n)
    defer { if scratch == nil { vs.deallocate() } }
    let pg = vs + n, lr = vs + 2 * n
    targets(behaviourLogits: behaviourLogits, targetLogits: targetLogits, actions: actions, rewards: rewards,
            discounts: discounts, values: values, bootstrap: bootstrap, T: T, B: B, A: A, clipRewards: true,
            vs: vs, pgAdv: pg, logRhos: lr)
    if let vsOut { vsOut.update(from: vs, count: n) }
    if let pgAdvOut { pgAdvOut.update(from: pg, count: n) }
    var out = ImpalaLossValue(total: 0, pg: 0, baseline: 0, entropy: 0)
    for i in 0..<n {
      let z = targetLogits + i * A, dz = dTargetLogits + i * A
      var m = z[0]
      for j in 1..<A { m = max(m, z[j]) }
      var s: Float = 0
      for j in 0..<A { s += expf(z[j] - m) }
      let lse = m + logf(s)
      var plogp: Float = 0
      for j in 0..<A { let lp = z[j] - lse; plogp += expf(lp) * lp }
      let a = actions[i]
      out.pg += Double(-(z[a] - lse) * pg[i])
      out.entropy += Double(entropyCost * plogp)
      for j in 0..<A {
        let lp = z[j] - lse, p = expf(lp)
        // CE: (π − onehot)·adv ; entropy term: cost·π(log π − Σ π log π)
        dz[j] = (p - (j == a ? 1 : 0)) * pg[i] + entropyCost * p * (lp - plogp)
      }
      let e = vs[i] - values[i]
      out.baseline += Double(baselineCost * 0.5 * e * e)
      dValues[i] = -baselineCost * e
    }
    out.total = out.pg + out.baseline + out.entropy
    return out
  }
}
