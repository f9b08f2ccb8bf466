import ArcadeCore
import ArcadeGames
import ArcadeNN
import ArcadeTensor
import Foundation

/// The acting side of an agent on B envs: its recurrent state, the action choice (sampled from the
/// policy with a seeded PCG32, or greedy) and, on a vector env, one step of acting with the bookkeeping
/// of rewards and episode ends. The trainer's collection, the evaluator and the viewer's agent policy
/// all act through it; each keeps only its own accounting. Acting allocates nothing per step.
public final class Actor {
  public let agent: RLAgent
  public let batch: Int
  public let numActions: Int
  /// Recurrent state of the B sequences (reset by the agent where `done` is set).
  public let state: [Buffer]
  public var rng: PCG32
  /// Data parallel: rank r of N acting for envs r·B…r·B+B−1 of one N·B batch skips the draws of the envs
  /// before and after its own (r·B and (N−1−r)·B), so the N ranks sample from one stream exactly as one
  /// process with all N·B envs would.
  public var skipDraws: (before: UInt64, after: UInt64) = (0, 0)
  public var greedy: Bool
  /// The actions chosen by the last `act` (what the envs are stepped with).
  public let actions: UnsafeMutableBufferPointer<Int32>
  /// The same actions as the agent's last-action input of the next `act` (see `act`).
  let chosen: UnsafeMutableBufferPointer<Int>
  /// Policy logits [B, A] and baseline [B] of the last `act` (valid until the agent runs again).
  public private(set) var logits: UnsafePointer<Float>?
  public private(set) var values: UnsafePointer<Float>?

  /// The agent's grid-encoder weights rearranged for acting, remade after `weightsChanged()`.
  let weightsTBuffer = Buffer()
  var gridWeightsT: UnsafePointer<Float>?
  var weightsFresh = false

  /// Call after changing the agent's weights or the state (the trainer does after every update, weight
  /// copy and restore).
  public func weightsChanged() {
    precondition(!statePending, "Actor.finishSteps() must be called before the weights change")
    weightsFresh = false; continuing = false
  }

  /// With `carriesCoreState`: makes `state` current (SRWM layers write ΔW once here instead of every step).
  /// Call at the end of a run of steps, before the state is read or the weights change.
  public func finishSteps() {
    guard statePending else { return }
    agent.writePendingState(state)
    statePending = false
  }
  var statePending = false

  /// The trainer's setting: between `weightsChanged()` calls, SRWM layers carry W_t from step to step
  /// instead of rebuilding it from W0 + ΔW every step (faster; rounds differently), and write the state
  /// only in `finishSteps()`. Off for eval and watch, which act exactly as before.
  public var carriesCoreState = false
  var continuing = false

  public init(agent: RLAgent, batch: Int, rng: PCG32, greedy: Bool = false) {
    self.agent = agent
    self.batch = batch
    numActions = agent.config.numActions
    state = agent.initialState(batch: batch)
    self.rng = rng
    self.greedy = greedy
    actions = .allocate(capacity: batch)
    actions.initialize(repeating: 4)
    chosen = .allocate(capacity: batch)
    chosen.initialize(repeating: 4)
  }

  deinit { actions.deallocate(); chosen.deallocate() }

  /// Runs the policy on one step's input (observations, the reward received and the episode-start flags)
  /// and chooses one action per env, in env order. Also writes the actions and the logits where given.
  /// `lastAction`: the actions that led to these observations (an agent with `lastActionInput` reads them);
  /// nil: this actor's previous choices, right when it acts on every step of its envs.
  public func act(_ input: AgentInput, reward: UnsafePointer<Float>, done: UnsafePointer<Float>,
                  lastAction: UnsafePointer<Int>? = nil,
                  actionsOut: UnsafeMutablePointer<Int>? = nil, logitsOut: UnsafeMutablePointer<Float>? = nil) {
    let B = batch, A = numActions
    if !weightsFresh {
      gridWeightsT = agent.transposedGridWeights(into: weightsTBuffer)
      weightsFresh = true
    }
    agent.continueCoreState = carriesCoreState && continuing
    agent.deferCoreStateWrite = carriesCoreState
    statePending = carriesCoreState
    let (l, v) = agent.forward(input, reward: reward, done: done, lastAction: lastAction ?? UnsafePointer(chosen.baseAddress!),
                               T: 1, B: B, state: state, keepInput: false, gridWeightsT: gridWeightsT)
    continuing = true
    logits = l; values = v
    if !greedy && skipDraws.before > 0 { rng.advance(by: skipDraws.before) }
    for b in 0..<B {
      let a = greedy ? ActionSampler.greedy(l + b * A, count: A) : ActionSampler.sample(l + b * A, count: A, rng: &rng)
      actions[b] = Int32(a)
      chosen[b] = a
      actionsOut?[b] = a
    }
    if !greedy && skipDraws.after > 0 { rng.advance(by: skipDraws.after) }
    logitsOut?.update(from: l, count: B * A)
  }

  /// One step on a vector env: acts on entry `from`, writes the actions and logits into entry `to`, steps
  /// the envs, and writes their observations, rewards and done flags into `to` (`from` and `to` may be the
  /// same entry). Calls `ended(b)` for every env whose episode ended on this step.
  func step(_ vec: VecEnv, from: Unroll.Entry, to: Unroll.Entry, ended: (Int) -> Void) {
    act(from.input, reward: from.reward, done: from.done, lastAction: from.action, actionsOut: to.action, logitsOut: to.logits)
    vec.step(UnsafeBufferPointer(actions))
    to.store(vec)
    for b in 0..<batch {
      let done = vec.terminated[b] != 0 || vec.truncated[b] != 0
      to.reward[b] = vec.rewards[b]
      to.done[b] = done ? 1 : 0
      if done { ended(b) }
    }
  }
}

/// Samples actions from policy logits with the project's PRNG.
enum ActionSampler {
  static func sample(_ logits: UnsafePointer<Float>, count a: Int, rng: inout PCG32) -> Int {
    var m = logits[0]
    for i in 1..<a { m = max(m, logits[i]) }
    var total: Float = 0
    for i in 0..<a { total += expf(logits[i] - m) }
    var u = rng.unit() * total
    for i in 0..<a {
      u -= expf(logits[i] - m)
      if u < 0 { return i }
    }
    return a - 1
  }

  static func greedy(_ logits: UnsafePointer<Float>, count a: Int) -> Int {
    var best = 0
    for i in 1..<a where logits[i] > logits[best] { best = i }
    return best
  }
}

/// Observations of a list of envs (possibly of different grid shapes) in the layout an agent reads:
/// grids padded into the agent's grid shape (`VecEnv.padGrid`), frames as CHW bytes.
public final class ObservationBatch {
  public let batch: Int
  public let gridShape: (channels: Int, height: Int, width: Int)?
  let grids: UnsafeMutableBufferPointer<Float>
  let frames: UnsafeMutableBufferPointer<UInt8>
  var scratch: UnsafeMutableBufferPointer<Float>
  var hwc: UnsafeMutableBufferPointer<UInt8>

  /// `gridShape` [C, H, W] for an agent reading grids, nil for frames.
  public init(batch: Int, gridShape g: [Int]?) {
    self.batch = batch
    gridShape = g.map { ($0[0], $0[1], $0[2]) }
    let per = g.map { $0.reduce(1, *) } ?? 0
    grids = .allocate(capacity: g == nil ? 0 : batch * per); grids.initialize(repeating: 0)
    frames = .allocate(capacity: g == nil ? batch * VecEnv.frameBytes : 0); frames.initialize(repeating: 0)
    scratch = .allocate(capacity: per); scratch.initialize(repeating: 0)
    hwc = .allocate(capacity: g == nil ? VecEnv.frameBytes : 0); hwc.initialize(repeating: 0)
  }

  deinit { grids.deallocate(); frames.deallocate(); scratch.deallocate(); hwc.deallocate() }

  /// Reads the current observation of every env; throws if an env's grid does not fit the agent's.
  public func gather(_ envs: [any Environment]) throws -> AgentInput {
    precondition(envs.count == batch)
    if let g = gridShape {
      let per = g.channels * g.height * g.width
      for (i, e) in envs.enumerated() {
        let s = e.gridShape
        guard s.channels <= g.channels, s.height <= g.height, s.width <= g.width else {
          throw ArcadeError("\(e.descriptor.name): its grid \(s) does not fit the agent's \([g.channels, g.height, g.width])")
        }
        let local = UnsafeMutableBufferPointer(rebasing: scratch[0..<(s.channels * s.height * s.width)])
        e.encodeGrid(into: local)
        VecEnv.padGrid(UnsafePointer(local.baseAddress!), shape: s, into: grids.baseAddress! + i * per, shape: g)
      }
      return .grid(UnsafePointer(grids.baseAddress!))
    }
    for (i, e) in envs.enumerated() {
      e.renderRGB(into: hwc.baseAddress!)
      Unroll.chw(UnsafePointer(hwc.baseAddress!), into: frames.baseAddress! + i * VecEnv.frameBytes)
    }
    return .frames(UnsafePointer(frames.baseAddress!))
  }
}
