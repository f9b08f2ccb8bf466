// One IMPALA learner update over a torchbeast-layout unroll (Espeholt et al. 2018):
// forward over T+1 frames with full BPTT, V-trace loss on the first T frames, backward,
// global-norm clipping, RMSProp with the linearly decayed learning rate.
//
// Buffer layout (torchbeast/monobeast): index t = 0…T of an unroll holds frame_t, the reward and
// done flag of the transition INTO frame_t, and the behaviour logits/action computed on frame_{t-1}
// (so index t+1 describes the action taken on frame t). The learner pairs its outputs on frames
// 0…T−1 with actions/rewards/dones/behaviour logits at indices 1…T and bootstraps from V(frame_T).
import ArcadeNN
import ArcadeTensor

public struct ImpalaSettings: Sendable {
  public var learningRate: Float = 6e-4
  public var totalSteps = 300_000_000         // environment steps for the linear decay
  public var discount: Float = 0.99
  public var entropyCost: Float = 0.01
  public var baselineCost: Float = 0.5
  public var maxGradNorm: Float = 40
  public var rmsAlpha: Float = 0.99
  public var rmsEps: Float = 0.01
  public init() {}
}

public struct ImpalaStats: Sendable {
  public var loss: ImpalaLossValue
  public var gradNorm: Float
  public var learningRate: Float
  /// Kickstarting: the mean KL(π_teacher ‖ π) per step before the update (0 without a teacher).
  public var distillation: Double = 0
}

public final class ImpalaLearner {
  public let agent: RLAgent
  public let settings: ImpalaSettings
  public let optimizer: RMSProp
  /// Environment steps consumed so far (drives the learning-rate decay; restored on resume).
  public var envSteps = 0
  /// Data parallel: the number of processes learning together, each from its own unroll. An update then
  /// consumes `replicas` × T × B env steps (the learning-rate decay counts them all).
  public var replicas = 1
  /// Data parallel: turns this process's gradient into the sum over all processes (the loss is a sum over
  /// the batch, so the sum is the gradient of one process holding every unroll); called before clipping.
  public var reduceGradients: ((UnsafeMutablePointer<Float>, Int) -> Void)?
  let dLogits = Buffer(), dValues = Buffer(), disc = Buffer(), rew = Buffer(), vtrace = Buffer()

  public init(agent: RLAgent, settings: ImpalaSettings = ImpalaSettings()) {
    self.agent = agent; self.settings = settings
    optimizer = RMSProp(count: agent.ps.count, lr: settings.learningRate, alpha: settings.rmsAlpha, eps: settings.rmsEps)
  }

  /// input: frames [(T+1),B,3,H,W] or grid observations [(T+1),B,C,H,W]; reward/done [(T+1),B],
  /// actions [(T+1)·B], behaviourLogits [(T+1),B,A] (torchbeast layout, see above). state: the agent state
  /// at frame 0, updated to the state after frame T. `valueErrors`, when given, receives v_s − V(x_s) [T, B]:
  /// the V-trace target minus the value estimate, before the step. `teacher`, when given, holds a teacher's
  /// logits on frames 0…T−1 [T, B, A]; λ · H(π_teacher, π) is then added to the loss (kickstarting) on the
  /// env columns b whose `guided[b]` is non-zero (all of them when `guided` is nil).
  @discardableResult
  public func update(_ input: AgentInput, reward: UnsafePointer<Float>, done: UnsafePointer<Float>,
                     actions: UnsafePointer<Int>, behaviourLogits: UnsafePointer<Float>, T: Int, B: Int, state: [Buffer],
                     valueErrors: UnsafeMutablePointer<Float>? = nil,
                     teacher: (logits: UnsafePointer<Float>, weight: Float, guided: UnsafePointer<Float>?)? = nil) -> ImpalaStats {
    let A = agent.config.numActions, n = T * B, s = settings
    agent.ps.zeroGrad()
    // Entry t's action is the one that led to frame t: the agent's last-action input.
    let (logits, values) = agent.forward(input, reward: reward, done: done, lastAction: actions, T: T + 1, B: B, state: state)
    let dl = dLogits.resize((n + B) * A), dv = dValues.resize(n + B)
    let dp = disc.resize(n), rp = rew.resize(n)
    for i in 0..<n { dp[i] = done[i + B] != 0 ? 0 : s.discount; rp[i] = reward[i + B] }
    let loss = VTrace.impalaLoss(
      behaviourLogits: behaviourLogits + B * A, targetLogits: logits, actions: actions + B,
      rewards: rp, discounts: dp, values: values, bootstrap: values + n, T: T, B: B, A: A,
      entropyCost: s.entropyCost, baselineCost: s.baselineCost, dTargetLogits: dl, dValues: dv, vsOut: valueErrors,
      scratch: vtrace.resize(3 * n))
    if let valueErrors { for i in 0..<n { valueErrors[i] -= values[i] } }
    var distillation = 0.0
    if let teacher {
      distillation = Distillation.addGradient(student: logits, teacher: teacher.logits, weight: teacher.weight,
                                              guided: teacher.guided, dLogits: dl, T: T, B: B, A: A)
    }
    Vec.zero(dl + n * A, B * A); Vec.zero(dv + n, B)   // frame T only bootstraps (no gradient)
    agent.backward(dLogits: dl, dBaseline: dv)
    reduceGradients?(agent.ps.grads.ptr, agent.ps.count)
    let norm = GradClip.globalNorm(agent.ps, maxNorm: s.maxGradNorm)
    let lr = LRSchedule.linearDecay(base: s.learningRate, step: envSteps, total: s.totalSteps)
    optimizer.lr = lr
    optimizer.step(agent.ps)
    envSteps += n * replicas
    return ImpalaStats(loss: loss, gradNorm: norm, learningRate: lr, distillation: distillation)
  }
}
