extension Canvas {
  /// Draws a tall tile map that fills the frame's width through a vertically
  /// scrolling view (`Viewport.verticalScroll`): the whole map is rendered
  /// once into a strip (again only when `key` changes), and each frame copies
  /// 64 of its rows. The view must show the full map width and be aligned to
  /// whole pixels, as `verticalScroll` makes it; otherwise this falls back to
  /// `drawTiles`.
  public mutating func drawTilesScrolled(
    key: UInt64, _ tiles: [UInt8], width: Int, height: Int, view: Viewport, atlas: [UInt32], outside: UInt8
  ) {
    let n = Canvas.size
    let rowsTotal = height * n / width
    let exact = view.side == Float(width) && view.x0 == 0 && (height * n) % width == 0
    let offF = (Float(height) - view.y0 - view.side) * Float(n) / view.side
    let off = Int(offF.rounded())
    guard exact, abs(Float(off) - offF) < 0.01, off >= 0, off + n <= rowsTotal else {
      drawTiles(tiles, width: width, height: height, view: view, atlas: atlas, outside: outside)
      return
    }
    if stripKey != key || strip.count != rowsTotal * n * 3 {
      // Render the map as seen by a view of the same scale covering all of it, 64 rows at a time.
      strip = [UInt8](repeating: 0, count: rowsTotal * n * 3)
      var top = 0
      while top < rowsTotal {
        let first = min(top, rowsTotal - n)
        let v = Viewport(x0: 0, y0: Float(height) - view.side - Float(first) * view.side / Float(n), side: view.side)
        drawTiles(tiles, width: width, height: height, view: v, atlas: atlas, outside: outside)
        let count = (n - (top - first)) * n * 3
        strip.withUnsafeMutableBufferPointer { dst in
          pixels.withUnsafeBufferPointer { src in
            (dst.baseAddress! + top * n * 3).update(from: src.baseAddress! + (top - first) * n * 3, count: count)
          }
        }
        top = first + n
      }
      stripKey = key
    }
    pixels.withUnsafeMutableBufferPointer { dst in
      strip.withUnsafeBufferPointer { src in
        dst.baseAddress!.update(from: src.baseAddress! + off * n * 3, count: n * n * 3)
      }
    }
    layerKey = nil
    layerView = nil
    drawnAtlas = -1
  }
}
