import ArcadeCore
import ArcadeGames
import ArcadeNN
import ArcadeTensor
import Foundation

/// Synchronous IMPALA on a multi-game vector env: B envs (env i plays game
/// i mod k) act with the current policy for T steps, then one V-trace update
/// over the unroll with full backpropagation through time. Recurrent state is
/// carried between unrolls and reset at episode ends. Everything the run
/// needs to continue exactly is in its checkpoint.
public final class Trainer {
  public let config: TrainConfig
  public let runDirectory: String
  let vec: VecEnv
  let agent: RLAgent
  let learner: ImpalaLearner
  let unroll: Unroll
  var actionRNG: PCG32
  var actingState: [Buffer]
  var startState: [Buffer]
  public internal(set) var frames = 0
  var tracker = EpisodeTracker()
  var interval = (loss: 0.0, pg: 0.0, baseline: 0.0, entropy: 0.0, gradNorm: 0.0, updates: 0)
  var intervalStart = (frames: 0, time: 0.0)
  let descriptors: [String: GameDescriptor]
  let log: RunLog

  public static let checkpointName = "checkpoint.safetensors"
  public var checkpointPath: String { runDirectory + "/" + Trainer.checkpointName }

  public init(config: TrainConfig, runDirectory: String) throws {
    try config.validate(knownGames: Catalog.names)
    self.config = config
    self.runDirectory = runDirectory
    try FileManager.default.createDirectory(atPath: runDirectory, withIntermediateDirectories: true)
    Parallel.configure(threads: config.threads)
    let kinds: ObservationKinds = config.obs == "rgb" ? [.rgb] : [.grid]
    vec = try VecEnv(games: config.games, count: config.batch, options: GameOptions(mode: config.mode),
                     levels: LevelOptions(numLevels: config.numLevels, startLevel: config.startLevel,
                                          randSeed: config.seed),
                     observations: kinds, threads: 1, make: Catalog.make)
    let g = vec.gridShape
    agent = RLAgent(AgentFactory.agentConfig(config, gridShape: g), seed: config.seed)
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
    let obsSize = config.obs == "rgb" ? VecEnv.frameBytes : g.channels * g.height * g.width
    unroll = Unroll(T: config.unroll, B: config.batch, A: 15, obsSize: obsSize, isRGB: config.obs == "rgb")
    actionRNG = PCG32(seed: splitMix64(config.seed ^ 0xAC7), stream: 11)
    actingState = agent.initialState(batch: config.batch)
    startState = agent.initialState(batch: config.batch)
    descriptors = Dictionary(uniqueKeysWithValues: Catalog.entries.map { ($0.descriptor.name, $0.descriptor) })
    log = RunLog(runDirectory: runDirectory)
    // Entry 0: the first observations, marked as episode starts.
    unroll.storeObservations(vec, at: 0)
    for b in 0..<config.batch { unroll.dones[b] = 1 }
  }

  /// Acts for T steps with the current policy, filling entries 1…T.
  func collect() {
    let B = unroll.B, A = unroll.A
    for b in 0..<actingState.count { startState[b].ptr.update(from: actingState[b].ptr, count: actingState[b].count) }
    var actions = [Int32](repeating: 4, count: B)
    for t in 0..<unroll.T {
      let (logits, _) = agent.forward(unroll.input(t), reward: unroll.rewards.baseAddress! + t * B,
                                      done: unroll.dones.baseAddress! + t * B, T: 1, B: B, state: actingState)
      for b in 0..<B {
        let a = ActionSampler.sample(logits + b * A, count: A, rng: &actionRNG)
        actions[b] = Int32(a)
        unroll.actions[(t + 1) * B + b] = a
        for k in 0..<A { unroll.logits[((t + 1) * B + b) * A + k] = logits[b * A + k] }
      }
      vec.step(actions)
      unroll.storeObservations(vec, at: t + 1)
      for b in 0..<B {
        let done = vec.terminated[b] != 0 || vec.truncated[b] != 0
        unroll.rewards[(t + 1) * B + b] = vec.rewards[b]
        unroll.dones[(t + 1) * B + b] = done ? 1 : 0
        if done { tracker.record(game: config.games[b % config.games.count], episodeReturn: vec.infos[b].episodeReturn) }
      }
    }
  }

  /// One update over the collected unroll.
  func learn() {
    let B = unroll.B, T = unroll.T
    let stats = learner.update(unroll.input(0), reward: unroll.rewards.baseAddress!, done: unroll.dones.baseAddress!,
                               actions: unroll.actions, behaviourLogits: unroll.logits.baseAddress!,
                               T: T, B: B, state: startState)
    interval.loss += stats.loss.total
    interval.pg += stats.loss.pg
    interval.baseline += stats.loss.baseline
    interval.entropy += stats.loss.entropy
    interval.gradNorm += Double(stats.gradNorm)
    interval.updates += 1
    unroll.carryLastEntry()
    frames += T * B
  }

  /// Trains until `config.frames` (or `stopAt`), checkpointing and logging on the way.
  public func run(stopAt: Int? = nil, progress: (String) -> Void) throws {
    let end = min(config.frames, stopAt ?? config.frames)
    intervalStart = (frames, monotonicSeconds())
    let runStart = intervalStart
    var nextLog = (frames / config.logEvery + 1) * config.logEvery
    var nextCheckpoint = (frames / config.checkpointEvery + 1) * config.checkpointEvery
    while frames < end {
      collect()
      learn()
      if frames >= nextLog || frames >= end {
        let line = metricsLine()
        try log.append(line)
        let fps = Double(frames - runStart.frames) / max(1e-9, monotonicSeconds() - runStart.time)
        progress(progressText(line, fps: fps, end: end))
        nextLog += config.logEvery
      }
      if frames >= nextCheckpoint || frames >= end {
        try saveCheckpoint()
        nextCheckpoint += config.checkpointEvery
      }
    }
  }

  func metricsLine() -> MetricsLine {
    let now = monotonicSeconds()
    let s = tracker.summary(games: config.games, descriptors: descriptors, mode: config.mode)
    let u = Double(max(1, interval.updates))
    let line = MetricsLine(
      frames: frames, seconds: now - intervalStart.time,
      framesPerSecond: Double(frames - intervalStart.frames) / max(1e-9, now - intervalStart.time),
      loss: interval.loss / u, policyLoss: interval.pg / u, baselineLoss: interval.baseline / u,
      entropy: interval.entropy / u, gradNorm: interval.gradNorm / u, episodes: tracker.episodes,
      returns: s.returns, normalised: s.normalised, meanNormalised: s.meanNormalised)
    tracker.clear()
    interval = (0, 0, 0, 0, 0, 0)
    intervalStart = (frames, now)
    return line
  }

  func progressText(_ l: MetricsLine, fps: Double, end: Int) -> String {
    let eta = Double(end - frames) / max(fps, 1e-9)
    var s = "frames \(Fmt.count(Double(frames)))/\(Fmt.count(Double(end))) · \(Fmt.fixed(fps, 0)) f/s · ETA \(Fmt.duration(eta))"
    for g in config.games {
      if let r = l.returns[g] {
        s += " · \(g) \(Fmt.fixed(r, 2))"
        if let n = l.normalised[g] { s += " (\(Fmt.fixed(n, 2)))" }
      }
    }
    return s + " · episodes \(l.episodes)"
  }
}
