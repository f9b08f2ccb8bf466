import Testing
import ArcadeTensor
@testable import ArcadeNN

/// MaxPool2d's fast paths (2×2 stride 2 for Conv-4, whole 3×3 windows for the IMPALA and grid CNNs)
/// against a reference that clamps every window to the plane: odd sizes, and ties, where the first
/// maximum in scan order must win, for the output and for where the gradient goes; and the forward
/// without indices (acting) against the same outputs.
@Suite struct MaxPoolTests {
  func expectMatchesReference(kernel k: Int, stride s: Int, pad p: Int, H: Int, W: Int, NC: Int = 2) {
    var rng = SplitMix(seed: UInt64(k * 100_000 + H * 1000 + W))
    // Values from a few levels, so most windows hold ties.
    let x = (0..<(NC * H * W)).map { _ in Float(Int(rng.next() % 3)) }
    let pool = MaxPool2d(kernel: k, stride: s, pad: p)
    let Ho = pool.outSize(H), Wo = pool.outSize(W)
    var y = [Float](repeating: .nan, count: NC * Ho * Wo), dx = [Float](repeating: .nan, count: NC * H * W)
    let dy = (0..<(NC * Ho * Wo)).map { Float($0 + 1) }
    x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { pool.forward(xp.baseAddress!, $0.baseAddress!, NC: NC, H: H, W: W) } }
    dy.withUnsafeBufferPointer { g in dx.withUnsafeMutableBufferPointer { pool.backward(g.baseAddress!, $0.baseAddress!, NC: NC, H: H, W: W) } }
    var want = [Float](repeating: 0, count: NC * H * W)
    for c in 0..<NC {
      for oy in 0..<Ho {
        for ox in 0..<Wo {
          var bi = -1
          for iy in max(oy * s - p, 0)..<min(oy * s - p + k, H) {
            for ix in max(ox * s - p, 0)..<min(ox * s - p + k, W) {
              let i = (c * H + iy) * W + ix
              if bi < 0 || x[i] > x[bi] { bi = i }
            }
          }
          let o = (c * Ho + oy) * Wo + ox
          #expect(y[o] == x[bi], "k \(k), \(H)×\(W), output \(o)")
          want[bi] += dy[o]
        }
      }
    }
    #expect(dx == want, "k \(k), \(H)×\(W): the gradient goes to the first maximum of each window")
    // Acting's forward, without indices (column then row maxima), gives the same outputs.
    let acting = MaxPool2d(kernel: k, stride: s, pad: p)
    acting.recordsIndices = false
    var values = [Float](repeating: .nan, count: NC * Ho * Wo)
    x.withUnsafeBufferPointer { xp in values.withUnsafeMutableBufferPointer { acting.forward(xp.baseAddress!, $0.baseAddress!, NC: NC, H: H, W: W) } }
    #expect(values == y, "k \(k), \(H)×\(W): the maxima without indices")
  }

  /// Widths of 16 and more take the eight-window path, with an overlapping last vector unless Wo is a multiple of 8.
  @Test(arguments: [(4, 4), (7, 7), (5, 8), (28, 28), (3, 33), (6, 32), (2, 16)])
  func twoByTwoStrideTwo(_ size: (Int, Int)) {
    expectMatchesReference(kernel: 2, stride: 2, pad: 0, H: size.0, W: size.1)
  }

  /// Sizes like the grid CNN's (18, 25) and the IMPALA CNN's (64, 32); even widths of 18 and more take the
  /// eight-window path, with an overlapping last vector unless Wo − 1 is a multiple of 8.
  @Test(arguments: [(5, 5), (8, 8), (7, 10), (18, 18), (3, 34), (25, 25), (64, 64), (32, 32), (5, 20), (2, 50)])
  func threeByThreeStrideTwoPadOne(_ size: (Int, Int)) {
    expectMatchesReference(kernel: 3, stride: 2, pad: 1, H: size.0, W: size.1)
  }
}
