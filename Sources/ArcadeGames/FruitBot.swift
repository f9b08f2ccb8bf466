import ArcadeCore

/// fruitbot: a robot drifts up a corridor. Steer left and right through the
/// gaps in the walls, collect fruit (+1), avoid junk (−4), open locked doors
/// by firing a key at them, and reach the presents at the top (+10)
/// (ProcGen's fruitbot).
public struct FruitBot: Game {
  public enum Tile {
    public static let empty: UInt8 = 0, wall: UInt8 = 1, door: UInt8 = 2, lock: UInt8 = 3, present: UInt8 = 4
  }
  public enum Kind: UInt8 { case fruit = 0, junk = 1, key = 2 }

  public struct State: Sendable, Equatable {
    public var width: Int
    public var tiles: [UInt8]          // width × height, y up
    public var robot: Entity
    public var objects: EntityList     // fruit and junk
    public var keys: EntityList
    public var cooldown: Int
    public var theme: Int
    /// Hash of the tiles and theme, for the render cache.
    public var tileKey: UInt64
  }

  public static let descriptor = GameDescriptor(
    name: "fruitbot",
    summary: "Drift up the corridor: collect fruit, avoid junk, unlock doors with keys, reach the presents.",
    modes: [.easy, .hard],
    meaningfulActions: [1, 4, 7, 9],
    actionNames: GameActions.leftRightFire("fire key"),
    kinds: kinds,
    scoreRange: [.easy: (-1.5, 32.4), .hard: (-0.5, 27.2)]
  )

  static let height = 60
  /// ProcGen's steering: the robot mixes toward 0.85 sideways and always
  /// toward 0.2 × 0.85 upward (so it climbs at about 0.14 cells per step).
  static let maxSpeed: Float = 0.85
  static let climbPush: Float = 0.2
  /// Walls are drawn as whole rows but, as ProcGen's, only this thick (half
  /// of it either side of the row's middle) for collisions.
  static let wallHalf: Float = 0.3
  static let cooldownSteps = 8
  static let keyLife: Int32 = 8
  static let maxObjects = 48, maxKeys = 4
  static let robotHalf: Float = 0.4
  /// Half-extents of fruit and junk per look: ProcGen's 0.5, narrowed to
  /// the aspect of its sprites (fruit1–6 and food1–6).
  static let objectHalves: [[(Float, Float)]] = [
    [(0.48, 0.5), (0.4, 0.5), (0.5, 0.37), (0.32, 0.5), (0.5, 0.5), (0.42, 0.5)],
    [(0.28, 0.5), (0.5, 0.23), (0.5, 0.5), (0.5, 0.48), (0.46, 0.5), (0.5, 0.5)],
  ]

  static let worldWidths = WorldSides(easy: 10, otherwise: 20)

  public let options: GameOptions
  public init(options: GameOptions) { self.options = options }

  // MARK: - Generation

  /// ProcGen's layout: the walls split the corridor as a random partition
  /// (at least 4 rows apart, 4 rows kept free under the presents); each leaves
  /// a gap of 20–40 % of the width (hard: 10–30 %, and sometimes a locked
  /// door in it). Fruit and junk lie anywhere they touch nothing else; the
  /// robot starts anywhere along the bottom.
  public func generate(levelSeed: UInt32, rng: inout PCG32) -> State {
    let w = worldWidth, h = FruitBot.height
    let easy = genMode == .easy
    let theme = rng.below(FruitBot.themes.count)
    var tiles = [UInt8](repeating: Tile.empty, count: w * h)
    for x in 0..<w { tiles[(h - 1) * w + x] = Tile.present }
    let walls = easy ? 5 : 10, minGap = 4
    var parts = [Int](repeating: 0, count: walls)
    for _ in 0..<(h - minGap * walls - 4) { parts[rng.below(walls)] += 1 }
    var wallRows: [Int] = []
    var prevCentre = Float(w) / 2, prevY = 0
    for part in parts {
      let y = prevY + minGap + part
      wallRows.append(y)
      let frac = easy ? rng.float(0.2, 0.4) : rng.float(0.1, 0.3)
      var gap = max(2, Int((frac * Float(w)).rounded()))
      let door = !easy && y - prevY > 5 && rng.below(8) == 0
      if door { gap = max(gap, 3) }
      // Keep the gap within steering reach of the previous one (with some to spare).
      let reach = Float(y - prevY - 2) / 0.14 * FruitBot.maxSpeed * 0.6
      let lo = max(0, Int((prevCentre - reach - Float(gap) / 2).rounded(.up)))
      let hi = min(w - gap, Int((prevCentre + reach - Float(gap) / 2).rounded(.down)))
      let g0 = lo <= hi ? rng.int(lo, hi + 1) : min(max(0, Int(prevCentre) - gap / 2), w - gap)
      prevCentre = Float(g0) + Float(gap) / 2
      prevY = y
      for x in 0..<w where x < g0 || x >= g0 + gap { tiles[y * w + x] = Tile.wall }
      if door {
        for x in g0..<(g0 + gap) { tiles[y * w + x] = Tile.door }
        tiles[y * w + g0 + gap / 2] = Tile.lock
      }
    }
    let half = FruitBot.robotHalf
    let robot = Entity(x: rng.float(half, Float(w) - half), y: half, r: half)
    // Fruit and junk where they overlap no wall, no other object, the presents or the robot.
    var objects = EntityList(capacity: FruitBot.maxObjects)
    let looks = easy ? 2 : 6
    let counts = [rng.int(10, 20), rng.int(10, 20)]
    for (kind, count) in counts.enumerated() {
      for _ in 0..<count {
        let look = rng.below(looks)
        let (rx, ry) = FruitBot.objectHalves[kind][look]
        for _ in 0..<100 {
          let e = Entity(x: rng.float(rx, Float(w) - rx), y: rng.float(ry, Float(h - 1) - ry), rx: rx, ry: ry,
                         kind: UInt8(kind), look: UInt8(look))
          let onWall = wallRows.contains { abs(Float($0) + 0.5 - e.y) < FruitBot.wallHalf + ry }
          if onWall || e.overlaps(robot) || objects.contains(where: { $0.overlaps(e) }) { continue }
          objects.append(e)
          break
        }
      }
    }
    return State(width: w, tiles: tiles, robot: robot, objects: objects, keys: EntityList(capacity: FruitBot.maxKeys),
                 cooldown: 0, theme: theme, tileKey: FruitBot.key(tiles, theme))
  }

  static func key(_ tiles: [UInt8], _ theme: Int) -> UInt64 { fnv1a64([UInt8(theme)], seed: fnv1a64(tiles)) }

  // MARK: - Dynamics

  func tile(_ s: State, _ x: Int, _ y: Int) -> UInt8 {
    x < 0 || x >= s.width || y < 0 ? Tile.wall : y >= FruitBot.height ? Tile.present : s.tiles[y * s.width + x]
  }

  /// Opens the door (and lock) cells of row `y` connected to column `x`.
  func openDoor(_ s: inout State, _ x: Int, _ y: Int) {
    var a = x, b = x
    while a - 1 >= 0 && s.tiles[y * s.width + a - 1] >= Tile.door && s.tiles[y * s.width + a - 1] <= Tile.lock { a -= 1 }
    while b + 1 < s.width && s.tiles[y * s.width + b + 1] >= Tile.door && s.tiles[y * s.width + b + 1] <= Tile.lock { b += 1 }
    for c in a...b { s.tiles[y * s.width + c] = Tile.empty }
    s.tileKey = FruitBot.key(s.tiles, s.theme)
  }

  public func step(_ s: inout State, action: Action, rng: inout PCG32) -> StepEvents {
    let w = Float(s.width)
    var r = s.robot
    r.vx = (0.5 * r.vx + 0.5 * FruitBot.maxSpeed * Float(action.dx)) * 0.9
    r.vy = (0.5 * r.vy + 0.5 * FruitBot.maxSpeed * FruitBot.climbPush) * 0.9
    r.integrate()
    if r.x - r.rx < 0 { r.x = r.rx; r.vx = 0 } else if r.x + r.rx > w { r.x = w - r.rx; r.vx = 0 }
    if action.dx != 0 { r.mirrored = action.dx < 0 }
    s.robot = r
    if s.cooldown > 0 { s.cooldown -= 1 }
    if action.special == 1 && s.cooldown == 0 {
      s.cooldown = FruitBot.cooldownSteps
      s.keys.append(Entity(x: r.x, y: r.y, rx: 0.25, ry: 0.25, vy: 0.5, kind: Kind.key.rawValue, life: FruitBot.keyLife))
    }
    // Keys fly up; a key touching a door opens it, any wall stops it.
    for i in s.keys.indices { s.keys[i].integrate() }
    s.keys.age()
    var k = s.keys.count - 1
    while k >= 0 {
      let e = s.keys[k]
      let c = BoxMover.cells(x: e.x, y: e.y, rx: e.rx, ry: e.ry)
      var hit = false
      for cy in c.y0...c.y1 {
        for cx in c.x0...c.x1 {
          let t = tile(s, cx, cy)
          if t == Tile.door || t == Tile.lock { openDoor(&s, cx, cy); hit = true } else if t == Tile.wall { hit = true }
        }
      }
      if hit { s.keys.remove(at: k) }
      k -= 1
    }
    // The robot against fruit, junk and tiles.
    var reward: Float = 0
    var i = s.objects.count - 1
    while i >= 0 {
      if s.objects[i].overlaps(r) {
        reward += s.objects[i].kind == Kind.fruit.rawValue ? 1 : -4
        s.objects.remove(at: i)
      }
      i -= 1
    }
    let c = BoxMover.cells(x: r.x, y: r.y, rx: r.rx, ry: r.ry)
    var present = false
    for cy in c.y0...c.y1 {
      for cx in c.x0...c.x1 {
        let t = tile(s, cx, cy)
        if t == Tile.wall || t == Tile.door || t == Tile.lock {
          if abs(r.y - Float(cy) - 0.5) < r.ry + FruitBot.wallHalf {
            return StepEvents(reward: reward, outcome: .died, cause: "Crashed into a wall or a locked door")
          }
        }
        if t == Tile.present { present = true }
      }
    }
    if present { return StepEvents(reward: reward + 10, outcome: .won) }
    _ = rng
    return StepEvents(reward: reward)
  }

  // MARK: - Observations

  static let themes: [Palette] = [
    ["f": RGB(hex: 0x37474f), "g": RGB(hex: 0x455a64), "w": RGB(hex: 0x8d6e63), "v": RGB(hex: 0x5d4037)],
    ["f": RGB(hex: 0x1b3a2a), "g": RGB(hex: 0x24503a), "w": RGB(hex: 0x9e9e9e), "v": RGB(hex: 0x616161)],
    ["f": RGB(hex: 0x2a1f3d), "g": RGB(hex: 0x3b2c55), "w": RGB(hex: 0xb0bec5), "v": RGB(hex: 0x78909c)],
  ]
  /// Every tile and entity: glyph, grid channel, tile art and legend.
  static let kinds = KindTable(channels: ["wall", "locked door", "agent", "fruit", "junk", "key", "presents"], [
    ArcadeCore.Kind(glyph: "@", .cyan, "the robot (you)", channels: ["agent"]),
    ArcadeCore.Kind(glyph: "f", .green, "fruit (+1)", channels: ["fruit"]),
    ArcadeCore.Kind(glyph: "x", .red, "junk (−4)", channels: ["junk"]),
    ArcadeCore.Kind(glyph: "k", .yellow, "key: opens the next locked door", channels: ["key"]),
    ArcadeCore.Kind(tile: Tile.door, glyph: "+", .yellow, "locked door", channels: ["locked door"], art: [
      "dddddddd", "dDDDDDDd", "dDddddDd", "dDddddDd", "dDddddDd", "dDddddDd", "dDDDDDDd", "dddddddd",
    ], mono: 62),
    ArcadeCore.Kind(tile: Tile.lock, glyph: "L", .yellow, "lock", channels: ["locked door"], art: [
      "dddddddd", "dDDyyDDd", "dDyddyDd", "dDyyyyDd", "dDyykyDd", "dDyyyyDd", "dDDDDDDd", "dddddddd",
    ], mono: 63),
    ArcadeCore.Kind(tile: Tile.present, glyph: "P", .magenta, "presents: the goal (+10)", channels: ["presents"], art: [
      "rrryrrrr", "rrryrrrr", "yyyyyyyy", "rrryrrrr", "bbbbybbb", "bbbbybbb", "yyyyyyyy", "bbbbybbb",
    ], mono: 64),
    ArcadeCore.Kind(tile: Tile.wall, glyph: "#", .grey, "wall", channels: ["wall"], art: [
      "wwwvwwww", "wwwvwwww", "vvvvvvvv", "wwwwwwvw", "wwwwwwvw", "vvvvvvvv", "wwwvwwww", "wwwvwwww",
    ], mono: 61),
    ArcadeCore.Kind(tile: Tile.empty, art: [
      "ffffffff", "ffffffff", "fffgffff", "ffffffff", "ffffffff", "ffffffgf", "ffffffff", "ffffffff",
    ]),
  ])
  static let robotKind = kinds[glyph: "@"], keyKind = kinds[glyph: "k"]
  /// Indexed by `Kind` (fruit, junk).
  static let objectKinds = [kinds[glyph: "f"], kinds[glyph: "x"]]

  static let fixedColours: Palette = [
    "d": RGB(hex: 0x6d4c41), "D": RGB(hex: 0xa1887f), "y": RGB(hex: 0xffd600), "k": RGB(hex: 0x212121),
    "r": RGB(hex: 0xe53935), "b": RGB(hex: 0x1e88e5),
  ]
  static let atlases: [[UInt32]] = themes.map { kinds.atlas($0.merging(fixedColours) { a, _ in a }) }
  static let monoAtlas = kinds.monoAtlas()
  static let tileArt = TileArt(themes: atlases, mono: monoAtlas, monoSalt: 0x55)

  static let robotArt = ["..kssk..", ".ssssss.", "sseesses", "ssssssss", ".smmmms.", "ssssssss", "s.s..s.s", "t.t..t.t"]
  static let fruitArts: [[String]] = [
    ["...g....", "..g.....", ".rrrr...", "rrrrrr..", "rrrwrr..", "rrrrrr..", ".rrrr...", "........"],   // apple
    ["......g.", ".....y..", "....yy..", "...yyy..", "..yyy...", ".yyy....", "yy......", "........"],   // banana
    ["..g.....", ".ooo....", "ooooo...", "ooowo...", "ooooo...", ".ooo....", "........", "........"],   // orange
    ["...gg...", "..pp....", ".pppp...", "pppppp..", ".pppp...", "..pp....", "........", "........"],   // grapes
    ["..gg....", ".rrrr...", "rryrry..", "rrrrrr..", ".ryrr...", "..rr....", "........", "........"],   // strawberry
    [".g......", "ggg.....", ".lll....", "lllll...", "lllll...", ".lll....", "........", "........"],   // pear
  ]
  static let junkArts: [[String]] = [
    ["..kk....", ".kaak...", "kaaaak..", "kaaaak..", "kaaaak..", ".kkkk...", "........", "........"],   // can
    ["...c....", "..cc....", "..cc....", ".cccc...", ".cccc...", ".cccc...", "........", "........"],   // bottle
    ["aaaaaa..", "a.a.a...", "aaaaaa..", "a.a.a...", "aaaaaa..", "........", "........", "........"],   // crate
    ["..n.....", ".nnn....", "nnnnn...", ".nnn....", "..n.....", "........", "........", "........"],   // bolt
    ["kkkkk...", "k...k...", "kkkkk...", "..k.....", "..k.....", "........", "........", "........"],   // sign
    ["..aa....", ".a..a...", "a....a..", ".a..a...", "..aa....", "........", "........", "........"],   // tyre
  ]
  static let spritePalette: Palette = [
    "k": RGB(hex: 0x212121), "s": RGB(hex: 0xcfd8dc), "e": RGB(hex: 0x00e5ff), "m": RGB(hex: 0x546e7a),
    "t": RGB(hex: 0xff6d00), "g": RGB(hex: 0x43a047), "r": RGB(hex: 0xe53935), "w": RGB(hex: 0xffffff),
    "y": RGB(hex: 0xffeb3b), "o": RGB(hex: 0xff9800), "p": RGB(hex: 0x8e24aa), "l": RGB(hex: 0xc0ca33),
    "a": RGB(hex: 0x9e9e9e), "c": RGB(hex: 0x26a69a), "n": RGB(hex: 0x78909c),
  ]
  static let keyArt = [".yy.", "y..y", ".yy.", ".y..", ".yy.", ".y..", ".yy."]
  /// Crop to the top-left 6×6 of each 8×8 art (the objects are drawn in 6×6).
  static func crop(_ art: [String]) -> [String] { art.prefix(6).map { String($0.prefix(6)) } }
  /// robot, key, fruits 0..5, junk 0..5.
  static let sprites = SpriteSet(
    [Texture(art: robotArt, palette: spritePalette), Texture(art: keyArt, palette: spritePalette)]
      + fruitArts.map { Texture(art: crop($0), palette: spritePalette) }
      + junkArts.map { Texture(art: crop($0), palette: spritePalette) }, monoKind: 70)

  func view(_ s: State) -> Viewport {
    .verticalScroll(centreY: s.robot.y + Float(s.width) * 0.3, width: s.width, height: FruitBot.height)
  }

  public func render(_ s: State, into canvas: inout Canvas) {
    let v = view(s), mono = options.monochrome
    FruitBot.tileArt.draw(&canvas, .scrolled, key: s.tileKey, s.tiles, width: s.width, height: FruitBot.height, theme: s.theme, monochrome: mono, view: v, outside: Tile.wall)
    let tex = FruitBot.sprites.pick(mono)
    let top = v.y0 + v.side + 1, bottom = v.y0 - 1
    for e in s.objects where e.y < top && e.y > bottom {
      canvas.drawEntity(tex[2 + Int(e.kind) * 6 + Int(e.look)], e, view: v)
    }
    // Keys leave from the robot's middle, so they are drawn over it, and
    // larger than their half-cell box (which is under 2 pixels in hard).
    canvas.drawEntity(tex[0], s.robot, view: v, scale: 1.1)
    for e in s.keys { canvas.drawEntity(tex[1], e, view: v, scale: 1.5) }
  }

  func windowOrigin(_ s: State) -> Int { Int(view(s).y0.rounded(.down)) }

  /// Every entity both views show, with its kind, in glyph drawing order (keys over the robot).
  func shown(_ s: State, _ show: (Entity, ArcadeCore.Kind) -> Void) {
    for e in s.objects { show(e, FruitBot.objectKinds[Int(e.kind)]) }
    show(s.robot, FruitBot.robotKind)
    for e in s.keys { show(e, FruitBot.keyKind) }
  }

  public func encodeGrid(_ s: State, into out: UnsafeMutableBufferPointer<Float>) {
    let n = s.width, y0 = windowOrigin(s)
    FruitBot.kinds.encode(width: n, height: n, into: out) { x, y in tile(s, x, y0 + y) }
    shown(s) { EntityRaster.mark($0, $1, into: out, width: n, height: n, originY: y0) }
  }

  public func drawGlyphs(_ s: State, into g: inout GlyphGrid) {
    let y0 = windowOrigin(s)
    FruitBot.kinds.drawGlyphs(into: &g) { x, y in tile(s, x, y0 + y) }
    shown(s) { EntityRaster.glyph($0, $1, into: &g, originY: y0) }
  }

  // MARK: - Saving

  public func encode(_ s: State, into w: inout ByteWriter) {
    w.int(s.width); w.u8s(s.tiles); w.entity(s.robot); w.entities(s.objects); w.entities(s.keys)
    w.int(s.cooldown); w.int(s.theme)
  }

  public func decode(from r: inout ByteReader) throws -> State {
    let (w, tiles) = try r.tallWorld(width: worldWidth, height: FruitBot.height, max: Tile.present)
    let bounds = EntityBounds(width: w, height: FruitBot.height, margin: 4, maxSpeed: 4)
    let robot = try r.entity("robot", kinds: 1, bounds: bounds)
    let objects = try r.entities("objects", capacity: FruitBot.maxObjects, kinds: 2, bounds: bounds)
    let keys = try r.entities("keys", capacity: FruitBot.maxKeys, kinds: 3, bounds: bounds)
    let cd = try r.int("cooldown", in: 0...FruitBot.cooldownSteps)
    let theme = try r.int("theme", in: 0...(FruitBot.themes.count - 1))
    if let i = objects.firstIndex(where: { $0.look >= 6 }) { throw r.invalid("objects \(i) look", "\(objects[i].look) is not in 0...5") }
    if let i = keys.firstIndex(where: { $0.kind != Kind.key.rawValue }) { throw r.invalid("keys \(i) kind", "is not a key") }
    return State(width: w, tiles: tiles, robot: robot, objects: objects, keys: keys, cooldown: cd, theme: theme,
                 tileKey: FruitBot.key(tiles, theme))
  }
}
