import ArcadeCore

/// ninja: charge jumps across narrow ledges over a fire floor, throw stars at
/// bombs, reach the mushroom (ProcGen's ninja).
public struct Ninja: Game {
  public enum Tile {
    public static let empty: UInt8 = 0, wall: UInt8 = 1, fire: UInt8 = 2, mushroom: UInt8 = 3
  }
  public enum Kind: UInt8 { case star = 0, bomb = 1, explosion = 2 }

  public struct State: Sendable, Equatable {
    public var tiles: [UInt8]          // 64 × 64, y up
    public var agent: Entity
    public var charge: Float           // jump charge 0…1
    public var cooldown: Int           // steps until the next star
    public var stars: EntityList
    public var bombs: EntityList
    public var explosions: EntityList
    public var theme: Int
    var tileKey: UInt64

    public static func == (a: State, b: State) -> Bool {
      a.tiles == b.tiles && a.agent == b.agent && a.charge == b.charge && a.cooldown == b.cooldown && a.stars == b.stars
        && a.bombs == b.bombs && a.explosions == b.explosions && a.theme == b.theme
    }
  }

  public static let descriptor = GameDescriptor(
    name: "ninja",
    summary: "Charge jumps across ledges over fire, throw stars at bombs, reach the mushroom.",
    modes: [.easy, .hard, .exploration],
    meaningfulActions: [1, 2, 4, 5, 7, 8, 9, 10, 11, 12],
    actionNames: ["left", "left", "left+charge", "no-op", "no-op", "charge jump", "right", "right", "right+charge",
                  "throw star ahead", "throw star up-ahead", "throw star up", "throw star down-ahead", "no-op", "no-op"],
    kinds: kinds,
    explorationSeed: 1_123_500_215,
    scoreRange: [.easy: (3.5, 10), .hard: (2, 10)],
    cameraChoice: true
  )

  static let width = 64, height = 64
  static let maxSpeed: Float = 0.5, groundMix: Float = 0.5, airMix: Float = 0.5 * 0.15
  static let gravity: Float = 0.2, maxFall: Float = 1.5
  static let starSpeed: Float = 1, starLife: Int32 = 15, throwCooldown = 3, explosionLife: Int32 = 6
  static let agentRX: Float = 0.5, agentRY: Float = 0.5
  static let maxStars = 8, maxBombs = 16, maxExplosions = 8
  static let gridSide = 15
  /// D, A, W, S: ahead, up-ahead, up, down-ahead (x mirrored when facing left).
  static let throwDirections: [(Float, Float)] = [(1, 0), (0.7071, 0.7071), (0, 1), (0.7071, -0.7071)]

  public let options: GameOptions
  let jumpSpeed: Float
  let chargeRate: Float
  let reach: PlatformReach
  public init(options: GameOptions) {
    self.options = options
    let easy = options.mode == .easy
    jumpSpeed = easy ? 1.25 : 1.5
    chargeRate = easy ? 1 : 0.25
    reach = PlatformReach(jumpSpeed: jumpSpeed, gravity: Ninja.gravity, maxFall: Ninja.maxFall, runSpeed: Ninja.maxSpeed,
                          fraction: 0.75, riseMargin: 0.6)
  }
  public var gridSize: (height: Int, width: Int) { (Ninja.gridSide, Ninja.gridSide) }

  // MARK: - Generation

  public func generate(levelSeed: UInt32, rng: inout PCG32) -> State {
    Redraw.untilSolvable(tries: 50, { generateOnce(&rng) }, solvable: solvable)!
  }

  /// ProcGen's layout: the agent starts on a solid block (x 0…4, top row
  /// 31) over no fire; each section holds one or two ledges that start one
  /// column apart at different heights (so they stack), rising 60 % of the
  /// time; a ceiling 10 rows over the section's highest ledge; fire two rows
  /// below the lowest ledge from x = 5; the mushroom on a one-tile post.
  func generateOnce(_ rng: inout PCG32) -> State {
    let W = Ninja.width, H = Ninja.height
    let easy = genMode == .easy
    var t = [UInt8](repeating: Tile.empty, count: W * H)
    // Clipped to the map; a box wholly outside it (e.g. below-the-ledge fill under a ledge near the top) fills nothing.
    func fill(_ x0: Int, _ y0: Int, _ w: Int, _ h: Int, _ v: UInt8) {
      let xa = max(0, x0), xb = min(W, x0 + w), ya = max(0, y0), yb = min(H, y0 + h)
      guard xa < xb, ya < yb else { return }
      for y in ya..<yb { for x in xa..<xb { t[y * W + x] = v } }
    }
    fill(0, 0, W, 1, Tile.wall); fill(0, 0, 1, H, Tile.wall); fill(W - 1, 0, 1, H, Tile.wall); fill(0, H - 1, W, 1, Tile.wall)
    var bombs = EntityList(capacity: Ninja.maxBombs)
    let d = 1 + rng.below(3)
    let minGap = max(0, d - 1 - (easy ? 1 : 0)), minWidth = easy ? 3 : 1, incDy = easy ? 2 : 4
    let maxGapInc = d == 1 ? 1 : 2
    // The highest step a full jump clears, less half a cell (3 easy, 5 hard).
    let maxDy = Int(jumpSpeed * jumpSpeed / (2 * Ninja.gravity) - 0.5)
    let startX = 5, base = H / 2
    var x = startX, y = base, lowest = base
    fill(0, 0, startX, base, Tile.wall)
    fill(0, base + 8, startX, H - base - 8, Tile.wall)
    for _ in 0..<(d + rng.below(d)) {
      let x0 = x, y0 = y
      var top = -1, last = -1
      for j in 0..<(1 + rng.below(2)) {
        x = x0 + j
        if x + 15 >= W { break }
        var dy = min(rng.below(incDy) + 1 + d / 3, maxDy)
        if y0 >= H - 15 || (y0 >= 5 && rng.unit() < 0.4) { dy = -dy }
        y = max(3, y0 + dy)
        if abs(y - last) <= 1 { y = last + 2 }
        let w = minWidth + rng.below(3)
        fill(x, y - 1, w, 1, Tile.wall)
        x += w + minGap + rng.below(maxGapInc + 1)
        top = max(top, y); lowest = min(lowest, y); last = y
      }
      if rng.unit() < 0.25 * Float(d - 1) {
        let bx = x0 + rng.below(x - x0 + 1), by = top + 2
        if by >= 0 && by < H { bombs.append(Ninja.bomb(bx, by)) }
      }
      fill(x0, top + 10, x - x0, H - (top + 10), Tile.wall)
    }
    fill(x, y - 1, 1, 1, Tile.wall)
    fill(x, y + 6, 1, H - y - 6, Tile.wall)
    let fire = max(1, lowest - 2)
    fill(startX, 0, W - startX, fire, Tile.wall)
    fill(startX, fire, W - startX, 1, Tile.fire)
    fill(x + 1, 0, W - x - 1, H, Tile.wall)
    t[y * W + x] = Tile.mushroom
    // Bombs never sit inside walls or on the mushroom.
    var kept = EntityList(capacity: Ninja.maxBombs)
    for b in bombs where t[b.cell.y * W + b.cell.x] == Tile.empty { kept.append(b) }
    let theme = rng.below(Ninja.themes.count)
    return Ninja.make(tiles: t, agent: Ninja.agentAt(1, base), bombs: kept.inMapOrder(), theme: theme)
  }

  static func agentAt(_ x: Int, _ y: Int) -> Entity {
    Entity(x: Float(x) + 0.5, y: Float(y) + agentRY, rx: agentRX, ry: agentRY)
  }
  static func bomb(_ x: Int, _ y: Int) -> Entity {
    Entity(x: Float(x) + 0.5, y: Float(y) + 0.5, r: 0.5, kind: Kind.bomb.rawValue)
  }

  static func make(tiles: [UInt8], agent: Entity, bombs: EntityList, theme: Int) -> State {
    State(tiles: tiles, agent: agent, charge: 0, cooldown: 0, stars: EntityList(capacity: maxStars), bombs: bombs,
          explosions: EntityList(capacity: maxExplosions), theme: theme,
          tileKey: fnv1a64([UInt8(theme)], seed: fnv1a64(tiles)))
  }

  /// The reachability check below, for `levels stats` and the tests.
  public func solvability(_ s: State) -> Bool? { solvable(s) }

  /// The mushroom must be reachable under the `PlatformReach` model with a
  /// fully charged jump (fire and bomb cells are hazards; stars can clear
  /// bombs, but the model does not count on it).
  func solvable(_ s: State) -> Bool {
    let W = Ninja.width
    var bomb = [Bool](repeating: false, count: W * Ninja.height)
    for b in s.bombs { bomb[b.cell.y * W + b.cell.x] = true }
    let a = s.agent.cell
    let seen = reach.reachable(width: W, height: Ninja.height, start: (a.x, a.y)) { x, y in
      let i = y * W + x
      switch s.tiles[i] {
      case Tile.wall: return .solid
      case Tile.fire: return .hazard
      default: return bomb[i] ? .hazard : .open
      }
    }
    guard let goal = s.tiles.firstIndex(of: Tile.mushroom) else { return false }
    return seen[goal]
  }

  // MARK: - Dynamics

  @inline(__always) static func tile(_ t: [UInt8], _ x: Int, _ y: Int) -> UInt8 {
    x < 0 || x >= width || y < 0 ? Tile.wall : y >= height ? Tile.empty : t[y * width + x]
  }

  public func step(_ s: inout State, action: Action, rng: inout PCG32) -> StepEvents {
    let t = s.tiles
    func cell(_ x: Int, _ y: Int) -> Platformer.Cell { Ninja.tile(t, x, y) == Tile.wall ? .solid : .open }
    var b = s.agent.box
    let supported = Platformer.isSupported(b, cell: cell)
    Platformer.run(&b, dx: action.dx, maxSpeed: Ninja.maxSpeed, mix: supported ? Ninja.groundMix : Ninja.airMix)
    if supported && action.dy > 0 {
      s.charge = min(1, s.charge + chargeRate)
    } else if supported && s.charge > 0 {
      b.vy = s.charge * jumpSpeed
      s.charge = 0
    } else if !supported {
      s.charge = 0
    }
    Platformer.move(&b, cell: cell)
    Platformer.fall(&b, gravity: Ninja.gravity, maxFall: Ninja.maxFall)
    s.agent.box = b
    if action.dx != 0 { s.agent.mirrored = action.dx < 0 }

    // Throwing stars.
    if s.cooldown > 0 { s.cooldown -= 1 }
    if (1...4).contains(action.special) && s.cooldown == 0 {
      var (dx, dy) = Ninja.throwDirections[action.special - 1]
      if s.agent.mirrored { dx = -dx }
      s.stars.append(Entity(x: s.agent.x, y: s.agent.y, rx: 0.2, ry: 0.2, vx: dx * Ninja.starSpeed, vy: dy * Ninja.starSpeed,
                            kind: Kind.star.rawValue, life: Ninja.starLife))
      s.cooldown = Ninja.throwCooldown
    }
    for i in s.stars.indices where s.stars[i].vx != 0 || s.stars[i].vy != 0 {
      var st = s.stars[i]
      // Two half steps so a star does not skip a one-cell wall.
      for _ in 0..<2 where st.vx != 0 || st.vy != 0 {
        st.x += st.vx / 2
        st.y += st.vy / 2
        let c = st.cell
        if Ninja.tile(t, c.x, c.y) == Tile.wall { st.vx = 0; st.vy = 0 }
      }
      s.stars[i] = st
    }
    s.stars.age()
    s.explosions.age()
    // Stars against bombs.
    var k = s.bombs.count - 1
    while k >= 0 {
      let bomb = s.bombs[k]
      if let j = s.stars.firstIndex(where: { $0.overlaps(bomb) }) {
        s.stars.remove(at: j)
        s.bombs.remove(at: k)
        s.explosions.append(Entity(x: bomb.x, y: bomb.y, rx: 0.5, ry: 0.5, kind: Kind.explosion.rawValue, life: Ninja.explosionLife))
      }
      k -= 1
    }

    let a = s.agent
    // ProcGen's bombs fill their cell and its blasts are one cell wide; touching either kills.
    for e in s.bombs where e.overlaps(a, margin: -0.02) { return StepEvents(outcome: .died, cause: "Touched a bomb") }
    for e in s.explosions where e.overlaps(a, margin: -0.02) { return StepEvents(outcome: .died, cause: "Caught in an explosion") }
    let c = BoxMover.cells(x: a.x, y: a.y, rx: a.rx, ry: a.ry)
    var won = false
    for cy in c.y0...c.y1 {
      for cx in c.x0...c.x1 {
        let tt = Ninja.tile(t, cx, cy)
        if tt == Tile.fire { return StepEvents(outcome: .died, cause: "Fell into the fire") }
        if tt == Tile.mushroom { won = true }
      }
    }
    if a.y + a.ry < 0 { return StepEvents(outcome: .died, cause: "Fell out of the level") }
    _ = rng
    return won ? StepEvents(reward: 10, outcome: .won) : StepEvents()
  }

  // MARK: - Saving

  public func encode(_ s: State, into w: inout ByteWriter) {
    w.u8s(s.tiles); w.entity(s.agent); w.f32(s.charge); w.int(s.cooldown)
    w.entities(s.stars); w.entities(s.bombs); w.entities(s.explosions); w.int(s.theme)
  }

  public func decode(from r: inout ByteReader) throws -> State {
    let tiles = try r.u8s("tiles", count: Ninja.width * Ninja.height, max: Tile.mushroom)
    let bounds = EntityBounds(width: Ninja.width, height: Ninja.height, margin: 4, maxSpeed: 2)
    let agent = try r.entity("agent", kinds: 1, bounds: bounds)
    let charge = try r.f32("charge", in: 0...1), cd = try r.int("cooldown", in: 0...Ninja.throwCooldown)
    let stars = try r.entities("stars", capacity: Ninja.maxStars, kinds: 1, bounds: bounds)
    let bombs = try r.entities("bombs", capacity: Ninja.maxBombs, kinds: 2, bounds: bounds)
    let explosions = try r.entities("explosions", capacity: Ninja.maxExplosions, kinds: 3, bounds: bounds)
    let theme = try r.int("theme", in: 0...(Ninja.themes.count - 1))
    if let i = bombs.firstIndex(where: { $0.kind != Kind.bomb.rawValue }) { throw r.invalid("bombs \(i) kind", "is not a bomb") }
    if let i = explosions.firstIndex(where: { $0.kind != Kind.explosion.rawValue }) {
      throw r.invalid("explosions \(i) kind", "is not an explosion")
    }
    var s = Ninja.make(tiles: tiles, agent: agent, bombs: bombs, theme: theme)
    s.charge = charge; s.cooldown = cd; s.stars = stars; s.explosions = explosions
    return s
  }

  // MARK: - Level files

  public func levelMap(_ s: State) -> LevelMap? {
    var m = Ninja.kinds.levelMap(s.tiles, width: Ninja.width, height: Ninja.height, theme: s.theme)
    for b in s.bombs { m.put(b.cell, "B") }
    m.put(s.agent.cell, "A")
    return m
  }

  public func load(map: LevelMap, rng: inout PCG32) throws(LevelProblems) -> State {
    let W = Ninja.width, H = Ninja.height
    var reader = MapReader(map: map, worldWidth: W, worldHeight: H, legend: Ninja.descriptor.legend)
    // Cells outside a smaller map are wall.
    let tiles = Ninja.kinds.tiles(reader, fill: Tile.wall)
    var bombs = EntityList(capacity: Ninja.maxBombs)
    var overflow = false
    reader.forEach { x, y, c in
      if c == "B" && !bombs.append(Ninja.bomb(x, y)) { overflow = true }
    }
    if overflow { reader.add(LevelProblem("more than \(Ninja.maxBombs) bombs")) }
    let a = reader.single("A", "agent start")
    let g = reader.single("M", "mushroom")
    reader.checkTheme(count: Ninja.themes.count, game: "ninja")
    try reader.finish()
    let s = Ninja.make(tiles: tiles, agent: Ninja.agentAt(a.x, a.y), bombs: bombs, theme: map.theme)
    if !solvable(s) {
      throw LevelProblems([reader.problem(at: g, "the mushroom cannot be reached from the agent start (charged jumps rise at most \(reach.maxRise) rows)")])
    }
    return s
  }
}
