import ArcadeCore

/// starpilot: a side-scrolling shooter. Enemies fly in from the right on a
/// schedule drawn at reset; shoot them (+1 each), dodge them and their
/// bullets, and after step 500 touch the finish line scrolling in (+10)
/// (ProcGen's starpilot).
public struct StarPilot: Game {
  public enum Kind: UInt8 {
    case shot = 0, flyer, fastFlyer, turret, meteor, cloud, enemyShot, finish
  }

  public struct State: Sendable, Equatable {
    public var player: Entity
    /// Enemies, meteors, clouds and the finish line, in spawn order.
    public var objects: EntityList
    public var shots: EntityList
    public var enemyShots: EntityList
    /// Spawns still to come, in time order; `timer` = the step they enter.
    public var schedule: EntityList
    public var time: Int
    public var theme: Int
  }

  public static let descriptor = GameDescriptor(
    name: "starpilot",
    summary: "Side-scrolling shooter: destroy enemies, dodge bullets and meteors, reach the finish after step 500.",
    modes: [.easy, .hard, .extreme],
    meaningfulActions: Array(0...10),
    actionNames: ["left+down", "left", "left+up", "down", "no-op", "up", "right+down", "right", "right+up",
                  "fire right", "fire left", "fire right", "fire right", "fire right", "fire right"],
    gridChannels: ["agent", "enemy", "meteor", "enemy bullet", "agent bullet", "cloud", "finish"],
    legend: [],
    glyphLegend: [("@", "your ship"), ("-", "your shot"), ("<", "enemy flyer, pointing where it flies"), (">", "enemy flyer, pointing where it flies"), ("«", "fast flyer"), ("T", "turret"), ("O", "meteor: cannot be destroyed"), ("*", "enemy bullet"), ("~", "cloud: hides what is behind it"), ("|", "finish line (+10, after step 500)")],
    scoreRange: [.easy: (2.5, 64), .hard: (1.5, 35)]
  )

  static let side = 16
  static let finishTime = 500
  static let scroll: Float = 0.1
  static let maxObjects = 64, maxShots = 32, maxEnemyShots = 48, maxSchedule = 256

  public let options: GameOptions
  let easy: Bool, extreme: Bool

  public init(options: GameOptions) {
    self.options = options
    easy = options.mode == .easy
    extreme = options.mode == .extreme
  }

  public var gridSize: (height: Int, width: Int) { (StarPilot.side, StarPilot.side) }

  var playerSpeed: Float { extreme ? 0.5 : 0.75 }
  var enemyShotSpeed: Float { easy ? 0.2 : 0.3 }
  var enemyShotRadius: Float { extreme ? 0.1 : 0.2 }

  func health(_ k: Kind) -> Int32 {
    let base: Int32
    switch k {
    case .flyer: base = 2
    case .fastFlyer: base = 1
    case .turret: base = 5
    case .meteor: return 500
    default: return 1
    }
    return extreme ? base * 2 : base
  }

  func speed(_ k: Kind) -> Float {
    switch k {
    case .flyer: return easy ? 0.1 : 0.15
    case .fastFlyer: return 0.3
    case .meteor: return 0.12
    default: return StarPilot.scroll
    }
  }

  // MARK: - Generation

  public func generate(levelSeed: UInt32, rng: inout PCG32) -> State {
    let theme = rng.below(StarPilot.themes.count)
    let w = Float(StarPilot.side)
    var schedule = EntityList(capacity: StarPilot.maxSchedule)
    var t = rng.int(10, 31)
    while t < StarPilot.finishTime {
      // Weights: flyer 3, every other type 1 (easy: flyers only).
      let kinds: [Kind] = easy ? [.flyer] : [.flyer, .flyer, .flyer, .fastFlyer, .turret, .meteor, .cloud]
      let kind = kinds[rng.below(kinds.count)]
      let fromLeft = !easy && (kind == .flyer || kind == .fastFlyer) && rng.below(10) == 0
      let count = kind == .flyer ? rng.int(1, 6) : 1
      var rx: Float = 0.6, ry: Float = 0.4
      switch kind {
      case .fastFlyer: rx = 0.5; ry = 0.3
      case .turret: rx = 0.7; ry = 0.7
      case .meteor: rx = rng.float(0.6, 1.2); ry = rx
      case .cloud: rx = rng.float(1.5, 2.5); ry = rng.float(0.8, 1.2)
      default: break
      }
      let y = rng.float(ry + 0.5, w - ry - 0.5)
      let v = speed(kind)
      let vy: Float = kind == .flyer && rng.below(3) == 0 ? (rng.coin() ? 0.04 : -0.04) : 0
      for k in 0..<count {
        let delay = Float(rng.int(8, 40))
        let e = Entity(x: fromLeft ? -rx : w + rx, y: y, rx: rx, ry: ry, vx: fromLeft ? v : -v, vy: vy,
                       kind: kind.rawValue, look: UInt8(rng.below(2)), mirrored: fromLeft, health: health(kind),
                       timer: Int32(t + 5 * k), a: delay)
        schedule.append(e)
      }
      t += rng.int(10, 31)
    }
    // Group members are spaced in time; keep the schedule sorted (stable).
    var items = Array(schedule)
    items = items.enumerated().sorted { ($0.element.timer, $0.offset) < ($1.element.timer, $1.offset) }.map(\.element)
    schedule.removeAll()
    for e in items { schedule.append(e) }
    let player = Entity(x: 2, y: w / 2, rx: 0.5, ry: 0.35)
    return State(player: player, objects: EntityList(capacity: StarPilot.maxObjects),
                 shots: EntityList(capacity: StarPilot.maxShots), enemyShots: EntityList(capacity: StarPilot.maxEnemyShots),
                 schedule: schedule, time: 0, theme: theme)
  }

  // MARK: - Dynamics

  func aimedShot(from e: Entity, at p: Entity) -> Entity {
    let dx = p.x - e.x, dy = p.y - e.y
    let d = max(0.001, (dx * dx + dy * dy).squareRoot())
    let v = enemyShotSpeed
    return Entity(x: e.x, y: e.y, r: enemyShotRadius, vx: dx / d * v, vy: dy / d * v, kind: Kind.enemyShot.rawValue)
  }

  public func step(_ s: inout State, action: Action, rng: inout PCG32) -> StepEvents {
    let w = Float(StarPilot.side)
    s.time += 1
    s.player.steerInside(dx: action.dx, dy: action.dy, maxSpeed: playerSpeed, width: StarPilot.side, height: StarPilot.side)
    if action.special != 0 {
      let left = action.special == 2
      s.player.mirrored = left
      s.shots.append(Entity(x: s.player.x + (left ? -0.5 : 0.5), y: s.player.y, rx: 0.3, ry: extreme ? 0.06 : 0.12,
                            vx: left ? -1 : 1, kind: Kind.shot.rawValue, mirrored: left, life: 20))
    }
    // Spawns due now.
    var due = 0
    while due < s.schedule.count && Int(s.schedule[due].timer) <= s.time {
      var e = s.schedule[due]
      e.timer = 0
      s.objects.append(e)
      due += 1
    }
    let now = s.time
    if due > 0 { s.schedule.removeAll { Int($0.timer) <= now } }
    if s.time == StarPilot.finishTime {
      s.objects.append(Entity(x: w + 0.5, y: w / 2, rx: 0.5, ry: w / 2, vx: -StarPilot.scroll, kind: Kind.finish.rawValue))
    }
    // Movement and enemy fire.
    for i in s.objects.indices {
      s.objects[i].integrate()
      s.objects[i].timer += 1
      let e = s.objects[i]
      let k = Kind(rawValue: e.kind)!
      let fires = ((k == .flyer || k == .fastFlyer) && Float(e.timer) == e.a) || (k == .turret && e.timer % 20 == 10)
      if fires && e.x < w && e.x > 0 { s.enemyShots.append(aimedShot(from: e, at: s.player)) }
    }
    s.objects.removeAll { $0.kind != Kind.finish.rawValue && (($0.vx < 0 && $0.x + $0.rx < -1) || ($0.vx > 0 && $0.x - $0.rx > w + 1)) }
    for i in s.shots.indices { s.shots[i].integrate() }
    s.shots.age()
    s.shots.removeAll { $0.isOutside(width: w, height: w) }
    for i in s.enemyShots.indices { s.enemyShots[i].integrate() }
    s.enemyShots.removeAll { $0.isOutside(width: w, height: w) }
    // Shots against enemies (clouds and the finish line let them through).
    var reward: Float = 0
    var si = s.shots.count - 1
    while si >= 0 {
      let b = s.shots[si]
      if let oi = s.objects.firstIndex(where: { $0.kind >= Kind.flyer.rawValue && $0.kind <= Kind.meteor.rawValue && $0.overlaps(b) }) {
        s.objects[oi].health -= 1
        if s.objects[oi].health <= 0 {
          s.objects.remove(at: oi)
          reward += 1
        }
        s.shots.remove(at: si)
      }
      si -= 1
    }
    // The player against everything.
    for b in s.enemyShots where b.overlaps(s.player) { return StepEvents(reward: reward, outcome: .died, cause: "Hit by an enemy bullet") }
    for e in s.objects where e.overlaps(s.player) {
      switch Kind(rawValue: e.kind)! {
      case .finish: return StepEvents(reward: reward + 10, outcome: .won)
      case .cloud: continue
      default: return StepEvents(reward: reward, outcome: .died, cause: "Collided with an enemy or a meteor")
      }
    }
    _ = rng
    return StepEvents(reward: reward)
  }

  // MARK: - Observations

  static let themes: [Palette] = [
    ["k": RGB(hex: 0x05051a), "s": RGB(hex: 0xb0b0c8), "d": RGB(hex: 0x50508a), "n": RGB(hex: 0x1a1040)],
    ["k": RGB(hex: 0x140514), "s": RGB(hex: 0xffe0b2), "d": RGB(hex: 0xa86a8e), "n": RGB(hex: 0x3a1030)],
    ["k": RGB(hex: 0x021410), "s": RGB(hex: 0xb2ffec), "d": RGB(hex: 0x4f8f7a), "n": RGB(hex: 0x0a3028)],
  ]
  static let spaceArt = [
    ["kkkkkkkk", "kkkkkkkk", "kkkkkkkk", "kdkkkkkk", "kkkkkkkk", "kkkkkkkk", "kkkkkkkk", "kkkkkkkk"],
    ["kkkkkkkk", "kkkkkkkk", "kknnkkkk", "knnnnkkk", "kknnnkkk", "kkkkkkkk", "kkkkkkks", "kkkkkkkk"],
    ["kkkkkkkk", "kkkkkkkk", "kkkkkkkk", "kkkkkkkk", "kkkkkkkk", "kkkkkkkk", "kkkkkkkk", "kkkkkkkk"],
  ]
  static let backdrop = Backdrop(
    width: 2 * side, height: side, art: themes.map { p in spaceArt.map { Texture(art: $0, palette: p) } }, monoKind: 0
  ) { x, y in (x * 7 + y * 3) % 11 == 0 ? 1 : (x * 5 + y * 9) % 4 == 0 ? 0 : 2 }

  static let shipArt = ["bb......", "bbbb....", ".bbbwwb.", "rbbbbbbb", "rbbbbbbb", ".bbbbbb.", "bbbb....", "bb......"]
  static let flyerArt = ["....gggg", "..gggg..", ".gyggg..", "gggggggg", "gggggggg", ".gyggg..", "..gggg..", "....gggg"]
  static let fastArt = ["......oo", "....ooo.", "ooooooy.", "oooooooo", "ooooooy.", "....ooo.", "......oo", "........"]
  static let turretArt = ["..tttt..", ".tttttt.", "tttkkttt", "kkkkkttt", "kkkkkttt", "tttkkttt", ".tttttt.", "..tttt.."]
  static let meteorArt = ["..mmmm..", ".mmnmmm.", "mmmmmnmm", "mnmmmmmm", "mmmmmmmm", "mmmmnmmm", ".mmmmmm.", "..mmmm.."]
  static let cloudArt = ["...cccc.", ".cccccccc.", "cccccccccc", "cccccccccc", ".cccccccc.", "..cccccc.."]
  static let shotArt = ["yyyyyyyy"]
  static let enemyShotArt = [".rr.", "rrrr", "rrrr", ".rr."]
  static let finishArt = ["wk", "kw", "wk", "kw", "wk", "kw", "wk", "kw"]

  static let artPalette: Palette = [
    "b": RGB(hex: 0x90caf9), "w": RGB(hex: 0xe3f2fd), "r": RGB(hex: 0xff7043), "g": RGB(hex: 0x66bb6a),
    "y": RGB(hex: 0xffee58), "o": RGB(hex: 0xffa726), "t": RGB(hex: 0x9e9e9e), "k": RGB(hex: 0x424242),
    "m": RGB(hex: 0x8d6e63), "n": RGB(hex: 0x5d4037), "c": RGB(hex: 0xeceff1),
  ]
  /// Indexed by Kind; the player last.
  static let sprites: SpriteSet = {
    let arts = [shotArt, flyerArt, fastArt, turretArt, meteorArt, cloudArt, enemyShotArt, finishArt, shipArt]
    var tex = arts.map { Texture(art: $0, palette: artPalette) }
    tex[Int(Kind.enemyShot.rawValue)] = Texture(art: enemyShotArt, palette: ["r": RGB(hex: 0xff1744)])
    tex[Int(Kind.finish.rawValue)] = Texture(art: finishArt, palette: ["w": RGB(hex: 0xffffff), "k": RGB(hex: 0x000000)])
    return SpriteSet(tex, monoKind: 30)
  }()

  public func render(_ s: State, into canvas: inout Canvas) {
    let n = StarPilot.side
    // The background scrolls by one pixel (a quarter cell) every other step.
    let b = StarPilot.backdrop
    canvas.drawWrappedTiles(key: 0x57A9 &+ UInt64(options.monochrome ? 1000 : s.theme), b.tiles, width: b.width,
                            height: b.height, atlas: options.monochrome ? b.mono : b.atlases[s.theme], shift: s.time / 2)
    let view = Viewport.whole(width: n, height: n)
    let tex = StarPilot.sprites.pick(options.monochrome)
    for e in s.objects where e.kind != Kind.cloud.rawValue { canvas.drawEntity(tex[Int(e.kind)], e, view: view) }
    for e in s.shots { canvas.drawEntity(tex[0], e, view: view) }
    for e in s.enemyShots { canvas.drawEntity(tex[Int(Kind.enemyShot.rawValue)], e, view: view) }
    canvas.drawEntity(tex[8], s.player, view: view)
    for e in s.objects where e.kind == Kind.cloud.rawValue { canvas.drawEntity(tex[Int(e.kind)], e, view: view) }
  }

  static let channel: [Int] = [4, 1, 1, 1, 2, 5, 3, 6]

  public func encodeGrid(_ s: State, into out: UnsafeMutableBufferPointer<Float>) {
    let n = StarPilot.side
    for e in s.objects { EntityRaster.mark(e, channel: StarPilot.channel[Int(e.kind)], into: out, width: n, height: n) }
    for e in s.shots { EntityRaster.mark(e, channel: 4, into: out, width: n, height: n) }
    for e in s.enemyShots { EntityRaster.mark(e, channel: 3, into: out, width: n, height: n) }
    EntityRaster.mark(s.player, channel: 0, into: out, width: n, height: n)
  }

  static let glyphOf: [(Character, GlyphGrid.Colour)] = [
    ("-", .yellow), ("<", .green), ("«", .yellow), ("T", .grey), ("O", .magenta), ("~", .white), ("*", .red),
    ("|", .white),
  ]

  public func drawGlyphs(_ s: State, into g: inout GlyphGrid) {
    for y in 0..<g.height { for x in 0..<g.width { g.set(x, y, " ") } }
    for e in s.objects where e.kind != Kind.cloud.rawValue {
      var (c, col) = StarPilot.glyphOf[Int(e.kind)]
      if e.vx > 0 && c == "<" { c = ">" }
      EntityRaster.glyph(e, c, col, into: &g)
    }
    for e in s.shots { EntityRaster.glyph(e, "-", .yellow, into: &g) }
    for e in s.enemyShots { EntityRaster.glyph(e, "*", .red, into: &g) }
    EntityRaster.glyph(s.player, "@", .cyan, into: &g)
    for e in s.objects where e.kind == Kind.cloud.rawValue { EntityRaster.glyph(e, "~", .white, into: &g) }
  }

  // MARK: - Saving

  public func encode(_ s: State, into w: inout ByteWriter) {
    w.entity(s.player); w.entities(s.objects); w.entities(s.shots); w.entities(s.enemyShots); w.entities(s.schedule)
    w.int(s.time); w.int(s.theme)
  }

  public func decode(from r: inout ByteReader) throws -> State {
    // The finish line is as tall as the screen.
    let bounds = EntityBounds(width: StarPilot.side, height: StarPilot.side, margin: 4, maxSize: 8, maxSpeed: 2)
    let p = try r.entity("player", kinds: 1, bounds: bounds)
    let objects = try r.entities("objects", capacity: StarPilot.maxObjects, kinds: 8, bounds: bounds)
    let shots = try r.entities("shots", capacity: StarPilot.maxShots, kinds: 8, bounds: bounds)
    let enemyShots = try r.entities("enemy shots", capacity: StarPilot.maxEnemyShots, kinds: 8, bounds: bounds)
    let schedule = try r.entities("schedule", capacity: StarPilot.maxSchedule, kinds: 8, bounds: bounds)
    let time = try r.int("time", in: 0...100_000), theme = try r.int("theme", in: 0...(StarPilot.themes.count - 1))
    func kinds(_ list: EntityList, _ what: String, _ ok: (UInt8) -> Bool) throws {
      if let i = list.firstIndex(where: { !ok($0.kind) }) { throw r.invalid("\(what) \(i) kind", "\(list[i].kind) does not belong there") }
    }
    try kinds(objects, "objects") { $0 >= Kind.flyer.rawValue && $0 != Kind.enemyShot.rawValue }
    try kinds(shots, "shots") { $0 == Kind.shot.rawValue }
    try kinds(enemyShots, "enemy shots") { $0 == Kind.enemyShot.rawValue }
    try kinds(schedule, "schedule") { $0 >= Kind.flyer.rawValue && $0 <= Kind.cloud.rawValue }
    return State(player: p, objects: objects, shots: shots, enemyShots: enemyShots, schedule: schedule, time: time, theme: theme)
  }

  // MARK: - Level files

  public func levelMap(_ s: State) -> LevelMap? { nil }
  public func load(map: LevelMap, rng: inout PCG32) throws(LevelProblems) -> State {
    throw NoLevels.problems("starpilot")
  }
}
