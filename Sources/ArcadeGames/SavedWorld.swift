import ArcadeCore

extension ByteReader {
  /// A saved square world: its side, which must be this mode's `side` (`what`
  /// names it in errors), then its side × side tiles, none above `max`.
  mutating func squareWorld(_ what: String, side: Int, tiles: String = "tiles", max: UInt8) throws -> (n: Int, tiles: [UInt8]) {
    let n = try int(what, in: side...side)
    return (n, try u8s(tiles, count: n * n, max: max))
  }
}

extension ByteReader {
  /// A saved world as wide as the mode's `width` and `height` tall (climber,
  /// fruitbot): its width, which must be `width`, then its width × height tiles,
  /// none above `max`.
  mutating func tallWorld(width: Int, height: Int, max: UInt8) throws -> (w: Int, tiles: [UInt8]) {
    let w = try int("width", in: width...width)
    return (w, try u8s("tiles", count: w * height, max: max))
  }
}
