import ArcadeBase

/// An env of a game that plays the same in every orientation, shown each episode under one of the
/// square's eight symmetries drawn at random: the grid and the frame are turned or mirrored, and the
/// agent's moves turned back before they reach the game (`arcade train --augment`). Eight looks of each
/// training level, with the level's rules intact. The symmetries come from the env's own stream, seeded
/// from the run's seed and the env's index, so runs stay deterministic and resume exactly.
public final class SymmetricEnv: Environment {
  public let base: any Environment
  public private(set) var symmetry = SquareSymmetry.identity
  var draws: PCG32
  let side: Int
  let gridScratch: UnsafeMutableBufferPointer<Float>
  let frameScratch: UnsafeMutableBufferPointer<UInt8>
  static let magic: UInt32 = 0x5359_4D31  // "SYM1"

  /// Throws unless the game is marked symmetric and its grid is square.
  public init(_ base: any Environment) throws {
    let s = base.gridShape
    guard base.descriptor.symmetric, s.height == s.width else {
      throw ArcadeError("\(base.descriptor.name) cannot be shown turned or mirrored: it does not play the same in every orientation")
    }
    self.base = base
    side = s.height
    draws = SymmetricEnv.stream(randSeed: base.config.levels.randSeed, envIndex: base.config.envIndex)
    gridScratch = .allocate(capacity: s.channels * s.height * s.width)
    gridScratch.initialize(repeating: 0)
    frameScratch = .allocate(capacity: 64 * 64 * 3)
    frameScratch.initialize(repeating: 0)
    drawSymmetry()
  }

  deinit { gridScratch.deallocate(); frameScratch.deallocate() }

  static func stream(randSeed: UInt64, envIndex: Int) -> PCG32 {
    PCG32(seed: mixSeed(randSeed ^ 0x5359_4D4D_4554_5259), stream: mixSeed(UInt64(envIndex) &+ 0x9E37))
  }

  func drawSymmetry() { symmetry = SquareSymmetry(draws.below(SquareSymmetry.count)) }

  public var descriptor: GameDescriptor { base.descriptor }
  public var config: EnvConfig { base.config }
  public var gridShape: (channels: Int, height: Int, width: Int) { base.gridShape }
  public var levelSeed: UInt32 { base.levelSeed }
  public var stepCount: Int { base.stepCount }
  public var episodeReturn: Float { base.episodeReturn }
  public var stepLimit: Int { base.stepLimit }
  public var endCause: String? { base.endCause }

  public func reset(levelSeed: UInt32?) {
    base.reset(levelSeed: levelSeed)
    drawSymmetry()
  }

  public func reseedLevels(randSeed: UInt64) {
    base.reseedLevels(randSeed: randSeed)
    draws = SymmetricEnv.stream(randSeed: randSeed, envIndex: 0)
  }

  public func setLevelSeeds(_ seeds: [UInt32]?, weights: [Double]?) throws { try base.setLevelSeeds(seeds, weights: weights) }
  public func setLevelWeights(_ weights: [Double]?) throws { try base.setLevelWeights(weights) }

  public func load(level: LevelFile) throws(LevelProblems) {
    try base.load(level: level)
    drawSymmetry()
  }

  public func step(_ action: Action) -> StepResult { base.step(symmetry.originalAction(action)) }

  public func renderRGB(into out: UnsafeMutablePointer<UInt8>) {
    base.renderRGB(into: frameScratch.baseAddress!)
    symmetry.transformPixels(frameScratch.baseAddress!, into: out, side: 64, bytesPerPixel: 3)
  }

  public func encodeGrid(into out: UnsafeMutableBufferPointer<Float>) {
    base.encodeGrid(into: gridScratch)
    symmetry.transformPlanes(gridScratch.baseAddress!, into: out.baseAddress!, channels: base.gridShape.channels, side: side)
  }

  /// The glyph view shows the level as the game has it (people watch the game, not the augmentation).
  public func glyphs() -> GlyphGrid { base.glyphs() }

  public func saveState() -> [UInt8] {
    var w = ByteWriter(capacity: 64)
    w.u32(SymmetricEnv.magic); w.u8(UInt8(symmetry.index)); w.rng(draws); w.u8s(base.saveState())
    return w.bytes
  }

  /// All or nothing, as the base env's restore.
  public func restoreState(_ bytes: [UInt8]) throws {
    var r = ByteReader(bytes, context: "saved state")
    guard try r.u32("symmetry format") == SymmetricEnv.magic else {
      throw ArcadeError("saved state: not the state of an env augmented with turns and mirrors")
    }
    let index = Int(try r.u8("symmetry"))
    guard (0..<SquareSymmetry.count).contains(index) else { throw ArcadeError("saved state: symmetry \(index) is not 0…7") }
    let rng = try r.rng("symmetry stream")
    try base.restoreState(try r.u8s("game state"))
    symmetry = SquareSymmetry(index); draws = rng
  }

  public func stateHash() -> UInt64 { mixSeed(base.stateHash() ^ UInt64(symmetry.index) ^ draws.state) }
  public func levelHash() -> UInt64 { base.levelHash() }
  public func isSolvable() -> Bool? { base.isSolvable() }
  public func layoutHash() -> UInt64 { base.layoutHash() }
  public func exportLevel() -> LevelFile? { base.exportLevel() }
}
