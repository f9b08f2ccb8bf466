// Conv2d 3×3, stride 1, pad 1 (cross-correlation, zero padding) via im2col + sgemm, NCHW.
// Images are processed in chunks so the column buffer stays small and each gemm is wide.
import ArcadeTensor

public final class Conv2d {
  public let ps: ParamStore
  public let cin: Int, cout: Int
  public let w: ParamRef, b: ParamRef
  let col = Buffer(), tmp = Buffer()
  /// Target number of output pixels per gemm chunk.
  public var chunkPixels = 4096

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

  /// col[(ci,i,j), (img,y,x)] for images n0..<n0+nb. Each (ci,i,j,img) plane is the input plane
  /// shifted by (i−1)·W + (j−1): one contiguous copy plus zeroing of the out-of-range border.
  func im2col(_ x: UnsafePointer<Float>, n0: Int, nb: Int, H: Int, W: Int) {
    let HW = H * W, cols = nb * HW
    let c = col.resize(cin * 9 * cols)
    let cp = SendablePtr(c), xp = SendablePtr(UnsafeMutablePointer(mutating: x))
    let cin = cin
    Parallel.forEach(cin * nb) { job in
      let ci = job / nb, n = job % nb
      let src = xp.p + ((n0 + n) * cin + ci) * HW
      for i in 0..<3 {
        for j in 0..<3 {
          let dst = cp.p + ((ci * 3 + i) * 3 + j) * cols + n * HW
          let shift = (i - 1) * W + (j - 1)
          // dst[p] = src[p + shift] for p with 0 ≤ p + shift < HW
          let lo = min(HW, max(0, -shift)), hi = max(lo, min(HW, HW - shift))
          for p in 0..<lo { dst[p] = 0 }
          (dst + lo).update(from: src + lo + shift, count: hi - lo)
          for p in hi..<HW { dst[p] = 0 }
          if j == 0 { for y in 0..<H { dst[y * W] = 0 } }
          if j == 2 { for y in 0..<H { dst[y * W + W - 1] = 0 } }
        }
      }
    }
  }

  /// Accumulates col into dx (col2im) for images n0..<n0+nb; entries that fall outside the image
  /// (the zero padding) are cleared in col first so each plane is one contiguous shifted add.
  func col2im(_ dx: UnsafeMutablePointer<Float>, n0: Int, nb: Int, H: Int, W: Int) {
    let HW = H * W, cols = nb * HW
    let cp = SendablePtr(col.ptr), xp = SendablePtr(dx)
    let cin = cin
    Parallel.forEach(cin * nb) { job in
      let ci = job / nb, n = job % nb
      let dst = xp.p + ((n0 + n) * cin + ci) * HW
      for i in 0..<3 {
        for j in 0..<3 {
          let src = cp.p + ((ci * 3 + i) * 3 + j) * cols + n * HW
          if j == 0 { for y in 0..<H { src[y * W] = 0 } }
          if j == 2 { for y in 0..<H { src[y * W + W - 1] = 0 } }
          let shift = (i - 1) * W + (j - 1)
          let lo = min(HW, max(0, -shift)), hi = max(lo, min(HW, HW - shift))
          let d = dst + lo + shift, s = src + lo
          for p in 0..<(hi - lo) { d[p] += s[p] }
        }
      }
    }
  }

  /// x [N,cin,H,W] -> y [N,cout,H,W]
  public func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, N: Int, H: Int, W: Int) {
    let HW = H * W, K = cin * 9
    let nbMax = max(1, chunkPixels / HW)
    var n0 = 0
    while n0 < N {
      let nb = min(nbMax, N - n0), cols = nb * HW
      im2col(x, n0: n0, nb: nb, H: H, W: W)
      let t = tmp.resize(cout * cols)
      BLAS.gemm(cout, cols, K, ps.w(w), lda: K, col.ptr, ldb: cols, t, ldc: cols)   // [cout, nb·HW]
      let bias = SendablePtr(ps.w(b)), tp = SendablePtr(t), yp = SendablePtr(y), cout = cout
      Parallel.forEach(cout) { co in
        let bv = bias.p[co]
        for n in 0..<nb {
          let s = tp.p + co * cols + n * HW, d = yp.p + ((n0 + n) * cout + co) * HW
          for i in 0..<HW { d[i] = s[i] + bv }
        }
      }
      n0 += nb
    }
  }

  /// dy [N,cout,H,W] -> dx [N,cin,H,W] (overwritten unless accumulate; nil = skip); dW, db accumulated.
  public func backward(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>?,
                       N: Int, H: Int, W: Int, accumulate: Bool = false) {
    let HW = H * W, K = cin * 9
    if let dx, !accumulate {
      let dp = SendablePtr(dx), per = cin * HW
      Parallel.forEach(N) { n in Vec.zero(dp.p + n * per, per) }
    }
    let nbMax = max(1, chunkPixels / HW)
    let gb = ps.g(b)
    var n0 = 0
    while n0 < N {
      let nb = min(nbMax, N - n0), cols = nb * HW
      let t = tmp.resize(cout * cols)
      let tp = SendablePtr(t), dyp = SendablePtr(UnsafeMutablePointer(mutating: dy)), gbp = SendablePtr(gb)
      let cout = cout
      Parallel.forEach(cout) { co in
        var acc: Float = 0
        for n in 0..<nb {
          let s = dyp.p + ((n0 + n) * cout + co) * HW, d = tp.p + co * cols + n * HW
          for i in 0..<HW { d[i] = s[i]; acc += s[i] }
        }
        gbp.p[co] += acc
      }
      im2col(x, n0: n0, nb: nb, H: H, W: W)
      BLAS.gemm(transB: true, cout, K, cols, t, lda: cols, col.ptr, ldb: cols, beta: 1, ps.g(w), ldc: K)
      if let dx {
        BLAS.gemm(transA: true, K, cols, cout, ps.w(w), lda: K, t, ldb: cols, col.ptr, ldc: cols)
        col2im(dx, n0: n0, nb: nb, H: H, W: W)
      }
      n0 += nb
    }
  }
}
