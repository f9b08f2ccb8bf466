import ArcadeCore

/// jumper: a bunny with a double jump explores a cave to find the carrot,
/// avoiding floor spikes; a compass points to the carrot (ProcGen's jumper).
public struct Jumper: Game {
  public enum Tile {
    public static let empty: UInt8 = 0, wall: UInt8 = 1, spike: UInt8 = 2
  }

  public struct State: Sendable, Equatable {
    public var size: Int
    public var tiles: [UInt8]          // size × size, y up
    public var agent: Entity
    public var jumps: Int              // jumps left before landing again
    public var cooldown: Int           // steps until the next jump is allowed
    public var carrot: (x: Int, y: Int)
    public var theme: Int
    var tileKey: UInt64

    public static func == (a: State, b: State) -> Bool {
      a.size == b.size && a.tiles == b.tiles && a.agent == b.agent && a.jumps == b.jumps && a.cooldown == b.cooldown
        && a.carrot == b.carrot && a.theme == b.theme
    }
  }

  public static let descriptor = GameDescriptor(
    name: "jumper",
    summary: "Open-world cave platformer with a double jump: find the carrot, avoid the spikes.",
    modes: [.easy, .hard, .memory, .exploration],
    stepLimitOverrides: [.memory: 2000],
    meaningfulActions: [1, 2, 4, 5, 7, 8],
    actionNames: GameActions.jump,
    kinds: kinds,
    explorationSeed: 1_434_825_276,
    scoreRange: [.easy: (3, 10), .hard: (1, 10)],
    cameraChoice: true
  )

  static let maxSpeed: Float = 0.5, mix: Float = 0.5
  static let gravity: Float = 0.15, maxFall: Float = 2, jumpSpeed: Float = 1.0
  static let jumpCooldown = 3
  static let agentRX: Float = 0.254, agentRY: Float = 0.4   // ProcGen's narrow rabbit
  /// ProcGen's spike box (standing on its cell's floor) and carrot radius.
  static let spikeRX: Float = 0.23, spikeRY: Float = 0.4, carrotR: Float = 0.5
  static let gridSide = 20
  /// A double jump rises about 7.7 cells; the model allows 6 rows and short reaches.
  static let reach = PlatformReach(maxRise: 6, reach: [5, 5, 5, 5, 4, 4, 3], maxReach: 7)

  static let worldSides = WorldSides(easy: 20, memory: 45, otherwise: 40)

  public let options: GameOptions
  public init(options: GameOptions) { self.options = options }
  public var gridSize: (height: Int, width: Int) { (Jumper.gridSide, Jumper.gridSide) }

  // MARK: - Generation

  public func generate(levelSeed: UInt32, rng: inout PCG32) -> State {
    Redraw.untilSolvable(tries: 60, { generateOnce(&rng) }, solvable: Jumper.solvable)
      ?? Jumper.make(size: worldSide, tiles: Jumper.box(worldSide), agent: Jumper.agentAt(1, 1), carrot: (2, 1), theme: 0)
  }

  static func box(_ n: Int) -> [UInt8] {
    var t = [UInt8](repeating: Tile.empty, count: n * n)
    for i in 0..<n { t[i] = Tile.wall; t[(n - 1) * n + i] = Tile.wall; t[i * n] = Tile.wall; t[i * n + n - 1] = Tile.wall }
    return t
  }

  func generateOnce(_ rng: inout PCG32) -> State? {
    let n = worldSide
    let memory = genMode == .memory
    var ms = n / 3
    if ms % 2 == 0 { ms -= 1 }
    var maze = MazeGenerator.kruskal(side: ms, rng: &rng)
    MazeGenerator.removeDeadEnds(&maze, side: ms, rng: &rng)
    var wall = [Bool](repeating: true, count: n * n)
    for y in 0..<n {
      for x in 0..<n {
        let mx = min(ms - 1, x / 3), my = min(ms - 1, y / 3)
        wall[y * n + x] = rng.chance(maze[my * ms + mx] ? 0.8 : 0.2)
      }
    }
    for _ in 0..<2 { CaveGenerator.smooth(&wall, width: n, height: n) }
    for i in 0..<n { wall[i] = true; wall[(n - 1) * n + i] = true; wall[i * n] = true; wall[i * n + n - 1] = true }
    // Climbability: every 3-tall straight wall face gets one random cell carved out.
    for y in 1..<(n - 3) {
      for x in 1..<(n - 1) where wall[y * n + x] && wall[(y + 1) * n + x] && wall[(y + 2) * n + x] {
        let faceL = !wall[y * n + x - 1] && !wall[(y + 1) * n + x - 1] && !wall[(y + 2) * n + x - 1]
        let faceR = !wall[y * n + x + 1] && !wall[(y + 1) * n + x + 1] && !wall[(y + 2) * n + x + 1]
        if (faceL || faceR) && x > 1 && x < n - 2 { wall[(y + rng.below(3)) * n + x] = false }
      }
    }
    guard CaveGenerator.keepLargestRegion(&wall, width: n, height: n) > 10 else { return nil }
    func ground(_ i: Int) -> Bool { let y = i / n; return y > 0 && y < n - 1 && !wall[i] && !wall[i + n] && wall[i - n] }
    var open: [Int] = [], grounds: [Int] = []
    for i in 0..<(n * n) where !wall[i] {
      open.append(i)
      if ground(i) { grounds.append(i) }
    }
    guard open.count > 2, !grounds.isEmpty else { return nil }
    let carrot = open[rng.below(open.count)]
    let agent = grounds[rng.below(grounds.count)]
    guard carrot != agent else { return nil }
    if !memory {
      let path = CaveGenerator.path(wall, width: n, height: n, from: agent, to: carrot)
      guard !path.isEmpty else { return nil }
      let keep = CaveGenerator.widen(path, width: n, height: n, radius: 4)
      for i in 0..<(n * n) where !keep[i] { wall[i] = true }
    }
    var tiles = wall.map { $0 ? Tile.wall : Tile.empty }
    if !memory {
      for i in 0..<(n * n) where ground(i) && ground(i - 1) && ground(i + 1) && i != agent && i != carrot && i != carrot - n {
        if rng.chance(0.2) { tiles[i] = Tile.spike }
      }
    }
    let theme = rng.below(Jumper.themes.count)
    return Jumper.make(size: n, tiles: tiles, agent: Jumper.agentAt(agent % n, agent / n), carrot: (carrot % n, carrot / n),
                       theme: theme)
  }

  static func agentAt(_ x: Int, _ y: Int) -> Entity {
    Entity(x: Float(x) + 0.5, y: Float(y) + agentRY, rx: agentRX, ry: agentRY)
  }

  static func make(size: Int, tiles: [UInt8], agent: Entity, carrot: (Int, Int), theme: Int) -> State {
    State(size: size, tiles: tiles, agent: agent, jumps: 2, cooldown: 0, carrot: carrot, theme: theme,
          tileKey: fnv1a64([UInt8(theme), UInt8(size)], seed: fnv1a64(tiles)))
  }

  /// The reachability check below, for `levels stats` and the tests.
  public func solvability(_ s: State) -> Bool? { Jumper.solvable(s) }

  /// The carrot is reachable when a reachable stand (`PlatformReach`, spikes
  /// as hazards) lies in its column or the next, at most `maxRise` rows below
  /// it with open cells in between, or is the carrot's cell itself.
  static func solvable(_ s: State) -> Bool {
    let n = s.size
    let a = s.agent.cell
    func kind(_ x: Int, _ y: Int) -> PlatformReach.Kind {
      switch s.tiles[y * n + x] {
      case Tile.wall: return .solid
      case Tile.spike: return .hazard
      default: return .open
      }
    }
    let seen = reach.reachable(width: n, height: n, start: (a.x, a.y), kind: kind)
    let c = s.carrot
    for x in max(0, c.x - 1)...min(n - 1, c.x + 1) {
      for y in max(0, c.y - reach.maxRise)...c.y where seen[y * n + x] {
        var ok = true
        for yy in y...c.y where kind(x, yy) != .open || kind(c.x, yy) != .open { ok = false }
        if ok { return true }
      }
    }
    return false
  }

  // MARK: - Dynamics

  @inline(__always) func cell(_ s: State, _ x: Int, _ y: Int) -> Platformer.Cell {
    x < 0 || y < 0 || x >= s.size || y >= s.size || s.tiles[y * s.size + x] == Tile.wall ? .solid : .open
  }

  public func step(_ s: inout State, action: Action, rng: inout PCG32) -> StepEvents {
    let st = s
    var b = s.agent.box
    let supported = Platformer.isSupported(b) { cell(st, $0, $1) }
    if supported && s.cooldown == 0 { s.jumps = 2 }
    if s.cooldown > 0 { s.cooldown -= 1 }
    Platformer.run(&b, dx: action.dx, maxSpeed: Jumper.maxSpeed, mix: Jumper.mix)
    if action.dy > 0 && s.jumps > 0 && s.cooldown == 0 {
      b.vy = Jumper.jumpSpeed
      s.jumps -= 1
      s.cooldown = Jumper.jumpCooldown
    }
    Platformer.move(&b) { cell(st, $0, $1) }
    Platformer.fall(&b, gravity: Jumper.gravity, maxFall: Jumper.maxFall)
    s.agent.box = b
    if action.dx != 0 { s.agent.mirrored = action.dx < 0 }

    let a = s.agent
    let c = BoxMover.cells(x: a.x, y: a.y, rx: a.rx, ry: a.ry)
    for cy in c.y0...c.y1 {
      for cx in c.x0...c.x1 where cx >= 0 && cy >= 0 && cx < s.size && cy < s.size && s.tiles[cy * s.size + cx] == Tile.spike {
        if abs(a.x - (Float(cx) + 0.5)) < a.rx + Jumper.spikeRX && abs(a.y - (Float(cy) + Jumper.spikeRY)) < a.ry + Jumper.spikeRY {
          return StepEvents(outcome: .died, cause: "Landed on a spike")
        }
      }
    }
    _ = rng
    if abs(a.x - (Float(s.carrot.x) + 0.5)) < a.rx + Jumper.carrotR && abs(a.y - (Float(s.carrot.y) + 0.5)) < a.ry + Jumper.carrotR {
      return StepEvents(reward: 10, outcome: .won)
    }
    return StepEvents()
  }

  // MARK: - Observations

  static let gridChannels = ["wall", "spike", "carrot", "agent"]
  static let kinds = KindTable(channels: gridChannels, floor: Tile.empty, [
    Kind(tile: Tile.wall, map: "#", "wall", glyph: "#", .grey, "wall", channels: ["wall"], art: [
      "mmmmmmmm", "wwwwwWww", "wWwwwwww", "wwwwwwWw", "wwwWwwww", "wwwwwwww", "wWwwwWww", "WWWWWWWW",
    ], mono: 131),
    Kind(tile: Tile.empty, map: ".", "empty", art: [
      "bbbbbbbb", "bbbbbBbb", "bbbbbbbb", "bbBbbbbb", "bbbbbbbb", "bbbbbbbB", "bbbbbbbb", "bBbbbbbb",
    ]),
    Kind(tile: Tile.spike, map: "^", "spike", glyph: "^", .red, "spike: deadly", channels: ["spike"], art: [
      "bbbbbbbb", "bbbbbbbb", "bbbbbbbb", "bbbbbbbb", "bsbbbsbb", "bsbbbsbb", "ssSbssSb", "sSSSsSSS",
    ], mono: 132),
    Kind(map: "C", "carrot (goal)", glyph: "C", .yellow, "the carrot: reach it (+10)", channels: ["carrot"]),
    Kind(map: "A", "agent start", glyph: "@", .white, "the rabbit (you)", channels: ["agent"]),
  ])
  static let carrotKind = kinds[map: "C"], agentKind = kinds[map: "A"]

  static let themes: [Palette] = [
    ["b": RGB(hex: 0x1b1b2f), "B": RGB(hex: 0x22223b), "w": RGB(hex: 0x6d597a), "W": RGB(hex: 0x4a3b55), "m": RGB(hex: 0x8e7aa0)],
    ["b": RGB(hex: 0x10242b), "B": RGB(hex: 0x153038), "w": RGB(hex: 0x3d7068), "W": RGB(hex: 0x24463f), "m": RGB(hex: 0x5fa397)],
    ["b": RGB(hex: 0x2b1a10), "B": RGB(hex: 0x382316), "w": RGB(hex: 0x8a5a3c), "W": RGB(hex: 0x5e3b26), "m": RGB(hex: 0xb07a52)],
  ]
  static let fixed: Palette = ["s": RGB(hex: 0xd0d0d0), "S": RGB(hex: 0x8a8a8a)]
  static let atlases: [[UInt32]] = themes.map { kinds.atlas($0.merging(fixed) { a, _ in a }) }
  static let monoAtlas = kinds.monoAtlas()
  static let tileArt = TileArt(themes: atlases, mono: monoAtlas, monoSalt: 0x99)
  static let spritePalette: Palette = [
    "w": RGB(hex: 0xf5f5f5), "p": RGB(hex: 0xf8bbd0), "k": RGB(hex: 0x111111), "o": RGB(hex: 0xff8f00),
    "g": RGB(hex: 0x43a047), "G": RGB(hex: 0x1b5e20),
  ]
  static let bunnyArt = [".w..w...", ".wp.wp..", ".wwwww..", "wwkwwkw.", "wwwwwwww", ".wwppww.", ".wwwwww.", "ww....ww"]
  static let carrotArt = ["...gGg..", "....g...", "...ooo..", "...ooo..", "...oo...", "...oo...", "....o...", "....o..."]
  static let sprites = SpriteSet([Texture(art: bunnyArt, palette: spritePalette),
                                  Texture(art: carrotArt, palette: spritePalette)], monoKind: 135)

  var visibility: Float { options.mode == .easy ? 12 : 16 }

  func view(_ s: State) -> Viewport {
    options.centerAgent || options.mode == .memory
      ? .pixelAligned(x: s.agent.x, y: s.agent.y, side: visibility)
      : .whole(width: s.size, height: s.size)
  }

  public func render(_ s: State, into canvas: inout Canvas) {
    let v = view(s), mono = options.monochrome
    Jumper.tileArt.draw(&canvas, .panned, key: s.tileKey, s.tiles, width: s.size, height: s.size, theme: s.theme, monochrome: mono, view: v, outside: Tile.wall)
    let tex = Jumper.sprites.pick(mono)
    canvas.drawSprite(tex[1], x: Float(s.carrot.x) + 0.5, y: Float(s.carrot.y) + 0.5, rx: 0.5, ry: 0.5, view: v)
    canvas.drawSprite(tex[0], x: s.agent.x, y: s.agent.y, rx: 0.5, ry: 0.5, view: v, mirrored: s.agent.mirrored)
    if options.mode != .memory { drawCompass(s, &canvas) }
  }

  /// The compass: a needle toward the carrot and a bar for its distance, top left.
  func drawCompass(_ s: State, _ canvas: inout Canvas) {
    canvas.fillRect(x0: 1, y0: 1, x1: 12, y1: 14, RGB(0, 0, 0))
    let dx = Float(s.carrot.x) + 0.5 - s.agent.x, dy = Float(s.carrot.y) + 0.5 - s.agent.y
    let len = max(0.001, (dx * dx + dy * dy).squareRoot())
    let needle = RGB(hex: 0xff5252), hub = RGB(hex: 0xffffff)
    for k in 1...4 {
      let px = 6 + Int((Float(k) * dx / len).rounded()), py = 6 - Int((Float(k) * dy / len).rounded())
      canvas.fillRect(x0: px, y0: py, x1: px + 1, y1: py + 1, needle)
    }
    canvas.fillRect(x0: 6, y0: 6, x1: 7, y1: 7, hub)
    let bar = min(10, Int((len / Float(s.size) * 10).rounded(.up)))
    canvas.fillRect(x0: 1, y0: 12, x1: 1 + bar, y1: 13, RGB(hex: 0x66bb6a))
  }

  func window(_ s: State) -> AgentWindow { AgentWindow(around: s.agent, side: Jumper.gridSide) }

  func tile(_ s: State, _ x: Int, _ y: Int) -> UInt8 {
    x < 0 || y < 0 || x >= s.size || y >= s.size ? Tile.wall : s.tiles[y * s.size + x]
  }

  public func encodeGrid(_ s: State, into out: UnsafeMutableBufferPointer<Float>) {
    let w = window(s)
    w.encode(Jumper.kinds, into: out) { tile(s, $0, $1) }
    w.mark(cell: s.carrot, Jumper.carrotKind, into: out)
    w.mark(s.agent, Jumper.agentKind, into: out)
  }

  public func drawGlyphs(_ s: State, into g: inout GlyphGrid) {
    let w = window(s)
    w.drawGlyphs(Jumper.kinds, into: &g) { tile(s, $0, $1) }
    w.glyph(cell: s.carrot, Jumper.carrotKind, into: &g)
    w.glyph(s.agent, Jumper.agentKind, into: &g)
  }

  // MARK: - Saving

  public func encode(_ s: State, into w: inout ByteWriter) {
    w.int(s.size); w.u8s(s.tiles); w.entity(s.agent); w.int(s.jumps); w.int(s.cooldown)
    w.int(s.carrot.x); w.int(s.carrot.y); w.int(s.theme)
  }

  public func decode(from r: inout ByteReader) throws -> State {
    let (n, tiles) = try r.squareWorld("cave size", side: worldSide, max: Tile.spike)
    let agent = try r.entity("agent", kinds: 1, bounds: EntityBounds(width: n, height: n, margin: 4, maxSpeed: 2))
    let jumps = try r.int("jumps", in: 0...2), cd = try r.int("cooldown", in: 0...Jumper.jumpCooldown)
    let cx = try r.int("carrot x", in: 0...(n - 1)), cy = try r.int("carrot y", in: 0...(n - 1))
    let theme = try r.int("theme", in: 0...(Jumper.themes.count - 1))
    var s = Jumper.make(size: n, tiles: tiles, agent: agent, carrot: (cx, cy), theme: theme)
    s.jumps = jumps
    s.cooldown = cd
    return s
  }

  // MARK: - Level files

  public func levelMap(_ s: State) -> LevelMap? {
    Jumper.kinds.levelMap(s.tiles, side: s.size, theme: s.theme, marks: [(s.carrot, "C"), (s.agent.cell, "A")])
  }

  public func load(map: LevelMap, rng: inout PCG32) throws(LevelProblems) -> State {
    let (reader, tiles, a, c) = try readSquare(map, fill: Tile.wall) { reader, _ in
      reader.single("C", "carrot")
    }
    let s = Jumper.make(size: worldSide, tiles: tiles, agent: Jumper.agentAt(a.x, a.y), carrot: c, theme: map.theme)
    if !Jumper.solvable(s) {
      throw LevelProblems([reader.problem(at: c, "the carrot cannot be reached from the agent start (double jumps rise at most \(Jumper.reach.maxRise) rows)")])
    }
    return s
  }
}
