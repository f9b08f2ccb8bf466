import ArcadeCore

/// A game whose `grid` shows its whole square world, of a side set by the
/// mode (chaser, heist, leaper, maze, miner): the grid size is stated once here.
protocol WholeWorldGrid: Game {
  var worldSide: Int { get }
}

extension WholeWorldGrid {
  public var gridSize: (height: Int, width: Int) { (worldSide, worldSide) }
}

extension Chaser: WholeWorldGrid {}
extension Heist: WholeWorldGrid {}
extension Leaper: WholeWorldGrid {}
extension Maze: WholeWorldGrid {}
extension Miner: WholeWorldGrid {}
