// Central finite-difference checks of hand-written backward passes (float32, careful eps).
import ArcadeNN
import ArcadeTensor
import Testing

/// A differentiable quantity: a pointer to values and the matching analytical gradient after `grad()`.
struct FDTarget {
  let name: String
  let values: UnsafeMutablePointer<Float>
  let count: Int
  let grad: () -> [Float]
}

/// Checks up to `samples` entries of each target: |analytic − numeric| ≤ atol + rtol·|numeric|.
/// `loss` must run the forward pass from scratch and return Σ coef ⊙ outputs (Double);
/// `backward` must run forward + backward so that each target's grad() is valid.
///
/// `kinks`: for networks dense in ReLUs and max-pools at random small sizes, a step of eps often crosses
/// a kink, so the difference is also taken at eps/3, eps/10 and eps/30 and the entry passes if any of them
/// agrees. A wrong gradient agrees at none: the differences converge to the true derivative.
func fdCheck(_ label: String, targets: [FDTarget], eps: Float = 1e-2, samples: Int = 12,
             atol: Double = 3e-3, rtol: Double = 3e-2, seed: UInt64 = 1, kinks: Bool = false,
             loss: () -> Double, backward: () -> Void) {
  backward()
  let analytic = targets.map { $0.grad() }
  var rng = SplitMix(seed: seed)
  func central(_ t: FDTarget, _ i: Int, _ h: Float) -> Double {
    let old = t.values[i]
    t.values[i] = old + h
    let lp = loss()
    t.values[i] = old - h
    let lm = loss()
    t.values[i] = old
    return (lp - lm) / (2 * Double(h))
  }
  let steps = kinks ? [eps, eps / 3, eps / 10, eps / 30] : [eps]
  for (ti, t) in targets.enumerated() {
    var idx = Array(0..<t.count)
    if t.count > samples { idx = (0..<samples).map { _ in Int(rng.next() % UInt64(t.count)) } }
    for i in idx {
      let a = Double(analytic[ti][i])
      var nums: [Double] = []
      for h in steps {
        let num = central(t, i, h)
        nums.append(num)
        if abs(a - num) <= atol + rtol * abs(num) { break }
      }
      let num = nums.last!
      #expect(abs(a - num) <= atol + rtol * abs(num), "\(label) \(t.name)[\(i)]: analytic \(a) numeric \(nums)")
    }
  }
}

func paramTargets(_ ps: ParamStore) -> [FDTarget] {
  ps.params.map { r in FDTarget(name: r.name, values: ps.w(r), count: r.count) { Array(UnsafeBufferPointer(start: ps.g(r), count: r.count)) } }
}

func dot(_ a: UnsafePointer<Float>, _ b: [Float]) -> Double {
  var s = 0.0
  for i in 0..<b.count { s += Double(a[i]) * Double(b[i]) }
  return s
}

/// Owns a random buffer usable as an FD target.
final class Rand {
  let buf: Buffer
  init(_ n: Int, _ rng: inout SplitMix, scale: Float = 1) {
    buf = Buffer(n)
    for i in 0..<n { buf[i] = scale * rng.normal() }
  }
  var p: UnsafeMutablePointer<Float> { buf.ptr }
  var count: Int { buf.count }
  var array: [Float] { buf.array }
}
