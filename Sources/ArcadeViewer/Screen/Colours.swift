#if canImport(Glibc)
import Glibc
#endif
import ArcadeCore

/// What the terminal can show; decides how pixels and glyphs are coloured.
public enum ColourSupport: Sendable, Equatable {
  /// No colour at all: glyph view only, drawn with attributes.
  case none
  /// The eight ANSI colours.
  case basic
  /// The xterm 256-colour palette (6×6×6 cube + 24 greys).
  case indexed256

  /// From ncurses' `has_colors()` and `COLORS`; `noColour` (the user's NO_COLOR) wins.
  public init(hasColours: Bool, colours: Int, noColour: Bool = false) {
    self = !hasColours || noColour ? .none : colours >= 256 ? .indexed256 : .basic
  }

  /// NO_COLOR set to anything but the empty string (no-color.org).
  public static var noColourRequested: Bool {
    getenv("NO_COLOR").map { $0.pointee != 0 } ?? false
  }
}

/// RGB → terminal colour index.
public enum ColourQuantiser {
  /// The six channel levels of the xterm cube.
  static let cubeLevels: [Int] = [0, 95, 135, 175, 215, 255]

  /// Nearest cube level index for one channel value (thresholds halfway between levels).
  @inline(__always)
  static func cubeStep(_ v: Int) -> Int {
    v < 48 ? 0 : v < 115 ? 1 : (v - 35) / 40
  }

  /// The nearest xterm-256 colour: the best of the nearest cube colour and the nearest grey.
  @inline(__always)
  public static func xterm256(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int16 {
    let ri = Int(r), gi = Int(g), bi = Int(b)
    let cr = cubeStep(ri), cg = cubeStep(gi), cb = cubeStep(bi)
    let qr = cubeLevels[cr], qg = cubeLevels[cg], qb = cubeLevels[cb]
    let cubeError = (ri - qr) * (ri - qr) + (gi - qg) * (gi - qg) + (bi - qb) * (bi - qb)
    // Greys 232...255 are 8, 18, ..., 238.
    let mean = (ri + gi + bi) / 3
    let gs = mean < 3 ? 0 : min(23, (mean - 3) / 10)
    let gv = 8 + 10 * gs
    let greyError = (ri - gv) * (ri - gv) + (gi - gv) * (gi - gv) + (bi - gv) * (bi - gv)
    if greyError < cubeError { return Int16(232 + gs) }
    return Int16(16 + 36 * cr + 6 * cg + cb)
  }

  /// The nearest of the eight ANSI colours (each channel on or off).
  @inline(__always)
  public static func basic8(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int16 {
    Int16((r >= 128 ? 1 : 0) | (g >= 128 ? 2 : 0) | (b >= 128 ? 4 : 0))
  }

  /// The eight ANSI colours as xterm shows them.
  static let basicRGB: [(Int, Int, Int)] = [(0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205),
                                            (0, 205, 205), (229, 229, 229)]

  /// The ANSI colour nearest to (r, g, b) among those not in `taken` (a bit per colour), or nil if all are taken.
  static func nearestBasic(_ r: UInt8, _ g: UInt8, _ b: UInt8, avoiding taken: UInt8) -> Int16? {
    var best: Int16?, bestError = Int.max
    for (i, c) in basicRGB.enumerated() where taken & (1 << i) == 0 {
      let e = (Int(r) - c.0) * (Int(r) - c.0) + (Int(g) - c.1) * (Int(g) - c.1) + (Int(b) - c.2) * (Int(b) - c.2)
      if e < bestError { bestError = e; best = Int16(i) }
    }
    return best
  }

  @inline(__always)
  public static func quantise(_ r: UInt8, _ g: UInt8, _ b: UInt8, for support: ColourSupport) -> Int16 {
    switch support {
    case .indexed256: xterm256(r, g, b)
    case .basic: basic8(r, g, b)
    case .none: -1
    }
  }

  /// The RGB value of an xterm-256 index ≥ 16 (for tests and reasoning about errors).
  public static func rgb(ofXterm index: Int16) -> (UInt8, UInt8, UInt8) {
    let i = Int(index)
    if i >= 232 { let v = UInt8(8 + 10 * (i - 232)); return (v, v, v) }
    let c = i - 16
    return (UInt8(cubeLevels[c / 36]), UInt8(cubeLevels[(c / 6) % 6]), UInt8(cubeLevels[c % 6]))
  }

  /// The terminal colour of a glyph colour: ANSI 1–7, grey as 244 or bright black.
  public static func glyphColour(_ c: UInt8, for support: ColourSupport) -> Int16 {
    guard support != .none, let colour = GlyphGrid.Colour(rawValue: c) else { return -1 }
    switch colour {
    case .normal: return -1
    case .grey: return support == .indexed256 ? 244 : 7
    default: return Int16(colour.rawValue)
    }
  }
}

/// (fg, bg) → colour pair number, handed out on demand. Pair 0 is (-1, -1).
/// A flat table instead of a dictionary: it is looked up for every changed cell.
public struct PairCache: Sendable {
  /// Highest pair number that may be used (init_pair takes a short).
  public let limit: Int
  private var table: [Int16]
  public private(set) var used = 0

  public init(limit: Int) {
    self.limit = max(0, min(limit, 32767))
    table = [Int16](repeating: 0, count: 257 * 257)
  }

  @inline(__always)
  static func slot(_ fg: Int16, _ bg: Int16) -> Int { (Int(fg) + 1) * 257 + Int(bg) + 1 }

  /// The pair for (fg, bg), and whether it is new (the caller must then init it);
  /// nil when every pair is taken (the caller resets and redraws).
  @inline(__always)
  public mutating func pair(fg: Int16, bg: Int16) -> (pair: Int16, isNew: Bool)? {
    if fg == -1 && bg == -1 { return (0, false) }
    let s = PairCache.slot(fg, bg)
    let p = table[s]
    if p != 0 { return (p, false) }
    guard used < limit else { return nil }
    used += 1
    table[s] = Int16(used)
    return (Int16(used), true)
  }

  public mutating func reset() {
    for i in table.indices { table[i] = 0 }
    used = 0
  }
}
