// Direct 3×3 convolution (stride 1, zero padding 1) of NCHW images whose width is a multiple of 8 and
// whose output channels come in fours: the IMPALA CNN's layers. im2col + sgemm spends as long packing
// the column matrix as multiplying it when the channel counts are this small (each packed entry feeds
// only cout products); here each output row is eight-lane accumulators fed straight from a zero-bordered
// copy of the input.
import ArcadeTensor

enum DirectConv3x3 {
  typealias V8 = SIMD8<Float>

  /// Whether the direct kernels handle a layer: width a multiple of 8, output channels a multiple of 4
  /// (and, for the input gradient, input channels too). Tried and left out (2026-12-04, alternating
  /// binaries): any width of at least 8 with a partial last segment made the few-shot model (64 channels,
  /// 28 and 14 wide) 0.34 → 0.39–0.42 s and the conv grid encoder's training 3.1–3.4k → 2.9–3.0k frames/s.
  static func supports(W: Int, cout: Int) -> Bool { W % 8 == 0 && cout % 4 == 0 }

  /// Floats of one zero-bordered image of `C` planes [C, H+2, W+2].
  static func paddedCount(C: Int, H: Int, W: Int) -> Int { C * (H + 2) * (W + 2) }

  /// Copies planes [C, H, W] into the inside of a zero-bordered [C, H+2, W+2] buffer (whose border is
  /// written here too, so the buffer may hold anything before).
  static func pad(_ x: UnsafePointer<Float>, _ p: UnsafeMutablePointer<Float>, C: Int, H: Int, W: Int) {
    let Wp = W + 2, plane = (H + 2) * Wp
    for c in 0..<C {
      let dst = p + c * plane, src = x + c * H * W
      dst.update(repeating: 0, count: Wp)
      for y in 0..<H {
        let row = dst + (y + 1) * Wp
        row[0] = 0
        (row + 1).update(from: src + y * W, count: W)
        row[W + 1] = 0
      }
      (dst + (H + 1) * Wp).update(repeating: 0, count: Wp)
    }
  }

  @inline(__always) static func load(_ p: UnsafePointer<Float>) -> V8 { UnsafeRawPointer(p).loadUnaligned(as: V8.self) }
  @inline(__always) static func store(_ p: UnsafeMutablePointer<Float>, _ v: V8) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: V8.self)
  }

  /// y[co, y, x] = bias[co] + Σ_{ci,i,j} w[co, ci, i, j] · p[ci, y+i, x+j] for one image: `p` is its padded
  /// input [cin, H+2, W+2], `w` is [cout, cin, 3, 3], `y` is [cout, H, W]. Without `bias` the sums start
  /// from zero, or with `accumulate` from what `y` holds.
  static func forward(padded p: UnsafePointer<Float>, weights w: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                      _ y: UnsafeMutablePointer<Float>, cin: Int, cout: Int, H: Int, W: Int, accumulate: Bool = false) {
    let Wp = W + 2, plane = (H + 2) * Wp, segs = W / 8, wStride = cin * 9, HW = H * W
    for co in stride(from: 0, to: cout, by: 4) {
      let w0 = w + co * wStride, w1 = w0 + wStride, w2 = w1 + wStride, w3 = w2 + wStride
      let bias4 = bias.map { (V8(repeating: $0[co]), V8(repeating: $0[co + 1]), V8(repeating: $0[co + 2]), V8(repeating: $0[co + 3])) }
        ?? (V8(), V8(), V8(), V8())
      let weights = (w0, w1, w2, w3)
      let yc = y + co * HW
      for row in 0..<H {
        // Two 8-wide segments of the row at a time.
        for s in stride(from: 0, to: segs - 1, by: 2) {
          pair(p + row * Wp + s * 8, second: 8, yc + row * W + s * 8, second: 8, weights, bias4,
               cin: cin, plane: plane, Wp: Wp, HW: HW, accumulate: accumulate)
        }
      }
      // An odd last segment (the whole row when W = 8): two rows at a time, so it too has 8 accumulators.
      if segs % 2 == 1 {
        let x = (segs - 1) * 8
        for row in stride(from: 0, to: H - 1, by: 2) {
          pair(p + row * Wp + x, second: Wp, yc + row * W + x, second: W, weights, bias4,
               cin: cin, plane: plane, Wp: Wp, HW: HW, accumulate: accumulate)
        }
        if H % 2 == 1 {
          single(p + (H - 1) * Wp + x, yc + (H - 1) * W + x, weights, bias4, cin: cin, plane: plane, Wp: Wp, HW: HW,
                 accumulate: accumulate)
        }
      }
    }
  }

  typealias Four<T> = (T, T, T, T)

  /// Two 8-wide output blocks of 4 channels (the second `dOut` floats after `out`, read from `dSrc` floats
  /// after `src`): 8 accumulators, 2 loads and 4 broadcasts per 8 FMAs. `src` points into channel 0 of the
  /// padded input at the block's top-left tap, `out` into output channel co; channels are `plane` and `HW` apart.
  @inline(__always)
  static func pair(_ src: UnsafePointer<Float>, second dSrc: Int, _ out: UnsafeMutablePointer<Float>, second dOut: Int,
                   _ w: Four<UnsafePointer<Float>>, _ b: Four<V8>, cin: Int, plane: Int, Wp: Int, HW: Int, accumulate: Bool) {
    var a0 = b.0, a1 = b.1, a2 = b.2, a3 = b.3, c0 = b.0, c1 = b.1, c2 = b.2, c3 = b.3
    if accumulate {
      a0 = load(out); a1 = load(out + HW); a2 = load(out + 2 * HW); a3 = load(out + 3 * HW)
      c0 = load(out + dOut); c1 = load(out + HW + dOut); c2 = load(out + 2 * HW + dOut); c3 = load(out + 3 * HW + dOut)
    }
    for ci in 0..<cin {
      let sp = src + ci * plane, t = ci * 9
      for i in 0..<3 {
        for j in 0..<3 {
          let x0 = load(sp + i * Wp + j), x1 = load(sp + i * Wp + j + dSrc), k = t + i * 3 + j
          let v0 = V8(repeating: w.0[k]), v1 = V8(repeating: w.1[k]), v2 = V8(repeating: w.2[k]), v3 = V8(repeating: w.3[k])
          a0.addProduct(v0, x0); a1.addProduct(v1, x0); a2.addProduct(v2, x0); a3.addProduct(v3, x0)
          c0.addProduct(v0, x1); c1.addProduct(v1, x1); c2.addProduct(v2, x1); c3.addProduct(v3, x1)
        }
      }
    }
    store(out, a0); store(out + HW, a1); store(out + 2 * HW, a2); store(out + 3 * HW, a3)
    store(out + dOut, c0); store(out + HW + dOut, c1); store(out + 2 * HW + dOut, c2); store(out + 3 * HW + dOut, c3)
  }

  /// One 8-wide output block of 4 channels, as `pair` (the last row of an odd height at W = 8, 24, …).
  @inline(__always)
  static func single(_ src: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ w: Four<UnsafePointer<Float>>,
                     _ b: Four<V8>, cin: Int, plane: Int, Wp: Int, HW: Int, accumulate: Bool) {
    var a0 = b.0, a1 = b.1, a2 = b.2, a3 = b.3
    if accumulate { a0 = load(out); a1 = load(out + HW); a2 = load(out + 2 * HW); a3 = load(out + 3 * HW) }
    for ci in 0..<cin {
      let sp = src + ci * plane, t = ci * 9
      for i in 0..<3 {
        for j in 0..<3 {
          let x0 = load(sp + i * Wp + j), k = t + i * 3 + j
          a0.addProduct(V8(repeating: w.0[k]), x0); a1.addProduct(V8(repeating: w.1[k]), x0)
          a2.addProduct(V8(repeating: w.2[k]), x0); a3.addProduct(V8(repeating: w.3[k]), x0)
        }
      }
    }
    store(out, a0); store(out + HW, a1); store(out + 2 * HW, a2); store(out + 3 * HW, a3)
  }

  /// wf[ci, co, 2−i, 2−j] = w[co, ci, i, j]: the input gradient is the forward convolution of the padded
  /// output gradient with these weights (cin and cout swapped).
  static func flipped(_ w: UnsafePointer<Float>, _ wf: UnsafeMutablePointer<Float>, cin: Int, cout: Int) {
    for co in 0..<cout {
      for ci in 0..<cin {
        for k in 0..<9 { wf[(ci * cout + co) * 9 + 8 - k] = w[(co * cin + ci) * 9 + k] }
      }
    }
  }

  /// dw[co, ci, i, j] += Σ_{y,x} dy[co, y, x] · p[ci, y+i, x+j] for one image (`p` padded as in `forward`).
  static func weightGradient(padded p: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dw: UnsafeMutablePointer<Float>,
                             cin: Int, cout: Int, H: Int, W: Int) {
    let Wp = W + 2, plane = (H + 2) * Wp, segs = W / 8, HW = H * W
    for co in stride(from: 0, to: cout, by: 4) {
      for ci in 0..<cin {
        for i in 0..<3 {
          // 4 output channels × the 3 taps of row i: 12 accumulators, 7 loads per 12 FMAs.
          var a00 = V8(), a01 = V8(), a02 = V8(), a10 = V8(), a11 = V8(), a12 = V8()
          var a20 = V8(), a21 = V8(), a22 = V8(), a30 = V8(), a31 = V8(), a32 = V8()
          for row in 0..<H {
            let src = p + ci * plane + (row + i) * Wp, g = dy + co * HW + row * W
            for s in 0..<segs {
              let x0 = load(src + s * 8), x1 = load(src + s * 8 + 1), x2 = load(src + s * 8 + 2)
              let g0 = load(g + s * 8), g1 = load(g + HW + s * 8), g2 = load(g + 2 * HW + s * 8), g3 = load(g + 3 * HW + s * 8)
              a00.addProduct(g0, x0); a01.addProduct(g0, x1); a02.addProduct(g0, x2)
              a10.addProduct(g1, x0); a11.addProduct(g1, x1); a12.addProduct(g1, x2)
              a20.addProduct(g2, x0); a21.addProduct(g2, x1); a22.addProduct(g2, x2)
              a30.addProduct(g3, x0); a31.addProduct(g3, x1); a32.addProduct(g3, x2)
            }
          }
          let d = dw + (co * cin + ci) * 9 + i * 3, step = cin * 9
          d[0] += a00.sum(); d[1] += a01.sum(); d[2] += a02.sum()
          d[step] += a10.sum(); d[step + 1] += a11.sum(); d[step + 2] += a12.sum()
          d[2 * step] += a20.sum(); d[2 * step + 1] += a21.sum(); d[2 * step + 2] += a22.sum()
          d[3 * step] += a30.sum(); d[3 * step + 1] += a31.sum(); d[3 * step + 2] += a32.sum()
        }
      }
    }
  }
}
