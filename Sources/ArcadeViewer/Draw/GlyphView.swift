import ArcadeCore

/// Draws a game's glyph grid, two columns per cell when there is room, so the
/// grid keeps its proportions and reads easily.
public enum GlyphView {
  /// Characters that fill their cell: drawn twice in wide mode so walls stay solid.
  static let solid: Set<UInt32> = Set("#█▓▒░=%".unicodeScalars.map(\.value))

  public static func size(of grid: GlyphGrid, cellWidth: Int) -> (width: Int, height: Int) {
    (grid.width * cellWidth, grid.height)
  }

  public static func draw(_ grid: GlyphGrid, into screen: inout CellBuffer, x: Int, y: Int, cellWidth: Int,
                          colours: ColourSupport) {
    for row in 0..<grid.height {
      for col in 0..<grid.width {
        let i = row * grid.width + col
        let ch = grid.chars[i], c = grid.colours[i]
        var style = TextStyle(fg: ColourQuantiser.glyphColour(c, for: colours))
        // Without colour, coloured glyphs (agent, goals, enemies) stand out in bold.
        if colours == .none && c != 0 && c != GlyphGrid.Colour.grey.rawValue { style.attributes = TextStyle.bold }
        if colours != .none && c == GlyphGrid.Colour.grey.rawValue && colours == .basic { style.attributes = TextStyle.dim }
        let sx = x + col * cellWidth
        screen.put(sx, y + row, ch, style)
        if cellWidth == 2 { screen.put(sx + 1, y + row, solid.contains(ch) ? ch : 32, style) }
      }
    }
  }
}
