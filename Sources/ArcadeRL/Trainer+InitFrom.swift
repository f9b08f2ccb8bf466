// Fine-tuning: a new run that starts from another agent's weights instead of a fresh initialisation
// (e.g. the shipped agent, after its games changed). Only the weights carry over; the optimiser,
// the learning-rate schedule, the envs and the frame count start anew.
import ArcadeCore
import ArcadeTensor

extension Trainer {
  /// Replaces the freshly initialised weights with those of the agent at `path` (a file, or a folder
  /// holding agent.safetensors). It must have this run's core, observation, encoder and grid shape, except
  /// that a linear agent may start a linear+conv run (its conv branch then starts at zero), and an agent
  /// without the last-action input a run with it (the input's weights then start at zero).
  public func initialiseWeights(fromAgent path: String) throws {
    precondition(frames == 0, "weights are initialised before the first update")
    let source = try AgentFactory.load(path)
    let theirs = source.config, mine = config
    // A linear agent may grow a conv branch (linear+conv); every other encoder must match.
    let growsConvBranch = theirs.gridEncoder == .linear && mine.gridEncoder == .linearConv
    var fields = [("model", theirs.model, mine.model), ("obs", theirs.obs, mine.obs)]
    if !growsConvBranch { fields.append(("encoder", theirs.gridEncoder.rawValue, mine.gridEncoder.rawValue)) }
    for (field, a, b) in fields where a != b {
      throw ArcadeError("\(path): the agent's \(field) is \(a), this run's is \(b)")
    }
    if theirs.lastAction == true && mine.lastAction != true {
      throw ArcadeError("\(path): the agent reads the last action (trained with --last-action); give this run --last-action too")
    }
    let from = source.agent.ps, to = agent.ps
    let branch = to.params.filter { p in from.ref(p.name) == nil }
    guard from.params.count + branch.count == to.params.count, branch.isEmpty || growsConvBranch else {
      throw ArcadeError("\(path): the agent has \(from.params.count) parameter tensors, this run's has \(to.params.count)")
    }
    // Weights that read the core's input gain the last action's columns, at zero: same policy to start with.
    let addedColumns = mine.lastAction == true && theirs.lastAction != true ? agent.config.numActions : 0
    for b in to.params {
      guard let a = from.ref(b.name) else { continue }
      if addedColumns > 0, a.shape.count == 2, b.shape == [a.shape[0], a.shape[1] + addedColumns],
         a.shape[1] == source.agent.config.coreInputWidth {
        let (rows, old, new) = (a.shape[0], a.shape[1], b.shape[1])
        to.fill(b, 0)
        for r in 0..<rows { (to.w(b) + r * new).update(from: from.w(a) + r * old, count: old) }
        continue
      }
      guard a.shape == b.shape else {
        throw ArcadeError("\(path): parameter \(a.name) \(a.shape) does not fit this run's \(b.name) \(b.shape)"
                          + " (different games give the grid another shape)")
      }
      to.w(b).update(from: from.w(a), count: b.count)
    }
    // The new conv branch keeps its fresh conv weights but adds nothing yet: its fc starts at zero, so
    // the run starts from the source agent's exact policy and gradients reach the convs through the fc.
    for p in branch where p.name.hasPrefix("grid_conv_fc.") { to.fill(p, 0) }
    if actor.agent === agent { actor.weightsChanged() } else { copyWeightsToActor() }
  }
}
