import ArcadeCore

/// climber: climb a tower of solid platforms collecting every star while
/// avoiding flying enemies (ProcGen's climber).
public struct Climber: Game {
  public enum Tile {
    public static let empty: UInt8 = 0, wall: UInt8 = 1, platform: UInt8 = 2
  }
  public enum Kind: UInt8 { case star = 0, enemy = 1 }

  public struct State: Sendable, Equatable {
    public var width: Int
    public var tiles: [UInt8]          // width × height, y up
    public var agent: Entity
    public var stars: EntityList
    public var enemies: EntityList     // patrol around `a` (spawn x)
    public var theme: Int
    var tileKey: UInt64

    public static func == (a: State, b: State) -> Bool {
      a.width == b.width && a.tiles == b.tiles && a.agent == b.agent && a.stars == b.stars && a.enemies == b.enemies
        && a.theme == b.theme
    }
  }

  public static let descriptor = GameDescriptor(
    name: "climber",
    summary: "Climb the tower's platforms, collect every star, dodge the flying enemies.",
    modes: [.easy, .hard, .exploration],
    meaningfulActions: [1, 2, 4, 5, 7, 8],
    actionNames: GameActions.jump,
    kinds: kinds,
    explorationSeed: 1_561_126_160,
    scoreRange: [.easy: (2, 12.6), .hard: (1, 12.6)],
    cameraChoice: true
  )

  static let gridChannels = ["wall", "platform", "star", "enemy", "agent"]
  /// Every tile and entity (`ArcadeCore.Kind`: `Kind` here names the entity kinds).
  static let kinds = KindTable(channels: gridChannels, floor: Tile.empty, [
    ArcadeCore.Kind(tile: Tile.wall, map: "#", "solid ground", glyph: "#", .grey, "ground", channels: ["wall"], art: [
      "wwwwwwwW", "wWwwwwwW", "wwwwwwwW", "WWWWWWWW", "wwwWwwww", "wwwWwwWw", "wwwWwwww", "WWWWWWWW",
    ], mono: 121),
    ArcadeCore.Kind(tile: Tile.empty, map: ".", "empty", art: [
      "bbbbbbbb", "bbbbbbBb", "bbbbbbbb", "bBbbbbbb", "bbbbbbbb", "bbbbBbbb", "bbbbbbbb", "bbbbbbbb",
    ]),
    ArcadeCore.Kind(tile: Tile.platform, map: "=", "platform (solid, like ProcGen's: go round it)", glyph: "=", .cyan,
                    "platform: jump up through it", channels: ["platform"], art: [
      "pppppppp", "pPPpPPpP", "PPPPPPPP", "bbbbbbbb", "bbbbbbBb", "bbbbbbbb", "bBbbbbbb", "bbbbbbbb",
    ], mono: 122),
    ArcadeCore.Kind(map: "*", "star", glyph: "*", .yellow, "star (+1)", channels: ["star"]),
    ArcadeCore.Kind(map: "E", "flying enemy starting right", glyph: "e", .red, "flying enemy: deadly", channels: ["enemy"]),
    ArcadeCore.Kind(map: "e", "flying enemy starting left", glyph: "e", .red, channels: ["enemy"]),
    ArcadeCore.Kind(map: "A", "agent start", glyph: "@", .white, "you", channels: ["agent"]),
  ])
  static let starKind = kinds[map: "*"], enemyKind = kinds[map: "e"], agentKind = kinds[map: "A"]

  static let height = 64
  static let maxSpeed: Float = 0.5, groundMix: Float = 0.5, airMix: Float = 0.5 * 0.15
  static let gravity: Float = 0.2, maxFall: Float = 2, jumpSpeed: Float = 1.5
  static let enemySpeed: Float = 0.15, patrol: Float = 4
  static let agentRX: Float = 0.4, agentRY: Float = 0.45
  static let maxStars = 16, maxEnemies = 16
  static let reach = PlatformReach(jumpSpeed: jumpSpeed, gravity: gravity, maxFall: maxFall, runSpeed: maxSpeed,
                                   fraction: 0.75, riseMargin: 0.6)

  static let worldWidths = WorldSides(easy: 16, otherwise: 20)

  public let options: GameOptions
  public init(options: GameOptions) { self.options = options }

  // MARK: - Generation

  public func generate(levelSeed: UInt32, rng: inout PCG32) -> State {
    Redraw.untilSolvable(tries: 50, { generateOnce(&rng) }, solvable: Climber.solvable)!
  }

  /// ProcGen's tower: walls all round, the agent at the bottom left;
  /// difficulty 0…2 in every mode; each platform 3–5 rows above the last,
  /// 2–11 tiles running left or right from the cell beside the previous
  /// landing column; enemies float 2–3 rows above a landing column that is
  /// at least 3 cells from the walls.
  func generateOnce(_ rng: inout PCG32) -> State {
    let W = worldWidth, H = Climber.height
    let easy = genMode == .easy
    var t = [UInt8](repeating: Tile.empty, count: W * H)
    for x in 0..<W { t[x] = Tile.wall; t[(H - 1) * W + x] = Tile.wall }
    for y in 0..<H { t[y * W] = Tile.wall; t[y * W + W - 1] = Tile.wall }
    var stars = EntityList(capacity: Climber.maxStars), enemies = EntityList(capacity: Climber.maxEnemies)
    let d = rng.below(3)
    let count = rng.int(d * d + 1, (d + 1) * (d + 1) + 2)
    var x = 2 + rng.below(W - 4), y = 0
    let margin = 3
    var cells: [Int] = []
    cells.reserveCapacity(12)
    for i in 0..<count {
      let dy = rng.int(3, 6)
      if x >= margin && x <= W - margin && rng.chance(easy ? 0.2 : 0.5) {
        let ey = y + 2 + rng.below(2)
        enemies.append(Climber.enemy(x, ey, right: rng.coin()))
      }
      y += dy
      if y >= H - 1 { break }
      let len = 2 + rng.below(10)
      var dir = rng.coin() ? 1 : -1
      if x < margin { dir = 1 }
      if x > W - margin { dir = -1 }
      cells.removeAll(keepingCapacity: true)
      for j in 0..<len {
        let nx = x + (j + 1) * dir
        if nx <= 0 || nx >= W - 1 { break }
        cells.append(nx)
        t[y * W + nx] = Tile.platform
      }
      if cells.isEmpty { break }
      if rng.chance(0.5) || i == count - 1 {
        stars.append(Climber.star(cells[rng.below(cells.count)], y + 1))
      }
      x = cells[rng.below(cells.count)]
    }
    if stars.isEmpty { stars.append(Climber.star(W - 2, 1)) }
    // Enemies only on free cells (a map cell holds one thing), none next to the start.
    var kept = EntityList(capacity: Climber.maxEnemies)
    for e in enemies {
      let c = e.cell
      let clash = t[c.y * W + c.x] != Tile.empty || (abs(c.x - 1) < 3 && c.y < 4)
        || stars.contains { $0.cell == c } || kept.contains { $0.cell == c }
      if !clash { kept.append(e) }
    }
    enemies = kept
    let theme = rng.below(Climber.themes.count)
    return Climber.make(width: W, tiles: t, agent: Climber.agentAt(1, 1), stars: stars.inMapOrder(),
                        enemies: enemies.inMapOrder(), theme: theme)
  }

  static func agentAt(_ x: Int, _ y: Int) -> Entity {
    Entity(x: Float(x) + 0.5, y: Float(y) + agentRY, rx: agentRX, ry: agentRY)
  }
  static func star(_ x: Int, _ y: Int) -> Entity {
    Entity(x: Float(x) + 0.5, y: Float(y) + 0.5, r: 0.35, kind: Kind.star.rawValue)
  }
  static func enemy(_ x: Int, _ y: Int, right: Bool) -> Entity {
    Entity(x: Float(x) + 0.5, y: Float(y) + 0.5, rx: 0.45, ry: 0.35, vx: right ? enemySpeed : -enemySpeed,
           kind: Kind.enemy.rawValue, mirrored: !right, a: Float(x) + 0.5)
  }

  static func make(width: Int, tiles: [UInt8], agent: Entity, stars: EntityList, enemies: EntityList, theme: Int) -> State {
    State(width: width, tiles: tiles, agent: agent, stars: stars, enemies: enemies, theme: theme,
          tileKey: fnv1a64([UInt8(theme), UInt8(width)], seed: fnv1a64(tiles)))
  }

  /// The reachability check below, for `levels stats` and the tests.
  public func solvability(_ s: State) -> Bool? { Climber.solvable(s) }

  /// Every star must be reachable under the `PlatformReach` model (enemies ignored).
  static func solvable(_ s: State) -> Bool {
    let W = s.width
    let a = s.agent.cell
    let seen = reach.reachable(width: W, height: height, start: (a.x, a.y)) { x, y in
      switch s.tiles[y * W + x] {
      case Tile.wall: return .solid
      case Tile.platform: return .solid
      default: return .open
      }
    }
    for st in s.stars {
      let c = st.cell
      guard c.y >= 0 && c.y < height && c.x >= 0 && c.x < W && seen[c.y * W + c.x] else { return false }
    }
    return true
  }

  // MARK: - Dynamics

  @inline(__always) func cell(_ s: State, _ x: Int, _ y: Int) -> Platformer.Cell {
    if x < 0 || x >= s.width || y < 0 { return .solid }
    if y >= Climber.height { return .open }
    switch s.tiles[y * s.width + x] {
    case Tile.wall: return .solid
    case Tile.platform: return .solid  // ProcGen's platforms are walls
    default: return .open
    }
  }

  public func step(_ s: inout State, action: Action, rng: inout PCG32) -> StepEvents {
    var b = s.agent.box
    let st = s
    let supported = Platformer.isSupported(b) { cell(st, $0, $1) }
    Platformer.run(&b, dx: action.dx, maxSpeed: Climber.maxSpeed, mix: supported ? Climber.groundMix : Climber.airMix)
    if action.dy > 0 && supported { b.vy = Climber.jumpSpeed }
    Platformer.move(&b) { cell(st, $0, $1) }
    Platformer.fall(&b, gravity: Climber.gravity, maxFall: Climber.maxFall)
    s.agent.box = b
    if action.dx != 0 { s.agent.mirrored = action.dx < 0 }

    let w = Float(s.width)
    for i in s.enemies.indices {
      var e = s.enemies[i]
      e.x += e.vx
      let ahead = Int((e.vx > 0 ? e.x + e.rx : e.x - e.rx).rounded(.down)), row = Int(e.y.rounded(.down))
      let blocked = ahead < 0 || ahead >= s.width
        || (row >= 0 && row < Climber.height && s.tiles[row * s.width + ahead] != Tile.empty)
      if blocked || e.x - e.rx < 0 || e.x + e.rx > w || abs(e.x - e.a) > Climber.patrol {
        e.x -= e.vx
        e.vx = -e.vx
        e.mirrored = e.vx < 0
      }
      s.enemies[i] = e
    }
    for e in s.enemies where e.overlaps(s.agent, margin: -0.1) { return StepEvents(outcome: .died, cause: "Caught by a flying enemy") }
    var reward: Float = 0
    var i = s.stars.count - 1
    while i >= 0 {
      if s.stars[i].overlaps(s.agent) { reward += 1; s.stars.remove(at: i) }
      i -= 1
    }
    _ = rng
    if s.stars.isEmpty { return StepEvents(reward: reward + 10, outcome: .won) }
    return StepEvents(reward: reward)
  }

  // MARK: - Observations

  static let themes: [Palette] = [
    ["b": RGB(hex: 0x1d2b53), "B": RGB(hex: 0x243565), "p": RGB(hex: 0xc2c3c7), "P": RGB(hex: 0x83769c),
     "w": RGB(hex: 0x5f574f), "W": RGB(hex: 0x3f3a35)],
    ["b": RGB(hex: 0x0f3d2e), "B": RGB(hex: 0x17503c), "p": RGB(hex: 0xd7b377), "P": RGB(hex: 0x8f6a3a),
     "w": RGB(hex: 0x6d5b3a), "W": RGB(hex: 0x4a3d27)],
    ["b": RGB(hex: 0x3a1d3a), "B": RGB(hex: 0x4d284d), "p": RGB(hex: 0x9ad0ec), "P": RGB(hex: 0x4f86a8),
     "w": RGB(hex: 0x6b6b6b), "W": RGB(hex: 0x454545)],
  ]
  static let atlases: [[UInt32]] = themes.map { kinds.atlas($0) }
  static let monoAtlas = kinds.monoAtlas()
  static let tileArt = TileArt(themes: atlases, mono: monoAtlas, monoSalt: 0x77)
  static let spritePalette: Palette = [
    "o": RGB(hex: 0xff9800), "k": RGB(hex: 0x111111), "w": RGB(hex: 0xffffff), "g": RGB(hex: 0x66bb6a),
    "y": RGB(hex: 0xffeb3b), "Y": RGB(hex: 0xfbc02d), "r": RGB(hex: 0xe91e63), "R": RGB(hex: 0x880e4f),
  ]
  static let climberArt = ["..oooo..", ".owkowk.", ".oooooo.", "..oooo..", ".gggggg.", "o.gggg.o", "..g..g..", ".kk..kk."]
  static let starArt = ["...y....", "...y....", "..yyy...", "yyyYyyy.", ".yyYyy..", "..yyy...", ".yy.yy..", ".y...y.."]
  static let enemyArt = ["r......r", "rr....rr", "rRrrrrRr", ".rwkrwk.", ".rrrrrr.", "rRRRRRRr", "r.r..r.r", "........"]
  static let sprites = SpriteSet([Texture(art: climberArt, palette: spritePalette), Texture(art: starArt, palette: spritePalette),
                                  Texture(art: enemyArt, palette: spritePalette)], monoKind: 125)

  func view(_ s: State) -> Viewport {
    options.centerAgent
      ? scrollView(s)
      : .whole(width: s.width, height: Climber.height)
  }

  public func render(_ s: State, into canvas: inout Canvas) {
    let v = view(s), mono = options.monochrome
    Climber.tileArt.draw(&canvas, options.centerAgent ? .panned : .whole, key: s.tileKey, s.tiles, width: s.width, height: Climber.height,
                         theme: s.theme, monochrome: mono, view: v, outside: Tile.wall)
    let tex = Climber.sprites.pick(mono)
    let top = v.y0 + v.side + 1, bottom = v.y0 - 1
    for e in s.stars where e.y < top && e.y > bottom { canvas.drawEntity(tex[1], e, view: v) }
    for e in s.enemies where e.y < top && e.y > bottom { canvas.drawEntity(tex[2], e, view: v) }
    canvas.drawSprite(tex[0], x: s.agent.x, y: s.agent.y, rx: 0.5, ry: 0.5, view: v, mirrored: s.agent.mirrored)
  }

  /// The full tower width, following the agent vertically, on whole frame pixels.
  func scrollView(_ s: State) -> Viewport {
    let side = Float(s.width), k = Float(Canvas.size) / side
    let y0 = min(max(0, s.agent.y - side / 2), Float(Climber.height) - side)
    return Viewport(x0: 0, y0: (y0 * k).rounded(.down) / k, side: side)
  }

  func windowOrigin(_ s: State) -> Int { Int(scrollView(s).y0.rounded(.down)) }

  public func encodeGrid(_ s: State, into out: UnsafeMutableBufferPointer<Float>) {
    let n = s.width, y0 = windowOrigin(s), H = Climber.height
    // Rows outside the tower are blank here (drawn as ground in the glyph view).
    s.tiles.withUnsafeBufferPointer { t in
      Climber.kinds.encode(width: n, height: n, into: out) { x, wy in y0 + wy >= 0 && y0 + wy < H ? t[(y0 + wy) * n + x] : Tile.empty }
    }
    for e in s.stars { EntityRaster.mark(e, Climber.starKind, into: out, width: n, height: n, originY: y0) }
    for e in s.enemies { EntityRaster.mark(e, Climber.enemyKind, into: out, width: n, height: n, originY: y0) }
    EntityRaster.mark(s.agent, Climber.agentKind, into: out, width: n, height: n, originY: y0)
  }

  public func drawGlyphs(_ s: State, into g: inout GlyphGrid) {
    let n = s.width, y0 = windowOrigin(s), H = Climber.height
    s.tiles.withUnsafeBufferPointer { t in
      Climber.kinds.drawGlyphs(into: &g) { x, wy in y0 + wy >= 0 && y0 + wy < H ? t[(y0 + wy) * n + x] : Tile.wall }
    }
    for e in s.stars { EntityRaster.glyph(e, Climber.starKind, into: &g, originY: y0) }
    for e in s.enemies { EntityRaster.glyph(e, Climber.enemyKind, into: &g, originY: y0) }
    EntityRaster.glyph(s.agent, Climber.agentKind, into: &g, originY: y0)
  }

  // MARK: - Saving

  public func encode(_ s: State, into w: inout ByteWriter) {
    w.int(s.width); w.u8s(s.tiles); w.entity(s.agent); w.entities(s.stars); w.entities(s.enemies); w.int(s.theme)
  }

  public func decode(from r: inout ByteReader) throws -> State {
    let (w, tiles) = try r.tallWorld(width: worldWidth, height: Climber.height, max: Tile.platform)
    let bounds = EntityBounds(width: w, height: Climber.height, margin: 4, maxSpeed: 2)
    let agent = try r.entity("agent", kinds: 1, bounds: bounds)
    let stars = try r.entities("stars", capacity: Climber.maxStars, kinds: 1, bounds: bounds)
    let enemies = try r.entities("enemies", capacity: Climber.maxEnemies, kinds: 2, bounds: bounds)
    let theme = try r.int("theme", in: 0...(Climber.themes.count - 1))
    if let i = enemies.firstIndex(where: { $0.kind != Kind.enemy.rawValue }) { throw r.invalid("enemies \(i) kind", "is not an enemy") }
    return Climber.make(width: w, tiles: tiles, agent: agent, stars: stars, enemies: enemies, theme: theme)
  }

  // MARK: - Level files

  public func levelMap(_ s: State) -> LevelMap? {
    var m = Climber.kinds.levelMap(s.tiles, width: s.width, height: Climber.height, theme: s.theme)
    for e in s.stars { m.put(e.cell, "*") }
    for e in s.enemies { m.put(e.cell, e.vx > 0 ? "E" : "e") }
    m.put(s.agent.cell, "A")
    return m
  }

  public func load(map: LevelMap, rng: inout PCG32) throws(LevelProblems) -> State {
    let W = worldWidth, H = Climber.height
    var reader = MapReader(map: map, worldWidth: W, worldHeight: H, legend: Climber.descriptor.legend)
    var tiles = Climber.kinds.tiles(reader, fill: Tile.empty)
    var stars = EntityList(capacity: Climber.maxStars), enemies = EntityList(capacity: Climber.maxEnemies)
    var overflow = false
    reader.forEach { x, y, c in
      switch c {
      case "*": if !stars.append(Climber.star(x, y)) { overflow = true }
      case "E", "e": if !enemies.append(Climber.enemy(x, y, right: c == "E")) { overflow = true }
      default: break
      }
    }
    // Rows below a smaller map are solid ground.
    for y in 0..<reader.offsetY { for x in 0..<W { tiles[y * W + x] = Tile.wall } }
    if overflow { reader.add(LevelProblem("more than \(Climber.maxStars) stars or enemies")) }
    let a = reader.single("A", "agent start")
    if stars.isEmpty && reader.problems.isEmpty { reader.add(LevelProblem("the map has no star ('*')")) }
    reader.checkTheme(count: Climber.themes.count, game: "climber")
    try reader.finish()
    let s = Climber.make(width: W, tiles: tiles, agent: Climber.agentAt(a.x, a.y), stars: stars, enemies: enemies,
                         theme: map.theme)
    if !Climber.solvable(s) {
      throw LevelProblems([reader.problem(at: a, "some star cannot be reached from the agent start (jumps rise at most \(Climber.reach.maxRise) rows)")])
    }
    return s
  }
}
