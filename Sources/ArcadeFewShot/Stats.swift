// Accuracy with a 95% confidence interval over independent groups of episodes.
import Foundation

public struct AccuracyCI: Sendable, Equatable, Codable {
  public var mean: Double
  /// 1.96 · s / √n, s the sample standard deviation (n − 1) of the group accuracies.
  public var halfWidth: Double
  public var groups: Int

  public init(groupAccuracies xs: [Double]) {
    groups = xs.count
    mean = xs.isEmpty ? .nan : xs.reduce(0, +) / Double(xs.count)
    if xs.count < 2 { halfWidth = .nan; return }
    let m = mean
    let s = (xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(xs.count - 1)).squareRoot()
    halfWidth = 1.96 * s / Double(xs.count).squareRoot()
  }

  /// Splits per-episode correctness (0/1) into `groups` equal consecutive groups (episodes are independent).
  public init(episodeCorrect: [Double], groups: Int) {
    let g = max(1, min(groups, episodeCorrect.count)), per = episodeCorrect.count / g
    self.init(groupAccuracies: (0..<g).map { i in episodeCorrect[(i * per)..<((i + 1) * per)].reduce(0, +) / Double(per) })
  }

  /// "93.12% ± 0.85%"
  public var percent: String { String(format: "%.2f%% ± %.2f%%", 100 * mean, 100 * halfWidth) }
}
