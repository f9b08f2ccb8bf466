import ArcadeCore

/// Per-game action-name tables (index = ProcGen action).
enum GameActions {
  /// Games that move in four directions and use no special key.
  static let fourWay = [
    "left", "left", "left", "down", "no-op", "up", "right", "right", "right",
    "no-op", "no-op", "no-op", "no-op", "no-op", "no-op",
  ]
  /// Games that move in eight directions and use no special key.
  static let eightWay = [
    "left+down", "left", "left+up", "down", "no-op", "up", "right+down", "right", "right+up",
    "no-op", "no-op", "no-op", "no-op", "no-op", "no-op",
  ]
}

/// Helpers for the `grid` observation (row 0 = top, like the frame).
enum GridObs {
  @inline(__always) static func row(_ y: Int, _ height: Int) -> Int { height - 1 - y }
}
