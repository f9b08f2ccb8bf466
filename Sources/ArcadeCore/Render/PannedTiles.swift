extension Canvas {
  /// Draws a tile map through a camera that pans in both directions (an
  /// agent-centred view): the map, with a margin of `outside` cells around
  /// it, is rendered at the view's scale into a panorama (again only when
  /// `key`, the map size or the scale change; block by block as the view
  /// reaches them), and each frame copies a 64×64 window of it. The view
  /// should be aligned to whole frame pixels (`Viewport.pixelAligned`); views
  /// that are not, or that leave the panorama, fall back to `drawTiles`.
  public mutating func drawTilesPanned(
    key: UInt64, _ tiles: [UInt8], width: Int, height: Int, view: Viewport, atlas: [UInt32], outside: UInt8
  ) {
    let n = Canvas.size
    let k = Float(n) / view.side
    let margin = Float(Int((view.side / 2).rounded(.up)) + 1)
    // The panorama's left and top edges in world cells, on the frame's pixel grid.
    let leftPx = Int((margin * k).rounded(.up)), topPx = Int(((Float(height) + margin) * k).rounded(.up))
    let pw = leftPx + Int(((Float(width) + margin) * k).rounded(.up))
    let ph = topPx + Int((margin * k).rounded(.up))
    let oxF = view.x0 * k + Float(leftPx)
    let oyF = Float(topPx) - (view.y0 + view.side) * k
    let ox = Int(oxF.rounded()), oy = Int(oyF.rounded())
    guard pw >= n, ph >= n, abs(Float(ox) - oxF) < 0.01, abs(Float(oy) - oyF) < 0.01,
          ox >= 0, oy >= 0, ox + n <= pw, oy + n <= ph else {
      drawTiles(tiles, width: width, height: height, view: view, atlas: atlas, outside: outside)
      layerKey = nil; layerView = nil; drawnAtlas = -1
      return
    }
    let panKey = key &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(bitPattern: Int64(pw &* 65_537 &+ ph))
    // The panorama is cut into 64×64 blocks (the last row and column clamped to its edge), each
    // rendered on first sight: a short episode pays only for the part of the map it looks at.
    let bw = (pw + n - 1) / n, bh = (ph + n - 1) / n
    if stripKey != panKey || strip.count != pw * ph * 3 {
      if strip.count != pw * ph * 3 { strip = [UInt8](repeating: 0, count: pw * ph * 3) }
      if stripBlocks.count != bw * bh { stripBlocks = [Bool](repeating: false, count: bw * bh) }
      else { for i in stripBlocks.indices { stripBlocks[i] = false } }
      stripKey = panKey
    }
    for by in (oy / n)...min(bh - 1, (oy + n - 1) / n) {
      for bx in (ox / n)...min(bw - 1, (ox + n - 1) / n) where !stripBlocks[by * bw + bx] {
        let top = min(by * n, ph - n), left = min(bx * n, pw - n)
        let v = Viewport(x0: Float(left - leftPx) / k, y0: Float(topPx - top - n) / k, side: view.side)
        drawTiles(tiles, width: width, height: height, view: v, atlas: atlas, outside: outside)
        strip.withUnsafeMutableBufferPointer { dst in
          pixels.withUnsafeBufferPointer { src in
            for row in 0..<n {
              (dst.baseAddress! + ((top + row) * pw + left) * 3)
                .update(from: src.baseAddress! + row * n * 3, count: n * 3)
            }
          }
        }
        stripBlocks[by * bw + bx] = true
      }
    }
    pixels.withUnsafeMutableBufferPointer { dst in
      strip.withUnsafeBufferPointer { src in
        for row in 0..<n {
          (dst.baseAddress! + row * n * 3).update(from: src.baseAddress! + ((oy + row) * pw + ox) * 3, count: n * 3)
        }
      }
    }
    layerKey = nil
    layerView = nil
    drawnAtlas = -1
  }
}
