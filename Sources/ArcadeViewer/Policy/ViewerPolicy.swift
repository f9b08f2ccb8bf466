import ArcadeCore

/// A policy the viewer can watch. The viewer owns this protocol; agents
/// (random, trained checkpoints, SRWM) adopt it to be shown by `arcade watch`.
public protocol ViewerPolicy {
  /// Shown in the HUD.
  var name: String { get }
  /// One decision per env, in order, for the envs' current states.
  mutating func act(on envs: [any Environment]) throws -> [PolicyOutput]
  /// Env `index` ended its episode and was reset (recurrent and fast-weight state starts again).
  mutating func episodeEnded(env index: Int)
}

extension ViewerPolicy {
  public mutating func episodeEnded(env index: Int) {}
}

/// What a policy decided for one env, and what it wants shown about it.
public struct PolicyOutput: Sendable, Equatable {
  public var action: Action
  /// π(a | s) over the 15 actions (empty when the policy has none).
  public var probabilities: [Float]
  /// The value estimate V(s), if the policy has a critic.
  public var value: Float?
  /// Self-referential / fast weight matrices to show as heat maps, if any.
  public var fastWeights: [FastWeightView]

  public init(action: Action, probabilities: [Float] = [], value: Float? = nil, fastWeights: [FastWeightView] = []) {
    self.action = action
    self.probabilities = probabilities
    self.value = value
    self.fastWeights = fastWeights
  }
}

/// One fast-weight matrix of one layer and head, as the viewer shows it: a small
/// (e.g. pooled to 16×16) matrix of |W_t − W_0| and the history of ‖W_t − W_0‖.
public struct FastWeightView: Sendable, Equatable {
  public var layer: Int
  public var head: Int
  public var rows: Int
  public var columns: Int
  /// |W_t − W_0|, row-major, `rows × columns` non-negative values.
  public var change: [Float]
  /// ‖W_t − W_0‖ over recent steps, oldest first (a sparkline shows the last ones).
  public var normHistory: [Float]

  public init(layer: Int, head: Int, rows: Int, columns: Int, change: [Float], normHistory: [Float]) {
    precondition(change.count == rows * columns, "FastWeightView: change must have rows × columns values")
    self.layer = layer
    self.head = head
    self.rows = rows
    self.columns = columns
    self.change = change
    self.normHistory = normHistory
  }
}

/// Uniformly random actions over the game's meaningful actions.
public struct RandomPolicy: ViewerPolicy {
  public var name: String { "random" }
  var rng: PCG32

  public init(seed: UInt64 = 0) {
    rng = PCG32(seed: seed, stream: 11)
  }

  public mutating func act(on envs: [any Environment]) -> [PolicyOutput] {
    envs.map { env in
      let choices = env.descriptor.meaningfulActions.isEmpty ? Array(0..<Action.count) : env.descriptor.meaningfulActions
      var probs = [Float](repeating: 0, count: Action.count)
      for a in choices { probs[a] = 1 / Float(choices.count) }
      return PolicyOutput(action: Action(choices[rng.below(choices.count)]), probabilities: probs)
    }
  }
}
