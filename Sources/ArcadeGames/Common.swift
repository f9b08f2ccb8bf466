import ArcadeCore

/// Per-game action-name tables (index = ProcGen action).
enum GameActions {
  /// Games that move in four directions and use no special key.
  static let fourWay = [
    "left", "left", "left", "down", "no-op", "up", "right", "right", "right",
    "no-op", "no-op", "no-op", "no-op", "no-op", "no-op",
  ]
  /// Platformers: run left or right, jump with up (alone or with a direction).
  static let jump = [
    "left", "left", "left+jump", "no-op", "no-op", "jump", "right", "right", "right+jump",
    "no-op", "no-op", "no-op", "no-op", "no-op", "no-op",
  ]
  /// Games that move in eight directions and use no special key.
  static let eightWay = [
    "left+down", "left", "left+up", "down", "no-op", "up", "right+down", "right", "right+up",
    "no-op", "no-op", "no-op", "no-op", "no-op", "no-op",
  ]
}

/// Helpers for the `grid` observation (row 0 = top, like the frame).
enum GridObs {
  @inline(__always) static func row(_ y: Int, _ height: Int) -> Int { height - 1 - y }
}

extension GameActions {
  /// Eight-way movement plus D = `fire` (other specials are no-ops).
  static func eightWayFire(_ fire: String) -> [String] {
    var n = eightWay
    n[9] = fire
    return n
  }

  /// Left and right only (up and down are no-ops) plus D = `fire` (other specials are no-ops).
  static func leftRightFire(_ fire: String) -> [String] {
    var n = ["left", "left", "left", "no-op", "no-op", "no-op", "right", "right", "right"]
      + [String](repeating: "no-op", count: Action.count - 9)
    n[9] = fire
    return n
  }
}

/// Generation that draws a level again when the reachability model rejects it.
enum Redraw {
  /// The first of up to `tries` levels from `draw` that `solvable` accepts, else
  /// the last one drawn (nil when every draw failed). Each draw continues the
  /// same stream, so the level stays a function of the seed.
  static func untilSolvable<S>(tries: Int, _ draw: () -> S?, solvable: (S) -> Bool) -> S? {
    var last: S? = nil
    for _ in 0..<tries {
      guard let s = draw() else { continue }
      if solvable(s) { return s }
      last = s
    }
    return last
  }
}

/// A static tile layer: one texture index per cell, plus its atlases per theme
/// (and a monochrome one), for games whose background never changes.
struct Backdrop: Sendable {
  let width: Int, height: Int
  let tiles: [UInt8]
  let atlases: [[UInt32]]
  let mono: [UInt32]

  /// `pattern(x, y)` picks the tile of each cell; `art` is indexed [theme][tile].
  init(width: Int, height: Int, art: [[Texture]], monoKind: Int, pattern: (Int, Int) -> Int) {
    self.width = width
    self.height = height
    var t = [UInt8](repeating: 0, count: width * height)
    for y in 0..<height { for x in 0..<width { t[y * width + x] = UInt8(pattern(x, y)) } }
    tiles = t
    atlases = art.map { Texture.atlas($0) }
    mono = Texture.atlas(art[0].indices.map { _ in Texture.solid(.monochrome(kind: monoKind)) })
  }

  func draw(_ canvas: inout Canvas, theme: Int, monochrome: Bool, view: Viewport, salt: UInt64) {
    canvas.drawTilesCached(key: salt &* 31 &+ UInt64(monochrome ? 1000 : theme), tiles, width: width, height: height,
                           view: view, atlas: monochrome ? mono : atlases[theme], outside: 0)
  }
}

extension EntityList {
  /// The same entities in level-file reading order (top row first, then left
  /// to right), so a generated level and its exported map load identically.
  func inMapOrder() -> EntityList {
    var out = EntityList(capacity: capacity)
    let sorted = items.enumerated().sorted { a, b in
      let ca = a.element.cell, cb = b.element.cell
      return ca.y != cb.y ? ca.y > cb.y : ca.x != cb.x ? ca.x < cb.x : a.offset < b.offset
    }
    for e in sorted { out.append(e.element) }
    return out
  }
}
