/// A free-moving object of the arcade games (fish, ships, bullets, balls):
/// an axis-aligned box in world cells (y up) with centre, half-extents and
/// velocity, a game-defined kind and look, and a few counters games use as
/// they need (health, remaining life, a timer and two scratch values).
///
/// Plain value type with no references, so lists of entities are copied and
/// saved bit for bit.
public struct Entity: Sendable, Equatable {
  public var x: Float, y: Float
  public var rx: Float, ry: Float
  public var vx: Float, vy: Float
  /// Game-defined type (fish, bullet, ...).
  public var kind: UInt8
  /// Sprite variant / colour theme.
  public var look: UInt8
  /// Drawn mirrored left-to-right.
  public var mirrored: Bool
  public var health: Int32
  /// Steps left before the entity expires; negative = lives until removed.
  public var life: Int32
  /// Game-defined counter (cooldown, pattern phase, ...).
  public var timer: Int32
  /// Game-defined scratch values.
  public var a: Float, b: Float

  public init(
    x: Float, y: Float, rx: Float, ry: Float, vx: Float = 0, vy: Float = 0, kind: UInt8 = 0, look: UInt8 = 0,
    mirrored: Bool = false, health: Int32 = 1, life: Int32 = -1, timer: Int32 = 0, a: Float = 0, b: Float = 0
  ) {
    self.x = x; self.y = y; self.rx = rx; self.ry = ry; self.vx = vx; self.vy = vy
    self.kind = kind; self.look = look; self.mirrored = mirrored
    self.health = health; self.life = life; self.timer = timer; self.a = a; self.b = b
  }

  /// A square entity of radius `r`.
  public init(x: Float, y: Float, r: Float, vx: Float = 0, vy: Float = 0, kind: UInt8 = 0, look: UInt8 = 0) {
    self.init(x: x, y: y, rx: r, ry: r, vx: vx, vy: vy, kind: kind, look: look)
  }

  /// Box overlap (strict), with an optional margin added to both boxes.
  @inlinable
  public func overlaps(_ o: Entity, margin: Float = 0) -> Bool {
    abs(x - o.x) < rx + o.rx + margin && abs(y - o.y) < ry + o.ry + margin
  }

  /// Circle overlap using each entity's horizontal half-extent as radius.
  @inlinable
  public func touchesCircle(_ o: Entity) -> Bool {
    let dx = x - o.x, dy = y - o.y, r = rx + o.rx
    return dx * dx + dy * dy < r * r
  }

  /// Adds the velocity to the position.
  @inlinable
  public mutating func integrate() {
    x += vx
    y += vy
  }

  /// Whether the box lies completely outside [0, w] × [0, h] (with `margin`).
  @inlinable
  public func isOutside(width w: Float, height h: Float, margin: Float = 0) -> Bool {
    x + rx < -margin || x - rx > w + margin || y + ry < -margin || y - ry > h + margin
  }

  /// Keeps the box inside [0, w] × [0, h], zeroing the velocity on the clamped axes.
  @inlinable
  public mutating func clamp(width w: Float, height h: Float) {
    if x - rx < 0 { x = rx; vx = 0 } else if x + rx > w { x = w - rx; vx = 0 }
    if y - ry < 0 { y = ry; vy = 0 } else if y + ry > h { y = h - ry; vy = 0 }
  }

  /// The entity as a `MovingBox`, for `BoxMover`.
  @inlinable public var box: MovingBox {
    get { MovingBox(x: x, y: y, rx: rx, ry: ry, vx: vx, vy: vy) }
    set { x = newValue.x; y = newValue.y; rx = newValue.rx; ry = newValue.ry; vx = newValue.vx; vy = newValue.vy }
  }

  /// ProcGen's inertial steering (`BoxMover.steer`) followed by a move that
  /// treats everything outside the `w` × `h` world as blocking.
  @inlinable
  public mutating func steerInside(dx: Int, dy: Int, maxSpeed: Float, mix: Float = 0.5, width w: Int, height h: Int) {
    var bx = box
    BoxMover.steer(&bx, dx: dx, dy: dy, maxSpeed: maxSpeed, mix: mix)
    BoxMover.move(&bx) { cx, cy in cx < 0 || cy < 0 || cx >= w || cy >= h }
    box = bx
  }

  /// Inclusive cell ranges the box covers (not shrunk); may lie outside the world.
  @inlinable
  public func cellRange() -> (x0: Int, x1: Int, y0: Int, y1: Int) {
    (Int((x - rx).rounded(.down)), Int((x + rx).rounded(.down) - ((x + rx).rounded(.down) == x + rx ? 1 : 0)),
     Int((y - ry).rounded(.down)), Int((y + ry).rounded(.down) - ((y + ry).rounded(.down) == y + ry ? 1 : 0)))
  }

  /// The cell that holds the centre.
  @inlinable public var cell: (x: Int, y: Int) { (Int(x.rounded(.down)), Int(y.rounded(.down))) }
}

/// Entities in spawn order, in storage reserved up front: appending within the
/// capacity and removing never allocate, so stepping a game does not allocate.
/// When full, further appends are dropped (deterministically).
public struct EntityList: Sendable, Equatable, RandomAccessCollection, MutableCollection {
  public private(set) var items: [Entity]
  public let capacity: Int

  public init(capacity: Int) {
    self.capacity = capacity
    items = []
    items.reserveCapacity(capacity)
  }

  public var startIndex: Int { 0 }
  public var endIndex: Int { items.count }
  public subscript(i: Int) -> Entity {
    get { items[i] }
    set { items[i] = newValue }
  }

  public var isFull: Bool { items.count >= capacity }

  /// Appends `e` unless the list is full; returns whether it was added.
  @discardableResult
  public mutating func append(_ e: Entity) -> Bool {
    guard items.count < capacity else { return false }
    items.append(e)
    return true
  }

  /// Removes the entities for which `remove` is true, keeping the order of the rest.
  public mutating func removeAll(where remove: (Entity) -> Bool) {
    var k = 0
    for i in 0..<items.count where !remove(items[i]) {
      if k != i { items[k] = items[i] }
      k += 1
    }
    items.removeLast(items.count - k)
  }

  public mutating func remove(at i: Int) { items.remove(at: i) }
  public mutating func removeAll() { items.removeAll(keepingCapacity: true) }

  /// Counts the entities of `kind`.
  public func count(kind: UInt8) -> Int {
    var n = 0
    for e in items where e.kind == kind { n += 1 }
    return n
  }

  /// Advances lifetimes: entities with positive life lose one step; those
  /// reaching 0 are removed.
  public mutating func age() {
    for i in 0..<items.count where items[i].life > 0 { items[i].life -= 1 }
    removeAll { $0.life == 0 }
  }
}

extension ByteWriter {
  public mutating func entity(_ e: Entity) {
    f32(e.x); f32(e.y); f32(e.rx); f32(e.ry); f32(e.vx); f32(e.vy)
    u8(e.kind); u8(e.look); bool(e.mirrored)
    i32(e.health); i32(e.life); i32(e.timer); f32(e.a); f32(e.b)
  }

  public mutating func entities(_ list: EntityList) {
    u32(UInt32(list.count))
    for e in list { entity(e) }
  }
}

/// Where a game's entities may legitimately be: the world [0, width] × [0, height]
/// widened by `margin` (spawns off-screen, objects leaving it), half-extents up
/// to `maxSize` and speeds up to `maxSpeed` cells per step.
public struct EntityBounds: Sendable {
  public var width: Float, height: Float, margin: Float
  public var maxSize: Float, maxSpeed: Float
  /// Bound of the game-defined counters (health, life, timer), so a step's
  /// ±1 never overflows them.
  public var maxCounter: Int32
  /// Bound of the scratch values `a` and `b`.
  public var maxScratch: Float

  public init(width: Float, height: Float, margin: Float, maxSize: Float = 4, maxSpeed: Float = 4,
              maxCounter: Int32 = 1 << 20, maxScratch: Float = 1_000_000) {
    self.width = width; self.height = height; self.margin = margin
    self.maxSize = maxSize; self.maxSpeed = maxSpeed; self.maxCounter = maxCounter; self.maxScratch = maxScratch
  }

  public init(width: Int, height: Int, margin: Float, maxSize: Float = 4, maxSpeed: Float = 4) {
    self.init(width: Float(width), height: Float(height), margin: margin, maxSize: maxSize, maxSpeed: maxSpeed)
  }
}

extension ByteReader {
  /// One entity (`what` names it in errors): position inside `bounds`, sizes
  /// in (0, maxSize], speeds, counters and scratch values bounded, kind below `kinds`.
  public mutating func entity(_ what: String, kinds: Int, bounds b: EntityBounds) throws -> Entity {
    let x = try f32("\(what) x", in: -b.margin...(b.width + b.margin))
    let y = try f32("\(what) y", in: -b.margin...(b.height + b.margin))
    let rx = try f32("\(what) rx", in: 0...b.maxSize), ry = try f32("\(what) ry", in: 0...b.maxSize)
    guard rx > 0, ry > 0 else { throw invalid("\(what) size", "must be positive") }
    let vx = try f32("\(what) vx", in: -b.maxSpeed...b.maxSpeed), vy = try f32("\(what) vy", in: -b.maxSpeed...b.maxSpeed)
    let kind = try u8("\(what) kind", in: 0...UInt8(kinds - 1)), look = try u8("\(what) look")
    let mir = try bool("\(what) mirrored")
    let c = -b.maxCounter...b.maxCounter
    let health = try i32("\(what) health", in: c), life = try i32("\(what) life", in: c)
    let timer = try i32("\(what) timer", in: c)
    let a = try f32("\(what) a", in: -b.maxScratch...b.maxScratch), bb = try f32("\(what) b", in: -b.maxScratch...b.maxScratch)
    return Entity(x: x, y: y, rx: rx, ry: ry, vx: vx, vy: vy, kind: kind, look: look, mirrored: mir,
                  health: health, life: life, timer: timer, a: a, b: bb)
  }

  /// A list written by `ByteWriter.entities`, into a list of `capacity`.
  public mutating func entities(_ what: String, capacity: Int, kinds: Int, bounds: EntityBounds) throws -> EntityList {
    let n = try count(what, max: capacity)
    var list = EntityList(capacity: capacity)
    for i in 0..<n { list.append(try entity("\(what) \(i)", kinds: kinds, bounds: bounds)) }
    return list
  }
}
