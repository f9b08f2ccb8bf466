// Fine-tuning: a new run that starts from another agent's weights instead of a fresh initialisation
// (e.g. the shipped agent, after its games changed). Only the weights carry over; the optimiser,
// the learning-rate schedule, the envs and the frame count start anew.
import ArcadeCore
import ArcadeTensor

extension Trainer {
  /// Replaces the freshly initialised weights with those of the agent at `path` (a file, or a folder
  /// holding agent.safetensors). It must have this run's core, observation, encoder and grid shape.
  public func initialiseWeights(fromAgent path: String) throws {
    precondition(frames == 0, "weights are initialised before the first update")
    let source = try AgentFactory.load(path)
    let theirs = source.config, mine = config
    for (field, a, b) in [("model", theirs.model, mine.model), ("obs", theirs.obs, mine.obs),
                          ("encoder", theirs.gridEncoder.rawValue, mine.gridEncoder.rawValue)] where a != b {
      throw ArcadeError("\(path): the agent's \(field) is \(a), this run's is \(b)")
    }
    let from = source.agent.ps.params, to = agent.ps.params
    guard from.count == to.count else {
      throw ArcadeError("\(path): the agent has \(from.count) parameter tensors, this run's has \(to.count)")
    }
    for (a, b) in zip(from, to) where a.name != b.name || a.shape != b.shape {
      throw ArcadeError("\(path): parameter \(a.name) \(a.shape) does not fit this run's \(b.name) \(b.shape)"
                        + " (different games give the grid another shape)")
    }
    agent.ps.values.ptr.update(from: source.agent.ps.values.ptr, count: agent.ps.count)
    if actor.agent === agent { actor.weightsChanged() } else { copyWeightsToActor() }
  }
}
