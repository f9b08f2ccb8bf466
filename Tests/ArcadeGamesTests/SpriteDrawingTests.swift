import Testing
import ArcadeCore

/// `Canvas.drawSprite` (column lookup computed once per sprite) draws exactly
/// what the straightforward per-pixel formula gives.
@Suite struct SpriteDrawingTests {
  static func reference(_ px: inout [UInt8], _ tex: Texture, x: Float, y: Float, rx: Float, ry: Float, view: Viewport, mirrored: Bool) {
    var r = view.pixelRect(x0: x - rx, y0: y - ry, x1: x + rx, y1: y + ry)
    // Thinner than a pixel: the pixel of the centre, coloured by the middle texel.
    let k = 64 / view.side
    if r.x1 <= r.x0 { r.x0 = Int(((x - view.x0) * k).rounded(.down)); r.x1 = r.x0 + 1 }
    if r.y1 <= r.y0 { r.y0 = Int(((view.y0 + view.side - y) * k).rounded(.down)); r.y1 = r.y0 + 1 }
    let xa = max(0, r.x0), xb = min(64, r.x1), ya = max(0, r.y0), yb = min(64, r.y1)
    guard xa < xb, ya < yb else { return }
    let w = r.x1 - r.x0, h = r.y1 - r.y0
    for py in ya..<yb {
      let v = h == 1 ? tex.height / 2 : (py - r.y0) * tex.height / h
      for qx in xa..<xb {
        var u = w == 1 ? tex.width / 2 : (qx - r.x0) * tex.width / w
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

  /// What the grid and glyph views mark (the cell of an entity's centre), the frame
  /// shows too: a box thinner than a pixel still paints the pixel of its centre, in
  /// the texture's middle texel (starpilot's shots are 0.96 px tall; a round bullet's
  /// corner texel is transparent). Before, such boxes vanished at some heights.
  @Test func aBoxThinnerThanAPixelStillShowsItsMiddle() {
    let round = Texture(art: [".rr.", "rrrr", "rrrr", ".rr."], palette: ["r": RGB(hex: 0xff1744)])
    let view = Viewport.whole(width: 16, height: 16)
    var drawn = 0
    for step in 0..<400 {
      let y = 0.5 + Float(step) * 0.0375, x = 3 + Float(step % 37) * 0.27
      for (rx, ry) in [(Float(0.3), Float(0.12)), (0.3, 0.06), (0.06, 0.3), (0.05, 0.05), (0.2, 0.2)] {
        var canvas = Canvas()
        canvas.fill(RGB(0, 0, 0))
        canvas.drawSprite(round, x: x, y: y, rx: rx, ry: ry, view: view)
        let red = stride(from: 0, to: canvas.pixels.count, by: 3).filter { canvas.pixels[$0] == 0xff }
        #expect(!red.isEmpty, "box (\(rx), \(ry)) at (\(x), \(y)) left no pixel")
        // The pixel of the centre is among them.
        let cx = Int(x * 4), cy = Int((16 - y) * 4)
        #expect(red.contains((cy * 64 + cx) * 3) || rx > 0.125 && ry > 0.125)
        drawn += red.isEmpty ? 0 : 1
      }
    }
    #expect(drawn == 2000)
  }
}
