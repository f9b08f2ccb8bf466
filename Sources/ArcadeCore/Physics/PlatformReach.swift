/// Conservative reachability for side-view levels (coinrun, climber,
/// jumper, ninja), used by generators to reject unsolvable levels.
///
/// Model (documented because solvability tests rely on it):
/// * A *stand* is an open, non-hazard cell whose cell below is solid or a
///   platform: a body one cell tall can rest there.
/// * From stand (x, y) the agent reaches stand (x', y') with dy = y' − y
///   and D = |x' − x| when dy ≤ `maxRise` and D ≤ `reach(dy)` (the
///   horizontal distance covered while the jump is at or above dy, at a
///   fraction of top speed; falls use the dy = 0 reach plus one cell per
///   three rows dropped, capped at `maxReach`), and the arc is clear:
///   - the take-off column is open (or platform) from y to max(y, y');
///   - the landing column is open (or platform) from y' to max(y, y');
///   - the i-th column in between (i = 1…D−1) is open (or platform) from
///     min(y + i, y' + D − i) to max(y, y') — the arc rises and
///     descends at least one row per column near its ends;
///   - no hazard lies in any of those cells.
/// * D = 0 moves are straight jumps up (through platforms) within
///   `maxRise`, and drops through platforms when `canDrop`.
/// Everything the model accepts the physics can do (with margin), so a
/// level it accepts is solvable; it may reject some solvable ones.
public struct PlatformReach: Sendable {
  public enum Kind: Sendable { case open, solid, platform, hazard }

  public let maxRise: Int
  /// reach[dy] for dy in 0...maxRise.
  public let reach: [Int]
  public let maxReach: Int
  public let canDrop: Bool

  public init(maxRise: Int, reach: [Int], maxReach: Int, canDrop: Bool = false) {
    self.maxRise = maxRise; self.reach = reach; self.maxReach = maxReach; self.canDrop = canDrop
  }

  /// A model from jump physics: jump speed, gravity (applied after the
  /// move), terminal speed, top run speed and the fraction of it assumed.
  public init(jumpSpeed: Float, gravity: Float, maxFall: Float, runSpeed: Float, fraction: Float = 0.8,
              riseMargin: Float = 0.4, canDrop: Bool = false) {
    let peak = Platformer.jumpHeight(speed: jumpSpeed, gravity: gravity)
    let rise = Int((peak - riseMargin).rounded(.down))
    var r: [Int] = []
    for dy in 0...max(0, rise) {
      let k = Platformer.airSteps(speed: jumpSpeed, gravity: gravity, maxFall: maxFall, above: Float(dy))
      r.append(max(1, Int((Float(k) * runSpeed * fraction).rounded(.down))))
    }
    self.init(maxRise: rise, reach: r, maxReach: r[0] + 2, canDrop: canDrop)
  }

  func reachFor(_ dy: Int) -> Int {
    dy >= 0 ? reach[dy] : min(maxReach, reach[0] + (-dy) / 3)
  }

  /// Reachable stands from `start` (which must be a stand) in a width × height
  /// map; cells outside read as solid. Returns a width·height mask.
  public func reachable(width w: Int, height h: Int, start: (x: Int, y: Int), kind: (Int, Int) -> Kind) -> [Bool] {
    // The map's kinds, read once: the search below looks at each cell many times.
    var kinds = [Kind](repeating: .solid, count: w * h)
    for y in 0..<h { for x in 0..<w { kinds[y * w + x] = kind(x, y) } }
    return kinds.withUnsafeBufferPointer { search(width: w, height: h, start: start, kinds: $0) }
  }

  func search(width w: Int, height h: Int, start: (x: Int, y: Int), kinds: UnsafeBufferPointer<Kind>) -> [Bool] {
    func k(_ x: Int, _ y: Int) -> Kind { x < 0 || y < 0 || x >= w || y >= h ? .solid : kinds[y * w + x] }
    func passable(_ x: Int, _ y: Int) -> Bool { let t = k(x, y); return t == .open || t == .platform }
    var stand = [Bool](repeating: false, count: w * h)
    for y in 0..<h {
      for x in 0..<w where k(x, y) == .open {
        let b = k(x, y - 1)
        stand[y * w + x] = b == .solid || b == .platform
      }
    }
    func clear(_ x: Int, _ y0: Int, _ y1: Int) -> Bool {
      if y0 > y1 { return true }
      for y in y0...y1 where !passable(x, y) { return false }
      return true
    }
    var seen = [Bool](repeating: false, count: w * h)
    var queue: [Int] = []
    let s0 = start.y * w + start.x
    guard start.x >= 0, start.y >= 0, start.x < w, start.y < h else { return seen }
    seen[s0] = true
    queue.append(s0)
    var head = 0
    while head < queue.count {
      let cur = queue[head]; head += 1
      let x = cur % w, y = cur / w
      for y2 in max(0, y - h)...min(h - 1, y + maxRise) {
        let dy = y2 - y
        let R = reachFor(dy)
        for x2 in max(0, x - R)...min(w - 1, x + R) {
          let i2 = y2 * w + x2
          guard stand[i2], !seen[i2] else { continue }
          let D = abs(x2 - x)
          let top = max(y, y2)
          var ok: Bool
          if D == 0 {
            if dy > 0 { ok = clear(x, y, top) }
            else if dy < 0 && canDrop {
              ok = true
              for yy in (y2 + 1)..<y where k(x, yy) == .solid || k(x, yy) == .hazard { ok = false }
              if k(x, y - 1) != .platform { ok = false }
            } else { ok = false }
          } else {
            ok = clear(x, y, top) && clear(x2, y2, top)
            if ok && D > 1 {
              let sx = x2 > x ? 1 : -1
              for i in 1..<D where ok {
                ok = clear(x + sx * i, min(y + i, y2 + D - i), top)
              }
            }
          }
          if ok { seen[i2] = true; queue.append(i2) }
        }
      }
    }
    return seen
  }
}
