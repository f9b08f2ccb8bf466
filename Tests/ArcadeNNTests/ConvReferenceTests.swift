// Conv2d (im2col + sgemm, chunked) against a naive direct convolution, including tiny and
// non-square images and several chunk sizes.
import ArcadeNN
import ArcadeNNTestSupport
import ArcadeTensor
import Testing

@Suite struct ConvReference {
  @Test(arguments: [(1, 1), (2, 2), (3, 5), (7, 4)])
  func matchesNaive(H: Int, W: Int) {
    var rng = SplitMix(seed: UInt64(H * 10 + W))
    let ps = ParamStore()
    let N = 3, Ci = 2, Co = 3
    let conv = Conv2d(ps, "c", cin: Ci, cout: Co)
    conv.initDefault(&rng)
    let x = randomArray(N * Ci * H * W, &rng), dy = randomArray(N * Co * H * W, &rng)
    let w = Array(UnsafeBufferPointer(start: ps.w(conv.w), count: conv.w.count))
    let b = Array(UnsafeBufferPointer(start: ps.w(conv.b), count: Co))
    // naive forward and backward
    var yRef = zeros(N * Co * H * W), dxRef = zeros(x.count), dwRef = zeros(w.count), dbRef = zeros(Co)
    for n in 0..<N { for co in 0..<Co { for y in 0..<H { for xx in 0..<W {
      var s = b[co]
      let o = ((n * Co + co) * H + y) * W + xx
      dbRef[co] += dy[o]
      for ci in 0..<Ci { for i in 0..<3 { for j in 0..<3 {
        let iy = y + i - 1, ix = xx + j - 1
        if iy < 0 || iy >= H || ix < 0 || ix >= W { continue }
        let xi = ((n * Ci + ci) * H + iy) * W + ix, wi = ((co * Ci + ci) * 3 + i) * 3 + j
        s += w[wi] * x[xi]
        dxRef[xi] += w[wi] * dy[o]
        dwRef[wi] += x[xi] * dy[o]
      } } }
      yRef[o] = s
    } } } }
    for (chunk, threads) in [(1, 1), (7, 1), (8192, 1), (1, 2), (7, 2)] {
      conv.chunkPixels = chunk
      Parallel.configure(threads: threads)
      defer { Parallel.configure(threads: 1) }
      var y = zeros(yRef.count), dx = zeros(x.count)
      ps.zeroGrad()
      conv.forward(x, &y, N: N, H: H, W: W)
      conv.backward(x, dy, &dx, N: N, H: H, W: W)
      #expect(maxAbsDiff(y, yRef) < 1e-5)
      #expect(maxAbsDiff(dx, dxRef) < 1e-5)
      #expect(maxAbsDiff(Array(UnsafeBufferPointer(start: ps.g(conv.w), count: w.count)), dwRef) < 1e-4)
      #expect(maxAbsDiff(Array(UnsafeBufferPointer(start: ps.g(conv.b), count: Co)), dbRef) < 1e-5)
    }
  }
}
