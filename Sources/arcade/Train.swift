import ArcadeCore
import ArcadeGames
import ArcadeMPI
import ArcadeNN
import ArcadeRL
import ArgumentParser
import Foundation

struct Train: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Train an agent with IMPALA/V-trace on one or several games.",
    discussion: """
      Writes RUN/metrics.jsonl (one JSON line per --log-every frames), RUN/checkpoint.safetensors \
      (everything needed to --resume exactly) and RUN/agent.safetensors (weights only, for eval and watch). \
      Under Open MPI's `mpirun -np N`, N processes train one agent together: each steps --batch envs (rank r \
      envs r·B…r·B+B−1 of an N·B batch), the gradients are summed, --frames counts all ranks' frames, and \
      rank 0 writes the run directory (rank r > 0 adds its shard of each checkpoint there).
      """)

  /// The defaults of every option below (declared once, in TrainConfig and the learner's ImpalaSettings).
  static let defaults = TrainConfig()

  @Option(help: "Comma-separated games; env i plays game i mod k, so a game named twice gets twice the envs (e.g. maze,maze,leaper).") var games = Train.defaults.games.joined(separator: ",")
  @Option(help: "Distribution mode.") var mode = Train.defaults.mode
  @Option(Limits.numLevels, help: "Number of training levels (0 = unlimited).") var numLevels = Train.defaults.numLevels
  @Option(Limits.startLevel, help: "Lowest training level seed.") var startLevel = Train.defaults.startLevel
  @Option(help: "Train on the level seeds in this file (one per line, optionally 'SEED WEIGHT') instead of --num-levels/--start-level.")
  var levelSeeds: String?
  @Flag(help: "Prioritized Level Replay over the training levels: replay levels with a high mean absolute value error (V-trace target minus value) more often.")
  var levelReplay = false
  @Option(Limits.probability, help: "With --level-replay: chance p that a reset replays a seen level instead of an unseen one (default 0.5).")
  var replayProb: Double?
  @Option(Limits.replayTemperature, help: "With --level-replay: temperature β of the rank prioritisation (default 0.1).")
  var replayTemperature: Double?
  @Option(Limits.probability, help: "With --level-replay: staleness mix ρ (default 0.1).")
  var replayStaleness: Double?
  @Option(help: "Core.") var model = CoreKind(rawValue: Train.defaults.model)!
  @Option(help: "Observation: rgb (IMPALA CNN) or grid (symbolic planes, see --encoder).") var obs = ObservationChoice(rawValue: Train.defaults.obs)!
  @Option(help: "Grid encoder: linear (flatten → fc), conv (3×3 conv stages → fc) or linear+conv (both, summed; --init-from a linear agent adds a conv branch that starts at zero).") var encoder = Train.defaults.gridEncoder
  @Option(help: ArgumentHelp("Grid shape C,H,W (default: the smallest that holds the games' grids). Give a larger one, e.g. 7,20,20, to train an agent on one game that can teach it in a run of more games (see --kickstart-teacher).", valueName: "c,h,w"))
  var gridShape: String?
  @Option(help: ArgumentHelp("Show each training episode of these games turned or mirrored at random (one of the square's 8 symmetries, moves turned to match): 8 looks of every training level. For games that play the same in every orientation (maze).", valueName: "games"))
  var augment: String?
  @Flag(help: "Train only W^y of the SRWM, as the published RL code does (for comparison).") var paperDetach = false
  @Flag(help: "The core also reads a one-hot of the previous action, as IMPALA's agents do (the SRWM paper's does not): a greedy policy then knows which way it was going. --init-from an agent without it starts from that agent's exact policy.") var lastAction = false
  @Option(Limits.frames, help: "Total frames (environment steps over all envs).") var frames = Train.defaults.frames
  @Option(Limits.unroll, help: "Unroll length T (unroll × batch at most \(Limits.unrollFrames)).") var unroll = Train.defaults.unroll
  @Option(Limits.batch, help: "Batch: number of envs and unrolls per update.") var batch = Train.defaults.batch
  @Option(Limits.learningRate, help: "RMSProp learning rate (decays linearly to 0).") var lr = Train.defaults.learningRate
  @Option(help: "Learning-rate multiplier of the conv branch of --encoder linear+conv (0.01…100), so a branch grown by --init-from can catch up with trained weights.") var convLRScale: Float?
  @Option(Limits.cost, help: "Entropy cost.") var entropyCost = Train.defaults.entropyCost
  @Option(Limits.cost, help: "Baseline cost.") var baselineCost = Train.defaults.baselineCost
  @Option(Limits.discount, help: "Discount γ.") var discount = Train.defaults.discount
  @Option(Limits.gradClip, help: "Global gradient-norm clip.") var gradClip = Train.defaults.gradClip
  @Option(Limits.seed, help: "Seed of weights, levels and action sampling.") var seed = Train.defaults.seed
  @Option(Limits.threads, help: "Threads for the network (OpenBLAS and workers).") var threads = Train.defaults.threads
  @Option(help: "overlap (an actor thread acts with the previous update's weights while the learner learns; default with --threads 2 or more) or sync (act, then learn; default with --threads 1).")
  var pipeline: TrainPipeline?
  @Option(Limits.every, help: "Frames between checkpoints (the overlap pipeline is drained there).") var checkpointEvery = Train.defaults.checkpointEvery
  @Option(Limits.every, help: "Frames between metric lines.") var logEvery = Train.defaults.logEvery
  @Option(help: "Run directory.") var out: String
  @Flag(help: "Continue the run in --out from its last checkpoint (its saved config is used).") var resume = false
  @Option(help: ArgumentHelp("Start a new run from this agent's weights (fine-tuning; a file or a folder such as agents/default). Its core, observation, encoder and grid shape must match the run's.", valueName: "agent"))
  var initFrom: String?
  @Option(help: ArgumentHelp("Kickstarting: pull the policy towards this trained agent's (a file or a folder such as agents/default; same observations and grid), adding λ · H(π_teacher, π) to the loss on every step.", valueName: "agent"))
  var kickstart: String?
  @Option(help: "λ at the start of kickstarting (0…100; default 1).") var kickstartWeight: Float?
  @Option(help: "Frames over which λ falls linearly to 0 (default: --frames).") var kickstartFrames: Int?
  @Option(help: "τ of the teachers' target softmax(z/τ) (0.05…10; default 1): below 1 sharpens it, so the student's most likely action follows the teacher's.")
  var kickstartTemperature: Float?
  @Option(help: ArgumentHelp("Kickstart only these games' envs (default: all); the others learn from rewards alone, e.g. a game the teacher has not learned.", valueName: "games"))
  var kickstartGames: String?
  @Option(help: ArgumentHelp("Another teacher for some games, with the same λ: their envs follow it instead of --kickstart's teacher (which then guides --kickstart-games, or all other games). Repeat it for more teachers.", valueName: "games=agent"))
  var kickstartTeacher: [String] = []
  @Flag(inversion: .prefixedNo, help: "Also keep each checkpoint's weights as RUN/snapshots/agent-FRAMES.safetensors (for `tools/compare-cores`); --resume keeps them when the run has RUN/snapshots already.")
  var keepAgents: Bool?
  @Option(Limits.frames, help: "Stop (with a checkpoint) once this many frames are done; the run can be resumed.") var stopAfter: Int?

  func validate() throws {
    guard unroll * batch <= Limits.unrollFrames else {
      throw ValidationError("--unroll × --batch must be at most \(Limits.unrollFrames), got \(unroll * batch)")
    }
  }

  func config() throws -> TrainConfig {
    var c = TrainConfig()
    c.games = games.split(separator: ",").map(String.init)
    c.mode = mode
    c.numLevels = numLevels; c.startLevel = startLevel
    if let levelSeeds {
      let list = try LevelSeedList.read(levelSeeds)
      c.levelSeeds = list.seeds; c.levelWeights = list.weights
    }
    if levelReplay {
      var r = LevelReplaySettings()
      r.replayProbability = replayProb ?? r.replayProbability
      r.temperature = replayTemperature ?? r.temperature
      r.staleness = replayStaleness ?? r.staleness
      c.levelReplay = r
    } else if let name = [("--replay-prob", replayProb), ("--replay-temperature", replayTemperature),
                          ("--replay-staleness", replayStaleness)].first(where: { $0.1 != nil })?.0 {
      throw ArcadeError("\(name) needs --level-replay")
    }
    c.model = model.rawValue; c.obs = obs.rawValue; c.paperDetach = paperDetach; c.initFrom = initFrom
    c.lastAction = lastAction ? true : nil
    c.frames = frames; c.unroll = unroll; c.batch = batch; c.learningRate = lr; c.entropyCost = entropyCost
    c.baselineCost = baselineCost; c.discount = discount; c.gradClip = gradClip; c.seed = seed; c.threads = threads
    c.checkpointEvery = checkpointEvery; c.logEvery = logEvery
    c.encoder = encoder == .linear ? nil : encoder
    c.convLRScale = convLRScale
    if let gridShape {
      let parts = gridShape.split(separator: ",", omittingEmptySubsequences: false), g = parts.compactMap { Int($0) }
      guard parts.count == 3, g.count == 3 else {
        throw ValidationError("--grid-shape must be three sizes C,H,W (e.g. 7,20,20), got '\(gridShape)'")
      }
      c.gridShape = g
    }
    if let kickstart {
      c.kickstart = KickstartSettings(teacher: kickstart, weight: kickstartWeight ?? 1, frames: kickstartFrames ?? frames,
                                      games: kickstartGames.map { $0.split(separator: ",").map(String.init) },
                                      gameTeachers: kickstartTeacher.isEmpty ? nil : try kickstartTeacher.map(KickstartSettings.GameTeacher.init(argument:)))
      c.kickstart?.temperature = kickstartTemperature
    } else if let name = [("--kickstart-weight", kickstartWeight != nil), ("--kickstart-frames", kickstartFrames != nil),
                          ("--kickstart-games", kickstartGames != nil), ("--kickstart-teacher", !kickstartTeacher.isEmpty), ("--kickstart-temperature", kickstartTemperature != nil)].first(where: \.1)?.0 {
      throw ArcadeError("\(name) needs --kickstart")
    }
    c.pipeline = pipeline ?? (threads >= 2 ? .overlap : .sync)
    if let augment {
      c.augment = augment.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      let symmetric = Catalog.entries.map(\.descriptor).filter(\.symmetric).map(\.name)
      if let g = c.augment!.first(where: { c.games.contains($0) && !symmetric.contains($0) }) {
        throw ValidationError("--augment: \(g) does not play the same turned or mirrored (games that do: \(symmetric.joined(separator: ", ")))")
      }
    }
    for g in c.games {
      let d = try Catalog.entry(g).descriptor
      try d.check(mode: mode)
    }
    try c.checkLevelReplay()   // one line, without the usage text: the option is valid, the combination is not
    do { try c.validate(knownGames: Catalog.names) } catch let e as ArcadeError { throw ValidationError(e.message) }
    return c
  }

  func run() throws {
    let mpi = try OpenMPI.startIfLaunched(environment: ProcessInfo.processInfo.environment)
    guard let mpi else { return try train(group: nil) }
    do {
      try train(group: mpi)
      mpi.finish()
    } catch {
      // One rank's error ends every rank (MPI_Abort), rather than leaving them waiting in a collective call.
      OpenMPI.printError("arcade train: rank \(mpi.rank) of \(mpi.size): \(error)")
      mpi.abort(1)
    }
  }

  func train(group: OpenMPI?) throws {
    let root = (group?.rank ?? 0) == 0
    func say(_ s: String) { if root { print(s); fflush(nil) } }
    // Checkpoint writes killed midway leave NAME.tmp-PID files behind (AtomicFile); a new run or a resume clears them.
    let stale = AtomicFile.removeStaleTemporaries(in: out)
    if !stale.isEmpty { say("removed \(stale.count) temporary file(s) of killed writes: \(stale.sorted().joined(separator: ", "))") }
    let trainer: Trainer
    if resume {
      if initFrom != nil { throw ValidationError("--init-from starts a new run; --resume continues one from its own checkpoint") }
      trainer = try Trainer.resume(runDirectory: out, group: group)
      say("resuming \(out) at \(trainer.frames) frames")
    } else {
      if FileManager.default.fileExists(atPath: out + "/" + Trainer.checkpointName) {
        throw ValidationError("\(out) already holds a run: use --resume, or another --out")
      }
      trainer = try Trainer(config: try config(), runDirectory: out, group: group)
      if let initFrom {
        try trainer.initialiseWeights(fromAgent: initFrom)
        say("starting from the weights of \(initFrom)")
      }
    }
    // A resumed run goes on keeping snapshots if it kept them before, so its curve has no gap.
    trainer.keepsAgentSnapshots = keepAgents ?? (resume && FileManager.default.fileExists(atPath: out + "/" + Trainer.snapshotsFolder))
    let c = trainer.config
    if let group { say("\(group.size) MPI ranks × batch \(c.batch): \(group.size * c.batch) envs per update") }
    say("training \(c.model) on \(c.games.joined(separator: ",")) (\(c.mode.rawValue), \(c.levelSeeds.map { "\($0.count) listed" } ?? String(c.numLevels)) levels\(c.levelReplay == nil ? "" : " with level replay"), obs \(c.obs)\(c.augment.map { ", \($0.joined(separator: ",")) turned and mirrored" } ?? ""), \(c.trainPipeline.rawValue) pipeline), \(c.frames) frames → \(out)")
    // fflush(nil): progress lines reach a log file as they happen.
    try trainer.run(stopAt: stopAfter) { say($0) }
    if let group, trainer.timing.reductions > 0 {
      let t = trainer.timing
      say("rank 0: \(t.reductions) gradient allreduces of \(trainer.parameterCount) floats over \(group.size) ranks: "
          + "\(Fmt.fixed(1000 * t.reducing / Double(t.reductions), 2)) ms each, \(Fmt.fixed(t.reducing, 2)) s of \(Fmt.fixed(t.learning, 2)) s learning "
          + "(and \(Fmt.fixed(t.waitingForRanks, 2)) s waiting for the slowest rank)")
    }
    say("done at \(trainer.frames) frames; checkpoint \(trainer.checkpointPath)")
  }
}

extension OpenMPI: TrainGroup {}
