/// The HUD's status lines, fitted to the terminal's width.
extension CellBuffer {
  /// `title` in bold, then `parts` joined with " · " (see `Widgets.joinFitting`);
  /// on a narrow terminal the title gives way before any part does.
  public mutating func writeStatus(title: String, _ parts: [String], y: Int = 0) {
    let all = parts.joined(separator: " · ")
    if title.unicodeScalars.count + all.unicodeScalars.count <= width {
      let x = write(0, y, title, .strong)
      write(x, y, all)
    } else {
      write(0, y, Widgets.joinFitting(parts, width: width))
    }
  }
}

extension SingleViewLayout {
  /// Whether the glyph view fits a screen that is too small for the pixel view (Tab switches to it).
  public static func glyphsFitInstead(screen: (width: Int, height: Int), mode: ViewMode, glyphs: (width: Int, height: Int)) -> Bool {
    mode == .pixels && make(screen: screen, mode: .glyphs, glyphs: glyphs) != nil
  }
}
