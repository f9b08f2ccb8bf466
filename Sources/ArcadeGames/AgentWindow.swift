import ArcadeCore

/// The square `grid` and glyph window centred on the agent's cell (caveflyer,
/// coinrun, jumper, ninja, dodgeball's memory mode), or a whole square world:
/// tiles and entities are drawn into it in world coordinates, so each game
/// states only what it shows, not the offsets.
struct AgentWindow {
  /// Side, and the world cell at the window's bottom-left corner.
  let n: Int, x: Int, y: Int

  init(around agent: Entity, side: Int) {
    let c = agent.cell
    n = side
    x = c.x - side / 2
    y = c.y - side / 2
  }

  /// The whole world of side `side` (dodgeball outside memory mode).
  init(whole side: Int) {
    n = side
    x = 0
    y = 0
  }

  // MARK: - Tiles (`tile(x, y)` gives the tile of world cell (x, y))

  @inline(__always)
  func encode(_ kinds: KindTable, into out: UnsafeMutableBufferPointer<Float>, tile: (Int, Int) -> UInt8) {
    kinds.encode(width: n, height: n, into: out) { tile(x + $0, y + $1) }
  }

  @inline(__always)
  func drawGlyphs(_ kinds: KindTable, into g: inout GlyphGrid, tile: (Int, Int) -> UInt8) {
    kinds.drawGlyphs(into: &g) { tile(x + $0, y + $1) }
  }

  // MARK: - Entities

  func mark(_ e: Entity, _ kind: Kind, into out: UnsafeMutableBufferPointer<Float>) {
    EntityRaster.mark(e, kind, into: out, width: n, height: n, originX: x, originY: y)
  }

  func mark(_ es: EntityList, _ kind: Kind, into out: UnsafeMutableBufferPointer<Float>) {
    for e in es { mark(e, kind, into: out) }
  }

  /// A plane holding `value` under the entity (caveflyer's heading components).
  func mark(_ e: Entity, channel: Int, value: Float, into out: UnsafeMutableBufferPointer<Float>) {
    EntityRaster.mark(e, channel: channel, value: value, into: out, width: n, height: n, originX: x, originY: y)
  }

  func glyph(_ e: Entity, _ kind: Kind, into g: inout GlyphGrid) {
    EntityRaster.glyph(e, kind, into: &g, originX: x, originY: y)
  }

  func glyph(_ es: EntityList, _ kind: Kind, into g: inout GlyphGrid) {
    for e in es { glyph(e, kind, into: &g) }
  }

  func glyph(_ e: Entity, _ ch: Character, _ colour: GlyphGrid.Colour, into g: inout GlyphGrid) {
    EntityRaster.glyph(e, ch, colour, into: &g, originX: x, originY: y)
  }

  // MARK: - Map markers (one world cell, e.g. jumper's carrot, caveflyer's exit)

  /// The window cell of world cell `c`; nil outside the window.
  func cell(_ c: (x: Int, y: Int)) -> (x: Int, y: Int)? {
    let wx = c.x - x, wy = c.y - y
    return wx >= 0 && wy >= 0 && wx < n && wy < n ? (wx, wy) : nil
  }

  func mark(cell c: (x: Int, y: Int), _ kind: Kind, into out: UnsafeMutableBufferPointer<Float>) {
    guard let w = cell(c) else { return }
    out[kind.channels[0] * n * n + GridObs.row(w.y, n) * n + w.x] = 1
  }

  func glyph(cell c: (x: Int, y: Int), _ kind: Kind, into g: inout GlyphGrid) {
    guard let w = cell(c) else { return }
    g.setWorld(w.x, w.y, kind.glyph, kind.colour)
  }
}
