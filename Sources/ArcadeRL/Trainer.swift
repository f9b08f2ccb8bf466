import ArcadeCore
import ArcadeGames
import ArcadeNN
import ArcadeTensor
import ArcadeThreads
import Foundation

/// Seconds spent on each side of training since the trainer was made (or `timing` was reset).
public struct TrainTiming: Sendable {
  /// Collecting unrolls (policy forward, sampling, env steps).
  public var acting = 0.0
  /// Learner updates.
  public var learning = 0.0
  /// Overlap only: time the actor thread sat idle while the learner worked, and the reverse.
  public var actorWaited = 0.0
  public var learnerWaited = 0.0
  /// Data parallel, within `learning`: waiting for the slowest rank to reach the gradient sum (a barrier,
  /// so that `reducing` is the communication alone), and summing the gradients (MPI_Allreduce).
  public var waitingForRanks = 0.0
  public var reducing = 0.0
  public var reductions = 0
  public init() {}
}

/// IMPALA on a multi-game vector env: B envs (env i plays game i mod k) act for T steps, and one V-trace
/// update learns from the unroll with full backpropagation through time. Recurrent state is carried
/// between unrolls and reset at episode ends. Everything the run needs to continue exactly is in its
/// checkpoint.
///
/// `sync`: collect unroll k with the weights θ_k, then learn from it. `overlap`: an actor thread collects
/// unroll k with θ_{k−1} (its own copy of the weights, refreshed after every update by one memcpy) while
/// the learner learns from unroll k−1; the two unrolls are separate buffers, and the threads meet at one
/// barrier per update. The pipeline is filled and drained within each checkpoint interval, so at every
/// interval boundary the state is the same kind as the sync loop's (nothing collected and not learned),
/// and a run stopped and resumed there equals the run in one go.
public final class Trainer {
  /// The run's settings, as saved with each checkpoint (kickstarting adds its teacher's digest at the start).
  public private(set) var config: TrainConfig
  public let runDirectory: String
  /// Data parallel (`mpirun -np N`): rank r steps envs r·B…r·B+B−1 of an N·B batch, and the ranks sum
  /// their gradients before the identical optimiser step. nil: one process.
  public let group: TrainGroup?
  var rank: Int { group?.rank ?? 0 }
  var ranks: Int { group?.size ?? 1 }
  let vec: VecEnv
  let agent: RLAgent
  let learner: ImpalaLearner
  /// Acts on the envs: with `agent` itself (sync) or with its own agent holding a copy of the weights (overlap).
  let actor: Actor
  /// One unroll (sync) or two (overlap: the actor fills one while the learner reads the other).
  let unrolls: [Unroll]
  /// The unroll whose entry 0 holds the carried entry: the next one to fill.
  var current = 0
  var unroll: Unroll { unrolls[current] }
  public internal(set) var frames = 0
  public var timing = TrainTiming()
  /// Overlap: the actor thread takes one of `config.threads`, and the learner's loops run on a pool of the
  /// others (inline with 2 threads), so the two sides never fight for cores. With `learnerSharesPool` the
  /// learner uses the process-wide pool of `config.threads` instead. The numbers are the same either way
  /// (loops keep their split whichever threads run them); this is only about speed.
  public var learnerSharesPool = false
  /// Keep the weights of every checkpoint (for learning curves on the test levels); not part of the
  /// config, so a resumed run can start or stop keeping them.
  public var keepsAgentSnapshots = false
  lazy var learnerPool: WorkerPool? = config.threads > 2 ? WorkerPool(threads: config.threads - 1) : nil
  var tracker = EpisodeTracker()
  var interval = (loss: 0.0, pg: 0.0, baseline: 0.0, entropy: 0.0, gradNorm: 0.0, updates: 0, distillation: 0.0)
  var intervalStart = (frames: 0, time: 0.0)
  /// Kickstarting's teachers (`config.kickstart`), nil without it.
  let teachers: KickstartTeachers?
  /// Prioritized Level Replay's state (`config.levelReplay`), nil without it.
  let levelReplay: LevelReplayTracker?
  let descriptors: [String: GameDescriptor]
  let log: RunLog

  /// Floats in the weights (what one gradient allreduce sums).
  public var parameterCount: Int { agent.ps.count }

  public static let checkpointName = "checkpoint.safetensors"
  public var checkpointPath: String { runDirectory + "/" + Trainer.checkpointName }

  public init(config: TrainConfig, runDirectory: String, group: TrainGroup? = nil) throws {
    try config.validate(knownGames: Catalog.names)
    self.config = config
    self.runDirectory = runDirectory
    self.group = group
    let rank = group?.rank ?? 0, ranks = group?.size ?? 1
    try FileManager.default.createDirectory(atPath: runDirectory, withIntermediateDirectories: true)
    Parallel.configure(threads: config.threads)
    let kinds: ObservationKinds = config.obs == "rgb" ? [.rgb] : [.grid]
    vec = try VecEnv(games: config.games, count: config.batch, options: GameOptions(mode: config.mode),
                     levels: config.levelOptions,
                     observations: kinds, threads: 1, gridShape: config.gridShape, firstEnvIndex: rank * config.batch) {
      let env = try Catalog.make($0)
      return config.augments($0.game) ? try SymmetricEnv(env) : env
    }
    let g = vec.gridShape
    let agentConfig = AgentFactory.agentConfig(config, gridShape: g)
    agent = RLAgent(agentConfig, seed: config.seed)
    var settings = ImpalaSettings()
    settings.learningRate = config.learningRate
    settings.totalSteps = config.frames
    settings.discount = config.discount
    settings.entropyCost = config.entropyCost
    settings.baselineCost = config.baselineCost
    settings.maxGradNorm = config.gradClip
    settings.rmsAlpha = config.rmsAlpha
    settings.rmsEps = config.rmsEpsilon
    learner = ImpalaLearner(agent: agent, settings: settings)
    if let f = config.convLRScale {
      learner.optimizer.scaledRanges = agent.ps.params
        .filter { $0.name.hasPrefix("grid_cnn.") || $0.name.hasPrefix("grid_conv_fc.") }
        .map { ($0.offset..<$0.offset + $0.count, f) }
    }
    teachers = try config.kickstart.map { k in
      guard ranks == 1 else { throw ArcadeError("--kickstart does not run under MPI yet (\(ranks) ranks)") }
      return try KickstartTeachers(k, runGames: config.games, batch: config.batch, unroll: config.unroll,
                                   actions: agentConfig.numActions, obs: config.obs, gridShape: g)
    }
    if let k = config.kickstart, let teachers { self.config.kickstart = teachers.recordingDigests(k) }
    let overlap = config.trainPipeline == .overlap
    actor = Actor(agent: overlap ? RLAgent(agentConfig, seed: config.seed) : agent, batch: config.batch,
                  rng: PCG32(seed: mixSeed(config.seed ^ 0xAC7), stream: 11))
    actor.carriesCoreState = true
    actor.skipDraws = (UInt64(rank * config.batch), UInt64((ranks - 1 - rank) * config.batch))
    let obsSize = config.obs == "rgb" ? VecEnv.frameBytes : g.channels * g.height * g.width
    let sizes = actor.state.map(\.count)
    unrolls = (0..<(overlap ? 2 : 1)).map { _ in
      Unroll(T: config.unroll, B: config.batch, A: 15, obsSize: obsSize, isRGB: config.obs == "rgb", stateSizes: sizes)
    }
    levelReplay = config.levelReplay.map {
      LevelReplayTracker(seeds: config.trainingSeeds!, settings: $0, games: config.games.count, T: config.unroll, B: config.batch)
    }
    levelReplay?.started(vec)
    descriptors = Dictionary(uniqueKeysWithValues: Catalog.entries.map { ($0.descriptor.name, $0.descriptor) })
    log = RunLog(runDirectory: runDirectory)
    // Entry 0: the first observations, marked as episode starts.
    unroll.storeObservations(vec, at: 0)
    for b in 0..<config.batch { unroll.dones[b] = 1 }
    if let group, ranks > 1 {
      learner.replicas = ranks
      learner.reduceGradients = { [unowned self] in
        let t0 = monotonicSeconds()
        group.barrier()
        let t1 = monotonicSeconds()
        group.sum($0, count: $1)
        timing.waitingForRanks += t1 - t0
        timing.reducing += monotonicSeconds() - t1
        timing.reductions += 1
      }
      // Identical by seed already; rank 0's copy makes it certain.
      group.broadcastFromRoot(agent.ps.values.ptr, count: agent.ps.count)
    }
  }

  /// Acts for T steps with the actor's weights, filling entries 1…T of `u` (entry 0 is the carried one).
  func collect(into u: Unroll) {
    let t0 = monotonicSeconds()
    for (s, a) in zip(u.startState, actor.state) { s.ptr.update(from: a.ptr, count: a.count) }
    let games = config.games
    for t in 0..<u.T {
      actor.step(vec, from: u.entry(t), to: u.entry(t + 1)) { b in
        tracker.record(game: games[b % games.count], episodeReturn: vec.infos[b].episodeReturn)
      }
    }
    actor.finishSteps()
    timing.acting += monotonicSeconds() - t0
  }

  /// One update from the unroll `u` (read only, apart from its start state, which the forward pass advances).
  func learn(from u: Unroll) {
    let t0 = monotonicSeconds()
    let B = u.B, T = u.T
    // Once λ has fallen to 0 it stays there: the teacher is no longer run.
    let weight = config.kickstart?.weight(atFrame: frames) ?? 0
    let guide = weight > 0 ? teachers.map { let l = $0.logits(u); return (l.logits, weight, l.guided) } : nil
    let stats = learner.update(u.input(0), reward: u.rewards.baseAddress!, done: u.dones.baseAddress!,
                               actions: u.actions.baseAddress!, behaviourLogits: u.logits.baseAddress!,
                               T: T, B: B, state: u.startState, valueErrors: levelReplay?.errors.baseAddress,
                               teacher: guide)
    levelReplay?.record(levels: u.levels.baseAddress!, dones: u.dones.baseAddress!, T: T, B: B)
    interval.loss += stats.loss.total
    interval.pg += stats.loss.pg
    interval.baseline += stats.loss.baseline
    interval.entropy += stats.loss.entropy
    interval.gradNorm += Double(stats.gradNorm)
    interval.updates += 1
    interval.distillation += stats.distillation
    frames += T * B * ranks
    if actor.agent === agent { actor.weightsChanged() }
    timing.learning += monotonicSeconds() - t0
  }

  /// The overlap actor's weights := the learner's (one memcpy of the flat buffer); the level-replay weights
  /// go to the envs at the same point, where no env is stepping.
  func copyWeightsToActor() {
    levelReplay?.push(to: vec)
    guard actor.agent !== agent else { return }
    actor.agent.ps.values.ptr.update(from: agent.ps.values.ptr, count: agent.ps.count)
    actor.weightsChanged()
  }

  /// `updates` updates in the sync loop, or fewer if `deadline` (monotonic seconds) passes first.
  func runSync(updates: Int, deadline: Double = .infinity, afterUpdate: () throws -> Void) rethrows {
    for _ in 0..<updates {
      copyWeightsToActor()
      collect(into: unroll)
      learn(from: unroll)
      unroll.carryLastEntry()
      try afterUpdate()
      if monotonicSeconds() >= deadline { return }
    }
  }

  /// `updates` ≥ 1 updates with acting and learning overlapped, or fewer if `deadline` passes first: fill
  /// (collect unroll 0), then per update collect unroll k on the actor thread while this thread learns from
  /// unroll k−1, meet, copy the new weights to the actor; drain (learn from the last unroll). Determinism:
  /// each side only writes its own buffers (the actor: its agent, state, sampler, envs, the unroll being
  /// filled and the episode tracker; the learner: its agent, optimiser and the start state of the unroll it
  /// reads), the barrier and the weight copy happen at fixed points, and the actor runs its loops on its own
  /// thread with the same split as the pool (`Parallel.inline`), so the numbers never depend on timing.
  func runOverlapped(updates: Int, deadline: Double = .infinity, afterUpdate: () throws -> Void) rethrows {
    precondition(unrolls.count == 2 && updates >= 1)
    copyWeightsToActor()
    var cur = current
    let t0 = monotonicSeconds()
    collect(into: unrolls[cur])
    timing.learnerWaited += monotonicSeconds() - t0
    var done = 1
    while done < updates && monotonicSeconds() < deadline {
      let next = 1 - cur
      unrolls[cur].copyEntry(unrolls[cur].T, to: unrolls[next], 0)
      let phase = monotonicSeconds()
      let actorSeconds = Box(0.0)
      let finished = DispatchSemaphore(value: 0)
      let job = UncheckedSendable { [self] in
        Parallel.inline {
          let a0 = monotonicSeconds()
          collect(into: unrolls[next])
          actorSeconds.value = monotonicSeconds() - a0
        }
        finished.signal()
      }
      let thread = Thread { job.value() }
      thread.name = "arcade-actor"
      thread.start()
      if learnerSharesPool { learn(from: unrolls[cur]) } else { Parallel.using(learnerPool) { learn(from: unrolls[cur]) } }
      let learned = monotonicSeconds()
      finished.wait()
      let met = monotonicSeconds()
      timing.learnerWaited += met - learned
      timing.actorWaited += max(0, (met - phase) - actorSeconds.value)
      copyWeightsToActor()
      cur = next
      done += 1
      try afterUpdate()
    }
    let d0 = monotonicSeconds()
    learn(from: unrolls[cur])
    timing.actorWaited += monotonicSeconds() - d0
    unrolls[cur].carryLastEntry()
    current = cur
    try afterUpdate()
  }

  /// Trains for about `seconds` (no logging, no checkpoints), for benchmarks. Returns the frames learned.
  @discardableResult
  public func train(seconds: Double) -> Int {
    let start = frames
    let deadline = monotonicSeconds() + seconds
    if config.trainPipeline == .overlap {
      runOverlapped(updates: Int.max, deadline: deadline) {}
    } else {
      runSync(updates: Int.max, deadline: deadline) {}
    }
    return frames - start
  }

  /// Trains until `config.frames` (or `stopAt`), checkpointing and logging on the way.
  public func run(stopAt: Int? = nil, progress: (String) -> Void) throws {
    let end = min(config.frames, stopAt ?? config.frames)
    intervalStart = (frames, monotonicSeconds())
    let runStart = intervalStart
    var nextLog = (frames / config.logEvery + 1) * config.logEvery
    var nextCheckpoint = (frames / config.checkpointEvery + 1) * config.checkpointEvery
    func afterUpdate() throws {
      guard frames >= nextLog || frames >= end else { return }
      let line = metricsLine()
      nextLog += config.logEvery
      guard rank == 0 else { return }
      try log.append(line)
      let fps = Double(frames - runStart.frames) / max(1e-9, monotonicSeconds() - runStart.time)
      progress(progressText(line, fps: fps, end: end))
    }
    let perUpdate = config.framesPerUpdate * ranks   // frames count every rank's envs
    while frames < end {
      // Up to the next checkpoint boundary (or the end): the pipeline is drained there.
      let updates = max(1, (min(nextCheckpoint, end) - frames + perUpdate - 1) / perUpdate)
      if config.trainPipeline == .overlap && updates > 1 {
        try runOverlapped(updates: updates, afterUpdate: afterUpdate)
      } else {
        try runSync(updates: updates, afterUpdate: afterUpdate)
      }
      if frames >= nextCheckpoint || frames >= end {
        try saveCheckpoint()
        nextCheckpoint += config.checkpointEvery
      }
    }
  }

  /// The interval's metrics; data parallel, a collective call: losses and episode returns are summed over
  /// the ranks (the gradient norm is the same on all of them).
  func metricsLine() -> MetricsLine {
    let now = monotonicSeconds()
    var sums = [interval.loss, interval.pg, interval.baseline, interval.entropy, Double(tracker.episodes)]
      + tracker.sums(games: config.distinctGames)
    if let group, ranks > 1 { group.sum(&sums, count: sums.count) }
    let s = EpisodeTracker.summary(sums: Array(sums[5...]), games: config.distinctGames, descriptors: descriptors, mode: config.mode)
    let episodes = Int(sums[4])
    let u = Double(max(1, interval.updates))
    var line = MetricsLine(
      frames: frames, seconds: now - intervalStart.time,
      framesPerSecond: Double(frames - intervalStart.frames) / max(1e-9, now - intervalStart.time),
      loss: sums[0] / u, policyLoss: sums[1] / u, baselineLoss: sums[2] / u,
      entropy: sums[3] / u, gradNorm: interval.gradNorm / u, episodes: episodes,
      returns: s.returns, normalised: s.normalised, meanNormalised: s.meanNormalised)
    if let k = config.kickstart, k.weight(atFrame: intervalStart.frames) > 0 { line.distillation = interval.distillation / u }
    tracker.clear()
    interval = (0, 0, 0, 0, 0, 0, 0)
    intervalStart = (frames, now)
    return line
  }

  func progressText(_ l: MetricsLine, fps: Double, end: Int) -> String {
    let eta = Double(end - frames) / max(fps, 1e-9)
    var s = "frames \(Fmt.count(Double(frames)))/\(Fmt.count(Double(end))) · \(Fmt.fixed(fps, 0)) f/s · ETA \(Fmt.duration(eta))"
    for g in config.distinctGames {
      if let r = l.returns[g] {
        s += " · \(g) \(Fmt.fixed(r, 2))"
        if let n = l.normalised[g] { s += " (\(Fmt.fixed(n, 2)))" }
      }
    }
    if let d = l.distillation { s += " · KL to teacher \(Fmt.fixed(d, 3))" }
    if let r = levelReplay?.seenCount { s += " · levels seen \(r.seen)/\(r.levels)" }
    return s + " · episodes \(l.episodes)"
  }
}

/// A value the actor thread fills in and the learner thread reads after the barrier.
final class Box<T>: @unchecked Sendable {
  var value: T
  init(_ v: T) { value = v }
}

/// Hands a closure to another thread; the trainer's barrier orders every access it makes.
struct UncheckedSendable<T>: @unchecked Sendable {
  let value: T
  init(_ v: T) { value = v }
}
