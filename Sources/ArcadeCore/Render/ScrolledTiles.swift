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

extension Canvas {
  /// Draws a tile map whose height fills the frame and whose columns wrap
  /// around (a scrolling background), shifted left by `shift` frame pixels.
  /// The map is rendered once into a strip (again only when `key` changes);
  /// each frame copies two pieces of every row.
  public mutating func drawWrappedTiles(key: UInt64, _ tiles: [UInt8], width: Int, height: Int, atlas: [UInt32], shift: Int) {
    let n = Canvas.size
    let stripW = width * n / height
    if stripKey != key || strip.count != stripW * n * 3 {
      strip = [UInt8](repeating: 0, count: stripW * n * 3)
      var left = 0
      while left < stripW {
        let first = min(left, stripW - n)
        let v = Viewport(x0: Float(first) * Float(height) / Float(n), y0: 0, side: Float(height))
        drawTiles(tiles, width: width, height: height, view: v, atlas: atlas, outside: 0)
        strip.withUnsafeMutableBufferPointer { dst in
          pixels.withUnsafeBufferPointer { src in
            for row in 0..<n {
              let skip = left - first
              (dst.baseAddress! + (row * stripW + left) * 3)
                .update(from: src.baseAddress! + (row * n + skip) * 3, count: (n - skip) * 3)
            }
          }
        }
        left = first + n
      }
      stripKey = key
    }
    let s = ((shift % stripW) + stripW) % stripW
    let firstPart = min(n, stripW - s)
    pixels.withUnsafeMutableBufferPointer { dst in
      strip.withUnsafeBufferPointer { src in
        for row in 0..<n {
          (dst.baseAddress! + row * n * 3).update(from: src.baseAddress! + (row * stripW + s) * 3, count: firstPart * 3)
          if firstPart < n {
            (dst.baseAddress! + (row * n + firstPart) * 3).update(from: src.baseAddress! + row * stripW * 3, count: (n - firstPart) * 3)
          }
        }
      }
    }
    layerKey = nil
    layerView = nil
    drawnAtlas = -1
  }
}
