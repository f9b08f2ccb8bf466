import ArcadeCore
import Foundation

/// bossfight: a ship at the bottom of an arena fights a shielded boss over
/// several rounds. The shield drops after a few movement legs; every round's
/// worth of damage gives +1, the last +10 more (ProcGen's bossfight).
public struct BossFight: Game {
  public enum Kind: UInt8 { case shot = 0, deflected, bossShot, barrier, boss }

  public struct Boss: Sendable, Equatable {
    public var body: Entity           // centre and radius; health = remaining health
    public var fromX: Float, fromY: Float, toX: Float, toY: Float
    public var legStep: Int           // 0..<legSteps within the current glide
    public var legsLeft: Int          // legs before the shield drops
    public var shielded: Bool
    public var pattern: Int           // 0 fan, 1 rotating spray, 2 ring, 3 single shot
    public var attackTimer: Int
    public var spin: Int              // rotating-spray direction
    public var flash: Int             // steps of the round-complete flash left
  }

  public struct State: Sendable, Equatable {
    public var player: Entity
    public var boss: Boss
    public var shots: EntityList      // player bullets (and deflected ones)
    public var bossShots: EntityList
    public var barriers: EntityList
    public var roundHealth: Int
    public var cooldown: Int
    public var theme: Int
  }

  public static let descriptor = GameDescriptor(
    name: "bossfight",
    summary: "Dodge the boss's bullet patterns; shoot it while its shield is down, round after round.",
    modes: [.easy, .hard],
    defaultStepLimit: 4000,
    meaningfulActions: Array(0...9),
    actionNames: GameActions.eightWayFire("fire up"),
    kinds: kinds,
    scoreRange: [.easy: (0.5, 13), .hard: (0.5, 13)]
  )

  static let side = 20
  static let bossRadius: Float = 3
  static let legSteps = 20
  static let flashSteps = 40
  static let cooldownSteps = 3
  static let shipR: Float = 0.75, rockR: Float = 0.6, bulletR: Float = 0.5
  static let maxShots = 32, maxBossShots = 96, maxBarriers = 3
  /// Unit directions every 15 degrees (0 = right, counter-clockwise).
  static let dirs: [(Float, Float)] = (0..<24).map { k in
    let a = Double(k) * Double.pi / 12
    return (Float(cos(a)), Float(sin(a)))
  }

  public let options: GameOptions
  let bulletSpeed: Float
  let extraLegs: Int

  public init(options: GameOptions) {
    self.options = options
    bulletSpeed = options.mode == .easy ? 0.5 : 0.75
    extraLegs = options.mode == .easy ? 1 : 3
  }

  // MARK: - Generation

  public func generate(levelSeed: UInt32, rng: inout PCG32) -> State {
    let theme = rng.below(BossFight.themes.count)
    let w = Float(BossFight.side)
    let roundHealth = rng.int(1, 10), rounds = rng.int(1, 6)
    // ProcGen: the ship (half-size 0.75) at a random x on the bottom edge;
    // 1–3 rocks of half-size 0.6 between it and row 6, none overlapping.
    let player = Entity(x: rng.float(BossFight.shipR, w - BossFight.shipR), y: BossFight.shipR, r: BossFight.shipR)
    var barriers = EntityList(capacity: BossFight.maxBarriers)
    let r = BossFight.rockR, low = 2 * BossFight.shipR + r + 0.5
    for _ in 0..<rng.int(1, 4) {
      let y = rng.float(low, 6 - r), x = rng.float(r, w - r)
      let b = Entity(x: x, y: y, r: r, kind: Kind.barrier.rawValue, look: UInt8(rng.below(2)))
      if b.overlaps(player) || barriers.contains(where: { $0.overlaps(b) }) { continue }
      barriers.append(b)
    }
    var body = Entity(x: w / 2, y: w / 2, r: BossFight.bossRadius, kind: Kind.boss.rawValue)
    body.health = Int32(roundHealth * rounds)
    let boss = Boss(body: body, fromX: body.x, fromY: body.y, toX: body.x, toY: body.y, legStep: BossFight.legSteps,
                    legsLeft: 2 + rng.below(extraLegs + 1), shielded: true, pattern: rng.below(4), attackTimer: 0,
                    spin: 0, flash: 0)
    return State(player: player, boss: boss, shots: EntityList(capacity: BossFight.maxShots),
                 bossShots: EntityList(capacity: BossFight.maxBossShots), barriers: barriers,
                 roundHealth: roundHealth, cooldown: 0, theme: theme)
  }

  // MARK: - Dynamics

  func fire(_ s: inout State, dir k: Int) {
    let d = BossFight.dirs[(k % 24 + 24) % 24]
    let b = s.boss.body
    s.bossShots.append(Entity(x: b.x, y: b.y, r: BossFight.bulletR, vx: d.0 * bulletSpeed, vy: d.1 * bulletSpeed,
                              kind: Kind.bossShot.rawValue))
  }

  func moveBoss(_ s: inout State, rng: inout PCG32) {
    var b = s.boss
    if b.legStep >= BossFight.legSteps {
      // A new leg: somewhere in the upper part of the arena.
      b.fromX = b.body.x; b.fromY = b.body.y
      b.toX = rng.float(BossFight.bossRadius, Float(BossFight.side) - BossFight.bossRadius)
      b.toY = rng.float(BossFight.bossRadius + 6, Float(BossFight.side) - BossFight.bossRadius)
      b.legStep = 0
      if b.shielded && b.flash == 0 {
        b.legsLeft -= 1
        if b.legsLeft < 0 { b.shielded = false }
      }
    }
    b.legStep += 1
    let f = Float(b.legStep) / Float(BossFight.legSteps)
    b.body.x = b.fromX + (b.toX - b.fromX) * f
    b.body.y = b.fromY + (b.toY - b.fromY) * f
    s.boss = b
  }

  func attack(_ s: inout State, rng: inout PCG32) {
    if s.boss.flash > 0 { return }
    if !s.boss.shielded {
      if rng.below(10) == 0 { fire(&s, dir: rng.int(14, 23)) }
      return
    }
    s.boss.attackTimer += 1
    let t = s.boss.attackTimer
    switch s.boss.pattern {
    case 0: if t % 8 == 0 { for k in 16...20 { fire(&s, dir: k) } }
    case 1:
      if t % 5 == 0 {
        s.boss.spin = (s.boss.spin + 1) % 24
        for i in 0..<4 { fire(&s, dir: s.boss.spin + 6 * i) }
      }
    case 2: if t % 10 == 0 { for i in 0..<8 { fire(&s, dir: 3 * i) } }
    default: if t % 4 == 0 { fire(&s, dir: rng.int(14, 23)) }
    }
  }

  public func step(_ s: inout State, action: Action, rng: inout PCG32) -> StepEvents {
    let w = Float(BossFight.side)
    s.player.steerInside(dx: action.dx, dy: action.dy, maxSpeed: 0.85, width: BossFight.side, height: BossFight.side)
    if s.cooldown > 0 { s.cooldown -= 1 }
    if action.special == 1 && s.cooldown == 0 {
      s.cooldown = BossFight.cooldownSteps
      s.shots.append(Entity(x: s.player.x, y: s.player.y + 0.5, rx: 0.15, ry: 0.35, vy: 1, kind: Kind.shot.rawValue, life: 25))
    }
    moveBoss(&s, rng: &rng)
    if s.boss.flash > 0 {
      s.boss.flash -= 1
      if s.boss.flash == 0 { s.boss.legsLeft = 2 + rng.below(extraLegs + 1) }
    }
    attack(&s, rng: &rng)
    for i in s.shots.indices { s.shots[i].integrate() }
    s.shots.age()
    for i in s.bossShots.indices { s.bossShots[i].integrate() }
    let barriers = s.barriers
    s.shots.removeAll { e in e.isOutside(width: w, height: w) || barriers.contains { $0.touchesCircle(e) } }
    s.bossShots.removeAll { e in e.isOutside(width: w, height: w) || barriers.contains { $0.touchesCircle(e) } }
    // Player bullets against the boss.
    var reward: Float = 0
    for i in s.shots.indices where s.shots[i].kind == Kind.shot.rawValue && s.shots[i].touchesCircle(s.boss.body) {
      if s.boss.shielded {
        // Deflected: flies off sideways and down, harmless.
        s.shots[i].kind = Kind.deflected.rawValue
        s.shots[i].vy = -0.5
        s.shots[i].vx = s.shots[i].x < s.boss.body.x ? -0.5 : 0.5
        continue
      }
      s.shots[i].life = 0
      s.boss.body.health -= 1
      if Int(s.boss.body.health) % s.roundHealth == 0 {
        reward += 1
        if s.boss.body.health <= 0 { return StepEvents(reward: reward + 10, outcome: .won) }
        s.boss.shielded = true
        s.boss.flash = BossFight.flashSteps
        s.boss.pattern = (s.boss.pattern + 1 + rng.below(3)) % 4
        s.boss.attackTimer = 0
      }
    }
    s.shots.removeAll { $0.life == 0 }
    // The player against the boss, barriers and boss bullets.
    let p = s.player
    // Box overlaps, as in ProcGen (its bullets and ship hit over their whole squares).
    if s.boss.body.touchesCircle(p) || s.barriers.contains(where: { $0.overlaps(p) })
      || s.bossShots.contains(where: { $0.overlaps(p) }) {
      return StepEvents(reward: reward, outcome: .died, cause: "Hit by the boss")
    }
    return StepEvents(reward: reward)
  }

  // MARK: - Observations

  /// What the grid and glyph view show. The boss flashes yellow between rounds; a
  /// deflected shot is drawn but is no longer the agent's bullet.
  static let kinds = KindTable(channels: ["agent", "boss", "shield", "barrier", "boss bullet", "agent bullet"], [
    ArcadeCore.Kind(glyph: "@", .white, "your ship", channels: ["agent"]),
    ArcadeCore.Kind(glyph: "B", .cyan, "the boss, shielded", channels: ["boss", "shield"]),
    ArcadeCore.Kind(glyph: "b", .magenta, "the boss, shield down: shoot it now", channels: ["boss"]),
    ArcadeCore.Kind(glyph: "B", .yellow, channels: ["boss", "shield"]),
    ArcadeCore.Kind(glyph: "b", .yellow, channels: ["boss"]),
    ArcadeCore.Kind(glyph: "*", .red, "boss bullet", channels: ["boss bullet"]),
    ArcadeCore.Kind(glyph: "|", .yellow, "your shot (grey: bounced off the shield)", channels: ["agent bullet"]),
    ArcadeCore.Kind(glyph: "|", .grey),
    ArcadeCore.Kind(glyph: "#", .grey, "barrier", channels: ["barrier"]),
    // The backdrop: space, and space with a star.
    ArcadeCore.Kind(tile: 0), ArcadeCore.Kind(tile: 1),
  ])
  static let shipKind = kinds[glyph: "@"], barrierKind = kinds[glyph: "#"], bossShotKind = kinds[glyph: "*"]
  static let shotKind = kinds[glyph: "|", colour: .yellow], deflectedKind = kinds[glyph: "|", colour: .grey]
  /// [flashing][shielded]
  static let bossKinds = [[kinds[glyph: "b", colour: .magenta], kinds[glyph: "B", colour: .cyan]],
                          [kinds[glyph: "b", colour: .yellow], kinds[glyph: "B", colour: .yellow]]]

  static let themes: [Palette] = [
    ["k": RGB(hex: 0x0b0b1e), "s": RGB(hex: 0xc5cae9), "n": RGB(hex: 0x1c1c3a),
     "a": RGB(hex: 0x7b1fa2), "b": RGB(hex: 0xce93d8), "e": RGB(hex: 0xffeb3b)],
    ["k": RGB(hex: 0x1e0b0b), "s": RGB(hex: 0xffccbc), "n": RGB(hex: 0x3a1c1c),
     "a": RGB(hex: 0xc62828), "b": RGB(hex: 0xff8a80), "e": RGB(hex: 0x76ff03)],
    ["k": RGB(hex: 0x061a10), "s": RGB(hex: 0xb9f6ca), "n": RGB(hex: 0x12321f),
     "a": RGB(hex: 0x2e7d32), "b": RGB(hex: 0xa5d6a7), "e": RGB(hex: 0xff4081)],
  ]
  static let spaceArt = [
    ["kkkkkkkk", "kkkkkkkk", "kkkskkkk", "kkkkkkkk", "kkkkkkkk", "kkkkkkkk", "kkkkkksk", "kkkkkkkk"],
    ["kkkkkkkk", "knnkkkkk", "knnnkkkk", "kknkkkkk", "kkkkkkkk", "kkkkkskk", "kkkkkkkk", "kkkkkkkk"],
  ]
  static let backdrop = Backdrop(
    width: side, height: side, art: themes.map { p in spaceArt.map { Texture(art: $0, palette: p) } }, monoKind: 0
  ) { x, y in (x * 5 + y * 11) % 7 == 0 ? 1 : 0 }

  static let bossArt = [
    "....aaaaaaaa....", "..aaaaaaaaaaaa..", ".aaabbbaabbbaaa.", ".aabbbbaabbbbaa.", "aaabeebaabeebaaa",
    "aaabeebaabeebaaa", "aaaabbaaaabbaaaa", "aaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaa", "aaaabbbbbbbbaaaa",
    "aaabbaabbaabbaaa", ".aabaaaaaaaabaa.", ".aaaaaaaaaaaaaa.", "..aaaaaaaaaaaa..", "...aa.aaaa.aa...",
    "....a..aa..a....",
  ]
  static let shieldArt = [
    "....cccccccc....", "..cc........cc..", ".c............c.", ".c............c.", "c..............c",
    "c..............c", "c..............c", "c..............c", "c..............c", "c..............c",
    "c..............c", "c..............c", ".c............c.", ".c............c.", "..cc........cc..",
    "....cccccccc....",
  ]
  static let shipArt = ["...ww...", "...ww...", "..wbbw..", "..wbbw..", ".wwbbww.", "wwwwwwww", "ww.rr.ww", "w..rr..w"]
  static let rockArt = [
    ["..mmmm..", ".mmnmmm.", "mmmmmnmm", "mnmmmmmm", "mmmmmmmm", "mmmmnmmm", ".mmmmmm.", "..mmmm.."],
    ["..mmm...", ".mmmmmm.", "mmnmmmmm", "mmmmmmnm", "mmmmmmmm", "mnmmmmmm", ".mmmmmm.", "...mmm.."],
  ]
  static let shotArt = ["y", "y", "y"]
  static let bossShotArt = [".oo.", "oyyo", "oyyo", ".oo."]

  struct Art: Sendable {
    var boss: Texture, flash: Texture, shield: Texture, ship: Texture, rocks: [Texture], shot: Texture
    var deflected: Texture, bossShot: Texture
  }

  static func art(_ p: Palette) -> Art {
    let fixed: Palette = ["w": RGB(hex: 0xeceff1), "b": RGB(hex: 0x42a5f5), "r": RGB(hex: 0xff7043),
                          "m": RGB(hex: 0x795548), "n": RGB(hex: 0x4e342e), "y": RGB(hex: 0xffff8d),
                          "o": RGB(hex: 0xff5722), "c": RGB(hex: 0x80d8ff)]
    return Art(
      boss: Texture(art: bossArt, palette: p),
      flash: Texture(art: bossArt, palette: ["a": RGB(hex: 0xffffff), "b": RGB(hex: 0xffd54f), "e": RGB(hex: 0xff6f00)]),
      shield: Texture(art: shieldArt, palette: fixed), ship: Texture(art: shipArt, palette: fixed),
      rocks: rockArt.map { Texture(art: $0, palette: fixed) }, shot: Texture(art: shotArt, palette: fixed),
      deflected: Texture(art: shotArt, palette: ["y": RGB(hex: 0x9e9e9e)]), bossShot: Texture(art: bossShotArt, palette: fixed))
  }

  static let arts: [Art] = themes.map(art)
  static let monoArt: Art = {
    let a = arts[0]
    func m(_ t: Texture, _ k: Int) -> Texture { t.flattened(to: .monochrome(kind: k)) }
    return Art(boss: m(a.boss, 40), flash: m(a.flash, 41), shield: m(a.shield, 42), ship: m(a.ship, 43),
               rocks: a.rocks.map { m($0, 44) }, shot: m(a.shot, 45), deflected: m(a.deflected, 46),
               bossShot: m(a.bossShot, 47))
  }()

  public func render(_ s: State, into canvas: inout Canvas) {
    let view = Viewport.whole(width: BossFight.side, height: BossFight.side)
    BossFight.backdrop.draw(&canvas, theme: s.theme, monochrome: options.monochrome, view: view, salt: 0xB055)
    let a = options.monochrome ? BossFight.monoArt : BossFight.arts[s.theme]
    for b in s.barriers { canvas.drawEntity(a.rocks[Int(b.look) % 2], b, view: view) }
    let boss = s.boss.body
    canvas.drawEntity(s.boss.flash > 0 && s.boss.flash % 4 < 2 ? a.flash : a.boss, boss, view: view)
    if s.boss.shielded { canvas.drawEntity(a.shield, boss, view: view, scale: 1.1) }
    for e in s.shots { canvas.drawEntity(e.kind == Kind.shot.rawValue ? a.shot : a.deflected, e, view: view) }
    for e in s.bossShots { canvas.drawEntity(a.bossShot, e, view: view) }
    canvas.drawEntity(a.ship, s.player, view: view)
  }

  func shown(_ s: State, _ show: (Entity, ArcadeCore.Kind) -> Void) {
    for b in s.barriers { show(b, BossFight.barrierKind) }
    show(s.boss.body, BossFight.bossKinds[s.boss.flash > 0 ? 1 : 0][s.boss.shielded ? 1 : 0])
    for e in s.bossShots { show(e, BossFight.bossShotKind) }
    for e in s.shots { show(e, e.kind == Kind.shot.rawValue ? BossFight.shotKind : BossFight.deflectedKind) }
    show(s.player, BossFight.shipKind)
  }

  // MARK: - Saving

  public func encode(_ s: State, into w: inout ByteWriter) {
    let b = s.boss
    w.entity(s.player); w.entity(b.body)
    for v in [b.fromX, b.fromY, b.toX, b.toY] { w.f32(v) }
    w.int(b.legStep); w.int(b.legsLeft); w.bool(b.shielded); w.int(b.pattern); w.int(b.attackTimer); w.int(b.spin)
    w.int(b.flash)
    w.entities(s.shots); w.entities(s.bossShots); w.entities(s.barriers)
    w.int(s.roundHealth); w.int(s.cooldown); w.int(s.theme)
  }

  public func decode(from r: inout ByteReader) throws -> State {
    let bounds = EntityBounds(width: BossFight.side, height: BossFight.side, margin: 4, maxSpeed: 2)
    let p = try r.entity("player", kinds: 1, bounds: bounds)
    let body = try r.entity("boss", kinds: 5, bounds: bounds)
    try r.check(Int(body.health), "boss health", in: 1...45)
    let w = Float(BossFight.side)
    let fromX = try r.f32("boss leg from x", in: 0...w), fromY = try r.f32("boss leg from y", in: 0...w)
    let toX = try r.f32("boss leg to x", in: 0...w), toY = try r.f32("boss leg to y", in: 0...w)
    let legStep = try r.int("leg step", in: 0...BossFight.legSteps), legsLeft = try r.int("legs left", in: -1...10)
    let shielded = try r.bool("shield")
    let pattern = try r.int("pattern", in: 0...3), attackTimer = try r.int("attack timer", in: 0...1_000_000)
    let spin = try r.int("spin", in: 0...23), flash = try r.int("flash", in: 0...BossFight.flashSteps)
    let shots = try r.entities("shots", capacity: BossFight.maxShots, kinds: 2, bounds: bounds)
    let bossShots = try r.entities("boss shots", capacity: BossFight.maxBossShots, kinds: 3, bounds: bounds)
    let barriers = try r.entities("barriers", capacity: BossFight.maxBarriers, kinds: 4, bounds: bounds)
    let roundHealth = try r.int("round health", in: 1...9), cooldown = try r.int("cooldown", in: 0...BossFight.cooldownSteps)
    let theme = try r.int("theme", in: 0...(BossFight.themes.count - 1))
    let boss = Boss(body: body, fromX: fromX, fromY: fromY, toX: toX, toY: toY, legStep: legStep, legsLeft: legsLeft,
                    shielded: shielded, pattern: pattern, attackTimer: attackTimer, spin: spin, flash: flash)
    return State(player: p, boss: boss, shots: shots, bossShots: bossShots, barriers: barriers, roundHealth: roundHealth,
                 cooldown: cooldown, theme: theme)
  }
}
