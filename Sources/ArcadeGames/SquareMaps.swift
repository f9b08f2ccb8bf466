import ArcadeCore

/// Level files of the games whose world is a square of `KindTable` tiles with
/// an agent start "A" (chaser, dodgeball, heist, jumper): writing and the
/// start of reading are the same for each, so they live here once.
extension KindTable {
  /// The map of a square world: its tiles, then the entity markers written
  /// over them in order (later on top; one standing off the map is skipped).
  func levelMap(_ tiles: [UInt8], side n: Int, theme: Int, marks: [((x: Int, y: Int), Character)]) -> LevelMap {
    var m = levelMap(tiles, width: n, height: n, theme: theme)
    for (cell, c) in marks { m.put(cell, c) }
    return m
  }

  /// Reads `map` into a square world of side `n` (cells outside a smaller
  /// map are `fill`): the tiles and the agent start, then `markers` reads the
  /// game's own markers and checks, then the theme is checked and every
  /// problem found so far is thrown at once. The reader is returned for the
  /// game's later checks (`problem(at:)`).
  func readSquare<M>(_ map: LevelMap, side n: Int, fill: UInt8, themes: Int, game: String,
                     markers: (inout MapReader, [UInt8]) -> M) throws(LevelProblems)
    -> (reader: MapReader, tiles: [UInt8], agent: (x: Int, y: Int), markers: M) {
    var reader = MapReader(map: map, world: n, legend: legend)
    let tiles = self.tiles(reader, fill: fill)
    let agent = reader.single("A", "agent start")
    let m = markers(&reader, tiles)
    reader.checkTheme(count: themes, game: game)
    try reader.finish()
    return (reader, tiles, agent, m)
  }
}

/// A square-world game with level maps (chaser, heist, jumper; dodgeball still
/// calls `KindTable.readSquare` itself, its file being changed elsewhere): the
/// map's side is the mode's world side and its themes and name are the game's,
/// so each game reads its map giving only what differs (the fill outside a
/// smaller map and its own markers).
protocol SquareMapGame: Game {
  static var kinds: KindTable { get }
  static var themes: [Palette] { get }
  var worldSide: Int { get }
}

extension SquareMapGame {
  /// `KindTable.readSquare` for a map of this game in this mode.
  func readSquare<M>(_ map: LevelMap, fill: UInt8, markers: (inout MapReader, [UInt8]) -> M) throws(LevelProblems)
    -> (reader: MapReader, tiles: [UInt8], agent: (x: Int, y: Int), markers: M) {
    try Self.kinds.readSquare(map, side: worldSide, fill: fill, themes: Self.themes.count, game: Self.descriptor.name,
                              markers: markers)
  }
}

extension Chaser: SquareMapGame {}
extension Heist: SquareMapGame {}
extension Jumper: SquareMapGame {}
