import ArcadeCore

/// caveflyer: an Asteroids-style ship flies through a cave to the exit.
/// Left/right turn the ship, up thrusts forward, down backward at a third of
/// the power, D fires a laser bolt. Meteors, enemy ships and target ships kill
/// on touch; five bolts destroy a target (+3); the exit wins (+10)
/// (ProcGen's caveflyer). Observations and art are in `CaveFlyer+Look.swift`.
public struct CaveFlyer: Game {
  public enum Tile {
    public static let open: UInt8 = 0, wall: UInt8 = 1
  }
  public enum Kind: UInt8 { case meteor = 0, target, enemy, bolt }

  public struct State: Sendable, Equatable {
    public var size: Int
    public var tiles: [UInt8]          // size × size, y up
    public var agent: Entity
    /// Heading in `Heading` units (0 = +x, counter-clockwise) and the turn rate per step.
    public var heading: Int
    public var spin: Int
    /// The last step's thrust: 1 forward, -1 backward, 0 none (drawn as the exhaust flame).
    public var thrust: Int
    public var exit: Entity
    /// Meteors, targets (health = hits left) and enemies (moving along one axis), in map order.
    public var objects: EntityList
    public var bolts: EntityList
    public var theme: Int
    /// Render-only: the tile art of every cell (derived from `tiles`) and its cache key.
    var looks: [UInt8]
    var tileKey: UInt64
  }

  public static let descriptor = GameDescriptor(
    name: "caveflyer",
    summary: "Asteroids-style ship: fly through a cave to the exit, shoot targets, avoid meteors and enemy ships.",
    modes: [.easy, .hard, .memory, .exploration],
    meaningfulActions: Array(0...9),
    actionNames: ["turn left+reverse", "turn left", "turn left+thrust", "reverse", "no-op", "thrust",
                  "turn right+reverse", "turn right", "turn right+thrust", "fire", "no-op", "no-op", "no-op", "no-op",
                  "no-op"],
    kinds: kinds,
    explorationSeed: 1_259_048_185,
    scoreRange: [.easy: (3.5, 12), .hard: (2, 13.4)],
    cameraChoice: true
  )

  /// Turn rate mixes halfway toward ±15° (60 units) per step.
  static let maxSpin = 60
  /// Forward thrust per step (ProcGen's 0.2 · 0.9 · 0.5); backward is a third.
  static let thrustPower: Float = 0.09
  static let decay: Float = 0.9
  static let boltSpeed: Float = 1, boltLife: Int32 = 10, boltRadius: Float = 0.15
  static let targetHealth: Int32 = 5
  static let agentR: Float = 0.4, meteorR: Float = 0.5, targetR: Float = 0.45, enemyR: Float = 0.4, exitR: Float = 0.5
  static let startHeading = Heading.turn / 4
  static let maxObjects = 160, maxBolts = 16
  /// Side of the `grid` and `glyphs` window around the ship.
  static let gridSide = 16

  public let options: GameOptions
  static let worldSides = WorldSides(easy: 30, memory: 60, otherwise: 40)
  let memory: Bool

  public init(options: GameOptions) {
    self.options = options
    memory = options.mode == .memory
  }

  public var gridSize: (height: Int, width: Int) { (CaveFlyer.gridSide, CaveFlyer.gridSide) }

  // MARK: - Generation

  /// Where an object starts: its cell, kind and (enemies) patrol direction 0–3 (right, left, up, down).
  struct Placement { var x: Int, y: Int, kind: Kind, dir: Int }

  public func generate(levelSeed: UInt32, rng: inout PCG32) -> State {
    let extras = CaveFlyer.extrasStream(rng)
    for _ in 0..<50 {
      if let s = generateOnce(&rng, extras: extras) { return s }
    }
    let n = worldSide
    var t = [UInt8](repeating: Tile.open, count: n * n)
    for i in 0..<n { t[i] = Tile.wall; t[(n - 1) * n + i] = Tile.wall; t[i * n] = Tile.wall; t[i * n + n - 1] = Tile.wall }
    return CaveFlyer.make(size: n, tiles: t, agent: (1, 1), exit: (n - 2, n - 2), placements: [], theme: 0, extras: extras)
  }

  /// The stream for per-object details a level file does not spell out
  /// (enemy speeds, meteor looks), taken from the level's pristine generation
  /// stream so a generated level and its exported file get the same ones.
  static func extrasStream(_ pristine: PCG32) -> PCG32 {
    var r = pristine
    let hi = UInt64(r.next()), lo = UInt64(r.next())
    return PCG32(seed: hi << 32 | lo, stream: 0xCAFE)
  }

  /// ProcGen's room generator: random fill, smoothing, largest region, a
  /// path between agent and exit (widened by 4 and the rest walled off except
  /// in memory mode), smoothing again with the path kept open, then k = open/80
  /// meteors, targets and enemies off the path.
  func generateOnce(_ rng: inout PCG32, extras: PCG32) -> State? {
    let n = worldSide
    var wall = (0..<(n * n)).map { _ in rng.chance(0.5) }
    for _ in 0..<4 { CaveGenerator.smooth(&wall, width: n, height: n) }
    guard CaveGenerator.keepLargestRegion(&wall, width: n, height: n) > 20 else { return nil }
    var open: [Int] = []
    for i in 0..<(n * n) where !wall[i] { open.append(i) }
    let ai = rng.below(open.count)
    var ei = rng.below(open.count - 1)
    if ei >= ai { ei += 1 }
    let agent = open[ai], exit = open[ei]
    let path = CaveGenerator.path(wall, width: n, height: n, from: agent, to: exit)
    guard !path.isEmpty else { return nil }
    var onPath = [Bool](repeating: false, count: n * n)
    for c in path { onPath[c] = true }
    if !memory {
      let keep = CaveGenerator.widen(path, width: n, height: n, radius: 4)
      for i in 0..<(n * n) where !keep[i] { wall[i] = true }
    }
    for _ in 0..<4 { CaveGenerator.smooth(&wall, width: n, height: n, keepOpen: onPath) }
    // Pockets the smoothing cut off from the ship are walled in (nothing there is reachable).
    let reach = GridSearch.distances(width: n, height: n, from: agent) { !wall[$0] }
    var free: [Int] = []
    var offPath = 0
    let ax = agent % n, ay = agent / n
    for i in 0..<(n * n) {
      if reach[i] < 0 { wall[i] = true; continue }
      if !onPath[i] { offPath += 1 }
      // Objects stay off the path only, as in ProcGen: some start near the ship, which is what ends most random episodes early.
      if !onPath[i] { free.append(i) }
    }
    // ProcGen's count: free cells off the path / 80 of each kind.
    let k = offPath / 80
    var placements: [Placement] = []
    for kind in [Kind.meteor, .target, .enemy] {
      for _ in 0..<k where !free.isEmpty {
        let c = free.remove(at: rng.below(free.count))
        placements.append(Placement(x: c % n, y: c / n, kind: kind, dir: kind == .enemy ? rng.below(4) : 0))
      }
    }
    placements.sort { $0.y != $1.y ? $0.y > $1.y : $0.x < $1.x }
    let theme = rng.below(CaveFlyer.themes.count)
    return CaveFlyer.make(size: n, tiles: wall.map { $0 ? Tile.wall : Tile.open }, agent: (ax, ay),
                          exit: (exit % n, exit / n), placements: placements, theme: theme, extras: extras)
  }

  /// A level's initial state; `placements` in map order (top row first, then
  /// left to right), each drawing its details from `extras` in that order.
  static func make(size n: Int, tiles: [UInt8], agent: (x: Int, y: Int), exit: (x: Int, y: Int),
                   placements: [Placement], theme: Int, extras: PCG32) -> State {
    var rng = extras
    var objects = EntityList(capacity: maxObjects)
    for p in placements {
      let x = Float(p.x) + 0.5, y = Float(p.y) + 0.5
      switch p.kind {
      case .meteor:
        objects.append(Entity(x: x, y: y, r: meteorR, kind: Kind.meteor.rawValue, look: UInt8(rng.below(2))))
      case .target:
        var e = Entity(x: x, y: y, r: targetR, kind: Kind.target.rawValue)
        e.health = targetHealth
        objects.append(e)
      default:
        let v = 0.1 + 0.1 * rng.unit()
        let (dx, dy) = [(v, Float(0)), (-v, 0), (0, v), (0, -v)][p.dir]
        objects.append(Entity(x: x, y: y, r: enemyR, vx: dx, vy: dy, kind: Kind.enemy.rawValue))
      }
    }
    return State(size: n, tiles: tiles, agent: Entity(x: Float(agent.x) + 0.5, y: Float(agent.y) + 0.5, r: agentR),
                 heading: startHeading, spin: 0, thrust: 0,
                 exit: Entity(x: Float(exit.x) + 0.5, y: Float(exit.y) + 0.5, r: exitR), objects: objects,
                 bolts: EntityList(capacity: maxBolts), theme: theme, looks: looks(tiles, n),
                 tileKey: fnv1a64([UInt8(theme), UInt8(n)], seed: fnv1a64(tiles)))
  }

  /// The reachability check below, for `levels stats` and the tests.
  public func solvability(_ s: State) -> Bool? { CaveFlyer.solvable(s) }

  /// Whether the exit is reachable: a 4-connected chain of open cells free of
  /// meteors and targets leads from the ship's cell to the exit's. The ship
  /// (0.8 cells wide) fits inside any cell and so can follow such a chain
  /// without touching a wall; meteors and targets fill at most their own
  /// cell. Enemies move and are left out.
  static func solvable(_ s: State) -> Bool {
    let n = s.size
    var blocked = s.tiles.map { $0 == Tile.wall }
    for e in s.objects where e.kind != Kind.enemy.rawValue {
      let c = e.cell
      if c.x >= 0 && c.y >= 0 && c.x < n && c.y < n { blocked[c.y * n + c.x] = true }
    }
    let a = s.agent.cell, x = s.exit.cell
    let d = GridSearch.distances(width: n, height: n, from: a.y * n + a.x) { !blocked[$0] }
    return d[x.y * n + x.x] >= 0
  }

  // MARK: - Dynamics

  public func step(_ s: inout State, action: Action, rng: inout PCG32) -> StepEvents {
    let n = s.size, tiles = s.tiles
    func wallAt(_ x: Int, _ y: Int) -> Bool { x < 0 || y < 0 || x >= n || y >= n || tiles[y * n + x] == Tile.wall }
    // Turning: the rate mixes halfway toward ±15° per step (integer units, so every build agrees).
    s.spin = (s.spin - action.dx * CaveFlyer.maxSpin) / 2
    s.heading = (s.heading + s.spin + Heading.turn) % Heading.turn
    let (cx, cy) = Heading.unit[s.heading]
    // Thrust along the heading (backward at a third), then decay.
    let power: Float = action.dy > 0 ? CaveFlyer.thrustPower : action.dy < 0 ? -CaveFlyer.thrustPower / 3 : 0
    s.thrust = action.dy
    var b = s.agent.box
    b.vx = (b.vx + power * cx) * CaveFlyer.decay
    b.vy = (b.vy + power * cy) * CaveFlyer.decay
    BoxMover.move(&b, blocked: wallAt)
    s.agent.box = b
    // A bolt lives for 10 steps: it is seen in 10 frames and flies 10 cells.
    s.bolts.age()
    if action.special == 1 {
      s.bolts.append(Entity(x: b.x + cx * 0.5, y: b.y + cy * 0.5, rx: CaveFlyer.boltRadius, ry: CaveFlyer.boltRadius,
                            vx: cx * CaveFlyer.boltSpeed, vy: cy * CaveFlyer.boltSpeed, kind: Kind.bolt.rawValue,
                            life: CaveFlyer.boltLife))
    }
    // Enemies patrol along their axis and turn back at walls.
    for i in s.objects.indices where s.objects[i].kind == Kind.enemy.rawValue {
      var e = s.objects[i]
      if BoxMover.overlaps(x: e.x + e.vx, y: e.y + e.vy, rx: e.rx, ry: e.ry, blocked: wallAt) {
        e.vx = -e.vx
        e.vy = -e.vy
      } else {
        e.integrate()
      }
      s.objects[i] = e
    }
    // Bolts fly in two half steps; walls, meteors, enemies and the exit stop them, targets take a hit.
    var reward: Float = 0
    var bi = 0
    while bi < s.bolts.count {
      var bolt = s.bolts[bi]
      var spent = false
      for _ in 0..<2 where !spent {
        bolt.x += bolt.vx * 0.5
        bolt.y += bolt.vy * 0.5
        let c = bolt.cell
        if wallAt(c.x, c.y) || s.exit.overlaps(bolt) { spent = true; break }
        for oi in s.objects.indices where s.objects[oi].overlaps(bolt) {
          spent = true
          if s.objects[oi].kind == Kind.target.rawValue {
            s.objects[oi].health -= 1
            if s.objects[oi].health <= 0 {
              s.objects.remove(at: oi)
              reward += 3
            }
          }
          break
        }
      }
      if spent { s.bolts.remove(at: bi) } else { s.bolts[bi] = bolt; bi += 1 }
    }
    _ = rng
    // The ship against everything.
    let ag = s.agent
    for e in s.objects where e.overlaps(ag) { return StepEvents(reward: reward, outcome: .died, cause: "Crashed into a meteor, target or enemy ship") }
    if s.exit.overlaps(ag) { return StepEvents(reward: reward + 10, outcome: .won) }
    return StepEvents(reward: reward)
  }

  // MARK: - Saving

  public func encode(_ s: State, into w: inout ByteWriter) {
    w.int(s.size); w.u8s(s.tiles); w.entity(s.agent); w.int(s.heading); w.int(s.spin); w.int(s.thrust)
    w.entity(s.exit)
    w.entities(s.objects); w.entities(s.bolts); w.int(s.theme)
  }

  public func decode(from r: inout ByteReader) throws -> State {
    let (n, tiles) = try r.squareWorld("cave size", side: worldSide, max: Tile.wall)
    let bounds = EntityBounds(width: n, height: n, margin: 4, maxSpeed: 2)
    let agent = try r.entity("ship", kinds: 1, bounds: bounds)
    let heading = try r.int("heading", in: 0...(Heading.turn - 1))
    let spin = try r.int("spin", in: -CaveFlyer.maxSpin...CaveFlyer.maxSpin), thrust = try r.int("thrust", in: -1...1)
    let exit = try r.entity("exit", kinds: 1, bounds: bounds)
    let objects = try r.entities("objects", capacity: CaveFlyer.maxObjects, kinds: 3, bounds: bounds)
    let bolts = try r.entities("bolts", capacity: CaveFlyer.maxBolts, kinds: 4, bounds: bounds)
    let theme = try r.int("theme", in: 0...(CaveFlyer.themes.count - 1))
    if let i = bolts.firstIndex(where: { $0.kind != Kind.bolt.rawValue }) { throw r.invalid("bolts \(i) kind", "is not a bolt") }
    return State(size: n, tiles: tiles, agent: agent, heading: heading, spin: spin, thrust: thrust, exit: exit, objects: objects,
                 bolts: bolts, theme: theme, looks: CaveFlyer.looks(tiles, n),
                 tileKey: fnv1a64([UInt8(theme), UInt8(n)], seed: fnv1a64(tiles)))
  }

  // MARK: - Level files

  static let enemyChars: [Character] = [">", "<", "^", "v"]

  public func levelMap(_ s: State) -> LevelMap? {
    let n = s.size
    var m = CaveFlyer.kinds.levelMap(s.tiles, width: n, height: n, theme: s.theme)
    for e in s.objects {
      switch Kind(rawValue: e.kind)! {
      case .meteor: m.put(e.cell, "O")
      case .target: m.put(e.cell, "T")
      default: m.put(e.cell, CaveFlyer.enemyChars[e.vx > 0 ? 0 : e.vx < 0 ? 1 : e.vy > 0 ? 2 : 3])
      }
    }
    m.put(s.exit.cell, "X")
    m.put(s.agent.cell, "A")
    return m
  }

  public func load(map: LevelMap, rng: inout PCG32) throws(LevelProblems) -> State {
    let n = worldSide
    let extras = CaveFlyer.extrasStream(rng)
    var reader = MapReader(map: map, world: n, legend: CaveFlyer.descriptor.legend)
    // Cells outside a smaller map are wall.
    let tiles = CaveFlyer.kinds.tiles(reader, fill: Tile.wall)
    var placements: [Placement] = []
    // `forEach` visits the map in reading order, which is the objects' order.
    reader.forEach { x, y, ch in
      switch ch {
      case "O": placements.append(Placement(x: x, y: y, kind: .meteor, dir: 0))
      case "T": placements.append(Placement(x: x, y: y, kind: .target, dir: 0))
      default:
        if let d = CaveFlyer.enemyChars.firstIndex(of: ch) { placements.append(Placement(x: x, y: y, kind: .enemy, dir: d)) }
      }
    }
    if placements.count > CaveFlyer.maxObjects {
      let extra = placements[CaveFlyer.maxObjects]
      reader.add(reader.problem(at: (extra.x, extra.y), "more than \(CaveFlyer.maxObjects) meteors, targets and enemies"))
      placements.removeLast(placements.count - CaveFlyer.maxObjects)
    }
    let a = reader.single("A", "agent start")
    let x = reader.single("X", "exit")
    reader.checkTheme(count: CaveFlyer.themes.count, game: "caveflyer")
    try reader.finish()
    let s = CaveFlyer.make(size: n, tiles: tiles, agent: a, exit: x, placements: placements, theme: map.theme,
                           extras: extras)
    if !CaveFlyer.solvable(s) {
      throw LevelProblems([reader.problem(at: x, "the exit cannot be reached from the agent start (open cells free of meteors and targets)")])
    }
    return s
  }
}

extension CaveFlyer {
  /// Headings in quarter degrees (1440 per turn, 0 = +x, counter-clockwise)
  /// and their unit vectors, computed once with plain arithmetic (a Taylor
  /// series in Double, exact at the quarter turns) instead of libm, so every
  /// build and platform gets the same bits.
  enum Heading {
    static let turn = 1440
    static let unit: [(Float, Float)] = (0..<turn).map { k in
      let quarter = turn / 4, r = k % quarter
      var c = 1.0, s = 0.0
      if r != 0 {
        let a = Double(r) * (Double.pi / 2) / Double(quarter)
        var tc = 1.0, ts = a
        c = 0; s = 0
        for i in 0..<20 {
          c += tc; s += ts
          let m = Double(2 * i + 1)
          tc *= -a * a / (m * (m + 1))
          ts *= -a * a / ((m + 1) * (m + 2))
        }
      }
      switch k / quarter {
      case 0: return (Float(c), Float(s))
      case 1: return (Float(-s), Float(c))
      case 2: return (Float(-c), Float(-s))
      default: return (Float(s), Float(-c))
      }
    }
  }
}
