// Conv2d (im2col + sgemm, chunked; Winograd; and the direct kernels for widths that are multiples of 8) against a
// naive convolution, including tiny and non-square images, several chunk sizes and thread counts.
import ArcadeNN
import ArcadeNNTestSupport
import ArcadeTensor
import Testing

@Suite struct ConvReference {
  /// (H, W, Ci, Co): the first five take im2col (or Winograd); the others the direct kernels too (W a multiple
  /// of 8, Co a multiple of 4; with Ci = 3 the input gradient falls back to im2col or Winograd).
  @Test(arguments: [(1, 1, 2, 3), (2, 2, 2, 3), (3, 5, 2, 3), (7, 4, 2, 3), (6, 7, 5, 9), (3, 8, 4, 4), (5, 16, 3, 8), (2, 24, 8, 4),
                    (1, 40, 4, 12)])
  func matchesNaive(H: Int, W: Int, Ci: Int, Co: Int) {
    var rng = SplitMix(seed: UInt64(H * 10 + W))
    let ps = ParamStore()
    let N = 3
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
    for (chunk, threads, direct, winograd) in [(1, 1, true, false), (7, 1, true, false), (8192, 1, true, false), (1, 2, true, false),
                                               (7, 2, true, false), (7, 2, false, false), (1, 1, false, true), (5, 2, false, true),
                                               (4096, 1, false, true)] {
      conv.chunkPixels = chunk
      conv.winogradTiles = chunk
      conv.allowDirect = direct
      conv.winograd = winograd
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
      // accumulate: the input gradient is added to what dx holds
      var dx2 = x
      conv.backward(x, dy, &dx2, N: N, H: H, W: W, accumulate: true)
      #expect(maxAbsDiff(dx2, zip(x, dxRef).map { $0 + $1 }) < 1e-5)
    }
  }
}
