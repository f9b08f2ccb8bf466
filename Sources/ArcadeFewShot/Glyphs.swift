// Procedurally generated glyphs: every character is a few pen strokes (smoothed polylines) drawn
// from PCG32(seed, stream = character); every drawing re-draws it with its own jitter (control
// points, scale, slant, shift, pen width). Deterministic: the same seed gives the same pixels.
import ArcadeBase
import Glibc

public final class GlyphSource: FewShotSource {
  public let seed: UInt64
  public let counts: (train: Int, valid: Int, test: Int)
  public let drawingsPerCharacter: Int
  public let side: Int

  public init(seed: UInt64 = 1, train: Int = 1000, valid: Int = 200, test: Int = 400, drawings: Int = 20, side: Int = 28) {
    self.seed = seed; counts = (train, valid, test); drawingsPerCharacter = drawings; self.side = side
  }

  public var summary: String {
    "procedural glyphs seed \(seed) (\(counts.train) train, \(counts.valid) valid, \(counts.test) test characters)"
  }

  /// Character indices are disjoint ranges: train, then valid, then test.
  public func characters(_ s: Split) -> [Int] {
    switch s {
    case .train: return Array(0..<counts.train)
    case .valid: return Array(counts.train..<(counts.train + counts.valid))
    case .test: return Array((counts.train + counts.valid)..<(counts.train + counts.valid + counts.test))
    }
  }
  public func drawingCount(_ c: Int) -> Int { drawingsPerCharacter }

  /// The strokes of a character in unit coordinates.
  public func strokes(_ c: Int) -> [[(Float, Float)]] {
    var rng = PCG32(seed: seed, stream: UInt64(c) &* 2 &+ 1)
    let n = rng.int(2, 5)
    var out: [[(Float, Float)]] = []
    var last: (Float, Float)? = nil
    for _ in 0..<n {
      let pts = rng.int(2, 4)
      var s: [(Float, Float)] = []
      // Half of the strokes start where the previous one ended (connected pen paths).
      if let l = last, rng.coin() { s.append(l) } else { s.append((rng.float(0.18, 0.82), rng.float(0.18, 0.82))) }
      for _ in 1...pts { s.append((rng.float(0.18, 0.82), rng.float(0.18, 0.82))) }
      last = s.last
      out.append(s)
    }
    return out
  }

  public func drawing(_ c: Int, _ j: Int) -> [Float] {
    var rng = PCG32(seed: mixSeed(seed ^ (UInt64(c) &* 0x9E37_79B9)), stream: UInt64(j) &* 2 &+ 1)
    let jitter: Float = 0.035
    let scale = rng.float(0.88, 1.08), angle = rng.float(-0.15, 0.15), shear = rng.float(-0.12, 0.12)
    let dx = rng.float(-0.05, 0.05), dy = rng.float(-0.05, 0.05)
    let width = rng.float(0.035, 0.06)
    let ca = cos(angle), sa = sin(angle)
    var segs: [(Float, Float, Float, Float)] = []
    for stroke in strokes(c) {
      var p = stroke.map { (x, y) -> (Float, Float) in
        let jx = x + rng.float(-jitter, jitter) - 0.5, jy = y + rng.float(-jitter, jitter) - 0.5
        let sx = (jx + shear * jy) * scale, sy = jy * scale
        return (ca * sx - sa * sy + 0.5 + dx, sa * sx + ca * sy + 0.5 + dy)
      }
      // Two rounds of Chaikin corner cutting: smooth, pen-like curves.
      for _ in 0..<2 where p.count > 2 {
        var q: [(Float, Float)] = [p[0]]
        for i in 0..<(p.count - 1) {
          let a = p[i], b = p[i + 1]
          q.append((0.75 * a.0 + 0.25 * b.0, 0.75 * a.1 + 0.25 * b.1))
          q.append((0.25 * a.0 + 0.75 * b.0, 0.25 * a.1 + 0.75 * b.1))
        }
        q.append(p[p.count - 1])
        p = q
      }
      for i in 0..<(p.count - 1) { segs.append((p[i].0, p[i].1, p[i + 1].0, p[i + 1].1)) }
    }
    let n = side, px = 1 / Float(n)
    var out = [Float](repeating: 0, count: n * n)
    for y in 0..<n {
      let cy = (Float(y) + 0.5) * px
      for x in 0..<n {
        let cx = (Float(x) + 0.5) * px
        var d2 = Float.infinity
        for (ax, ay, bx, by) in segs {
          let vx = bx - ax, vy = by - ay, wx = cx - ax, wy = cy - ay
          let l2 = vx * vx + vy * vy
          let t = l2 > 0 ? max(0, min(1, (wx * vx + wy * vy) / l2)) : 0
          let ex = wx - t * vx, ey = wy - t * vy
          d2 = min(d2, ex * ex + ey * ey)
        }
        // Anti-aliased pen edge, one pixel wide.
        out[y * n + x] = max(0, min(1, (width - d2.squareRoot()) / px + 0.5))
      }
    }
    return out
  }
}
