import ArcadeCore

/// leaper's kinds, art and its three observations (frame, `grid`, `glyphs`).
extension Leaper {
  // MARK: - Kinds

  static let gridChannels = ["agent", "car", "log", "water", "road", "finish"]

  /// Terrains (tile id = `Terrain` raw value, one per row), the frog and the movers.
  static let kinds = KindTable(channels: gridChannels, [
    Kind(tile: Terrain.grass.rawValue, map: ".", "grass", glyph: ".", .green, "grass", art: [
      "gggggggg", "ggtggggg", "gggggtgg", "gggggggg", "gtgggggg", "ggggggtg", "gggtgggg", "gggggggg",
    ], mono: 4),
    Kind(tile: Terrain.road.rawValue, map: "=", "road lane (needs @ speed=)", glyph: "-", .grey, "road", channels: ["road"], art: [
      "mmrrmmrr", "rrrrrrrr", "rrrrrrrr", "rrrrrrrr", "rrrrrrrr", "rrrrrrrr", "rrrrrrrr", "rrrrrrrr",
    ], mono: 16),
    Kind(tile: Terrain.water.rawValue, map: "~", "water lane (needs @ speed=)", glyph: "~", .blue, "water: deadly off a log",
         channels: ["water"], art: [
      "wwwwwwww", "wvvwwwww", "wwwwwwww", "wwwwwvvw", "wwwwwwww", "wwvvwwww", "wwwwwwww", "wwwwwwvv",
    ], mono: 15),
    Kind(tile: Terrain.finish.rawValue, map: "F", "finish line", glyph: "#", .magenta, "the finish row (+10)", channels: ["finish"],
         art: ["aabbaabb", "aabbaabb", "bbaabbaa", "bbaabbaa", "aabbaabb", "aabbaabb", "bbaabbaa", "bbaabbaa"], mono: 18),
    Kind(map: "A", "agent start (on grass)", glyph: "@", .white, "the frog (you)", channels: ["agent"]),
    Kind(glyph: "o", .white, "the frog mid-hop: keys wait until it lands"),
    Kind(glyph: ">", .red, "car, pointing where it drives", channels: ["car"]),
    Kind(glyph: "<", .red, "car, pointing where it drives"),
    Kind(glyph: "=", .yellow, "log: ride it across the water", channels: ["log"]),
  ])
  static let frogKinds = (rest: kinds.kinds[4], hop: kinds.kinds[5])
  static let carKinds = (right: kinds.kinds[6], left: kinds.kinds[7]), logKind = kinds.kinds[8]

  // MARK: - Art

  static let themes: [Palette] = [
    // day
    ["g": RGB(hex: 0x4caf50), "t": RGB(hex: 0x2e7d32), "r": RGB(hex: 0x454545), "m": RGB(hex: 0xe0e0e0),
     "w": RGB(hex: 0x1e78d2), "v": RGB(hex: 0x8cc4f5), "a": RGB(hex: 0xf5f5f5), "b": RGB(hex: 0x212121),
     "l": RGB(hex: 0x8d6e63), "L": RGB(hex: 0x5d4037), "o": RGB(hex: 0xd7ccc8)],
    // autumn
    ["g": RGB(hex: 0x9e9d24), "t": RGB(hex: 0x6d6b12), "r": RGB(hex: 0x5b4a3f), "m": RGB(hex: 0xffd54f),
     "w": RGB(hex: 0x00838f), "v": RGB(hex: 0x6fd6df), "a": RGB(hex: 0xffeb3b), "b": RGB(hex: 0xc62828),
     "l": RGB(hex: 0xa1887f), "L": RGB(hex: 0x6d4c41), "o": RGB(hex: 0xefebe9)],
    // night
    ["g": RGB(hex: 0x2e5d32), "t": RGB(hex: 0x1b3d1f), "r": RGB(hex: 0x22292e), "m": RGB(hex: 0x90a4ae),
     "w": RGB(hex: 0x0d2b5e), "v": RGB(hex: 0x3f6cb5), "a": RGB(hex: 0xb0bec5), "b": RGB(hex: 0x37474f),
     "l": RGB(hex: 0x6d4c41), "L": RGB(hex: 0x3e2723), "o": RGB(hex: 0xa1887f)],
  ]
  static let carColours: [[UInt32]] = [
    [0xe53935, 0xfdd835, 0x8e24aa], [0xff7043, 0x26a69a, 0xeceff1], [0xef5350, 0x42a5f5, 0xffee58],
  ]

  static let carArt = [
    "........", "..cccc..", ".cwwcwc.", "cccccccy", "cccccccc", "cdccccdc", ".kk..kk.", "........",
  ]
  static let logArt = [
    "................", ".llllllllllllll.", "lLllllLlllllllLo", "lllllllllllLlllo", "llLllllllllllllo",
    "lllllllLlllllllo", ".llllllllllllll.", "................",
  ]
  static let frogSit = [
    ".y....y.", "gkg..gkg", "gggggggg", ".gpgggg.", ".ggpggg.", "g.gggg.g", "gg.gg.gg", "g......g",
  ]
  static let frogLeap = [
    "g.y..y.g", "ggkggkgg", ".gggggg.", "..gppg..", "..gggg..", "..gggg..", ".g....g.", "g......g",
  ]
  static let frogPalette: Palette = ["g": RGB(hex: 0x76ff03), "k": RGB(0, 0, 0), "y": RGB(hex: 0xffff8d),
                                      "p": RGB(hex: 0xccff90)]

  /// Art facing up, turned to face direction `dir` (0 left, 1 right, 2 down, 3 up).
  static func turned(_ art: [String], _ dir: Int) -> [String] {
    let a = art.map(Array.init)
    let n = a.count
    switch dir {
    case 2: return a.reversed().map { String($0) }
    case 1: return (0..<n).map { y in String((0..<n).map { x in a[n - 1 - x][y] }) }  // clockwise
    case 0: return (0..<n).map { y in String((0..<n).map { x in a[x][n - 1 - y] }) }  // counter-clockwise
    default: return art
    }
  }

  struct Art: Sendable {
    var atlas: [UInt32]
    var frogs: [[Texture]]   // [sit, leap][dir]
    var cars: [Texture]      // facing right
    var carsLeft: [Texture]
    var logs: [Texture]
  }

  static func makeArt(theme p: Palette, cars: [UInt32]) -> Art {
    let frogs = [frogSit, frogLeap].map { art in (0..<4).map { Texture(art: turned(art, $0), palette: frogPalette) } }
    let carTex = cars.map { c in
      Texture(art: carArt, palette: ["c": RGB(hex: c), "w": RGB(hex: 0xb3e5fc), "y": RGB(hex: 0xfff59d),
                                     "d": RGB(hex: 0x616161), "k": RGB(hex: 0x101010)])
    }
    let logs = [logArt, logArt.map { String($0.reversed()) }].map { Texture(art: $0, palette: p) }
    return Art(atlas: kinds.atlas(p), frogs: frogs, cars: carTex, carsLeft: carTex.map { $0.mirrored() }, logs: logs)
  }

  static let arts: [Art] = (0..<themes.count).map { makeArt(theme: themes[$0], cars: carColours[$0]) }
  static let monoArt: Art = {
    // Monochrome kinds chosen so that terrain and sprites stay distinct.
    let a = makeArt(theme: themes[0], cars: carColours[0])
    return Art(
      atlas: kinds.monoAtlas(),
      frogs: a.frogs.map { $0.map { $0.flattened(to: .monochrome(kind: 6)) } },
      cars: a.cars.map { $0.flattened(to: .monochrome(kind: 10)) },
      carsLeft: a.carsLeft.map { $0.flattened(to: .monochrome(kind: 10)) },
      logs: a.logs.map { $0.flattened(to: .monochrome(kind: 14)) })
  }()

  // MARK: - Frame

  public func render(_ s: State, into canvas: inout Canvas) {
    let n = s.side
    let view = Viewport.whole(width: n, height: n)
    let art = options.monochrome ? Leaper.monoArt : Leaper.arts[s.theme]
    // One tile per cell, each row its terrain.
    canvas.drawTilesCached(key: s.layoutKey ^ (options.monochrome ? 1 : 0), s.tiles, width: n, height: n,
                           view: view, atlas: art.atlas, outside: 0)
    for r in 0..<n {
      let t = s.terrain(r)
      guard t == .road || t == .water else { continue }
      let lane = s.lanes[r], v = s.speeds[r]
      let len = t == .road ? Leaper.carLength : Leaper.logLength
      for (i, x) in lane.xs.enumerated() {
        let look = Int(lane.looks[i])
        let tex = t == .road ? (v > 0 ? art.cars[look] : art.carsLeft[look]) : art.logs[look % art.logs.count]
        canvas.drawSprite(tex, x: x + len / 2, y: Float(r) + 0.5, rx: len / 2, ry: 0.5, view: view)
      }
    }
    let f = s.frog
    canvas.drawSprite(art.frogs[f.hop > 0 ? 1 : 0][f.dir], x: f.x, y: f.y, rx: 0.5, ry: 0.5, view: view)
  }

  // MARK: - Grid and glyphs

  /// How much of cell column `c` the interval [x, x + len) covers.
  @inline(__always) static func cover(_ c: Int, _ x: Float, _ len: Float) -> Float {
    max(0, min(Float(c + 1), x + len) - max(Float(c), x))
  }

  public func encodeGrid(_ s: State, into out: UnsafeMutableBufferPointer<Float>) {
    let n = s.side, plane = n * n
    Leaper.kinds.encode(s.tiles, width: n, height: n, into: out)
    for y in 0..<n {
      let row = GridObs.row(y, n) * n
      let t = s.terrain(y)
      guard t == .road || t == .water else { continue }
      let len = t == .road ? Leaper.carLength : Leaper.logLength
      // Movers mark the fraction of each cell they cover.
      let ch = (t == .road ? Leaper.carKinds.right : Leaper.logKind).channels[0]
      for x0 in s.lanes[y].xs {
        let lo = max(0, Int(x0.rounded(.down))), hi = min(n - 1, Int((x0 + len).rounded(.down)))
        guard lo <= hi else { continue }
        for c in lo...hi { out[ch * plane + row + c] = min(1, out[ch * plane + row + c] + Leaper.cover(c, x0, len)) }
      }
    }
    let (fx, fy) = frogCell(s)
    out[Leaper.frogKinds.rest.channels[0] * plane + GridObs.row(fy, n) * n + fx] = 1
  }

  func frogCell(_ s: State) -> (Int, Int) {
    let n = s.side
    return (min(n - 1, max(0, Int(s.frog.x.rounded(.down)))), min(n - 1, max(0, Int(s.frog.y.rounded(.down)))))
  }

  public func drawGlyphs(_ s: State, into g: inout GlyphGrid) {
    let n = s.side
    Leaper.kinds.drawGlyphs(s.tiles, into: &g)
    for y in 0..<n {
      let t = s.terrain(y)
      guard t == .road || t == .water else { continue }
      let len = t == .road ? Leaper.carLength : Leaper.logLength
      let k = t == .water ? Leaper.logKind : s.speeds[y] > 0 ? Leaper.carKinds.right : Leaper.carKinds.left
      for x0 in s.lanes[y].xs {
        for c in 0..<n where Float(c) + 0.5 >= x0 && Float(c) + 0.5 < x0 + len { g.setWorld(c, y, k.glyph, k.colour) }
      }
    }
    let (fx, fy) = frogCell(s)
    let f = s.frog.hop > 0 ? Leaper.frogKinds.hop : Leaper.frogKinds.rest
    g.setWorld(fx, fy, f.glyph, f.colour)
  }
}
