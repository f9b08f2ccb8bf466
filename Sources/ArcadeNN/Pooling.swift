// Max pooling (padding acts as −inf), NCHW, with argmax indices kept for backward.
import ArcadeTensor

public final class MaxPool2d {
  public let k: Int, stride: Int, pad: Int
  var argmax: [Int32] = []
  public init(kernel: Int, stride: Int, pad: Int) { k = kernel; self.stride = stride; self.pad = pad }

  public func outSize(_ h: Int) -> Int { (h + 2 * pad - k) / stride + 1 }

  /// x [NC,H,W] -> y [NC,Ho,Wo]
  public func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, NC: Int, H: Int, W: Int) {
    let Ho = outSize(H), Wo = outSize(W)
    if argmax.count < NC * Ho * Wo { argmax = [Int32](repeating: 0, count: NC * Ho * Wo) }
    let k = k, s = stride, p = pad
    argmax.withUnsafeMutableBufferPointer { am in
      let amp = am.baseAddress!
      nonisolated(unsafe) let a = amp
      let xp = SendablePtr(UnsafeMutablePointer(mutating: x)), yp = SendablePtr(y)
      Parallel.forEach(NC) { c in
        let src = xp.p + c * H * W
        for oy in 0..<Ho {
          for ox in 0..<Wo {
            var best = -Float.infinity, bi: Int32 = -1
            for i in 0..<k {
              let iy = oy * s + i - p
              if iy < 0 || iy >= H { continue }
              for j in 0..<k {
                let ix = ox * s + j - p
                if ix < 0 || ix >= W { continue }
                let v = src[iy * W + ix]
                if v > best || bi < 0 { best = v; bi = Int32(iy * W + ix) }
              }
            }
            yp.p[(c * Ho + oy) * Wo + ox] = best
            a[(c * Ho + oy) * Wo + ox] = bi
          }
        }
      }
    }
  }

  /// dy [NC,Ho,Wo] -> dx [NC,H,W] (overwritten)
  public func backward(_ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, NC: Int, H: Int, W: Int) {
    let Ho = outSize(H), Wo = outSize(W)
    Vec.zero(dx, NC * H * W)
    argmax.withUnsafeBufferPointer { am in
      for c in 0..<NC {
        for o in 0..<(Ho * Wo) { dx[c * H * W + Int(am[c * Ho * Wo + o])] += dy[c * Ho * Wo + o] }
      }
    }
  }
}
