import ArcadeCore
import ArcadeNN
import ArcadeRL
import ArcadeTensor
import ArcadeViewer
import Foundation

/// A trained agent seen through the viewer's policy protocol. It keeps each
/// env's recurrent state and, for SRWM agents, reports |W_t − W_0| per layer
/// and head (the state the agent carries *is* W_t − W_0) with its norm history.
struct AgentPolicy: ViewerPolicy {
  let agent: RLAgent
  let config: TrainConfig
  /// The file or folder it was loaded from, as given.
  let path: String
  let label: String
  let greedy: Bool
  /// Acts for the envs shown (made again when their number changes); keeps their recurrent state.
  var actor: Actor?
  var observations: ObservationBatch?
  var done: [Float] = []
  var reward: [Float] = []
  var lastReturn: [Float] = []
  /// ‖W_t − W_0‖ history per env, layer and head (key b·1000 + layer·100 + head; reset with the episode).
  var norms: [Int: [Float]] = [:]

  var name: String { label }
  var state: [Buffer] { actor?.state ?? [] }

  init(path: String, greedy: Bool) throws {
    let loaded = try AgentFactory.load(path)
    agent = loaded.agent
    config = loaded.config
    self.path = path
    self.greedy = greedy
    label = "\(loaded.config.model) agent (\(URL(fileURLWithPath: path).deletingLastPathComponent().lastPathComponent))"
  }

  mutating func episodeEnded(env index: Int) {
    if index < done.count { done[index] = 1; lastReturn[index] = 0 }
    for k in norms.keys where k / 1000 == index { norms[k] = [] }
  }

  mutating func act(on envs: [any Environment]) throws -> [PolicyOutput] {
    let B = envs.count, A = agent.config.numActions
    if actor?.batch != B {
      actor = Actor(agent: agent, batch: B, rng: PCG32(seed: 5, stream: 5), greedy: greedy)
      observations = ObservationBatch(batch: B, gridShape: agent.config.gridShape)
      done = [Float](repeating: 1, count: B)
      reward = [Float](repeating: 0, count: B)
      lastReturn = [Float](repeating: 0, count: B)
    }
    guard let actor, let observations else { return [] }
    for i in 0..<B {
      reward[i] = envs[i].episodeReturn - lastReturn[i]
      lastReturn[i] = envs[i].episodeReturn
    }
    let input = try observations.gather(envs)
    reward.withUnsafeBufferPointer { r in
      done.withUnsafeBufferPointer { d in actor.act(input, reward: r.baseAddress!, done: d.baseAddress!) }
    }
    for i in 0..<B { done[i] = 0 }
    let logits = actor.logits!, values = actor.values!
    var outputs: [PolicyOutput] = []
    let views = fastWeightViews(batch: B)
    for i in 0..<B {
      let l = logits + i * A
      var m = l[0]
      for k in 1..<A { m = max(m, l[k]) }
      var p = (0..<A).map { expf(l[$0] - m) }
      let z = p.reduce(0, +)
      p = p.map { $0 / z }
      outputs.append(PolicyOutput(action: Action(Int(actor.actions[i])), probabilities: p, value: values[i],
                                  fastWeights: views[i]))
    }
    return outputs
  }

  /// |ΔW| per SRWM layer and head, rows pooled by 4 (52×16 → 13×16).
  mutating func fastWeightViews(batch B: Int) -> [[FastWeightView]] {
    guard agent.config.core.kind == .srwm else { return Array(repeating: [], count: B) }
    let layers = agent.core.srwmLayers
    var out = [[FastWeightView]](repeating: [], count: B)
    for (li, layer) in layers.enumerated() where li < state.count {
      let H = layer.core.heads, d = layer.core.d, R = 3 * d + 4
      let s = state[li].ptr
      for b in 0..<B {
        for h in 0..<H {
          let base = s + ((b * H + h) * R) * d
          var pooled = [Float](repeating: 0, count: (R / 4) * d)
          var norm: Float = 0
          for r in 0..<R {
            for c in 0..<d {
              let v = base[r * d + c]
              norm += v * v
              if r / 4 < R / 4 { pooled[(r / 4) * d + c] += abs(v) / 4 }
            }
          }
          let key = b * 1000 + li * 100 + h
          var history = norms[key, default: []]
          history.append(norm.squareRoot())
          if history.count > 64 { history.removeFirst(history.count - 64) }
          norms[key] = history
          out[b].append(FastWeightView(layer: li, head: h, rows: R / 4, columns: d, change: pooled,
                                       normHistory: history))
        }
      }
    }
    return out
  }
}
