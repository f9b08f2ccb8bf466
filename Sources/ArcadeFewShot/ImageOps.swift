// Image preprocessing: ink maps, area-average resizing and 90° rotations.

public enum ImageOps {
  /// Ink in [0, 1]: 1 where the stroke is black, 0 on white paper (Omniglot is black on white).
  public static func ink(_ g: GrayImage) -> [Float] {
    g.pixels.map { 1 - Float($0) / 255 }
  }

  /// Area-average resize of a [h, w] map to [outH, outW]: every output pixel is the mean of the
  /// source area it covers, with fractional overlaps weighted exactly (105 → 28 is not an integer ratio).
  public static func areaResize(_ src: [Float], width w: Int, height h: Int, toWidth ow: Int, height oh: Int) -> [Float] {
    precondition(src.count == w * h && ow > 0 && oh > 0)
    func weights(_ n: Int, _ on: Int) -> [[(Int, Double)]] {
      let scale = Double(n) / Double(on)
      return (0..<on).map { o in
        let lo = Double(o) * scale, hi = Double(o + 1) * scale
        var ws: [(Int, Double)] = []
        var i = Int(lo.rounded(.down))
        while Double(i) < hi && i < n {
          let ov = min(hi, Double(i + 1)) - max(lo, Double(i))
          if ov > 1e-12 { ws.append((i, ov / scale)) }
          i += 1
        }
        return ws
      }
    }
    let wx = weights(w, ow), wy = weights(h, oh)
    var out = [Float](repeating: 0, count: ow * oh)
    for oy in 0..<oh {
      for ox in 0..<ow {
        var s = 0.0
        for (y, fy) in wy[oy] { for (x, fx) in wx[ox] { s += Double(src[y * w + x]) * fy * fx } }
        out[oy * ow + ox] = Float(s)
      }
    }
    return out
  }

  /// Rotates a square [n, n] map counter-clockwise by quarter·90°.
  public static func rotate(_ src: UnsafePointer<Float>, n: Int, quarter: Int, into dst: UnsafeMutablePointer<Float>) {
    let q = ((quarter % 4) + 4) % 4
    for y in 0..<n {
      for x in 0..<n {
        let v = src[y * n + x]
        // Counter-clockwise: (x, y) → (y, n−1−x) for one quarter turn.
        switch q {
        case 0: dst[y * n + x] = v
        case 1: dst[(n - 1 - x) * n + y] = v
        case 2: dst[(n - 1 - y) * n + (n - 1 - x)] = v
        default: dst[x * n + (n - 1 - y)] = v
        }
      }
    }
  }

  public static func rotated(_ src: [Float], n: Int, quarter: Int) -> [Float] {
    var out = [Float](repeating: 0, count: n * n)
    src.withUnsafeBufferPointer { s in out.withUnsafeMutableBufferPointer { rotate(s.baseAddress!, n: n, quarter: quarter, into: $0.baseAddress!) } }
    return out
  }

  /// Preprocesses a decoded drawing: ink, then area-average to side×side.
  public static func prepare(_ g: GrayImage, side: Int = 28) -> [Float] {
    areaResize(ink(g), width: g.width, height: g.height, toWidth: side, height: side)
  }

  /// Back to an 8-bit grayscale image (black ink on white), for writing PNGs.
  public static func grayImage(_ ink: [Float], side: Int) -> GrayImage {
    GrayImage(width: side, height: side, pixels: ink.map { UInt8(max(0, min(255, (1 - $0) * 255)).rounded()) })
  }
}
