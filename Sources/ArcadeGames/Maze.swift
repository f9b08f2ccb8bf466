import ArcadeCore

/// maze: a mouse in a perfect maze must reach the cheese (ProcGen's maze).
public struct Maze: Game {
  public struct State: Sendable, Equatable {
    public var size: Int                 // world side (square)
    public var walls: [UInt8]            // 1 = wall, row-major, y up
    public var agent: (x: Int, y: Int)
    public var goal: (x: Int, y: Int)
    public var theme: Int
    public var layoutKey: UInt64         // hash of walls + theme, for the render cache

    public static func == (a: State, b: State) -> Bool {
      a.size == b.size && a.walls == b.walls && a.agent == b.agent && a.goal == b.goal && a.theme == b.theme
    }
  }

  public static let descriptor = GameDescriptor(
    name: "maze",
    summary: "Grid maze: guide the mouse to the cheese.",
    modes: [.easy, .hard, .memory, .exploration],
    defaultStepLimit: 500,
    meaningfulActions: [1, 3, 4, 5, 7],
    actionNames: GameActions.fourWay,
    kinds: kinds,
    explorationSeed: 158_988_835,
    scoreRange: [.easy: (5, 10), .hard: (4, 10)],
    // Moves along the axes turn exactly; a diagonal (which goes horizontally first) goes vertically
    // first in the orientations that swap x and y.
    symmetric: true
  )

  static let gridChannels = ["wall", "agent", "goal"]
  /// Tile ids are the wall flags of `State.walls`.
  static let kinds = KindTable(channels: gridChannels, [
    Kind(tile: 1, map: "#", "wall", glyph: "#", .blue, "wall", channels: ["wall"], art: [
      "wwwwwwwd", "wwwwwwwd", "wwdwwwwd", "wwwwwwwd", "wwwwwdwd", "wwwwwwwd", "wwwwwwwd", "dddddddd",
    ], mono: 1),
    Kind(tile: 0, map: ".", "floor", glyph: "·", .grey, "floor", art: Array(repeating: "ffffffff", count: 8), mono: 0),
    Kind(map: "A", "agent start", glyph: "@", .white, "the mouse (you)", channels: ["agent"]),
    Kind(map: "G", "cheese (goal)", glyph: "*", .yellow, "cheese: reach it (+10)", channels: ["goal"]),
  ])
  static let agentKind = kinds[map: "A"], goalKind = kinds[map: "G"]

  static let worldSides = WorldSides(easy: 15, memory: 31, otherwise: 25)

  public let options: GameOptions
  public init(options: GameOptions) { self.options = options }

  // MARK: - Generation

  public func generate(levelSeed: UInt32, rng: inout PCG32) -> State {
    let n = worldSide
    let side = rng.below((n - 1) / 2) * 2 + 3
    let off = (n - side) / 2
    let maze = MazeGenerator.kruskal(side: side, rng: &rng)
    var walls = [UInt8](repeating: 1, count: n * n)
    var open: [Int] = []
    for y in 0..<side {
      for x in 0..<side where !maze[y * side + x] {
        walls[(y + off) * n + x + off] = 0
        open.append((y + off) * n + x + off)
      }
    }
    let start = off * n + off
    let others = open.filter { $0 != start }
    let g = others[rng.below(others.count)]
    let theme = rng.below(Maze.themes.count)
    return State.make(size: n, walls: walls, agent: (off, off), goal: (g % n, g / n), theme: theme)
  }

  // MARK: - Dynamics

  public func step(_ s: inout State, action: Action, rng: inout PCG32) -> StepEvents {
    // Horizontal movement has priority over vertical on diagonals.
    var dx = action.dx, dy = action.dy
    if dx != 0 { dy = 0 }
    let nx = s.agent.x + dx, ny = s.agent.y + dy
    if (dx != 0 || dy != 0) && nx >= 0 && ny >= 0 && nx < s.size && ny < s.size && s.walls[ny * s.size + nx] == 0 {
      s.agent = (nx, ny)
    }
    if s.agent == s.goal { return StepEvents(reward: 10, outcome: .won) }
    return StepEvents()
  }

  // MARK: - Observations

  static let themes: [Palette] = [
    ["w": RGB(hex: 0x3b5b92), "f": RGB(hex: 0xd8cfa6), "d": RGB(hex: 0x2a4270)],
    ["w": RGB(hex: 0x5d8a3a), "f": RGB(hex: 0xe9e4d2), "d": RGB(hex: 0x3f6327)],
    ["w": RGB(hex: 0x8a4b3a), "f": RGB(hex: 0xcfd8dc), "d": RGB(hex: 0x5e2f24)],
  ]
  static let atlases: [[UInt32]] = themes.map { kinds.atlas($0) }
  static let monoAtlas = kinds.monoAtlas()
  static let mouse = Texture(art: [
    "..g..g..", ".gggggg.", ".gkggkg.", "gggggggg", ".ggppgg.", "..gggg..", "...gg...", "..g..g..",
  ], palette: ["g": RGB(hex: 0x9e9e9e), "k": RGB(0, 0, 0), "p": RGB(hex: 0xf48fb1)])
  static let cheese = Texture(art: [
    "........", "......yy", "....yyyy", "..yyoyyy", "yyyyyyoy", "yoyyyyyy", "yyyyoyyy", "yyyyyyyy",
  ], palette: ["y": RGB(hex: 0xffd54f), "o": RGB(hex: 0xc79a00)])

  func viewport(_ s: State) -> Viewport { frameView(side: s.size, agentX: Float(s.agent.x) + 0.5, agentY: Float(s.agent.y) + 0.5) }

  public func render(_ s: State, into canvas: inout Canvas) {
    let view = viewport(s)
    let atlas = options.monochrome ? Maze.monoAtlas : Maze.atlases[s.theme]
    canvas.drawTilesCached(key: s.layoutKey ^ (options.monochrome ? 1 : 0), s.walls, width: s.size, height: s.size,
                           view: view, atlas: atlas, outside: 1)
    let mouse = options.monochrome ? Maze.mouse.flattened(to: .monochrome(kind: 2)) : Maze.mouse
    let cheese = options.monochrome ? Maze.cheese.flattened(to: .monochrome(kind: 3)) : Maze.cheese
    canvas.drawSprite(cheese, x: Float(s.goal.x) + 0.5, y: Float(s.goal.y) + 0.5, rx: 0.5, ry: 0.5, view: view)
    canvas.drawSprite(mouse, x: Float(s.agent.x) + 0.5, y: Float(s.agent.y) + 0.5, rx: 0.5, ry: 0.5, view: view)
  }

  public func encodeGrid(_ s: State, into out: UnsafeMutableBufferPointer<Float>) {
    let n = s.size, plane = n * n
    // The table's encoder, row 0 at the top like the agent and goal planes (until 2026-12-03 maze
    // wrote its wall plane bottom row first, mirrored against them).
    Maze.kinds.encode(s.walls, width: n, height: n, into: out)
    out[Maze.agentKind.channels[0] * plane + GridObs.row(s.agent.y, n) * n + s.agent.x] = 1
    out[Maze.goalKind.channels[0] * plane + GridObs.row(s.goal.y, n) * n + s.goal.x] = 1
  }

  public func drawGlyphs(_ s: State, into g: inout GlyphGrid) {
    Maze.kinds.drawGlyphs(s.walls, into: &g)
    g.setWorld(s.goal.x, s.goal.y, Maze.goalKind.glyph, Maze.goalKind.colour)
    g.setWorld(s.agent.x, s.agent.y, Maze.agentKind.glyph, Maze.agentKind.colour)
  }

  // MARK: - Saving

  public func encode(_ s: State, into w: inout ByteWriter) {
    w.int(s.size); w.u8s(s.walls)
    w.int(s.agent.x); w.int(s.agent.y); w.int(s.goal.x); w.int(s.goal.y); w.int(s.theme)
  }

  public func decode(from r: inout ByteReader) throws -> State {
    let (n, walls) = try r.squareWorld("maze size", side: worldSide, tiles: "walls", max: 1)
    let side = 0...(n - 1)
    let a = (try r.int("agent x", in: side), try r.int("agent y", in: side))
    let g = (try r.int("goal x", in: side), try r.int("goal y", in: side))
    let theme = try r.int("theme", in: 0...(Maze.themes.count - 1))
    return State.make(size: n, walls: walls, agent: a, goal: g, theme: theme)
  }

  // MARK: - Level files

  public func levelMap(_ s: State) -> LevelMap? {
    var m = Maze.kinds.levelMap(s.walls, width: s.size, height: s.size, theme: s.theme)
    m.setWorld(s.agent.x, s.agent.y, "A")
    m.setWorld(s.goal.x, s.goal.y, "G")
    return m
  }

  public func load(map: LevelMap, rng: inout PCG32) throws(LevelProblems) -> State {
    var reader = MapReader(map: map, world: worldSide, legend: Maze.descriptor.legend)
    // Cells outside a smaller map are wall.
    let walls = Maze.kinds.tiles(reader, fill: 1)
    let agent = reader.single("A", "agent start")
    let goal = reader.single("G", "cheese")
    reader.checkTheme(count: Maze.themes.count, game: "maze")
    try reader.finish()
    let s = State.make(size: worldSide, walls: walls, agent: agent, goal: goal, theme: map.theme)
    let dist = GridSearch.distances(width: worldSide, height: worldSide, from: agent.y * worldSide + agent.x) { walls[$0] == 0 }
    if dist[goal.y * worldSide + goal.x] < 0 {
      throw LevelProblems([reader.problem(at: goal, "the cheese cannot be reached from the agent start")])
    }
    return s
  }
}

extension Maze.State {
  static func make(size: Int, walls: [UInt8], agent: (Int, Int), goal: (Int, Int), theme: Int) -> Self {
    var key = fnv1a64(walls)
    key = fnv1a64([UInt8(theme), UInt8(size)], seed: key)
    return Self(size: size, walls: walls, agent: agent, goal: goal, theme: theme, layoutKey: key)
  }
}
