// Kickstarting (Schmitt et al. 2018): a trained teacher's policy guides a new agent. The learner adds
// λ · H(π_teacher, π_student) on every step of the unroll to the IMPALA loss, with λ decaying linearly
// to 0, so a student with another architecture (say, a conv encoder) starts from the teacher's skills
// and keeps learning from rewards alone once λ is 0.
import ArcadeCore
import ArcadeTensor
import Glibc

/// `--kickstart`: the teacher and the distillation weight's schedule (saved in the run's config).
public struct KickstartSettings: Codable, Sendable, Equatable {
  /// The teacher agent, as given (a file, or a folder holding agent.safetensors).
  public var teacher: String
  /// λ at frame 0.
  public var weight: Float = 1
  /// λ falls linearly from `weight` to 0 over this many frames.
  public var frames: Int

  public init(teacher: String, weight: Float = 1, frames: Int) {
    self.teacher = teacher; self.weight = weight; self.frames = frames
  }

  /// λ after `frames` frames of the run.
  public func weight(atFrame f: Int) -> Float {
    frames <= 0 ? 0 : weight * Float(max(0, 1 - Double(f) / Double(frames)))
  }
}

/// A frozen agent whose policy the learner is pulled towards. It reads every frame of the run once, in
/// order (unroll k's frames 0…T−1, then unroll k+1's, whose frame 0 is unroll k's frame T), so its
/// recurrent state follows the envs as it would if it were acting.
final class KickstartTeacher {
  let agent: RLAgent
  let state: [Buffer]

  init(agent: RLAgent, batch: Int) {
    self.agent = agent
    state = agent.initialState(batch: batch)
  }

  /// The teacher's logits on frames 0…T−1 of an unroll [T, B, A]; its state moves on to frame T.
  func logits(_ input: AgentInput, reward: UnsafePointer<Float>, done: UnsafePointer<Float>, T: Int, B: Int) -> UnsafePointer<Float> {
    agent.forward(input, reward: reward, done: done, T: T, B: B, state: state, keepInput: false).logits
  }
}

enum Distillation {
  /// Adds λ · ∂H(p_teacher, p_student)/∂z = λ (p_student − p_teacher) to `dLogits` for n rows of A logits,
  /// and returns the mean KL(p_teacher ‖ p_student) per row (how far the student is, whatever λ).
  static func addGradient(student: UnsafePointer<Float>, teacher: UnsafePointer<Float>, weight: Float,
                          dLogits: UnsafeMutablePointer<Float>, n: Int, A: Int) -> Double {
    var kl = 0.0
    for i in 0..<n {
      let s = student + i * A, t = teacher + i * A, d = dLogits + i * A
      let (ms, ls) = VTrace.maxAndLogSum(s, A), (mt, lt) = VTrace.maxAndLogSum(t, A)
      for a in 0..<A {
        let logPS = s[a] - ms - ls, logPT = t[a] - mt - lt
        let pt = expf(logPT)
        d[a] += weight * (expf(logPS) - pt)
        kl += Double(pt * (logPT - logPS))
      }
    }
    return n > 0 ? kl / Double(n) : 0
  }
}

extension Trainer {
  /// The teacher agent at `path`: it must read the run's observations (the same grid shape for grid runs).
  static func loadTeacher(_ path: String, obs: String, gridShape g: (channels: Int, height: Int, width: Int)) throws -> RLAgent {
    let t = try AgentFactory.load(path)
    guard t.config.obs == obs else { throw ArcadeError("\(path): the teacher reads \(t.config.obs) observations, this run \(obs)") }
    if obs == "grid", t.gridShape != (g.channels, g.height, g.width) {
      throw ArcadeError("\(path): the teacher's grid is \(t.gridShape.0)×\(t.gridShape.1)×\(t.gridShape.2), this run's "
                        + "\(g.channels)×\(g.height)×\(g.width) (different games give the grid another shape)")
    }
    return t.agent
  }
}
