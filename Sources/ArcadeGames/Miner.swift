import ArcadeCore

/// miner: Boulder-Dash-like digging (ProcGen's miner). Dig through dirt,
/// collect every diamond, then reach the exit; falling boulders and diamonds
/// kill the miner when they land on it.
public struct Miner: Game {
  /// Tile ids of the level grid.
  enum Tile {
    static let empty: UInt8 = 0
    static let dirt: UInt8 = 1
    static let boulder: UInt8 = 2
    static let diamond: UInt8 = 3
    static let fallingBoulder: UInt8 = 4
    static let fallingDiamond: UInt8 = 5
    static let exit: UInt8 = 6
    /// Drawn outside the world only (never stored in the grid).
    static let border: UInt8 = 7
    /// The exit once every diamond is collected, in the glyph view only.
    static let openExit: UInt8 = 8
    static let count = 7
    static func isBoulder(_ t: UInt8) -> Bool { t == boulder || t == fallingBoulder }
    static func isDiamond(_ t: UInt8) -> Bool { t == diamond || t == fallingDiamond }
    /// Boulders and diamonds: they fall, roll, and other objects roll off them.
    static func isRound(_ t: UInt8) -> Bool { t >= boulder && t <= fallingDiamond }
    static func isFalling(_ t: UInt8) -> Bool { t == fallingBoulder || t == fallingDiamond }
  }

  public struct State: Sendable, Equatable {
    public var size: Int                 // world side (square)
    public var tiles: [UInt8]            // Tile ids, row-major, y up
    public var agent: (x: Int, y: Int)
    public var diamondsLeft: Int         // always the number of diamond tiles in `tiles`
    public var facingLeft: Bool
    public var theme: Int

    public static func == (a: State, b: State) -> Bool {
      a.size == b.size && a.tiles == b.tiles && a.agent == b.agent && a.diamondsLeft == b.diamondsLeft
        && a.facingLeft == b.facingLeft && a.theme == b.theme
    }
  }

  /// `grid` channels (world side × world side, row 0 = top): dirt; boulder
  /// (resting or falling); diamond (resting or falling); falling objects
  /// (boulders and diamonds that moved last step and kill on landing); exit;
  /// agent. Empty cells are all-zero.
  public static let descriptor = GameDescriptor(
    name: "miner",
    summary: "Boulder Dash: dig, collect every diamond, then reach the exit; don't get crushed.",
    modes: [.easy, .hard, .memory],
    meaningfulActions: [1, 3, 4, 5, 7],
    actionNames: GameActions.fourWay,
    kinds: kinds,
    scoreRange: [.easy: (1.5, 13), .hard: (1.5, 20)]
  )

  static let gridChannels = ["dirt", "boulder", "diamond", "falling", "exit", "agent"]
  /// Every tile, the agent and its markers; tile art is in `atlas` (the exit's changes when it opens).
  static let kinds = KindTable(channels: gridChannels, floor: Tile.dirt, [
    Kind(tile: Tile.dirt, map: ".", "dirt", glyph: ":", .yellow, "dirt: dig through it", channels: ["dirt"], mono: 41),
    Kind(tile: Tile.empty, map: "_", "empty"),
    Kind(tile: Tile.boulder, map: "O", "boulder", glyph: "O", .white, "boulder: falls, deadly from above", channels: ["boulder"],
         mono: 42),
    Kind(tile: Tile.diamond, map: "*", "diamond", glyph: "*", .cyan, "diamond (+1)", channels: ["diamond"], mono: 43),
    Kind(tile: Tile.exit, map: "E", "exit", glyph: "E", .red, "exit (+10): red until every diamond is collected, then green",
         channels: ["exit"], mono: 46),
    Kind(map: "A", "agent start", glyph: "@", .magenta, "you", channels: ["agent"], under: Tile.empty),
    Kind(map: "&", "agent on the exit", under: Tile.exit),
    // Variants: falling objects (written as resting ones), the border outside the world, the open exit.
    Kind(tile: Tile.fallingBoulder, map: "O", glyph: "O", .white, channels: ["boulder", "falling"], mono: 42),
    Kind(tile: Tile.fallingDiamond, map: "*", glyph: "*", .cyan, channels: ["diamond", "falling"], mono: 43),
    Kind(tile: Tile.border, mono: 47),
    Kind(tile: Tile.openExit, glyph: "E", .green, channels: ["exit"]),
  ])
  static let agentKind = kinds[map: "A"]

  static let worldSides = WorldSides(easy: 10, memory: 35, otherwise: 20)

  public let options: GameOptions
  public init(options: GameOptions) { self.options = options }

  // MARK: - Generation

  /// ProcGen's layout (3 % diamonds, 20 % boulders, the rest dirt; agent on a
  /// random cell with the boulders of its 3×3 neighbourhood turned to dirt;
  /// exit on a dirt cell under dirt or the top edge), redrawn from the same
  /// generation stream until `reachable` holds.
  public func generate(levelSeed: UInt32, rng: inout PCG32) -> State {
    for _ in 0..<1000 {
      let s = layout(rng: &rng, boulders: true)
      if Miner.reachable(s) { return s }
    }
    // Practically never reached: without boulders every cell is reachable.
    return layout(rng: &rng, boulders: false)
  }

  func layout(rng: inout PCG32, boulders: Bool) -> State {
    let n = worldSide, cells = n * n
    var order = Array(0..<cells)
    rng.shuffle(&order)
    let numDiamonds = cells * 3 / 100, numBoulders = boulders ? cells * 20 / 100 : 0
    var tiles = [UInt8](repeating: Tile.dirt, count: cells)
    for i in 0..<numDiamonds { tiles[order[i]] = Tile.diamond }
    for i in numDiamonds..<(numDiamonds + numBoulders) { tiles[order[i]] = Tile.boulder }
    let candidates = (0..<cells).filter { tiles[$0] != Tile.diamond }
    let a = candidates[rng.below(candidates.count)]
    let ax = a % n, ay = a / n
    tiles[a] = Tile.empty
    for y in max(0, ay - 1)...min(n - 1, ay + 1) {
      for x in max(0, ax - 1)...min(n - 1, ax + 1) where tiles[y * n + x] == Tile.boulder { tiles[y * n + x] = Tile.dirt }
    }
    let exits = (0..<cells).filter { i in
      tiles[i] == Tile.dirt && (i / n == n - 1 || tiles[i + n] == Tile.dirt)
    }
    if !exits.isEmpty { tiles[exits[rng.below(exits.count)]] = Tile.exit }
    let theme = rng.below(Miner.themes.count)
    return State(size: n, tiles: tiles, agent: (ax, ay), diamondsLeft: numDiamonds, facingLeft: false, theme: theme)
  }

  /// The reachability check below, for `levels stats` and the tests.
  public func solvability(_ s: State) -> Bool? { Miner.reachable(s) }

  /// The solvability model used for generated and loaded levels: every
  /// diamond and the exit can be reached from the agent by 4-way moves through
  /// cells that are not boulders (dirt, empty, diamond and exit cells are
  /// passable). It is a static check: it ignores that boulders can be pushed
  /// out of the way or fall into a dug path, so it is neither necessary nor
  /// sufficient for winning, but it removes levels walled off by boulders.
  public static func reachable(_ s: State) -> Bool {
    let n = s.size
    var hasExit = false
    for t in s.tiles where t == Tile.exit { hasExit = true }
    guard hasExit else { return false }
    let dist = GridSearch.distances(width: n, height: n, from: s.agent.y * n + s.agent.x) { !Tile.isBoulder(s.tiles[$0]) }
    for i in 0..<(n * n) where (Tile.isDiamond(s.tiles[i]) || s.tiles[i] == Tile.exit) && dist[i] < 0 { return false }
    return true
  }

  // MARK: - Dynamics

  /// One step: the miner moves (digging dirt, taking diamonds for +1, pushing
  /// a boulder sideways into an empty cell), the exit is checked against the
  /// current diamond count, then boulders and diamonds fall and roll, scanned
  /// bottom row first and left to right. Miner has no in-episode randomness.
  public func step(_ s: inout State, action: Action, rng: inout PCG32) -> StepEvents {
    let n = s.size
    var reward: Float = 0
    // 1. The miner moves (horizontal has priority on diagonals).
    var dx = action.dx, dy = action.dy
    if dx != 0 { dy = 0; s.facingLeft = dx < 0 }
    let tx = s.agent.x + dx, ty = s.agent.y + dy
    if (dx != 0 || dy != 0) && tx >= 0 && ty >= 0 && tx < n && ty < n {
      let ti = ty * n + tx
      let t = s.tiles[ti]
      if Tile.isBoulder(t) {
        // Push left/right into an empty cell.
        let bx = tx + dx
        if dy == 0 && bx >= 0 && bx < n && s.tiles[ty * n + bx] == Tile.empty {
          s.tiles[ty * n + bx] = Tile.boulder
          s.tiles[ti] = Tile.empty
          s.agent = (tx, ty)
        }
      } else {
        if Tile.isDiamond(t) {
          reward += 1
          s.diamondsLeft -= 1
        }
        if t != Tile.exit { s.tiles[ti] = Tile.empty }
        s.agent = (tx, ty)
      }
    }
    // 2. Win check with the up-to-date diamond count (no stale counter).
    if s.tiles[s.agent.y * n + s.agent.x] == Tile.exit && s.diamondsLeft == 0 {
      return StepEvents(reward: reward + 10, outcome: .won)
    }
    // 3. Physics, bottom row first, left to right.
    let agentIndex = s.agent.y * n + s.agent.x
    var crushedBy: String?
    for y in 0..<n {
      var x = 0
      while x < n {
        let i = y * n + x
        let t = s.tiles[i]
        x += 1
        guard Tile.isRound(t) else { continue }
        let settled: UInt8 = Tile.isBoulder(t) ? Tile.boulder : Tile.diamond
        let falling: UInt8 = Tile.isBoulder(t) ? Tile.fallingBoulder : Tile.fallingDiamond
        guard y > 0 else { s.tiles[i] = settled; continue }
        let below = i - n
        if below == agentIndex {
          if Tile.isFalling(t) { crushedBy = Tile.isBoulder(t) ? "Crushed by a falling boulder" : "Crushed by a falling diamond" }
          s.tiles[i] = settled
        } else if s.tiles[below] == Tile.empty {
          s.tiles[below] = falling
          s.tiles[i] = Tile.empty
        } else if Tile.isRound(s.tiles[below]) {
          // Roll off a round object: left first, then right.
          if x - 1 > 0 && canRollInto(s, i - 1, agentIndex) && canRollInto(s, below - 1, agentIndex) {
            s.tiles[i - 1] = falling
            s.tiles[i] = Tile.empty
          } else if x < n && canRollInto(s, i + 1, agentIndex) && canRollInto(s, below + 1, agentIndex) {
            s.tiles[i + 1] = falling
            s.tiles[i] = Tile.empty
            x += 1  // don't move the same object twice in one scan
          } else {
            s.tiles[i] = settled
          }
        } else {
          s.tiles[i] = settled
        }
      }
    }
    return StepEvents(reward: reward, outcome: crushedBy != nil ? .died : .running, cause: crushedBy)
  }

  @inline(__always) func canRollInto(_ s: State, _ i: Int, _ agentIndex: Int) -> Bool {
    s.tiles[i] == Tile.empty && i != agentIndex
  }

  // MARK: - Rendering

  /// Themes: e empty, d dirt, s dirt speck, o boulder, h boulder highlight, k boulder shade,
  /// j diamond, l diamond light, x exit frame, z exit inside, w border.
  static let themes: [Palette] = [
    ["e": RGB(hex: 0x140d08), "d": RGB(hex: 0x7b4a25), "s": RGB(hex: 0x5c3519), "o": RGB(hex: 0x8a8a8a),
     "h": RGB(hex: 0xc4c4c4), "k": RGB(hex: 0x555555), "j": RGB(hex: 0x4fc3f7), "l": RGB(hex: 0xe1f5fe),
     "x": RGB(hex: 0xbdbdbd), "z": RGB(hex: 0x263238), "w": RGB(hex: 0x3e2723)],
    ["e": RGB(hex: 0x0b1020), "d": RGB(hex: 0x3f5f8a), "s": RGB(hex: 0x2c4466), "o": RGB(hex: 0xa1887f),
     "h": RGB(hex: 0xd7ccc8), "k": RGB(hex: 0x5d4037), "j": RGB(hex: 0xff5252), "l": RGB(hex: 0xffcdd2),
     "x": RGB(hex: 0xffb300), "z": RGB(hex: 0x1a1a1a), "w": RGB(hex: 0x1a237e)],
    ["e": RGB(hex: 0x101a0c), "d": RGB(hex: 0x6b7d2a), "s": RGB(hex: 0x4d5a1c), "o": RGB(hex: 0x78909c),
     "h": RGB(hex: 0xb0bec5), "k": RGB(hex: 0x455a64), "j": RGB(hex: 0x69f0ae), "l": RGB(hex: 0xe8f5e9),
     "x": RGB(hex: 0xd7ccc8), "z": RGB(hex: 0x212121), "w": RGB(hex: 0x33691e)],
  ]
  static let emptyArt = Array(repeating: "eeeeeeee", count: 8)
  static let dirtArt = ["ddddddsd", "dsdddddd", "dddddsdd", "ddsddddd", "ddddddds", "sddsdddd", "dddddsdd", "ddsddddd"]
  static let boulderArt = ["eeooooee", "eohhoooe", "ohhoooko", "ohooooko", "oooooook", "ooookkok", "eookkkke", "eekkkkee"]
  static let diamondArt = ["eeeeeeee", "eejjjjee", "ejllljje", "jjljjjjj", "ejjjjjje", "eejjjjee", "eeejjeee", "eeeeeeee"]
  static let exitClosedArt = ["xxxxxxxx", "xzzzzzzx", "xzxzzxzx", "xzxzzxzx", "xzxzzxzx", "xzxzzxzx", "xzzzzzzx", "xxxxxxxx"]
  static let exitOpenArt = ["xxxxxxxx", "xjjjjjjx", "xjlljjjx", "xjljjjjx", "xjjjjjjx", "xjjjjjjx", "xjjjjjjx", "xxxxxxxx"]
  static let borderArt = ["wwwwwwww", "wkwwwkww", "wwwwwwww", "wwkwwwwk", "wwwwwwww", "kwwwkwww", "wwwwwwww", "wwwkwwww"]
  static let minerArt = [
    "..yyyy..", ".yyyyyy.", "..ssss..", "..sksk..", "..ssss..", ".bbbbbb.", "..bbbb..", "..k..k..",
  ]

  static func atlas(_ p: Palette, open: Bool) -> [UInt32] {
    let a = [emptyArt, dirtArt, boulderArt, diamondArt, boulderArt, diamondArt, open ? exitOpenArt : exitClosedArt, borderArt]
    return Texture.atlas(a.map { Texture(art: $0, palette: p) })
  }
  /// Per theme: [closed exit, open exit].
  static let atlases: [[[UInt32]]] = themes.map { [atlas($0, open: false), atlas($0, open: true)] }
  static let monoAtlas = kinds.monoAtlas()
  static let miner = Texture(art: minerArt, palette: [
    "y": RGB(hex: 0xfdd835), "s": RGB(hex: 0xffcc80), "k": RGB(hex: 0x212121), "b": RGB(hex: 0x1565c0),
  ])
  static let minerLeft = miner.mirrored()
  static let monoMiner = miner.flattened(to: .monochrome(kind: 60))

  func viewport(_ s: State) -> Viewport { frameView(side: s.size, agentX: Float(s.agent.x) + 0.5, agentY: Float(s.agent.y) + 0.5) }

  public func render(_ s: State, into canvas: inout Canvas) {
    let view = viewport(s)
    // A few cells change per step: redraw only those.
    let atlas = options.monochrome ? Miner.monoAtlas : Miner.atlases[s.theme][s.diamondsLeft == 0 ? 1 : 0]
    let atlasID = options.monochrome ? -2 : s.theme * 2 + (s.diamondsLeft == 0 ? 1 : 0)
    canvas.drawTilesIncremental(atlasID: atlasID, s.tiles, width: s.size, height: s.size, view: view, atlas: atlas,
                                outside: Tile.border)
    let sprite = options.monochrome ? Miner.monoMiner : (s.facingLeft ? Miner.minerLeft : Miner.miner)
    canvas.drawSprite(sprite, x: Float(s.agent.x) + 0.5, y: Float(s.agent.y) + 0.5, rx: 0.5, ry: 0.5, view: view)
  }

  public func encodeGrid(_ s: State, into out: UnsafeMutableBufferPointer<Float>) {
    let n = s.size, plane = n * n
    Miner.kinds.encode(s.tiles, width: n, height: n, into: out)
    out[Miner.agentKind.channels[0] * plane + GridObs.row(s.agent.y, n) * n + s.agent.x] = 1
  }

  public func drawGlyphs(_ s: State, into g: inout GlyphGrid) {
    let n = s.size, open = s.diamondsLeft == 0
    s.tiles.withUnsafeBufferPointer { t in
      Miner.kinds.drawGlyphs(into: &g) { x, y in
        let k = t[y * n + x]
        return open && k == Tile.exit ? Tile.openExit : k
      }
    }
    g.setWorld(s.agent.x, s.agent.y, Miner.agentKind.glyph, Miner.agentKind.colour)
  }

  // MARK: - Saving

  public func encode(_ s: State, into w: inout ByteWriter) {
    w.int(s.size); w.u8s(s.tiles)
    w.int(s.agent.x); w.int(s.agent.y); w.int(s.diamondsLeft); w.bool(s.facingLeft); w.int(s.theme)
  }

  public func decode(from r: inout ByteReader) throws -> State {
    let (n, tiles) = try r.squareWorld("miner size", side: worldSide, max: UInt8(Tile.count - 1))
    let ax = try r.int("agent x", in: 0...(n - 1)), ay = try r.int("agent y", in: 0...(n - 1))
    let left = try r.int("diamonds left", in: 0...(n * n)), facing = try r.bool("facing")
    let theme = try r.int("theme", in: 0...(Miner.themes.count - 1))
    guard left == tiles.reduce(0, { $0 + (Tile.isDiamond($1) ? 1 : 0) }) else {
      throw r.invalid("diamonds left", "\(left) does not match the grid")
    }
    return State(size: n, tiles: tiles, agent: (ax, ay), diamondsLeft: left, facingLeft: facing, theme: theme)
  }

  // MARK: - Level files

  public func levelMap(_ s: State) -> LevelMap? {
    var m = Miner.kinds.levelMap(s.tiles, width: s.size, height: s.size, theme: s.theme)
    // An agent standing on the (still closed) exit is written as '&', so the file keeps both.
    m.setWorld(s.agent.x, s.agent.y, s.tiles[s.agent.y * s.size + s.agent.x] == Tile.exit ? "&" : "A")
    return m
  }

  public func load(map: LevelMap, rng: inout PCG32) throws(LevelProblems) -> State {
    let n = worldSide
    var reader = MapReader(map: map, world: n, legend: Miner.descriptor.legend)
    // Cells outside a smaller map are dirt.
    let tiles = Miner.kinds.tiles(reader, fill: Tile.dirt)
    let agent = reader.single(anyOf: ["A", "&"], "agent start")
    let exit = reader.single(anyOf: ["E", "&"], "exit")
    reader.checkTheme(count: Miner.themes.count, game: "miner")
    try reader.finish()
    let diamonds = tiles.reduce(0) { $0 + (Tile.isDiamond($1) ? 1 : 0) }
    let s = State(size: n, tiles: tiles, agent: agent, diamondsLeft: diamonds, facingLeft: false, theme: map.theme)
    if !Miner.reachable(s) {
      var problems: [LevelProblem] = []
      let dist = GridSearch.distances(width: n, height: n, from: agent.y * n + agent.x) { !Tile.isBoulder(tiles[$0]) }
      for i in 0..<(n * n) where (Tile.isDiamond(tiles[i]) || tiles[i] == Tile.exit) && dist[i] < 0 {
        problems.append(reader.problem(at: (i % n, i / n), "\(i == exit.y * n + exit.x ? "exit" : "diamond") is walled off by boulders"))
      }
      throw LevelProblems(problems)
    }
    return s
  }
}
