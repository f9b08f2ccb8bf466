import ArcadeCore
@testable import ArcadeGames

/// leaper's solver: a breadth-first search over the frog's states against the
/// action-independent traffic; only the tests use it.
extension Leaper {
  /// Position buckets per cell in `solve`.
  static let solverBuckets = 4

  /// The shortest action sequence (at most `maxSteps` long) that wins level `s`
  /// when the traffic is driven by `dynamics`, or nil. Searches the frog's
  /// states (position, row, hop phase and direction) step by step against the
  /// traffic, which does not depend on the actions. States that differ only by
  /// a position inside the same quarter cell (frogs drifting on logs) are merged,
  /// keeping a real representative: a returned sequence always wins, and the
  /// search can only miss very tight solutions. On land positions are cell centres.
  static func solve(_ start: State, dynamics: PCG32, maxSteps: Int) -> [Action]? {
    struct Node { var frog: Frog; var parent: Int32; var action: UInt8 }
    if start.frog.hop == 0 && start.terrain(start.frog.row) == .finish { return [] }
    var traffic = start
    var rng = dynamics
    var layers: [[Node]] = [[Node(frog: start.frog, parent: -1, action: 4)]]
    // Visited marks per layer: (x bucket, row, hop, dir) -> last layer that saw it.
    let q = Leaper.solverBuckets
    let buckets = (start.side + 2) * q
    var seen = [Int32](repeating: -1, count: buckets * start.side * hopSteps * 4)
    let choices: [(Int?, UInt8)] = [(nil, 4), (0, 1), (1, 7), (2, 3), (3, 5)]
    for _ in 0..<maxSteps {
      advanceTraffic(&traffic, rng: &rng)
      let stamp = Int32(layers.count)
      var next: [Node] = []
      let prev = layers[layers.count - 1]
      for (pi, node) in prev.enumerated() {
        for (dir, code) in choices {
          if node.frog.hop > 0 && dir != nil { break }  // in flight: every action is the same
          var f = node.frog
          let outcome = moveFrog(&f, dir: dir, traffic)
          if outcome == .died { continue }
          let child = Node(frog: f, parent: Int32(pi), action: code)
          if outcome == .won {
            var path = [Action(Int(code))]
            var i = Int(child.parent), layer = layers.count - 1
            while layer > 0 {
              let n = layers[layer][i]
              path.append(Action(Int(n.action)))
              i = Int(n.parent); layer -= 1
            }
            return path.reversed()
          }
          let qx = min(buckets - 1, max(0, Int(((f.x + 1) * Float(q)).rounded(.down))))
          let key = ((qx * start.side + f.row) * hopSteps + f.hop) * 4 + f.dir
          if seen[key] != stamp { seen[key] = stamp; next.append(child) }
        }
      }
      if next.isEmpty { return nil }
      layers.append(next)
    }
    return nil
  }
}
