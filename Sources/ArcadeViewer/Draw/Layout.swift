import ArcadeCore

/// The two ways to show a game.
public enum ViewMode: Sendable, Equatable {
  case pixels, glyphs

  public var name: String { self == .pixels ? "pixels" : "glyphs" }
}

/// Where a single game view (play, replay) goes on a screen: a HUD above it,
/// a message line below, the view centred; or `nil` when the screen is too small.
public struct SingleViewLayout: Equatable, Sendable {
  public static let hudRows = 2
  public static let footerRows = 1
  public static let minimumWidth = 40

  public var viewX: Int
  public var viewY: Int
  public var viewWidth: Int
  public var viewHeight: Int
  /// Columns per glyph cell (glyph view only).
  public var glyphCellWidth: Int
  /// Cells per frame pixel (pixel view only): 2 or 3 when the screen has room, so sprites are big enough to see.
  public var pixelZoom = 1
  public var footerY: Int

  /// The smallest screen for `mode`: the view at its smallest plus the HUD and footer.
  public static func minimumSize(mode: ViewMode, glyphs: (width: Int, height: Int)) -> (width: Int, height: Int) {
    let view = mode == .pixels ? PixelView.size(scale: 1) : (glyphs.width, glyphs.height)
    return (max(minimumWidth, view.0), view.1 + hudRows + footerRows)
  }

  public static func make(screen: (width: Int, height: Int), mode: ViewMode, glyphs: (width: Int, height: Int)) -> SingleViewLayout? {
    let need = minimumSize(mode: mode, glyphs: glyphs)
    guard screen.width >= need.width, screen.height >= need.height else { return nil }
    let cellWidth = mode == .glyphs && glyphs.width * 2 <= screen.width ? 2 : 1
    let zoom = mode == .pixels ? [3, 2, 1].first { z in
      let v = PixelView.size(zoom: z)
      return v.width <= screen.width && v.height + hudRows + footerRows <= screen.height
    }! : 1
    let size = mode == .pixels ? PixelView.size(zoom: zoom) : (glyphs.width * cellWidth, glyphs.height)
    return SingleViewLayout(viewX: (screen.width - size.0) / 2, viewY: hudRows, viewWidth: size.0, viewHeight: size.1,
                            glyphCellWidth: cellWidth, pixelZoom: zoom, footerY: hudRows + size.1)
  }
}

/// Counts events and reports their rate over the last second or so.
public struct RateMeter: Sendable {
  private var count = 0
  private var since: Double = -1
  public private(set) var rate: Double = 0

  public init() {}

  public mutating func tick(now: Double) {
    if since < 0 { since = now }
    count += 1
    if now - since >= 1 {
      rate = Double(count) / (now - since)
      count = 0
      since = now
    }
  }

  /// Forgets the count (after a pause, so the rate is not diluted).
  public mutating func restart() { count = 0; since = -1 }
}
