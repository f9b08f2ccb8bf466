/// Drawing entities into the three observations: the frame, the `grid`
/// channels and the glyph grid. Grid and glyph cells are world cells, seen
/// through a window whose bottom-left world cell is (`originX`, `originY`).
extension Canvas {
  /// Draws `tex` over the entity's box, mirrored when the entity is.
  @inlinable
  public mutating func drawEntity(_ tex: Texture, _ e: Entity, view: Viewport, scale: Float = 1) {
    drawSprite(tex, x: e.x, y: e.y, rx: e.rx * scale, ry: e.ry * scale, view: view, mirrored: e.mirrored)
  }
}

public enum EntityRaster {
  /// The window cells the entity's box covers, clipped to a `width` × `height`
  /// window; calls `body(column, rowFromTop)` for each. A box smaller than a
  /// cell still marks the cell of its centre.
  @inlinable
  public static func forEachCell(
    _ e: Entity, width: Int, height: Int, originX: Int = 0, originY: Int = 0, _ body: (Int, Int) -> Void
  ) {
    var c = e.cellRange()
    if c.x1 < c.x0 || c.y1 < c.y0 { let m = e.cell; c = (m.x, m.x, m.y, m.y) }
    let x0 = max(0, c.x0 - originX), x1 = min(width - 1, c.x1 - originX)
    let y0 = max(0, c.y0 - originY), y1 = min(height - 1, c.y1 - originY)
    guard x0 <= x1, y0 <= y1 else { return }
    for y in y0...y1 {
      for x in x0...x1 { body(x, height - 1 - y) }
    }
  }

  /// Sets channel `channel` to `value` in every covered cell of a
  /// channels × height × width float buffer.
  @inlinable
  public static func mark(
    _ e: Entity, channel: Int, value: Float = 1, into out: UnsafeMutableBufferPointer<Float>,
    width: Int, height: Int, originX: Int = 0, originY: Int = 0
  ) {
    let base = channel * width * height
    forEachCell(e, width: width, height: height, originX: originX, originY: originY) { x, row in
      out[base + row * width + x] = value
    }
  }

  /// Writes `ch` into every covered cell of a glyph grid.
  @inlinable
  public static func glyph(
    _ e: Entity, _ ch: Character, _ colour: GlyphGrid.Colour, into g: inout GlyphGrid, originX: Int = 0, originY: Int = 0
  ) {
    forEachCell(e, width: g.width, height: g.height, originX: originX, originY: originY) { x, row in
      g.set(x, row, ch, colour)
    }
  }
}

extension Viewport {
  /// A camera that shows the full width of a `width`-wide world and follows
  /// `centreY` vertically, clamped to [0, `height`] (fruitbot's camera). The
  /// position is rounded to whole frame pixels, so `drawTilesScrolled` can
  /// copy the tile layer from a pre-rendered strip.
  public static func verticalScroll(centreY: Float, width: Int, height: Int) -> Viewport {
    let side = Float(width)
    let y0 = min(max(0, centreY - side / 2), max(0, Float(height) - side))
    let px = Float(Canvas.size) / side
    let fromTop = ((Float(height) - side - y0) * px).rounded()
    return Viewport(x0: 0, y0: max(0, Float(height) - side - fromTop / px), side: side)
  }

  /// A camera that shows the full height of a `height`-tall world and follows
  /// `centreX` horizontally, clamped to [0, `width`].
  public static func horizontalScroll(centreX: Float, width: Int, height: Int) -> Viewport {
    let side = Float(height)
    let x0 = min(max(0, centreX - side / 2), max(0, Float(width) - side))
    return Viewport(x0: x0, y0: 0, side: side)
  }
}

/// A sprite with its monochrome version, chosen once per game instance.
public struct SpriteSet: Sendable {
  public let normal: [Texture]
  public let mono: [Texture]

  /// `textures` with their flat monochrome versions (colour kind `kind` + index).
  public init(_ textures: [Texture], monoKind kind: Int) {
    normal = textures
    mono = textures.indices.map { textures[$0].flattened(to: .monochrome(kind: kind, theme: $0)) }
  }

  public func pick(_ monochrome: Bool) -> [Texture] { monochrome ? mono : normal }
}
