// Prototypical-network loss (Snell et al. 2017) on the few-shot model's image features: each query is
// classified by the negative squared distance to its episode's class prototypes (the mean support feature
// of each class). As an auxiliary loss it trains the encoder for the nearest-neighbour matching the core
// must learn to do; on its own it is the encoder's nearest-prototype classifier.
import ArcadeTensor
import Glibc

public final class PrototypeLoss {
  let protos = Buffer(), counts = Buffer(), logits = Buffer(), dProtos = Buffer()
  /// The nearest prototype's class for every row of the last call (−1 for rows not scored).
  public private(set) var predictions: [Int] = []

  public init() {}

  /// features [L·B, F] in time-major rows r = t·B + b. `supportLabels[r]` ≥ 0 marks a support row of that
  /// class, `targets[r]` ≥ 0 a query row (rows may be neither); classes 0..<classes. A query's logits are
  /// −‖f − p_j‖² over the classes its episode shows. Returns the loss (summed over the queries whose class
  /// the episode shows, divided by the number of queries), the number right and the number scored; with
  /// `dFeatures`, adds weight · dLoss/dFeatures to it. With `probabilities` [L·B, C], each scored row
  /// (`predictions[r]` ≥ 0) gets softmax(logits / `temperature`) over its episode's classes (0 for the others):
  /// soft targets for distilling the prototypes' answers into another classifier.
  @discardableResult
  public func lossAndGradient(_ features: UnsafePointer<Float>, featureDim F: Int, L: Int, B: Int,
                              supportLabels: [Int], targets: [Int], classes C: Int, weight: Float = 1,
                              dFeatures: UnsafeMutablePointer<Float>? = nil, temperature: Float = 1,
                              probabilities: UnsafeMutablePointer<Float>? = nil) -> (loss: Double, correct: Int, counted: Int) {
    let p = protos.resize(C * F), n = counts.resize(C), z = logits.resize(C), dP = dProtos.resize(C * F)
    var queries = 0
    for r in 0..<(L * B) where targets[r] >= 0 && targets[r] < C { queries += 1 }
    let scale = weight / Float(max(queries, 1))
    var loss = 0.0, correct = 0, counted = 0
    if predictions.count != L * B { predictions = Array(repeating: -1, count: L * B) }
    for r in 0..<(L * B) { predictions[r] = -1 }
    for b in 0..<B {
      p.update(repeating: 0, count: C * F); n.update(repeating: 0, count: C); dP.update(repeating: 0, count: C * F)
      for t in 0..<L {
        let r = t * B + b, j = supportLabels[r]
        guard j >= 0 && j < C else { continue }
        n[j] += 1
        Vec.axpy(1, features + r * F, p + j * F, F)
      }
      for j in 0..<C where n[j] > 0 { Vec.scale(1 / n[j], p + j * F, F) }
      for t in 0..<L {
        let r = t * B + b, y = targets[r], q = features + r * F
        guard y >= 0 && y < C && n[y] > 0 else { continue }
        counted += 1
        var m = -Float.infinity, best = 0
        for j in 0..<C where n[j] > 0 {
          var d: Float = 0
          for k in 0..<F { let e = q[k] - p[j * F + k]; d += e * e }
          z[j] = -d
          if z[j] > m { m = z[j]; best = j }
        }
        predictions[r] = best
        if best == y { correct += 1 }
        var s: Float = 0
        for j in 0..<C where n[j] > 0 { s += expf(z[j] - m) }
        let lse = m + logf(s)
        loss += Double(lse - z[y])
        if let probabilities { softmax(z, shown: n, classes: C, temperature: temperature, max: m, into: probabilities + r * C) }
        guard let dF = dFeatures else { continue }
        // dz_j = softmax_j − [j = y]; z_j = −‖q − p_j‖² gives dq = −2 Σ dz_j (q − p_j) and dp_j = 2 dz_j (q − p_j).
        for j in 0..<C where n[j] > 0 {
          let g = scale * (expf(z[j] - lse) - (j == y ? 1 : 0))
          for k in 0..<F {
            let e = q[k] - p[j * F + k]
            dF[r * F + k] -= 2 * g * e
            dP[j * F + k] += 2 * g * e
          }
        }
      }
      // Each support of class j receives dp_j / n_j.
      guard let dF = dFeatures else { continue }
      for t in 0..<L {
        let r = t * B + b, j = supportLabels[r]
        guard j >= 0 && j < C else { continue }
        Vec.axpy(1 / n[j], dP + j * F, dF + r * F, F)
      }
    }
    return (loss / Double(max(queries, 1)), correct, counted)
  }

  /// softmax(z / temperature) over the classes with a prototype (n[j] > 0), 0 for the others; m is max z.
  private func softmax(_ z: UnsafePointer<Float>, shown n: UnsafePointer<Float>, classes C: Int, temperature: Float,
                       max m: Float, into out: UnsafeMutablePointer<Float>) {
    var s: Float = 0
    for j in 0..<C {
      out[j] = n[j] > 0 ? expf((z[j] - m) / temperature) : 0
      s += out[j]
    }
    for j in 0..<C { out[j] /= s }
  }
}
