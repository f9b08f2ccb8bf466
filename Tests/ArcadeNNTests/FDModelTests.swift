// Finite-difference checks of whole models (cores not covered by the reference vectors) and dropout.
import ArcadeNN
import ArcadeNNTestSupport
import ArcadeTensor
import Testing
import Foundation

@Suite struct FiniteDifferenceModels {
  func tinyAgent(_ core: CoreKind) -> RLAgent {
    var c = RLAgentConfig(core: core)
    c.frameHW = 12; c.cnnChannels = [2, 3, 3]; c.cnnFC = 8; c.hidden = 8; c.numLayers = 2; c.numHeads = 2
    c.dimFF = 12; c.numActions = 4; c.lstmHidden = 5
    return RLAgent(c, seed: 21)
  }

  @Test(arguments: [CoreKind.lt, .fakesr, .ff, .srwm])
  func rlAgent(core: CoreKind) {
    let agent = tinyAgent(core)
    let T = 4, B = 2, A = 4
    var rng = SplitMix(seed: 22)
    let frames = (0..<(T * B * 3 * 144)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    let reward: [Float] = [0, 1, -2, 0.5, 0, 0, 1, 0], done: [Float] = [0, 0, 0, 1, 0, 0, 0, 0]
    let cl = Rand(T * B * A, &rng).array, cb = Rand(T * B, &rng).array
    let sizes = agent.initialState(batch: B).map { $0.count }
    let s0 = sizes.map { Rand($0, &rng, scale: 0.2) }
    func fwd() -> Double {
      let st = s0.map { r -> Buffer in let b = Buffer(r.count); Vec.copy(r.p, b.ptr, r.count); return b }
      let (lg, bl) = agent.forward(frames: frames, reward: reward, done: done, T: T, B: B, state: st)
      return dot(lg, cl) + dot(bl, cb)
    }
    let ds = sizes.map { Buffer($0) }
    fdCheck("agent \(core.rawValue)",
            targets: paramTargets(agent.ps) + s0.enumerated().map { i, r in FDTarget(name: "state\(i)", values: r.p, count: r.count) { ds[i].array } },
            eps: 5e-4, samples: 3, atol: 5e-3, rtol: 4e-2,
            loss: fwd,
            backward: {
              agent.ps.zeroGrad(); _ = fwd()
              for b in ds { b.zero() }
              agent.backward(dLogits: cl, dBaseline: cb, dState: ds)
            })
  }

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
  }
}

@Suite struct LearnerSmoke {
  /// A few learner updates on a fixed tiny batch: finite losses, parameters move, and repeated updates
  /// on the same batch lower the loss (same behaviour logits, so the V-trace targets barely move).
  @Test func impalaUpdatesRun() {
    var c = RLAgentConfig(core: .srwm)
    c.frameHW = 12; c.cnnChannels = [2, 3, 3]; c.cnnFC = 8; c.hidden = 16; c.numHeads = 2; c.dimFF = 16; c.numActions = 4
    let agent = RLAgent(c, seed: 3)
    var settings = ImpalaSettings(); settings.learningRate = 1e-3
    let learner = ImpalaLearner(agent: agent, settings: settings)
    let T = 5, B = 2, A = 4
    var rng = SplitMix(seed: 8)
    let frames = (0..<((T + 1) * B * 3 * 144)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    let reward = (0..<((T + 1) * B)).map { _ in Float(rng.next() % 3) - 1 }
    let done: [Float] = (0..<((T + 1) * B)).map { $0 == 7 ? 1 : 0 }
    let actions = (0..<((T + 1) * B)).map { _ in Int(rng.next() % UInt64(A)) }
    let beh = randomArray((T + 1) * B * A, &rng)
    let before = agent.ps.values.array
    var losses: [Double] = []
    for _ in 0..<5 {
      let st = agent.initialState(batch: B)
      let s = learner.update(frames: frames, reward: reward, done: done, actions: actions, behaviourLogits: beh,
                             T: T, B: B, state: st)
      #expect(s.loss.total.isFinite && s.gradNorm.isFinite)
      losses.append(s.loss.baseline)
    }
    #expect(agent.ps.values.array != before)
    #expect(losses.last! < losses.first!)
  }
}
