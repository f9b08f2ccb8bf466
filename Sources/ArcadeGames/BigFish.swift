import ArcadeCore
import Foundation

/// bigfish: a fish in a 20×20 tank eats smaller fish and grows; touching a
/// larger fish is death; 30 fish eaten wins (ProcGen's bigfish).
public struct BigFish: Game {
  public struct State: Sendable, Equatable {
    public var player: Entity
    public var fish: EntityList
    public var eaten: Int
    public var theme: Int
  }

  public static let descriptor = GameDescriptor(
    name: "bigfish",
    summary: "Eat smaller fish to grow; avoid larger ones; 30 fish eaten wins.",
    modes: [.easy, .hard],
    defaultStepLimit: 6000,
    meaningfulActions: Array(0...8),
    actionNames: GameActions.eightWay,
    kinds: kinds,
    scoreRange: [.easy: (1, 40), .hard: (0, 40)]
  )

  static let side = 20
  static let goal = 30
  static let maxFish = 64
  static let maxSpeed: Float = 0.5

  public let options: GameOptions
  let startRadius: Float

  public init(options: GameOptions) {
    self.options = options
    startRadius = options.mode == .easy ? 1.0 : 0.5
  }

  var growth: Float { (2 - startRadius) / Float(BigFish.goal) }

  // MARK: - Generation

  public func generate(levelSeed: UInt32, rng: inout PCG32) -> State {
    let theme = rng.below(BigFish.themes.count)
    let r = startRadius
    let x = rng.float(r, Float(BigFish.side) - r)
    let player = Entity(x: x, y: 1 + r, r: r)
    return State(player: player, fish: EntityList(capacity: BigFish.maxFish), eaten: 0, theme: theme)
  }

  // MARK: - Dynamics

  public func step(_ s: inout State, action: Action, rng: inout PCG32) -> StepEvents {
    let w = Float(BigFish.side)
    if action.dx != 0 { s.player.mirrored = action.dx < 0 }
    s.player.steerInside(dx: action.dx, dy: action.dy, maxSpeed: BigFish.maxSpeed, width: BigFish.side, height: BigFish.side)
    for i in s.fish.indices { s.fish[i].integrate() }
    s.fish.removeAll { ($0.vx > 0 && $0.x - $0.rx > w) || ($0.vx < 0 && $0.x + $0.rx < 0) }
    if rng.below(10) == 0 {
      let r = 0.25 + 1.75 * pow(rng.unit(), 1.4)
      let fromLeft = rng.coin()
      let y = rng.float(r, w - r)
      let speed = rng.float(0.15, 0.40)
      let look = UInt8(rng.below(3))
      var f = Entity(x: fromLeft ? -r : w + r, y: y, r: r, vx: fromLeft ? speed : -speed, kind: 1, look: look)
      f.mirrored = !fromLeft
      s.fish.append(f)
    }
    var reward: Float = 0
    var i = s.fish.count - 1
    while i >= 0 {
      let f = s.fish[i]
      if f.overlaps(s.player) {
        if f.rx > s.player.rx { return StepEvents(reward: reward, outcome: .died, cause: "Eaten by a bigger fish") }
        s.fish.remove(at: i)
        reward += 1
        s.eaten += 1
        s.player.rx += growth
        s.player.ry += growth
        s.player.clamp(width: w, height: w)
        if s.eaten >= BigFish.goal { return StepEvents(reward: reward + 10, outcome: .won) }
      }
      i -= 1
    }
    return StepEvents(reward: reward)
  }

  // MARK: - Observations

  /// What the grid and glyph view show: the fish, and the backdrop's water and sea floor.
  static let kinds = KindTable(channels: ["agent", "smaller fish", "larger fish"], [
    Kind(glyph: "@", .white, "your fish", channels: ["agent"]),
    Kind(glyph: "f", .green, "smaller fish: eat it (+1)", channels: ["smaller fish"]),
    Kind(glyph: "F", .red, "bigger fish: deadly", channels: ["larger fish"]),
    Kind(tile: 0, glyph: "·", .blue, "water"),
    Kind(tile: 1, glyph: "_", .blue, "sea floor"),
  ])
  static let playerKind = kinds[glyph: "@"], smallerKind = kinds[glyph: "f"], largerKind = kinds[glyph: "F"]

  static let themes: [Palette] = [
    ["w": RGB(hex: 0x1565c0), "v": RGB(hex: 0x1976d2), "s": RGB(hex: 0xc2a36b), "g": RGB(hex: 0x2e7d32)],
    ["w": RGB(hex: 0x00695c), "v": RGB(hex: 0x00796b), "s": RGB(hex: 0x8d7b5a), "g": RGB(hex: 0x558b2f)],
    ["w": RGB(hex: 0x283593), "v": RGB(hex: 0x303f9f), "s": RGB(hex: 0x6d5f4b), "g": RGB(hex: 0x1b5e20)],
  ]
  static let waterArt = ["wwwwwwww", "wwwvwwww", "wwwwwwww", "wwwwwwvw", "wvwwwwww", "wwwwwwww", "wwwwvwww", "wwwwwwww"]
  static let sandArt = ["wwwwwwww", "wwgwwwww", "wwgwwgww", "wgwwwgww", "wgwgwwgw", "ssssssss", "sssswsss", "ssssssss"]
  static let fishArt = [
    "..........", "....bbb...", "b..bbbbbb.", "bb.bbbbkbb", "bbbbbbbbbb", "bb.bbbbbbc", "b..bbbbbb.",
    "....bbb...", "..........", "..........",
  ].map { String($0.prefix(10)) }
  static let fishColours: [[UInt32]] = [[0xffb300, 0xef5350, 0xab47bc], [0xffee58, 0xff7043, 0x26c6da],
                                         [0xff8a65, 0xf06292, 0x9ccc65]]

  static let backdrop = Backdrop(
    width: side, height: side,
    art: themes.map { p in [Texture(art: waterArt, palette: p), Texture(art: sandArt, palette: p)] },
    monoKind: 0
  ) { _, y in y == 0 ? 1 : 0 }

  static func fishTexture(_ c: UInt32, fin: UInt32) -> Texture {
    Texture(art: fishArt, palette: ["b": RGB(hex: c), "k": RGB(0, 0, 0), "c": RGB(hex: fin)])
  }
  /// [theme][look], and the player's.
  static let fishTex: [[Texture]] = fishColours.map { cs in cs.map { fishTexture($0, fin: 0x000000) } }
  static let playerTex = fishTexture(0x76ff03, fin: 0xffffff)
  static let monoFish = [Texture](repeating: fishTexture(0, fin: 0).flattened(to: .monochrome(kind: 5)), count: 3)
  static let monoPlayer = playerTex.flattened(to: .monochrome(kind: 6))

  public func render(_ s: State, into canvas: inout Canvas) {
    let view = Viewport.whole(width: BigFish.side, height: BigFish.side)
    let mono = options.monochrome
    BigFish.backdrop.draw(&canvas, theme: s.theme, monochrome: mono, view: view, salt: 0xB16F)
    let tex = mono ? BigFish.monoFish : BigFish.fishTex[s.theme]
    for f in s.fish { canvas.drawEntity(tex[Int(f.look) % 3], f, view: view) }
    canvas.drawEntity(mono ? BigFish.monoPlayer : BigFish.playerTex, s.player, view: view)
  }

  func shown(_ s: State, _ show: (Entity, Kind) -> Void) {
    for f in s.fish { show(f, f.rx > s.player.rx ? BigFish.largerKind : BigFish.smallerKind) }
    show(s.player, BigFish.playerKind)
  }

  // MARK: - Saving

  public func encode(_ s: State, into w: inout ByteWriter) {
    w.entity(s.player); w.entities(s.fish); w.int(s.eaten); w.int(s.theme)
  }

  public func decode(from r: inout ByteReader) throws -> State {
    let bounds = EntityBounds(width: BigFish.side, height: BigFish.side, margin: 4, maxSpeed: 1)
    let p = try r.entity("player", kinds: 1, bounds: bounds)
    let fish = try r.entities("fish", capacity: BigFish.maxFish, kinds: 2, bounds: bounds)
    let eaten = try r.int("fish eaten", in: 0...(BigFish.goal - 1))
    let theme = try r.int("theme", in: 0...(BigFish.themes.count - 1))
    if let i = fish.firstIndex(where: { $0.look >= 3 }) { throw r.invalid("fish \(i) look", "\(fish[i].look) is not in 0...2") }
    return State(player: p, fish: fish, eaten: eaten, theme: theme)
  }
}
