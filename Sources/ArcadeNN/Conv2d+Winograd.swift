// Conv2d through Winograd F(2×2, 3×3) (Winograd3x3): per chunk of whole images, the input tiles are
// transformed into V [16, cin, tiles], multiplied by the transformed weights U [16, cout, cin] in 16
// single-threaded gemms, and transformed back. Backward recomputes V (as im2col recomputes its columns).
// Buffers: cols hold V (then dV), tmps hold M (or dM), gws the per-worker dU and bias gradient.
import ArcadeTensor

extension Conv2d {
  /// Images per chunk, chunks, workers; per-worker buffers sized (and gradient sums zeroed when `gradients`).
  func planWinograd(N: Int, H: Int, W: Int, gradients: Bool) -> (nb: Int, chunks: Int, workers: Int) {
    let perImage = Winograd3x3.tiles(H) * Winograd3x3.tiles(W)
    let nbMax = max(1, winogradTiles / perImage)
    let chunks = (N + nbMax - 1) / nbMax
    let workers = max(1, min(Parallel.threads, chunks))
    while cols.count < workers { cols.append(Buffer()); tmps.append(Buffer()); gws.append(Buffer()) }
    while winogradPlanes.count < workers { winogradPlanes.append(Buffer()) }
    for i in 0..<workers {
      cols[i].resize(16 * Winograd3x3.matrixStride(rows: cin, T: nbMax * perImage))
      tmps[i].resize(16 * Winograd3x3.matrixStride(rows: cout, T: nbMax * perImage))
      winogradPlanes[i].resize(Winograd3x3.planeCount(H: H, W: W))
      if gradients { gws[i].resize(16 * cout * cin + cout); gws[i].zero() }
    }
    winogradU.resize(16 * cout * cin)
    return (nbMax, chunks, workers)
  }

  func forwardWinograd(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, N: Int, H: Int, W: Int) {
    let HW = H * W, cin = cin, cout = cout, P = Winograd3x3.tiles(H) * Winograd3x3.tiles(W)
    let (nbMax, chunks, workers) = planWinograd(N: N, H: H, W: W, gradients: false)
    Winograd3x3.transformWeights(ps.w(w), winogradU.ptr, cin: cin, cout: cout)
    let cols = cols, tmps = tmps
    let planes = winogradPlanes
    let xp = SendablePtr(UnsafeMutablePointer(mutating: x)), yp = SendablePtr(y)
    let u = SendablePtr(winogradU.ptr), bias = SendablePtr(ps.w(b))
    Parallel.forEach(workers) { wk in
      let v = cols[wk].ptr, m = tmps[wk].ptr, plane = planes[wk].ptr
      for c in stride(from: wk, to: chunks, by: workers) {
        let n0 = c * nbMax, nb = min(nbMax, N - n0), T = nb * P
        let sv = Winograd3x3.matrixStride(rows: cin, T: T), sm = Winograd3x3.matrixStride(rows: cout, T: T)
        // Planes in storage order (row, then image): each one's overhanging stores land on the next.
        for ci in 0..<cin {
          for n in 0..<nb {
            Winograd3x3.transformInput(xp.p + ((n0 + n) * cin + ci) * HW, H: H, W: W, scratch: plane, v + ci * T + n * P, s: sv)
          }
        }
        for xi in 0..<16 {
          BLAS.gemm1(cout, T, cin, u.p + xi * cout * cin, lda: cin, v + xi * sv, ldb: T, m + xi * sm, ldc: T)
        }
        for co in 0..<cout {
          for n in 0..<nb {
            Winograd3x3.transformOutput(m + co * T + n * P, s: sm, bias: bias.p[co], scratch: plane,
                                        yp.p + ((n0 + n) * cout + co) * HW, H: H, W: W)
          }
        }
      }
    }
  }

  func backwardWinograd(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>?,
                        N: Int, H: Int, W: Int, accumulate: Bool) {
    let HW = H * W, cin = cin, cout = cout, P = Winograd3x3.tiles(H) * Winograd3x3.tiles(W)
    let (nbMax, chunks, workers) = planWinograd(N: N, H: H, W: W, gradients: true)
    if dx != nil { Winograd3x3.transformWeights(ps.w(w), winogradU.ptr, cin: cin, cout: cout) }
    let cols = cols, tmps = tmps
    let planes = winogradPlanes
    let gws = gws
    let xp = SendablePtr(UnsafeMutablePointer(mutating: x)), dyp = SendablePtr(UnsafeMutablePointer(mutating: dy))
    let dxp = dx.map { SendablePtr($0) }, u = SendablePtr(winogradU.ptr)
    Parallel.forEach(workers) { wk in
      let v = cols[wk].ptr, dm = tmps[wk].ptr, plane = planes[wk].ptr, du = gws[wk].ptr, gb = du + 16 * cout * cin
      for c in stride(from: wk, to: chunks, by: workers) {
        let n0 = c * nbMax, nb = min(nbMax, N - n0), T = nb * P
        let sv = Winograd3x3.matrixStride(rows: cin, T: T), sm = Winograd3x3.matrixStride(rows: cout, T: T)
        for co in 0..<cout {
          for n in 0..<nb {
            let g = dyp.p + ((n0 + n) * cout + co) * HW
            gb[co] += Lanes.sum(g, HW)
            Winograd3x3.transformOutputGradient(g, H: H, W: W, scratch: plane, dm + co * T + n * P, s: sm)
          }
        }
        for ci in 0..<cin {
          for n in 0..<nb {
            Winograd3x3.transformInput(xp.p + ((n0 + n) * cin + ci) * HW, H: H, W: W, scratch: plane, v + ci * T + n * P, s: sv)
          }
        }
        for xi in 0..<16 {
          BLAS.gemm1(transB: true, cout, cin, T, dm + xi * sm, lda: T, v + xi * sv, ldb: T, beta: 1, du + xi * cout * cin, ldc: cin)
        }
        guard let dxp else { continue }
        // dV overwrites V, which is no longer needed.
        for xi in 0..<16 {
          BLAS.gemm1(transA: true, cin, T, cout, u.p + xi * cout * cin, lda: cin, dm + xi * sm, ldb: T, v + xi * sv, ldc: T)
        }
        for n in 0..<nb {
          for ci in 0..<cin {
            Winograd3x3.accumulateInputGradient(v + ci * T + n * P, s: sv, scratch: plane,
                                                dxp.p + ((n0 + n) * cin + ci) * HW, H: H, W: W, accumulate: accumulate)
          }
        }
      }
    }
    for i in 1..<workers { Vec.add(gws[i].ptr, gws[0].ptr, 16 * cout * cin + cout) }
    Winograd3x3.accumulateWeightGradient(gws[0].ptr, ps.g(w), cin: cin, cout: cout)
    Vec.add(gws[0].ptr + 16 * cout * cin, ps.g(b), cout)
  }
}
