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
  /// The games whose envs are pulled towards the teacher (`--kickstart-games`); nil: all of the run's. On the
  /// others the student learns from rewards alone, e.g. a game the teacher plays no better than chance, where
  /// following it would hold the student at the teacher's near-uniform policy.
  public var games: [String]? = nil
  /// FNV-1a of the teacher's weights, set when the run starts: a resumed run refuses a teacher file that has
  /// changed since (say, an agents/default replaced meanwhile). nil in runs started before the check.
  public var teacherDigest: String? = nil
  /// Teachers of their own games (`--kickstart-teacher GAMES=AGENT`), with the same λ: an env whose game one
  /// of them names follows that one instead of `teacher`, which then guides `games`, or else every other game.
  /// nil keeps configs saved before the option byte-identical.
  public var gameTeachers: [GameTeacher]? = nil
  /// τ of the target softmax(z_teacher / τ) (`--kickstart-temperature`): below 1 it sharpens the teacher's
  /// policy, so the student's most likely action follows the teacher's even where the teacher is unsure.
  /// nil means 1 and keeps configs saved before the option byte-identical.
  public var temperature: Float? = nil
  public static let temperatures: ClosedRange<Float> = 0.05...10

  /// A teacher for some of the run's games.
  public struct GameTeacher: Codable, Sendable, Equatable {
    public var games: [String]
    public var teacher: String
    /// As `teacherDigest`, for this teacher.
    public var teacherDigest: String? = nil

    public init(games: [String], teacher: String) { self.games = games; self.teacher = teacher }

    /// `GAMES=AGENT` as the command line takes it (games comma-separated; the agent path may hold '=').
    public init(argument: String) throws {
      guard let eq = argument.firstIndex(of: "=") else {
        throw ArcadeError("--kickstart-teacher needs GAMES=AGENT (e.g. maze=runs/maze/agent.safetensors), got '\(argument)'")
      }
      games = argument[..<eq].split(separator: ",").map(String.init)
      teacher = String(argument[argument.index(after: eq)...])
    }
    var argument: String { games.joined(separator: ",") + "=" + teacher }
  }

  public init(teacher: String, weight: Float = 1, frames: Int, games: [String]? = nil, gameTeachers: [GameTeacher]? = nil) {
    self.teacher = teacher; self.weight = weight; self.frames = frames; self.games = games; self.gameTeachers = gameTeachers
  }

  /// Every teacher with its games (nil: all games no other teacher has) and digest: `teacher` first.
  var allTeachers: [(path: String, games: [String]?, digest: String?)] {
    [(teacher, games, teacherDigest)] + (gameTeachers ?? []).map { ($0.teacher, $0.games, $0.teacherDigest) }
  }

  /// λ after `frames` frames of the run.
  public func weight(atFrame f: Int) -> Float {
    frames <= 0 ? 0 : weight * Float(max(0, 1 - Double(f) / Double(frames)))
  }

  /// For each teacher of `allTeachers`, 1 for the env columns it guides and 0 for the others; env b plays
  /// runGames[b % runGames.count]. A teacher without games guides every game no game teacher has.
  func guidedColumns(runGames: [String], batch: Int) -> [[Float]] {
    let named = Set((gameTeachers ?? []).flatMap(\.games))
    return allTeachers.map { t in
      (0..<batch).map { b in
        let g = runGames[b % runGames.count]
        return t.games.map { $0.contains(g) } ?? !named.contains(g) ? 1 : 0
      }
    }
  }
}

enum Distillation {
  /// Adds λ · ∂H(p_teacher, p_student)/∂z = λ (p_student − p_teacher) to `dLogits` for rows laid out
  /// [T, B, A], and returns the mean KL(p_teacher ‖ p_student) per row (how far the student is, whatever λ).
  /// With `guided`, column b is pulled only where `guided[b]` is non-zero (`--kickstart-games`) and the KL
  /// is the mean over those rows.
  static func addGradient(student: UnsafePointer<Float>, teacher: UnsafePointer<Float>, weight: Float,
                          guided: UnsafePointer<Float>? = nil, dLogits: UnsafeMutablePointer<Float>,
                          T: Int, B: Int, A: Int) -> Double {
    var kl = 0.0, rows = 0
    for t in 0..<T {
      for b in 0..<B where guided.map({ $0[b] != 0 }) ?? true {
        let i = (t * B + b) * A
        kl += addRow(student + i, teacher + i, weight, dLogits + i, A)
        rows += 1
      }
    }
    return rows > 0 ? kl / Double(rows) : 0
  }

  private static func addRow(_ s: UnsafePointer<Float>, _ t: UnsafePointer<Float>, _ weight: Float,
                             _ d: UnsafeMutablePointer<Float>, _ A: Int) -> Double {
    let (ms, ls) = VTrace.maxAndLogSum(s, A), (mt, lt) = VTrace.maxAndLogSum(t, A)
    var kl = 0.0
    for a in 0..<A {
      let logPS = s[a] - ms - ls, logPT = t[a] - mt - lt
      let pt = expf(logPT)
      d[a] += weight * (expf(logPS) - pt)
      kl += Double(pt * (logPT - logPS))
    }
    return kl
  }
}
