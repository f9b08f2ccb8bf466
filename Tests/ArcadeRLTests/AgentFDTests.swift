// Finite-difference checks of the RL agent (cores not covered by the reference vectors; every core at random
// small shapes, on frames and on grid observations) and a smoke test of the IMPALA learner.
import ArcadeNN
import ArcadeNNTestSupport
@testable import ArcadeRL
import ArcadeTensor
import Foundation
import Testing

extension ArcadeRLSuite {
  @Suite struct AgentFiniteDifference {
    func tinyAgent(_ core: CoreKind) -> RLAgent {
      var c = RLAgentConfig(core: core)
      c.frameHW = 12; c.cnnChannels = [2, 3, 3]; c.cnnFC = 8; c.core.hidden = 8; c.core.numLayers = 2; c.core.numHeads = 2
      c.core.dimFF = 12; c.numActions = 4; c.core.lstmHidden = 5
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

    /// The RL agent with every core, on frames and on grid observations (both encoders), at the shape sweep's
    /// random small sizes (head sizes 1–7 and 16, odd batches, T 1–5).
    @Test(arguments: CoreKind.allCases)
    func rlAgentShapeSweep(_ core: CoreKind) {
      for i in SweepShape.headSizes.indices {
        let s = SweepShape.draw(i, seed: 106)
        var c = RLAgentConfig(core: core)
        c.frameHW = 10; c.cnnChannels = [2, 3, 4]; c.cnnFC = 6; c.core.hidden = s.dim; c.core.numLayers = 2
        c.core.numHeads = s.heads; c.core.dimFF = 12; c.numActions = 4; c.core.lstmHidden = s.headDim
        if i % 2 == 1 { c.gridShape = [3, 5, 4] }
        if i % 4 == 3 { c.gridEncoder = i % 8 == 3 ? .conv : .linearConv; c.gridCNNChannels = [2, 3] }
        c.lastActionInput = i % 3 == 2
        let input = (c.gridShape == nil ? "frames" : "grid \(c.gridEncoder)") + (c.lastActionInput ? " + last action" : "")
        checkAgent(RLAgent(c, seed: UInt64(700 + i)), "\(core.rawValue) \(s) \(input)", T: s.T, B: s.B)
      }
    }

    /// The exact configuration that once aborted with `free(): invalid pointer` (srwm, head size 3).
    @Test func rlAgentHeadSizeThree() {
      var c = RLAgentConfig(core: .srwm)
      c.frameHW = 10; c.cnnChannels = [2, 3, 4]; c.cnnFC = 6; c.core.hidden = 9; c.core.numHeads = 3
      c.core.dimFF = 12; c.numActions = 4
      checkAgent(RLAgent(c, seed: 5), "srwm hidden 9 heads 3", T: 4, B: 2)
    }
  }

  @Suite struct LearnerSmoke {
    /// A few learner updates on a fixed tiny batch: finite losses, parameters move, and repeated updates
    /// on the same batch lower the loss (same behaviour logits, so the V-trace targets barely move).
    @Test func impalaUpdatesRun() {
      var c = RLAgentConfig(core: .srwm)
      c.frameHW = 12; c.cnnChannels = [2, 3, 3]; c.cnnFC = 8; c.core.hidden = 16; c.core.numHeads = 2; c.core.dimFF = 16; c.numActions = 4
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
        let s = frames.withUnsafeBufferPointer { f in
          learner.update(.frames(f.baseAddress!), reward: reward, done: done, actions: actions, behaviourLogits: beh,
                         T: T, B: B, state: st)
        }
        #expect(s.loss.total.isFinite && s.gradNorm.isFinite)
        losses.append(s.loss.baseline)
      }
      #expect(agent.ps.values.array != before)
      #expect(losses.last! < losses.first!)
    }
  }
}

/// FD check of an RL agent's parameters and initial state over one unroll.
private func checkAgent(_ agent: RLAgent, _ label: String, T: Int, B: Int) {
  var rng = SplitMix(seed: 31)
  let c = agent.config, A = c.numActions
  let reward = (0..<(T * B)).map { _ in Float(Int(rng.next() % 5) - 2) * 0.5 }
  let done = (0..<(T * B)).map { _ in Float(rng.next() % 4 == 0 ? 1 : 0) }
  let frames = (0..<(T * B * 3 * c.frameHW * c.frameHW)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
  let grid = Rand(T * B * (c.gridShape?.reduce(1, *) ?? 0), &rng)
  let lastAction = (0..<(T * B)).map { _ in Int(rng.next() % UInt64(A)) }
  let cl = Rand(T * B * A, &rng).array, cb = Rand(T * B, &rng).array
  let sizes = agent.initialState(batch: B).map(\.count)
  let s0 = sizes.map { Rand($0, &rng, scale: 0.2) }
  let ds = sizes.map { Buffer($0) }
  func fwd() -> Double {
    let st = s0.map { r -> Buffer in let b = Buffer(r.count); Vec.copy(r.p, b.ptr, r.count); return b }
    let out = c.gridShape == nil
      ? agent.forward(frames: frames, reward: reward, done: done, lastAction: lastAction, T: T, B: B, state: st)
      : agent.forward(grid: grid.p, reward: reward, done: done, lastAction: lastAction, T: T, B: B, state: st)
    return dot(out.logits, cl) + dot(out.baseline, cb)
  }
  let stateTargets = s0.enumerated().map { i, r in FDTarget(name: "state\(i)", values: r.p, count: r.count) { ds[i].array } }
  fdCheck("agent \(label)", targets: paramTargets(agent.ps) + stateTargets, eps: 1e-3, samples: 3, atol: 5e-3, rtol: 5e-2, kinks: true,
          loss: fwd,
          backward: {
            agent.ps.zeroGrad(); _ = fwd()
            for b in ds { b.zero() }
            agent.backward(dLogits: cl, dBaseline: cb, dState: ds)
          })
}
