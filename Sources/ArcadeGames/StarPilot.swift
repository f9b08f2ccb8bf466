import ArcadeCore
import Foundation

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
    kinds: kinds,
    scoreRange: [.easy: (2.5, 64), .hard: (1.5, 35)]
  )

  static let side = 16
  static let finishTime = 500
  static let maxObjects = 64, maxShots = 32, maxEnemyShots = 48, maxSchedule = 256

  public let options: GameOptions
  let easy: Bool, extreme: Bool

  public init(options: GameOptions) {
    self.options = options
    easy = options.mode == .easy
    extreme = options.mode == .extreme
  }

  var playerSpeed: Float { extreme ? 0.5 : 0.75 }

  /// ProcGen's per-type health (`init_hps`).
  func health(_ k: Kind) -> Int32 {
    switch k {
    case .flyer: return extreme ? 5 : 2
    case .fastFlyer: return extreme ? 2 : 1
    case .turret: return extreme ? 10 : 5
    case .meteor: return 500
    default: return 1
    }
  }

  /// ProcGen's per-type speeds in cells per step (its `hp_vs` × `V_SCALE` 0.4):
  /// flyers 0.3 in easy, 0.4 otherwise, fast flyers 0.6, turrets, meteors,
  /// clouds and the finish line 0.2, the ship's shots 0.8, enemy bullets 0.5 in
  /// easy, 0.8 otherwise.
  func speed(_ k: Kind) -> Float {
    switch k {
    case .flyer: return easy ? 0.3 : 0.4
    case .fastFlyer: return 0.6
    case .turret, .meteor, .cloud, .finish: return 0.2
    case .shot: return 0.8
    case .enemyShot: return easy ? 0.5 : 0.8
    }
  }

  /// Half-size of each type's (square) box: flyers 0.5, turrets, meteors and
  /// clouds 2, bullets 0.4 (0.2 in extreme), as ProcGen's.
  func radius(_ k: Kind) -> Float {
    switch k {
    case .flyer, .fastFlyer: return 0.5
    case .turret, .meteor, .cloud: return 2
    case .shot, .enemyShot: return extreme ? 0.2 : 0.4
    case .finish: return 2
    }
  }

  static let playerHalf: Float = 0.4

  // MARK: - Generation

  /// ProcGen's schedule: from step 11–40 on, every 10–29 steps a type drawn by
  /// weight (flyer 3, every other type 1; easy: flyers only) enters at a random
  /// height; flyers and fast flyers come in groups of 1–5, 5 steps apart, half
  /// of them at an angle of up to 45°, and (not in easy) 10 % from the left.
  /// Each flyer fires once, 10–99 steps after it enters; turrets every 20–29
  /// steps. The ship starts anywhere on the screen.
  public func generate(levelSeed: UInt32, rng: inout PCG32) -> State {
    let theme = rng.below(StarPilot.themes.count)
    let w = Float(StarPilot.side)
    let ph = StarPilot.playerHalf
    let player = Entity(x: rng.float(ph, w - ph), y: rng.float(ph, w - ph), r: ph)
    var schedule = EntityList(capacity: StarPilot.maxSchedule)
    let kinds: [Kind] = easy ? [.flyer] : [.flyer, .flyer, .flyer, .fastFlyer, .turret, .meteor, .cloud]
    var t = 1 + rng.int(10, 30)
    while t <= StarPilot.finishTime {
      let kind = kinds[rng.below(kinds.count)]
      let flyer = kind == .flyer || kind == .fastFlyer
      let count = flyer ? rng.int(1, 6) : 1
      let r = radius(kind)
      let look = UInt8(rng.below(2))
      let y = rng.float(r, w - r)
      for k in 0..<count {
        var fire = Float(rng.int(10, 100))
        var theta = rng.float(-Float.pi / 4, Float.pi / 4)
        if rng.coin() { theta = 0 }
        switch kind {
        case .meteor, .cloud: theta = 0; fire = -1
        case .turret: theta = 0; fire = Float(rng.int(20, 30))
        default: break
        }
        let v = speed(kind)
        let fromLeft = flyer && !easy && rng.below(10) == 0
        let vx = -Float(cos(Double(theta))) * v, vy = Float(sin(Double(theta))) * v
        let e = Entity(x: fromLeft ? -r : w + r, y: y, rx: r, ry: r, vx: fromLeft ? -vx : vx, vy: vy,
                       kind: kind.rawValue, look: look, mirrored: fromLeft, health: health(kind),
                       timer: Int32(t + 5 * k), a: fire)
        schedule.append(e)
      }
      t += rng.int(10, 30)
    }
    // Group members are spaced in time; keep the schedule sorted (stable).
    var items = Array(schedule)
    items = items.enumerated().sorted { ($0.element.timer, $0.offset) < ($1.element.timer, $1.offset) }.map(\.element)
    schedule.removeAll()
    for e in items { schedule.append(e) }
    return State(player: player, objects: EntityList(capacity: StarPilot.maxObjects),
                 shots: EntityList(capacity: StarPilot.maxShots), enemyShots: EntityList(capacity: StarPilot.maxEnemyShots),
                 schedule: schedule, time: 0, theme: theme)
  }

  // MARK: - Dynamics

  func aimedShot(from e: Entity, at p: Entity) -> Entity {
    let dx = p.x - e.x, dy = p.y - e.y
    let d = max(0.001, (dx * dx + dy * dy).squareRoot())
    let v = speed(.enemyShot)
    return Entity(x: e.x, y: e.y, r: radius(.enemyShot), vx: dx / d * v, vy: dy / d * v, kind: Kind.enemyShot.rawValue)
  }

  /// One step in ProcGen's order: everything moves, then collisions, then
  /// enemy fire and kills, then the spawns due, then the ship's shot.
  public func step(_ s: inout State, action: Action, rng: inout PCG32) -> StepEvents {
    let w = Float(StarPilot.side)
    s.time += 1
    s.player.steerInside(dx: action.dx, dy: action.dy, maxSpeed: playerSpeed, width: StarPilot.side, height: StarPilot.side)
    for i in s.objects.indices {
      s.objects[i].integrate()
      s.objects[i].timer += 1
    }
    for i in s.shots.indices { s.shots[i].integrate() }
    for i in s.enemyShots.indices { s.enemyShots[i].integrate() }
    // Shots against enemies and meteors (clouds and the finish line let them through).
    var si = s.shots.count - 1
    while si >= 0 {
      let b = s.shots[si]
      if let oi = s.objects.firstIndex(where: { $0.kind >= Kind.flyer.rawValue && $0.kind <= Kind.meteor.rawValue && $0.overlaps(b) }) {
        s.objects[oi].health -= 1
        s.shots.remove(at: si)
      }
      si -= 1
    }
    var reward: Float = 0
    s.objects.removeAll { e in
      guard e.health <= 0 else { return false }
      reward += 1
      return true
    }
    // The ship against everything.
    for b in s.enemyShots where b.overlaps(s.player) { return StepEvents(reward: reward, outcome: .died, cause: "Hit by an enemy bullet") }
    for e in s.objects where e.overlaps(s.player) {
      switch Kind(rawValue: e.kind)! {
      case .finish: return StepEvents(reward: reward + 10, outcome: .won)
      case .cloud: continue
      default: return StepEvents(reward: reward, outcome: .died, cause: "Collided with an enemy or a meteor")
      }
    }
    s.objects.removeAll { $0.isOutside(width: w, height: w) }
    s.shots.removeAll { $0.isOutside(width: w, height: w) }
    s.enemyShots.removeAll { $0.isOutside(width: w, height: w) }
    // Enemy fire: flyers once, `a` steps after entering; turrets every `a` steps.
    for e in s.objects {
      let k = Kind(rawValue: e.kind)!
      let fires = e.a > 0 && ((k == .flyer || k == .fastFlyer) && Float(e.timer) == e.a
                              || k == .turret && e.timer % Int32(e.a) == 0)
      if fires { s.enemyShots.append(aimedShot(from: e, at: s.player)) }
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
    if action.special != 0 {
      let left = action.special == 2
      let p = s.player
      s.player.mirrored = left
      s.shots.append(Entity(x: p.x + (left ? -p.rx : p.rx), y: p.y, rx: radius(.shot), ry: radius(.shot),
                            vx: left ? -speed(.shot) : speed(.shot), kind: Kind.shot.rawValue, mirrored: left))
    }
    if s.time == StarPilot.finishTime {
      let r = radius(.finish)
      s.objects.append(Entity(x: w + r, y: w / 2, rx: r, ry: w / 2, vx: -speed(.finish), kind: Kind.finish.rawValue))
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

  /// What the grid and glyph view show; a flyer points where it flies.
  static let kinds = KindTable(channels: ["agent", "enemy", "meteor", "enemy bullet", "agent bullet", "cloud", "finish"], [
    ArcadeCore.Kind(glyph: "@", .cyan, "your ship", channels: ["agent"]),
    ArcadeCore.Kind(glyph: "-", .yellow, "your shot", channels: ["agent bullet"]),
    ArcadeCore.Kind(glyph: "<", .green, "enemy flyer, pointing where it flies", channels: ["enemy"]),
    ArcadeCore.Kind(glyph: ">", .green, "enemy flyer, pointing where it flies", channels: ["enemy"]),
    ArcadeCore.Kind(glyph: "«", .yellow, "fast flyer", channels: ["enemy"]),
    ArcadeCore.Kind(glyph: "T", .grey, "turret", channels: ["enemy"]),
    ArcadeCore.Kind(glyph: "O", .magenta, "meteor: cannot be destroyed", channels: ["meteor"]),
    ArcadeCore.Kind(glyph: "*", .red, "enemy bullet", channels: ["enemy bullet"]),
    ArcadeCore.Kind(glyph: "~", .white, "cloud: hides what is behind it", channels: ["cloud"]),
    ArcadeCore.Kind(glyph: "|", .white, "finish line (+10, after step 500)", channels: ["finish"]),
    // The scrolling backdrop's three tiles, blank in the glyph view.
    ArcadeCore.Kind(tile: 0), ArcadeCore.Kind(tile: 1), ArcadeCore.Kind(tile: 2),
  ])
  /// Indexed by `Kind` (a flyer flying left); the player's, and a flyer flying right.
  static let kindOf = ["-", "<", "«", "T", "O", "~", "*", "|"].map { kinds[glyph: Character($0)] }
  static let playerKind = kinds[glyph: "@"], rightFlyerKind = kinds[glyph: ">"]

  /// Clouds last, over everything else.
  func shown(_ s: State, _ show: (Entity, ArcadeCore.Kind) -> Void) {
    for e in s.objects where e.kind != Kind.cloud.rawValue {
      show(e, e.kind == Kind.flyer.rawValue && e.vx > 0 ? StarPilot.rightFlyerKind : StarPilot.kindOf[Int(e.kind)])
    }
    for e in s.shots { show(e, StarPilot.kindOf[Int(Kind.shot.rawValue)]) }
    for e in s.enemyShots { show(e, StarPilot.kindOf[Int(Kind.enemyShot.rawValue)]) }
    show(s.player, StarPilot.playerKind)
    for e in s.objects where e.kind == Kind.cloud.rawValue { show(e, StarPilot.kindOf[Int(e.kind)]) }
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
}
