/// One of ProcGen's 15 discrete actions, with the same indices and meaning.
///
/// 0–8 are the 3×3 movement combinations (`dx = a / 3 - 1`, `dy = a % 3 - 1`,
/// y pointing up), 4 is the no-op, and 9–14 are the special keys D A W S Q E.
/// A special action carries no movement.
public struct Action: Sendable, Hashable, CustomStringConvertible {
  public let index: Int

  public static let count = 15
  public static let noop = Action(4)
  /// Key names of the 15 actions as ProcGen's interactive tool labels them.
  public static let names = [
    "LEFT+DOWN", "LEFT", "LEFT+UP", "DOWN", "NOOP", "UP", "RIGHT+DOWN", "RIGHT",
    "RIGHT+UP", "D", "A", "W", "S", "Q", "E",
  ]

  /// An action from its index; out-of-range indices are clamped to the no-op.
  public init(_ index: Int) {
    self.index = (0..<Action.count).contains(index) ? index : 4
  }

  /// Horizontal movement: -1 left, 0, +1 right.
  @inlinable public var dx: Int { index < 9 ? index / 3 - 1 : 0 }
  /// Vertical movement: -1 down, 0, +1 up.
  @inlinable public var dy: Int { index < 9 ? index % 3 - 1 : 0 }
  /// 0 for movement actions, 1–6 for the special keys D A W S Q E.
  @inlinable public var special: Int { index >= 9 ? index - 8 : 0 }

  /// The action for a movement (dx, dy ∈ -1...1).
  public static func move(dx: Int, dy: Int) -> Action {
    Action((dx + 1) * 3 + (dy + 1))
  }

  public var description: String { Action.names[index] }
}

/// ProcGen's distribution modes.
public enum DistributionMode: String, Sendable, CaseIterable, Codable {
  case easy, hard, extreme, memory, exploration
}

/// Options that change what a game generates or shows.
public struct GameOptions: Sendable, Equatable, Codable {
  public var mode: DistributionMode
  /// Agent-centred camera, where the game offers the choice.
  public var centerAgent: Bool
  /// Draw every sprite as a flat rectangle of a fixed colour.
  public var monochrome: Bool

  public init(mode: DistributionMode = .hard, centerAgent: Bool = true, monochrome: Bool = false) {
    self.mode = mode
    self.centerAgent = centerAgent
    self.monochrome = monochrome
  }
}
