import ArcadeCore

/// dodgeball: a Berzerk-like room divided by lava walls. Hit every enemy with
/// a thrown ball (+2 each), dodge their balls, then leave through the door,
/// which opens once the room is clear (+10) (ProcGen's dodgeball).
public struct DodgeBall: Game {
  public enum Tile {
    public static let floor: UInt8 = 0, lava: UInt8 = 1, door: UInt8 = 2, open: UInt8 = 3, wall: UInt8 = 4
  }
  public enum Kind: UInt8 { case enemy = 0, ball = 1, enemyBall = 2 }

  public struct State: Sendable, Equatable {
    public var size: Int
    public var tiles: [UInt8]
    /// a, b = facing direction (the last move's, each −1, 0 or 1); timer = throw cooldown.
    public var agent: Entity
    /// a = walking direction (0–3, 4 = none), b = steps since the last throw
    /// (it may start negative), timer = steps until the next change of direction.
    public var enemies: EntityList
    public var balls: EntityList
    public var theme: Int
    public var tileKey: UInt64
  }

  public static let descriptor = GameDescriptor(
    name: "dodgeball",
    summary: "Hit every enemy with a ball, dodge theirs and the lava, then leave through the door.",
    modes: [.easy, .hard, .extreme, .memory],
    meaningfulActions: Array(0...9),
    actionNames: GameActions.eightWayFire("throw"),
    kinds: kinds,
    scoreRange: [.easy: (1.5, 19), .hard: (1.5, 19)]
  )

  static let dirs: [(Float, Float)] = [(1, 0), (-1, 0), (0, 1), (0, -1), (0, 0)]
  /// The direction index pointing the other way.
  static let reverse: [Float] = [1, 0, 3, 2, 4]
  static let enemySpeed: Float = 0.05
  static let throwCooldown: Int32 = 7
  static let ballLife: Int32 = 50
  static let enemyShotGap: Float = 50
  static let maxEnemies = 20, maxBalls = 64

  public let options: GameOptions
  let worldSide: Int
  let splits: Int
  /// ProcGen's size factor: bodies, balls and ball speeds are 2× (easy), 1.5× (hard, memory) or 1× (extreme) its base.
  let scale: Float
  let agentSpeed: Float
  let enemyRange: ClosedRange<Int>
  let memory: Bool

  public init(options: GameOptions) {
    self.options = options
    memory = options.mode == .memory
    switch options.mode {
    case .easy: worldSide = 20; splits = 2; scale = 2; agentSpeed = 0.75; enemyRange = 3...6
    case .extreme: worldSide = 20; splits = 8; scale = 1; agentSpeed = 0.25; enemyRange = 3...6
    case .memory: worldSide = 40; splits = 16; scale = 1.5; agentSpeed = 0.5; enemyRange = 3...19
    default: worldSide = 20; splits = 4; scale = 1.5; agentSpeed = 0.5; enemyRange = 3...6
    }
  }

  /// The window the grid and glyph observations show (memory: around the agent).
  static let memoryWindow = 16
  public var gridSize: (height: Int, width: Int) {
    memory ? (DodgeBall.memoryWindow, DodgeBall.memoryWindow) : (worldSide, worldSide)
  }

  /// ProcGen's sizes: agent and enemies 0.5 × scale (the extreme agent 0.4),
  /// balls 0.25 × scale, flying at 0.25 × scale cells per step.
  var agentRadius: Float { options.mode == .extreme ? 0.4 : 0.5 * scale }
  var enemyRadius: Float { 0.5 * scale }
  var ballRadius: Float { 0.25 * scale }
  var ballSpeed: Float { 0.25 * scale }
  /// How many cells a body reaches beyond the cell that holds its centre.
  var bodyReach: Int { Int((0.5 + agentRadius * BoxMover.shrink).rounded(.down)) }

  // MARK: - Generation

  public func generate(levelSeed: UInt32, rng: inout PCG32) -> State {
    let theme = rng.below(DodgeBall.themes.count)
    var tries = 0
    while true {
      // (A room without inner walls always works; it is the fallback after many failed tries.)
      if let s = attempt(theme: theme, splits: tries < 50 ? splits : 0, rng: &rng) { return s }
      tries += 1
    }
  }

  /// One try at a level; nil when the door or an enemy cannot be reached.
  func attempt(theme: Int, splits: Int, rng: inout PCG32) -> State? {
    let n = worldSide
    // The room is the whole world; its edge blocks like a wall (ProcGen's
    // world edge), and the inner walls are lava.
    var tiles = [UInt8](repeating: Tile.floor, count: n * n)
    addWalls(&tiles, splits: splits, rng: &rng)
    // The door: two cells along the room's edge.
    let side = rng.below(4)
    let p = rng.int(2, n - 3)
    let doorCells: [(Int, Int)] = switch side {
    case 0: [(p, 0), (p + 1, 0)]
    case 1: [(p, n - 1), (p + 1, n - 1)]
    case 2: [(0, p), (0, p + 1)]
    default: [(n - 1, p), (n - 1, p + 1)]
    }
    for (x, y) in doorCells { tiles[y * n + x] = Tile.door }
    // Agent and enemies on cells whose whole neighbourhood is floor.
    func clear(_ i: Int) -> Bool {
      let x = i % n, y = i / n
      guard x >= 1, y >= 1, x < n - 1, y < n - 1 else { return false }
      for dy in -1...1 { for dx in -1...1 where tiles[(y + dy) * n + x + dx] != Tile.floor { return false } }
      return true
    }
    var free = (0..<(n * n)).filter(clear)
    guard free.count > 30 else { return nil }
    let a = free.remove(at: rng.below(free.count))
    let ax = a % n, ay = a / n
    // Enemies anywhere their body does not overlap the agent's (as ProcGen's).
    free.removeAll { abs($0 % n - ax) <= 1 && abs($0 / n - ay) <= 1 }
    let count = rng.int(enemyRange.lowerBound, enemyRange.upperBound + 1)
    var enemies: [(Int, Int)] = []
    while enemies.count < count && !free.isEmpty {
      let e = free.remove(at: rng.below(free.count))
      enemies.append((e % n, e / n))
      free.removeAll { abs($0 % n - e % n) <= 1 && abs($0 / n - e / n) <= 1 }
    }
    guard enemies.count == count else { return nil }
    // Map order: top row first.
    enemies.sort { ($0.1, -$0.0) > ($1.1, -$1.0) }
    let s = makeState(size: n, tiles: tiles, agent: (ax, ay), enemies: enemies, theme: theme)
    return reachable(s).isEmpty ? s : nil
  }

  /// ProcGen's partition: a room is split by a lava wall through its middle,
  /// across it, covering 3/4, 1/2 or 1/4 of it from one end; the two rooms
  /// beside the wall and the rest of the room become rooms in turn when they
  /// are large enough for the agent. Walls are one cell thick (ProcGen's are
  /// 1.2 easy, 0.9 hard; 2 cells in easy made the random agent die sooner).
  func addWalls(_ tiles: inout [UInt8], splits: Int, rng: inout PCG32) {
    struct Room { var x, y, w, h: Int }   // cells [x, x + w) × [y, y + h)
    let n = worldSide, t = 1
    // ProcGen's limits, in cells: halfWall is its wall's half-thickness.
    let halfWall = 0.3 * scale, r = agentRadius
    let minSide = 8 * r + 0.5, hardMinSide = 4 * r + 2 * halfWall + 0.5
    var rooms = [Room(x: 0, y: 0, w: n, h: n)]
    func add(_ q: Room) {
      let w = Float(q.w), h = Float(q.h)
      if (w >= minSide || h >= minSide) && w >= hardMinSide && h >= hardMinSide { rooms.append(q) }
    }
    for _ in 0..<splits where !rooms.isEmpty {
      let q = rooms.remove(at: rng.below(rooms.count))
      var across = rng.coin()   // a horizontal wall, across the room's width
      let fromStart = rng.coin()
      if Float(q.w) < minSide { across = false }
      if Float(q.h) < minSide { across = true }
      let share = 3 - rng.below(3)   // quarters of the room the wall covers
      // `side` is the room's extent across the wall, `len` along it; the wall sits at the middle of `side`.
      let side = across ? q.h : q.w, len = across ? q.w : q.h
      guard side >= t + 2 else { continue }
      let mid = (side - t) / 2, cover = max(1, (len * share + 2) / 4)
      let start = fromStart ? 0 : len - cover
      for d in start..<(start + cover) {
        for k in 0..<t {
          let (x, y) = across ? (q.x + d, q.y + mid + k) : (q.x + mid + k, q.y + d)
          tiles[y * n + x] = Tile.lava
        }
      }
      let restStart = fromStart ? cover : 0
      func room(_ s0: Int, _ ss: Int, _ l0: Int, _ ll: Int) -> Room {
        across ? Room(x: q.x + l0, y: q.y + s0, w: ll, h: ss) : Room(x: q.x + s0, y: q.y + l0, w: ss, h: ll)
      }
      add(room(0, mid, start, cover))
      add(room(mid + t, side - mid - t, start, cover))
      add(room(0, side, restStart, len - cover))
    }
  }

  func makeState(size n: Int, tiles: [UInt8], agent: (x: Int, y: Int), enemies: [(x: Int, y: Int)], theme: Int) -> State {
    var list = EntityList(capacity: DodgeBall.maxEnemies)
    for e in enemies {
      // ProcGen's enemies may first throw at step 60.
      list.append(Entity(x: Float(e.x) + 0.5, y: Float(e.y) + 0.5, rx: enemyRadius, ry: enemyRadius, kind: Kind.enemy.rawValue,
                         timer: 0, a: 4, b: -10))
    }
    // ProcGen counts the throw cooldown from step 0, so the first throw is at step 7.
    let ag = Entity(x: Float(agent.x) + 0.5, y: Float(agent.y) + 0.5, rx: agentRadius, ry: agentRadius,
                    timer: DodgeBall.throwCooldown, a: 1, b: 0)
    return State(size: n, tiles: tiles, agent: ag, enemies: list, balls: EntityList(capacity: DodgeBall.maxBalls),
                 theme: theme, tileKey: DodgeBall.key(tiles, theme))
  }

  static func key(_ tiles: [UInt8], _ theme: Int) -> UInt64 { fnv1a64([UInt8(theme)], seed: fnv1a64(tiles)) }

  /// Cells (index) that should be reachable from the agent but are not: the
  /// door, and every enemy's cell. The agent's centre walks a half-cell
  /// lattice over the positions where its (shrunk) body touches only floor, so
  /// a corridor as wide as the body passes; it reaches what lies within
  /// `bodyReach` + 1 cells of such a position. Empty = fine.
  func reachable(_ s: State) -> [Int] {
    let n = s.size, m = 2 * n + 1, k = bodyReach
    let r = agentRadius * BoxMover.shrink
    /// Lattice point p is the centre (p % m, p / m) / 2.
    func fits(_ p: Int) -> Bool {
      let cx = Float(p % m) / 2, cy = Float(p / m) / 2
      for y in Int((cy - r).rounded(.down))...Int((cy + r).rounded(.down)) {
        for x in Int((cx - r).rounded(.down))...Int((cx + r).rounded(.down)) where tile(s, x, y) != Tile.floor { return false }
      }
      return true
    }
    let a = s.agent.cell
    let dist = GridSearch.distances(width: m, height: m, from: (2 * a.y + 1) * m + 2 * a.x + 1, passable: fits)
    /// Whether a reachable position lies within k + 1 cells of cell (x, y)'s centre.
    func near(_ x: Int, _ y: Int) -> Bool {
      let d = 2 * (k + 1)
      for py in max(0, 2 * y + 1 - d)...min(m - 1, 2 * y + 1 + d) {
        for px in max(0, 2 * x + 1 - d)...min(m - 1, 2 * x + 1 + d) where dist[py * m + px] >= 0 { return true }
      }
      return false
    }
    var bad: [Int] = []
    var doorOK = false, firstDoor = -1
    for i in 0..<(n * n) where s.tiles[i] == Tile.door || s.tiles[i] == Tile.open {
      if firstDoor < 0 { firstDoor = i }
      if near(i % n, i / n) { doorOK = true }
    }
    if !doorOK && firstDoor >= 0 { bad.append(firstDoor) }
    for e in s.enemies { let c = e.cell; if !near(c.x, c.y) { bad.append(c.y * n + c.x) } }
    return bad
  }

  // MARK: - Dynamics

  @inline(__always) func tile(_ s: State, _ x: Int, _ y: Int) -> UInt8 {
    x < 0 || y < 0 || x >= s.size || y >= s.size ? Tile.wall : s.tiles[y * s.size + x]
  }

  /// Whether the (shrunk) box touches a tile for which `hit` is true.
  func touches(_ s: State, _ e: Entity, _ hit: (UInt8) -> Bool) -> Bool {
    DodgeBall.touches(s.tiles, s.size, e, hit)
  }

  static func touches(_ tiles: [UInt8], _ n: Int, _ e: Entity, _ hit: (UInt8) -> Bool) -> Bool {
    let c = BoxMover.cells(x: e.x, y: e.y, rx: e.rx, ry: e.ry)
    for cy in c.y0...c.y1 {
      for cx in c.x0...c.x1 {
        let t = cx < 0 || cy < 0 || cx >= n || cy >= n ? Tile.wall : tiles[cy * n + cx]
        if hit(t) { return true }
      }
    }
    return false
  }

  /// ProcGen's order: everything moves, collisions are resolved, then the
  /// agent and the enemies throw (a new ball first moves in the next step)
  /// and the enemies choose where to walk next.
  public func step(_ s: inout State, action: Action, rng: inout PCG32) -> StepEvents {
    // The agent: inertial, blocked by the border wall and a closed door; lava kills.
    var ag = s.agent
    if action.dx != 0 || action.dy != 0 {
      ag.a = Float(action.dx); ag.b = Float(action.dy)
      if action.dx != 0 { ag.mirrored = action.dx < 0 }
    }
    var box = ag.box
    BoxMover.steer(&box, dx: action.dx, dy: action.dy, maxSpeed: agentSpeed)
    let tiles = s.tiles, n = s.size
    BoxMover.move(&box) { x, y in
      x < 0 || y < 0 || x >= n || y >= n || tiles[y * n + x] == Tile.door || tiles[y * n + x] == Tile.wall
    }
    ag.box = box
    if ag.timer > 0 { ag.timer -= 1 }
    s.agent = ag
    walkEnemies(&s, rng: &rng)
    // Balls fly; walls and doors stop them.
    for i in s.balls.indices { s.balls[i].integrate() }
    s.balls.age()
    s.balls.removeAll { DodgeBall.touches(tiles, n, $0) { $0 != Tile.floor } }
    let reward = hitEnemies(&s)
    // The agent against lava, enemies, their balls and the open door.
    if touches(s, ag, { $0 == Tile.lava }) { return StepEvents(reward: reward, outcome: .died, cause: "Walked into the lava") }
    if s.enemies.contains(where: { $0.overlaps(ag) }) { return StepEvents(reward: reward, outcome: .died, cause: "Ran into an enemy") }
    if s.balls.contains(where: { $0.kind == Kind.enemyBall.rawValue && $0.overlaps(ag) }) {
      return StepEvents(reward: reward, outcome: .died, cause: "Hit by an enemy's ball")
    }
    var near = ag
    near.rx += 0.05; near.ry += 0.05
    if touches(s, near, { $0 == Tile.open }) { return StepEvents(reward: reward + 10, outcome: .won) }
    if action.special == 1 && ag.timer == 0 {
      s.agent.timer = DodgeBall.throwCooldown
      // From the centre, along the last move (diagonals are faster, as in ProcGen).
      s.balls.append(Entity(x: ag.x, y: ag.y, rx: ballRadius, ry: ballRadius, vx: ag.a * ballSpeed, vy: ag.b * ballSpeed,
                            kind: Kind.ball.rawValue, life: DodgeBall.ballLife))
    }
    aimEnemies(&s, rng: &rng)
    return StepEvents(reward: reward)
  }

  /// Enemies walk on the axes; one that meets a wall or the edge turns back
  /// (ProcGen reflects them).
  func walkEnemies(_ s: inout State, rng: inout PCG32) {
    for i in s.enemies.indices {
      var e = s.enemies[i]
      if e.a == 4 { pickDirection(&e, rng: &rng) }
      let d = DodgeBall.dirs[Int(e.a)]
      var moved = e
      moved.x += d.0 * DodgeBall.enemySpeed
      moved.y += d.1 * DodgeBall.enemySpeed
      if touches(s, moved, { $0 != Tile.floor }) { e.a = DodgeBall.reverse[Int(e.a)] } else { e = moved }
      s.enemies[i] = e
    }
  }

  func pickDirection(_ e: inout Entity, rng: inout PCG32) {
    e.a = Float(rng.below(4))
    e.timer = Int32(rng.int(25, 76))
  }

  /// One aligned with the agent throws along that axis (at most every 50–53
  /// steps) and turns toward it; the others change direction when their time is up.
  func aimEnemies(_ s: inout State, rng: inout PCG32) {
    let ag = s.agent
    for i in s.enemies.indices {
      var e = s.enemies[i]
      e.b = min(DodgeBall.enemyShotGap, e.b + 1)
      e.timer -= 1
      let dx = ag.x - e.x, dy = ag.y - e.y
      if (abs(dx) < 1 || abs(dy) < 1) && e.b >= DodgeBall.enemyShotGap {
        e.b = -Float(rng.below(4))
        let vertical = abs(dx) < 1
        let (ux, uy): (Float, Float) = vertical ? (0, dy > 0 ? 1 : -1) : (dx > 0 ? 1 : -1, 0)
        s.balls.append(Entity(x: e.x, y: e.y, rx: ballRadius, ry: ballRadius, vx: ux * ballSpeed, vy: uy * ballSpeed,
                              kind: Kind.enemyBall.rawValue, life: DodgeBall.ballLife))
        e.a = vertical ? (uy > 0 ? 2 : 3) : (ux > 0 ? 0 : 1)
      }
      if e.timer <= 0 { pickDirection(&e, rng: &rng) }
      s.enemies[i] = e
    }
  }

  /// The agent's balls against the enemies: +2 each; the door opens when none is left.
  func hitEnemies(_ s: inout State) -> Float {
    var reward: Float = 0
    var bi = s.balls.count - 1
    while bi >= 0 {
      let b = s.balls[bi]
      if b.kind == Kind.ball.rawValue, let ei = s.enemies.firstIndex(where: { $0.overlaps(b) }) {
        s.enemies.remove(at: ei)
        s.balls.remove(at: bi)
        reward += 2
        if s.enemies.isEmpty {
          for k in s.tiles.indices where s.tiles[k] == Tile.door { s.tiles[k] = Tile.open }
          s.tileKey = DodgeBall.key(s.tiles, s.theme)
        }
      }
      bi -= 1
    }
    return reward
  }

  // MARK: - Saving

  public func encode(_ s: State, into w: inout ByteWriter) {
    w.int(s.size); w.u8s(s.tiles); w.entity(s.agent); w.entities(s.enemies); w.entities(s.balls); w.int(s.theme)
  }

  public func decode(from r: inout ByteReader) throws -> State {
    let (n, tiles) = try r.squareWorld("room size", side: worldSide, max: Tile.wall)
    let bounds = EntityBounds(width: n, height: n, margin: 4, maxSpeed: 2)
    let agent = try r.entity("agent", kinds: 1, bounds: bounds)
    try r.check(Int(agent.timer), "agent throw timer", in: 0...Int(DodgeBall.throwCooldown))
    let enemies = try r.entities("enemies", capacity: DodgeBall.maxEnemies, kinds: 1, bounds: bounds)
    let balls = try r.entities("balls", capacity: DodgeBall.maxBalls, kinds: 3, bounds: bounds)
    let theme = try r.int("theme", in: 0...(DodgeBall.themes.count - 1))
    if let i = enemies.firstIndex(where: { !(0...4).contains($0.a) || $0.a != $0.a.rounded() }) {
      throw r.invalid("enemies \(i) a", "\(enemies[i].a) is not a whole number in 0...4")
    }
    if let i = balls.firstIndex(where: { $0.kind == Kind.enemy.rawValue }) { throw r.invalid("balls \(i) kind", "is not a ball") }
    return State(size: n, tiles: tiles, agent: agent, enemies: enemies, balls: balls, theme: theme,
                 tileKey: DodgeBall.key(tiles, theme))
  }

  // MARK: - Level files

  public func levelMap(_ s: State) -> LevelMap? {
    DodgeBall.kinds.levelMap(s.tiles, side: s.size, theme: s.theme, marks: s.enemies.map { ($0.cell, "E") } + [(s.agent.cell, "A")])
  }

  public func load(map: LevelMap, rng: inout PCG32) throws(LevelProblems) -> State {
    let n = worldSide
    // Cells outside a smaller map are wall.
    let (reader, tiles, agent, enemies) = try DodgeBall.kinds.readSquare(
      map, side: n, fill: Tile.wall, themes: DodgeBall.themes.count, game: "dodgeball") { reader, _ in
      let enemies = reader.several("E", "enemy", "enemies", max: DodgeBall.maxEnemies)
      if reader.positions(of: "D").isEmpty { reader.add(LevelProblem("the map has no door ('D')")) }
      return enemies
    }
    let s = makeState(size: n, tiles: tiles, agent: agent, enemies: enemies, theme: map.theme)
    var problems: [LevelProblem] = []
    func at(_ i: Int) -> (x: Int, y: Int) { (i % n, i / n) }
    for i in reachable(s) {
      let what = tiles[i] == Tile.door ? "the door cannot be reached from the agent start"
        : "this enemy cannot be reached from the agent start"
      problems.append(reader.problem(at: at(i), what))
    }
    if touches(s, s.agent, { $0 != Tile.floor }) {
      problems.append(reader.problem(at: agent, "the agent starts touching lava, a wall or the door (its body reaches \(bodyReach) cell\(bodyReach == 1 ? "" : "s") round its own)"))
    }
    for e in enemies where touches(s, s.enemies[0].withCentre(e), { $0 != Tile.floor }) {
      problems.append(reader.problem(at: e, "this enemy starts touching a wall"))
    }
    if !problems.isEmpty { throw LevelProblems(problems) }
    return s
  }
}

extension Entity {
  /// The same entity moved to the centre of cell `c`.
  func withCentre(_ c: (x: Int, y: Int)) -> Entity {
    var e = self
    e.x = Float(c.x) + 0.5; e.y = Float(c.y) + 0.5
    return e
  }
}
