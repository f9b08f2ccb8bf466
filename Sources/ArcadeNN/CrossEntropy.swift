// Softmax cross-entropy over rows of logits, forward and backward in one pass.
import ArcadeTensor
import Glibc

public enum SoftmaxCrossEntropy {
  /// logits [n, C], labels [n] (negative = ignored row). Returns the loss (mean over counted rows if
  /// `mean`, else the sum) and writes dL/dlogits into dLogits (overwritten; zero for ignored rows).
  /// Also returns the number of counted rows and of correct argmax predictions among them.
  @discardableResult
  public static func lossAndGradient(_ logits: UnsafePointer<Float>, labels: [Int], n: Int, classes C: Int,
                                     mean: Bool = true, dLogits: UnsafeMutablePointer<Float>?) -> (loss: Double, correct: Int, counted: Int) {
    var counted = 0
    for r in 0..<n where labels[r] >= 0 { counted += 1 }
    let scale: Float = mean ? 1 / Float(max(counted, 1)) : 1
    var loss = 0.0, correct = 0
    for r in 0..<n {
      let z = logits + r * C, y = labels[r]
      if y < 0 { if let dLogits { for j in 0..<C { dLogits[r * C + j] = 0 } }; continue }
      if Vec.argmax(z, C) == y { correct += 1 }
      let lse = logSumExp(z, C)
      loss += Double(lse - z[y])
      if let dLogits {
        for j in 0..<C { dLogits[r * C + j] = scale * (expf(z[j] - lse) - (j == y ? 1 : 0)) }
      }
    }
    return (mean ? loss / Double(max(counted, 1)) : loss, correct, counted)
  }

  /// Cross-entropy against soft targets (distillation): rows r with `rows[r]` ≥ 0 are counted, and their loss
  /// is −Σ_j targets[r, j] · log softmax(logits[r])_j (each targets row sums to 1). Returns `weight` × the mean
  /// over counted rows and adds its gradient, weight · (softmax − targets) / counted, to `dLogits`.
  @discardableResult
  public static func softTargetLossAndGradient(_ logits: UnsafePointer<Float>, targets q: UnsafePointer<Float>, rows: [Int],
                                               n: Int, classes C: Int, weight: Float = 1,
                                               addingTo dLogits: UnsafeMutablePointer<Float>?) -> Double {
    var counted = 0
    for r in 0..<n where rows[r] >= 0 { counted += 1 }
    let scale = weight / Float(max(counted, 1))
    var loss = 0.0
    for r in 0..<n where rows[r] >= 0 {
      let z = logits + r * C, t = q + r * C, lse = logSumExp(z, C)
      for j in 0..<C where t[j] > 0 { loss += Double(t[j] * (lse - z[j])) }
      if let dLogits { for j in 0..<C { dLogits[r * C + j] += scale * (expf(z[j] - lse) - t[j]) } }
    }
    return Double(weight) * loss / Double(max(counted, 1))
  }

  /// log Σ_j exp z_j, shifted by the maximum for stability.
  public static func logSumExp(_ z: UnsafePointer<Float>, _ C: Int) -> Float {
    let m = z[Vec.argmax(z, C)]
    var s: Float = 0
    for j in 0..<C { s += expf(z[j] - m) }
    return m + logf(s)
  }
}
