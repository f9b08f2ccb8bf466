import ArcadeCore

/// Prioritized Level Replay in the trainer: one `LevelReplay` per game of the run (env b plays game b mod k,
/// and a level's score means something only for its game). After each update the learner's value errors
/// v_s − V(x_s) (V-trace target minus value estimate) of the unroll are summed per env and episode; an
/// episode's mean absolute error becomes its level's score when it ends (episodes span unrolls, so the
/// running sums carry over). `push` hands the new weights to the envs' samplers; the trainer calls it only
/// where no env is stepping (before a collection), so the level sequence is a function of the seed.
/// Under MPI every rank keeps its own replay state, from its own envs' episodes.
final class LevelReplayTracker {
  private(set) var games: [LevelReplay]
  /// Sum of |v_s − V(x_s)| and steps so far of each env's current episode.
  private(set) var running: [(sum: Double, steps: Int)]
  /// The learner writes v_s − V(x_s) here, [T, B].
  let errors: UnsafeMutableBufferPointer<Float>
  /// Games whose weights changed since the last push.
  var stale: [Bool]

  init(seeds: [UInt32], settings: LevelReplaySettings, games: Int, T: Int, B: Int) {
    self.games = Array(repeating: LevelReplay(seeds: seeds, settings: settings), count: games)
    running = Array(repeating: (0, 0), count: B)
    errors = .allocate(capacity: T * B)
    errors.initialize(repeating: 0)
    stale = Array(repeating: true, count: games)
  }

  deinit { errors.deallocate() }

  /// The envs' first episodes (a new run).
  func started(_ vec: VecEnv) {
    for b in 0..<vec.count { games[b % games.count].sampled(vec.envs[b].levelSeed) }
  }

  /// Scores from one learned unroll: `levels`, `dones` are its (T+1)×B entries, `errors` holds the update's
  /// value errors. Entry s+1 done means the episode of entry s ended there and entry s+1 starts a new one.
  func record(levels: UnsafePointer<UInt32>, dones: UnsafePointer<Float>, T: Int, B: Int) {
    let k = games.count
    for s in 0..<T {
      for b in 0..<B {
        let i = s * B + b
        running[b].sum += Double(abs(errors[i]))
        running[b].steps += 1
        guard dones[i + B] != 0 else { continue }
        games[b % k].scored(levels[i], running[b].sum / Double(running[b].steps))
        games[b % k].sampled(levels[i + B])
        running[b] = (0, 0)
        stale[b % k] = true
      }
    }
  }

  /// Every env samples its next levels from its game's current weights.
  func push(to vec: VecEnv) {
    let k = games.count
    for g in 0..<k where stale[g] {
      let w = games[g].weights()
      // weights() is a distribution (non-negative, sums to 1), which setLevelWeights always accepts.
      for b in stride(from: g, to: vec.count, by: k) { try! vec.envs[b].setLevelWeights(w) }
      stale[g] = false
    }
  }

  /// Replaces one game's state (tests).
  func setState(_ r: LevelReplay, game g: Int) {
    games[g] = r
    stale[g] = true
  }

  /// Levels seen (an episode finished on them) over all games, and the levels there are.
  var seenCount: (seen: Int, levels: Int) {
    (games.reduce(0) { $0 + $1.seenCount }, games.reduce(0) { $0 + $1.seeds.count })
  }

  // MARK: checkpoint

  func tensors() -> [(String, [Int], [Float])] {
    var out: [(String, [Int], [Float])] = games.enumerated().map { g, r in
      let v = r.encoded()
      return ("train.replay.game.\(g)", [v.count], v)
    }
    let v = ExactFloats.encode(running.flatMap { [$0.sum.bitPattern, UInt64($0.steps)] })
    out.append(("train.replay.running", [v.count], v))
    return out
  }

  var tensorSizes: [String: Int] {
    var s: [String: Int] = ["train.replay.running": 8 * running.count]
    for g in games.indices { s["train.replay.game.\(g)"] = LevelReplay.encodedCount(levels: games[g].seeds.count) }
    return s
  }

  func restore(_ tensor: (String) throws -> [Float]) throws {
    var restored = games
    for g in restored.indices {
      let name = "train.replay.game.\(g)"
      try restored[g].decode(try tensor(name), what: "tensor '\(name)'")
    }
    let w = try ExactFloats.decode(try tensor("train.replay.running"), what: "tensor 'train.replay.running'")
    var run = running
    for b in run.indices {
      let sum = Double(bitPattern: w[2 * b]), steps = w[2 * b + 1]
      guard sum.isFinite, sum >= 0, steps <= 1 << 40 else {
        throw ArcadeError("tensor 'train.replay.running': env \(b) holds an invalid running score (\(sum) over \(steps) steps)")
      }
      run[b] = (sum, Int(steps))
    }
    games = restored; running = run
    stale = Array(repeating: true, count: games.count)
  }
}
