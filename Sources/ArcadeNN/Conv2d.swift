// Conv2d 3×3, stride 1, pad 1 (cross-correlation, zero padding), NCHW: Winograd F(2×2, 3×3) where
// turned on (Conv2d+Winograd), else direct kernels (DirectConv3x3) where the width is a multiple of 8
// and the channels come in fours, else im2col + sgemm. Images are processed in chunks
// (column buffer ≈ chunkPixels wide, or one image for the direct kernels); with several workers each
// worker takes whole chunks with its own buffers and single-threaded gemms (data parallel), and the
// weight gradients of the workers are summed at the end.
import ArcadeTensor

public final class Conv2d {
  public let ps: ParamStore
  public let cin: Int, cout: Int
  public let w: ParamRef, b: ParamRef
  var cols: [Buffer] = [], tmps: [Buffer] = [], gws: [Buffer] = []
  /// The weights flipped for the direct kernels' input gradient.
  let flippedW = Buffer()
  /// Target number of output pixels per gemm chunk. 1024 keeps Conv-4's column matrix (576 rows) near
  /// 2.4 MB; 4096 (9.4 MB) cost 8–10% more CPU in the few-shot model and the grid encoder's training.
  public var chunkPixels = 1024
  /// Use the direct kernels where they apply (tests turn them off to compare both paths).
  public var allowDirect = true
  /// Use Winograd F(2×2, 3×3), also where the direct kernels apply (the IMPALA CNN, the grid CNN and
  /// Conv-4 turn it on for their layers with 16 or more input channels, where its 2.25 times fewer
  /// products pay for the transforms). Results differ from the other paths' in the last bits.
  public var winograd = false
  /// Target number of tiles per Winograd chunk (each tile is 2×2 output pixels). Small chunks keep the
  /// transformed tiles in cache: the few-shot model took 0.30 s at 64 or 128 tiles, 0.33 s at 256, 0.34 s at
  /// 512 and 0.37 s at 2048 (1 thread, 2026-12-05).
  public var winogradTiles = 128
  /// Winograd's transformed weights [16, cout, cin] and per-worker zero-bordered planes.
  let winogradU = Buffer()
  var winogradPlanes: [Buffer] = []

  public init(_ ps: ParamStore, _ name: String, cin: Int, cout: Int) {
    self.ps = ps; self.cin = cin; self.cout = cout
    w = ps.register(name + ".weight", [cout, cin, 3, 3])
    b = ps.register(name + ".bias", [cout])
  }
  /// PyTorch default: U(±1/√(cin·9)) for weight and bias.
  public func initDefault(_ rng: inout SplitMix) {
    let bound = 1 / Float(cin * 9).squareRoot()
    ps.fillUniform(w, bound: bound, rng: &rng); ps.fillUniform(b, bound: bound, rng: &rng)
  }

  /// The taps that im2col writes and col2im reads back, for images n0..<n0+nb: each (ci,i,j,img)
  /// column plane is the image plane (channel ci of image n0+n) shifted by (i−1)·W + (j−1).
  /// `tap(plane, column, shift, j, lo, hi)` gets the offsets of both planes, the shift, the tap's
  /// column j, and the range lo..<hi of the p with 0 ≤ p + shift < HW.
  @inline(__always)
  static func forEachTap(cin: Int, n0: Int, nb: Int, H: Int, W: Int,
                         _ tap: (_ plane: Int, _ column: Int, _ shift: Int, _ j: Int, _ lo: Int, _ hi: Int) -> Void) {
    let HW = H * W, cols = nb * HW
    for ci in 0..<cin {
      for n in 0..<nb {
        let plane = ((n0 + n) * cin + ci) * HW
        for i in 0..<3 {
          for j in 0..<3 {
            let shift = (i - 1) * W + (j - 1)
            let lo = min(HW, max(0, -shift)), hi = max(lo, min(HW, HW - shift))
            tap(plane, ((ci * 3 + i) * 3 + j) * cols + n * HW, shift, j, lo, hi)
          }
        }
      }
    }
  }

  /// Zeroes the entries of a column plane of tap column `j` whose shift wrapped across a row edge
  /// (the zero padding left and right).
  @inline(__always)
  static func clearWrappedEdge(_ plane: UnsafeMutablePointer<Float>, j: Int, H: Int, W: Int) {
    if j == 0 { for y in 0..<H { plane[y * W] = 0 } }
    if j == 2 { for y in 0..<H { plane[y * W + W - 1] = 0 } }
  }

  /// col[(ci,i,j), (img,y,x)] for images n0..<n0+nb: one contiguous copy of the shifted input plane
  /// plus zeroing of the out-of-range border.
  static func im2col(_ x: UnsafePointer<Float>, _ col: UnsafeMutablePointer<Float>, cin: Int, n0: Int, nb: Int, H: Int, W: Int) {
    let HW = H * W
    forEachTap(cin: cin, n0: n0, nb: nb, H: H, W: W) { plane, column, shift, j, lo, hi in
      let src = x + plane, dst = col + column
      // dst[p] = src[p + shift] for p with 0 ≤ p + shift < HW
      for p in 0..<lo { dst[p] = 0 }
      (dst + lo).update(from: src + lo + shift, count: hi - lo)
      for p in hi..<HW { dst[p] = 0 }
      clearWrappedEdge(dst, j: j, H: H, W: W)
    }
  }

  /// Accumulates col into dx (col2im) for images n0..<n0+nb; entries that fall outside the image
  /// (the zero padding) are cleared in col first so each plane is one contiguous shifted add.
  static func col2im(_ col: UnsafeMutablePointer<Float>, _ dx: UnsafeMutablePointer<Float>, cin: Int, n0: Int, nb: Int, H: Int, W: Int) {
    forEachTap(cin: cin, n0: n0, nb: nb, H: H, W: W) { plane, column, shift, j, lo, hi in
      let src = col + column
      clearWrappedEdge(src, j: j, H: H, W: W)
      let d = dx + plane + lo + shift, s = src + lo
      for p in 0..<(hi - lo) { d[p] += s[p] }
    }
  }

  /// Chunking plan: images per chunk, number of chunks, number of workers; per-worker buffers sized.
  func plan(N: Int, HW: Int, gradients: Bool) -> (nb: Int, chunks: Int, workers: Int) {
    let nbMax = max(1, chunkPixels / HW)
    let chunks = (N + nbMax - 1) / nbMax
    let workers = max(1, min(Parallel.threads, chunks))
    let K = cin * 9, width = nbMax * HW
    while cols.count < workers { cols.append(Buffer()); tmps.append(Buffer()); gws.append(Buffer()) }
    for i in 0..<workers {
      cols[i].resize(K * width); tmps[i].resize(cout * width)
      if gradients { gws[i].resize(cout * K + cout); gws[i].zero() }
    }
    return (nbMax, chunks, workers)
  }

  /// x [N,cin,H,W] -> y [N,cout,H,W]
  public func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, N: Int, H: Int, W: Int) {
    if winograd { return forwardWinograd(x, y, N: N, H: H, W: W) }
    if allowDirect && DirectConv3x3.supports(W: W, cout: cout) { return forwardDirect(x, y, N: N, H: H, W: W) }
    let HW = H * W, K = cin * 9, cin = cin, cout = cout
    let (nbMax, chunks, workers) = plan(N: N, HW: HW, gradients: false)
    let cols = cols, tmps = tmps
    let xp = SendablePtr(UnsafeMutablePointer(mutating: x)), yp = SendablePtr(y)
    let wt = SendablePtr(ps.w(w)), bias = SendablePtr(ps.w(b))
    Parallel.forEach(workers) { wk in
      var c = wk
      while c < chunks {
        let n0 = c * nbMax, nb = min(nbMax, N - n0), ncol = nb * HW
        let col = cols[wk].ptr, t = tmps[wk].ptr
        Self.im2col(xp.p, col, cin: cin, n0: n0, nb: nb, H: H, W: W)
        BLAS.gemm1(cout, ncol, K, wt.p, lda: K, col, ldb: ncol, t, ldc: ncol)   // [cout, nb·HW]
        for co in 0..<cout {
          let bv = bias.p[co]
          for n in 0..<nb {
            let s = t + co * ncol + n * HW, d = yp.p + ((n0 + n) * cout + co) * HW
            for i in 0..<HW { d[i] = s[i] + bv }
          }
        }
        c += workers
      }
    }
  }

  /// dy [N,cout,H,W] -> dx [N,cin,H,W] (overwritten unless accumulate; nil = skip); dW, db accumulated.
  public func backward(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>?,
                       N: Int, H: Int, W: Int, accumulate: Bool = false) {
    if winograd { return backwardWinograd(x, dy, dx, N: N, H: H, W: W, accumulate: accumulate) }
    if allowDirect && DirectConv3x3.supports(W: W, cout: cout) && (dx == nil || cin % 4 == 0) {
      return backwardDirect(x, dy, dx, N: N, H: H, W: W, accumulate: accumulate)
    }
    let HW = H * W, K = cin * 9, cin = cin, cout = cout
    let (nbMax, chunks, workers) = plan(N: N, HW: HW, gradients: true)
    let cols = cols, tmps = tmps, gws = gws
    let xp = SendablePtr(UnsafeMutablePointer(mutating: x)), dyp = SendablePtr(UnsafeMutablePointer(mutating: dy))
    let dxp = dx.map { SendablePtr($0) }, wt = SendablePtr(ps.w(w))
    Parallel.forEach(workers) { wk in
      var c = wk
      let gw = gws[wk].ptr, gb = gw + cout * K
      while c < chunks {
        let n0 = c * nbMax, nb = min(nbMax, N - n0), ncol = nb * HW
        let col = cols[wk].ptr, t = tmps[wk].ptr
        for co in 0..<cout {
          var acc: Float = 0
          for n in 0..<nb {
            let s = dyp.p + ((n0 + n) * cout + co) * HW
            (t + co * ncol + n * HW).update(from: s, count: HW)
            acc += Lanes.sum(s, HW)
          }
          gb[co] += acc
        }
        Self.im2col(xp.p, col, cin: cin, n0: n0, nb: nb, H: H, W: W)
        BLAS.gemm1(transB: true, cout, K, ncol, t, lda: ncol, col, ldb: ncol, beta: 1, gw, ldc: K)
        if let dxp {
          if !accumulate { Vec.zero(dxp.p + n0 * cin * HW, nb * cin * HW) }
          BLAS.gemm1(transA: true, K, ncol, cout, wt.p, lda: K, t, ldb: ncol, col, ldc: ncol)
          Self.col2im(col, dxp.p, cin: cin, n0: n0, nb: nb, H: H, W: W)
        }
        c += workers
      }
    }
    let gW = ps.g(w), gB = ps.g(b)
    for i in 0..<workers {
      Vec.add(gws[i].ptr, gW, cout * K)
      Vec.add(gws[i].ptr + cout * K, gB, cout)
    }
  }

  // MARK: - Direct kernels

  /// Per-worker buffers for the direct kernels: a padded input image (cols) and a padded output
  /// gradient (tmps); weight-gradient sums (gws) zeroed when `gradients`.
  func planDirect(N: Int, H: Int, W: Int, gradients: Bool) -> Int {
    let workers = max(1, min(Parallel.threads, N))
    while cols.count < workers { cols.append(Buffer()); tmps.append(Buffer()); gws.append(Buffer()) }
    for i in 0..<workers {
      cols[i].resize(DirectConv3x3.paddedCount(C: cin, H: H, W: W))
      if gradients {
        tmps[i].resize(DirectConv3x3.paddedCount(C: cout, H: H, W: W))
        gws[i].resize(cout * cin * 9 + cout); gws[i].zero()
      }
    }
    return workers
  }

  func forwardDirect(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, N: Int, H: Int, W: Int) {
    let HW = H * W, cin = cin, cout = cout
    let workers = planDirect(N: N, H: H, W: W, gradients: false)
    let cols = cols
    let xp = SendablePtr(UnsafeMutablePointer(mutating: x)), yp = SendablePtr(y)
    let wt = SendablePtr(ps.w(w)), bias = SendablePtr(ps.w(b))
    Parallel.forEach(workers) { wk in
      for n in stride(from: wk, to: N, by: workers) {
        DirectConv3x3.pad(xp.p + n * cin * HW, cols[wk].ptr, C: cin, H: H, W: W)
        DirectConv3x3.forward(padded: cols[wk].ptr, weights: wt.p, bias: bias.p, yp.p + n * cout * HW, cin: cin, cout: cout, H: H, W: W)
      }
    }
  }

  func backwardDirect(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>?,
                      N: Int, H: Int, W: Int, accumulate: Bool) {
    let HW = H * W, cin = cin, cout = cout
    let workers = planDirect(N: N, H: H, W: W, gradients: true)
    let cols = cols, tmps = tmps, gws = gws
    let xp = SendablePtr(UnsafeMutablePointer(mutating: x)), dyp = SendablePtr(UnsafeMutablePointer(mutating: dy))
    let dxp = dx.map { SendablePtr($0) }
    let wf = SendablePtr(flippedW.resize(cout * cin * 9))
    if dx != nil { DirectConv3x3.flipped(ps.w(w), wf.p, cin: cin, cout: cout) }
    Parallel.forEach(workers) { wk in
      let gw = gws[wk].ptr, gb = gw + cout * cin * 9
      for n in stride(from: wk, to: N, by: workers) {
        let g = dyp.p + n * cout * HW
        for co in 0..<cout { gb[co] += Lanes.sum(g + co * HW, HW) }
        DirectConv3x3.pad(xp.p + n * cin * HW, cols[wk].ptr, C: cin, H: H, W: W)
        DirectConv3x3.weightGradient(padded: cols[wk].ptr, g, gw, cin: cin, cout: cout, H: H, W: W)
        if let dxp {
          DirectConv3x3.pad(g, tmps[wk].ptr, C: cout, H: H, W: W)
          DirectConv3x3.forward(padded: tmps[wk].ptr, weights: wf.p, bias: nil, dxp.p + n * cin * HW,
                                cin: cout, cout: cin, H: H, W: W, accumulate: accumulate)
        }
      }
    }
    let gW = ps.g(w), gB = ps.g(b)
    for i in 0..<workers {
      Vec.add(gws[i].ptr, gW, cout * cin * 9)
      Vec.add(gws[i].ptr + cout * cin * 9, gB, cout)
    }
  }
}
