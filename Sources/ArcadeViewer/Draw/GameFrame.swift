import ArcadeCore

/// Draws an environment's current state in pixel or glyph view. Keeps one RGB
/// buffer so a frame costs no allocation.
public struct GameFrame {
  private var rgb = [UInt8](repeating: 0, count: 64 * 64 * 3)

  public init() {}

  public mutating func draw(_ env: any Environment, mode: ViewMode, layout: SingleViewLayout,
                            into screen: inout CellBuffer, colours: ColourSupport) {
    switch mode {
    case .pixels:
      rgb.withUnsafeMutableBufferPointer { env.renderRGB(into: $0.baseAddress!) }
      PixelView.draw(rgb, into: &screen, x: layout.viewX, y: layout.viewY, zoom: layout.pixelZoom, colours: colours)
    case .glyphs:
      GlyphView.draw(env.glyphs(), into: &screen, x: layout.viewX, y: layout.viewY, cellWidth: layout.glyphCellWidth,
                     colours: colours)
    }
  }

  /// Draws a 64×64 frame at (x, y), halved when `scale` is 2 (watch tiles).
  public mutating func drawPixels(_ env: any Environment, x: Int, y: Int, scale: Int, into screen: inout CellBuffer,
                                  colours: ColourSupport) {
    rgb.withUnsafeMutableBufferPointer { env.renderRGB(into: $0.baseAddress!) }
    PixelView.draw(rgb, into: &screen, x: x, y: y, scale: scale, colours: colours)
  }
}

/// The size of `env`'s glyph grid (fixed per game and options).
func glyphSize(_ env: any Environment) -> (width: Int, height: Int) {
  let g = env.glyphs()
  return (g.width, g.height)
}

/// Pixel view needs colour; without it every view is the glyph view.
func usableMode(_ mode: ViewMode, _ colours: ColourSupport) -> ViewMode {
  colours == .none ? .glyphs : mode
}
