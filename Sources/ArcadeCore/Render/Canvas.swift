/// The 64×64 RGB frame every game draws into (row 0 = top), plus the
/// world-to-screen mapping. Drawing never allocates.
public struct Canvas: Sendable {
  public static let size = 64
  /// 64 × 64 × 3 bytes, row-major, RGB.
  public var pixels: [UInt8]
  /// A rendered static layer, reused while its key and viewport stay the same.
  var layerCache: [UInt8]
  var layerKey: UInt64?
  var layerView: Viewport?
  /// For `drawTilesIncremental`: the tiles the cached layer shows and the
  /// pixel span of every cell column and row.
  var drawnTiles: [UInt8] = []
  var drawnAtlas = -1
  var drawnSize = (0, 0)
  var colSpan: [Int32] = [], rowSpan: [Int32] = []
  /// For `drawTilesScrolled`: the whole map pre-rendered at frame width.
  var strip: [UInt8] = []
  var stripKey: UInt64?
  /// Which 64×64 blocks of a panned panorama are rendered (PannedTiles).
  var stripBlocks: [Bool] = []

  public init() {
    pixels = [UInt8](repeating: 0, count: Canvas.size * Canvas.size * 3)
    layerCache = pixels
  }

  /// Like `drawTiles`, but reuses the previous result when `key` (a hash of
  /// everything the layer shows) and the viewport are unchanged.
  public mutating func drawTilesCached(
    key: UInt64, _ tiles: [UInt8], width: Int, height: Int, view: Viewport, atlas: [UInt32], outside: UInt8
  ) {
    if layerKey == key && layerView == view {
      pixels.withUnsafeMutableBufferPointer { dst in
        layerCache.withUnsafeBufferPointer { dst.baseAddress!.update(from: $0.baseAddress!, count: $0.count) }
      }
      return
    }
    drawTiles(tiles, width: width, height: height, view: view, atlas: atlas, outside: outside)
    layerCache.withUnsafeMutableBufferPointer { dst in
      pixels.withUnsafeBufferPointer { dst.baseAddress!.update(from: $0.baseAddress!, count: $0.count) }
    }
    layerKey = key
    layerView = view
    drawnAtlas = -1
  }

  public mutating func fill(_ c: RGB) {
    pixels.withUnsafeMutableBufferPointer { p in
      var i = 0
      while i < p.count { p[i] = c.r; p[i + 1] = c.g; p[i + 2] = c.b; i += 3 }
    }
  }

  /// Fills pixel rectangle [x0, x1) × [y0, y1) (clipped).
  public mutating func fillRect(x0: Int, y0: Int, x1: Int, y1: Int, _ c: RGB) {
    let xa = max(0, x0), xb = min(Canvas.size, x1), ya = max(0, y0), yb = min(Canvas.size, y1)
    guard xa < xb, ya < yb else { return }
    pixels.withUnsafeMutableBufferPointer { p in
      for y in ya..<yb {
        var i = (y * Canvas.size + xa) * 3
        for _ in xa..<xb { p[i] = c.r; p[i + 1] = c.g; p[i + 2] = c.b; i += 3 }
      }
    }
  }

  /// Like `drawTiles` for a map that changes a few cells per step (diggers,
  /// collectors): redraws only the cells whose tile changed since the last
  /// call, while the view, size and atlas (`atlasID`) stay the same.
  public mutating func drawTilesIncremental(
    atlasID: Int, _ tiles: [UInt8], width: Int, height: Int, view: Viewport, atlas: [UInt32], outside: UInt8
  ) {
    if atlasID != drawnAtlas || view != layerView || drawnSize != (width, height) || layerKey != nil {
      drawTiles(tiles, width: width, height: height, view: view, atlas: atlas, outside: outside)
      layerCache = pixels
      drawnTiles = tiles
      drawnAtlas = atlasID
      drawnSize = (width, height)
      layerView = view
      layerKey = nil
      // Pixel spans [start, end) of each cell column and row in this view.
      colSpan = [Int32](repeating: 64, count: 2 * width)
      rowSpan = [Int32](repeating: 64, count: 2 * height)
      for p in 0..<Canvas.size {
        let cx = Int(view.worldX(pixel: p).rounded(.down)), cy = Int(view.worldY(pixel: p).rounded(.down))
        if cx >= 0 && cx < width {
          colSpan[2 * cx] = min(colSpan[2 * cx], Int32(p)); colSpan[2 * cx + 1] = Int32(p + 1)
        }
        if cy >= 0 && cy < height {
          rowSpan[2 * cy] = min(rowSpan[2 * cy], Int32(p)); rowSpan[2 * cy + 1] = Int32(p + 1)
        }
      }
      return
    }
    tiles.withUnsafeBufferPointer { t in
      drawnTiles.withUnsafeMutableBufferPointer { old in
        layerCache.withUnsafeMutableBufferPointer { out in
          atlas.withUnsafeBufferPointer { a in
            for i in 0..<(width * height) where old[i] != t[i] {
              old[i] = t[i]
              let cx = i % width, cy = i / width
              let x0 = Int(colSpan[2 * cx]), x1 = Int(colSpan[2 * cx + 1])
              let y0 = Int(rowSpan[2 * cy]), y1 = Int(rowSpan[2 * cy + 1])
              guard x0 < x1, y0 < y1 else { continue }
              let base = Int(t[i]) << 6
              for py in y0..<y1 {
                let wy = view.worldY(pixel: py), fy = wy.rounded(.down)
                let v = min(7, max(0, Int((1 - (wy - fy)) * 8)))
                var o = (py * Canvas.size + x0) * 3
                for px in x0..<x1 {
                  // The same texel arithmetic as `drawTiles`, so both paths give identical frames.
                  let wx = view.worldX(pixel: px), fx = wx.rounded(.down)
                  let u = min(7, max(0, Int((wx - fx) * 8)))
                  let c = a[base | v << 3 | u]
                  out[o] = UInt8(truncatingIfNeeded: c >> 16)
                  out[o + 1] = UInt8(truncatingIfNeeded: c >> 8)
                  out[o + 2] = UInt8(truncatingIfNeeded: c)
                  o += 3
                }
              }
            }
          }
        }
      }
    }
    pixels.withUnsafeMutableBufferPointer { dst in
      layerCache.withUnsafeBufferPointer { dst.baseAddress!.update(from: $0.baseAddress!, count: $0.count) }
    }
  }

  /// Draws a tile map seen through `view`. `atlas` holds one 8×8 texture per
  /// tile id (64 packed pixels each); cells outside the map use `outside`.
  public mutating func drawTiles(
    _ tiles: [UInt8], width: Int, height: Int, view: Viewport, atlas: [UInt32], outside: UInt8
  ) {
    // Per-column and per-row lookups: which cell and which texel each pixel shows.
    withUnsafeTemporaryAllocation(of: Int32.self, capacity: 4 * Canvas.size) { lut in
      let n = Canvas.size
      for p in 0..<n {
        let wx = view.worldX(pixel: p), wy = view.worldY(pixel: p)
        let cx = wx.rounded(.down), cy = wy.rounded(.down)
        lut[p] = Int32(cx)
        lut[n + p] = Int32(min(7, max(0, Int((wx - cx) * 8))))
        lut[2 * n + p] = Int32(cy)
        lut[3 * n + p] = Int32(min(7, max(0, Int((1 - (wy - cy)) * 8))))
      }
      tiles.withUnsafeBufferPointer { t in
        atlas.withUnsafeBufferPointer { a in
          pixels.withUnsafeMutableBufferPointer { out in
            var o = 0
            for py in 0..<n {
              let cy = Int(lut[2 * n + py]), v = Int(lut[3 * n + py])
              let rowInside = cy >= 0 && cy < height
              for px in 0..<n {
                let cx = Int(lut[px])
                let tile = rowInside && cx >= 0 && cx < width ? t[cy * width + cx] : outside
                let c = a[Int(tile) << 6 | v << 3 | Int(lut[n + px])]
                out[o] = UInt8(truncatingIfNeeded: c >> 16)
                out[o + 1] = UInt8(truncatingIfNeeded: c >> 8)
                out[o + 2] = UInt8(truncatingIfNeeded: c)
                o += 3
              }
            }
          }
        }
      }
    }
  }

  /// Draws `tex` stretched over the world box centred at (x, y) with
  /// half-extents (rx, ry); transparent texels are skipped.
  public mutating func drawSprite(
    _ tex: Texture, x: Float, y: Float, rx: Float, ry: Float, view: Viewport, mirrored: Bool = false
  ) {
    guard rx > 0, ry > 0 else { return }
    var r = view.pixelRect(x0: x - rx, y0: y - ry, x1: x + rx, y1: y + ry)
    // A box thinner than a pixel still covers the pixel of its centre, as the grid
    // and glyph views mark the cell of its centre (starpilot's shots are 0.96 px tall).
    let k = Float(Canvas.size) / view.side
    if r.x1 <= r.x0 { r.x0 = Int(((x - view.x0) * k).rounded(.down)); r.x1 = r.x0 + 1 }
    if r.y1 <= r.y0 { r.y0 = Int(((view.y0 + view.side - y) * k).rounded(.down)); r.y1 = r.y0 + 1 }
    let xa = max(0, r.x0), xb = min(Canvas.size, r.x1), ya = max(0, r.y0), yb = min(Canvas.size, r.y1)
    guard xa < xb, ya < yb else { return }
    let w = r.x1 - r.x0, h = r.y1 - r.y0
    // The texel column of every visible pixel column, computed once per sprite.
    withUnsafeTemporaryAllocation(of: Int32.self, capacity: Canvas.size) { cols in
      // A one-pixel side shows the middle texel: the first is often a transparent corner.
      for px in xa..<xb {
        var u = w == 1 ? tex.width / 2 : (px - r.x0) * tex.width / w
        if mirrored { u = tex.width - 1 - u }
        cols[px] = Int32(u)
      }
      tex.pixels.withUnsafeBufferPointer { src in
        pixels.withUnsafeMutableBufferPointer { out in
          for py in ya..<yb {
            let row = (h == 1 ? tex.height / 2 : (py - r.y0) * tex.height / h) * tex.width
            var o = (py * Canvas.size + xa) * 3
            for px in xa..<xb {
              let c = src[row + Int(cols[px])]
              if c >> 24 != 0 {
                out[o] = UInt8(truncatingIfNeeded: c >> 16)
                out[o + 1] = UInt8(truncatingIfNeeded: c >> 8)
                out[o + 2] = UInt8(truncatingIfNeeded: c)
              }
              o += 3
            }
          }
        }
      }
    }
  }

  /// Copies the frame into `dst` (64·64·3 bytes).
  public func copy(to dst: UnsafeMutablePointer<UInt8>) {
    pixels.withUnsafeBufferPointer { dst.update(from: $0.baseAddress!, count: $0.count) }
  }
}

/// Which square of the world the 64×64 frame shows (world y points up).
public struct Viewport: Sendable, Equatable {
  /// World coordinates of the view's bottom-left corner and its side in cells.
  public var x0: Float, y0: Float, side: Float

  public init(x0: Float, y0: Float, side: Float) {
    self.x0 = x0; self.y0 = y0; self.side = side
  }

  /// The whole of a `width` × `height` world, centred in a square view.
  public static func whole(width: Int, height: Int) -> Viewport {
    let s = Float(max(width, height))
    return Viewport(x0: (Float(width) - s) / 2, y0: (Float(height) - s) / 2, side: s)
  }

  /// A square of `side` cells centred on (x, y).
  public static func centred(x: Float, y: Float, side: Float) -> Viewport {
    Viewport(x0: x - side / 2, y0: y - side / 2, side: side)
  }

  @inlinable public func worldX(pixel p: Int) -> Float { x0 + (Float(p) + 0.5) * side / 64 }
  @inlinable public func worldY(pixel p: Int) -> Float { y0 + side - (Float(p) + 0.5) * side / 64 }

  /// The pixel rectangle covering a world box (y flipped; half-open).
  public func pixelRect(x0 wx0: Float, y0 wy0: Float, x1 wx1: Float, y1 wy1: Float)
    -> (x0: Int, y0: Int, x1: Int, y1: Int)
  {
    let k = 64 / side
    func px(_ v: Float) -> Int { Int(((v - x0) * k).rounded()) }
    func py(_ v: Float) -> Int { Int(((y0 + side - v) * k).rounded()) }
    return (px(wx0), py(wy1), px(wx1), py(wy0))
  }
}
