/// A recorded episode: a versioned header (game, options, level), the actions,
/// and a state hash every `hashEvery` steps, so that re-simulation can name
/// the first step that diverges. Text, one field per line (levels/README.md).
public struct Replay: Sendable, Equatable {
  public static let formatVersion = 1
  public static let magic = "procarcade-replay"
  /// Larger files are refused unread (6000 steps and a 256x256 level take under 100 KB).
  public static let maxBytes = 4 << 20

  public var game: String
  public var options: GameOptions
  public var levelSeed: UInt32
  /// The level file the episode was played on, if not a generated level.
  public var level: LevelFile?
  public var hashEvery: Int
  public var actions: [Int]
  /// Hash of the state after step `hashEvery * (i + 1)`; the last entry is
  /// after the final step when that is not a multiple.
  public var hashes: [(step: Int, hash: UInt64)]
  /// Hash of the initial state.
  public var initialHash: UInt64

  public init(game: String, options: GameOptions, levelSeed: UInt32, level: LevelFile?, hashEvery: Int,
              actions: [Int], hashes: [(step: Int, hash: UInt64)], initialHash: UInt64) {
    self.game = game
    self.options = options
    self.levelSeed = levelSeed
    self.level = level
    self.hashEvery = hashEvery
    self.actions = actions
    self.hashes = hashes
    self.initialHash = initialHash
  }

  public static func == (a: Replay, b: Replay) -> Bool {
    a.text() == b.text()
  }

  /// The file's text.
  public func text() -> String {
    var s = "\(Replay.magic) \(Replay.formatVersion)\n"
    s += "game: \(game)\nmode: \(options.mode.rawValue)\n"
    s += "center_agent: \(options.centerAgent)\nmonochrome: \(options.monochrome)\n"
    s += "level_seed: \(levelSeed)\nhash_every: \(hashEvery)\n"
    s += "initial_hash: \(hex64(initialHash))\n"
    if let level {
      for line in level.text().split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
        s += "level| \(line)\n"
      }
    }
    s += "steps: \(actions.count)\n"
    var i = 0
    while i < actions.count {
      s += "actions: " + actions[i..<min(i + 50, actions.count)].map(String.init).joined(separator: " ") + "\n"
      i += 50
    }
    for h in hashes { s += "hash: \(h.step) \(hex64(h.hash))\n" }
    s += "end\n"
    return s
  }

  /// Parses a replay file; every problem names the file and line.
  public static func parse(_ text: String, path: String) throws -> Replay {
    let lines = text.fileLines().map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
    func fail(_ line: Int, _ msg: String) -> ArcadeError { ArcadeError("\(path):\(line): \(msg)") }
    guard let first = lines.first, first.hasPrefix(Replay.magic + " ") else {
      throw fail(1, "not a ProcArcade replay (expected '\(Replay.magic) \(Replay.formatVersion)')")
    }
    guard Int(first.dropFirst(Replay.magic.count + 1)) == Replay.formatVersion else {
      throw fail(1, "replay format version '\(first.dropFirst(Replay.magic.count + 1))' is not supported (expected \(Replay.formatVersion))")
    }
    var fields: [String: (String, Int)] = [:]
    var actions: [Int] = []
    var hashes: [(step: Int, hash: UInt64)] = []
    var hashLines: [Int] = []
    var levelLines: [String] = []
    var levelStart = 0
    var ended = false
    for (i, line) in lines.enumerated().dropFirst() {
      let n = i + 1
      if ended { if !line.isEmpty { throw fail(n, "text after 'end'") }; continue }
      if line == "end" { ended = true; continue }
      if line.hasPrefix("level| ") {
        if levelLines.isEmpty { levelStart = n }
        levelLines.append(String(line.dropFirst(7)))
        continue
      }
      guard let colon = line.firstIndex(of: ":") else {
        if line.isEmpty { continue }
        throw fail(n, "expected 'key: value', found '\(line)'")
      }
      let key = String(line[..<colon]), value = String(line[line.index(after: colon)...].drop(while: { $0 == " " }))
      switch key {
      case "actions":
        for tok in value.split(separator: " ") {
          guard let a = Int(tok), (0..<Action.count).contains(a) else { throw fail(n, "action '\(tok)' is not in 0...14") }
          actions.append(a)
        }
      case "hash":
        let parts = value.split(separator: " ")
        guard parts.count == 2, let step = Int(parts[0]), let h = UInt64(parts[1], radix: 16) else {
          throw fail(n, "expected 'hash: STEP HEX', found '\(value)'")
        }
        hashes.append((step, h))
        hashLines.append(n)
      case "game", "mode", "center_agent", "monochrome", "level_seed", "hash_every", "initial_hash", "steps":
        fields[key] = (value, n)
      default:
        throw fail(n, "unknown field '\(key)'")
      }
    }
    guard ended else { throw fail(lines.count, "replay is truncated (no 'end' line)") }
    func field(_ k: String) throws -> (String, Int) {
      guard let f = fields[k] else { throw fail(lines.count, "missing field '\(k)'") }
      return f
    }
    let game = try field("game").0
    let (modeText, modeLine) = try field("mode")
    guard let mode = DistributionMode(rawValue: modeText) else { throw fail(modeLine, "unknown mode '\(modeText)'") }
    let (center, cl) = try field("center_agent"), (mono, ml) = try field("monochrome")
    guard let c = Bool(center) else { throw fail(cl, "center_agent must be true or false") }
    guard let m = Bool(mono) else { throw fail(ml, "monochrome must be true or false") }
    let (seedText, sl) = try field("level_seed")
    guard let seed = UInt32(seedText) else { throw fail(sl, "level_seed must be a non-negative integer") }
    let (everyText, el) = try field("hash_every")
    guard let every = Int(everyText), every > 0 else { throw fail(el, "hash_every must be a positive integer") }
    let (ihText, il) = try field("initial_hash")
    guard let ih = UInt64(ihText, radix: 16) else { throw fail(il, "initial_hash must be hexadecimal") }
    let (stepsText, stl) = try field("steps")
    guard let steps = Int(stepsText), steps == actions.count else {
      throw fail(stl, "steps says \(stepsText) but the file has \(actions.count) actions (truncated?)")
    }
    let replay = Replay(game: game, options: GameOptions(), levelSeed: 0, level: nil, hashEvery: every, actions: actions,
                        hashes: hashes, initialHash: 0)
    if let (k, message) = replay.hashProblem() { throw fail(k < hashLines.count ? hashLines[k] : lines.count, message) }
    var level: LevelFile?
    if !levelLines.isEmpty {
      do {
        level = try LevelFile.parse(levelLines.joined(separator: "\n"), path: path).0
      } catch {
        let p = error.problems[0]
        throw fail(levelStart + p.line - 1, "embedded level: \(p.message)")
      }
    }
    return Replay(game: game, options: GameOptions(mode: mode, centerAgent: c, monochrome: m), levelSeed: seed,
                  level: level, hashEvery: every, actions: actions, hashes: hashes, initialHash: ih)
  }
}

extension Replay {
  /// The steps a complete replay has hashes for: every `hashEvery` steps, and the last step.
  public var hashSteps: [Int] {
    Array(stride(from: hashEvery, through: actions.count, by: hashEvery))
      + (actions.count % hashEvery != 0 ? [actions.count] : [])
  }

  /// The first hash that is missing or not where `hashSteps` puts it (its index in
  /// `hashes`, or `hashes.count` for one missing at the end), so no hash is skipped.
  func hashProblem() -> (index: Int, message: String)? {
    let expected = hashSteps
    for (k, h) in hashes.enumerated() {
      if h.step < 1 || h.step > actions.count {
        return (k, "hash for step \(h.step) is outside the replay's \(actions.count) steps")
      }
      if k >= expected.count || h.step != expected[k] {
        let want = k < expected.count ? "step \(expected[k])" : "no more hashes"
        return (k, "hash for step \(h.step) where the replay expects \(want) (a hash every \(hashEvery) steps and after the last)")
      }
    }
    if hashes.count < expected.count {
      return (hashes.count, "no hash for step \(expected[hashes.count]) (a hash every \(hashEvery) steps and after the last; lines deleted?)")
    }
    return nil
  }
}

/// Records an episode into a `Replay` while it is played.
public struct ReplayRecorder {
  public private(set) var replay: Replay
  var steps = 0

  /// Starts recording `env` in its current (initial) state.
  public init(env: any Environment, level: LevelFile? = nil, hashEvery: Int = 50) {
    replay = Replay(game: env.descriptor.name, options: env.config.options, levelSeed: env.levelSeed, level: level,
                    hashEvery: hashEvery, actions: [], hashes: [], initialHash: env.levelHash())
  }

  /// Records one action; call after `env.step(action)`, before any reset.
  public mutating func record(_ action: Action, env: any Environment) {
    replay.actions.append(action.index)
    steps += 1
    if steps % replay.hashEvery == 0 { replay.hashes.append((steps, env.levelHash())) }
  }

  /// Closes the recording with a hash of the final state.
  public mutating func finish(env: any Environment) -> Replay {
    if steps % replay.hashEvery != 0 { replay.hashes.append((steps, env.levelHash())) }
    return replay
  }
}

/// The outcome of re-simulating a replay.
public enum ReplayCheck: Equatable, Sendable {
  case matches(steps: Int, finalHash: UInt64)
  /// The state hash first differs at this step (0 = the initial state).
  case diverges(step: Int, expected: UInt64, actual: UInt64)
  /// A hash is missing or at a step the replay does not have: not every step could be checked.
  case incomplete(String)
}

extension Replay {
  /// Re-simulates the replay in `env` (made with the replay's game and
  /// options) and reports the first checkpoint whose hash differs. `.matches`
  /// means every hash of `hashSteps` (and the initial one) was compared.
  public func check(in env: any Environment) throws -> ReplayCheck {
    if let (_, message) = hashProblem() { return .incomplete(message) }
    try start(env)
    let h0 = env.levelHash()
    if h0 != initialHash { return .diverges(step: 0, expected: initialHash, actual: h0) }
    var next = 0
    for (i, a) in actions.enumerated() {
      _ = env.step(Action(a))
      while next < hashes.count && hashes[next].step == i + 1 {
        let h = env.levelHash()
        if h != hashes[next].hash { return .diverges(step: i + 1, expected: hashes[next].hash, actual: h) }
        next += 1
      }
    }
    return .matches(steps: actions.count, finalHash: env.levelHash())
  }

  /// Puts `env` at the replay's initial state.
  public func start(_ env: any Environment) throws {
    if let level {
      do { try env.load(level: level) } catch {
        throw ArcadeError("replay's level: \(error.problems.map(\.message).joined(separator: "; "))")
      }
    } else {
      env.reset(levelSeed: levelSeed)
    }
  }
}
