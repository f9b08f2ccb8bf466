// Conv-4's fused backward (batch norm through a 2×2 max pool, from the pooled gradient) against the two
// steps it replaces, on odd plane sizes where the pool drops the last row and column.
import ArcadeNNTestSupport
import ArcadeTensor
import Testing
@testable import ArcadeNN

@Suite struct BatchNormPoolTests {
  @Test(arguments: [(7, 5), (4, 4), (3, 18)])
  func fusedBackwardMatchesPoolThenBatchNorm(_ size: (Int, Int)) {
    let (H, W) = size, N = 3, C = 3, HW = H * W
    var rng = SplitMix(seed: UInt64(H * 100 + W))
    let ps = ParamStore()
    let bn = BatchNorm2d(ps, "bn", channels: C)
    bn.initDefault()
    for c in 0..<C { ps.w(bn.gamma)[c] = 0.5 + Float(c); ps.w(bn.beta)[c] = 0.1 * Float(c) }
    let pool = MaxPool2d(kernel: 2, stride: 2, pad: 0)
    let pooled = pool.outSize(H) * pool.outSize(W)
    let x = randomArray(N * C * HW, &rng), dPooled = randomArray(N * C * pooled, &rng)
    var normed = zeros(x.count), out = zeros(N * C * pooled)
    x.withUnsafeBufferPointer { xp in normed.withUnsafeMutableBufferPointer { bn.forward(xp.baseAddress!, $0.baseAddress!, N: N, HW: HW) } }
    normed.withUnsafeBufferPointer { np in out.withUnsafeMutableBufferPointer { pool.forward(np.baseAddress!, $0.baseAddress!, NC: N * C, H: H, W: W) } }

    // Two steps: the pool scatters the gradient, then batch norm's backward.
    ps.zeroGrad()
    var twoSteps = zeros(x.count)
    dPooled.withUnsafeBufferPointer { g in twoSteps.withUnsafeMutableBufferPointer { pool.backward(g.baseAddress!, $0.baseAddress!, NC: N * C, H: H, W: W) } }
    twoSteps.withUnsafeMutableBufferPointer { d in x.withUnsafeBufferPointer { bn.backward($0.baseAddress!, d.baseAddress!, d.baseAddress!, N: N, HW: HW) } }
    let dGammaTwo = Array(UnsafeBufferPointer(start: ps.g(bn.gamma), count: C)), dBetaTwo = Array(UnsafeBufferPointer(start: ps.g(bn.beta), count: C))

    ps.zeroGrad()
    var fused = [Float](repeating: .nan, count: x.count)
    x.withUnsafeBufferPointer { xp in dPooled.withUnsafeBufferPointer { g in fused.withUnsafeMutableBufferPointer {
      bn.backwardThroughMaxPool(xp.baseAddress!, g.baseAddress!, pool, pooled: pooled, $0.baseAddress!, N: N, HW: HW)
    } } }
    #expect(maxAbsDiff(fused, twoSteps) < 1e-5)
    #expect(maxAbsDiff(Array(UnsafeBufferPointer(start: ps.g(bn.gamma), count: C)), dGammaTwo) < 1e-4)
    #expect(maxAbsDiff(Array(UnsafeBufferPointer(start: ps.g(bn.beta), count: C)), dBetaTwo) < 1e-4)
    #expect(twoSteps.contains { $0 != 0 })
  }
}
