/// Cave helpers shared by jumper and caveflyer (ProcGen's `RoomGenerator`):
/// cellular automaton smoothing, largest open region, shortest path and
/// path widening. Grids are row-major `true` = wall, y up.
public enum CaveGenerator {
  /// One automaton pass: a cell becomes wall when at least `threshold` cells
  /// of its 3×3 neighbourhood (itself included) are wall; cells outside the
  /// map count as wall. Cells where `keepOpen` is true stay open.
  public static func smooth(_ wall: inout [Bool], width w: Int, height h: Int, threshold: Int = 5,
                            keepOpen: [Bool]? = nil) {
    let old = wall
    for y in 0..<h {
      for x in 0..<w {
        var n = 0
        for dy in -1...1 {
          for dx in -1...1 {
            let nx = x + dx, ny = y + dy
            if nx < 0 || ny < 0 || nx >= w || ny >= h || old[ny * w + nx] { n += 1 }
          }
        }
        wall[y * w + x] = n >= threshold
        if let k = keepOpen, k[y * w + x] { wall[y * w + x] = false }
      }
    }
  }

  /// Walls off every open cell outside the largest 4-connected open region
  /// (ties: the region found first in row-major order). Returns its size.
  @discardableResult
  public static func keepLargestRegion(_ wall: inout [Bool], width w: Int, height h: Int) -> Int {
    var label = [Int](repeating: -1, count: w * h)
    var best = -1, bestSize = 0, next = 0
    for i in 0..<(w * h) where !wall[i] && label[i] < 0 {
      let d = GridSearch.distances(width: w, height: h, from: i) { !wall[$0] }
      var size = 0
      for j in 0..<(w * h) where d[j] >= 0 { label[j] = next; size += 1 }
      if size > bestSize { bestSize = size; best = next }
      next += 1
    }
    for i in 0..<(w * h) where !wall[i] && label[i] != best { wall[i] = true }
    return bestSize
  }

  /// A shortest 4-connected open path from `a` to `b` (cell indices), both included; empty if none.
  public static func path(_ wall: [Bool], width w: Int, height h: Int, from a: Int, to b: Int) -> [Int] {
    let d = GridSearch.distances(width: w, height: h, from: b) { !wall[$0] }
    guard d[a] >= 0 else { return [] }
    var out = [a]
    var c = a
    while c != b {
      let x = c % w, y = c / w
      for (nx, ny) in [(x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)]
      where nx >= 0 && ny >= 0 && nx < w && ny < h && d[ny * w + nx] == d[c] - 1 {
        c = ny * w + nx
        break
      }
      out.append(c)
    }
    return out
  }

  /// The cells within `radius` steps (8-neighbourhood, i.e. Chebyshev distance) of `cells`.
  public static func widen(_ cells: [Int], width w: Int, height h: Int, radius: Int) -> [Bool] {
    var mark = [Bool](repeating: false, count: w * h)
    for c in cells {
      let x = c % w, y = c / w
      for yy in max(0, y - radius)...min(h - 1, y + radius) {
        for xx in max(0, x - radius)...min(w - 1, x + radius) { mark[yy * w + xx] = true }
      }
    }
    return mark
  }
}
