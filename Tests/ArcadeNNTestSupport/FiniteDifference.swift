// Central finite-difference checks of hand-written backward passes (float32, careful eps), and the random
// inputs and shapes they run on; shared by ArcadeNNTests and ArcadeRLTests.
import ArcadeNN
import ArcadeTensor
import Testing

/// A differentiable quantity: a pointer to values and the matching analytical gradient after `grad()`.
package struct FDTarget {
  package let name: String
  package let values: UnsafeMutablePointer<Float>
  package let count: Int
  package let grad: () -> [Float]
  package init(name: String, values: UnsafeMutablePointer<Float>, count: Int, grad: @escaping () -> [Float]) {
    self.name = name; self.values = values; self.count = count; self.grad = grad
  }
}

/// Checks up to `samples` entries of each target: |analytic − numeric| ≤ atol + rtol·|numeric|.
/// `loss` must run the forward pass from scratch and return Σ coef ⊙ outputs (Double);
/// `backward` must run forward + backward so that each target's grad() is valid.
///
/// `kinks`: for networks dense in ReLUs and max-pools at random small sizes, a step of eps often crosses
/// a kink, so the difference is also taken at eps/3, eps/10 and eps/30 and the entry passes if any of them
/// agrees. A wrong gradient agrees at none: the differences converge to the true derivative.
package func fdCheck(_ label: String, targets: [FDTarget], eps: Float = 1e-2, samples: Int = 12,
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

package func paramTargets(_ ps: ParamStore) -> [FDTarget] {
  ps.params.map { r in FDTarget(name: r.name, values: ps.w(r), count: r.count) { Array(UnsafeBufferPointer(start: ps.g(r), count: r.count)) } }
}

package func dot(_ a: UnsafePointer<Float>, _ b: [Float]) -> Double {
  var s = 0.0
  for i in 0..<b.count { s += Double(a[i]) * Double(b[i]) }
  return s
}

/// Owns a random buffer usable as an FD target.
package final class Rand {
  package let buf: Buffer
  package init(_ n: Int, _ rng: inout SplitMix, scale: Float = 1) {
    buf = Buffer(n)
    for i in 0..<n { buf[i] = scale * rng.normal() }
  }
  package var p: UnsafeMutablePointer<Float> { buf.ptr }
  package var count: Int { buf.count }
  package var array: [Float] { buf.array }
}

package func randomArray(_ n: Int, _ rng: inout SplitMix, scale: Float = 1) -> [Float] { (0..<n).map { _ in scale * rng.normal() } }

package func maxAbsDiff(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).map { abs($0 - $1) }.max() ?? 0 }

/// One random small shape, drawn from a seeded stream so each case is reproducible.
package struct SweepShape: CustomStringConvertible {
  package static let headSizes = [1, 2, 3, 4, 5, 6, 7, 16]
  package let headDim: Int, heads: Int, T: Int, B: Int
  package var dim: Int { headDim * heads }
  package var description: String { "d\(headDim)×H\(heads) T\(T) B\(B)" }

  /// Case i of the sweep: head sizes cycle through all of `headSizes`; B is odd, T in 1…5.
  package static func draw(_ i: Int, seed: UInt64) -> SweepShape {
    var rng = SplitMix(seed: seed &+ UInt64(i) &* 0x9E37)
    func pick(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
    return SweepShape(headDim: headSizes[i % headSizes.count], heads: 1 + pick(3), T: 1 + pick(5), B: 2 * pick(3) + 1)
  }

  /// A reset mask [T,B] with a few random resets (never all of them).
  package func resets(_ rng: inout SplitMix) -> [Float] {
    (0..<(T * B)).map { _ in rng.next() % 5 == 0 ? 1 : 0 }
  }
}
