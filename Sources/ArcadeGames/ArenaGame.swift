import ArcadeCore

/// A game played in one square arena without level files (bigfish, bossfight,
/// plunder, starpilot). Its `grid` and glyph view show the whole arena, both
/// drawn from one `shown` list of entities and their kinds, so the two views can
/// never show different things; the glyph view's background is the backdrop's
/// tiles, through the same kind table.
protocol ArenaGame: NoLevelFiles {
  /// The arena's side in cells: the grid's height and width.
  static var side: Int { get }
  static var kinds: KindTable { get }
  static var backdrop: Backdrop { get }
  /// Every entity both views show, with its kind, in glyph drawing order (last on top).
  func shown(_ s: State, _ show: (Entity, ArcadeCore.Kind) -> Void)
}

extension ArenaGame {
  public var gridSize: (height: Int, width: Int) { (Self.side, Self.side) }

  public func encodeGrid(_ s: State, into out: UnsafeMutableBufferPointer<Float>) { markShown(s, into: out) }

  public func drawGlyphs(_ s: State, into g: inout GlyphGrid) {
    drawBackdrop(into: &g)
    drawShown(s, into: &g)
  }

  /// The grid channels of every `shown` entity.
  func markShown(_ s: State, into out: UnsafeMutableBufferPointer<Float>) {
    shown(s) { EntityRaster.mark($0, $1, into: out, width: Self.side, height: Self.side) }
  }

  /// The glyphs of the backdrop's tiles under the arena.
  func drawBackdrop(into g: inout GlyphGrid) {
    let b = Self.backdrop
    Self.kinds.drawGlyphs(into: &g) { x, y in b.tiles[y * b.width + x] }
  }

  /// The glyphs of every `shown` entity, in order.
  func drawShown(_ s: State, into g: inout GlyphGrid) {
    shown(s) { EntityRaster.glyph($0, $1, into: &g) }
  }
}

extension BigFish: ArenaGame {}
extension BossFight: ArenaGame {}
extension Plunder: ArenaGame {}
extension StarPilot: ArenaGame {}
