typealias RGB = (UInt8, UInt8, UInt8)

/// An RGB image with line and text drawing, for PNG charts.
struct Raster {
  let width: Int, height: Int
  var pixels: [UInt8]

  enum Anchor { case start, middle, end }

  init(width: Int, height: Int) {
    self.width = width
    self.height = height
    pixels = [UInt8](repeating: 255, count: width * height * 3)
  }

  mutating func set(_ x: Int, _ y: Int, _ c: RGB) {
    guard x >= 0, y >= 0, x < width, y < height else { return }
    let i = (y * width + x) * 3
    pixels[i] = c.0; pixels[i + 1] = c.1; pixels[i + 2] = c.2
  }

  /// A straight line `thickness` pixels wide (a square pen).
  mutating func line(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, _ c: RGB, thickness: Int = 1) {
    let n = max(1, Int(max(abs(x1 - x0), abs(y1 - y0)).rounded(.up)))
    let lo = -(thickness - 1) / 2, hi = thickness / 2
    for k in 0...n {
      let t = Double(k) / Double(n)
      let x = Int((x0 + (x1 - x0) * t).rounded()), y = Int((y0 + (y1 - y0) * t).rounded())
      for dy in lo...hi { for dx in lo...hi { set(x + dx, y + dy, c) } }
    }
  }

  /// Text with its baseline at `y`; `anchor` places `x` at the start, middle or end of it.
  /// `upward` turns it 90° anticlockwise (reading bottom to top, as SVG's rotate(-90)),
  /// with the baseline at column `x` and the anchor measured along y.
  mutating func text(_ s: String, x: Int, y: Int, _ c: RGB, font: BitmapFont = .fixed6x13,
                     anchor: Anchor = .start, upward: Bool = false) {
    let w = font.textWidth(s)
    let shift = anchor == .start ? 0 : anchor == .middle ? w / 2 : w
    var u = -shift  // position along the text, from the anchor
    for ch in s {
      for (row, bits) in font.glyph(ch).enumerated() where bits != 0 {
        let v = row - font.ascent  // rows below the baseline
        for col in 0..<font.width where bits & (1 << UInt16(font.width - 1 - col)) != 0 {
          if upward { set(x + v, y - (u + col), c) } else { set(x + u + col, y + v, c) }
        }
      }
      u += font.width
    }
  }
}
