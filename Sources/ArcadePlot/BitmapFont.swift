/// A fixed-width bitmap font for PNG chart text. It covers printable ASCII (" " to "~");
/// any other character is drawn as "?". The glyph tables (Font*.swift) are the X11
/// misc-fixed fonts, public domain, converted by tools/gen-plot-font.
struct BitmapFont: Sendable {
  static let first: UInt8 = 0x20, last: UInt8 = 0x7E
  let width: Int, height: Int
  /// Rows from the top of a cell down to the baseline.
  let ascent: Int
  /// `height` rows per glyph, glyphs in code order from " "; bit `width - 1 - x` is pixel x.
  let rows: [UInt16]

  init(width: Int, height: Int, ascent: Int, rows: [UInt16]) {
    precondition(width <= 16 && rows.count == height * Int(Self.last - Self.first + 1), "BitmapFont: bad table")
    self.width = width
    self.height = height
    self.ascent = ascent
    self.rows = rows
  }

  /// Every character the font draws as itself.
  static let characters: [Character] = (first...last).map { Character(Unicode.Scalar($0)) }

  func covers(_ ch: Character) -> Bool {
    guard let a = ch.asciiValue else { return false }
    return a >= Self.first && a <= Self.last
  }

  /// The rows of `ch`'s glyph (of "?" for a character outside the font).
  func glyph(_ ch: Character) -> ArraySlice<UInt16> {
    let code = covers(ch) ? ch.asciiValue! : UInt8(ascii: "?")
    let start = Int(code - Self.first) * height
    return rows[start..<(start + height)]
  }

  /// Fixed advance: every character is `width` pixels wide.
  func textWidth(_ s: String) -> Int { s.count * width }
}
