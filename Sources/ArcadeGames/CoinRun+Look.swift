import ArcadeCore

/// coinrun's kinds, art and its three observations (frame, `grid`, `glyphs`).
extension CoinRun {
  // MARK: - Kinds

  static let gridChannels = ["ground", "crate", "lava", "saw", "enemy", "coin", "agent"]
  static let skyArt = ["ssssssss", "ssssssss", "sssSssss", "ssssssss", "ssssssss", "ssssssSs", "ssssssss", "ssssssss"]

  /// Every tile, entity and marker: map character, glyph, grid channel, art and legends.
  static let kinds = KindTable(channels: gridChannels, floor: Tile.empty, [
    Kind(tile: Tile.ground, map: "#", "ground", glyph: "#", .green, "ground", channels: ["ground"], art: [
      "dddddddd", "dDdddddd", "ddddddDd", "dddddddd", "dddDdddd", "dddddddd", "dDdddddd", "ddddddDd",
    ], mono: 101),
    Kind(tile: Tile.empty, map: ".", "empty", art: skyArt),
    Kind(tile: Tile.crate, map: "=", "crate (solid from above)", glyph: "=", .yellow, "crate", channels: ["crate"], art: [
      "CCCCCCCC", "CcccccCC", "CcCccCcC", "CccCCccC", "CccCCccC", "CcCccCcC", "CCccccCC", "CCCCCCCC",
    ], mono: 102),
    Kind(tile: Tile.lava, map: "~", "lava", glyph: "~", .red, "lava: deadly", channels: ["lava"], art: [
      "lLllllLl", "llllllll", "LlllLlll", "llllllll", "llLlllll", "llllllLl", "llllllll", "lllLllll",
    ], mono: 103),
    Kind(tile: Tile.saw, map: "^", "saw", glyph: "^", .red, "saw: deadly", channels: ["saw"], art: [
      "smsssmss", "ssmMmsss", "smMMMMss", "mMMkMMms", "smMMMMms", "ssMmMsss", "smssmsss", "ssssssss",
    ], mono: 104),
    // Barriers are drawn as sky (see `make`); the art only fills the atlas slot.
    Kind(tile: Tile.barrier, map: "|", "barrier (turns walkers, invisible)", art: skyArt, mono: 106),
    Kind(map: "E", "walker starting right", glyph: "e", .magenta, "walker: deadly", channels: ["enemy"]),
    Kind(map: "e", "walker starting left", glyph: "e", .magenta, channels: ["enemy"]),
    Kind(map: "A", "agent start", glyph: "@", .white, "you", channels: ["agent"]),
    Kind(tile: Tile.coin, map: "G", "coin (goal)", glyph: "$", .yellow, "the coin: reach it (+10)", channels: ["coin"], art: [
      "ssssssss", "ssYYYYss", "sYyyyyYs", "sYywyyYs", "sYyyyyYs", "sYyyyyYs", "ssYYYYss", "ssssssss",
    ], mono: 105),
  ])
  static let walkerKind = kinds[map: "e"], agentKind = kinds[map: "A"]

  // MARK: - Art

  static let themes: [Palette] = [
    ["s": RGB(hex: 0x8fd3ff), "S": RGB(hex: 0xb8e4ff), "d": RGB(hex: 0x8d5a2b), "D": RGB(hex: 0x6b3f1a),
     "g": RGB(hex: 0x4caf50), "G": RGB(hex: 0x2e7d32), "p": RGB(hex: 0xff7043)],
    ["s": RGB(hex: 0x2b2250), "S": RGB(hex: 0x3d3370), "d": RGB(hex: 0x7a7a8c), "D": RGB(hex: 0x55556a),
     "g": RGB(hex: 0xb0bec5), "G": RGB(hex: 0x78909c), "p": RGB(hex: 0x26c6da)],
    ["s": RGB(hex: 0xffcc80), "S": RGB(hex: 0xffe0b2), "d": RGB(hex: 0xc08040), "D": RGB(hex: 0x9c6630),
     "g": RGB(hex: 0xe6c35c), "G": RGB(hex: 0xb8962e), "p": RGB(hex: 0xab47bc)],
  ]
  static let fixed: Palette = [
    "c": RGB(hex: 0xc49a6c), "C": RGB(hex: 0x7b5530), "l": RGB(hex: 0xff5722), "L": RGB(hex: 0xffc107),
    "m": RGB(hex: 0x9e9e9e), "M": RGB(hex: 0x616161), "y": RGB(hex: 0xffd54f), "Y": RGB(hex: 0xf9a825),
    "k": RGB(hex: 0x212121), "w": RGB(hex: 0xffffff), "r": RGB(hex: 0xe53935), "b": RGB(hex: 0x3949ab),
  ]
  /// Display tile 7, after the tile ids: ground with open space above.
  static let surface = Tile.count
  static let surfaceArt = ["gGgggGgg", "ggggggGg", "GdgdgGdg", "dddddddd", "dDdddddd", "ddddddDd", "dddddddd", "dddDdddd"]
  static let atlases: [[UInt32]] = themes.map { kinds.atlas($0.merging(fixed) { a, _ in a }, extra: [surfaceArt]) }
  static let monoAtlas = kinds.monoAtlas(extra: [107])
  static let tileArt = TileArt(themes: atlases, mono: monoAtlas, monoSalt: 0x5555)
  static let playerArt = ["..pppp..", ".pwpwpp.", ".pkpkpp.", "..pppp..", ".bbbbbb.", "p.bbbb.p", "..b..b..", ".kk..kk."]
  static let walkerArt = ["........", "..rrrr..", ".rwkrwk.", ".rrrrrr.", "rrkkkkrr", "rrrrrrrr", ".r.rr.r.", "kk.kk.kk"]
  static let sprites: [SpriteSet] = themes.map { p in
    SpriteSet([Texture(art: playerArt, palette: p.merging(fixed) { a, _ in a }),
               Texture(art: walkerArt, palette: p.merging(fixed) { a, _ in a })], monoKind: 110)
  }

  // MARK: - Frame

  func view(_ s: State) -> Viewport {
    options.centerAgent
      ? .pixelAligned(x: s.agent.x, y: s.agent.y, side: 13)
      : .whole(width: CoinRun.width, height: CoinRun.height)
  }

  public func render(_ s: State, into canvas: inout Canvas) {
    let v = view(s), mono = options.monochrome
    CoinRun.tileArt.draw(&canvas, options.centerAgent ? .panned : .whole, key: s.tileKey, s.display, width: CoinRun.width, height: CoinRun.height,
                         theme: s.theme, monochrome: mono, view: v, outside: 1)
    let tex = CoinRun.sprites[s.theme].pick(mono)
    for e in s.enemies where abs(e.x - s.agent.x) < 16 || !options.centerAgent { canvas.drawEntity(tex[1], e, view: v) }
    canvas.drawSprite(tex[0], x: s.agent.x, y: s.agent.y, rx: 0.5, ry: 0.5, view: v, mirrored: s.agent.mirrored)
  }

  // MARK: - Grid and glyphs

  func window(_ s: State) -> AgentWindow { AgentWindow(around: s.agent, side: CoinRun.gridSide) }

  func shown(_ s: State, _ show: (Entity, Kind) -> Void) {
    for e in s.enemies { show(e, CoinRun.walkerKind) }
    show(s.agent, CoinRun.agentKind)
  }

  func tile(_ s: State, _ x: Int, _ y: Int) -> UInt8 { CoinRun.tile(s.tiles, x, y) }
}
