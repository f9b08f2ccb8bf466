/// How `arcade watch` arranges env tiles: each tile is a header line, the game
/// view, and beside it a panel of action bars and the value estimate.
public struct WatchLayout: Equatable, Sendable {
  public static let hudRows = 2
  public static let footerRows = 1
  public static let panelWidth = 18
  /// 15 action bars and one line for the value and episode count.
  public static let panelRows = 16
  public static let gap = 1

  /// Size of the game view inside a tile.
  public var view: Size
  /// Pixel downscale (1 or 2) or glyph cell width (1 or 2).
  public var scale: Int
  public var columns: Int
  public var rows: Int
  /// Envs shown (may be fewer than asked when the screen is small).
  public var shown: Int
  /// Where the fast-weight panel goes (x, width), if there is one.
  public var fastWeightsX: Int?
  public var fastWeightsWidth: Int

  public struct Size: Equatable, Sendable {
    public var width: Int
    public var height: Int
    public init(_ width: Int, _ height: Int) { self.width = width; self.height = height }
  }

  public var tileWidth: Int { view.width + 1 + WatchLayout.panelWidth }
  public var tileHeight: Int { 1 + max(view.height, WatchLayout.panelRows) }

  /// The (x, y) of tile `i`.
  public func origin(ofTile i: Int) -> (x: Int, y: Int) {
    (i % columns * (tileWidth + WatchLayout.gap), WatchLayout.hudRows + i / columns * (tileHeight + WatchLayout.gap))
  }

  /// Candidate view sizes, largest first: full and half pixels, or wide and narrow glyphs.
  static func candidates(mode: ViewMode, glyphs: Size) -> [(Size, Int)] {
    switch mode {
    case .pixels: [(Size(64, 32), 1), (Size(32, 16), 2)]
    case .glyphs: [(Size(glyphs.width * 2, glyphs.height), 2), (Size(glyphs.width, glyphs.height), 1)]
    }
  }

  /// The smallest screen that shows one tile.
  public static func minimumSize(mode: ViewMode, glyphs: Size, fastWeightsWidth: Int = 0) -> Size {
    let (v, _) = candidates(mode: mode, glyphs: glyphs).last!
    let w = v.width + 1 + panelWidth + (fastWeightsWidth > 0 ? fastWeightsWidth + gap : 0)
    return Size(w, hudRows + footerRows + 1 + max(v.height, panelRows))
  }

  /// The largest view size that shows every env, else the smallest showing as many as fit; nil if not even one fits.
  /// `fastWeightsWidth` > 0 reserves a column on the right for fast-weight heat maps.
  public static func make(screen: Size, envs: Int, mode: ViewMode, glyphs: Size, fastWeightsWidth: Int = 0) -> WatchLayout? {
    let side = fastWeightsWidth > 0 ? fastWeightsWidth + gap : 0
    let usableWidth = screen.width - side
    let usableHeight = screen.height - hudRows - footerRows
    var best: WatchLayout?
    for (view, scale) in candidates(mode: mode, glyphs: glyphs) {
      var l = WatchLayout(view: view, scale: scale, columns: 0, rows: 0, shown: 0, fastWeightsX: nil, fastWeightsWidth: fastWeightsWidth)
      let cols = (usableWidth + gap) / (l.tileWidth + gap), rows = (usableHeight + gap) / (l.tileHeight + gap)
      guard cols > 0, rows > 0 else { continue }
      l.columns = min(cols, envs)
      l.rows = min(rows, (envs + l.columns - 1) / l.columns)
      l.shown = min(envs, l.columns * l.rows)
      if fastWeightsWidth > 0 { l.fastWeightsX = l.columns * (l.tileWidth + gap) }
      if l.shown == envs { return l }
      if best == nil || l.shown > best!.shown { best = l }
    }
    return best
  }
}
