// Max pooling (padding acts as −inf), NCHW, with argmax indices kept for backward.
import ArcadeTensor

public final class MaxPool2d {
  public let k: Int, stride: Int, pad: Int
  var argmax = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
  var argCap = 1
  /// False when no backward follows (acting): the forward then finds the maxima only, a column pass and a
  /// row pass over the plane instead of a per-window argmax scan.
  public var recordsIndices = true
  /// Whether the argmax indices belong to the last forward (backward needs them).
  var indicesValid = false
  public init(kernel: Int, stride: Int, pad: Int) { k = kernel; self.stride = stride; self.pad = pad }
  deinit { argmax.deallocate() }

  public func outSize(_ h: Int) -> Int { (h + 2 * pad - k) / stride + 1 }

  /// x [NC,H,W] -> y [NC,Ho,Wo]
  public func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, NC: Int, H: Int, W: Int) {
    indicesValid = recordsIndices
    guard recordsIndices else { return forwardValues(x, y, NC: NC, H: H, W: W) }
    let Ho = outSize(H), Wo = outSize(W)
    if argCap < NC * Ho * Wo {
      argmax.deallocate()
      argCap = NC * Ho * Wo
      argmax = .allocate(capacity: argCap)
    }
    let k = k, s = stride, p = pad
    nonisolated(unsafe) let am = argmax
    let xp = SendablePtr(UnsafeMutablePointer(mutating: x)), yp = SendablePtr(y)
    let pairs = k == 2 && s == 2 && p == 0 && Wo >= 8
    let threes = k == 3 && s == 2 && p == 1 && W % 2 == 0 && Wo >= 9
    Parallel.forEach(NC) { c in
      let src = xp.p + c * H * W, dst = yp.p + c * Ho * Wo, a = am + c * Ho * Wo
      if pairs { return Self.forwardPairs(src, dst, a, H: H, W: W) }
      if threes { return Self.forwardThrees(src, dst, a, H: H, W: W, Ho: Ho, Wo: Wo) }
      for oy in 0..<Ho {
        let y0 = max(oy * s - p, 0), y1 = min(oy * s - p + k, H)
        for ox in 0..<Wo {
          let x0 = max(ox * s - p, 0), x1 = min(ox * s - p + k, W)
          var best = src[y0 * W + x0], bi = y0 * W + x0
          if (k == 2 || k == 3) && y1 - y0 == k && x1 - x0 == k {
            // A whole 2×2 (Conv-4) or 3×3 window (the IMPALA CNN, away from the border): unrolled.
            Self.scanWhole(k, src, from: bi, W: W, &best, &bi)
          } else {
            for iy in y0..<y1 {
              for ix in x0..<x1 { Self.keepMax(src, iy * W + ix, &best, &bi) }
            }
          }
          dst[oy * Wo + ox] = best
          a[oy * Wo + ox] = Int32(truncatingIfNeeded: bi)
        }
      }
    }
  }

  /// 2×2 windows at stride 2 (Conv-4), eight windows at a time: a row pair's 16 columns split into even and
  /// odd columns give each window's four candidates, kept in scan order so the first maximum wins ties.
  /// The last eight windows of a row may overlap the previous eight (the same values, written twice).
  static func forwardPairs(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ a: UnsafeMutablePointer<Int32>,
                           H: Int, W: Int) {
    typealias I8 = SIMD8<Int32>
    let Ho = H / 2, Wo = W / 2, twice = I8(0, 2, 4, 6, 8, 10, 12, 14)
    for oy in 0..<Ho {
      let top = src + 2 * oy * W
      var ox = 0
      while ox < Wo {
        ox = min(ox, Wo - 8)
        let r0 = UnsafeRawPointer(top + 2 * ox).loadUnaligned(as: SIMD16<Float>.self)
        let r1 = UnsafeRawPointer(top + W + 2 * ox).loadUnaligned(as: SIMD16<Float>.self)
        let i0 = I8(repeating: Int32(2 * oy * W + 2 * ox)) &+ twice
        var best = r0.evenHalf, index = i0
        @inline(__always) func keep(_ v: SIMD8<Float>, _ off: Int32) {
          let m = v .> best
          best.replace(with: v, where: m)
          index.replace(with: i0 &+ off, where: m)
        }
        keep(r0.oddHalf, 1); keep(r1.evenHalf, Int32(W)); keep(r1.oddHalf, Int32(W + 1))
        UnsafeMutableRawPointer(dst + oy * Wo + ox).storeBytes(of: best, as: SIMD8<Float>.self)
        UnsafeMutableRawPointer(a + oy * Wo + ox).storeBytes(of: index, as: I8.self)
        ox += 8
      }
    }
  }

  /// 3×3 windows at stride 2 with padding 1 (the IMPALA CNN) on planes of even width, eight windows at a time:
  /// window ox covers columns 2ox−1 ... 2ox+1, which are the even and odd lanes of a 16-wide load at 2ox−1 and
  /// the odd lanes of one at 2ox. The first window of a row (its left column is padding) is scanned alone;
  /// the last eight may overlap the previous eight. Scan order as in the scalar path, so ties go the same way.
  static func forwardThrees(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ a: UnsafeMutablePointer<Int32>,
                            H: Int, W: Int, Ho: Int, Wo: Int) {
    typealias I8 = SIMD8<Int32>
    let twice = I8(0, 2, 4, 6, 8, 10, 12, 14)
    @inline(__always) func load16(_ p: UnsafePointer<Float>) -> SIMD16<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self) }
    for oy in 0..<Ho {
      let y0 = max(2 * oy - 1, 0), y1 = min(2 * oy + 2, H)
      var best = src[y0 * W], bi = y0 * W
      for iy in y0..<y1 { keepMax(src, iy * W, &best, &bi); keepMax(src, iy * W + 1, &best, &bi) }
      dst[oy * Wo] = best
      a[oy * Wo] = Int32(truncatingIfNeeded: bi)
      var ox = 1
      while ox < Wo {
        ox = min(ox, Wo - 8)
        let left = I8(repeating: Int32(2 * ox - 1)) &+ twice
        var best = SIMD8<Float>(), index = I8()
        @inline(__always) func keep(_ v: SIMD8<Float>, _ i: I8) {
          let m = v .> best
          best.replace(with: v, where: m)
          index.replace(with: i, where: m)
        }
        for iy in y0..<y1 {
          let row = src + iy * W, l = load16(row + 2 * ox - 1), r = load16(row + 2 * ox)
          let i0 = left &+ Int32(iy * W)
          if iy == y0 { best = l.evenHalf; index = i0 } else { keep(l.evenHalf, i0) }
          keep(l.oddHalf, i0 &+ 1); keep(r.oddHalf, i0 &+ 2)
        }
        UnsafeMutableRawPointer(dst + oy * Wo + ox).storeBytes(of: best, as: SIMD8<Float>.self)
        UnsafeMutableRawPointer(a + oy * Wo + ox).storeBytes(of: index, as: I8.self)
        ox += 8
      }
    }
  }

  /// The maxima alone: per output row, the column maxima over its window's rows (contiguous, so vectorised),
  /// then each window's maximum of those. The same values as the argmax scan.
  func forwardValues(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, NC: Int, H: Int, W: Int) {
    let Ho = outSize(H), Wo = outSize(W), k = k, s = stride, p = pad
    let xp = SendablePtr(UnsafeMutablePointer(mutating: x)), yp = SendablePtr(y)
    Parallel.forEach(NC) { c in
      withUnsafeTemporaryAllocation(of: Float.self, capacity: W) { column in
        let col = column.baseAddress!, src = xp.p + c * H * W, dst = yp.p + c * Ho * Wo
        for oy in 0..<Ho {
          let y0 = max(oy * s - p, 0), y1 = min(oy * s - p + k, H)
          col.update(from: src + y0 * W, count: W)
          for iy in (y0 + 1)..<max(y1, y0 + 1) {
            let r = src + iy * W
            for ix in 0..<W { let v = r[ix]; col[ix] = v > col[ix] ? v : col[ix] }
          }
          for ox in 0..<Wo {
            let x0 = max(ox * s - p, 0), x1 = min(ox * s - p + k, W)
            var best = col[x0]
            for ix in (x0 + 1)..<max(x1, x0 + 1) { let v = col[ix]; best = v > best ? v : best }
            dst[oy * Wo + ox] = best
          }
        }
      }
    }
  }

  /// One step of the branch-free running argmax: only a strictly larger value replaces the best, so the
  /// first maximum in scan order wins ties.
  @inline(__always)
  static func keepMax(_ src: UnsafePointer<Float>, _ i: Int, _ best: inout Float, _ bi: inout Int) {
    let v = src[i], gt = v > best
    best = gt ? v : best
    bi = gt ? i : bi
  }

  /// The rest of a whole k×k window (k = 2 or 3) whose top-left entry `i0` is already the best, in scan order.
  @inline(__always)
  static func scanWhole(_ k: Int, _ src: UnsafePointer<Float>, from i0: Int, W: Int, _ best: inout Float, _ bi: inout Int) {
    if k == 2 {
      keepMax(src, i0 + 1, &best, &bi)
      keepMax(src, i0 + W, &best, &bi); keepMax(src, i0 + W + 1, &best, &bi)
    } else {
      keepMax(src, i0 + 1, &best, &bi); keepMax(src, i0 + 2, &best, &bi)
      keepMax(src, i0 + W, &best, &bi); keepMax(src, i0 + W + 1, &best, &bi); keepMax(src, i0 + W + 2, &best, &bi)
      keepMax(src, i0 + 2 * W, &best, &bi); keepMax(src, i0 + 2 * W + 1, &best, &bi); keepMax(src, i0 + 2 * W + 2, &best, &bi)
    }
  }

  /// dy [NC,Ho,Wo] -> dx [NC,H,W] (overwritten)
  public func backward(_ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, NC: Int, H: Int, W: Int) {
    precondition(indicesValid, "MaxPool2d.backward after a forward without indices (recordsIndices false)")
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
