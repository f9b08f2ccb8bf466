import ArcadeCore

/// plunder: a ship at the bottom of the sea fires cannonballs up at five lanes
/// of passing ships. Hit the ships of the target colour (shown bottom-left)
/// before the timer runs out; friendly ships cost time (ProcGen's plunder).
public struct Plunder: Game {
  public enum Kind: UInt8 { case target = 0, friendly = 1, ball = 2, panel = 3 }

  public struct State: Sendable, Equatable {
    public var player: Entity
    public var ships: EntityList
    public var balls: EntityList
    public var panels: EntityList
    /// Per lane: signed speed (cells per step).
    public var laneSpeeds: [Float]
    /// Ship colours (indices into `shipColours`) of the target and friendly ships.
    public var targetColour: Int
    public var friendlyColour: Int
    public var timer: Float
    public var hits: Int
    public var cooldown: Int
    public var theme: Int
  }

  public static let descriptor = GameDescriptor(
    name: "plunder",
    summary: "Fire cannonballs at ships of the target colour before the timer runs out; spare the others.",
    modes: [.easy, .hard],
    defaultStepLimit: 4000,
    meaningfulActions: [1, 4, 7, 9],
    actionNames: GameActions.leftRightFire("fire"),
    kinds: kinds,
    scoreRange: [.easy: (4.5, 30), .hard: (3, 30)]
  )

  static let side = 20
  static let lanes = 5
  static let goal = 20
  /// Width over height of the ships (ProcGen's ship sprites, 113 × 66 pixels).
  static let shipAspect: Float = 1.712
  static let ballSpeed: Float = 1
  static let ballLife: Int32 = 50
  static let playerSpeed: Float = 0.85
  /// ProcGen's target legend is a 4 × 4 square in the bottom-left corner; the
  /// ship cannot sail over it.
  static let legendSide: Float = 4
  static let cooldownSteps = 3
  static let maxShips = 48, maxBalls = 16, maxPanels = 3

  public let options: GameOptions
  /// Half-width of every ship, the player's included: 1.5 in easy, 1 otherwise.
  let shipScale: Float
  /// Lane heights (ProcGen's: five rows packed into the top of the sea, closer
  /// than a ship is tall, so a ship can block a spawn in the next lane).
  let laneY: [Float]

  public init(options: GameOptions) {
    self.options = options
    let r: Float = options.mode == .easy ? 1.5 : 1
    shipScale = r
    let half = Float(Plunder.side) / 2
    laneY = (0..<Plunder.lanes).map { (Float($0) * 0.11 + 0.4) * (half - r) + half }
  }

  /// The leftmost centre the player may have.
  var minPlayerX: Float { Plunder.legendSide + shipScale }

  // MARK: - Generation

  public func generate(levelSeed: UInt32, rng: inout PCG32) -> State {
    let theme = rng.below(Plunder.themes.count)
    var colours = Array(0..<Plunder.shipColours.count)
    rng.shuffle(&colours)
    var speeds = [Float](repeating: 0, count: Plunder.lanes)
    for i in 0..<Plunder.lanes {
      let v = rng.float(0.15, 0.25)
      speeds[i] = rng.coin() ? v : -v
    }
    var panels = EntityList(capacity: Plunder.maxPanels)
    if genMode != .easy {
      for _ in 0..<rng.below(4) {
        // ProcGen's panels: 2.4 × 1, in the second quarter of the sea's height.
        let rx: Float = 1.2, ry: Float = 0.5
        panels.append(Entity(x: rng.float(rx, Float(Plunder.side) - rx), y: rng.float(5 + ry, 10 - ry), rx: rx, ry: ry,
                             kind: Kind.panel.rawValue))
      }
    }
    // Anywhere along the bottom, pushed right of the legend (as ProcGen does).
    let rx = shipScale, ry = shipScale / Plunder.shipAspect
    let player = Entity(x: max(minPlayerX, rng.float(rx, Float(Plunder.side) - rx)), y: 1 + ry, rx: rx, ry: ry)
    return State(player: player, ships: EntityList(capacity: Plunder.maxShips), balls: EntityList(capacity: Plunder.maxBalls),
                 panels: panels, laneSpeeds: speeds, targetColour: colours[0], friendlyColour: colours[1],
                 timer: 1, hits: 0, cooldown: 0, theme: theme)
  }

  // MARK: - Dynamics

  /// One step in ProcGen's order: the ship, ships and balls move, balls hit,
  /// the timer runs, a ship may enter, then the player may fire.
  public func step(_ s: inout State, action: Action, rng: inout PCG32) -> StepEvents {
    let w = Float(Plunder.side)
    s.player.steerInside(dx: action.dx, dy: 0, maxSpeed: Plunder.playerSpeed, width: Plunder.side, height: Plunder.side)
    if s.player.x < minPlayerX { s.player.x = minPlayerX }
    // Ships sail their lanes; balls fly up.
    for i in s.ships.indices { s.ships[i].integrate() }
    for i in s.balls.indices { s.balls[i].integrate() }
    s.balls.age()
    let panels = s.panels
    s.balls.removeAll { b in panels.contains { $0.overlaps(b) } }
    // Cannonballs against ships.
    var reward: Float = 0
    var bi = s.balls.count - 1
    while bi >= 0 {
      let b = s.balls[bi]
      if let si = s.ships.firstIndex(where: { $0.overlaps(b) }) {
        if s.ships[si].kind == Kind.target.rawValue {
          reward += 1
          s.hits += 1
          s.timer += 0.1
        } else {
          s.timer -= 0.1
        }
        s.ships.remove(at: si)
        s.balls.remove(at: bi)
      }
      bi -= 1
    }
    s.ships.removeAll { $0.isOutside(width: w, height: w) }
    s.balls.removeAll { $0.isOutside(width: w, height: w) }
    s.timer -= 0.0015
    if rng.unit() < 0.06 {
      let lane = rng.below(Plunder.lanes)
      let target = rng.coin()
      let v = s.laneSpeeds[lane]
      let rx = shipScale, ry = shipScale / Plunder.shipAspect
      let ship = Entity(x: v > 0 ? -rx : w + rx, y: laneY[lane], rx: rx, ry: ry, vx: v,
                        kind: (target ? Kind.target : .friendly).rawValue, look: UInt8(lane), mirrored: v < 0)
      if !s.ships.contains(where: { $0.overlaps(ship) }) && !s.balls.contains(where: { $0.overlaps(ship) }) {
        s.ships.append(ship)
      }
    }
    if s.cooldown > 0 { s.cooldown -= 1 }
    if action.special == 1 && s.cooldown == 0 {
      s.cooldown = Plunder.cooldownSteps
      s.timer -= 0.02
      s.balls.append(Entity(x: s.player.x, y: s.player.y, rx: 0.25, ry: 0.25, vy: Plunder.ballSpeed,
                            kind: Kind.ball.rawValue, life: Plunder.ballLife))
    }
    if s.hits >= Plunder.goal { return StepEvents(reward: reward + 10, outcome: .won) }
    if s.timer <= 0 { s.timer = 0; return StepEvents(reward: reward, outcome: .died, cause: "The timer ran out") }
    s.timer = min(1, s.timer)
    return StepEvents(reward: reward)
  }

  // MARK: - Observations

  /// What the grid and glyph view show; the timer is a bar along the top row of both.
  static let kinds = KindTable(channels: ["agent", "target ship", "friendly ship", "cannonball", "panel", "timer"], [
    ArcadeCore.Kind(glyph: "@", .white, "your ship", channels: ["agent"]),
    ArcadeCore.Kind(glyph: "T", .red, "ship of the target colour: sink it (+1)", channels: ["target ship"]),
    ArcadeCore.Kind(glyph: "f", .green, "other ship: do not hit it", channels: ["friendly ship"]),
    ArcadeCore.Kind(glyph: "o", .white, "cannonball", channels: ["cannonball"]),
    ArcadeCore.Kind(glyph: "#", .grey, "panel: stops cannonballs", channels: ["panel"]),
    ArcadeCore.Kind(glyph: "=", .yellow, "time left", channels: ["timer"]),
    ArcadeCore.Kind(tile: 0, glyph: "·", .blue, "water"),
  ])
  static let playerKind = kinds[glyph: "@"], targetKind = kinds[glyph: "T"], friendlyKind = kinds[glyph: "f"]
  static let ballKind = kinds[glyph: "o"], panelKind = kinds[glyph: "#"], timerKind = kinds[glyph: "="]

  static let shipColours: [UInt32] = [0xe53935, 0x43a047, 0x1e88e5, 0xfdd835, 0x8e24aa, 0xfb8c00]
  static let themes: [Palette] = [
    ["w": RGB(hex: 0x0277bd), "v": RGB(hex: 0x4fc3f7), "p": RGB(hex: 0x8d6e63), "q": RGB(hex: 0x5d4037)],
    ["w": RGB(hex: 0x00838f), "v": RGB(hex: 0x80deea), "p": RGB(hex: 0x9e9e9e), "q": RGB(hex: 0x616161)],
    ["w": RGB(hex: 0x1a237e), "v": RGB(hex: 0x5c6bc0), "p": RGB(hex: 0xa1887f), "q": RGB(hex: 0x4e342e)],
  ]
  static let seaArt = ["wwwwwwww", "wwvvwwww", "wwwwwwww", "wwwwwwww", "wwwwwwww", "wwwwwvvw", "wwwwwwww", "wwwwwwww"]
  static let panelArt = ["qqqqqqqq", "qppppppq", "qpqppqpq", "qppppppq", "qqqqqqqq"]
  static let shipArt = [
    ".....m......", ".....mss....", ".....msss...", ".....mssss..", ".....m......", "hhhhhhhhhhhh",
    ".hhhwhhwhhh.", "..hhhhhhhh..",
  ]
  static let playerArt = [
    "...m....", "..sms...", ".ssmss..", "ssssss..", "...m....", "hhhhhhhh", ".hhhhhh.", "..hhhh..",
  ]
  static let ballArt = [".kk.", "kkkk", "kkkk", ".kk."]

  static let backdrop = Backdrop(
    width: side, height: side, art: themes.map { [Texture(art: seaArt, palette: $0)] }, monoKind: 0) { _, _ in 0 }
  static let shipTex: [Texture] = shipColours.map {
    Texture(art: shipArt, palette: ["h": RGB(hex: $0), "m": RGB(hex: 0x3e2723), "s": RGB(hex: 0xfafafa),
                                    "w": RGB(hex: 0x212121)])
  }
  static let playerTex = Texture(art: playerArt, palette: ["h": RGB(hex: 0x212121), "m": RGB(hex: 0x3e2723),
                                                           "s": RGB(hex: 0xfafafa)])
  static let ballTex = Texture(art: ballArt, palette: ["k": RGB(hex: 0x111111)])
  static let panelTex: [Texture] = themes.map { Texture(art: panelArt, palette: $0) }
  static let mono = (
    target: shipTex[0].flattened(to: .monochrome(kind: 10)), friendly: shipTex[0].flattened(to: .monochrome(kind: 11)),
    player: playerTex.flattened(to: .monochrome(kind: 12)), ball: ballTex.flattened(to: .monochrome(kind: 13)),
    panel: panelTex[0].flattened(to: .monochrome(kind: 14)))

  public func render(_ s: State, into canvas: inout Canvas) {
    let view = Viewport.whole(width: Plunder.side, height: Plunder.side)
    let m = options.monochrome
    Plunder.backdrop.draw(&canvas, theme: s.theme, monochrome: m, view: view, salt: 0x9117)
    for p in s.panels { canvas.drawEntity(m ? Plunder.mono.panel : Plunder.panelTex[s.theme], p, view: view) }
    let tgt = m ? Plunder.mono.target : Plunder.shipTex[s.targetColour]
    let fr = m ? Plunder.mono.friendly : Plunder.shipTex[s.friendlyColour]
    for sh in s.ships { canvas.drawEntity(sh.kind == Kind.target.rawValue ? tgt : fr, sh, view: view) }
    for b in s.balls { canvas.drawEntity(m ? Plunder.mono.ball : Plunder.ballTex, b, view: view) }
    // HUD: target legend bottom-left, timer bar and progress bar at the top.
    canvas.fillRect(x0: 0, y0: 57, x1: 10, y1: 64, RGB(hex: 0xeeeeee))
    canvas.drawSprite(tgt, x: 1.55, y: 0.55, rx: 1.4, ry: 0.5, view: view)
    canvas.drawEntity(m ? Plunder.mono.player : Plunder.playerTex, s.player, view: view)
    let timerPx = Int((s.timer * 62).rounded(.down))
    canvas.fillRect(x0: 0, y0: 0, x1: 64, y1: 5, RGB(0, 0, 0))
    canvas.fillRect(x0: 1, y0: 1, x1: 1 + timerPx, y1: 2, m ? .monochrome(kind: 20) : RGB(hex: 0xffca28))
    canvas.fillRect(x0: 1, y0: 3, x1: 1 + s.hits * 62 / Plunder.goal, y1: 4, m ? .monochrome(kind: 21) : RGB(hex: 0x66bb6a))
  }

  func shown(_ s: State, _ show: (Entity, ArcadeCore.Kind) -> Void) {
    for p in s.panels { show(p, Plunder.panelKind) }
    for sh in s.ships { show(sh, sh.kind == Kind.target.rawValue ? Plunder.targetKind : Plunder.friendlyKind) }
    for b in s.balls { show(b, Plunder.ballKind) }
    show(s.player, Plunder.playerKind)
  }

  /// Cells of the timer bar: the time left, rounded up, out of the arena's width.
  func timerCells(_ s: State) -> Int { Int((s.timer * Float(Plunder.side)).rounded(.up)) }

  public func encodeGrid(_ s: State, into out: UnsafeMutableBufferPointer<Float>) {
    let n = Plunder.side
    markShown(s, into: out)
    let row = Plunder.timerKind.channels[0] * n * n
    for x in 0..<min(n, timerCells(s)) { out[row + x] = 1 }
  }

  /// The timer bar is drawn under the entities, and the target colour's legend in the bottom-left corner over them.
  public func drawGlyphs(_ s: State, into g: inout GlyphGrid) {
    drawBackdrop(into: &g)
    let k = timerCells(s), bar = Plunder.timerKind
    for x in 0..<g.width { g.set(x, 0, x < k ? bar.glyph : " ", bar.colour) }
    drawShown(s, into: &g)
    g.set(0, g.height - 1, Plunder.targetKind.glyph, Plunder.targetKind.colour)
  }

  // MARK: - Saving

  public func encode(_ s: State, into w: inout ByteWriter) {
    w.entity(s.player); w.entities(s.ships); w.entities(s.balls); w.entities(s.panels); w.f32s(s.laneSpeeds)
    w.int(s.targetColour); w.int(s.friendlyColour); w.f32(s.timer); w.int(s.hits); w.int(s.cooldown); w.int(s.theme)
  }

  public func decode(from r: inout ByteReader) throws -> State {
    let bounds = EntityBounds(width: Plunder.side, height: Plunder.side, margin: 4, maxSpeed: 2)
    let p = try r.entity("player", kinds: 1, bounds: bounds)
    let ships = try r.entities("ships", capacity: Plunder.maxShips, kinds: 2, bounds: bounds)
    let balls = try r.entities("balls", capacity: Plunder.maxBalls, kinds: 3, bounds: bounds)
    let panels = try r.entities("panels", capacity: Plunder.maxPanels, kinds: 4, bounds: bounds)
    let n = try r.count("lane speeds", max: Plunder.lanes)
    guard n == Plunder.lanes else { throw r.invalid("lane speeds", "count \(n) is not \(Plunder.lanes)") }
    var speeds: [Float] = []
    for i in 0..<n { speeds.append(try r.f32("lane speed \(i)", in: -1...1)) }
    let nc = Plunder.shipColours.count
    let tc = try r.int("target colour", in: 0...(nc - 1)), fc = try r.int("friendly colour", in: 0...(nc - 1))
    guard tc != fc else { throw r.invalid("friendly colour", "is the target colour") }
    let timer = try r.f32("timer", in: 0...1)
    let hits = try r.int("hits", in: 0...(Plunder.goal - 1)), cd = try r.int("cooldown", in: 0...Plunder.cooldownSteps)
    let theme = try r.int("theme", in: 0...(Plunder.themes.count - 1))
    if let i = ships.firstIndex(where: { Int($0.look) >= Plunder.lanes }) {
      throw r.invalid("ships \(i) look", "\(ships[i].look) is not a lane")
    }
    return State(player: p, ships: ships, balls: balls, panels: panels, laneSpeeds: speeds, targetColour: tc,
                 friendlyColour: fc, timer: timer, hits: hits, cooldown: cd, theme: theme)
  }
}
