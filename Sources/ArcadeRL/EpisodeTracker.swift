import ArcadeCore

/// Collects the returns of finished episodes per game between metric lines.
struct EpisodeTracker {
  var returns: [String: [Double]] = [:]

  mutating func record(game: String, episodeReturn: Float) {
    returns[game, default: []].append(Double(episodeReturn))
  }

  var episodes: Int { returns.values.reduce(0) { $0 + $1.count } }

  /// Mean returns and normalised scores, in game order.
  func summary(games: [String], descriptors: [String: GameDescriptor], mode: DistributionMode)
    -> (returns: [String: Double], normalised: [String: Double], meanNormalised: Double?)
  {
    var r: [String: Double] = [:], n: [String: Double] = [:]
    for g in games {
      guard let xs = returns[g], !xs.isEmpty else { continue }
      let m = xs.reduce(0, +) / Double(xs.count)
      r[g] = m
      if let s = descriptors[g]?.normalisedScore(Float(m), mode: mode) { n[g] = Double(s) }
    }
    let mean = n.isEmpty ? nil : games.compactMap { n[$0] }.reduce(0, +) / Double(n.count)
    return (r, n, mean)
  }

  mutating func clear() { returns.removeAll(keepingCapacity: true) }
}
