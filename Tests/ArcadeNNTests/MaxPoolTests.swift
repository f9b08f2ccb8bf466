import Testing
import ArcadeTensor
@testable import ArcadeNN

/// MaxPool2d's 2×2 and 3×3 fast paths against a plain reference: odd sizes (the last row and column are
/// dropped) and ties, where the first maximum in scan order must win, as in the general loop.
@Suite struct MaxPoolTests {
  @Test(arguments: [(4, 4), (7, 7), (5, 8), (28, 28)])
  func twoByTwoMatchesTheReferenceIncludingTies(_ size: (Int, Int)) {
    let (H, W) = size, NC = 3
    var rng = SplitMix(seed: UInt64(H * 100 + W))
    // Values from a few levels, so most windows hold ties.
    let x = (0..<(NC * H * W)).map { _ in Float(Int(rng.next() % 3)) }
    let pool = MaxPool2d(kernel: 2, stride: 2, pad: 0)
    let Ho = pool.outSize(H), Wo = pool.outSize(W)
    var y = [Float](repeating: .nan, count: NC * Ho * Wo), dx = [Float](repeating: .nan, count: NC * H * W)
    let dy = (0..<(NC * Ho * Wo)).map { Float($0 + 1) }
    x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { pool.forward(xp.baseAddress!, $0.baseAddress!, NC: NC, H: H, W: W) } }
    dy.withUnsafeBufferPointer { g in dx.withUnsafeMutableBufferPointer { pool.backward(g.baseAddress!, $0.baseAddress!, NC: NC, H: H, W: W) } }
    var want = [Float](repeating: 0, count: NC * H * W)
    for c in 0..<NC {
      for oy in 0..<Ho {
        for ox in 0..<Wo {
          var bi = c * H * W + 2 * oy * W + 2 * ox
          for (dy_, dx_) in [(0, 1), (1, 0), (1, 1)] {
            let i = c * H * W + (2 * oy + dy_) * W + 2 * ox + dx_
            if x[i] > x[bi] { bi = i }
          }
          let o = (c * Ho + oy) * Wo + ox
          #expect(y[o] == x[bi])
          want[bi] += dy[o]
        }
      }
    }
    #expect(dx == want, "the gradient goes to the first maximum of each window")
  }

  /// 3×3 stride 2 pad 1 (the IMPALA CNN's pooling; whole windows take an unrolled path) against a
  /// reference that clamps every window to the plane, with ties.
  @Test(arguments: [(5, 5), (8, 8), (7, 10), (64, 64)])
  func threeByThreeMatchesTheReferenceIncludingTies(_ size: (Int, Int)) {
    let (H, W) = size, NC = 2
    var rng = SplitMix(seed: UInt64(H * 1000 + W))
    let x = (0..<(NC * H * W)).map { _ in Float(Int(rng.next() % 3)) }
    let pool = MaxPool2d(kernel: 3, stride: 2, pad: 1)
    let Ho = pool.outSize(H), Wo = pool.outSize(W)
    var y = [Float](repeating: .nan, count: NC * Ho * Wo)
    x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { pool.forward(xp.baseAddress!, $0.baseAddress!, NC: NC, H: H, W: W) } }
    var dx = [Float](repeating: .nan, count: NC * H * W)
    let dy = (0..<(NC * Ho * Wo)).map { Float($0 + 1) }
    dy.withUnsafeBufferPointer { g in dx.withUnsafeMutableBufferPointer { pool.backward(g.baseAddress!, $0.baseAddress!, NC: NC, H: H, W: W) } }
    var want = [Float](repeating: 0, count: NC * H * W)
    for c in 0..<NC {
      for oy in 0..<Ho {
        for ox in 0..<Wo {
          var bi = -1
          for iy in max(2 * oy - 1, 0)..<min(2 * oy + 2, H) {
            for ix in max(2 * ox - 1, 0)..<min(2 * ox + 2, W) {
              let i = c * H * W + iy * W + ix
              if bi < 0 || x[i] > x[bi] { bi = i }
            }
          }
          let o = (c * Ho + oy) * Wo + ox
          #expect(y[o] == x[bi])
          want[bi] += dy[o]
        }
      }
    }
    #expect(dx == want, "the gradient goes to the first maximum of each window")
  }
}
