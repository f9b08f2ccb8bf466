/// A free-moving axis-aligned box in world cells (y up): centre, half-extents
/// and velocity in cells per step.
public struct MovingBox: Sendable, Equatable {
  public var x: Float, y: Float
  public var rx: Float, ry: Float
  public var vx: Float, vy: Float

  public init(x: Float, y: Float, rx: Float, ry: Float, vx: Float = 0, vy: Float = 0) {
    self.x = x; self.y = y; self.rx = rx; self.ry = ry; self.vx = vx; self.vy = vy
  }
}

/// Inertial movement of a box against blocking grid cells, with the two axes
/// resolved separately (ProcGen's `sub_step`/`basic_step_object`):
///
/// * the move is split into `max(4, ⌊4·max|v|⌋)` sub-steps, so the leading
///   edge never crosses more than a quarter of a cell per sub-step;
/// * in each sub-step the axis with the larger speed moves first (x on ties,
///   or as `xFirst` says); a move that would make the box (shrunk to 98 %)
///   overlap a blocking cell snaps the box flush against that cell and stops
///   further motion along that axis for this step;
/// * each velocity component is then scaled by the fraction of sub-steps in
///   which that axis moved freely.
///
/// Nothing here allocates or draws random numbers.
public enum BoxMover {
  /// Collision tests use the box shrunk to this fraction, so a box flush
  /// against a wall (or exactly one cell wide) does not touch the next cell.
  public static let shrink: Float = 0.98

  /// Inclusive cell ranges covered by a box (shrunk by `shrink`).
  @inlinable
  public static func cells(x: Float, y: Float, rx: Float, ry: Float)
    -> (x0: Int, x1: Int, y0: Int, y1: Int)
  {
    let sx = rx * shrink, sy = ry * shrink
    return (Int((x - sx).rounded(.down)), Int((x + sx).rounded(.down)),
            Int((y - sy).rounded(.down)), Int((y + sy).rounded(.down)))
  }

  /// Whether the (shrunk) box overlaps a cell for which `blocked` is true.
  @inlinable
  public static func overlaps(x: Float, y: Float, rx: Float, ry: Float, blocked: (Int, Int) -> Bool) -> Bool {
    let c = cells(x: x, y: y, rx: rx, ry: ry)
    for cy in c.y0...c.y1 {
      for cx in c.x0...c.x1 where blocked(cx, cy) { return true }
    }
    return false
  }

  /// The ProcGen velocity rule for a commanded direction (dx, dy ∈ -1...1):
  /// mix toward `maxSpeed·direction` with `mix`, then multiply by `decay`.
  @inlinable
  public static func steer(_ b: inout MovingBox, dx: Int, dy: Int, maxSpeed: Float, mix: Float = 0.5, decay: Float = 0.9) {
    b.vx = ((1 - mix) * b.vx + mix * maxSpeed * Float(dx)) * decay
    b.vy = ((1 - mix) * b.vy + mix * maxSpeed * Float(dy)) * decay
  }

  /// Moves `b` by its velocity; returns which axes were blocked.
  @discardableResult
  public static func move(_ b: inout MovingBox, xFirst: Bool? = nil, blocked: (Int, Int) -> Bool) -> (x: Bool, y: Bool) {
    let speed = max(abs(b.vx), abs(b.vy))
    guard speed > 0, speed.isFinite else { return (false, false) }
    let n = max(4, Int(4 * speed))
    let sx = b.vx / Float(n), sy = b.vy / Float(n)
    let xf = xFirst ?? (abs(b.vx) >= abs(b.vy))
    var hitX = sx == 0, hitY = sy == 0
    var movedX = 0, movedY = 0
    for _ in 0..<n {
      if hitX && hitY { break }
      for axis in 0..<2 {
        let horizontal = (axis == 0) == xf
        if horizontal {
          if hitX { continue }
          let nx = b.x + sx
          if overlaps(x: nx, y: b.y, rx: b.rx, ry: b.ry, blocked: blocked) {
            hitX = true
            // Flush against the cell the leading edge entered.
            let snapped = sx > 0
              ? max(b.x, (nx + b.rx * shrink).rounded(.down) - b.rx)
              : min(b.x, (nx - b.rx * shrink).rounded(.down) + 1 + b.rx)
            if !overlaps(x: snapped, y: b.y, rx: b.rx, ry: b.ry, blocked: blocked) { b.x = snapped }
          } else {
            b.x = nx
            movedX += 1
          }
        } else {
          if hitY { continue }
          let ny = b.y + sy
          if overlaps(x: b.x, y: ny, rx: b.rx, ry: b.ry, blocked: blocked) {
            hitY = true
            let snapped = sy > 0
              ? max(b.y, (ny + b.ry * shrink).rounded(.down) - b.ry)
              : min(b.y, (ny - b.ry * shrink).rounded(.down) + 1 + b.ry)
            if !overlaps(x: b.x, y: snapped, rx: b.rx, ry: b.ry, blocked: blocked) { b.y = snapped }
          } else {
            b.y = ny
            movedY += 1
          }
        }
      }
    }
    let blockedX = sx != 0 && movedX < n, blockedY = sy != 0 && movedY < n
    if blockedX { b.vx *= Float(movedX) / Float(n) }
    if blockedY { b.vy *= Float(movedY) / Float(n) }
    return (blockedX, blockedY)
  }
}
