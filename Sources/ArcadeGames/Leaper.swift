import ArcadeCore

/// leaper: Frogger. Hop the frog across road lanes full of cars, then across a
/// river on floating logs, to the finish line (ProcGen's leaper).
///
/// The world is a square of `side` rows (y up); every row is one terrain type.
/// Road and water rows are lanes with a signed speed (cells per step); their
/// movers (cars, logs) have float left edges. The traffic uses a fixed number
/// of random draws per step whatever the frog does, so it is a function of the
/// level seed and time alone (and the tests' solver can search against it).
public struct Leaper: Game {
  /// Terrain of a row.
  public enum Terrain: UInt8, Sendable {
    case grass = 0, road = 1, water = 2, finish = 3
  }

  /// The movers of one lane: left edges (cells) and a look (sprite variant) each.
  public struct Lane: Sendable, Equatable {
    public var xs: [Float] = []
    public var looks: [UInt8] = []
    public init(xs: [Float] = [], looks: [UInt8] = []) { self.xs = xs; self.looks = looks }
  }

  /// The frog. At rest when `hop == 0`; otherwise `hop` steps of the current
  /// hop (in direction `dir`) are done and `row` is the row it left.
  public struct Frog: Sendable, Equatable {
    public var x: Float          // centre
    public var row: Int
    public var hop: Int          // 0 = at rest, 1...4 = in flight
    public var dir: Int          // 0 left, 1 right, 2 down, 3 up (also the facing)

    public init(x: Float, row: Int, hop: Int = 0, dir: Int = 3) {
      self.x = x; self.row = row; self.hop = hop; self.dir = dir
    }

    /// Vertical centre.
    public var y: Float { Float(row) + 0.5 + Float(Leaper.dirDY[dir] * hop) * Leaper.hopStep }
  }

  public struct State: Sendable, Equatable {
    public var side: Int
    public var rows: [UInt8]         // Terrain per row, y up
    public var speeds: [Float]       // per row; 0 for grass and finish
    public var lanes: [Lane]         // per row; empty for grass and finish
    public var frog: Frog
    public var startX: Int           // the start cell (for level files)
    public var startRow: Int
    public var theme: Int
    public var layoutKey: UInt64     // hash of rows + theme, for the render cache
    var tiles: [UInt8]               // terrain per cell, for drawing (derived from rows)

    public func terrain(_ row: Int) -> Terrain { Terrain(rawValue: rows[row]) ?? .grass }
  }

  public static let descriptor = GameDescriptor(
    name: "leaper",
    summary: "Frogger: hop across the road and over the river on logs to the finish line.",
    modes: [.easy, .hard, .extreme, .exploration],
    defaultStepLimit: 500,
    meaningfulActions: [1, 3, 4, 5, 7],
    actionNames: GameActions.fourWay,
    kinds: kinds,
    explorationSeed: 1_318_677_581,
    scoreRange: [.easy: (3, 10), .hard: (1.5, 10)]
  )

  // MARK: - Constants

  static let hopSteps = 5
  static let hopStep: Float = 0.2
  static let dirDX = [-1, 1, 0, 0]
  static let dirDY = [0, 0, -1, 1]
  public static let carLength: Float = 1
  public static let logLength: Float = 2
  static let frogHalf: Float = 0.35
  static let carInset: Float = 0.15
  static let carLooks = 3
  static let logLooks = 2
  /// Largest lane speed a level file may ask for.
  static let maxSpeed: Float = 0.5

  static let worldSides = WorldSides(easy: 9, extreme: 20, otherwise: 15)

  public let options: GameOptions
  public init(options: GameOptions) { self.options = options }

  // MARK: - Generation

  struct SpeedRanges { var car: (Float, Float); var log: (Float, Float) }

  var speedRanges: SpeedRanges {
    switch genMode {
    case .easy: return SpeedRanges(car: (0.03, 0.12), log: (0.025, 0.075))
    case .extreme: return SpeedRanges(car: (0.1, 0.3), log: (0.1, 0.2))
    default: return SpeedRanges(car: (0.05, 0.2), log: (0.05, 0.1))
    }
  }

  /// A speed magnitude in [lo, hi], in steps of 0.001 (so level files show it exactly).
  static func speed(_ r: (Float, Float), _ rng: inout PCG32) -> Float {
    let lo = Int((r.0 * 1000).rounded()), hi = Int((r.1 * 1000).rounded())
    return Float(rng.int(lo, hi + 1)) / 1000
  }

  /// Generation follows ProcGen: the start row, `difficulty` road lanes, a
  /// grass row, as many water lanes, then the finish line right after the
  /// river; non-easy modes may add a road or a water lane and a grass row
  /// before the road and between road and river. Rows above the finish line
  /// are grass.
  /// (Every one of 1000 seeds per mode is solvable, see LeaperTests, so no
  /// solvability check is run here; it would cost milliseconds per level.)
  public func generate(levelSeed: UInt32, rng: inout PCG32) -> State {
    let (theme, base) = Leaper.levelDraws(&rng)
    let n = worldSide
    let easy = genMode == .easy
    let ranges = speedRanges
    let difficulty = rng.below(easy ? 4 : 5)
    var roads = difficulty, rivers = difficulty
    if !easy {
      if rng.below(4) == 0 { roads += 1 }
      if rng.below(4) == 0 { rivers += 1 }
    }
    var rows: [UInt8] = [Terrain.grass.rawValue]
    var speeds: [Float] = [0]
    func grass(_ n: Int) { for _ in 0..<n { rows.append(Terrain.grass.rawValue); speeds.append(0) } }
    if !easy { grass(rng.below(2)) }
    for _ in 0..<roads {
      let v = Leaper.speed(ranges.car, &rng)
      rows.append(Terrain.road.rawValue); speeds.append(rng.coin() ? v : -v)
    }
    grass(1 + (easy ? 0 : rng.below(2)))
    var sign: Float = rng.coin() ? 1 : -1
    for _ in 0..<rivers {
      rows.append(Terrain.water.rawValue); speeds.append(sign * Leaper.speed(ranges.log, &rng))
      sign = -sign
    }
    rows.append(Terrain.finish.rawValue); speeds.append(0)
    while rows.count < n { rows.append(Terrain.grass.rawValue); speeds.append(0) }
    return makeLevel(rows: rows, speeds: speeds, startX: n / 2, startRow: 0, theme: theme, base: base)
  }

  /// The level-wide draws made first by both `generate` and `load`: the theme
  /// and the base seed of the pre-simulation stream.
  static func levelDraws(_ rng: inout PCG32) -> (theme: Int, base: UInt64) {
    let t = rng.below(themes.count)
    let base = UInt64(rng.next()) << 32 | UInt64(rng.next())
    return (t, base)
  }

  /// A level with traffic pre-simulated from a stream that depends only on the
  /// layout and `base`, so a level file gives back the same traffic.
  func makeLevel(rows: [UInt8], speeds: [Float], startX: Int, startRow: Int, theme: Int, base: UInt64) -> State {
    let n = rows.count
    var s = State(
      side: n, rows: rows, speeds: speeds, lanes: Array(repeating: Lane(), count: n),
      frog: Frog(x: Float(startX) + 0.5, row: startRow, hop: 0, dir: 3),
      startX: startX, startRow: startRow, theme: theme, layoutKey: 0, tiles: [])
    Leaper.derive(&s)
    var key = fnv1a64(rows, seed: base)
    for v in speeds { key = fnv1a64(leaperBytes(v.bitPattern), seed: key) }
    key = fnv1a64([UInt8(truncatingIfNeeded: startX), UInt8(truncatingIfNeeded: startRow)], seed: key)
    var pre = PCG32(seed: key, stream: 0x1EA9E5)
    var minSpeed: Float = .infinity
    for v in speeds where v != 0 { minSpeed = min(minSpeed, abs(v)) }
    if minSpeed.isFinite {
      let steps = Int((Float(n) / minSpeed).rounded(.up))
      for _ in 0..<steps { Leaper.advanceTraffic(&s, rng: &pre) }
    }
    return s
  }

  /// Fills the fields derived from the rows: the render-cache key and the tile map.
  static func derive(_ s: inout State) {
    s.layoutKey = fnv1a64([UInt8(truncatingIfNeeded: s.theme), UInt8(truncatingIfNeeded: s.side)], seed: fnv1a64(s.rows))
    s.tiles = (0..<s.side * s.side).map { s.rows[$0 / s.side] }
  }

  // MARK: - Dynamics

  /// Moves every lane one step and maybe spawns a mover at each lane's entry.
  /// Draws exactly one number per lane, plus one per spawn, whatever the frog does.
  static func advanceTraffic(_ s: inout State, rng: inout PCG32) {
    let w = Float(s.side)
    for r in 0..<s.side {
      let t = s.terrain(r)
      guard t == .road || t == .water else { continue }
      let v = s.speeds[r]
      let len = t == .road ? carLength : logLength
      var lane = s.lanes[r]
      s.lanes[r] = Lane()  // keep `lane` uniquely referenced while editing it
      for i in lane.xs.indices { lane.xs[i] += v }
      var k = 0
      for i in lane.xs.indices where !(v > 0 ? lane.xs[i] > w : lane.xs[i] + len < 0) {
        lane.xs[k] = lane.xs[i]; lane.looks[k] = lane.looks[i]; k += 1
      }
      lane.xs.removeLast(lane.xs.count - k)
      lane.looks.removeLast(lane.looks.count - k)
      let p = abs(v) / (t == .road ? 6 : 2)
      let spawnX = v > 0 ? -len : w
      let roll = rng.unit()
      if roll < p {
        let free = v > 0 ? !lane.xs.contains { $0 < spawnX + len } : !lane.xs.contains { $0 + len > spawnX }
        if free {
          lane.xs.append(spawnX)
          lane.looks.append(UInt8(rng.below(t == .road ? carLooks : logLooks)))
        }
      }
      s.lanes[r] = lane
    }
  }

  /// The direction index of an action (horizontal wins on diagonals), or nil.
  static func direction(_ a: Action) -> Int? {
    if a.dx != 0 { return a.dx < 0 ? 0 : 1 }
    if a.dy != 0 { return a.dy < 0 ? 2 : 3 }
    return nil
  }

  /// Moves the frog one step against traffic that has already moved this step.
  static func moveFrog(_ f: inout Frog, dir: Int?, _ s: State) -> StepOutcome {
    let w = Float(s.side)
    var hopping = f.hop > 0
    if !hopping {
      if let d = dir {
        let tx = f.x + Float(dirDX[d]), tr = f.row + dirDY[d]
        if tx >= 0 && tx < w && tr >= 0 && tr < s.side {
          f.dir = d
          hopping = true
        }
      }
      if !hopping && s.terrain(f.row) == .water { f.x += s.speeds[f.row] }
    }
    if hopping {
      // A hop keeps the drift of the log it started from.
      let carry: Float = s.terrain(f.row) == .water ? s.speeds[f.row] : 0
      f.x += Float(dirDX[f.dir]) * hopStep + carry
      f.hop += 1
      if f.hop == hopSteps {
        f.hop = 0
        f.row += dirDY[f.dir]
        if s.terrain(f.row) != .water { f.x = f.x.rounded(.down) + 0.5 }
      }
    }
    if f.x < 0 || f.x > w { return .died }
    // Cars: box overlap with any car in the rows the frog touches.
    let fy = f.y
    let r0 = max(0, Int((fy - frogHalf).rounded(.down))), r1 = min(s.side - 1, Int((fy + frogHalf).rounded(.down)))
    if r0 <= r1 {
      for r in r0...r1 where s.terrain(r) == .road {
        let top = Float(r) + 1 - carInset, bottom = Float(r) + carInset
        guard fy - frogHalf < top && fy + frogHalf > bottom else { continue }
        for cx in s.lanes[r].xs where f.x - frogHalf < cx + carLength && f.x + frogHalf > cx { return .died }
      }
    }
    if f.hop == 0 {
      switch s.terrain(f.row) {
      case .water:
        if !s.lanes[f.row].xs.contains(where: { $0 <= f.x && f.x <= $0 + logLength }) { return .died }
      case .finish:
        return .won
      default: break
      }
    }
    return .running
  }

  public func step(_ s: inout State, action: Action, rng: inout PCG32) -> StepEvents {
    Leaper.advanceTraffic(&s, rng: &rng)
    var f = s.frog
    let outcome = Leaper.moveFrog(&f, dir: Leaper.direction(action), s)
    s.frog = f
    return StepEvents(reward: outcome == .won ? 10 : 0, outcome: outcome, cause: outcome == .died ? Leaper.deathCause(f, s) : nil)
  }

  /// Why `moveFrog` said the frog died, for people: the same tests, in its order.
  static func deathCause(_ f: Frog, _ s: State) -> String {
    if f.x < 0 || f.x > Float(s.side) { return "Carried off the screen" }
    return f.hop == 0 && s.terrain(f.row) == .water ? "Fell into the water" : "Hit by a car"
  }

  // MARK: - Saving

  public func encode(_ s: State, into w: inout ByteWriter) {
    w.int(s.side); w.u8s(s.rows); w.f32s(s.speeds)
    for lane in s.lanes { w.f32s(lane.xs); w.u8s(lane.looks) }
    w.f32(s.frog.x); w.int(s.frog.row); w.int(s.frog.hop); w.int(s.frog.dir)
    w.int(s.startX); w.int(s.startRow); w.int(s.theme)
  }

  public func decode(from r: inout ByteReader) throws -> State {
    let n = try r.int("world size", in: worldSide...worldSide)
    let rows = try r.u8s("rows", count: n, max: Terrain.finish.rawValue)
    let ns = try r.count("lane speeds", max: n)
    guard ns == n else { throw r.invalid("lane speeds", "count \(ns) does not match the world size (\(n))") }
    var speeds: [Float] = []
    for y in 0..<n { speeds.append(try r.f32("row \(y) speed", in: -Leaper.maxSpeed...Leaper.maxSpeed)) }
    let w = Float(n)
    var lanes: [Lane] = []
    for y in 0..<n {
      let t = Terrain(rawValue: rows[y])!
      let isLane = t == .road || t == .water
      guard isLane == (speeds[y] != 0) else { throw r.invalid("row \(y) speed", "\(speeds[y]) does not suit its terrain") }
      // Movers enter one length before the world and leave just after it.
      let count = try r.count("row \(y) movers", max: isLane ? 4 * n : 0)
      var xs: [Float] = []
      for _ in 0..<count { xs.append(try r.f32("row \(y) mover x", in: -4...(w + 4))) }
      let looks = try r.u8s("row \(y) mover looks", count: count, max: UInt8((t == .road ? Leaper.carLooks : Leaper.logLooks) - 1))
      lanes.append(Lane(xs: xs, looks: looks))
    }
    let fx = try r.f32("frog x", in: -1...(w + 1)), row = try r.int("frog row", in: 0...(n - 1))
    let hop = try r.int("frog hop", in: 0...(Leaper.hopSteps - 1)), dir = try r.int("frog dir", in: 0...3)
    try r.check(row + (hop > 0 ? Leaper.dirDY[dir] : 0), "frog hop target row", in: 0...(n - 1))
    let sx = try r.int("start x", in: 0...(n - 1)), sr = try r.int("start row", in: 0...(n - 1))
    let theme = try r.int("theme", in: 0...(Leaper.themes.count - 1))
    var s = State(side: n, rows: rows, speeds: speeds, lanes: lanes, frog: Frog(x: fx, row: row, hop: hop, dir: dir),
                  startX: sx, startRow: sr, theme: theme, layoutKey: 0, tiles: [])
    Leaper.derive(&s)
    return s
  }
}

/// The four little-endian bytes of `bits`.
private func leaperBytes(_ bits: UInt32) -> [UInt8] {
  [UInt8(truncatingIfNeeded: bits), UInt8(truncatingIfNeeded: bits >> 8),
   UInt8(truncatingIfNeeded: bits >> 16), UInt8(truncatingIfNeeded: bits >> 24)]
}
