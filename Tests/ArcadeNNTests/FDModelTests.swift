// Dropout, and softmax cross-entropy against finite differences (the RL agent's checks are in ArcadeRLTests).
import ArcadeNN
import ArcadeNNTestSupport
import ArcadeTensor
import Testing
import Foundation

@Suite struct FiniteDifferenceModels {
  @Test func dropoutIsSeededAndMasksGradients() {
    let d1 = Dropout(p: 0.5, seed: 9), d2 = Dropout(p: 0.5, seed: 9)
    var a = [Float](repeating: 1, count: 1000), b = a
    d1.forward(&a, 1000); d2.forward(&b, 1000)
    #expect(a == b)
    #expect(a.allSatisfy { $0 == 0 || $0 == 2 })
    let kept = a.filter { $0 != 0 }.count
    #expect(kept > 400 && kept < 600)
    var g = [Float](repeating: 1, count: 1000)
    d1.backward(&g, 1000)
    #expect(g == a)
    d1.training = false
    var c = [Float](repeating: 1, count: 10)
    d1.forward(&c, 10)
    #expect(c == [Float](repeating: 1, count: 10))
  }
}

@Suite struct CrossEntropyChecks {
  @Test func gradientMatchesFiniteDifferences() {
    var rng = SplitMix(seed: 31)
    let n = 5, C = 4
    let z = Rand(n * C, &rng)
    let labels = [0, 3, -1, 2, 1]
    let dz = Buffer(n * C)
    fdCheck("softmax CE", targets: [FDTarget(name: "logits", values: z.p, count: z.count) { dz.array }],
            eps: 1e-3, atol: 1e-3, rtol: 1e-2,
            loss: { SoftmaxCrossEntropy.lossAndGradient(z.p, labels: labels, n: n, classes: C, dLogits: nil).loss },
            backward: { SoftmaxCrossEntropy.lossAndGradient(z.p, labels: labels, n: n, classes: C, dLogits: dz.ptr) })
    var uniform = [Float](repeating: 0, count: 3)
    let r = SoftmaxCrossEntropy.lossAndGradient(&uniform, labels: [1], n: 1, classes: 3, dLogits: nil)
    #expect(abs(r.loss - log(3.0)) < 1e-6)
    #expect(r.counted == 1 && r.correct == 0)   // the first of equal maxima is class 0
  }

  /// Soft targets: the gradient against finite differences (odd sizes, an uncounted row, targets with zeros),
  /// and one-hot targets give the hard-label loss and gradient.
  @Test func softTargetGradientMatchesFiniteDifferences() {
    var rng = SplitMix(seed: 32)
    let n = 5, C = 3, rows = [0, -1, 2, 1, 0], weight: Float = 0.6
    let z = Rand(n * C, &rng), dz = Buffer(n * C)
    var q = [Float](repeating: 0, count: n * C)
    for r in 0..<n { let a = Float(r + 1), b = Float(r % 2), c: Float = 2; let s = a + b + c; q[3 * r] = a / s; q[3 * r + 1] = b / s; q[3 * r + 2] = c / s }
    fdCheck("soft-target CE", targets: [FDTarget(name: "logits", values: z.p, count: z.count) { dz.array }],
            eps: 1e-3, atol: 1e-3, rtol: 1e-2,
            loss: { SoftmaxCrossEntropy.softTargetLossAndGradient(z.p, targets: q, rows: rows, n: n, classes: C, weight: weight, addingTo: nil) },
            backward: { dz.zero(); SoftmaxCrossEntropy.softTargetLossAndGradient(z.p, targets: q, rows: rows, n: n, classes: C, weight: weight, addingTo: dz.ptr) })
    var oneHot = [Float](repeating: 0, count: n * C)
    for r in 0..<n where rows[r] >= 0 { oneHot[r * C + rows[r]] = 1 }
    let hard = Buffer(n * C), soft = Buffer(n * C)
    let h = SoftmaxCrossEntropy.lossAndGradient(z.p, labels: rows, n: n, classes: C, dLogits: hard.ptr)
    soft.zero()
    let s = SoftmaxCrossEntropy.softTargetLossAndGradient(z.p, targets: oneHot, rows: rows, n: n, classes: C, addingTo: soft.ptr)
    #expect(abs(h.loss - s) < 1e-5)
    #expect(zip(hard.array, soft.array).allSatisfy { abs($0 - $1) < 1e-6 })
  }
}
