/// The apps that show one game view (play, replay).
protocol SingleViewApp: AnyObject {
  var mode: ViewMode { get }
  var glyphs: (width: Int, height: Int) { get }
  /// Set while the view does not fit; the app then stops stepping.
  var screenTooSmall: Bool { get set }
}

extension SingleViewApp {
  /// The mode the terminal can show and its layout; when the view does not
  /// fit, nil after drawing the notice that says so (offering Tab when the
  /// glyph view would fit).
  func fitView(into screen: inout CellBuffer, colours: ColourSupport) -> (SingleViewLayout, ViewMode)? {
    let shown = usableMode(mode, colours), size = (screen.width, screen.height)
    screenTooSmall = false
    if let layout = SingleViewLayout.make(screen: size, mode: shown, glyphs: glyphs) { return (layout, shown) }
    screenTooSmall = true
    Widgets.tooSmall(need: SingleViewLayout.minimumSize(mode: shown, glyphs: glyphs),
                     what: "The \(shown == .pixels ? "pixel" : "glyph") view",
                     alternative: SingleViewLayout.glyphsFitInstead(screen: size, mode: shown, glyphs: glyphs)
                       ? "Tab for the glyph view, which fits" : nil, into: &screen)
    return nil
  }
}
