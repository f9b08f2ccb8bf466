import ArcadeCore

/// dodgeball's kinds, art and its three observations (frame, `grid`, `glyphs`).
extension DodgeBall {
  // MARK: - Kinds

  static let gridChannels = ["lava", "door (closed)", "door (open)", "agent", "enemy", "agent ball", "enemy ball", "wall"]
  /// Every tile and entity (`ArcadeCore.Kind`: `Kind` here names the entity kinds).
  static let kinds = KindTable(channels: gridChannels, floor: Tile.floor, [
    ArcadeCore.Kind(tile: Tile.lava, map: "#", "lava wall", glyph: "#", .red, "lava wall", channels: ["lava"], art: [
      "llllllll", "lmllllll", "lllllmml", "llmlllll", "llllllll", "lllmllll", "mlllllml", "llllllll",
    ], mono: 81),
    ArcadeCore.Kind(tile: Tile.floor, map: ".", "floor", glyph: "·", .grey, "floor", art: [
      "ffffffff", "fgffffff", "ffffffff", "fffffgff", "ffffffff", "ffgfffff", "ffffffff", "ffffffgf",
    ]),
    ArcadeCore.Kind(tile: Tile.door, map: "D", "exit door (closed until the enemies are gone)", glyph: "D", .yellow,
                    "exit door, closed while enemies remain", channels: ["door (closed)"], art: [
      "dddddddd", "dwwwwwwd", "dwwwwwwd", "dwwwwkwd", "dwwwwkwd", "dwwwwwwd", "dwwwwwwd", "dddddddd",
    ], mono: 82),
    // The open door is written as a closed one: a level starts with its enemies.
    ArcadeCore.Kind(tile: Tile.open, map: "D", glyph: "O", .green, "exit door, open: leave (+10)", channels: ["door (open)"], art: [
      "dddddddd", "dkkkkkkd", "dkkkkkkd", "dkkkkkkd", "dkkkkkkd", "dkkkkkkd", "dkkkkkkd", "dddddddd",
    ], mono: 83),
    ArcadeCore.Kind(tile: Tile.wall, map: "W", "wall (blocks, does not kill)", glyph: "=", .grey, "wall", channels: ["wall"], art: [
      "ssssssst", "ssssssst", "tttttttt", "ssstssss", "ssstssss", "tttttttt",
      "ssssssst", "ssssssst",
    ], mono: 84),
    ArcadeCore.Kind(map: "A", "agent start (floor)", glyph: "@", .white, "you", channels: ["agent"]),
    ArcadeCore.Kind(map: "E", "enemy (floor)", glyph: "E", .magenta, "enemy: hit it with a ball (+2)", channels: ["enemy"]),
    ArcadeCore.Kind(glyph: "o", .cyan, "ball (cyan: yours; red: the enemies')", channels: ["agent ball"]),
    ArcadeCore.Kind(glyph: "o", .red, channels: ["enemy ball"]),
  ])
  static let agentKind = kinds[map: "A"], enemyKind = kinds[map: "E"]
  static let ballKinds = (mine: kinds.kinds[7], theirs: kinds.kinds[8])

  // MARK: - Art

  static let themes: [Palette] = [
    ["f": RGB(hex: 0x9e9e9e), "g": RGB(hex: 0x8a8a8a), "l": RGB(hex: 0xff5722), "m": RGB(hex: 0xffc107)],
    ["f": RGB(hex: 0xbcaaa4), "g": RGB(hex: 0xa1887f), "l": RGB(hex: 0xd50000), "m": RGB(hex: 0xff6d00)],
    ["f": RGB(hex: 0x90a4ae), "g": RGB(hex: 0x78909c), "l": RGB(hex: 0xaa00ff), "m": RGB(hex: 0xea80fc)],
  ]
  static let fixed: Palette = ["d": RGB(hex: 0x3e2723), "w": RGB(hex: 0x8d6e63), "k": RGB(hex: 0x111111),
                               "s": RGB(hex: 0x616161), "t": RGB(hex: 0x3a3a3a)]
  static let atlases: [[UInt32]] = themes.map { kinds.atlas($0.merging(fixed) { a, _ in a }) }
  static let monoAtlas = kinds.monoAtlas()
  static let tileArt = TileArt(themes: atlases, mono: monoAtlas, monoSalt: 0x77)
  static let agentArt = ["..hhhh..", "..hsss..", "..ssss..", ".bbbbbb.", "s.bbbb.s", "..bbbb..", "..p..p..", ".pp..pp."]
  static let enemyArt = ["..rrrr..", ".rkrrkr.", ".rrrrrr.", "..rrrr..", "oooooooo", "..oooo..", "..o..o..", ".oo..oo."]
  static let ballArt = ["..yy..", ".yyyy.", "yyyyyy", "yyyyyy", ".yyyy.", "..yy.."]
  /// agent, enemy, agent ball, enemy ball.
  static let sprites = SpriteSet([
    Texture(art: agentArt, palette: ["h": RGB(hex: 0x4e342e), "s": RGB(hex: 0xffcc80), "b": RGB(hex: 0x1e88e5),
                                     "p": RGB(hex: 0x263238)]),
    Texture(art: enemyArt, palette: ["r": RGB(hex: 0xc62828), "k": RGB(hex: 0xffffff), "o": RGB(hex: 0x6a1b9a)]),
    Texture(art: ballArt, palette: ["y": RGB(hex: 0x2979ff)]),
    Texture(art: ballArt, palette: ["y": RGB(hex: 0xff1744)]),
  ], monoKind: 90)

  // MARK: - Frame

  func view(_ s: State) -> Viewport {
    memory ? .centred(x: s.agent.x, y: s.agent.y, side: Float(DodgeBall.memoryWindow)) : .whole(width: s.size, height: s.size)
  }

  public func render(_ s: State, into canvas: inout Canvas) {
    let v = view(s), mono = options.monochrome
    DodgeBall.tileArt.draw(&canvas, .whole, key: s.tileKey, s.tiles, width: s.size, height: s.size, theme: s.theme, monochrome: mono, view: v, outside: Tile.wall)
    let tex = DodgeBall.sprites.pick(mono)
    for e in s.enemies { canvas.drawEntity(tex[1], e, view: v) }
    for b in s.balls { canvas.drawEntity(tex[b.kind == Kind.ball.rawValue ? 2 : 3], b, view: v) }
    canvas.drawEntity(tex[0], s.agent, view: v)
  }

  // MARK: - Grid and glyphs

  /// The grid/glyph window: the whole room, or (memory) a window around the agent.
  func window(_ s: State) -> AgentWindow {
    memory ? AgentWindow(around: s.agent, side: DodgeBall.memoryWindow) : AgentWindow(whole: worldSide)
  }

  func shown(_ s: State, _ show: (Entity, ArcadeCore.Kind) -> Void) {
    for e in s.enemies { show(e, DodgeBall.enemyKind) }
    for b in s.balls { show(b, b.kind == Kind.ball.rawValue ? DodgeBall.ballKinds.mine : DodgeBall.ballKinds.theirs) }
    show(s.agent, DodgeBall.agentKind)
  }
}
