import ArcadeCore
import ArcadeNN
import Foundation

/// Hyper-parameters of Prioritized Level Replay (Jiang, Grefenstette, Rocktäschel 2021); the defaults are the
/// paper's. Saved in the run's config.
public struct LevelReplaySettings: Codable, Sendable, Equatable {
  /// p: the chance that a reset replays a seen level rather than trying an unseen one (1 once all are seen).
  public var replayProbability = 0.5
  /// β: the rank prioritisation's temperature, P_S(l) ∝ (1/rank(S_l))^(1/β).
  public var temperature = 0.1
  /// ρ: the staleness mix, P_replay = (1 − ρ)·P_S + ρ·P_C.
  public var staleness = 0.1

  public init() {}

  /// At most this many training levels: every level's weight is recomputed once per update.
  public static let maxLevels = 100_000

  public func problem() -> String? {
    ConfigRange.first(
      ConfigRange.problem("levelReplay.replayProbability", replayProbability, 0...1),
      ConfigRange.problem("levelReplay.temperature", temperature, 0.001...100),
      ConfigRange.problem("levelReplay.staleness", staleness, 0...1))
  }
}

/// The replay state of one game's training levels: each level's score (the mean absolute value error over
/// its last finished episode), whether it has been seen (an episode on it finished), and when it was last
/// sampled, counted in sampled episodes. `weights()` turns this into one sampling weight per level, which
/// the envs' own level samplers (seeded PCG32 streams) draw from, so the replay decision needs no random
/// stream of its own: with probability p a seen level from P_replay, else an unseen one uniformly, is
/// exactly the mixture p·P_replay + (1 − p)·uniform(unseen).
public struct LevelReplay: Sendable, Equatable {
  public let settings: LevelReplaySettings
  public let seeds: [UInt32]
  /// Position of each seed in `seeds` (lookups only, never iterated).
  let index: [UInt32: Int]
  public private(set) var scores: [Double]
  public private(set) var seen: [Bool]
  /// The value of `sampledEpisodes` when each level was last sampled.
  public private(set) var lastSampled: [Int]
  /// c in the paper: episodes sampled so far.
  public private(set) var sampledEpisodes = 0
  public private(set) var seenCount = 0

  /// `seeds` must be distinct (TrainConfig.validate checks).
  public init(seeds: [UInt32], settings: LevelReplaySettings) {
    self.settings = settings
    self.seeds = seeds
    index = Dictionary(seeds.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    scores = Array(repeating: 0, count: seeds.count)
    seen = Array(repeating: false, count: seeds.count)
    lastSampled = Array(repeating: 0, count: seeds.count)
  }

  /// An episode on `seed` starts (staleness: its counter restarts).
  public mutating func sampled(_ seed: UInt32) {
    guard let i = index[seed] else { return }
    sampledEpisodes += 1
    lastSampled[i] = sampledEpisodes
  }

  /// An episode on `seed` ended with `score`; the level counts as seen from now on.
  public mutating func scored(_ seed: UInt32, _ score: Double) {
    guard let i = index[seed] else { return }
    scores[i] = score
    if !seen[i] { seen[i] = true; seenCount += 1 }
  }

  /// P_S over the seen levels: rank 1 is the highest score (ties: the earlier seed in the list), weight
  /// (1/rank)^(1/β), normalised; 0 for unseen levels.
  public func scoreDistribution() -> [Double] {
    let order = seeds.indices.filter { seen[$0] }.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
    var p = Array(repeating: 0.0, count: seeds.count)
    var total = 0.0
    for (r, i) in order.enumerated() {
      p[i] = pow(1.0 / Double(r + 1), 1.0 / settings.temperature)
      total += p[i]
    }
    return total > 0 ? p.map { $0 / total } : p
  }

  /// P_C over the seen levels: (c − C_l) / Σ (c − C_j), the episodes since each was last sampled; all 0 when
  /// every seen level was sampled last (then P_replay is P_S alone).
  public func stalenessDistribution() -> [Double] {
    var p = Array(repeating: 0.0, count: seeds.count)
    var total = 0.0
    for i in seeds.indices where seen[i] {
      p[i] = Double(sampledEpisodes - lastSampled[i])
      total += p[i]
    }
    return total > 0 ? p.map { $0 / total } : p
  }

  /// P_replay = (1 − ρ)·P_S + ρ·P_C over the seen levels.
  public func replayDistribution() -> [Double] {
    let s = scoreDistribution(), c = stalenessDistribution()
    let rho = c.contains(where: { $0 > 0 }) ? settings.staleness : 0
    return zip(s, c).map { (1 - rho) * $0 + rho * $1 }
  }

  /// The chance of each level at the next reset: uniform while none is seen, P_replay once all are, and in
  /// between p·P_replay on the seen levels and (1 − p)/|unseen| on each unseen one.
  public func weights() -> [Double] {
    let unseen = seeds.count - seenCount
    if seenCount == 0 { return Array(repeating: 1.0 / Double(seeds.count), count: seeds.count) }
    let replay = replayDistribution()
    if unseen == 0 { return replay }
    let p = settings.replayProbability, u = (1 - p) / Double(unseen)
    return seeds.indices.map { seen[$0] ? p * replay[$0] : u }
  }
}

extension LevelReplay {
  /// The whole state as floats that round-trip exactly (each 64-bit word as four 16-bit pieces):
  /// c, then per level seen, score bits and last-sampled count.
  func encoded() -> [Float] {
    var words: [UInt64] = [UInt64(sampledEpisodes)]
    for i in seeds.indices { words += [seen[i] ? 1 : 0, scores[i].bitPattern, UInt64(lastSampled[i])] }
    return ExactFloats.encode(words)
  }

  static func encodedCount(levels: Int) -> Int { 4 * (1 + 3 * levels) }

  /// Restores what `encoded()` wrote; `what` names the tensor in errors.
  mutating func decode(_ values: [Float], what: String) throws {
    let w = try ExactFloats.decode(values, what: what)
    guard w.count == 1 + 3 * seeds.count else { throw ArcadeError("\(what): \(w.count) words for \(seeds.count) levels") }
    guard w[0] <= UInt64(Int.max / 2) else { throw ArcadeError("\(what): episode count \(w[0]) out of range") }
    let c = Int(w[0])
    var scores = self.scores, seen = self.seen, last = self.lastSampled
    for i in seeds.indices {
      let s = w[1 + 3 * i], bits = w[2 + 3 * i], l = w[3 + 3 * i]
      let score = Double(bitPattern: bits)
      guard s <= 1, score.isFinite, score >= 0, l <= UInt64(c) else {
        throw ArcadeError("\(what): level \(i) holds an invalid entry (seen \(s), score \(score), last sampled \(l) of \(c))")
      }
      seen[i] = s == 1; scores[i] = score; last[i] = Int(l)
    }
    self.scores = scores; self.seen = seen; lastSampled = last; sampledEpisodes = c
    seenCount = seen.filter { $0 }.count
  }
}

/// 64-bit words stored in Float tensors without loss: four 16-bit pieces each, low first.
enum ExactFloats {
  static func encode(_ words: [UInt64]) -> [Float] {
    words.flatMap { w in (0..<4).map { Float((w >> (16 * UInt64($0))) & 0xffff) } }
  }

  static func decode(_ values: [Float], what: String) throws -> [UInt64] {
    guard values.count % 4 == 0 else { throw ArcadeError("\(what): \(values.count) values is not a multiple of 4") }
    var out: [UInt64] = []
    out.reserveCapacity(values.count / 4)
    for k in stride(from: 0, to: values.count, by: 4) {
      var w: UInt64 = 0
      for j in 0..<4 {
        guard let n = UInt64(exactly: values[k + j]), n <= 0xffff else {
          throw ArcadeError("\(what): holds \(values[k + j]) at index \(k + j), expected a whole number in 0…65535")
        }
        w |= n << (16 * UInt64(j))
      }
      out.append(w)
    }
    return out
  }
}
