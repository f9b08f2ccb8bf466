/// Reads a level map into world coordinates (y up), centring a map smaller
/// than the world, and collects every problem with its map row and column.
public struct MapReader {
  public let map: LevelMap
  public let worldWidth: Int
  public let worldHeight: Int
  public let offsetX: Int
  public let offsetY: Int
  public private(set) var problems: [LevelProblem] = []

  public init(map: LevelMap, world: Int, legend: [(Character, String)]) {
    self.init(map: map, worldWidth: world, worldHeight: world, legend: legend)
  }

  public init(map: LevelMap, worldWidth: Int, worldHeight: Int, legend: [(Character, String)]) {
    self.map = map
    self.worldWidth = worldWidth
    self.worldHeight = worldHeight
    offsetX = max(0, (worldWidth - map.width) / 2)
    offsetY = max(0, (worldHeight - map.height) / 2)
    if map.width > worldWidth || map.height > worldHeight {
      problems.append(LevelProblem(
        "map is \(map.width)x\(map.height), larger than this mode's world of \(worldWidth)x\(worldHeight)"))
    }
    let known = Set(legend.map(\.0))
    for (r, row) in map.rows.enumerated() {
      for (c, ch) in row.enumerated() where !known.contains(ch) {
        problems.append(LevelProblem(row: r, column: c,
          "unknown map character '\(ch)' (legend: \(legend.map { "\($0.0) \($0.1)" }.joined(separator: ", ")))"))
      }
    }
  }

  var fits: Bool { map.width <= worldWidth && map.height <= worldHeight }

  /// World coordinates of map cell (row, column).
  public func world(row: Int, column: Int) -> (x: Int, y: Int) {
    (offsetX + column, offsetY + map.height - 1 - row)
  }

  /// Calls `body(x, y, character)` for every map cell, in world coordinates.
  public func forEach(_ body: (Int, Int, Character) -> Void) {
    guard fits else { return }
    for (r, row) in map.rows.enumerated() {
      for (c, ch) in row.enumerated() {
        let p = world(row: r, column: c)
        body(p.x, p.y, ch)
      }
    }
  }

  /// All world positions of `ch`.
  public func positions(of ch: Character) -> [(x: Int, y: Int)] { positions(anyOf: [ch]) }

  /// All world positions holding any of `chars`.
  public func positions(anyOf chars: [Character]) -> [(x: Int, y: Int)] {
    var out: [(x: Int, y: Int)] = []
    forEach { x, y, c in if chars.contains(c) { out.append((x, y)) } }
    return out
  }

  /// The one position of `ch`; records a problem when there are none or several.
  public mutating func single(_ ch: Character, _ name: String) -> (x: Int, y: Int) {
    single(anyOf: [ch], name)
  }

  /// The one position holding any of `chars` (say, 'A' or '&' for an agent that may stand on the exit);
  /// records a problem when there are none or several.
  public mutating func single(anyOf chars: [Character], _ name: String) -> (x: Int, y: Int) {
    let all = positions(anyOf: chars)
    let shown = chars.map { "'\($0)'" }.joined(separator: " or ")
    if all.isEmpty && fits {
      problems.append(LevelProblem("the map has no \(name) (\(shown))"))
    } else if all.count > 1 {
      problems.append(problem(at: all[1], "more than one \(name) (\(shown))"))
    }
    return all.first ?? (0, 0)
  }

  /// Every position of `ch` in reading order (top row first, left to right); records a problem
  /// when there is none (`name`) or more than `max` (`plural`).
  public mutating func several(_ ch: Character, _ name: String, _ plural: String, max: Int) -> [(x: Int, y: Int)] {
    let all = positions(of: ch)
    if all.isEmpty && fits { problems.append(LevelProblem("the map has no \(name) ('\(ch)')")) }
    if all.count > max { problems.append(problem(at: all[max], "more than \(max) \(plural)")) }
    return all
  }

  /// A problem at a world position, reported at its map row and column.
  public func problem(at p: (x: Int, y: Int), _ message: String) -> LevelProblem {
    LevelProblem(row: map.height - 1 - (p.y - offsetY), column: p.x - offsetX, message)
  }

  public mutating func add(_ p: LevelProblem) { problems.append(p) }

  /// Records a problem unless the map's theme is one of the game's `count` themes.
  public mutating func checkTheme(count: Int, game: String) {
    if !(0..<count).contains(map.theme) {
      problems.append(LevelProblem("theme \(map.theme) does not exist (\(game) has themes 0...\(count - 1))"))
    }
  }

  /// Throws every recorded problem, if any.
  public func finish() throws(LevelProblems) {
    if !problems.isEmpty { throw LevelProblems(problems) }
  }
}
