import ArcadeCore
import ArcadeNN

/// Everything that defines a training run (saved in every checkpoint).
/// Defaults follow the paper's IMPALA set-up (srwm.md §4).
public struct TrainConfig: Codable, Sendable, Equatable {
  public var games: [String] = ["maze"]
  public var mode: DistributionMode = .easy
  public var numLevels = 200
  public var startLevel = 0
  public var model = "srwm"            // ff | lstm | delta | lt | fakesr | srwm
  public var obs = "rgb"               // rgb | grid
  /// The grid encoder; nil means linear, and keeps configs saved before the option byte-identical.
  public var encoder: GridEncoder? = nil
  public var gridEncoder: GridEncoder { encoder ?? .linear }
  public var paperDetach = false
  public var frames = 1_000_000
  public var unroll = 50
  public var batch = 32
  public var learningRate: Float = 6e-4
  public var rmsAlpha: Float = 0.99
  public var rmsEpsilon: Float = 0.01
  public var gradClip: Float = 40
  public var entropyCost: Float = 0.01
  public var baselineCost: Float = 0.5
  public var discount: Float = 0.99
  public var seed: UInt64 = 1
  public var threads = 2
  /// Frames between checkpoints and between metric lines.
  public var checkpointEvery = 200_000
  public var logEvery = 20_000

  public init() {}

  public static let models = ["ff", "lstm", "delta", "lt", "fakesr", "srwm"]

  public func validate(knownGames: [String]) throws {
    for g in games where !knownGames.contains(g) {
      throw ArcadeError("unknown game '\(g)' (games that exist: \(knownGames.joined(separator: ", ")))")
    }
    guard !games.isEmpty else { throw ArcadeError("--games needs at least one game") }
    guard TrainConfig.models.contains(model) else {
      throw ArcadeError("unknown model '\(model)' (expected \(TrainConfig.models.joined(separator: ", ")))")
    }
    guard ["rgb", "grid"].contains(obs) else { throw ArcadeError("unknown observation '\(obs)' (expected rgb or grid)") }
    guard obs == "grid" || gridEncoder == .linear else { throw ArcadeError("--encoder conv needs --obs grid") }
    guard frames > 0, unroll > 0, batch > 0 else { throw ArcadeError("frames, unroll and batch must be positive") }
    guard batch % games.count == 0 else {
      throw ArcadeError("batch \(batch) must be a multiple of the number of games (\(games.count)) so each game gets the same envs")
    }
    guard threads >= 1 else { throw ArcadeError("threads must be at least 1") }
  }

  /// Frames consumed by one update.
  public var framesPerUpdate: Int { unroll * batch }
}
