import ArcadeCore

/// heist: a maze with up to three coloured locked doors and their keys; steal
/// the gem (ProcGen's heist). The agent is a free-moving box with inertia.
public struct Heist: Game {
  /// Tile ids of the level grid.
  enum Tile {
    static let floor: UInt8 = 0
    static let wall: UInt8 = 1
    static let door: UInt8 = 2      // 2, 3, 4: doors of colour 0, 1, 2
    static let key: UInt8 = 5       // 5, 6, 7: keys of colour 0, 1, 2
    static let gem: UInt8 = 8
    static let count = 9
    static func isDoor(_ t: UInt8) -> Bool { t >= door && t < door + 3 }
    static func isKey(_ t: UInt8) -> Bool { t >= key && t < key + 3 }
  }

  public struct State: Sendable, Equatable {
    public var size: Int                 // world side (square)
    public var tiles: [UInt8]            // Tile ids, row-major, y up
    public var agent: MovingBox          // centre and velocity in cells
    public var keys: UInt8               // bit i set: key of colour i held
    public var facingLeft: Bool
    public var theme: Int
    public var tileKey: UInt64           // hash of tiles + theme, for the render cache (derived)

    public static func == (a: State, b: State) -> Bool {
      a.size == b.size && a.tiles == b.tiles && a.agent == b.agent && a.keys == b.keys
        && a.facingLeft == b.facingLeft && a.theme == b.theme
    }

    mutating func refreshKey() {
      tileKey = fnv1a64([UInt8(theme), UInt8(truncatingIfNeeded: size)], seed: fnv1a64(tiles))
    }
  }

  /// `grid` channels (world side × world side, row 0 = top): wall; closed door
  /// of each colour; key of each colour lying in the maze; gem; the cell under
  /// the agent's centre; and three planes that are all ones while the key of
  /// that colour is held. Velocity is not in the grid (the rgb frame and the
  /// saved state carry it).
  public static let descriptor = GameDescriptor(
    name: "heist",
    summary: "Maze with coloured locked doors: collect the keys, open the doors, steal the gem.",
    modes: [.easy, .hard, .memory, .exploration],
    meaningfulActions: Array(0...8),
    actionNames: GameActions.eightWay,
    kinds: kinds,
    explorationSeed: 876_640_971,
    scoreRange: [.easy: (3.5, 10), .hard: (2, 10)]
  )

  static let gridChannels = [
    "wall", "door_red", "door_green", "door_blue", "key_red", "key_green", "key_blue", "gem", "agent",
    "held_red", "held_green", "held_blue",
  ]
  /// Every tile and the agent; tile art is in `tileTextures` (doors and keys take the lock colours).
  static let kinds = KindTable(channels: gridChannels, floor: Tile.floor, [
    Kind(tile: Tile.wall, map: "#", "wall", glyph: "#", .white, "wall", channels: ["wall"], mono: 11),
    Kind(tile: Tile.floor, map: ".", "floor", glyph: "·", .grey, "floor", mono: 10),
    Kind(map: "A", "agent start", glyph: "@", .yellow, "you", channels: ["agent"]),
    Kind(tile: Tile.gem, map: "$", "gem (exit)", glyph: "$", .cyan, "the gem: reach it (+10)", channels: ["gem"], mono: 18),
    Kind(tile: Tile.door, map: "R", "red door", glyph: "R", .red, "door: opens with the red key", channels: ["door_red"], mono: 12),
    Kind(tile: Tile.door + 1, map: "G", "green door", glyph: "G", .green, "door: opens with the green key", channels: ["door_green"],
         mono: 13),
    Kind(tile: Tile.door + 2, map: "B", "blue door", glyph: "B", .blue, "door: opens with the blue key", channels: ["door_blue"],
         mono: 14),
    Kind(tile: Tile.key, map: "r", "red key", glyph: "r", .red, "red key", channels: ["key_red"], mono: 15),
    Kind(tile: Tile.key + 1, map: "g", "green key", glyph: "g", .green, "green key", channels: ["key_green"], mono: 16),
    Kind(tile: Tile.key + 2, map: "b", "blue key", glyph: "b", .blue, "blue key", channels: ["key_blue"], mono: 17),
  ])
  static let agentKind = kinds[map: "A"]

  static let maxSpeed: Float = 0.75
  static let mixRate: Float = 0.5
  static let agentRadius: Float = 0.375
  static let doorChars = (0..<3).map { kinds[tile: Tile.door + UInt8($0)].map! }
  static let keyChars = (0..<3).map { kinds[tile: Tile.key + UInt8($0)].map! }

  static let worldSides = WorldSides(easy: 9, memory: 23, otherwise: 13)

  public let options: GameOptions
  public init(options: GameOptions) { self.options = options }

  // MARK: - Generation

  /// ProcGen's `generate_maze_with_doors`: a Kruskal maze of side 5 + 2d at a
  /// random offset; `numKeys` junction cells become doors; the agent starts on
  /// an open cell not next to a door; flooding out from the agent, door i is
  /// the first closed door reached with doors < i open, key i lies on a cell
  /// reachable before door i, and the gem lies beyond the last door.
  public func generate(levelSeed: UInt32, rng: inout PCG32) -> State {
    let n = worldSide
    let maxDifficulty = (n - 5) / 2
    let difficulty = rng.below(maxDifficulty + 1)
    var numKeys = genMode == .memory ? rng.below(4) : min(3, difficulty + rng.below(2))
    let m = 5 + 2 * difficulty
    let ox = rng.below(n - m + 1), oy = rng.below(n - m + 1)
    let maze = MazeGenerator.kruskal(side: m, rng: &rng)
    var tiles = [UInt8](repeating: Tile.wall, count: n * n)
    for y in 0..<m { for x in 0..<m where !maze[y * m + x] { tiles[(y + oy) * n + x + ox] = Tile.floor } }

    func openNeighbours(_ c: Int) -> Int {
      let x = c % n, y = c / n
      var k = 0
      for (nx, ny) in [(x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)]
      where nx >= 0 && ny >= 0 && nx < n && ny < n && tiles[ny * n + nx] != Tile.wall { k += 1 }
      return k
    }
    var junctions = (0..<(n * n)).filter { tiles[$0] == Tile.floor && openNeighbours($0) >= 3 }
    rng.shuffle(&junctions)
    numKeys = min(numKeys, junctions.count)
    var doors = Array(junctions.prefix(numKeys))

    func nextToDoor(_ c: Int) -> Bool {
      doors.contains { d in abs(d % n - c % n) + abs(d / n - c / n) <= 1 }
    }
    let open = (0..<(n * n)).filter { tiles[$0] == Tile.floor && !doors.contains($0) }
    let safe = open.filter { !nextToDoor($0) }
    let starts = safe.isEmpty ? open : safe
    let agentCell = starts[rng.below(starts.count)]

    // Flood out from the agent with the doors not yet assigned closed.
    var opened: [Int] = []
    var occupied = [agentCell]
    var keyCells: [Int] = []
    func flood() -> (reach: [Int], firstDoor: Int?) {
      var first: Int?
      let reach = GridSearch.flood(width: n, height: n, from: agentCell) { d in
        if tiles[d] == Tile.wall { return false }
        if doors.contains(d) && !opened.contains(d) {
          if first == nil { first = d }
          return false
        }
        return true
      }
      return (reach, first)
    }
    var ordered: [Int] = []
    var before: [Int] = []
    for _ in 0..<numKeys {
      let (reach, first) = flood()
      let free = reach.filter { !occupied.contains($0) && !doors.contains($0) }
      guard let door = first, !free.isEmpty else { break }
      let k = free[rng.below(free.count)]
      keyCells.append(k)
      occupied.append(k)
      ordered.append(door)
      opened.append(door)
      before = reach
    }
    // Doors that could not get a key (never happens in a tree maze) become floor.
    doors = ordered
    let reach = flood().reach
    var beyond = ordered.isEmpty ? reach : reach.filter { !before.contains($0) }
    beyond = beyond.filter { !occupied.contains($0) && !doors.contains($0) }
    if beyond.isEmpty { beyond = reach.filter { !occupied.contains($0) && !doors.contains($0) } }
    let gem = beyond[rng.below(beyond.count)]

    for (i, d) in doors.enumerated() { tiles[d] = Tile.door + UInt8(i) }
    for (i, k) in keyCells.enumerated() { tiles[k] = Tile.key + UInt8(i) }
    tiles[gem] = Tile.gem
    let theme = rng.below(Heist.themes.count)
    var s = State(
      size: n, tiles: tiles,
      agent: MovingBox(x: Float(agentCell % n) + 0.5, y: Float(agentCell / n) + 0.5, rx: Heist.agentRadius, ry: Heist.agentRadius),
      keys: 0, facingLeft: false, theme: theme, tileKey: 0)
    s.refreshKey()
    return s
  }

  // MARK: - Dynamics

  func blocked(_ s: State, _ x: Int, _ y: Int) -> Bool {
    guard x >= 0, y >= 0, x < s.size, y < s.size else { return true }
    let t = s.tiles[y * s.size + x]
    if t == Tile.wall { return true }
    if Tile.isDoor(t) { return s.keys & (1 << (t - Tile.door)) == 0 }
    return false
  }

  /// Movement: velocity mixes toward 0.75·(dx, dy) at rate 0.5 and decays by
  /// 0.9 (diagonals are not normalised, as in ProcGen); `BoxMover` resolves
  /// the axes separately against walls and locked doors. Then every cell the
  /// agent touches is handled: keys are picked up, doors of a held colour open,
  /// the gem ends the level with +10. Heist has no in-episode randomness.
  public func step(_ s: inout State, action: Action, rng: inout PCG32) -> StepEvents {
    let dx = action.dx, dy = action.dy
    if dx != 0 { s.facingLeft = dx < 0 }
    var b = s.agent
    BoxMover.steer(&b, dx: dx, dy: dy, maxSpeed: Heist.maxSpeed, mix: Heist.mixRate)
    let state = s
    BoxMover.move(&b) { x, y in blocked(state, x, y) }
    s.agent = b
    // Touching cells: keys are picked up, unlocked doors open, the gem wins.
    let c = BoxMover.cells(x: b.x, y: b.y, rx: b.rx, ry: b.ry)
    var won = false, changed = false
    for cy in max(0, c.y0)...min(s.size - 1, c.y1) {
      for cx in max(0, c.x0)...min(s.size - 1, c.x1) {
        let i = cy * s.size + cx
        let t = s.tiles[i]
        if Tile.isKey(t) {
          s.keys |= 1 << (t - Tile.key)
          s.tiles[i] = Tile.floor
          changed = true
        } else if Tile.isDoor(t) && s.keys & (1 << (t - Tile.door)) != 0 {
          s.tiles[i] = Tile.floor
          changed = true
        } else if t == Tile.gem {
          won = true
        }
      }
    }
    if changed { s.refreshKey() }
    return won ? StepEvents(reward: 10, outcome: .won) : StepEvents()
  }

  // MARK: - Rendering

  /// Semantic key/door colours (the same in every theme): red, green, blue.
  static let lockColours: [(RGB, RGB)] = [
    (RGB(hex: 0xe53935), RGB(hex: 0x8e1c1a)),
    (RGB(hex: 0x43a047), RGB(hex: 0x1f5e22)),
    (RGB(hex: 0x1e88e5), RGB(hex: 0x0d4a86)),
  ]
  /// Themes: f floor, x floor speck, w wall, d wall shade, h wall highlight, j gem, k gem shade.
  static let themes: [Palette] = [
    ["f": RGB(hex: 0x2b2f3a), "x": RGB(hex: 0x353a47), "w": RGB(hex: 0x8d8f99), "d": RGB(hex: 0x5f616b),
     "h": RGB(hex: 0xb9bbc4), "j": RGB(hex: 0x4dd0e1), "k": RGB(hex: 0x00838f)],
    ["f": RGB(hex: 0x3e2d22), "x": RGB(hex: 0x4a372a), "w": RGB(hex: 0xb5834f), "d": RGB(hex: 0x7a5430),
     "h": RGB(hex: 0xd9ab74), "j": RGB(hex: 0xf06292), "k": RGB(hex: 0xad1457)],
    ["f": RGB(hex: 0x1d3327), "x": RGB(hex: 0x264233), "w": RGB(hex: 0x6d8f7c), "d": RGB(hex: 0x47624f),
     "h": RGB(hex: 0x9fc2ac), "j": RGB(hex: 0xffd54f), "k": RGB(hex: 0xc79100)],
  ]
  static let floorArt = ["ffffffff", "fffffxff", "ffffffff", "fxffffff", "ffffffff", "ffffffxf", "ffxfffff", "ffffffff"]
  static let wallArt = ["hhhhhhhd", "hwwwwwwd", "hwwwwwwd", "dddddddd", "hhhdhhhh", "wwwdhwww", "wwwdhwww", "dddddddd"]
  static let doorArt = ["oooooooo", "occoccoo", "occoccoo", "oooooooo", "oooyyooo", "ooyooyoo", "oooyyooo", "oooooooo"]
  static let keyArt = ["ffffffff", "ffccffff", "fcffcfff", "ffccffff", "fffcffff", "fffccfff", "fffcffff", "fffccfff"]
  static let gemArt = ["ffffffff", "ffjjjjff", "fjjhjjjf", "jjhjjjjk", "fjjjjjkf", "ffjjjkff", "fffjkfff", "ffffffff"]
  static let thiefArt = [
    "..kkkk..", ".kkkkkk.", ".ksskss.", ".kkkkkk.", "..pppp..", ".pppppp.", "..p..p..", ".kk..kk.",
  ]
  static let hudKeyArt = ["........", "..cc....", ".c..c...", "..cc....", "...c....", "...cc...", "...c....", "...cc..."]

  static func tileTextures(_ p: Palette) -> [Texture] {
    var t = [Texture(art: floorArt, palette: p), Texture(art: wallArt, palette: p)]
    for (c, d) in lockColours {
      t.append(Texture(art: doorArt, palette: ["o": c, "c": d, "y": RGB(hex: 0xffe082)]))
    }
    for (c, _) in lockColours {
      var q = p; q["c"] = c
      t.append(Texture(art: keyArt, palette: q))
    }
    t.append(Texture(art: gemArt, palette: p.merging(["h": RGB(hex: 0xffffff)]) { _, n in n }))
    return t
  }
  static let atlases: [[UInt32]] = themes.map { Texture.atlas(tileTextures($0)) }
  static let monoAtlas = kinds.monoAtlas()
  static let tileArt = TileArt(themes: atlases, mono: monoAtlas, monoSalt: 0x9e37)
  static let thief = Texture(art: thiefArt, palette: [
    "k": RGB(hex: 0x212121), "s": RGB(hex: 0xffcc80), "p": RGB(hex: 0x7e57c2),
  ])
  static let thiefLeft = thief.mirrored()
  static let monoThief = thief.flattened(to: .monochrome(kind: 30))
  static let hudKeys: [Texture] = lockColours.map { Texture(art: hudKeyArt, palette: ["c": $0.0]) }
  static let monoHudKeys: [Texture] = (0..<3).map { hudKeys[$0].flattened(to: .monochrome(kind: 10 + Int(Tile.key) + $0)) }
  static let hudView = Viewport(x0: 0, y0: 0, side: 64)

  func viewport(_ s: State) -> Viewport { frameView(side: s.size, agentX: s.agent.x, agentY: s.agent.y) }

  public func render(_ s: State, into canvas: inout Canvas) {
    let view = viewport(s), mono = options.monochrome
    Heist.tileArt.draw(&canvas, .whole, key: s.tileKey, s.tiles, width: s.size, height: s.size, theme: s.theme, monochrome: mono, view: view, outside: Tile.wall)
    let sprite = mono ? Heist.monoThief : (s.facingLeft ? Heist.thiefLeft : Heist.thief)
    canvas.drawSprite(sprite, x: s.agent.x, y: s.agent.y, rx: s.agent.rx, ry: s.agent.ry, view: view)
    // Key ring: held keys in the top-right corner, in screen coordinates.
    var slot = 0
    for i in 0..<3 where s.keys & (1 << i) != 0 {
      let px = Float(64 - 7 * (slot + 1) - 1)
      canvas.fillRect(x0: Int(px) - 1, y0: 0, x1: Int(px) + 7, y1: 9, RGB(0, 0, 0))
      canvas.drawSprite(mono ? Heist.monoHudKeys[i] : Heist.hudKeys[i], x: px + 3, y: 64 - 4.5, rx: 4, ry: 4, view: Heist.hudView)
      slot += 1
    }
  }

  public func encodeGrid(_ s: State, into out: UnsafeMutableBufferPointer<Float>) {
    let n = s.size, plane = n * n
    Heist.kinds.encode(s.tiles, width: n, height: n, into: out)
    let ax = min(n - 1, max(0, Int(s.agent.x))), ay = min(n - 1, max(0, Int(s.agent.y)))
    out[Heist.agentKind.channels[0] * plane + GridObs.row(ay, n) * n + ax] = 1
    // The held keys: whole planes after the kinds' channels.
    for i in 0..<3 where s.keys & (1 << i) != 0 {
      for o in 0..<plane { out[(9 + i) * plane + o] = 1 }
    }
  }

  public func drawGlyphs(_ s: State, into g: inout GlyphGrid) {
    Heist.kinds.drawGlyphs(s.tiles, into: &g)
    g.setWorld(Int(s.agent.x), Int(s.agent.y), Heist.agentKind.glyph, Heist.agentKind.colour)
  }

  // MARK: - Saving

  public func encode(_ s: State, into w: inout ByteWriter) {
    w.int(s.size); w.u8s(s.tiles)
    w.f32(s.agent.x); w.f32(s.agent.y); w.f32(s.agent.vx); w.f32(s.agent.vy)
    w.u8(s.keys); w.bool(s.facingLeft); w.int(s.theme)
  }

  public func decode(from r: inout ByteReader) throws -> State {
    let (n, tiles) = try r.squareWorld("heist size", side: worldSide, max: UInt8(Tile.count - 1))
    let side = Float(n)
    let x = try r.f32("agent x", in: 0...side), y = try r.f32("agent y", in: 0...side)
    let vx = try r.f32("agent vx", in: -10...10), vy = try r.f32("agent vy", in: -10...10)
    let keys = try r.u8("keys", in: 0...7), facing = try r.bool("facing")
    let theme = try r.int("theme", in: 0...(Heist.themes.count - 1))
    var s = State(size: n, tiles: tiles, agent: MovingBox(x: x, y: y, rx: Heist.agentRadius, ry: Heist.agentRadius, vx: vx, vy: vy),
                  keys: keys, facingLeft: facing, theme: theme, tileKey: 0)
    s.refreshKey()
    return s
  }

  // MARK: - Level files

  public func levelMap(_ s: State) -> LevelMap? {
    // The agent's cell, kept on the map when its centre is on the far edge.
    let a = (x: min(s.size - 1, Int(s.agent.x)), y: min(s.size - 1, Int(s.agent.y)))
    return Heist.kinds.levelMap(s.tiles, side: s.size, theme: s.theme, marks: [(a, "A")])
  }

  public func load(map: LevelMap, rng: inout PCG32) throws(LevelProblems) -> State {
    let n = worldSide
    let (reader, tiles, agent, gem) = try readSquare(map, fill: Tile.wall) { reader, _ in
      let gem = reader.single("$", "gem")
      for i in 0..<3 {
        let doors = reader.positions(of: Heist.doorChars[i])
        let keys = reader.positions(of: Heist.keyChars[i])
        if let d = doors.first, keys.isEmpty {
          reader.add(reader.problem(at: d, "door '\(Heist.doorChars[i])' has no matching key '\(Heist.keyChars[i])'"))
        }
      }
      return gem
    }
    let s0 = State(size: n, tiles: tiles,
                   agent: MovingBox(x: Float(agent.x) + 0.5, y: Float(agent.y) + 0.5, rx: Heist.agentRadius, ry: Heist.agentRadius),
                   keys: 0, facingLeft: false, theme: map.theme, tileKey: 0)
    if !Heist.solvable(s0) {
      throw LevelProblems([reader.problem(at: gem, "the gem cannot be reached from the agent start (keys open doors of their colour)")])
    }
    var s = s0
    s.refreshKey()
    return s
  }

  /// The reachability check below, for `levels stats` and the tests.
  public func solvability(_ s: State) -> Bool? { Heist.solvable(s) }

  /// Grid solvability: flood from the agent's cell; reachable keys open their
  /// doors; repeat until nothing changes; the gem must have been reached.
  static func solvable(_ s: State) -> Bool {
    let n = s.size
    var keys = s.keys
    let start = Int(s.agent.y) * n + Int(s.agent.x)
    while true {
      let held = keys
      let dist = GridSearch.distances(width: n, height: n, from: start) { i in
        let t = s.tiles[i]
        return t != Tile.wall && !(Tile.isDoor(t) && held & (1 << (t - Tile.door)) == 0)
      }
      for i in 0..<(n * n) where dist[i] >= 0 {
        if s.tiles[i] == Tile.gem { return true }
        if Tile.isKey(s.tiles[i]) { keys |= 1 << (s.tiles[i] - Tile.key) }
      }
      if keys == held { return false }
    }
  }
}
