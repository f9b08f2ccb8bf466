import ArcadeCore

/// coinrun: a side-scrolling platformer; run right over pits, saws, lava and
/// walking enemies to the coin (ProcGen's coinrun).
public struct CoinRun: Game {
  public enum Tile {
    public static let empty: UInt8 = 0, ground: UInt8 = 1, crate: UInt8 = 2, lava: UInt8 = 3, saw: UInt8 = 4
    public static let coin: UInt8 = 5, barrier: UInt8 = 6
    static let count: UInt8 = 7
  }

  public struct State: Sendable, Equatable {
    public var tiles: [UInt8]          // width × height, y up
    public var agent: Entity
    public var enemies: EntityList     // walkers
    public var theme: Int
    /// Derived: tiles as drawn (ground surface, sky), and its hash for the render cache.
    var display: [UInt8]
    var tileKey: UInt64

    public static func == (a: State, b: State) -> Bool {
      a.tiles == b.tiles && a.agent == b.agent && a.enemies == b.enemies && a.theme == b.theme
    }
  }

  public static let descriptor = GameDescriptor(
    name: "coinrun",
    summary: "Platformer: run right past saws, lava and walkers to the coin.",
    modes: [.easy, .hard, .exploration],
    meaningfulActions: [1, 2, 3, 4, 5, 7, 8],
    actionNames: ["left", "left", "left+jump", "down (drop through crates)", "no-op", "jump", "right", "right",
                  "right+jump", "no-op", "no-op", "no-op", "no-op", "no-op", "no-op"],
    kinds: kinds,
    explorationSeed: 1_949_448_038,
    scoreRange: [.easy: (5, 10), .hard: (5, 10)],
    cameraChoice: true
  )

  static let width = 64, height = 64
  static let maxSpeed: Float = 0.5, groundMix: Float = 0.2, airMix: Float = 0.2 * 0.15
  static let gravity: Float = 0.2, maxFall: Float = 1.5, jumpSpeed: Float = 1.5
  static let walkerSpeed: Float = 0.15
  static let agentRX: Float = 0.4, agentRY: Float = 0.45, walkerR: Float = 0.4, sawR: Float = 0.45
  static let maxEnemies = 40  // a walker pit holds up to 7
  static let gridSide = 15
  static let reach = PlatformReach(jumpSpeed: jumpSpeed, gravity: gravity, maxFall: maxFall, runSpeed: maxSpeed,
                                   fraction: 0.75, riseMargin: 0.6, canDrop: true)

  public let options: GameOptions
  public init(options: GameOptions) { self.options = options }
  public var gridSize: (height: Int, width: Int) { (CoinRun.gridSide, CoinRun.gridSide) }

  // MARK: - Generation

  public func generate(levelSeed: UInt32, rng: inout PCG32) -> State {
    Redraw.untilSolvable(tries: 50, { generateOnce(&rng) }, solvable: CoinRun.solvable)!
  }

  /// ProcGen's level: difficulty 1…3 and one pit danger (lava, saws,
  /// walkers) per level in every mode; from x = 5 on the floor, sections
  /// raise or lower the ground; a wide section is usually a pit with
  /// ground of the new height on both sides, its danger over the whole pit
  /// floor (lava 1…h−3 rows deep) and a one-tile step in the middle; other
  /// sections carry a saw, a walker (not in easy) and crate piles; the coin
  /// sits right after the last section, then solid wall.
  func generateOnce(_ rng: inout PCG32) -> State {
    let W = CoinRun.width, H = CoinRun.height
    let easy = genMode == .easy
    var t = [UInt8](repeating: Tile.empty, count: W * H)
    func block(_ x0: Int, _ y0: Int, _ w: Int, _ h: Int, _ v: UInt8) {
      for y in max(0, y0)..<min(H, max(0, y0 + h)) { for x in max(0, x0)..<min(W, max(0, x0 + w)) { t[y * W + x] = v } }
    }
    func set(_ x: Int, _ y: Int, _ v: UInt8) { if x >= 0 && x < W && y >= 0 && y < H { t[y * W + x] = v } }
    func get(_ x: Int, _ y: Int) -> UInt8 { x >= 0 && x < W && y >= 0 && y < H ? t[y * W + x] : Tile.ground }
    block(0, 0, W, 1, Tile.ground); block(0, 0, 1, H, Tile.ground); block(W - 1, 0, 1, H, Tile.ground)
    var enemies = EntityList(capacity: CoinRun.maxEnemies)
    let d = 1 + rng.below(3)
    let sections = d + rng.below(d)
    let danger = rng.below(3)       // 0 lava, 1 saws, 2 walkers
    // The highest step and widest gap a full-speed jump clears, less half a cell.
    let maxDy = Int(CoinRun.jumpSpeed * CoinRun.jumpSpeed / (2 * CoinRun.gravity) - 0.5)
    let maxDx = Int(CoinRun.maxSpeed * 2 * CoinRun.jumpSpeed / CoinRun.gravity - 0.5)
    var x = 5, y = 1
    for _ in 0..<sections {
      if x + 15 >= W { break }
      var dy = min(rng.below(4) + 1 + d / 3, maxDy)
      if y >= 20 || (y >= 5 && rng.below(2) == 1) { dy = -dy }
      let dx = rng.below(2 * d) + 3 + d / 3
      y = max(1, y + dy)
      if dx > 7 && y > 3 && rng.below(20) >= d {
        let x1 = 1 + rng.below(3)
        var x2 = 1 + rng.below(3), pit = dx - x1 - x2
        if pit > maxDx { pit = maxDx; x2 = dx - x1 - pit }
        block(x, 0, x1, y, Tile.ground)
        block(x + dx - x2, 0, x2, y, Tile.ground)
        let lavaHeight = 1 + rng.below(y - 3)
        switch danger {
        case 0: block(x + x1, 1, pit, lavaHeight, Tile.lava)
        case 1: for i in 0..<pit { set(x + x1 + i, 1, Tile.saw) }
        default: for i in 0..<pit { enemies.append(CoinRun.walker(x + x1 + i, 1, right: rng.coin())) }
        }
        if pit > 4 {
          let x3: Int, w1: Int
          switch pit {
          case 5: x3 = 1 + rng.below(2); w1 = 1 + rng.below(2)
          case 6: x3 = 2 + rng.below(2); w1 = 1 + rng.below(2)
          default: x3 = 2 + rng.below(2); w1 = pit - x3 - (2 + rng.below(2))
          }
          block(x + x1 + x3, y - 1, w1, 1, Tile.ground)
        }
      } else {
        block(x, 0, dx, y, Tile.ground)
        var saw = -1, walker = -1
        if rng.below(10) < 2 * d && dx > 3 {
          saw = x + rng.below(dx - 2) + 1
          set(saw, y, Tile.saw)
        }
        if rng.below(10) < d && dx > 3 && !easy {
          walker = x + rng.below(dx - 2) + 1
          if walker != saw { enemies.append(CoinRun.walker(walker, y, right: rng.coin())) }
        }
        for _ in 0..<2 {
          let cx = x + rng.below(dx - 2) + 1
          if rng.below(2) == 1 && cx != saw && cx != walker {
            let pile = 1 + rng.below(3)
            for k in 0..<pile where get(cx, y + k) == Tile.empty { set(cx, y + k, Tile.crate) }
          }
        }
      }
      // Barriers at the section edges turn walkers around.
      if get(x - 1, y) == Tile.empty { set(x - 1, y, Tile.barrier) }
      x += dx
      if get(x, y) == Tile.empty { set(x, y, Tile.barrier) }
    }
    block(x, 0, 1, y, Tile.ground)
    set(x, y, Tile.coin)
    block(x + 1, 0, W - x - 1, H, Tile.ground)
    let theme = easy ? 0 : rng.below(CoinRun.themes.count)
    let agent = CoinRun.agentAt(1, startHeight(t))
    return CoinRun.make(tiles: t, agent: agent, enemies: enemies.inMapOrder(), theme: theme)
  }

  func startHeight(_ t: [UInt8]) -> Int {
    var y = 0
    while y < CoinRun.height && t[y * CoinRun.width + 1] == Tile.ground { y += 1 }
    return y
  }

  static func agentAt(_ x: Int, _ y: Int) -> Entity {
    Entity(x: Float(x) + 0.5, y: Float(y) + agentRY, rx: agentRX, ry: agentRY)
  }

  static func walker(_ x: Int, _ y: Int, right: Bool) -> Entity {
    Entity(x: Float(x) + 0.5, y: Float(y) + walkerR, rx: walkerR, ry: walkerR, vx: right ? walkerSpeed : -walkerSpeed,
           mirrored: !right)
  }

  static func make(tiles: [UInt8], agent: Entity, enemies: EntityList, theme: Int) -> State {
    let W = width, H = height
    var display = tiles
    for y in 0..<H {
      for x in 0..<W {
        let i = y * W + x
        switch tiles[i] {
        case Tile.ground: display[i] = y + 1 < H && tiles[i + W] != Tile.ground ? surface : Tile.ground
        case Tile.barrier: display[i] = Tile.empty
        default: break
        }
      }
    }
    let key = fnv1a64([UInt8(theme)], seed: fnv1a64(tiles))
    return State(tiles: tiles, agent: agent, enemies: enemies, theme: theme, display: display, tileKey: key)
  }

  /// The reachability check below, for `levels stats` and the tests.
  public func solvability(_ s: State) -> Bool? { CoinRun.solvable(s) }

  /// The reachability model of `PlatformReach` over the level: the coin must
  /// be reachable from the agent's start (walkers on solid ground are ignored,
  /// as in ProcGen; walkers on pit floors make the floor a hazard).
  static func solvable(_ s: State) -> Bool {
    let W = width, H = height
    var hazard = [Bool](repeating: false, count: W * H)
    for e in s.enemies where e.cell.y <= 1 {
      let c = e.cell
      // The walker's whole run along its row is dangerous for standing.
      var x = c.x
      while x >= 0 && s.tiles[c.y * W + x] != Tile.ground && s.tiles[c.y * W + x] != Tile.barrier { hazard[c.y * W + x] = true; x -= 1 }
      x = c.x
      while x < W && s.tiles[c.y * W + x] != Tile.ground && s.tiles[c.y * W + x] != Tile.barrier { hazard[c.y * W + x] = true; x += 1 }
    }
    var goal = -1
    for i in 0..<(W * H) where s.tiles[i] == Tile.coin { goal = i }
    guard goal >= 0 else { return false }
    let a = s.agent.cell
    let seen = reach.reachable(width: W, height: H, start: (a.x, a.y)) { x, y in
      let i = y * W + x
      switch s.tiles[i] {
      case Tile.ground: return .solid
      case Tile.crate: return .platform
      case Tile.lava, Tile.saw: return .hazard
      default: return hazard[i] ? .hazard : .open
      }
    }
    return seen[goal]
  }

  // MARK: - Dynamics

  @inline(__always) static func tile(_ t: [UInt8], _ x: Int, _ y: Int) -> UInt8 {
    x < 0 || x >= width || y < 0 ? Tile.ground : y >= height ? Tile.empty : t[y * width + x]
  }

  @inline(__always) static func cell(_ t: [UInt8], _ x: Int, _ y: Int) -> Platformer.Cell {
    switch tile(t, x, y) {
    case Tile.ground: return .solid
    case Tile.crate: return .platform
    default: return .open
    }
  }

  public func step(_ s: inout State, action: Action, rng: inout PCG32) -> StepEvents {
    let t = s.tiles
    var b = s.agent.box
    let supported = Platformer.isSupported(b) { CoinRun.cell(t, $0, $1) }
    let mix = supported ? CoinRun.groundMix : CoinRun.airMix
    Platformer.run(&b, dx: action.dx, maxSpeed: CoinRun.maxSpeed, mix: mix)
    // ProcGen stops a drift slower than one step's push, so random presses do not creep.
    if abs(b.vx) < mix * CoinRun.maxSpeed { b.vx = 0 }
    if action.dy > 0 && supported { b.vy = CoinRun.jumpSpeed }
    let drop = action.dy < 0 && supported && Platformer.isOnPlatformOnly(b) { CoinRun.cell(t, $0, $1) }
    Platformer.move(&b, dropThrough: drop) { CoinRun.cell(t, $0, $1) }
    Platformer.fall(&b, gravity: CoinRun.gravity, maxFall: CoinRun.maxFall)
    s.agent.box = b
    if action.dx != 0 { s.agent.mirrored = action.dx < 0 }

    // Walkers turn at walls, barriers and ledges.
    for i in s.enemies.indices {
      var e = s.enemies[i]
      let dir: Float = e.vx > 0 ? 1 : -1
      let ahead = Int((e.x + e.vx + dir * e.rx).rounded(.down))
      let row = Int((e.y - e.ry + 0.01).rounded(.down))
      let front = CoinRun.tile(t, ahead, row), below = CoinRun.tile(t, ahead, row - 1)
      if front == Tile.ground || front == Tile.barrier || front == Tile.crate || (below != Tile.ground && below != Tile.crate) {
        e.vx = -e.vx
        e.mirrored = e.vx < 0
      } else {
        e.x += e.vx
      }
      s.enemies[i] = e
    }

    // Collisions: hazards under the agent's box, walkers, the coin.
    let a = s.agent
    let c = BoxMover.cells(x: a.x, y: a.y, rx: a.rx, ry: a.ry)
    var won = false
    for cy in c.y0...c.y1 {
      for cx in c.x0...c.x1 {
        switch CoinRun.tile(t, cx, cy) {
        case Tile.saw:
          if abs(a.x - (Float(cx) + 0.5)) < a.rx + CoinRun.sawR && abs(a.y - (Float(cy) + 0.5)) < a.ry + CoinRun.sawR {
            return StepEvents(outcome: .died, cause: "Cut by a saw")
          }
        case Tile.lava:
          if a.y - a.ry < Float(cy) + 0.7 { return StepEvents(outcome: .died, cause: "Fell into the lava") }
        case Tile.coin: won = true
        default: break
        }
      }
    }
    for e in s.enemies where e.overlaps(a, margin: -0.1) { return StepEvents(outcome: .died, cause: "Caught by a walker") }
    if a.y + a.ry < 0 { return StepEvents(outcome: .died, cause: "Fell out of the level") }
    _ = rng
    return won ? StepEvents(reward: 10, outcome: .won) : StepEvents()
  }

  // MARK: - Saving

  public func encode(_ s: State, into w: inout ByteWriter) {
    w.u8s(s.tiles); w.entity(s.agent); w.entities(s.enemies); w.int(s.theme)
  }

  public func decode(from r: inout ByteReader) throws -> State {
    let tiles = try r.u8s("tiles", count: CoinRun.width * CoinRun.height, max: Tile.count - 1)
    let bounds = EntityBounds(width: CoinRun.width, height: CoinRun.height, margin: 4, maxSpeed: 2)
    let agent = try r.entity("agent", kinds: 1, bounds: bounds)
    let enemies = try r.entities("enemies", capacity: CoinRun.maxEnemies, kinds: 1, bounds: bounds)
    let theme = try r.int("theme", in: 0...(CoinRun.themes.count - 1))
    return CoinRun.make(tiles: tiles, agent: agent, enemies: enemies, theme: theme)
  }

  // MARK: - Level files

  public func levelMap(_ s: State) -> LevelMap? {
    var m = CoinRun.kinds.levelMap(s.tiles, width: CoinRun.width, height: CoinRun.height, theme: s.theme)
    for e in s.enemies { m.put(e.cell, e.vx > 0 ? "E" : "e") }
    m.put(s.agent.cell, "A")
    return m
  }

  public func load(map: LevelMap, rng: inout PCG32) throws(LevelProblems) -> State {
    var reader = MapReader(map: map, worldWidth: CoinRun.width, worldHeight: CoinRun.height, legend: CoinRun.descriptor.legend)
    // Cells outside a smaller map are ground.
    let tiles = CoinRun.kinds.tiles(reader, fill: Tile.ground)
    var enemies = EntityList(capacity: CoinRun.maxEnemies)
    var tooMany = false
    reader.forEach { x, y, c in
      if c == "E" || c == "e" { if !enemies.append(CoinRun.walker(x, y, right: c == "E")) { tooMany = true } }
    }
    if tooMany { reader.add(LevelProblem("more than \(CoinRun.maxEnemies) walkers")) }
    let a = reader.single("A", "agent start")
    _ = reader.single("G", "coin")
    let themes = options.mode == .easy ? 1 : CoinRun.themes.count
    reader.checkTheme(count: themes, game: "coinrun \(options.mode.rawValue)")
    try reader.finish()
    let s = CoinRun.make(tiles: tiles, agent: CoinRun.agentAt(a.x, a.y), enemies: enemies, theme: map.theme)
    if !CoinRun.solvable(s) {
      let g = reader.positions(of: "G").first ?? a
      throw LevelProblems([reader.problem(at: g, "the coin cannot be reached from the agent start (jumps rise at most \(CoinRun.reach.maxRise) rows)")])
    }
    return s
  }
}
