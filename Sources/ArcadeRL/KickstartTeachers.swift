// The teachers of a kickstarted run: each a frozen agent that reads every frame of the run, and the merge of
// their logits, column by column, when several teachers share the games (`--kickstart-teacher`).
import ArcadeCore
import ArcadeTensor

/// A frozen agent whose policy the learner is pulled towards. It reads every frame of the run once, in
/// order (unroll k's frames 0…T−1, then unroll k+1's, whose frame 0 is unroll k's frame T), so its
/// recurrent state follows the envs as it would if it were acting.
final class KickstartTeacher {
  let agent: RLAgent
  /// `Trainer.weightsDigest` of the agent, as `KickstartSettings.teacherDigest` keeps it.
  let digest: String
  let state: [Buffer]
  /// Per env column, 1 where this teacher guides its game (`KickstartSettings.guidedColumns`), else 0.
  let guided: UnsafeMutablePointer<Float>

  init(agent: RLAgent, digest: String, batch: Int, guidedColumns columns: [Float]) {
    precondition(columns.count == batch)
    self.agent = agent; self.digest = digest
    state = agent.initialState(batch: batch)
    guided = UnsafeMutablePointer<Float>.allocate(capacity: batch)
    guided.initialize(from: columns, count: batch)
  }

  deinit { guided.deallocate() }

  /// The teacher's logits on frames 0…T−1 of an unroll [T, B, A]; its state moves on to frame T.
  func logits(_ input: AgentInput, reward: UnsafePointer<Float>, done: UnsafePointer<Float>, lastAction: UnsafePointer<Int>,
              T: Int, B: Int) -> UnsafePointer<Float> {
    agent.forward(input, reward: reward, done: done, lastAction: lastAction, T: T, B: B, state: state, keepInput: false).logits
  }
}

/// Every teacher of a run (`KickstartSettings.allTeachers`), loaded and checked against the digests the
/// run started with.
final class KickstartTeachers {
  /// The main teacher first, then the game teachers.
  let all: [KickstartTeacher]
  /// With several teachers or a temperature: each env column's teacher logits [T, B, A] (divided by τ),
  /// and the columns any teacher guides.
  private let merged = Buffer(), anyGuides = Buffer()
  /// 1/τ of `KickstartSettings.temperature`.
  let sharpness: Float

  init(_ k: KickstartSettings, runGames: [String], batch: Int, unroll: Int, actions: Int, obs: String,
       gridShape g: (channels: Int, height: Int, width: Int)) throws {
    let columns = k.guidedColumns(runGames: runGames, batch: batch)
    all = try zip(k.allTeachers, columns).map { t, guided in
      let agent = try Self.load(t.path, obs: obs, gridShape: g), digest = Self.weightsDigest(agent)
      if let started = t.digest, started != digest {
        throw ArcadeError("\(t.path): not the teacher this run started with (weights digest \(digest), the run's \(started)); "
                          + "put that agent back, or start a new run")
      }
      return KickstartTeacher(agent: agent, digest: digest, batch: batch, guidedColumns: guided)
    }
    sharpness = 1 / (k.temperature ?? 1)
    if all.count > 1 || sharpness != 1 {
      merged.resize(unroll * batch * actions)
      anyGuides.resize(batch)
      for b in 0..<batch { anyGuides[b] = columns.contains { $0[b] != 0 } ? 1 : 0 }
    }
  }

  /// `k` with the digest of every teacher, as a run records them when it starts.
  func recordingDigests(_ k: KickstartSettings) -> KickstartSettings {
    var k = k
    k.teacherDigest = all[0].digest
    for i in k.gameTeachers?.indices ?? 0..<0 { k.gameTeachers?[i].teacherDigest = all[i + 1].digest }
    return k
  }

  /// The teachers' logits on frames 0…T−1 of `u` [T, B, A] and the env columns they guide. Every teacher
  /// reads every column (so its recurrent state follows the envs); with several, each column takes the
  /// logits of the teacher that guides it.
  func logits(_ u: Unroll) -> (logits: UnsafePointer<Float>, guided: UnsafePointer<Float>) {
    let T = u.T, B = u.B, A = u.A
    func run(_ teacher: KickstartTeacher) -> UnsafePointer<Float> {
      teacher.logits(u.input(0), reward: u.rewards.baseAddress!, done: u.dones.baseAddress!, lastAction: u.actions.baseAddress!, T: T, B: B)
    }
    if all.count == 1 && sharpness == 1 { return (run(all[0]), UnsafePointer(all[0].guided)) }
    for teacher in all {
      let logits = run(teacher)
      for t in 0..<T {
        for b in 0..<B where teacher.guided[b] != 0 {
          let row = (t * B + b) * A, m = merged.ptr + row
          for a in 0..<A { m[a] = logits[row + a] * sharpness }
        }
      }
    }
    return (UnsafePointer(merged.ptr), UnsafePointer(anyGuides.ptr))
  }

  /// The checkpoint tensor of recurrent state piece `i` of teacher `k` (`all` order; the main teacher's
  /// names are those of runs from before game teachers).
  static func stateName(_ k: Int, _ i: Int) -> String { k == 0 ? "train.teacher_state.\(i)" : "train.teacher\(k)_state.\(i)" }

  /// The digest `KickstartSettings.teacherDigest` holds: FNV-1a over the weights' bytes, in hex.
  static func weightsDigest(_ agent: RLAgent) -> String {
    let bytes = UnsafeRawBufferPointer(start: agent.ps.values.ptr, count: agent.ps.count * MemoryLayout<Float>.size)
    return String(fnv1a64(bytes), radix: 16)
  }

  /// The teacher agent at `path`: it must read the run's observations (the same grid shape for grid runs).
  static func load(_ path: String, obs: String, gridShape g: (channels: Int, height: Int, width: Int)) throws -> RLAgent {
    let t = try AgentFactory.load(path)
    guard t.config.obs == obs else { throw ArcadeError("\(path): the teacher reads \(t.config.obs) observations, this run \(obs)") }
    if obs == "grid", t.gridShape != (g.channels, g.height, g.width) {
      throw ArcadeError("\(path): the teacher's grid is \(t.gridShape.0)×\(t.gridShape.1)×\(t.gridShape.2), this run's "
                        + "\(g.channels)×\(g.height)×\(g.width) (train it with --grid-shape \(g.channels),\(g.height),\(g.width), "
                        + "or it read other games)")
    }
    return t.agent
  }
}
