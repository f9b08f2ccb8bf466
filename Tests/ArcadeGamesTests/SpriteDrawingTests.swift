import Testing
import ArcadeCore

/// `Canvas.drawSprite` (column lookup computed once per sprite) draws exactly
/// what the straightforward per-pixel formula gives.
@Suite struct SpriteDrawingTests {
  static func reference(_ px: inout [UInt8], _ tex: Texture, x: Float, y: Float, rx: Float, ry: Float, view: Viewport, mirrored: Bool) {
    let r = view.pixelRect(x0: x - rx, y0: y - ry, x1: x + rx, y1: y + ry)
    guard r.x1 > r.x0, r.y1 > r.y0 else { return }
    let xa = max(0, r.x0), xb = min(64, r.x1), ya = max(0, r.y0), yb = min(64, r.y1)
    guard xa < xb, ya < yb else { return }
    let w = r.x1 - r.x0, h = r.y1 - r.y0
    for py in ya..<yb {
      let v = (py - r.y0) * tex.height / h
      for qx in xa..<xb {
        var u = (qx - r.x0) * tex.width / w
        if mirrored { u = tex.width - 1 - u }
        let c = tex.pixels[v * tex.width + u]
        if c >> 24 != 0 {
          let o = (py * 64 + qx) * 3
          px[o] = UInt8(truncatingIfNeeded: c >> 16); px[o + 1] = UInt8(truncatingIfNeeded: c >> 8)
          px[o + 2] = UInt8(truncatingIfNeeded: c)
        }
      }
    }
  }

  @Test func matchesTheReference() {
    var rng = PCG32(seed: 9, stream: 9)
    for _ in 0..<300 {
      let tw = 1 + rng.below(16), th = 1 + rng.below(16)
      let tex = Texture(width: tw, height: th, pixels: (0..<(tw * th)).map { _ in rng.coin() ? 0 : 0xff00_0000 | rng.next() & 0xffffff })
      let view = Viewport(x0: rng.float(-5, 5), y0: rng.float(-5, 5), side: rng.float(8, 40))
      let x = rng.float(-10, 40), y = rng.float(-10, 40), rx = rng.float(0.05, 6), ry = rng.float(0.05, 6)
      let mir = rng.coin()
      var canvas = Canvas()
      canvas.fill(RGB(1, 2, 3))
      var ref = canvas.pixels
      canvas.drawSprite(tex, x: x, y: y, rx: rx, ry: ry, view: view, mirrored: mir)
      Self.reference(&ref, tex, x: x, y: y, rx: rx, ry: ry, view: view, mirrored: mir)
      #expect(canvas.pixels == ref)
    }
  }
}
