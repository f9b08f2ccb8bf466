import ArcadeCore

/// chaser: Pac-Man in a maze without dead ends. Eat every small orb; a power
/// orb makes the enemies edible for a while; enemies hatch from eggs
/// (ProcGen's chaser).
///
/// The agent and the enemies move on a lattice of half (or quarter) cells:
/// positions stay exact binary fractions, so turns happen exactly at cell
/// centres and no float drift can build up.
public struct Chaser: Game {
  public enum Tile {
    public static let floor: UInt8 = 0, wall: UInt8 = 1, orb: UInt8 = 2, power: UInt8 = 3
  }
  public enum Kind: UInt8 { case egg = 0, enemy = 1 }

  public struct State: Sendable, Equatable {
    public var size: Int
    public var tiles: [UInt8]
    /// Velocity = the commanded direction × speed.
    public var agent: Entity
    /// Eggs (timer = steps to hatching) and enemies (a, b = direction).
    public var enemies: EntityList
    public var orbsLeft: Int
    public var vulnerable: Int
    public var theme: Int
  }

  public static let descriptor = GameDescriptor(
    name: "chaser",
    summary: "Pac-Man: eat every orb; power orbs make the enemies edible for a while.",
    modes: [.easy, .hard, .extreme],
    meaningfulActions: Array(0...8),
    actionNames: GameActions.eightWay,
    kinds: kinds,
    scoreRange: [.easy: (0.5, 13), .hard: (0.5, 14.2)]
  )

  static let speed: Float = 0.5
  static let hatchSteps: Int32 = 50
  static let vulnerableSteps = 75
  static let orbReward: Float = 0.04
  static let maxEnemies = 8
  static let half: Float = 0.4   // half-extent used for touching

  static let worldSides = WorldSides(easy: 11, extreme: 19, otherwise: 13)

  public let options: GameOptions
  let enemyCount: Int
  let extraPower: Int

  public init(options: GameOptions) {
    self.options = options
    switch options.mode {
    case .easy: enemyCount = 3; extraPower = 0
    case .extreme: enemyCount = 5; extraPower = 1
    default: enemyCount = 3; extraPower = -1
    }
  }

  // MARK: - Generation

  public func generate(levelSeed: UInt32, rng: inout PCG32) -> State {
    let n = worldSide
    let theme = rng.below(Chaser.themes.count)
    var wall = MazeGenerator.kruskal(side: n, rng: &rng)
    MazeGenerator.removeDeadEnds(&wall, side: n, rng: &rng)
    var tiles = wall.map { $0 ? Tile.wall : Tile.orb }
    // Power orbs: one per quadrant, one random quadrant gets 1 + extra.
    let special = rng.below(4)
    for q in 0..<4 {
      let cells = (0..<(n * n)).filter { i in
        let x = i % n, y = i / n
        return tiles[i] == Tile.orb && (x < n / 2) == (q % 2 == 0) && (y < n / 2) == (q < 2)
          && x != n / 2 && y != n / 2
      }
      var count = 1 + (q == special ? extraPower : 0)
      var pool = cells
      while count > 0 && !pool.isEmpty {
        let k = rng.below(pool.count)
        tiles[pool[k]] = Tile.power
        pool.remove(at: k)
        count -= 1
      }
    }
    let free = (0..<(n * n)).filter { tiles[$0] == Tile.orb }
    let start = free[rng.below(free.count)]
    tiles[start] = Tile.floor
    let sx = start % n, sy = start / n
    // Eggs on free cells well away from the agent.
    var far = free.filter { abs($0 % n - sx) + abs($0 / n - sy) >= n / 2 && $0 != start }
    var eggs: [Int] = []
    for _ in 0..<enemyCount where !far.isEmpty {
      let k = rng.below(far.count)
      eggs.append(far[k])
      tiles[far[k]] = Tile.floor
      far.remove(at: k)
    }
    // Map order (top row first), as a level file lists them.
    eggs.sort { ($0 / n, -($0 % n)) > ($1 / n, -($1 % n)) }
    return makeState(size: n, tiles: tiles, agent: (sx, sy), eggs: eggs.map { ($0 % n, $0 / n) }, theme: theme)
  }

  func makeState(size n: Int, tiles: [UInt8], agent: (x: Int, y: Int), eggs: [(x: Int, y: Int)], theme: Int) -> State {
    var enemies = EntityList(capacity: Chaser.maxEnemies)
    for e in eggs { enemies.append(Chaser.egg(e.x, e.y)) }
    let orbs = tiles.reduce(0) { $0 + ($1 == Tile.orb ? 1 : 0) }
    return State(size: n, tiles: tiles, agent: Entity(x: Float(agent.x) + 0.5, y: Float(agent.y) + 0.5, r: Chaser.half),
                 enemies: enemies, orbsLeft: orbs, vulnerable: 0, theme: theme)
  }

  static func egg(_ x: Int, _ y: Int) -> Entity {
    Entity(x: Float(x) + 0.5, y: Float(y) + 0.5, rx: half, ry: half, kind: Kind.egg.rawValue, timer: hatchSteps)
  }

  // MARK: - Dynamics

  @inline(__always) func open(_ s: State, _ x: Int, _ y: Int) -> Bool {
    x >= 0 && y >= 0 && x < s.size && y < s.size && s.tiles[y * s.size + x] != Tile.wall
  }

  /// Whether a box of half-extent 0.49 at (x, y) touches only open cells.
  func fits(_ s: State, _ x: Float, _ y: Float) -> Bool {
    let r: Float = 0.49
    let x0 = Int((x - r).rounded(.down)), x1 = Int((x + r).rounded(.down))
    let y0 = Int((y - r).rounded(.down)), y1 = Int((y + r).rounded(.down))
    for cy in y0...y1 { for cx in x0...x1 where !open(s, cx, cy) { return false } }
    return true
  }

  static let dirs: [(Int, Int)] = [(1, 0), (-1, 0), (0, 1), (0, -1)]

  func moveEnemy(_ e: inout Entity, _ s: State, greedy: Bool, rng: inout PCG32) {
    let atCentre = (e.x - 0.5).rounded(.down) == e.x - 0.5 && (e.y - 0.5).rounded(.down) == e.y - 0.5
    if atCentre {
      let cx = Int(e.x), cy = Int(e.y)
      let ax = Int(s.agent.x.rounded(.down)), ay = Int(s.agent.y.rounded(.down))
      let backX = -Int(e.a), backY = -Int(e.b)
      var mask = 0, openMask = 0
      var best = Int.max
      for (k, d) in Chaser.dirs.enumerated() where open(s, cx + d.0, cy + d.1) {
        openMask |= 1 << k
        if d.0 == backX && d.1 == backY && (backX != 0 || backY != 0) { continue }
        mask |= 1 << k
      }
      if mask == 0 { mask = openMask }
      if greedy && mask != 0 {
        // Closest to the agent (farthest while vulnerable); ties stay candidates.
        var m2 = 0
        for (k, d) in Chaser.dirs.enumerated() where mask & 1 << k != 0 {
          var dist = abs(cx + d.0 - ax) + abs(cy + d.1 - ay)
          if s.vulnerable > 0 { dist = -dist }
          if dist < best { best = dist; m2 = 1 << k } else if dist == best { m2 |= 1 << k }
        }
        mask = m2
      }
      if mask != 0 {
        var pick = rng.below(mask.nonzeroBitCount)
        for k in 0..<4 where mask & 1 << k != 0 {
          if pick == 0 { e.a = Float(Chaser.dirs[k].0); e.b = Float(Chaser.dirs[k].1); break }
          pick -= 1
        }
      } else {
        e.a = 0; e.b = 0
      }
    }
    // Half speed while vulnerable, and until back on the half-cell lattice.
    let onHalf = (e.x * 2).rounded(.down) == e.x * 2 && (e.y * 2).rounded(.down) == e.y * 2
    let v: Float = s.vulnerable > 0 || !onHalf ? Chaser.speed / 2 : Chaser.speed
    e.x += e.a * v
    e.y += e.b * v
  }

  public func step(_ s: inout State, action: Action, rng: inout PCG32) -> StepEvents {
    let n = s.size
    let greedy = rng.coin()
    // The agent: pressed components set the velocity; it keeps moving until blocked.
    if action.dx != 0 { s.agent.vx = Float(action.dx) * Chaser.speed; s.agent.mirrored = action.dx < 0 }
    if action.dy != 0 { s.agent.vy = Float(action.dy) * Chaser.speed }
    let yFirst = action.dy != 0 && action.dx == 0
    for axis in 0..<2 {
      if (axis == 0) != yFirst {
        if s.agent.vx != 0 {
          if fits(s, s.agent.x + s.agent.vx, s.agent.y) { s.agent.x += s.agent.vx } else { s.agent.vx = 0 }
        }
      } else if s.agent.vy != 0 {
        if fits(s, s.agent.x, s.agent.y + s.agent.vy) { s.agent.y += s.agent.vy } else { s.agent.vy = 0 }
      }
    }
    if s.vulnerable > 0 { s.vulnerable -= 1 }
    // Orbs under the agent.
    var reward: Float = 0
    let c = s.agent.cell
    let i = c.y * n + c.x
    if s.tiles[i] == Tile.orb || s.tiles[i] == Tile.power {
      reward += Chaser.orbReward
      if s.tiles[i] == Tile.orb { s.orbsLeft -= 1 } else { s.vulnerable = Chaser.vulnerableSteps }
      s.tiles[i] = Tile.floor
      if s.orbsLeft == 0 { return StepEvents(reward: reward + 10, outcome: .won) }
    }
    // Eggs hatch, enemies move.
    for k in s.enemies.indices {
      var e = s.enemies[k]
      if e.kind == Kind.egg.rawValue {
        e.timer -= 1
        if e.timer <= 0 { e.kind = Kind.enemy.rawValue; e.timer = 0 }
      } else {
        moveEnemy(&e, s, greedy: greedy, rng: &rng)
      }
      s.enemies[k] = e
    }
    // Touching enemies: death, or eating a vulnerable one (a new egg replaces it).
    var k = 0
    while k < s.enemies.count {
      let e = s.enemies[k]
      if e.kind == Kind.enemy.rawValue && e.overlaps(s.agent) {
        if s.vulnerable == 0 { return StepEvents(reward: reward, outcome: .died, cause: "Caught by an enemy") }
        s.enemies.remove(at: k)
        spawnEgg(&s, rng: &rng)
        continue
      }
      k += 1
    }
    return StepEvents(reward: reward)
  }

  /// A new egg on a random open cell at least 4 steps (Manhattan) from the agent.
  func spawnEgg(_ s: inout State, rng: inout PCG32) {
    let n = s.size
    let a = s.agent.cell
    var count = 0
    for i in 0..<(n * n) where s.tiles[i] != Tile.wall && abs(i % n - a.x) + abs(i / n - a.y) >= 4 { count += 1 }
    guard count > 0 else { return }
    var pick = rng.below(count)
    for i in 0..<(n * n) where s.tiles[i] != Tile.wall && abs(i % n - a.x) + abs(i / n - a.y) >= 4 {
      if pick == 0 { s.enemies.append(Chaser.egg(i % n, i / n)); return }
      pick -= 1
    }
  }

  // MARK: - Observations

  /// Every tile and actor (`ArcadeCore.Kind`: `Kind` here names the actor kinds).
  static let kinds = KindTable(channels: ["wall", "orb", "power orb", "agent", "enemy", "vulnerable enemy", "egg"],
                               floor: Tile.floor, [
    ArcadeCore.Kind(tile: Tile.wall, map: "#", "wall", glyph: "#", .blue, "wall", channels: ["wall"], art: [
      "dddddddd", "dwwwwwwd", "dwwwwwwd", "dwwwwwwd", "dwwwwwwd", "dwwwwwwd", "dwwwwwwd", "dddddddd",
    ]),
    ArcadeCore.Kind(tile: Tile.orb, map: ".", "floor with a small orb", glyph: ".", .green, "orb (+0.04)", channels: ["orb"],
                    art: orbArt),
    ArcadeCore.Kind(tile: Tile.power, map: "o", "floor with a power orb", glyph: "o", .yellow, "power orb: enemies turn edible",
                    channels: ["power orb"], art: powerArt),
    ArcadeCore.Kind(tile: Tile.floor, map: "_", "empty floor", art: Array(repeating: "ffffffff", count: 8)),
    ArcadeCore.Kind(map: "A", "agent start (empty floor)", glyph: "@", .yellow, "you", channels: ["agent"]),
    ArcadeCore.Kind(map: "E", "enemy egg (empty floor)", glyph: "e", .white, "enemy egg: hatches into an enemy", channels: ["egg"]),
    ArcadeCore.Kind(glyph: "M", .red, "enemy", channels: ["enemy"]),
    ArcadeCore.Kind(glyph: "m", .cyan, "edible enemy", channels: ["vulnerable enemy"]),
  ])
  static let agentKind = kinds[map: "A"], eggKind = kinds[map: "E"]
  static let enemyKinds = (normal: kinds.kinds[6], edible: kinds.kinds[7])

  static let themes: [Palette] = [
    ["w": RGB(hex: 0x1a237e), "d": RGB(hex: 0x3949ab), "f": RGB(hex: 0x000000), "o": RGB(hex: 0x76ff03),
     "p": RGB(hex: 0xffeb3b)],
    ["w": RGB(hex: 0x4a148c), "d": RGB(hex: 0x8e24aa), "f": RGB(hex: 0x0d0d0d), "o": RGB(hex: 0x64ffda),
     "p": RGB(hex: 0xff6e40)],
    ["w": RGB(hex: 0x1b5e20), "d": RGB(hex: 0x43a047), "f": RGB(hex: 0x101418), "o": RGB(hex: 0xb2ff59),
     "p": RGB(hex: 0xff4081)],
  ]
  static let orbArt = ["ffffffff", "ffffffff", "ffffffff", "fffoofff", "fffoofff", "ffffffff", "ffffffff", "ffffffff"]
  static let powerArt = ["ffffffff", "fffppfff", "ffppppff", "fppppppf", "fppppppf", "ffppppff", "fffppfff", "ffffffff"]
  static let atlases: [[UInt32]] = themes.map { kinds.atlas($0) }
  /// Orbs keep their shape in monochrome (on a black floor they would fill the cell).
  static let monoAtlas = Texture.atlas([
    .solid(RGB(0, 0, 0)), .solid(.monochrome(kind: 1)), Texture(art: orbArt, palette: ["o": .monochrome(kind: 2)]),
    Texture(art: powerArt, palette: ["p": .monochrome(kind: 3)]),
  ])
  static let agentArt = ["..yyyy..", ".yyyyyy.", "yyyykyyy", "yyyyy...", "yyyy....", "yyyyyyyy", ".yyyyyy.", "..yyyy.."]
  static let enemyArt = ["..rrrr..", ".rrrrrr.", "rwwrrwwr", "rwbrrwbr", "rrrrrrrr", "rrrrrrrr", "rrrrrrrr", "r.rr.rr."]
  static let eggArt = ["........", "...ee...", "..eeee..", ".eesese.", ".eeeeee.", ".eseese.", "..eeee..", "........"]
  /// agent, enemy, vulnerable enemy, vulnerable (ending, flashing), egg.
  static let sprites = SpriteSet([
    Texture(art: agentArt, palette: ["y": RGB(hex: 0xffee58), "k": RGB(0, 0, 0)]),
    Texture(art: enemyArt, palette: ["r": RGB(hex: 0xef5350), "w": RGB(hex: 0xffffff), "b": RGB(hex: 0x1a237e)]),
    Texture(art: enemyArt, palette: ["r": RGB(hex: 0x2962ff), "w": RGB(hex: 0xffffff), "b": RGB(hex: 0x000000)]),
    Texture(art: enemyArt, palette: ["r": RGB(hex: 0xeeeeee), "w": RGB(hex: 0xff1744), "b": RGB(hex: 0x000000)]),
    Texture(art: eggArt, palette: ["e": RGB(hex: 0xfff3e0), "s": RGB(hex: 0xef5350)]),
  ], monoKind: 50)

  public func render(_ s: State, into canvas: inout Canvas) {
    let n = s.size
    let view = Viewport.whole(width: n, height: n)
    let mono = options.monochrome
    canvas.drawTilesIncremental(atlasID: mono ? 99 : s.theme, s.tiles, width: n, height: n, view: view,
                                atlas: mono ? Chaser.monoAtlas : Chaser.atlases[s.theme], outside: Tile.wall)
    let tex = Chaser.sprites.pick(mono)
    for e in s.enemies {
      let t: Int
      if e.kind == Kind.egg.rawValue { t = 4 } else if s.vulnerable > 0 { t = s.vulnerable < 20 && s.vulnerable % 4 < 2 ? 3 : 2 } else { t = 1 }
      canvas.drawSprite(tex[t], x: e.x, y: e.y, rx: 0.5, ry: 0.5, view: view)
    }
    canvas.drawSprite(tex[0], x: s.agent.x, y: s.agent.y, rx: 0.5, ry: 0.5, view: view, mirrored: s.agent.mirrored)
  }

  public func encodeGrid(_ s: State, into out: UnsafeMutableBufferPointer<Float>) {
    let n = s.size
    Chaser.kinds.encode(s.tiles, width: n, height: n, into: out)
    for e in s.enemies { EntityRaster.mark(e, enemyKind(s, e), into: out, width: n, height: n) }
    EntityRaster.mark(s.agent, Chaser.agentKind, into: out, width: n, height: n)
  }

  public func drawGlyphs(_ s: State, into g: inout GlyphGrid) {
    Chaser.kinds.drawGlyphs(s.tiles, into: &g)
    for e in s.enemies {
      let c = e.cell, k = enemyKind(s, e)
      g.setWorld(c.x, c.y, k.glyph, k.colour)
    }
    let a = s.agent.cell
    g.setWorld(a.x, a.y, Chaser.agentKind.glyph, Chaser.agentKind.colour)
  }

  /// An egg, an enemy, or an edible enemy.
  func enemyKind(_ s: State, _ e: Entity) -> ArcadeCore.Kind {
    e.kind == Kind.egg.rawValue ? Chaser.eggKind : s.vulnerable > 0 ? Chaser.enemyKinds.edible : Chaser.enemyKinds.normal
  }

  // MARK: - Saving

  public func encode(_ s: State, into w: inout ByteWriter) {
    w.int(s.size); w.u8s(s.tiles); w.entity(s.agent); w.entities(s.enemies)
    w.int(s.orbsLeft); w.int(s.vulnerable); w.int(s.theme)
  }

  public func decode(from r: inout ByteReader) throws -> State {
    let (n, tiles) = try r.squareWorld("maze size", side: worldSide, max: Tile.power)
    // Chaser's actors stay strictly inside the maze.
    let bounds = EntityBounds(width: n, height: n, margin: 0, maxSpeed: 1)
    let agent = try r.entity("agent", kinds: 1, bounds: bounds)
    let enemies = try r.entities("enemies", capacity: Chaser.maxEnemies, kinds: 2, bounds: bounds)
    let orbs = try r.int("orbs left", in: 0...(n * n))
    let vul = try r.int("vulnerable", in: 0...Chaser.vulnerableSteps)
    let theme = try r.int("theme", in: 0...(Chaser.themes.count - 1))
    let inside = { (e: Entity) in e.x > 0 && e.y > 0 && e.x < Float(n) && e.y < Float(n) }
    guard inside(agent) else { throw r.invalid("agent", "is on the maze border") }
    if let i = enemies.firstIndex(where: { !inside($0) }) { throw r.invalid("enemies \(i)", "is on the maze border") }
    guard orbs == tiles.filter({ $0 == Tile.orb }).count else { throw r.invalid("orbs left", "\(orbs) does not match the maze") }
    return State(size: n, tiles: tiles, agent: agent, enemies: enemies, orbsLeft: orbs, vulnerable: vul, theme: theme)
  }

  // MARK: - Level files

  public func levelMap(_ s: State) -> LevelMap? {
    Chaser.kinds.levelMap(s.tiles, side: s.size, theme: s.theme, marks: s.enemies.map { ($0.cell, "E") } + [(s.agent.cell, "A")])
  }

  public func load(map: LevelMap, rng: inout PCG32) throws(LevelProblems) -> State {
    let n = worldSide
    let (reader, tiles, agent, eggs) = try readSquare(map, fill: Tile.wall) { reader, tiles in
      let eggs = reader.several("E", "enemy egg", "enemy eggs", max: Chaser.maxEnemies)
      if !tiles.contains(Tile.orb) { reader.add(LevelProblem("the map has no small orb ('.')")) }
      return eggs
    }
    let dist = GridSearch.distances(width: n, height: n, from: agent.y * n + agent.x) { tiles[$0] != Tile.wall }
    var problems: [LevelProblem] = []
    for i in 0..<(n * n) where (tiles[i] == Tile.orb || tiles[i] == Tile.power) && dist[i] < 0 {
      problems.append(reader.problem(at: (i % n, i / n), "this orb cannot be reached from the agent start"))
    }
    if !problems.isEmpty { throw LevelProblems(problems) }
    return makeState(size: n, tiles: tiles, agent: agent, eggs: eggs, theme: map.theme)
  }
}
