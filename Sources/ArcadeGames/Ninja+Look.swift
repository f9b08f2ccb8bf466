import ArcadeCore

/// ninja's kinds, art and its three observations (frame, `grid`, `glyphs`).
extension Ninja {
  // MARK: - Kinds

  static let gridChannels = ["wall", "fire", "bomb", "explosion", "star", "mushroom", "agent"]

  /// Every tile and entity (`ArcadeCore.Kind`: `Kind` here names the entity kinds).
  static let kinds = KindTable(channels: gridChannels, floor: Tile.empty, [
    ArcadeCore.Kind(tile: Tile.wall, map: "#", "solid (ledge, ceiling, wall)", glyph: "#", .grey, "solid ground",
                    channels: ["wall"], art: [
      "wwwwwwww", "wWwwwWww", "WWWWWWWW", "wwwwWwww", "wwwwWwww", "WWWWWWWW", "wwWwwwwW", "wwWwwwwW",
    ], mono: 141),
    ArcadeCore.Kind(tile: Tile.empty, map: ".", "empty", art: [
      "bbbbbbbb", "bbbbbbbb", "bbbBbbbb", "bbbbbbbb", "bbbbbbbb", "bbbbbbBb", "bbbbbbbb", "bbbbbbbb",
    ]),
    ArcadeCore.Kind(tile: Tile.fire, map: "~", "fire (deadly)", glyph: "~", .red, "fire: deadly", channels: ["fire"], art: [
      "bbfbbbfb", "bfFfbfFf", "fFFFfFFF", "FFyFFFyF", "fFFFFFFF", "FFFFfFFF", "fFFFFFFf", "ffffffff",
    ], mono: 142),
    ArcadeCore.Kind(map: "B", "bomb", glyph: "B", .red, "bomb: deadly", channels: ["bomb"]),
    ArcadeCore.Kind(glyph: "+", .white, "your throwing star: destroys bombs", channels: ["star"]),
    ArcadeCore.Kind(glyph: "*", .yellow, "explosion", channels: ["explosion"]),
    ArcadeCore.Kind(map: "A", "agent start", glyph: "@", .cyan, "the ninja (you)", channels: ["agent"]),
    ArcadeCore.Kind(tile: Tile.mushroom, map: "M", "mushroom (goal)", glyph: "M", .magenta, "the mushroom: reach it (+10)",
                    channels: ["mushroom"], art: [
      "bbbbbbbb", "bbrrrrbb", "brRrrRrb", "rrrrrrrr", "bbbssbbb", "bbbssbbb", "bbssssbb", "bbbbbbbb",
    ], mono: 143),
  ])
  static let bombKind = kinds[map: "B"], agentKind = kinds[map: "A"]
  static let starKind = kinds.kinds[4], explosionKind = kinds.kinds[5]

  // MARK: - Art

  static let themes: [Palette] = [
    ["b": RGB(hex: 0x14213d), "B": RGB(hex: 0x1a2a4d), "w": RGB(hex: 0x6c757d), "W": RGB(hex: 0x495057)],
    ["b": RGB(hex: 0x2d1b33), "B": RGB(hex: 0x3a2342), "w": RGB(hex: 0x8d6e63), "W": RGB(hex: 0x5d4037)],
    ["b": RGB(hex: 0x0b2e2b), "B": RGB(hex: 0x103d39), "w": RGB(hex: 0x558b2f), "W": RGB(hex: 0x33691e)],
  ]
  static let fixed: Palette = [
    "f": RGB(hex: 0xff6d00), "F": RGB(hex: 0xffd600), "r": RGB(hex: 0xd50000), "R": RGB(hex: 0xff8a80),
    "s": RGB(hex: 0xf5f5dc), "k": RGB(hex: 0x111111), "g": RGB(hex: 0xb0bec5), "x": RGB(hex: 0xff3d00),
    "y": RGB(hex: 0xffea00), "n": RGB(hex: 0x26c6da), "e": RGB(hex: 0xef5350),
  ]
  static let atlases: [[UInt32]] = themes.map { kinds.atlas($0.merging(fixed) { a, _ in a }) }
  static let monoAtlas = kinds.monoAtlas()
  static let tileArt = TileArt(themes: atlases, mono: monoAtlas, monoSalt: 0xabc)
  /// Cyan like its glyph: the dark suit it had was lost on the dark backgrounds (issue 18).
  static let ninjaArt = ["..nnnn..", ".nnnnnn.", ".eeeeeee", ".nksnks.", "..nnnn..", ".nnnnnn.", "n.nnnn.n", ".nn..nn."]
  static let starArt = ["...g....", "...g....", "..ggg...", "gggkggg.", "..ggg...", "...g....", "...g....", "........"]
  static let bombArt = ["......y.", ".....x..", "..kkkk..", ".kkkkkk.", "kkgkkkkk", "kkkkkkkk", ".kkkkkk.", "..kkkk.."]
  static let blastArt = ["..y..y..", ".yxyyxy.", "yxxFFxxy", ".xFFFFx.", ".xFFFFx.", "yxxFFxxy", ".yxyyxy.", "..y..y.."]
  static let sprites = SpriteSet([ninjaArt, starArt, bombArt, blastArt].map { Texture(art: $0, palette: fixed) }, monoKind: 145)

  // MARK: - Frame

  var visibility: Float { options.mode == .easy ? 10 : 16 }

  func view(_ s: State) -> Viewport {
    options.centerAgent ? .pixelAligned(x: s.agent.x, y: s.agent.y, side: visibility)
      : .whole(width: Ninja.width, height: Ninja.height)
  }

  public func render(_ s: State, into canvas: inout Canvas) {
    let v = view(s), mono = options.monochrome
    Ninja.tileArt.draw(&canvas, .panned, key: s.tileKey, s.tiles, width: Ninja.width, height: Ninja.height, theme: s.theme, monochrome: mono, view: v, outside: Tile.wall)
    let tex = Ninja.sprites.pick(mono)
    for e in s.bombs { canvas.drawEntity(tex[2], e, view: v) }
    for e in s.stars { canvas.drawEntity(tex[1], e, view: v) }
    canvas.drawSprite(tex[0], x: s.agent.x, y: s.agent.y, rx: 0.5, ry: 0.5, view: v, mirrored: s.agent.mirrored)
    for e in s.explosions { canvas.drawEntity(tex[3], e, view: v) }
    // The charge bar at the left edge.
    let h = Int((s.charge * 30).rounded())
    if h > 0 { canvas.fillRect(x0: 0, y0: 62 - h, x1: 3, y1: 62, RGB(hex: 0xffeb3b)) }
  }

  // MARK: - Grid and glyphs

  func window(_ s: State) -> AgentWindow { AgentWindow(around: s.agent, side: Ninja.gridSide) }

  func shown(_ s: State, _ show: (Entity, ArcadeCore.Kind) -> Void) {
    for e in s.bombs { show(e, Ninja.bombKind) }
    for e in s.explosions { show(e, Ninja.explosionKind) }
    for e in s.stars { show(e, Ninja.starKind) }
    show(s.agent, Ninja.agentKind)
  }

  func tile(_ s: State, _ x: Int, _ y: Int) -> UInt8 { Ninja.tile(s.tiles, x, y) }
}
