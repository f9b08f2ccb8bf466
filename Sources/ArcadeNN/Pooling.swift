// Max pooling (padding acts as −inf), NCHW, with argmax indices kept for backward.
import ArcadeTensor

public final class MaxPool2d {
  public let k: Int, stride: Int, pad: Int
  var argmax = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
  var argCap = 1
  public init(kernel: Int, stride: Int, pad: Int) { k = kernel; self.stride = stride; self.pad = pad }
  deinit { argmax.deallocate() }

  public func outSize(_ h: Int) -> Int { (h + 2 * pad - k) / stride + 1 }

  /// x [NC,H,W] -> y [NC,Ho,Wo]
  public func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, NC: Int, H: Int, W: Int) {
    let Ho = outSize(H), Wo = outSize(W)
    if argCap < NC * Ho * Wo {
      argmax.deallocate()
      argCap = NC * Ho * Wo
      argmax = .allocate(capacity: argCap)
    }
    let k = k, s = stride, p = pad
    nonisolated(unsafe) let am = argmax
    let xp = SendablePtr(UnsafeMutablePointer(mutating: x)), yp = SendablePtr(y)
    Parallel.forEach(NC) { c in
      let src = xp.p + c * H * W, dst = yp.p + c * Ho * Wo, a = am + c * Ho * Wo
      if k == 2 && s == 2 && p == 0 { return Self.forward2x2(src, dst, a, W: W, Ho: Ho, Wo: Wo) }
      for oy in 0..<Ho {
        let y0 = max(oy * s - p, 0), y1 = min(oy * s - p + k, H)
        for ox in 0..<Wo {
          let x0 = max(ox * s - p, 0), x1 = min(ox * s - p + k, W)
          if k == 3 && y1 - y0 == 3 && x1 - x0 == 3 {
            // A whole 3×3 window (the IMPALA CNN's pooling, away from the border): unrolled, same rule.
            let (best, bi) = Self.max3x3(src, at: y0 * W + x0, W: W)
            dst[oy * Wo + ox] = best
            a[oy * Wo + ox] = Int32(truncatingIfNeeded: bi)
            continue
          }
          var best = src[y0 * W + x0], bi = y0 * W + x0
          for iy in y0..<y1 {
            let row = iy * W
            for ix in x0..<x1 {
              // branch-free running argmax (first maximum in scan order wins ties)
              let v = src[row + ix], gt = v > best
              best = gt ? v : best
              bi = gt ? row + ix : bi
            }
          }
          dst[oy * Wo + ox] = best
          a[oy * Wo + ox] = Int32(truncatingIfNeeded: bi)
        }
      }
    }
  }

  /// The maximum of the 3×3 window whose top-left entry is `src[i0]`, and its index (the first maximum
  /// in scan order wins ties).
  @inline(__always)
  static func max3x3(_ src: UnsafePointer<Float>, at i0: Int, W: Int) -> (Float, Int) {
    var best = src[i0], bi = i0
    @inline(__always) func visit(_ i: Int) {
      let v = src[i], gt = v > best
      best = gt ? v : best
      bi = gt ? i : bi
    }
    visit(i0 + 1); visit(i0 + 2)
    visit(i0 + W); visit(i0 + W + 1); visit(i0 + W + 2)
    visit(i0 + 2 * W); visit(i0 + 2 * W + 1); visit(i0 + 2 * W + 2)
    return (best, bi)
  }

  /// The 2×2 stride-2 windows of one plane (Conv-4's pooling): every window lies inside the plane, so
  /// there are no bounds to clamp. Same result as the general loop (the first maximum in scan order wins).
  @inline(__always)
  static func forward2x2(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ a: UnsafeMutablePointer<Int32>,
                         W: Int, Ho: Int, Wo: Int) {
    for oy in 0..<Ho {
      let top = 2 * oy * W, bottom = top + W
      for ox in 0..<Wo {
        let x0 = 2 * ox
        var best = src[top + x0], bi = top + x0
        @inline(__always) func visit(_ i: Int) {
          let v = src[i], gt = v > best
          best = gt ? v : best
          bi = gt ? i : bi
        }
        visit(top + x0 + 1); visit(bottom + x0); visit(bottom + x0 + 1)
        dst[oy * Wo + ox] = best
        a[oy * Wo + ox] = Int32(truncatingIfNeeded: bi)
      }
    }
  }

  /// dy [NC,Ho,Wo] -> dx [NC,H,W] (overwritten)
  public func backward(_ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, NC: Int, H: Int, W: Int) {
    let Ho = outSize(H), Wo = outSize(W)
    nonisolated(unsafe) let am = argmax
    let dyp = SendablePtr(UnsafeMutablePointer(mutating: dy)), dxp = SendablePtr(dx)
    Parallel.forEach(NC) { c in
      let d = dxp.p + c * H * W, g = dyp.p + c * Ho * Wo, a = am + c * Ho * Wo
      for i in 0..<(H * W) { d[i] = 0 }
      for o in 0..<(Ho * Wo) { d[Int(a[o])] += g[o] }
    }
  }
}
