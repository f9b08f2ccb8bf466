/// How `arcade watch` arranges env tiles: each tile is a header line, the game
/// view, and beside it a panel of action bars and the value estimate. When that
/// does not show every env, compact tiles put one summary line under the view
/// and the side column shows the selected env's bars above its fast weights.
public struct WatchLayout: Equatable, Sendable {
  public static let hudRows = 2
  public static let footerRows = 1
  public static let panelWidth = 18
  /// 15 action bars, a line for the value and one for episodes and their mean return.
  public static let panelRows = 17
  /// Side column of compact tiles: the selected env's bars, then its fast weights.
  public static let compactSideWidth = 20
  public static let gap = 1

  /// Size of the game view inside a tile.
  public var view: Size
  /// Pixel downscale (1 or 2) or glyph cell width (1 or 2).
  public var scale: Int
  /// One summary line under the view instead of the panel beside it.
  public var compact = false
  public var columns: Int
  public var rows: Int
  /// Envs shown (may be fewer than asked when the screen is small).
  public var shown: Int
  /// Where the side column goes (x, width), if there is one: the fast weights,
  /// and with compact tiles the selected env's bars above them.
  public var sideX: Int?
  public var sideWidth: Int

  public struct Size: Equatable, Sendable {
    public var width: Int
    public var height: Int
    public init(_ width: Int, _ height: Int) { self.width = width; self.height = height }
  }

  public var tileWidth: Int { compact ? view.width : view.width + 1 + WatchLayout.panelWidth }
  public var tileHeight: Int { compact ? 2 + view.height : 1 + max(view.height, WatchLayout.panelRows) }

  /// The (x, y) of tile `i`.
  public func origin(ofTile i: Int) -> (x: Int, y: Int) {
    (i % columns * (tileWidth + WatchLayout.gap), WatchLayout.hudRows + i / columns * (tileHeight + WatchLayout.gap))
  }

  /// Candidate tiles, largest first: full and half pixels (or wide and narrow glyphs)
  /// with the panel beside them, then the smaller view as a compact tile.
  static func candidates(mode: ViewMode, glyphs: Size) -> [(view: Size, scale: Int, compact: Bool)] {
    switch mode {
    case .pixels: [(Size(64, 32), 1, false), (Size(32, 16), 2, false), (Size(32, 16), 2, true)]
    case .glyphs: [(Size(glyphs.width * 2, glyphs.height), 2, false), (Size(glyphs.width, glyphs.height), 1, false),
                   (Size(glyphs.width, glyphs.height), 1, true)]
    }
  }

  /// The side column's width for a tile kind: compact tiles always have one (their bars live there).
  static func sideColumnWidth(compact: Bool, fastWeightsWidth: Int) -> Int {
    compact ? compactSideWidth : fastWeightsWidth
  }

  /// The smallest screen that shows one tile.
  public static func minimumSize(mode: ViewMode, glyphs: Size, fastWeightsWidth: Int = 0) -> Size {
    candidates(mode: mode, glyphs: glyphs).map { c -> Size in
      let l = WatchLayout(view: c.view, scale: c.scale, compact: c.compact, columns: 1, rows: 1, shown: 1, sideX: nil,
                          sideWidth: 0)
      let side = sideColumnWidth(compact: c.compact, fastWeightsWidth: fastWeightsWidth)
      return Size(l.tileWidth + (side > 0 ? side + gap : 0), hudRows + footerRows + l.tileHeight)
    }.min { $0.width * $0.height < $1.width * $1.height }!
  }

  /// The largest tiles that show every env, else the tiles showing the most; nil if not even one fits.
  /// `fastWeightsWidth` > 0 reserves a column on the right for fast-weight heat maps.
  public static func make(screen: Size, envs: Int, mode: ViewMode, glyphs: Size, fastWeightsWidth: Int = 0) -> WatchLayout? {
    var best: WatchLayout?
    for c in candidates(mode: mode, glyphs: glyphs) {
      let sideWidth = sideColumnWidth(compact: c.compact, fastWeightsWidth: fastWeightsWidth)
      let side = sideWidth > 0 ? sideWidth + gap : 0
      var l = WatchLayout(view: c.view, scale: c.scale, compact: c.compact, columns: 0, rows: 0, shown: 0, sideX: nil,
                          sideWidth: sideWidth)
      let usableWidth = screen.width - side, usableHeight = screen.height - hudRows - footerRows
      let cols = (usableWidth + gap) / (l.tileWidth + gap), rows = (usableHeight + gap) / (l.tileHeight + gap)
      guard cols > 0, rows > 0 else { continue }
      l.columns = min(cols, envs)
      l.rows = min(rows, (envs + l.columns - 1) / l.columns)
      l.shown = min(envs, l.columns * l.rows)
      if sideWidth > 0 { l.sideX = l.columns * (l.tileWidth + gap) }
      if l.shown == envs { return l }
      if best == nil || l.shown > best!.shown { best = l }
    }
    return best
  }
}
