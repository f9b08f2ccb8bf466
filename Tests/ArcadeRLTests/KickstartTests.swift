import Foundation
import Testing
import ArcadeCore
import ArcadeNN
@testable import ArcadeRL

extension ArcadeRLSuite {
  /// `arcade train --kickstart TEACHER`: the distillation term's gradient, its pull towards the teacher,
  /// exact resume with the teacher's recurrent state, and teachers that do not fit.
  @Suite(.serialized) struct KickstartTests {
    func config(model: String = "srwm", seed: UInt64, pipeline: TrainPipeline = .sync, games: [String] = ["maze", "leaper"]) -> TrainConfig {
      var c = TrainConfig()
      c.games = games; c.obs = "grid"; c.model = model; c.seed = seed; c.pipeline = pipeline
      c.frames = 800; c.unroll = 10; c.batch = 4; c.logEvery = 200; c.checkpointEvery = 400; c.threads = 2
      return c
    }
    func tempDir(_ name: String) -> String {
      let d = NSTemporaryDirectory() + "arcade-kick-\(name)-\(getpid())"
      try? FileManager.default.removeItem(atPath: d)
      return d
    }
    /// A small trained agent to be the teacher.
    func teacher(_ name: String, model: String = "lstm", games: [String] = ["maze", "leaper"]) throws -> String {
      let dir = tempDir(name)
      try Trainer(config: config(model: model, seed: 7, games: games), runDirectory: dir).run { _ in }
      return dir
    }

    /// λ · H(p_teacher, softmax(z)) summed over rows: its gradient is λ (p − p_teacher), checked against
    /// central differences in Double on odd shapes; the reported KL is zero exactly when the two agree.
    @Test(arguments: [(1, 3), (3, 5), (4, 15)])
    func theDistillationGradientMatchesFiniteDifferences(_ n: Int, _ A: Int) {
      var rng = SplitMix(seed: UInt64(n * 100 + A))
      let student = (0..<(n * A)).map { _ in Float(rng.uniform() * 4 - 2) }
      let teacher = (0..<(n * A)).map { _ in Float(rng.uniform() * 4 - 2) }
      let weight: Float = 0.7
      var grad = [Float](repeating: 0.25, count: n * A)      // the V-trace gradient already there is kept
      let kl = Distillation.addGradient(student: student, teacher: teacher, weight: weight, dLogits: &grad, T: n, B: 1, A: A)
      func loss(_ z: [Double]) -> Double {
        (0..<n).reduce(0) { sum, i in
          let s = Array(z[(i * A)..<((i + 1) * A)]), t = teacher[(i * A)..<((i + 1) * A)].map(Double.init)
          let ls = log(s.map(exp).reduce(0, +)), lt = log(t.map(exp).reduce(0, +))
          return sum - Double(weight) * zip(s, t).reduce(0) { $0 + exp($1.1 - lt) * ($1.0 - ls) }
        }
      }
      let z = student.map(Double.init), h = 1e-5
      for j in 0..<(n * A) {
        var up = z, down = z
        up[j] += h; down[j] -= h
        let numeric = (loss(up) - loss(down)) / (2 * h)
        #expect(abs(Double(grad[j] - 0.25) - numeric) < 1e-4, "logit \(j)")
      }
      #expect(kl > 0)
      var none = [Float](repeating: 0, count: n * A)
      #expect(abs(Distillation.addGradient(student: teacher, teacher: teacher, weight: 1, dLogits: &none, T: n, B: 1, A: A)) < 1e-6)
      #expect(none.allSatisfy { abs($0) < 1e-6 })
    }

    /// `--kickstart-games`: only the guided columns of a [T, B, A] block get the teacher's gradient, each
    /// exactly as the unmasked rows do, and the KL is the mean over those rows.
    @Test func onlyGuidedColumnsArePulledTowardsTheTeacher() {
      let T = 3, B = 5, A = 7
      var rng = SplitMix(seed: 41)
      let student = (0..<(T * B * A)).map { _ in Float(rng.uniform() * 4 - 2) }
      let teacher = (0..<(T * B * A)).map { _ in Float(rng.uniform() * 4 - 2) }
      let guided: [Float] = [0, 1, 0, 0, 1]
      var masked = [Float](repeating: 0.5, count: T * B * A), all = masked
      let kl = Distillation.addGradient(student: student, teacher: teacher, weight: 0.3, guided: guided, dLogits: &masked, T: T, B: B, A: A)
      _ = Distillation.addGradient(student: student, teacher: teacher, weight: 0.3, dLogits: &all, T: T, B: B, A: A)
      var guidedKL = 0.0
      for t in 0..<T {
        for b in 0..<B {
          let row = (t * B + b) * A
          for a in row..<(row + A) { #expect(masked[a] == (guided[b] != 0 ? all[a] : 0.5), "t \(t) b \(b)") }
          if guided[b] != 0 {
            var one = [Float](repeating: 0, count: A)
            guidedKL += Distillation.addGradient(student: Array(student[row..<(row + A)]), teacher: Array(teacher[row..<(row + A)]),
                                                 weight: 1, dLogits: &one, T: 1, B: 1, A: A)
          }
        }
      }
      #expect(abs(kl - guidedKL / Double(T * 2)) < 1e-9)
      #expect(KickstartSettings(teacher: "t", frames: 1, games: ["leaper"]).guidedColumns(runGames: ["maze", "leaper"], batch: 5)
              == [[0, 1, 0, 1, 0]])
      #expect(KickstartSettings(teacher: "t", frames: 1).guidedColumns(runGames: ["maze", "leaper"], batch: 3) == [[1, 1, 1]])
    }

    /// Kickstarting one game of two: every line logs the KL on that game, the choice is saved with the run
    /// (resume is bit-identical), and a game the run does not play is refused with one line.
    @Test func aRunGuidedOnOneGameLogsItsKLAndResumes() throws {
      let t = try teacher("teacher-one-game"), dir = tempDir("one-game"), split = tempDir("one-game-split")
      defer { for d in [t, dir, split] { try? FileManager.default.removeItem(atPath: d) } }
      var c = config(model: "ff", seed: 5)
      c.kickstart = KickstartSettings(teacher: t, weight: 5, frames: 100_000, games: ["leaper"])
      try Trainer(config: c, runDirectory: dir).run { _ in }
      let kl = try RunLog.read(dir + "/metrics.jsonl").compactMap(\.distillation)
      #expect(kl.count == 4 && kl.allSatisfy { $0 > 0 })
      try Trainer(config: c, runDirectory: split).run(stopAt: 400) { _ in }
      let resumed = try Trainer.resume(runDirectory: split)
      #expect(resumed.config.kickstart?.games == ["leaper"])
      try resumed.run { _ in }
      let a = try Data(contentsOf: URL(fileURLWithPath: dir + "/agent.safetensors"))
      let b = try Data(contentsOf: URL(fileURLWithPath: split + "/agent.safetensors"))
      #expect(a == b, "resumed weights differ")
      c.kickstart!.games = ["bigfish"]
      do { try c.validate(knownGames: ["maze", "leaper", "bigfish"]); Issue.record("an unguided game was taken") } catch let e as ArcadeError {
        #expect(e.message == "--kickstart-games: 'bigfish' is not one of the run's games (maze,leaper)")
      }
    }

    /// With a large λ the student's KL to the teacher falls over the run; without a teacher no KL is logged.
    @Test func theStudentMovesTowardsTheTeacher() throws {
      let t = try teacher("teacher-pull"), dir = tempDir("student")
      defer { for d in [t, dir] { try? FileManager.default.removeItem(atPath: d) } }
      var c = config(model: "ff", seed: 2)
      c.frames = 2400; c.logEvery = 400; c.checkpointEvery = 2400; c.entropyCost = 0
      c.kickstart = KickstartSettings(teacher: t, weight: 20, frames: 1_000_000)
      try Trainer(config: c, runDirectory: dir).run { _ in }
      let kl = try RunLog.read(dir + "/metrics.jsonl").compactMap(\.distillation)
      #expect(kl.count == 6)
      #expect(kl.last! < kl.first! * 0.5, "KL to the teacher: \(kl)")
      let plain = try RunLog.read(t + "/metrics.jsonl")
      #expect(plain.allSatisfy { $0.distillation == nil })
      #expect(c.kickstart!.weight(atFrame: 250_000) == 15 && c.kickstart!.weight(atFrame: 2_000_000) == 0)

      // λ reaches 0 at 1,200 frames: the teacher stops and the later lines log no KL.
      let short = tempDir("short")
      defer { try? FileManager.default.removeItem(atPath: short) }
      c.kickstart = KickstartSettings(teacher: t, weight: 1, frames: 1200)
      try Trainer(config: c, runDirectory: short).run { _ in }
      #expect(try RunLog.read(short + "/metrics.jsonl").map { $0.distillation != nil } == [true, true, true, false, false, false])
    }

    /// Stop at a checkpoint and resume: the same weights bit for bit as one run (the teacher's recurrent
    /// state is in the checkpoint), in both pipelines.
    @Test(arguments: [TrainPipeline.sync, .overlap])
    func resumingAKickstartedRunIsExact(_ pipeline: TrainPipeline) throws {
      let t = try teacher("teacher-\(pipeline)", model: "srwm"), whole = tempDir("whole-\(pipeline)"), split = tempDir("split-\(pipeline)")
      defer { for d in [t, whole, split] { try? FileManager.default.removeItem(atPath: d) } }
      var c = config(model: "lstm", seed: 3, pipeline: pipeline)
      c.kickstart = KickstartSettings(teacher: t, weight: 2, frames: 800)
      try Trainer(config: c, runDirectory: whole).run { _ in }
      try Trainer(config: c, runDirectory: split).run(stopAt: 400) { _ in }
      let resumed = try Trainer.resume(runDirectory: split)
      var started = c.kickstart!
      started.teacherDigest = resumed.config.kickstart?.teacherDigest
      #expect(resumed.config.kickstart == started && started.teacherDigest != nil)
      try resumed.run { _ in }
      let a = try Data(contentsOf: URL(fileURLWithPath: whole + "/agent.safetensors"))
      let b = try Data(contentsOf: URL(fileURLWithPath: split + "/agent.safetensors"))
      #expect(a == b, "resumed weights differ")
    }

    /// A teacher file replaced while its student is unfinished (say, a new agents/default) is refused on
    /// resume with one line, instead of silently changing the teacher.
    @Test func aResumedRunRefusesAChangedTeacher() throws {
      let t = try teacher("teacher-changed"), other = try teacher("teacher-other", model: "ff"), dir = tempDir("changed")
      defer { for d in [t, other, dir] { try? FileManager.default.removeItem(atPath: d) } }
      var c = config(model: "lstm", seed: 4)
      c.kickstart = KickstartSettings(teacher: t + "/agent.safetensors", weight: 1, frames: 800)
      try Trainer(config: c, runDirectory: dir).run(stopAt: 400) { _ in }
      _ = try Trainer.resume(runDirectory: dir)   // unchanged: accepted
      try FileManager.default.removeItem(atPath: t + "/agent.safetensors")
      try FileManager.default.copyItem(atPath: other + "/agent.safetensors", toPath: t + "/agent.safetensors")
      do { _ = try Trainer.resume(runDirectory: dir); Issue.record("a changed teacher was taken") } catch let e as ArcadeError {
        #expect(e.message.contains("not the teacher this run started with") && !e.message.contains("\n"), "\(e.message)")
      }
    }

    /// `--kickstart-teacher GAMES=AGENT`: with the main teacher also named for maze, every column still
    /// follows that same agent, so the run equals the one-teacher run bit for bit (the merged logits and
    /// the second teacher's state are right); with a second teacher (a maze-only agent trained with the
    /// run's `--grid-shape`), the run resumes exactly and keeps both digests.
    @Test func gameTeachersGuideTheirGames() throws {
      let t = try teacher("teacher-main", model: "srwm"), one = tempDir("one-teacher"), two = tempDir("same-twice")
      let shape = try AgentFactory.load(t).gridShape
      var mazeOnly = config(model: "srwm", seed: 9, games: ["maze"])
      mazeOnly.gridShape = [shape.0, shape.1, shape.2]
      let mazeTeacher = tempDir("teacher-maze")
      try Trainer(config: mazeOnly, runDirectory: mazeTeacher).run { _ in }
      let whole = tempDir("two-whole"), split = tempDir("two-split")
      defer { for d in [t, one, two, mazeTeacher, whole, split] { try? FileManager.default.removeItem(atPath: d) } }
      #expect(try AgentFactory.load(mazeTeacher).gridShape == shape)

      var c = config(model: "lstm", seed: 6)
      c.kickstart = KickstartSettings(teacher: t, weight: 2, frames: 100_000)
      try Trainer(config: c, runDirectory: one).run { _ in }
      c.kickstart = KickstartSettings(teacher: t, weight: 2, frames: 100_000, games: ["leaper"],
                                      gameTeachers: [.init(games: ["maze"], teacher: t)])
      try Trainer(config: c, runDirectory: two).run { _ in }
      // The weights, not the files: the saved configs differ.
      let a = try AgentFactory.load(one).agent.ps.values.array, b = try AgentFactory.load(two).agent.ps.values.array
      #expect(a == b, "the same teacher twice differs from one teacher")

      c.kickstart = KickstartSettings(teacher: t, weight: 2, frames: 100_000, gameTeachers: [.init(games: ["maze"], teacher: mazeTeacher)])
      try Trainer(config: c, runDirectory: whole).run { _ in }
      try Trainer(config: c, runDirectory: split).run(stopAt: 400) { _ in }
      let resumed = try Trainer.resume(runDirectory: split)
      #expect(resumed.config.kickstart?.gameTeachers?.first?.teacherDigest != nil)
      #expect(resumed.config.kickstart?.gameTeachers?.first?.teacherDigest != resumed.config.kickstart?.teacherDigest)
      try resumed.run { _ in }
      let w = try Data(contentsOf: URL(fileURLWithPath: whole + "/agent.safetensors"))
      let r = try Data(contentsOf: URL(fileURLWithPath: split + "/agent.safetensors"))
      #expect(w == r, "resumed weights differ")
      #expect(try AgentFactory.load(whole).agent.ps.values.array != a, "a second teacher changed nothing")
    }

    /// Each teacher's games must be the run's and no game may have two teachers, in one line each.
    /// `--kickstart-temperature`: τ = 1 is the plain target bit for bit; τ < 1 pulls towards a sharper
    /// policy, which a fresh (near-uniform) student is further from.
    @Test func aTemperatureSharpensTheTeachersTarget() throws {
      let t = try teacher("teacher-temperature"), plain = tempDir("tau-none"), one = tempDir("tau-one"), sharp = tempDir("tau-half")
      defer { for d in [t, plain, one, sharp] { try? FileManager.default.removeItem(atPath: d) } }
      var c = config(model: "ff", seed: 5)
      c.kickstart = KickstartSettings(teacher: t, weight: 2, frames: 100_000)
      try Trainer(config: c, runDirectory: plain).run { _ in }
      c.kickstart!.temperature = 1
      try Trainer(config: c, runDirectory: one).run { _ in }
      c.kickstart!.temperature = 0.5
      try Trainer(config: c, runDirectory: sharp).run { _ in }
      // The weights alone: each agent file also holds its run's config, which names the temperature.
      func weights(_ d: String) throws -> [Float] { try AgentFactory.load(d).agent.ps.values.array }
      #expect(try weights(one) == weights(plain))
      #expect(try weights(sharp) != weights(plain))
      let klPlain = try RunLog.read(plain + "/metrics.jsonl").compactMap(\.distillation)
      let klSharp = try RunLog.read(sharp + "/metrics.jsonl").compactMap(\.distillation)
      #expect(klSharp.first! > klPlain.first!, "KL to the sharpened teacher \(klSharp) against the plain one \(klPlain)")
      c.kickstart!.temperature = 0
      #expect(throws: ArcadeError("--kickstart-temperature must be in 0.05…10, got 0.0")) { try c.validate(knownGames: ["maze", "leaper"]) }
    }

    @Test func gameTeachersAreChecked() throws {
      func message(_ k: KickstartSettings) -> String? {
        var c = config(seed: 1)
        c.kickstart = k
        do { try c.validate(knownGames: ["maze", "leaper", "bigfish"]); return nil } catch let e as ArcadeError { return e.message } catch { return "\(error)" }
      }
      func teach(_ g: [String]) -> KickstartSettings.GameTeacher { .init(games: g, teacher: "t2") }
      #expect(message(KickstartSettings(teacher: "t", frames: 1, gameTeachers: [teach(["maze"])])) == nil)
      #expect(message(KickstartSettings(teacher: "t", frames: 1, gameTeachers: [teach(["bigfish"])]))
              == "--kickstart-teacher bigfish=t2: 'bigfish' is not one of the run's games (maze,leaper)")
      #expect(message(KickstartSettings(teacher: "t", frames: 1, games: ["maze"], gameTeachers: [teach(["maze"])]))
              == "--kickstart-teacher maze=t2: 'maze' already has a teacher")
      #expect(message(KickstartSettings(teacher: "t", frames: 1, gameTeachers: [teach(["maze", "leaper"])]))
              == "--kickstart t would guide no game: every game has a --kickstart-teacher")
      let parsed = try KickstartSettings.GameTeacher(argument: "maze,leaper=runs/a=b/agent.safetensors")
      #expect(parsed.games == ["maze", "leaper"] && parsed.teacher == "runs/a=b/agent.safetensors")
      #expect(throws: ArcadeError.self) { _ = try KickstartSettings.GameTeacher(argument: "runs/maze") }
      let columns = KickstartSettings(teacher: "t", frames: 1, gameTeachers: [teach(["maze"])]).guidedColumns(runGames: ["maze", "leaper"], batch: 4)
      #expect(columns == [[0, 1, 0, 1], [1, 0, 1, 0]])
    }

    /// `--grid-shape` must hold the games' grids and needs grid observations.
    @Test func theGridShapeIsChecked() throws {
      var c = config(seed: 1, games: ["maze"])
      c.gridShape = [1, 1, 1]
      let dir = tempDir("small-grid")
      defer { try? FileManager.default.removeItem(atPath: dir) }
      do { _ = try Trainer(config: c, runDirectory: dir); Issue.record("a grid too small was taken") } catch {
        #expect("\(error)".contains("cannot hold these games' grids"))
      }
      c.gridShape = [3, 0, 9]
      #expect(throws: ArcadeError("--grid-shape must be three sizes C,H,W in 1…256, got 3,0,9")) { try c.validate(knownGames: ["maze"]) }
      c.gridShape = [3, 9, 9]; c.obs = "rgb"
      #expect(throws: ArcadeError("--grid-shape needs --obs grid")) { try c.validate(knownGames: ["maze"]) }
    }

    @Test func aTeacherThatDoesNotFitIsRefusedWithOneLine() throws {
      let t = try teacher("teacher-other-games", games: ["maze", "bigfish"]), dir = tempDir("misfit")
      defer { for d in [t, dir] { try? FileManager.default.removeItem(atPath: d) } }
      var c = config(seed: 1)
      c.kickstart = KickstartSettings(teacher: t, frames: 800)
      do { _ = try Trainer(config: c, runDirectory: dir); Issue.record("a teacher with another grid was taken") } catch {
        #expect("\(error)".contains("the teacher's grid is") && !"\(error)".contains("\n"))
      }
      c.kickstart = KickstartSettings(teacher: dir + "/none", frames: 800)
      #expect(throws: ArcadeError.self) { _ = try Trainer(config: c, runDirectory: dir) }
      c.kickstart = KickstartSettings(teacher: t, weight: -1, frames: 800)
      #expect(throws: ArcadeError.self) { try c.validate(knownGames: ["maze", "leaper"]) }
    }
  }
}
