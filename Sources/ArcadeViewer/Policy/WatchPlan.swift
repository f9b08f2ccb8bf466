import ArcadeCore

/// The games and mode a policy learned on (a random policy learned on nothing).
public struct PolicyTraining: Sendable, Equatable {
  public var games: [String]
  public var mode: DistributionMode
  public init(games: [String], mode: DistributionMode) {
    self.games = games
    self.mode = mode
  }
}

/// What `arcade watch` shows: which games, in which mode, on how many envs,
/// and what the viewer should warn about. The policy's training decides every
/// default; what the user asks for wins, with a warning when it differs.
public struct WatchPlan: Sendable, Equatable {
  public var games: [String]
  public var mode: DistributionMode
  public var envs: Int
  /// One line per mismatch between what is shown and what the policy learned.
  public var warnings: [String]

  /// Keys 1–9 pick an env, so a default never asks for more than nine.
  public static let defaultEnvLimit = 9
  /// Without a trained policy or --games: a few games of the whole suite.
  public static let untrainedEnvs = 4

  public init(trainedOn: PolicyTraining?, games: [String]?, mode: DistributionMode?, envs: Int?, allGames: [String]) {
    self.games = games ?? trainedOn?.games ?? allGames
    self.mode = mode ?? trainedOn?.mode ?? .hard
    let known = games != nil || trainedOn != nil
    self.envs = envs ?? (known ? min(self.games.count, WatchPlan.defaultEnvLimit) : WatchPlan.untrainedEnvs)
    warnings = []
    guard let t = trainedOn else { return }
    let unseen = self.games.filter { !t.games.contains($0) }
    if !unseen.isEmpty {
      warnings.append("the agent never trained on \(unseen.joined(separator: ", ")) (it learned \(t.games.joined(separator: ", ")))")
    }
    if self.mode != t.mode {
      warnings.append("the agent trained in \(t.mode.rawValue) mode, shown in \(self.mode.rawValue)")
    }
  }
}
