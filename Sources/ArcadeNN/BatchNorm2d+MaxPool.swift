// Batch norm's training backward when its output went only through a max pool (Conv-4's blocks): the
// gradient reaching the batch norm is zero except at each window's maximum, so its two sums are taken
// over the pooled gradient (a quarter of the entries for 2×2 windows), the dense part of dx is an
// affine map of x, and the pooled gradient is added at the maxima. The full-size planes are read twice
// (the gathers at the maxima touch every cache line) and written once, instead of being zeroed,
// scattered into, read twice and written by the separate pool and batch-norm backward passes.
import ArcadeTensor

extension BatchNorm2d {
  /// dx [N,C,HW] = the gradient through batch norm (input x) of the pooled gradient dPooled [N,C,pooled],
  /// whose entry o came from plane entry `pool`'s argmax[o]; dγ, dβ accumulated. Training mode only.
  func backwardThroughMaxPool(_ x: UnsafePointer<Float>, _ dPooled: UnsafePointer<Float>, _ pool: MaxPool2d,
                              pooled: Int, _ dx: UnsafeMutablePointer<Float>, N: Int, HW: Int) {
    precondition(training && pool.indicesValid, "BatchNorm2d.backwardThroughMaxPool needs training mode and the pool's indices")
    let C = channels, cnt = Float(N * HW)
    let st = SendablePtr(stats.ptr), xp = SendablePtr(UnsafeMutablePointer(mutating: x))
    let gp = SendablePtr(UnsafeMutablePointer(mutating: dPooled)), dxp = SendablePtr(dx)
    let g = SendablePtr(ps.w(gamma)), dg = SendablePtr(ps.g(gamma)), db = SendablePtr(ps.g(beta))
    nonisolated(unsafe) let argmax = pool.argmax
    Parallel.forEach(C) { c in
      let m = st.p[c], inv = st.p[C + c]
      // Σ dy and Σ dy·(x − m) over the maxima only (the other entries of dy are zero).
      var sdy: Double = 0, sdyd: Double = 0
      for n in 0..<N {
        let plane = xp.p + (n * C + c) * HW, o = (n * C + c) * pooled, q = gp.p + o, a = argmax + o
        // Eight lanes of sums, so the additions do not wait on each other.
        var s = SIMD8<Float>(), d = SIMD8<Float>(), i = 0
        let mv = SIMD8<Float>(repeating: m)
        while i + 8 <= pooled {
          let v = UnsafeRawPointer(q + i).loadUnaligned(as: SIMD8<Float>.self)
          let at = SIMD8<Float>(plane[Int(a[i])], plane[Int(a[i + 1])], plane[Int(a[i + 2])], plane[Int(a[i + 3])],
                                plane[Int(a[i + 4])], plane[Int(a[i + 5])], plane[Int(a[i + 6])], plane[Int(a[i + 7])])
          s += v; d.addProduct(v, at - mv)
          i += 8
        }
        var ss = s.sum(), ds = d.sum()
        while i < pooled { let v = q[i]; ss += v; ds += v * (plane[Int(a[i])] - m); i += 1 }
        sdy += Double(ss); sdyd += Double(ds)
      }
      let sdyx = Float(sdyd) * inv
      dg.p[c] += sdyx; db.p[c] += Float(sdy)
      // dx = k·(dy − mean(dy) − (x − m)·bb): an affine map of x everywhere, plus k·dy at the maxima.
      let k = g.p[c] * inv, bb = sdyx / cnt * inv
      let scale = -k * bb, shift = k * (m * bb - Float(sdy) / cnt)
      for n in 0..<N {
        let o = (n * C + c) * HW, p = xp.p + o, r = dxp.p + o
        for i in 0..<HW { r[i] = p[i] * scale + shift }
        let po = (n * C + c) * pooled, q = gp.p + po, a = argmax + po
        for i in 0..<pooled { r[Int(a[i])] += k * q[i] }
      }
    }
  }
}
