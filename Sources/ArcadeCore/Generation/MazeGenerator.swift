/// Maze generators shared by the grid games (maze, heist, chaser).
public enum MazeGenerator {
  /// A perfect maze of odd side `n` by randomised Kruskal: cells with both
  /// coordinates even are rooms; walls between rooms are knocked down in
  /// random order when they join two different sets. Returns `true` = wall,
  /// row-major with y pointing up.
  public static func kruskal(side n: Int, rng: inout PCG32) -> [Bool] {
    precondition(n >= 1 && n % 2 == 1, "maze side must be odd")
    var wall = [Bool](repeating: true, count: n * n)
    var parent = [Int](repeating: 0, count: n * n)
    for i in 0..<(n * n) { parent[i] = i }
    func find(_ i: Int) -> Int {
      var i = i
      while parent[i] != i { parent[i] = parent[parent[i]]; i = parent[i] }
      return i
    }
    var candidates: [Int] = []
    for y in 0..<n {
      for x in 0..<n {
        if x % 2 == 0 && y % 2 == 0 { wall[y * n + x] = false }
        // A wall cell between two rooms, horizontally or vertically.
        if (x % 2 == 1 && y % 2 == 0) || (x % 2 == 0 && y % 2 == 1) { candidates.append(y * n + x) }
      }
    }
    rng.shuffle(&candidates)
    for c in candidates {
      let x = c % n
      let (a, b) = x % 2 == 1 ? (c - 1, c + 1) : (c - n, c + n)
      let ra = find(a), rb = find(b)
      if ra != rb {
        parent[ra] = rb
        wall[c] = false
      }
    }
    return wall
  }

  /// Removes dead ends: every open cell with a single open neighbour gets one
  /// random adjacent wall (inside the maze) knocked out.
  public static func removeDeadEnds(_ wall: inout [Bool], side n: Int, rng: inout PCG32) {
    for y in stride(from: 0, to: n, by: 2) {
      for x in stride(from: 0, to: n, by: 2) {
        let dirs = [(1, 0), (-1, 0), (0, 1), (0, -1)]
        let open = dirs.filter { d in inside(x + d.0, y + d.1, n) && !wall[(y + d.1) * n + x + d.0] }
        if open.count == 1 {
          let closed = dirs.filter { d in inside(x + 2 * d.0, y + 2 * d.1, n) && wall[(y + d.1) * n + x + d.0] }
          if !closed.isEmpty {
            let d = closed[rng.below(closed.count)]
            wall[(y + d.1) * n + x + d.0] = false
          }
        }
      }
    }
  }

  @inlinable static func inside(_ x: Int, _ y: Int, _ n: Int) -> Bool {
    x >= 0 && y >= 0 && x < n && y < n
  }
}

/// Breadth-first search over a grid of passable cells (4-neighbourhood).
public enum GridSearch {
  /// Distance in steps from `start` to every cell (-1 = unreachable).
  public static func distances(width: Int, height: Int, from start: Int, passable: (Int) -> Bool) -> [Int] {
    search(width: width, height: height, from: start, passable: passable).dist
  }

  /// The cells reachable from `start`, in the order the search reaches them
  /// (start first). `passable` may be asked about a refused cell more than once.
  public static func flood(width: Int, height: Int, from start: Int, passable: (Int) -> Bool) -> [Int] {
    search(width: width, height: height, from: start, passable: passable).order
  }

  static func search(width: Int, height: Int, from start: Int, passable: (Int) -> Bool) -> (dist: [Int], order: [Int]) {
    var dist = [Int](repeating: -1, count: width * height)
    guard start >= 0, start < width * height else { return (dist, []) }
    var queue = [start]
    dist[start] = 0
    var head = 0
    while head < queue.count {
      let c = queue[head]; head += 1
      let x = c % width, y = c / width
      for (nx, ny) in [(x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)]
      where nx >= 0 && ny >= 0 && nx < width && ny < height {
        let n = ny * width + nx
        if dist[n] < 0 && passable(n) {
          dist[n] = dist[c] + 1
          queue.append(n)
        }
      }
    }
    return (dist, queue)
  }
}
