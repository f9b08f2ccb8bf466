/// The `glyphs` observation: one character and one colour per cell.
///
/// Used by the terminal viewer, by `arcade run --render text` and by tests.
public struct GlyphGrid: Sendable, Equatable {
  /// Terminal colours of glyphs (the eight ANSI colours plus grey).
  public enum Colour: UInt8, Sendable, CaseIterable {
    case normal = 0, red, green, yellow, blue, magenta, cyan, white, grey
  }

  public let width: Int
  public let height: Int
  /// Row-major, row 0 = top; each entry a Unicode scalar value.
  public var chars: [UInt32]
  public var colours: [UInt8]

  public init(width: Int, height: Int) {
    self.width = width
    self.height = height
    chars = [UInt32](repeating: 32, count: width * height)
    colours = [UInt8](repeating: 0, count: width * height)
  }

  /// Sets the cell at column x and row y counted from the top.
  @inlinable
  public mutating func set(_ x: Int, _ y: Int, _ ch: Character, _ colour: Colour = .normal) {
    guard x >= 0, y >= 0, x < width, y < height else { return }
    chars[y * width + x] = ch.unicodeScalars.first!.value
    colours[y * width + x] = colour.rawValue
  }

  /// Sets the cell of world cell (x, y) in a world of this height whose y points up.
  @inlinable
  public mutating func setWorld(_ x: Int, _ y: Int, _ ch: Character, _ colour: Colour = .normal) {
    set(x, height - 1 - y, ch, colour)
  }

  public func char(_ x: Int, _ y: Int) -> Character {
    Character(Unicode.Scalar(chars[y * width + x]) ?? " ")
  }

  /// The grid as text lines; with `ansi`, each colour change emits an SGR code.
  public func text(ansi: Bool = false) -> String {
    let codes: [String] = ["0", "31", "32", "33", "34", "35", "36", "37", "90"]
    var out = ""
    for y in 0..<height {
      var current: UInt8 = 0
      for x in 0..<width {
        let c = colours[y * width + x]
        if ansi && c != current { out += "\u{1b}[\(codes[Int(c)])m"; current = c }
        out.unicodeScalars.append(Unicode.Scalar(chars[y * width + x]) ?? " ")
      }
      if ansi && current != 0 { out += "\u{1b}[0m" }
      out += "\n"
    }
    return out
  }
}
