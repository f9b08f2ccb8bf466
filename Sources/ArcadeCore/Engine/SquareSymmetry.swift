/// One of the eight symmetries of a square (the dihedral group D4): an optional swap of x and y, then
/// optional mirrors of x and of y, in world coordinates (y up). Moves turn with the picture, so a game that
/// plays the same in every orientation (`GameDescriptor.symmetric`) can show each episode turned or
/// mirrored: training data augmentation that keeps the level's rules.
public struct SquareSymmetry: Sendable, Equatable, CustomStringConvertible {
  /// 0…7: bit 0 swaps x and y, bit 1 mirrors x, bit 2 mirrors y; 0 is the identity.
  public let index: Int
  public static let count = 8
  public static let identity = SquareSymmetry(0)

  public init(_ index: Int) {
    precondition((0..<SquareSymmetry.count).contains(index), "a square symmetry is 0…7")
    self.index = index
  }

  var swaps: Bool { index & 1 != 0 }
  var mirrorsX: Bool { index & 2 != 0 }
  var mirrorsY: Bool { index & 4 != 0 }

  /// Where cell (x, y) of a world of `side` cells goes.
  @inlinable public func map(x: Int, y: Int, side n: Int) -> (x: Int, y: Int) {
    let (a, b) = index & 1 != 0 ? (y, x) : (x, y)
    return (index & 2 != 0 ? n - 1 - a : a, index & 4 != 0 ? n - 1 - b : b)
  }

  /// The action in the original world that a move chosen in the shown world stands for (special
  /// actions are unchanged).
  public func originalAction(_ shown: Action) -> Action {
    guard shown.index < 9 else { return shown }
    let dx = mirrorsX ? -shown.dx : shown.dx, dy = mirrorsY ? -shown.dy : shown.dy
    return swaps ? .move(dx: dy, dy: dx) : .move(dx: dx, dy: dy)
  }

  /// The action shown for an original-world move: the inverse of `originalAction`.
  public func shownAction(_ original: Action) -> Action {
    guard original.index < 9 else { return original }
    let (dx, dy) = swaps ? (original.dy, original.dx) : (original.dx, original.dy)
    return .move(dx: mirrorsX ? -dx : dx, dy: mirrorsY ? -dy : dy)
  }

  /// Transforms `channels` planes of side × side floats, row 0 at the top (the grid observation's layout).
  public func transformPlanes(_ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, channels: Int, side n: Int) {
    for c in 0..<channels {
      let s = src + c * n * n, d = dst + c * n * n
      for y in 0..<n {
        for x in 0..<n {
          let t = map(x: x, y: y, side: n)
          d[(n - 1 - t.y) * n + t.x] = s[(n - 1 - y) * n + x]
        }
      }
    }
  }

  /// Transforms a side × side picture of `bytesPerPixel`-byte pixels, row 0 at the top (an RGB frame).
  public func transformPixels(_ src: UnsafePointer<UInt8>, into dst: UnsafeMutablePointer<UInt8>, side n: Int, bytesPerPixel k: Int) {
    for y in 0..<n {
      for x in 0..<n {
        let t = map(x: x, y: y, side: n)
        (dst + ((n - 1 - t.y) * n + t.x) * k).update(from: src + ((n - 1 - y) * n + x) * k, count: k)
      }
    }
  }

  public var description: String {
    ["identity", "mirror on the diagonal", "mirror left-right", "turn 90° anticlockwise", "mirror top-bottom",
     "turn 90° clockwise", "turn 180°", "mirror on the other diagonal"][index]
  }
}
