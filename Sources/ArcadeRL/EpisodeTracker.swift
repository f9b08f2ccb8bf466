import ArcadeCore

/// Collects the returns of finished episodes per game between metric lines.
struct EpisodeTracker {
  var returns: [String: [Double]] = [:]

  mutating func record(game: String, episodeReturn: Float) {
    returns[game, default: []].append(Double(episodeReturn))
  }

  var episodes: Int { returns.values.reduce(0) { $0 + $1.count } }

  /// Per game in `games` order: the sum of the returns and the number of episodes (what data-parallel
  /// ranks add up before the summary).
  func sums(games: [String]) -> [Double] {
    games.flatMap { g in [returns[g]?.reduce(0, +) ?? 0, Double(returns[g]?.count ?? 0)] }
  }

  /// Mean returns and normalised scores, in game order, of `sums` as `sums(games:)` lays them out.
  static func summary(sums: [Double], games: [String], descriptors: [String: GameDescriptor], mode: DistributionMode)
    -> (returns: [String: Double], normalised: [String: Double], meanNormalised: Double?)
  {
    var r: [String: Double] = [:], n: [String: Double] = [:]
    for (i, g) in games.enumerated() where sums[2 * i + 1] > 0 {
      let m = sums[2 * i] / sums[2 * i + 1]
      r[g] = m
      if let s = descriptors[g]?.normalisedScore(Float(m), mode: mode) { n[g] = Double(s) }
    }
    let mean = n.isEmpty ? nil : games.compactMap { n[$0] }.reduce(0, +) / Double(n.count)
    return (r, n, mean)
  }

  mutating func clear() { returns.removeAll(keepingCapacity: true) }
}
