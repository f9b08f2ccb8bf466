import Testing
@testable import ArcadeCore

@Suite struct CanvasTests {
  let atlas: [UInt32] = (0..<4).flatMap { t in (0..<64).map { UInt32(0xff00_0000) | UInt32(t * 60) << 16 | UInt32($0) } }

  @Test(arguments: [(20, Viewport.whole(width: 20, height: 20)), (13, .whole(width: 13, height: 13)),
                    (9, .centred(x: 4.3, y: 5.1, side: 8))])
  func incrementalDrawingEqualsAFullRedraw(_ n: Int, _ view: Viewport) {
    var rng = PCG32(seed: 1, stream: 1)
    var tiles = (0..<(n * n)).map { _ in UInt8(rng.below(4)) }
    var inc = Canvas(), full = Canvas()
    for _ in 0..<30 {
      for _ in 0..<rng.below(6) { tiles[rng.below(tiles.count)] = UInt8(rng.below(4)) }
      inc.drawTilesIncremental(atlasID: 0, tiles, width: n, height: n, view: view, atlas: atlas, outside: 3)
      full.drawTiles(tiles, width: n, height: n, view: view, atlas: atlas, outside: 3)
      #expect(inc.pixels == full.pixels)
    }
  }

  @Test func cachedLayerIsReusedOnlyForTheSameKeyAndView() {
    var c = Canvas()
    let a: [UInt8] = [0, 1, 2, 3], b: [UInt8] = [3, 2, 1, 0]
    let view = Viewport.whole(width: 2, height: 2)
    c.drawTilesCached(key: 1, a, width: 2, height: 2, view: view, atlas: atlas, outside: 0)
    let first = c.pixels
    c.drawTilesCached(key: 2, b, width: 2, height: 2, view: view, atlas: atlas, outside: 0)
    #expect(c.pixels != first)
    c.drawTilesCached(key: 1, a, width: 2, height: 2, view: view, atlas: atlas, outside: 0)
    #expect(c.pixels == first)
  }

  @Test func spritesAreClippedAndTransparentTexelsSkipped() {
    var c = Canvas()
    c.fill(RGB(1, 2, 3))
    let tex = Texture(art: ["r.", ".r"], palette: ["r": RGB(255, 0, 0)])
    // A 2×2-cell sprite half outside the left edge of a 4-cell view.
    c.drawSprite(tex, x: 0, y: 2, rx: 1, ry: 1, view: .whole(width: 4, height: 4))
    // The sprite covers rows 16..<48 and, clipped, columns 0..<16: the visible
    // half is the art's right column, transparent on top and red below.
    let top = (20 * 64 + 5) * 3, bottom = (40 * 64 + 5) * 3, outside = (40 * 64 + 20) * 3
    #expect(c.pixels[top..<(top + 3)] == [1, 2, 3])
    #expect(c.pixels[bottom..<(bottom + 3)] == [255, 0, 0])
    #expect(c.pixels[outside..<(outside + 3)] == [1, 2, 3])
  }
}
