import ArcadeCore

/// A game whose `grid` shows its whole square world, of a side set by the
/// mode (chaser, heist, leaper, maze, miner): the grid size is stated once here.
protocol WholeWorldGrid: ModeSizedWorld {}

extension WholeWorldGrid {
  public var gridSize: (height: Int, width: Int) { (worldSide, worldSide) }
}

extension Chaser: WholeWorldGrid {}
extension Heist: WholeWorldGrid {}
extension Leaper: WholeWorldGrid {}
extension Maze: WholeWorldGrid {}
extension Miner: WholeWorldGrid {}

extension WholeWorldGrid {
  /// The frame's view of a world of `side`: all of it, or in memory mode
  /// ProcGen's window of 8 cells centred on the agent at (`agentX`, `agentY`).
  func frameView(side: Int, agentX: Float, agentY: Float) -> Viewport {
    options.mode == .memory ? .centred(x: agentX, y: agentY, side: 8) : .whole(width: side, height: side)
  }
}
