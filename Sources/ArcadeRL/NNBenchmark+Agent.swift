// `arcade bench nn`: the network parts of NNBenchmark (ArcadeNN) and the full RL agent, which lives here.
import ArcadeNN
import ArcadeTensor

extension NNBenchmark {
  /// Times the SRWM layer (RL and few-shot shapes), the full RL agent (srwm, lstm) and the few-shot model.
  /// `quick` uses fewer repetitions; `only` selects parts: layer, core, agent-srwm, agent-lstm, fewshot. Results are printed through `log`.
  @discardableResult
  public static func run(threads: Int, quick: Bool = false, only: Set<String>? = nil, log: @escaping (String) -> Void) -> [Result] {
    let s = Session(threads: threads, quick: quick, only: only, log: log)
    s.layers()
    s.cores()
    agents(s)
    s.fewShot()
    return s.finish()
  }

  /// The full RL agent: T+1 = 51 frames × B 32 of 64×64 RGB (parts "agent-srwm", "agent-lstm").
  static func agents(_ s: Session) {
    for core in [CoreKind.srwm, .lstm] where s.want("agent-" + core.rawValue) {
      let T = 51, B = 32
      let agent = RLAgent(RLAgentConfig(core: core), seed: 3)
      var frames = [UInt8](repeating: 0, count: T * B * 3 * 64 * 64)
      for i in 0..<frames.count { frames[i] = UInt8(truncatingIfNeeded: s.rng.next()) }
      var reward = [Float](repeating: 0, count: T * B), done = [Float](repeating: 0, count: T * B)
      for i in 0..<(T * B) { reward[i] = s.rng.uniform() < 0.1 ? 1 : 0; done[i] = s.rng.uniform() < 0.02 ? 1 : 0 }
      let dl = [Float](repeating: 0.01, count: T * B * 15), db = [Float](repeating: 0.01, count: T * B)
      let state = agent.initialState(batch: B)
      let t = measure(reps: s.quick ? 1 : 3) {
        agent.ps.zeroGrad()
        _ = agent.forward(frames: frames, reward: reward, done: done, T: T, B: B, state: state)
        agent.backward(dLogits: dl, dBaseline: db)
      }
      s.report("agent-" + core.rawValue, "RL agent \(core.rawValue) (51 frames x B32, 64x64)", t)
    }
  }
}
