import ArcadeCore

/// A world's side in each mode, as ProcGen sizes its worlds: one side for easy,
/// one for the game's larger mode (memory or extreme) where it has one, and one
/// for every other mode (exploration generates as hard, so it gets that one).
struct WorldSides: Sendable {
  let easy: Int
  let larger: DistributionMode?
  let largerSide: Int
  let otherwise: Int

  init(easy: Int, otherwise: Int) {
    self.easy = easy
    larger = nil
    largerSide = otherwise
    self.otherwise = otherwise
  }

  init(easy: Int, memory: Int, otherwise: Int) {
    self.easy = easy
    larger = .memory
    largerSide = memory
    self.otherwise = otherwise
  }

  init(easy: Int, extreme: Int, otherwise: Int) {
    self.easy = easy
    larger = .extreme
    largerSide = extreme
    self.otherwise = otherwise
  }

  subscript(mode: DistributionMode) -> Int {
    mode == .easy ? easy : mode == larger ? largerSide : otherwise
  }
}

/// A square world whose side the mode alone sets, stated once in `worldSides`.
protocol ModeSizedWorld: Game {
  static var worldSides: WorldSides { get }
}

extension ModeSizedWorld {
  var worldSide: Int { Self.worldSides[options.mode] }
}

extension CaveFlyer: ModeSizedWorld {}
extension Jumper: ModeSizedWorld {}
