// The reference vectors of V-trace and the RL agent (components `rlComponents`; ArcadeNNTests checks the rest).
import ArcadeNN
import ArcadeNNTestSupport
@testable import ArcadeRL
import ArcadeTensor
import Testing

let agentHandlers: [String: Handler] = [
  "vtrace": runVTrace,
  "rl_agent_srwm": runRLAgent, "rl_agent_lstm": runRLAgent, "rl_agent_delta": runRLAgent, "rl_agent_ff": runRLAgent,
]

extension ArcadeRLSuite {
  @Suite struct AgentReferenceVectors {
    @Test func folderPresent() { checkVectorFolderPresent() }

    /// This target has a handler for each component ArcadeNNTests leaves to it, and for no other.
    @Test func handlersMatchTheRLComponents() { #expect(Set(agentHandlers.keys) == rlComponents) }

    @Test(arguments: vectorFileNames { rlComponents.contains($0 ?? "") })
    func vector(_ file: String) throws {
      let c = try VectorCase(url: testVectorFolder()!.appendingPathComponent(file))
      for m in try checkCase(c, handlers: agentHandlers) { Issue.record(Comment(rawValue: m)) }
    }
  }
}


func runVTrace(_ c: VectorCase) throws -> CaseResult {
  let T = c.int("T"), B = c.int("B"), A = c.int("A")
  let bl = try c.input("behaviour_logits"), tl = try c.input("target_logits")
  let actions = try c.input("actions").map { Int($0) }
  let disc = try c.input("discounts"), rew = try c.input("rewards"), val = try c.input("values")
  let boot = try c.input("bootstrap_value")
  var vs = zeros(T * B), pg = zeros(T * B), lr = zeros(T * B)
  VTrace.targets(behaviourLogits: bl, targetLogits: tl, actions: actions, rewards: rew, discounts: disc, values: val,
                 bootstrap: boot, T: T, B: B, A: A, vs: &vs, pgAdv: &pg, logRhos: &lr)
  var r = CaseResult()
  r.outputs["vs"] = vs; r.outputs["pg_advantages"] = pg; r.outputs["log_rhos"] = lr
  var dl = zeros(tl.count), dv = zeros(T * B), lvs = zeros(T * B), lpg = zeros(T * B)
  let loss = VTrace.impalaLoss(behaviourLogits: bl, targetLogits: tl, actions: actions, rewards: rew, discounts: disc,
                               values: val, bootstrap: boot, T: T, B: B, A: A, dTargetLogits: &dl, dValues: &dv,
                               vsOut: &lvs, pgAdvOut: &lpg)
  r.outputs["loss_vs"] = lvs; r.outputs["loss_pg_advantages"] = lpg
  r.gradients["target_logits"] = dl; r.gradients["values"] = dv
  if let l = c.json["loss"] as? [String: Any] {
    for (k, v) in [("value", loss.total), ("pg", loss.pg), ("baseline", loss.baseline), ("entropy", loss.entropy)] {
      if let w = l[k] as? Double { r.extraChecks.append(("loss.\(k)", v, w)) }
    }
  }
  return r
}

func runRLAgent(_ c: VectorCase) throws -> CaseResult {
  var cfg = RLAgentConfig(core: CoreKind(rawValue: c.config["core"] as! String)!)
  cfg.frameHW = c.int("frame_hw"); cfg.cnnChannels = c.config["cnn_channels"] as! [Int]; cfg.cnnFC = c.int("cnn_fc")
  cfg.core.hidden = c.int("hidden"); cfg.core.numLayers = c.int("num_layers"); cfg.core.numHeads = c.int("num_heads")
  cfg.core.dimFF = c.int("dim_ff"); cfg.numActions = c.int("num_actions"); cfg.core.lstmHidden = c.int("lstm_hidden")
  let T = c.int("T"), B = c.int("B"), H = cfg.core.numHeads, d = cfg.core.hidden / H
  let agent = RLAgent(cfg)
  try c.loadParameters(into: agent.ps)
  let frames = try c.input("frames").map { UInt8($0) }
  let reward = try c.input("reward"), done = try c.input("done")
  let state = agent.initialState(batch: B)
  // Carried-in state from the reference inputs.
  func fill(_ buf: Buffer, _ v: [Float]) { for i in 0..<v.count { buf[i] = v[i] } }
  switch cfg.core.kind {
  case .srwm:
    for l in 0..<state.count { fill(state[l], try srwmState(c, "state\(l)_dW", "", B: B, H: H, d: d)) }
  case .delta, .lt:
    for l in 0..<state.count { fill(state[l], try c.input("state\(l)_W")) }
  case .lstm:
    fill(state[0], try c.input("state_h")); fill(state[1], try c.input("state_c"))
  default: break
  }
  let (lg, bl) = agent.forward(frames: frames, reward: reward, done: done, T: T, B: B, state: state)
  var r = CaseResult()
  r.outputs["policy_logits"] = Array(UnsafeBufferPointer(start: lg, count: T * B * cfg.numActions))
  r.outputs["baseline"] = Array(UnsafeBufferPointer(start: bl, count: T * B))
  let dState = agent.initialState(batch: B)
  switch cfg.core.kind {
  case .srwm:
    for l in 0..<state.count {
      putSRWMState(&r, outputs: true, "final_state\(l)_dW", state[l].array, B: B, H: H, d: d)
      fill(dState[l], srwmStateCoef(c, "final_state\(l)_dW", B: B, H: H, d: d))
    }
  case .delta, .lt:
    for l in 0..<state.count {
      r.outputs["final_state\(l)_W"] = state[l].array
      if let g = c.coef("final_state\(l)_W") { fill(dState[l], g) }
    }
  case .lstm:
    r.outputs["final_state_h"] = state[0].array; r.outputs["final_state_c"] = state[1].array
    if let g = c.coef("final_state_h") { fill(dState[0], g) }
    if let g = c.coef("final_state_c") { fill(dState[1], g) }
  default: break
  }
  agent.ps.zeroGrad()
  agent.backward(dLogits: c.coef("policy_logits")!, dBaseline: c.coef("baseline")!, dState: dState)
  r.gradients = c.parameterGradients(agent.ps)
  switch cfg.core.kind {
  case .srwm:
    for l in 0..<dState.count {
      let (y, q, k, b) = unpackSRWM(dState[l].array, B: B, H: H, d: d)
      r.gradients["state\(l)_dWy"] = y; r.gradients["state\(l)_dWq"] = q
      r.gradients["state\(l)_dWk"] = k; r.gradients["state\(l)_dWb"] = b
    }
  case .delta, .lt:
    for l in 0..<dState.count { r.gradients["state\(l)_W"] = dState[l].array }
  case .lstm:
    r.gradients["state_h"] = dState[0].array; r.gradients["state_c"] = dState[1].array
  default: break
  }
  return r
}
