// Two workers (parallel SRWM/fast-weight sequences, split gemms, parallel im2col) give the same
// results for the RL agent as one, up to float summation order.
import ArcadeNN
import ArcadeNNTestSupport
@testable import ArcadeRL
import ArcadeTensor
import Testing

extension ArcadeRLSuite {
  @Suite(.serialized) struct Threading {
    @Test(arguments: [CoreKind.srwm, .lstm, .delta])
    func agentSameWithTwoThreads(core: CoreKind) {
      var c = RLAgentConfig(core: core)
      c.frameHW = 16; c.cnnChannels = [4, 8, 8]; c.cnnFC = 16; c.core.hidden = 32; c.core.numHeads = 2; c.core.dimFF = 64
      c.core.lstmHidden = 16
      let T = 6, B = 3
      var rng = SplitMix(seed: 4)
      let frames = (0..<(T * B * 3 * 256)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
      let reward = (0..<(T * B)).map { _ in rng.normal() }, done: [Float] = (0..<(T * B)).map { $0 == 7 ? 1 : 0 }
      let dl = randomArray(T * B * 15, &rng), db = randomArray(T * B, &rng)
      var results: [[Float]] = []
      for threads in [1, 2] {
        Parallel.configure(threads: threads)
        let agent = RLAgent(c, seed: 9)
        let st = agent.initialState(batch: B)
        let (lg, _) = agent.forward(frames: frames, reward: reward, done: done, T: T, B: B, state: st)
        var r = Array(UnsafeBufferPointer(start: lg, count: T * B * 15))
        agent.ps.zeroGrad()
        agent.backward(dLogits: dl, dBaseline: db)
        r += agent.ps.grads.array
        results.append(r)
      }
      Parallel.configure(threads: 1)
      #expect(maxAbsDiff(results[0], results[1]) < 1e-4)
    }
  }
}
