import ArcadeCore

/// caveflyer's kinds, art and its three observations (frame, `grid`, `glyphs`).
extension CaveFlyer {
  // MARK: - Kinds

  static let gridChannels = ["wall", "meteor", "target", "enemy", "exit", "laser", "agent", "heading x", "heading y"]
  /// The ship's glyph: an arrow for the nearest of eight directions.
  static let arrows: [Character] = ["→", "↗", "↑", "↖", "←", "↙", "↓", "↘"]
  /// Every tile and object (`ArcadeCore.Kind`: `Kind` here names the object kinds); cave art is in `looks`.
  static let kinds = KindTable(channels: gridChannels, floor: Tile.open, [
    ArcadeCore.Kind(tile: Tile.wall, map: "#", "wall", glyph: "#", .grey, "cave wall", channels: ["wall"]),
    ArcadeCore.Kind(tile: Tile.open, map: ".", "open"),
    ArcadeCore.Kind(map: "A", "agent start (ship facing up)", glyph: arrows[0], .white, "your ship, pointing where it faces",
                    channels: ["agent"]),
    ArcadeCore.Kind(map: "X", "exit (goal)", glyph: "X", .green, "the exit (+10)", channels: ["exit"]),
    ArcadeCore.Kind(map: "O", "meteor (deadly)", glyph: "O", .yellow, "meteor: deadly", channels: ["meteor"]),
    ArcadeCore.Kind(map: "T", "target ship (deadly; 5 hits destroy it, +3)", glyph: "T", .red, "target: 5 hits (+3)",
                    channels: ["target"]),
    ArcadeCore.Kind(map: "<", "enemy ship patrolling, starting left", glyph: "E", .magenta, "enemy ship: deadly",
                    channels: ["enemy"]),
    ArcadeCore.Kind(map: ">", "enemy ship patrolling, starting right", glyph: "E", .magenta, channels: ["enemy"]),
    ArcadeCore.Kind(map: "^", "enemy ship patrolling, starting up", glyph: "E", .magenta, channels: ["enemy"]),
    ArcadeCore.Kind(map: "v", "enemy ship patrolling, starting down", glyph: "E", .magenta, channels: ["enemy"]),
    ArcadeCore.Kind(glyph: "*", .cyan, "your laser bolt", channels: ["laser"]),
  ] + arrows.dropFirst().map { ArcadeCore.Kind(glyph: $0, .white, "your ship, pointing where it faces") })
  static let agentKind = kinds[map: "A"], exitKind = kinds[map: "X"], boltKind = kinds.kinds[10]
  /// Meteor, target, enemy: by object kind.
  static let objectKinds = [kinds[map: "O"], kinds[map: "T"], kinds[map: "<"]]

  // MARK: - Art

  /// Tile art ids of the frame: open space (plain, with a star), rock
  /// (inside, with open space above, cracked).
  enum Look {
    static let space: UInt8 = 0, star: UInt8 = 1, rock: UInt8 = 2, ledge: UInt8 = 3, crack: UInt8 = 4
  }

  /// The art of every cell, a pure function of the cave.
  static func looks(_ tiles: [UInt8], _ n: Int) -> [UInt8] {
    var out = [UInt8](repeating: Look.space, count: tiles.count)
    for y in 0..<n {
      for x in 0..<n {
        let i = y * n + x
        let speckle = (x &* 7 &+ y &* 13 &+ (x * y) % 5) % 11 == 0
        if tiles[i] == Tile.wall {
          out[i] = y + 1 < n && tiles[i + n] == Tile.open ? Look.ledge : speckle ? Look.crack : Look.rock
        } else if speckle {
          out[i] = Look.star
        }
      }
    }
    return out
  }

  static let themes: [Palette] = [
    ["k": RGB(hex: 0x0b0d1a), "s": RGB(hex: 0x9fa8da), "r": RGB(hex: 0x5d4e45), "R": RGB(hex: 0x43372f),
     "m": RGB(hex: 0x8d7b6a)],
    ["k": RGB(hex: 0x120a18), "s": RGB(hex: 0xf8bbd0), "r": RGB(hex: 0x4a5a6a), "R": RGB(hex: 0x33404c),
     "m": RGB(hex: 0x7e93a8)],
    ["k": RGB(hex: 0x06140f), "s": RGB(hex: 0xc5e1a5), "r": RGB(hex: 0x6b4a2e), "R": RGB(hex: 0x4b3320),
     "m": RGB(hex: 0xa87b4f)],
  ]
  static let tileArt: [[String]] = [
    ["kkkkkkkk", "kkkkkkkk", "kkkkkkkk", "kkkkkkkk", "kkkkkkkk", "kkkkkkkk", "kkkkkkkk", "kkkkkkkk"],
    ["kkkkkkkk", "kkkkkkkk", "kkkkskkk", "kkkssskk", "kkkkskkk", "kkkkkkkk", "kkkkkkkk", "kkkkkkkk"],
    ["rrrrrrrr", "rrrrrrrr", "rrrrrrrr", "rrrrrrrr", "rrrrrrrr", "rrrrrrrr", "rrrrrrrr", "rrrrrrrr"],
    ["mmmmmmmm", "rmrrrmmr", "rrrrrrrr", "rrrrrrrr", "rrrrrrrr", "rrrrrrrr", "rrrrrrrr", "rrrrrrrr"],
    ["rrrrrrrr", "rrRRrrrr", "rrrRRrrr", "rrrrRrrr", "rrrrRRrr", "rrrrrrRr", "rrrrrrrr", "rrrrrrrr"],
  ]
  static let atlases: [[UInt32]] = themes.map { p in Texture.atlas(tileArt.map { Texture(art: $0, palette: p) }) }
  static let monoAtlas = Texture.atlas([Texture.solid(RGB(0, 0, 0)), Texture.solid(RGB(0, 0, 0))]
                                       + Array(repeating: Texture.solid(.monochrome(kind: 161)), count: 3))

  /// The ship pointing right (+x); rotated copies are made from it.
  static let shipArt = [
    "w........",
    "wbb......",
    ".bbbb....",
    ".bbbbcc..",
    "obbbbbbby",
    ".bbbbcc..",
    ".bbbb....",
    "wbb......",
    "w........",
  ]
  static let meteorArts = [
    ["..mmmm..", ".mmnmmm.", "mmmmmnmm", "mnmmmmmm", "mmmmmmmm", "mmmmnmmm", ".mmmmmm.", "..mmmm.."],
    ["...ggg..", ".gggGgg.", "gGggggg.", "ggggggGg", "gggGgggg", ".ggggggg", ".gGggg..", "..ggg..."],
  ]
  static let targetArt = ["...ww...", "..wwww..", ".rrrrrr.", "rrkrrkrr", "rrrrrrrr", ".rrrrrr.", "..y..y..", "........"]
  static let enemyArt = ["pp......", ".ppp....", ".pppppk.", "pppppppp", "pppppppp", ".pppppk.", ".ppp....", "pp......"]
  static let exitArt = ["...ww...", "..wccw..", ".gggggg.", "gGgGgGgg", "gggggggg", ".gggggg.", "..y..y..", ".y....y."]
  static let boltArt = ["yy", "yy"]
  static let flameArt = [".oo.", "oyyo", "oyyo", ".oo."]
  static let spritePalette: Palette = [
    "w": RGB(hex: 0xe0e0e0), "b": RGB(hex: 0x42a5f5), "c": RGB(hex: 0xb3e5fc), "o": RGB(hex: 0xff7043),
    "y": RGB(hex: 0xffee58), "m": RGB(hex: 0x9e9e9e), "n": RGB(hex: 0x616161), "g": RGB(hex: 0x8d6e63),
    "G": RGB(hex: 0x5d4037), "r": RGB(hex: 0xe53935), "k": RGB(hex: 0x212121), "p": RGB(hex: 0xab47bc),
  ]
  static let exitPalette: Palette = [
    "w": RGB(hex: 0xe0f7fa), "c": RGB(hex: 0x80deea), "g": RGB(hex: 0x43a047), "G": RGB(hex: 0xa5d6a7),
    "y": RGB(hex: 0xffee58),
  ]
  /// Frames of the ship's rotation (drawn at the nearest one).
  static let shipFrames = 16

  /// `art` turned counter-clockwise by `heading` (nearest texel).
  static func rotated(_ t: Texture, heading: Int) -> Texture {
    let (c, s) = Heading.unit[heading]
    let w = t.width, h = t.height
    let mx = Float(w - 1) / 2, my = Float(h - 1) / 2
    var px = [UInt32](repeating: 0, count: w * h)
    for v in 0..<h {
      for u in 0..<w {
        let dx = Float(u) - mx, dy = my - Float(v)
        let sx = dx * c + dy * s, sy = -dx * s + dy * c
        let su = Int((sx + mx).rounded()), sv = Int((my - sy).rounded())
        if su >= 0 && sv >= 0 && su < w && sv < h { px[v * w + u] = t.pixels[sv * w + su] }
      }
    }
    return Texture(width: w, height: h, pixels: px)
  }

  /// Ship frames 0..<16, then meteor (2 looks), target, enemy, exit, bolt, exhaust flame.
  static let sprites: SpriteSet = {
    let ship = Texture(art: shipArt, palette: spritePalette)
    var tex = (0..<shipFrames).map { rotated(ship, heading: $0 * Heading.turn / shipFrames) }
    tex += meteorArts.map { Texture(art: $0, palette: spritePalette) }
    tex += [Texture(art: targetArt, palette: spritePalette), Texture(art: enemyArt, palette: spritePalette),
            Texture(art: exitArt, palette: exitPalette), Texture(art: boltArt, palette: ["y": RGB(hex: 0xfff176)]),
            Texture(art: flameArt, palette: ["o": RGB(hex: 0xff7043), "y": RGB(hex: 0xffee58)])]
    return SpriteSet(tex, monoKind: 165)
  }()
  static let meteorSprite = shipFrames, targetSprite = shipFrames + 2, enemySprite = shipFrames + 3
  static let exitSprite = shipFrames + 4, boltSprite = shipFrames + 5, flameSprite = shipFrames + 6

  // MARK: - Frame

  var visibility: Float { options.mode == .easy ? 10 : 16 }

  func view(_ s: State) -> Viewport {
    options.centerAgent || memory
      ? .pixelAligned(x: s.agent.x, y: s.agent.y, side: visibility)
      : .whole(width: s.size, height: s.size)
  }

  public func render(_ s: State, into canvas: inout Canvas) {
    let v = view(s)
    let mono = options.monochrome
    let atlas = mono ? CaveFlyer.monoAtlas : CaveFlyer.atlases[s.theme]
    let key = s.tileKey ^ (mono ? 0x99 : 0)
    if options.centerAgent || memory {
      canvas.drawTilesPanned(key: key, s.looks, width: s.size, height: s.size, view: v, atlas: atlas, outside: Look.rock)
    } else {
      canvas.drawTilesCached(key: key, s.looks, width: s.size, height: s.size, view: v, atlas: atlas, outside: Look.rock)
    }
    let tex = CaveFlyer.sprites.pick(mono)
    // Only what can be on screen (sprites are at most 0.6 cells in radius).
    let x0 = v.x0 - 1, x1 = v.x0 + v.side + 1, y0 = v.y0 - 1, y1 = v.y0 + v.side + 1
    @inline(__always) func visible(_ e: Entity) -> Bool { e.x > x0 && e.x < x1 && e.y > y0 && e.y < y1 }
    if visible(s.exit) { canvas.drawSprite(tex[CaveFlyer.exitSprite], x: s.exit.x, y: s.exit.y, rx: 0.6, ry: 0.6, view: v) }
    for e in s.objects where visible(e) {
      let i: Int
      switch e.kind {
      case Kind.meteor.rawValue: i = CaveFlyer.meteorSprite + Int(e.look & 1)
      case Kind.target.rawValue: i = CaveFlyer.targetSprite
      default: i = CaveFlyer.enemySprite
      }
      canvas.drawSprite(tex[i], x: e.x, y: e.y, rx: 0.5, ry: 0.5, view: v, mirrored: e.vx < 0 || e.vy < 0)
    }
    for b in s.bolts where visible(b) {
      canvas.drawSprite(tex[CaveFlyer.boltSprite], x: b.x, y: b.y, rx: 0.2, ry: 0.2, view: v)
    }
    if s.thrust != 0 {
      // The exhaust: behind the ship when thrusting forward, ahead of it (smaller) when reversing.
      let (cx, cy) = Heading.unit[s.heading]
      let back: Float = s.thrust > 0 ? -0.65 : 0.65, r: Float = s.thrust > 0 ? 0.3 : 0.2
      canvas.drawSprite(tex[CaveFlyer.flameSprite], x: s.agent.x + cx * back, y: s.agent.y + cy * back, rx: r, ry: r, view: v)
    }
    let frame = (s.heading + Heading.turn / (2 * CaveFlyer.shipFrames)) * CaveFlyer.shipFrames / Heading.turn
    canvas.drawSprite(tex[frame % CaveFlyer.shipFrames], x: s.agent.x, y: s.agent.y, rx: 0.6, ry: 0.6, view: v)
  }

  // MARK: - Grid and glyphs

  func window(_ s: State) -> AgentWindow { AgentWindow(around: s.agent, side: CaveFlyer.gridSide) }

  @inline(__always) func isWall(_ s: State, _ x: Int, _ y: Int) -> Bool {
    x < 0 || y < 0 || x >= s.size || y >= s.size || s.tiles[y * s.size + x] == Tile.wall
  }

  public func encodeGrid(_ s: State, into out: UnsafeMutableBufferPointer<Float>) {
    let w = window(s)
    w.encode(CaveFlyer.kinds, into: out) { isWall(s, $0, $1) ? Tile.wall : Tile.open }
    for e in s.objects { w.mark(e, CaveFlyer.objectKinds[Int(e.kind)], into: out) }
    w.mark(cell: s.exit.cell, CaveFlyer.exitKind, into: out)
    w.mark(s.bolts, CaveFlyer.boltKind, into: out)
    let (cx, cy) = Heading.unit[s.heading]
    w.mark(s.agent, CaveFlyer.agentKind, into: out)
    // The heading planes hold the unit vector's components under the ship.
    w.mark(s.agent, channel: 7, value: cx, into: out)
    w.mark(s.agent, channel: 8, value: cy, into: out)
  }

  public func drawGlyphs(_ s: State, into g: inout GlyphGrid) {
    let w = window(s)
    w.drawGlyphs(CaveFlyer.kinds, into: &g) { isWall(s, $0, $1) ? Tile.wall : Tile.open }
    w.glyph(cell: s.exit.cell, CaveFlyer.exitKind, into: &g)
    for e in s.objects { w.glyph(e, CaveFlyer.objectKinds[min(2, Int(e.kind))], into: &g) }
    w.glyph(s.bolts, CaveFlyer.boltKind, into: &g)
    let sector = (s.heading + Heading.turn / 16) * 8 / Heading.turn % 8
    w.glyph(s.agent, CaveFlyer.arrows[sector], .white, into: &g)
  }
}
