// The prototype loss: its gradient against finite differences, and its answers against a direct search.
import ArcadeNN
import ArcadeNNTestSupport
import ArcadeTensor
import Testing

@Suite struct PrototypeLossTests {
  /// Odd sizes: 3 classes in episode 0 (two shots of class 1), 2 of them in episode 1, whose second query
  /// asks for a class it does not show (skipped, but counted in the mean's denominator).
  static let L = 6, B = 2, F = 5, C = 3
  static let supportLabels = [0, 1, 1, 0, 2, -1, 1, -1, -1, -1, -1, -1]
  static let targets = [-1, -1, -1, -1, -1, -1, -1, 1, 2, 0, 0, 2]

  @Test func gradientMatchesFiniteDifferences() {
    var rng = SplitMix(seed: 21)
    let n = Self.L * Self.B * Self.F
    let f = Rand(n, &rng), dF = Buffer(n)
    let loss = PrototypeLoss(), weight: Float = 0.7
    func value() -> Double {
      Double(weight) * loss.lossAndGradient(f.p, featureDim: Self.F, L: Self.L, B: Self.B, supportLabels: Self.supportLabels,
                                            targets: Self.targets, classes: Self.C).loss
    }
    fdCheck("prototype loss", targets: [FDTarget(name: "features", values: f.p, count: n) { dF.array }], samples: n,
            loss: value,
            backward: {
              dF.zero()
              loss.lossAndGradient(f.p, featureDim: Self.F, L: Self.L, B: Self.B, supportLabels: Self.supportLabels,
                                   targets: Self.targets, classes: Self.C, weight: weight, dFeatures: dF.ptr)
            })
  }

  @Test func answersAreTheNearestPrototypes() {
    var rng = SplitMix(seed: 22)
    let n = Self.L * Self.B * Self.F
    let f = Rand(n, &rng)
    let loss = PrototypeLoss()
    let r = loss.lossAndGradient(f.p, featureDim: Self.F, L: Self.L, B: Self.B, supportLabels: Self.supportLabels,
                                 targets: Self.targets, classes: Self.C)
    var expected = [Int](repeating: -1, count: Self.L * Self.B), right = 0, scored = 0
    for b in 0..<Self.B {
      var protos: [Int: [Float]] = [:]
      for c in 0..<Self.C {
        let rows = (0..<Self.L).map { $0 * Self.B + b }.filter { Self.supportLabels[$0] == c }
        guard !rows.isEmpty else { continue }
        protos[c] = (0..<Self.F).map { k in rows.map { f.p[$0 * Self.F + k] }.reduce(0, +) / Float(rows.count) }
      }
      for t in 0..<Self.L {
        let row = t * Self.B + b, y = Self.targets[row]
        guard y >= 0, protos[y] != nil else { continue }
        func distance(_ c: Int) -> Float { (0..<Self.F).map { k in let e = f.p[row * Self.F + k] - protos[c]![k]; return e * e }.reduce(0, +) }
        expected[row] = protos.keys.min { distance($0) < distance($1) }!
        scored += 1
        if expected[row] == y { right += 1 }
      }
    }
    #expect(scored == 4)   // episode 1's query for class 2 is not scored
    #expect(loss.predictions == expected)
    #expect(r.correct == right && r.counted == scored)
  }

  /// The soft targets for distillation: a distribution over each scored row's episode classes, peaked at the
  /// nearest prototype, softer at a higher temperature; rows not scored are left alone.
  @Test func probabilitiesAreTheSoftmaxOverTheEpisodesClasses() {
    var rng = SplitMix(seed: 23)
    let n = Self.L * Self.B, f = Rand(n * Self.F, &rng), loss = PrototypeLoss()
    func probabilities(_ temperature: Float) -> [Float] {
      var p = [Float](repeating: -1, count: n * Self.C)
      loss.lossAndGradient(f.p, featureDim: Self.F, L: Self.L, B: Self.B, supportLabels: Self.supportLabels,
                           targets: Self.targets, classes: Self.C, temperature: temperature, probabilities: &p)
      return p
    }
    let sharp = probabilities(1), soft = probabilities(3)
    for r in 0..<n {
      let row = Array(sharp[(r * Self.C)..<((r + 1) * Self.C)]), softRow = Array(soft[(r * Self.C)..<((r + 1) * Self.C)])
      guard loss.predictions[r] >= 0 else { #expect(row.allSatisfy { $0 == -1 }); continue }
      #expect(abs(row.reduce(0, +) - 1) < 1e-5)
      #expect(row.firstIndex(of: row.max()!) == loss.predictions[r])
      #expect(softRow.max()! < row.max()!)
      if r % Self.B == 1 { #expect(row[2] == 0) }   // episode 1 shows classes 0 and 1 only
    }
  }
}
