import ArcadeCore

/// A game whose `grid` is a square window as wide as its tall world, with the
/// width set by the mode (climber, fruitbot): width and grid size stated once here.
protocol WorldWidthWindow: Game {
  static var worldWidths: WorldSides { get }
}

extension WorldWidthWindow {
  var worldWidth: Int { Self.worldWidths[options.mode] }
  public var gridSize: (height: Int, width: Int) { (worldWidth, worldWidth) }
}

extension Climber: WorldWidthWindow {}
extension FruitBot: WorldWidthWindow {}
