/// Side-view movement against a tile map (coinrun, climber, jumper, ninja):
/// gravity, running with ground/air control, jumps and one-way platforms,
/// on top of `BoxMover`'s sub-stepped collision resolution.
///
/// A step is: `isSupported` (before moving), the game sets `vx`/`vy`
/// (`run`, jumps), `move`, then `fall` (gravity after the move, so a jump
/// of speed v under gravity g rises v + (v−g) + (v−2g) + … cells).
/// Nothing here allocates or draws random numbers.
public enum Platformer {
  /// How a cell behaves for a moving body.
  public enum Cell: Sendable { case open, solid, platform }

  /// Tolerance for "standing exactly on a cell edge".
  public static let epsilon: Float = 0.02

  /// The row right under the box and the columns its (shrunk) bottom edge
  /// covers; nil unless that edge lies on a cell edge. Both support tests read it.
  @inlinable
  static func cellsBelow(_ b: MovingBox) -> (row: Int, x0: Int, x1: Int)? {
    let bottom = b.y - b.ry
    let row = bottom.rounded(.toNearestOrEven)
    guard abs(bottom - row) < epsilon else { return nil }
    let sx = b.rx * BoxMover.shrink
    return (Int(row) - 1, Int((b.x - sx).rounded(.down)), Int((b.x + sx).rounded(.down)))
  }

  /// Whether the box rests on a solid or platform cell right under its bottom edge.
  @inlinable
  public static func isSupported(_ b: MovingBox, cell: (Int, Int) -> Cell) -> Bool {
    guard let below = cellsBelow(b) else { return false }
    for cx in below.x0...below.x1 {
      switch cell(cx, below.row) {
      case .solid, .platform: return true
      case .open: continue
      }
    }
    return false
  }

  /// Whether a platform cell lies right under the box and no solid one does (so "down" can drop through).
  @inlinable
  public static func isOnPlatformOnly(_ b: MovingBox, cell: (Int, Int) -> Cell) -> Bool {
    guard let below = cellsBelow(b) else { return false }
    var platform = false
    for cx in below.x0...below.x1 {
      switch cell(cx, below.row) {
      case .solid: return false
      case .platform: platform = true
      case .open: break
      }
    }
    return platform
  }

  /// Mixes the horizontal speed toward `maxSpeed·dx` with rate `mix`.
  @inlinable
  public static func run(_ b: inout MovingBox, dx: Int, maxSpeed: Float, mix: Float) {
    b.vx = (1 - mix) * b.vx + mix * maxSpeed * Float(dx)
  }

  /// Gravity: the vertical speed drops by `gravity`, down to −`maxFall`.
  @inlinable
  public static func fall(_ b: inout MovingBox, gravity: Float, maxFall: Float) {
    b.vy = max(b.vy - gravity, -maxFall)
  }

  /// Moves the box. Solid cells always block; platform cells block only a
  /// body that was completely above them when the move began and is moving
  /// down (so it jumps up through them and lands on them), unless
  /// `dropThrough`. A blocked axis loses its speed.
  @inlinable
  @discardableResult
  public static func move(_ b: inout MovingBox, dropThrough: Bool = false, cell: (Int, Int) -> Cell) -> (x: Bool, y: Bool) {
    let startBottom = b.y - b.ry
    let falling = b.vy <= 0
    let hit = BoxMover.move(&b) { cx, cy in
      switch cell(cx, cy) {
      case .solid: return true
      case .open: return false
      case .platform: return falling && !dropThrough && Float(cy + 1) <= startBottom + epsilon
      }
    }
    if hit.x { b.vx = 0 }
    if hit.y { b.vy = 0 }
    return hit
  }

  /// Peak rise (cells) of a jump with speed `v` under `gravity` applied after each move.
  public static func jumpHeight(speed v: Float, gravity g: Float) -> Float {
    var h: Float = 0, s = v
    while s > 0 { h += s; s -= g }
    return h
  }

  /// Steps a jump spends at or above `dy` cells over its start (0 if it never gets there).
  public static func airSteps(speed v: Float, gravity g: Float, maxFall: Float, above dy: Float) -> Int {
    var y: Float = 0, s = v, k = 0
    while k < 400 {
      y += s
      s = max(s - g, -maxFall)
      if y < dy && s <= 0 { break }
      k += 1
    }
    return k
  }
}

extension Viewport {
  /// A square of `side` cells centred on (x, y), moved to whole frame
  /// pixels (so panned tile layers can be copied from a pre-rendered map).
  public static func pixelAligned(x: Float, y: Float, side: Float) -> Viewport {
    let k = Float(Canvas.size) / side
    return Viewport(x0: ((x - side / 2) * k).rounded(.down) / k, y0: ((y - side / 2) * k).rounded(.down) / k, side: side)
  }
}
