import ArcadeCore

/// How a game's tile layer is kept between frames: the three cached drawers of `Canvas`.
enum TileCache { case whole, panned, scrolled }

/// A game's tile atlases, one per colour theme and the monochrome one: the
/// choice between them, and keeping their cached layers apart, is made here once.
struct TileArt: Sendable {
  let themes: [[UInt32]]
  let mono: [UInt32]
  /// XORed into the layer key in monochrome, so the two looks never share a cached layer.
  let monoSalt: UInt64

  /// Draws `tiles` (`outside` beyond the map) under the state's `key`, a hash of everything the layer shows.
  func draw(_ canvas: inout Canvas, _ cache: TileCache, key: UInt64, _ tiles: [UInt8], width: Int, height: Int,
            theme: Int, monochrome: Bool, view: Viewport, outside: UInt8) {
    let k = key ^ (monochrome ? monoSalt : 0), atlas = monochrome ? mono : themes[theme]
    switch cache {
    case .whole: canvas.drawTilesCached(key: k, tiles, width: width, height: height, view: view, atlas: atlas, outside: outside)
    case .panned: canvas.drawTilesPanned(key: k, tiles, width: width, height: height, view: view, atlas: atlas, outside: outside)
    case .scrolled: canvas.drawTilesScrolled(key: k, tiles, width: width, height: height, view: view, atlas: atlas, outside: outside)
    }
  }
}
