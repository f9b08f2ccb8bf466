import ArcadeCore
import ArcadeGames

// The C ABI over the game suite (declared in include/procarcade.h). Every
// entry point validates its arguments and reports errors as status codes
// with a message; none may trap, since a trap would kill the host process.
// Handles are looked up in `handles` (HandleTable.swift), never dereferenced,
// and each call holds its env's lock (CEnv.swift).

/// Copies `s` into a C buffer (NUL-terminated when it fits); returns its UTF-8 length.
func copyOut(_ s: String, _ buf: UnsafeMutablePointer<CChar>?, _ len: Int32) -> Int32 {
  let bytes = Array(s.utf8)
  if let buf, len > 0 {
    let n = min(bytes.count, Int(len) - 1)
    for i in 0..<n { buf[i] = CChar(bitPattern: bytes[i]) }
    buf[n] = 0
  }
  return Int32(bytes.count)
}

// 2: handles are table entries (stale ones are errors), pa_destroy returns a status.
@_cdecl("pa_abi_version") public func pa_abi_version() -> Int32 { 3 }

@_cdecl("pa_game_count") public func pa_game_count() -> Int32 { Int32(Catalog.entries.count) }

@_cdecl("pa_game_info")
public func pa_game_info(_ i: Int32, _ buf: UnsafeMutablePointer<CChar>?, _ len: Int32) -> Int32 {
  guard i >= 0, Int(i) < Catalog.entries.count else { return -1 }
  return copyOut(GameInfoJSON.describe(Catalog.entries[Int(i)]), buf, len)
}

@_cdecl("pa_create")
public func pa_create(
  _ games: UnsafePointer<CChar>?, _ num: Int32, _ mode: UnsafePointer<CChar>?, _ numLevels: Int32,
  _ startLevel: Int32, _ randSeed: UInt64, _ sequential: Int32, _ centerAgent: Int32, _ monochrome: Int32,
  _ observations: Int32, _ threads: Int32, _ err: UnsafeMutablePointer<CChar>?, _ errLen: Int32
) -> OpaquePointer? {
  do {
    guard let games, let mode else { throw ArcadeError("games and mode must not be NULL") }
    let names = String(cString: games).split(separator: ",").map(String.init)
    guard !names.isEmpty else { throw ArcadeError("no game given") }
    guard num >= 1 && num <= 65536 else { throw ArcadeError("num must be in 1...65536, got \(num)") }
    guard (0...3).contains(observations) else { throw ArcadeError("observations must be in 0...3, got \(observations)") }
    // Each thread is a real worker thread: a typo must not start thousands.
    guard threads <= 256 else { throw ArcadeError("threads must be at most 256, got \(threads)") }
    guard let m = DistributionMode(rawValue: String(cString: mode)) else {
      throw ArcadeError("unknown mode '\(String(cString: mode))'")
    }
    let options = GameOptions(mode: m, centerAgent: centerAgent != 0, monochrome: monochrome != 0)
    let levels = LevelOptions(numLevels: Int(numLevels), startLevel: Int(startLevel),
                              useSequentialLevels: sequential != 0, randSeed: randSeed)
    var envs: [any Environment] = []
    for i in 0..<Int(num) {
      envs.append(try Catalog.make(EnvConfig(game: names[i % names.count], options: options, levels: levels, envIndex: i)))
    }
    let kinds = ObservationKinds(rawValue: Int(observations))
    let env = CEnv(envs: envs, observations: kinds, threads: max(1, Int(threads)))
    return handles.withLock { $0.insert(env) }
  } catch {
    _ = copyOut("\(error)", err, errLen)
    return nil
  }
}

/// Removes the handle first (new calls fail), then waits for the call in
/// flight; the env is freed when the last of them lets go of it.
@_cdecl("pa_destroy")
public func pa_destroy(_ p: OpaquePointer?) -> Int32 {
  guard let env = handles.withLock({ $0.remove(p) }) else { return -1 }
  env.lock.withLock { _ in
    env.destroyed = true
    env.vec = nil
  }
  return 0
}

@_cdecl("pa_num_envs")
public func pa_num_envs(_ p: OpaquePointer?) -> Int32 {
  withEnv(p) { env in Int32(env.envs.count) }
}

@_cdecl("pa_grid_shape")
public func pa_grid_shape(_ p: OpaquePointer?, _ chw: UnsafeMutablePointer<Int32>?) -> Int32 {
  withEnv(p) { env in
    guard let chw else { return env.fail("chw must not be NULL") }
    let s = VecEnv.batchGridShape(env.envs)
    chw[0] = Int32(s.channels); chw[1] = Int32(s.height); chw[2] = Int32(s.width)
    return 0
  }
}

@_cdecl("pa_set_buffers")
public func pa_set_buffers(
  _ p: OpaquePointer?, _ rgb: UnsafeMutablePointer<UInt8>?, _ finalRGB: UnsafeMutablePointer<UInt8>?,
  _ grid: UnsafeMutablePointer<Float>?, _ finalGrid: UnsafeMutablePointer<Float>?,
  _ rewards: UnsafeMutablePointer<Float>?, _ terminated: UnsafeMutablePointer<UInt8>?,
  _ truncated: UnsafeMutablePointer<UInt8>?
) -> Int32 {
  withEnv(p) { env in
    guard let rewards, let terminated, let truncated else { return env.fail("rewards, terminated and truncated are required") }
    if env.observations.contains(.rgb) && (rgb == nil || finalRGB == nil) { return env.fail("rgb buffers are required") }
    if env.observations.contains(.grid) && (grid == nil || finalGrid == nil) { return env.fail("grid buffers are required") }
    env.vec = VecEnv(envs: env.envs, observations: env.observations, threads: env.threads, buffers: .init(
      rgb: rgb, finalRGB: finalRGB, grid: grid, finalGrid: finalGrid, rewards: rewards, terminated: terminated,
      truncated: truncated))
    return 0
  }
}

func withVec(_ p: OpaquePointer?, _ body: (CEnv, VecEnv) -> Int32) -> Int32 {
  withEnv(p) { env in
    guard let vec = env.vec else { return env.fail("call pa_set_buffers first") }
    return body(env, vec)
  }
}

func checkSeed(_ env: CEnv, _ seed: Int64) -> Int32? {
  seed < Int64(Int32.max) ? nil : env.fail("level seed \(seed) is not below 2147483647")
}

@_cdecl("pa_reset")
public func pa_reset(_ p: OpaquePointer?, _ seeds: UnsafePointer<Int64>?) -> Int32 {
  withVec(p) { env, vec in
    for i in 0..<vec.count {
      let s = seeds?[i] ?? -1
      if let e = checkSeed(env, s) { return e }
      vec.envs[i].reset(levelSeed: s >= 0 ? UInt32(s) : nil)
      vec.refreshObservation(i)
    }
    return 0
  }
}

@_cdecl("pa_reset_one")
public func pa_reset_one(_ p: OpaquePointer?, _ i: Int32, _ seed: Int64) -> Int32 {
  withVec(p) { env, vec in
    guard i >= 0, Int(i) < vec.count else { return env.fail("env index \(i) out of range") }
    if let e = checkSeed(env, seed) { return e }
    vec.envs[Int(i)].reset(levelSeed: seed >= 0 ? UInt32(seed) : nil)
    vec.refreshObservation(Int(i))
    return 0
  }
}

@_cdecl("pa_set_level_seeds")
public func pa_set_level_seeds(_ p: OpaquePointer?, _ seeds: UnsafePointer<UInt32>?, _ weights: UnsafePointer<Double>?,
                               _ count: Int32) -> Int32 {
  withEnv(p) { env in
    guard count >= 0, count <= 100_000_000 else { return env.fail("level seed count \(count) is out of range 0...100000000") }
    guard seeds != nil || weights == nil else { return env.fail("level weights need level seeds") }
    let list = seeds.map { Array(UnsafeBufferPointer(start: $0, count: Int(count))) }
    let w = weights.map { Array(UnsafeBufferPointer(start: $0, count: Int(count))) }
    do {
      for e in env.envs { try e.setLevelSeeds(list, weights: w) }
    } catch {
      return env.fail("\(error)")
    }
    return 0
  }
}

@_cdecl("pa_set_level_weights")
public func pa_set_level_weights(_ p: OpaquePointer?, _ weights: UnsafePointer<Double>?, _ count: Int32) -> Int32 {
  withEnv(p) { env in
    guard count >= 0, count <= 100_000_000 else { return env.fail("level weight count \(count) is out of range") }
    let w = weights.map { Array(UnsafeBufferPointer(start: $0, count: Int(count))) }
    do {
      for e in env.envs { try e.setLevelWeights(w) }
    } catch {
      return env.fail("\(error)")
    }
    return 0
  }
}

@_cdecl("pa_reseed")
public func pa_reseed(_ p: OpaquePointer?, _ i: Int32, _ randSeed: UInt64) -> Int32 {
  withEnv(p) { env in
    guard i >= 0, Int(i) < env.envs.count else { return env.fail("env index \(i) out of range") }
    env.envs[Int(i)].reseedLevels(randSeed: randSeed)
    return 0
  }
}

@_cdecl("pa_step")
public func pa_step(_ p: OpaquePointer?, _ actions: UnsafePointer<Int32>?) -> Int32 {
  pa_step_skipping(p, actions, nil)
}

@_cdecl("pa_step_skipping")
public func pa_step_skipping(_ p: OpaquePointer?, _ actions: UnsafePointer<Int32>?, _ skip: UnsafePointer<UInt8>?) -> Int32 {
  withVec(p) { env, vec in
    guard let actions else { return env.fail("actions must not be NULL") }
    for i in 0..<vec.count where !(0..<15).contains(actions[i]) && skip.map({ $0[i] == 0 }) ?? true {
      return env.fail("action \(actions[i]) of env \(i) is not in 0...14")
    }
    vec.step(UnsafeBufferPointer(start: actions, count: vec.count), skipping: skip)
    return 0
  }
}

@_cdecl("pa_infos")
public func pa_infos(
  _ p: OpaquePointer?, _ levelSeed: UnsafeMutablePointer<Int64>?, _ prevLevelSeed: UnsafeMutablePointer<Int64>?,
  _ prevComplete: UnsafeMutablePointer<UInt8>?, _ episodeReturn: UnsafeMutablePointer<Float>?,
  _ episodeLength: UnsafeMutablePointer<Int32>?
) -> Int32 {
  withVec(p) { _, vec in
    for i in 0..<vec.count {
      let info = vec.infos[i]
      levelSeed?[i] = Int64(info.levelSeed)
      prevLevelSeed?[i] = Int64(info.prevLevelSeed)
      prevComplete?[i] = info.prevLevelComplete ? 1 : 0
      episodeReturn?[i] = info.episodeReturn
      episodeLength?[i] = Int32(clamping: info.episodeLength)
    }
    return 0
  }
}

@_cdecl("pa_glyphs")
public func pa_glyphs(_ p: OpaquePointer?, _ i: Int32, _ buf: UnsafeMutablePointer<CChar>?, _ len: Int32) -> Int32 {
  withEnv(p) { env in
    guard i >= 0, Int(i) < env.envs.count else { return env.fail("env index \(i) out of range") }
    return copyOut(env.envs[Int(i)].glyphs().text(), buf, len)
  }
}

@_cdecl("pa_get_state")
public func pa_get_state(_ p: OpaquePointer?, _ i: Int32, _ buf: UnsafeMutablePointer<UInt8>?, _ len: Int32) -> Int32 {
  withEnv(p) { env in
    guard i >= 0, Int(i) < env.envs.count else { return env.fail("env index \(i) out of range") }
    let bytes = env.envs[Int(i)].saveState()
    if let buf, Int(len) >= bytes.count {
      for (k, b) in bytes.enumerated() { buf[k] = b }
    }
    return Int32(bytes.count)
  }
}

@_cdecl("pa_set_state")
public func pa_set_state(_ p: OpaquePointer?, _ i: Int32, _ buf: UnsafePointer<UInt8>?, _ len: Int32) -> Int32 {
  withEnv(p) { env in
    guard i >= 0, Int(i) < env.envs.count else { return env.fail("env index \(i) out of range") }
    guard let buf, len >= 0 else { return env.fail("state buffer must not be NULL") }
    do {
      try env.envs[Int(i)].restoreState(Array(UnsafeBufferPointer(start: buf, count: Int(len))))
    } catch {
      return env.fail("\(error)")
    }
    env.vec?.refreshObservation(Int(i))
    return 0
  }
}

@_cdecl("pa_last_error")
public func pa_last_error(_ p: OpaquePointer?, _ buf: UnsafeMutablePointer<CChar>?, _ len: Int32) -> Int32 {
  let n = withEnv(p) { env in copyOut(env.lastError, buf, len) }
  return n >= 0 ? n : copyOut("invalid handle (destroyed, stale or never created)", buf, len)
}
