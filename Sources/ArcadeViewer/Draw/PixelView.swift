import ArcadeCore

/// Draws a 64×64 RGB frame with "▀" half blocks: fg = top pixel, bg = bottom pixel.
public enum PixelView {
  public static let frameSide = 64
  static let upperHalf: UInt32 = 0x2580

  /// Columns and rows the frame takes when every `scale`×`scale` pixels make one half cell.
  public static func size(scale: Int) -> (width: Int, height: Int) {
    (frameSide / scale, frameSide / 2 / scale)
  }

  /// Columns and rows the frame takes when every pixel is drawn `zoom` cells wide and `zoom` half cells tall.
  public static func size(zoom: Int) -> (width: Int, height: Int) {
    (frameSide * zoom, frameSide / 2 * zoom)
  }

  /// Draws `rgb` (64×64×3, row 0 = top) with its top-left corner at (x, y).
  /// Scale 2 averages 2×2 pixels, for small tiles; zoom 2 or 3 draws each pixel
  /// as a zoom×zoom block, for people on large terminals (the frame itself stays 64×64).
  public static func draw(_ rgb: UnsafeBufferPointer<UInt8>, into screen: inout CellBuffer, x: Int, y: Int,
                          scale: Int = 1, zoom: Int = 1, colours: ColourSupport) {
    precondition(rgb.count >= frameSide * frameSide * 3 && (scale == 1 || scale == 2) && (1...3).contains(zoom))
    precondition(scale == 1 || zoom == 1, "a frame is either averaged down or zoomed in")
    let (w, h) = zoom > 1 ? size(zoom: zoom) : size(scale: scale)
    // Eight colours: keep sprites off their background's colour (full-size frames, where pixels are exact).
    let basic = colours == .basic && scale == 1 ? BasicPalette(frame: rgb) : nil
    for row in 0..<h {
      for col in 0..<w {
        let top = pixel(rgb, col / zoom, row * 2 / zoom, scale), bottom = pixel(rgb, col / zoom, (row * 2 + 1) / zoom, scale)
        let fg = basic?.quantise(top.0, top.1, top.2) ?? ColourQuantiser.quantise(top.0, top.1, top.2, for: colours)
        let bg = basic?.quantise(bottom.0, bottom.1, bottom.2) ?? ColourQuantiser.quantise(bottom.0, bottom.1, bottom.2, for: colours)
        screen.put(x + col, y + row, upperHalf, TextStyle(fg: fg, bg: bg))
      }
    }
  }

  public static func draw(_ rgb: [UInt8], into screen: inout CellBuffer, x: Int, y: Int, scale: Int = 1, zoom: Int = 1,
                          colours: ColourSupport) {
    rgb.withUnsafeBufferPointer { draw($0, into: &screen, x: x, y: y, scale: scale, zoom: zoom, colours: colours) }
  }

  /// The colour of half-cell (cx, cy) in units of `scale` pixels (the mean of its pixels).
  @inline(__always)
  static func pixel(_ rgb: UnsafeBufferPointer<UInt8>, _ cx: Int, _ cy: Int, _ scale: Int) -> (UInt8, UInt8, UInt8) {
    if scale == 1 {
      let i = (cy * frameSide + cx) * 3
      return (rgb[i], rgb[i + 1], rgb[i + 2])
    }
    var r = 0, g = 0, b = 0
    for dy in 0..<scale {
      for dx in 0..<scale {
        let i = ((cy * scale + dy) * frameSide + cx * scale + dx) * 3
        r += Int(rgb[i]); g += Int(rgb[i + 1]); b += Int(rgb[i + 2])
      }
    }
    let n = scale * scale
    return (UInt8(r / n), UInt8(g / n), UInt8(b / n))
  }
}
