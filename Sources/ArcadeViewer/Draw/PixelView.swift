import ArcadeCore

/// Draws a 64×64 RGB frame with "▀" half blocks: fg = top pixel, bg = bottom pixel.
public enum PixelView {
  public static let frameSide = 64
  static let upperHalf: UInt32 = 0x2580

  /// Columns and rows the frame takes when every `scale`×`scale` pixels make one half cell.
  public static func size(scale: Int) -> (width: Int, height: Int) {
    (frameSide / scale, frameSide / 2 / scale)
  }

  /// Draws `rgb` (64×64×3, row 0 = top) with its top-left corner at (x, y).
  /// Scale 2 averages 2×2 pixels, for small tiles.
  public static func draw(_ rgb: UnsafeBufferPointer<UInt8>, into screen: inout CellBuffer, x: Int, y: Int,
                          scale: Int = 1, colours: ColourSupport) {
    precondition(rgb.count >= frameSide * frameSide * 3 && (scale == 1 || scale == 2))
    let (w, h) = size(scale: scale)
    // Eight colours: keep sprites off their background's colour (full-size frames, where pixels are exact).
    let basic = colours == .basic && scale == 1 ? BasicPalette(frame: rgb) : nil
    for row in 0..<h {
      for col in 0..<w {
        let top = pixel(rgb, col, row * 2, scale), bottom = pixel(rgb, col, row * 2 + 1, scale)
        let fg = basic?.quantise(top.0, top.1, top.2) ?? ColourQuantiser.quantise(top.0, top.1, top.2, for: colours)
        let bg = basic?.quantise(bottom.0, bottom.1, bottom.2) ?? ColourQuantiser.quantise(bottom.0, bottom.1, bottom.2, for: colours)
        screen.put(x + col, y + row, upperHalf, TextStyle(fg: fg, bg: bg))
      }
    }
  }

  public static func draw(_ rgb: [UInt8], into screen: inout CellBuffer, x: Int, y: Int, scale: Int = 1,
                          colours: ColourSupport) {
    rgb.withUnsafeBufferPointer { draw($0, into: &screen, x: x, y: y, scale: scale, colours: colours) }
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
