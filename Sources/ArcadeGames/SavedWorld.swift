import ArcadeCore

extension ByteReader {
  /// A saved square world: its side, which must be this mode's `side` (`what`
  /// names it in errors), then its side × side tiles, none above `max`.
  mutating func squareWorld(_ what: String, side: Int, tiles: String = "tiles", max: UInt8) throws -> (n: Int, tiles: [UInt8]) {
    let n = try int(what, in: side...side)
    return (n, try u8s(tiles, count: n * n, max: max))
  }
}
