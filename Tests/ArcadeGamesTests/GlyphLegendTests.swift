import Testing
import ArcadeCore
import ArcadeGames

/// The `?` help of the viewer explains the glyph view from each game's legend,
/// so every character a game draws must be in it.
@Suite struct GlyphLegendTests {
  @Test(arguments: allGameModes.map { "\($0.0)/\($0.1.rawValue)" })
  func everyGlyphIsExplained(_ key: String) throws {
    let (game, mode) = split(key)
    let env = try makeEnv(game, mode, levels: LevelOptions(randSeed: 5))
    let explained = Set(env.descriptor.glyphLegend.map { $0.0.unicodeScalars.first!.value })
    #expect(Set(env.descriptor.glyphLegend.map(\.0)).count == env.descriptor.glyphLegend.count, "\(game): a character twice")
    var rng = PCG32(seed: 21, stream: 21)
    var missing = Set<UInt32>()
    for _ in 0..<800 {
      env.stepAutoReset(Action(rng.below(Action.count)))
      for ch in env.glyphs().chars where ch != 32 && !explained.contains(ch) { missing.insert(ch) }
    }
    #expect(missing.isEmpty, "\(key): no legend for \(missing.map { String(Character(Unicode.Scalar($0)!)) }.sorted())")
  }
}
