import ArcadeThreads

/// Which observations a vector env writes each step.
public struct ObservationKinds: OptionSet, Sendable {
  public let rawValue: Int
  public init(rawValue: Int) { self.rawValue = rawValue }
  public static let rgb = ObservationKinds(rawValue: 1)
  public static let grid = ObservationKinds(rawValue: 2)
}

/// N envs stepped together into contiguous batch buffers, with automatic
/// reset and worker threads. Env i runs game i mod k (multi-task) and samples
/// its levels from its own stream, so results are bit-identical for any
/// thread count. Stepping allocates nothing.
public final class VecEnv: @unchecked Sendable {
  public let envs: [any Environment]
  public let observations: ObservationKinds
  public let threads: Int
  /// The env's own persistent workers (nil with one thread).
  let pool: WorkerPool?
  /// Grid shape shared by the batch: the largest channels, height and width
  /// of its games; smaller grids sit in the top-left corner, zero-padded.
  public let gridShape: (channels: Int, height: Int, width: Int)

  /// [N, 64, 64, 3] bytes.
  public let rgb: UnsafeMutableBufferPointer<UInt8>
  /// [N, C, H, W] floats.
  public let grid: UnsafeMutableBufferPointer<Float>
  /// Observations of the envs whose episode ended on the last step, before
  /// their automatic reset (valid where `terminated` or `truncated` is set).
  public let finalRGB: UnsafeMutableBufferPointer<UInt8>
  public let finalGrid: UnsafeMutableBufferPointer<Float>
  public let rewards: UnsafeMutableBufferPointer<Float>
  public let terminated: UnsafeMutableBufferPointer<UInt8>
  public let truncated: UnsafeMutableBufferPointer<UInt8>
  /// Per-env info of the last step.
  public let infos: UnsafeMutableBufferPointer<StepInfo>
  let scratch: [UnsafeMutableBufferPointer<Float>]

  public var count: Int { envs.count }
  public static let frameBytes = 64 * 64 * 3

  /// Envs for `games` (env i runs `games[i % games.count]`). `firstEnvIndex` f makes them envs f…f+count−1 of
  /// a larger batch (their games and level-sampler streams), for one process of a data-parallel run.
  public convenience init(
    games: [String], count: Int, options: GameOptions = GameOptions(), levels: LevelOptions = LevelOptions(),
    observations: ObservationKinds = [.rgb], threads: Int = 1, gridShape: [Int]? = nil, firstEnvIndex: Int = 0,
    make: (EnvConfig) throws -> any Environment
  ) throws {
    guard !games.isEmpty else { throw ArcadeError("a vector env needs at least one game") }
    guard count >= 1 else { throw ArcadeError("a vector env needs at least one env, got \(count)") }
    var envs: [any Environment] = []
    for i in firstEnvIndex..<(firstEnvIndex + count) {
      envs.append(try make(EnvConfig(game: games[i % games.count], options: options, levels: levels, envIndex: i)))
    }
    var shape: (channels: Int, height: Int, width: Int)?
    if let g = gridShape {
      let own = VecEnv.batchGridShape(envs)
      guard g.count == 3, g[0] >= own.channels, g[1] >= own.height, g[2] >= own.width else {
        throw ArcadeError("grids of shape \(g) cannot hold these games' grids \([own.channels, own.height, own.width])")
      }
      shape = (g[0], g[1], g[2])
    }
    self.init(envs: envs, observations: observations, threads: threads, gridShape: shape)
  }

  /// Storage the caller owns (e.g. numpy arrays); sizes as the properties above.
  public struct ExternalBuffers {
    public var rgb, finalRGB: UnsafeMutablePointer<UInt8>?
    public var grid, finalGrid: UnsafeMutablePointer<Float>?
    public var rewards: UnsafeMutablePointer<Float>
    public var terminated, truncated: UnsafeMutablePointer<UInt8>
    public init(rgb: UnsafeMutablePointer<UInt8>?, finalRGB: UnsafeMutablePointer<UInt8>?,
                grid: UnsafeMutablePointer<Float>?, finalGrid: UnsafeMutablePointer<Float>?,
                rewards: UnsafeMutablePointer<Float>, terminated: UnsafeMutablePointer<UInt8>,
                truncated: UnsafeMutablePointer<UInt8>) {
      self.rgb = rgb; self.finalRGB = finalRGB; self.grid = grid; self.finalGrid = finalGrid
      self.rewards = rewards; self.terminated = terminated; self.truncated = truncated
    }
  }
  let ownsBuffers: Bool

  /// The grid shape a batch of these envs shares.
  public static func batchGridShape(_ envs: [any Environment]) -> (channels: Int, height: Int, width: Int) {
    (envs.map(\.gridShape.channels).max()!, envs.map(\.gridShape.height).max()!, envs.map(\.gridShape.width).max()!)
  }

  /// A vector env writing into caller-owned buffers (the C ABI's zero-copy path).
  public init(envs: [any Environment], observations: ObservationKinds, threads: Int, buffers b: ExternalBuffers) {
    precondition(!envs.isEmpty)
    self.envs = envs
    self.observations = observations
    self.threads = max(1, min(threads, envs.count))
    pool = self.threads > 1 ? WorkerPool(threads: self.threads) : nil
    gridShape = VecEnv.batchGridShape(envs)
    let n = envs.count, g = gridShape.channels * gridShape.height * gridShape.width
    let frames = observations.contains(.rgb) ? n * VecEnv.frameBytes : 0
    let grids = observations.contains(.grid) ? n * g : 0
    rgb = UnsafeMutableBufferPointer(start: b.rgb, count: b.rgb == nil ? 0 : frames)
    finalRGB = UnsafeMutableBufferPointer(start: b.finalRGB, count: b.finalRGB == nil ? 0 : frames)
    grid = UnsafeMutableBufferPointer(start: b.grid, count: b.grid == nil ? 0 : grids)
    finalGrid = UnsafeMutableBufferPointer(start: b.finalGrid, count: b.finalGrid == nil ? 0 : grids)
    rewards = UnsafeMutableBufferPointer(start: b.rewards, count: n)
    terminated = UnsafeMutableBufferPointer(start: b.terminated, count: n)
    truncated = UnsafeMutableBufferPointer(start: b.truncated, count: n)
    ownsBuffers = false
    scratch = VecEnv.makeScratch(envs, observations)
    infos = VecEnv.makeInfos(envs)
    for i in 0..<n { writeObservation(i, final: false) }
  }

  static func makeScratch(_ envs: [any Environment], _ kinds: ObservationKinds) -> [UnsafeMutableBufferPointer<Float>] {
    envs.map { e in
      let s = e.gridShape
      let p = UnsafeMutableBufferPointer<Float>.allocate(capacity: kinds.contains(.grid) ? s.channels * s.height * s.width : 0)
      p.initialize(repeating: 0)
      return p
    }
  }

  static func makeInfos(_ envs: [any Environment]) -> UnsafeMutableBufferPointer<StepInfo> {
    let infos = UnsafeMutableBufferPointer<StepInfo>.allocate(capacity: envs.count)
    for i in 0..<envs.count {
      let seed = envs[i].levelSeed
      infos.initializeElement(at: i, to: StepInfo(
        levelSeed: seed, prevLevelSeed: seed, prevLevelComplete: false, episodeReturn: 0, episodeLength: 0))
    }
    return infos
  }

  /// `gridShape`, when given, must hold every env's grid (e.g. an agent's shape, trained on more games).
  public init(envs: [any Environment], observations: ObservationKinds, threads: Int,
              gridShape: (channels: Int, height: Int, width: Int)? = nil) {
    precondition(!envs.isEmpty)
    self.envs = envs
    self.observations = observations
    self.threads = max(1, min(threads, envs.count))
    pool = self.threads > 1 ? WorkerPool(threads: self.threads) : nil
    let own = VecEnv.batchGridShape(envs)
    let shape = gridShape ?? own
    precondition(shape.channels >= own.channels && shape.height >= own.height && shape.width >= own.width)
    self.gridShape = shape
    let (c, h, w) = shape
    let n = envs.count
    func bytes(_ k: Int) -> UnsafeMutableBufferPointer<UInt8> {
      let p = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: k); p.initialize(repeating: 0); return p
    }
    func floats(_ k: Int) -> UnsafeMutableBufferPointer<Float> {
      let p = UnsafeMutableBufferPointer<Float>.allocate(capacity: k); p.initialize(repeating: 0); return p
    }
    let frames = observations.contains(.rgb) ? n * VecEnv.frameBytes : 0
    let grids = observations.contains(.grid) ? n * c * h * w : 0
    rgb = bytes(frames); finalRGB = bytes(frames)
    grid = floats(grids); finalGrid = floats(grids)
    rewards = floats(n); terminated = bytes(n); truncated = bytes(n)
    ownsBuffers = true
    scratch = VecEnv.makeScratch(envs, observations)
    infos = VecEnv.makeInfos(envs)
    for i in 0..<n { writeObservation(i, final: false) }
  }

  deinit {
    if ownsBuffers {
      for p in [rgb, finalRGB, terminated, truncated] { p.deallocate() }
      for p in [grid, finalGrid, rewards] { p.deallocate() }
    }
    for p in scratch { p.deallocate() }
    infos.deallocate()
  }

  /// Every env samples its next levels from `seeds` (see `Environment.setLevelSeeds`); call `reset`
  /// to start them now.
  public func setLevelSeeds(_ seeds: [UInt32]?, weights: [Double]? = nil) throws {
    for e in envs { try e.setLevelSeeds(seeds, weights: weights) }
  }

  /// New weights for every env's seed list, from each env's next level on.
  public func setLevelWeights(_ weights: [Double]?) throws {
    for e in envs { try e.setLevelWeights(weights) }
  }

  /// Resets every env to its sampler's next level (or to `levelSeeds[i]`).
  public func reset(levelSeeds: [UInt32]? = nil) {
    for i in 0..<count {
      envs[i].reset(levelSeed: levelSeeds?[i])
      refreshObservation(i)
    }
  }

  /// Steps env i with `actions[i]`; ended episodes are reset automatically.
  /// Envs with `skip[i] != 0` are not stepped: they keep their observation, get reward 0, no episode
  /// end, and a fresh episode's info (Gymnasium's next-step autoreset: the step after an episode ended
  /// only shows the reset observation).
  public func step(_ actions: UnsafeBufferPointer<Int32>, skipping skip: UnsafePointer<UInt8>? = nil) {
    precondition(actions.count >= count, "one action per env")
    if threads == 1 {
      stepRange(0..<count, actions, skip)
      return
    }
    let chunks = threads, n = count
    pool!.run { k in self.stepRange((k * n / chunks)..<((k + 1) * n / chunks), actions, skip) }
  }

  /// Convenience for callers holding an array.
  public func step(_ actions: [Int32]) {
    actions.withUnsafeBufferPointer { step($0) }
  }

  func stepRange(_ range: Range<Int>, _ actions: UnsafeBufferPointer<Int32>, _ skip: UnsafePointer<UInt8>?) {
    for i in range {
      let env = envs[i]
      if let skip, skip[i] != 0 {
        rewards[i] = 0; terminated[i] = 0; truncated[i] = 0
        infos[i] = StepInfo(levelSeed: env.levelSeed, prevLevelSeed: env.levelSeed, prevLevelComplete: false,
                            episodeReturn: env.episodeReturn, episodeLength: env.stepCount)
        continue
      }
      var r = env.step(Action(Int(actions[i])))
      rewards[i] = r.reward
      terminated[i] = r.terminated ? 1 : 0
      truncated[i] = r.truncated ? 1 : 0
      if r.done {
        writeObservation(i, final: true)
        env.reset(levelSeed: nil)
        r.info.levelSeed = env.levelSeed
      }
      infos[i] = r.info
      writeObservation(i, final: false)
    }
  }

  /// Rewrites env i's observation after it was changed from outside (restore, reset).
  public func refreshObservation(_ i: Int) {
    let e = envs[i]
    infos[i] = StepInfo(levelSeed: e.levelSeed, prevLevelSeed: e.levelSeed, prevLevelComplete: false,
                        episodeReturn: e.episodeReturn, episodeLength: e.stepCount)
    writeObservation(i, final: false)
  }

  func writeObservation(_ i: Int, final: Bool) {
    let env = envs[i]
    if observations.contains(.rgb), let out = (final ? finalRGB : rgb).baseAddress {
      env.renderRGB(into: out + i * VecEnv.frameBytes)
    }
    if observations.contains(.grid), let out = (final ? finalGrid : grid).baseAddress {
      let g = gridShape
      let local = scratch[i]
      env.encodeGrid(into: local)
      VecEnv.padGrid(UnsafePointer(local.baseAddress!), shape: env.gridShape, into: out + i * g.channels * g.height * g.width, shape: g)
    }
  }

  /// Copies one grid observation of shape `s` into `dst` of the (at least as large) shape `g`: the grid
  /// in the top-left corner of each channel, zeros elsewhere. The one place where grids are padded (the
  /// vector env's batch, and agents reading envs of several games).
  public static func padGrid(_ src: UnsafePointer<Float>, shape s: (channels: Int, height: Int, width: Int),
                             into dst: UnsafeMutablePointer<Float>, shape g: (channels: Int, height: Int, width: Int)) {
    precondition(s.channels <= g.channels && s.height <= g.height && s.width <= g.width, "grid \(s) does not fit \(g)")
    if s == g {
      dst.update(from: src, count: s.channels * s.height * s.width)
      return
    }
    dst.update(repeating: 0, count: g.channels * g.height * g.width)
    for c in 0..<s.channels {
      for y in 0..<s.height {
        (dst + (c * g.height + y) * g.width).update(from: src + (c * s.height + y) * s.width, count: s.width)
      }
    }
  }
}
