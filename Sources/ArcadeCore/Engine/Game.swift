/// What a game is: its name, modes, limits, actions and observation layout.
/// Plain data, so it can be listed, printed and tested.
public struct GameDescriptor: Sendable {
  public let name: String
  public let summary: String
  /// The modes ProcGen gives this game, in ProcGen's order.
  public let modes: [DistributionMode]
  /// Step limit per mode; modes not listed use `defaultStepLimit`.
  public let defaultStepLimit: Int
  public let stepLimitOverrides: [DistributionMode: Int]
  /// Indices of the actions that do something in this game (the action mask).
  public let meaningfulActions: [Int]
  /// Per-game meaning of each of the 15 actions ("left", "fire", "no-op", ...).
  public let actionNames: [String]
  /// Channel names of the `grid` observation.
  public let gridChannels: [String]
  /// Level-file legend: each map character and what it stands for.
  public let legend: [(Character, String)]
  /// Glyph-view legend: each character the glyph view shows (other than blank) and what it is.
  public let glyphLegend: [(Character, String)]
  /// The fixed level seed of exploration mode, if the game has that mode.
  public let explorationSeed: UInt32?
  /// ProcGen's normalisation constants (R_min, R_max) for easy and hard.
  public let scoreRange: [DistributionMode: (min: Float, max: Float)]
  /// Whether `centerAgent` changes the camera (ProcGen forces it in some games).
  public let cameraChoice: Bool
  /// Whether the game plays the same turned or mirrored (its moves turned to match): a square, top-down
  /// world without gravity, lanes or a preferred direction. Such games can be augmented (`SymmetricEnv`).
  public let symmetric: Bool

  public init(
    name: String, summary: String, modes: [DistributionMode], defaultStepLimit: Int = 1000,
    stepLimitOverrides: [DistributionMode: Int] = [:], meaningfulActions: [Int],
    actionNames: [String], gridChannels: [String] = [], legend: [(Character, String)] = [],
    glyphLegend: [(Character, String)] = [], kinds: KindTable? = nil, explorationSeed: UInt32? = nil, scoreRange: [DistributionMode: (min: Float, max: Float)],
    cameraChoice: Bool = false, symmetric: Bool = false
  ) {
    precondition(actionNames.count == Action.count, "\(name): one name per action")
    self.name = name
    self.summary = summary
    self.modes = modes
    self.defaultStepLimit = defaultStepLimit
    self.stepLimitOverrides = stepLimitOverrides
    self.meaningfulActions = meaningfulActions
    self.actionNames = actionNames
    // A game with a kind table takes its channels and legends from there.
    self.gridChannels = kinds?.channels ?? gridChannels
    self.legend = kinds?.legend ?? legend
    self.glyphLegend = kinds?.glyphLegend ?? glyphLegend
    self.explorationSeed = explorationSeed
    self.scoreRange = scoreRange
    self.cameraChoice = cameraChoice
    self.symmetric = symmetric
  }

  public func stepLimit(_ mode: DistributionMode) -> Int {
    stepLimitOverrides[mode] ?? defaultStepLimit
  }

  /// The action mask: `true` where the action does something in this game.
  public var actionMask: [Bool] { (0..<Action.count).map { meaningfulActions.contains($0) } }

  /// Normalised score (R − R_min)/(R_max − R_min), where ProcGen publishes constants.
  public func normalisedScore(_ r: Float, mode: DistributionMode) -> Float? {
    let m: DistributionMode = mode == .exploration ? .hard : mode
    guard let range = scoreRange[m] else { return nil }
    return (r - range.min) / (range.max - range.min)
  }

  /// Throws a clear error unless the game has `mode`.
  public func check(mode: DistributionMode) throws {
    guard modes.contains(mode) else {
      throw ArcadeError(
        "game '\(name)' has no mode '\(mode.rawValue)' (its modes: \(modes.map(\.rawValue).joined(separator: ", ")))")
    }
  }
}

/// How a step ended for the game itself.
public enum StepOutcome: UInt8, Sendable {
  case running, died, won
}

/// What one game step produced.
public struct StepEvents: Sendable {
  public var reward: Float
  public var outcome: StepOutcome
  /// What ended the episode, in words for people ("Crushed by a falling boulder"); nil when the game does not say.
  public var cause: String?
  public init(reward: Float = 0, outcome: StepOutcome = .running, cause: String? = nil) {
    self.reward = reward
    self.outcome = outcome
    self.cause = cause
  }
}

/// One game: generation from a level seed and one step. The core (`GameEnv`)
/// does the bookkeeping: rewards, step limits, level seeds, episode stats.
///
/// `State` is a value type; the game object itself only holds options and
/// precomputed assets, so stepping never mutates it.
public protocol Game: Sendable {
  associatedtype State: Sendable

  static var descriptor: GameDescriptor { get }
  var options: GameOptions { get }

  /// A game for options whose mode has already been checked.
  init(options: GameOptions)

  /// Size (rows, columns) of the `grid` and `glyphs` observations; fixed per options.
  var gridSize: (height: Int, width: Int) { get }

  /// The initial state of level `levelSeed`, drawn from the generation stream.
  func generate(levelSeed: UInt32, rng: inout PCG32) -> State
  /// One step; in-episode randomness comes from the dynamics stream `rng`.
  func step(_ state: inout State, action: Action, rng: inout PCG32) -> StepEvents

  func render(_ state: State, into canvas: inout Canvas)
  /// Writes channels × height × width floats into `out` (already zero-filled).
  func encodeGrid(_ state: State, into out: UnsafeMutableBufferPointer<Float>)
  func drawGlyphs(_ state: State, into grid: inout GlyphGrid)

  func encode(_ state: State, into w: inout ByteWriter)
  func decode(from r: inout ByteReader) throws -> State

  /// The level as a map for a level file, where the game has one.
  func levelMap(_ state: State) -> LevelMap?
  /// A state from a level map; problems are reported with map coordinates.
  func load(map: LevelMap, rng: inout PCG32) throws(LevelProblems) -> State

  /// Whether the game's reachability check finds the goal reachable in this state; nil for games
  /// without a check (their generators solve by construction, or have no goal to reach).
  func solvability(_ state: State) -> Bool?
}

extension Game {
  public func solvability(_ state: State) -> Bool? { nil }

  /// The generation mode: exploration generates as hard.
  public var genMode: DistributionMode { options.mode == .exploration ? .hard : options.mode }
}
