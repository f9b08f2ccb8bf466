import ArcadeCore

/// Small drawing pieces shared by the views: bars, sparklines, heat maps, boxes, centred text.
public enum Widgets {
  /// Short labels of the 15 actions (arrows for moves, ProcGen's key names for the special actions).
  public static let actionLabels = ["←↓", "←", "←↑", "↓", "·", "↑", "→↓", "→", "→↑", "D", "A", "W", "S", "Q", "E"]
  static let eighths: [UInt32] = [0x20, 0x258F, 0x258E, 0x258D, 0x258C, 0x258B, 0x258A, 0x2589, 0x2588]
  static let sparks: [UInt32] = Array("▁▂▃▄▅▆▇█".unicodeScalars.map(\.value))
  static let shades: [UInt32] = Array(" ░▒▓█".unicodeScalars.map(\.value))
  /// A dark-to-bright heat ramp in the xterm-256 palette.
  static let heat256: [Int16] = [17, 18, 19, 54, 90, 126, 162, 198, 202, 208, 214, 220, 226, 229, 231]

  /// A horizontal bar of `width` columns for `value` in 0...1, with eighth-block precision.
  public static func bar(_ value: Float, into screen: inout CellBuffer, x: Int, y: Int, width: Int, style: TextStyle) {
    let v = value.isFinite ? min(1, max(0, value)) : 0
    let eighthsTotal = Int((v * Float(width * 8)).rounded())
    for i in 0..<width {
      let e = min(8, max(0, eighthsTotal - i * 8))
      screen.put(x + i, y, eighths[e], style)
    }
  }

  /// The last `width` values as a sparkline scaled to their maximum.
  public static func sparkline(_ values: [Float], into screen: inout CellBuffer, x: Int, y: Int, width: Int, style: TextStyle) {
    let shown = values.suffix(width)
    let top = shown.max() ?? 0, bottom = min(0, shown.min() ?? 0)
    for (i, v) in shown.enumerated() {
      let t = top > bottom ? (v - bottom) / (top - bottom) : 0
      screen.put(x + i, y, sparks[min(7, max(0, Int(t * 7.999)))], style)
    }
  }

  /// A matrix of non-negative values as a heat map, two matrix rows per text row
  /// ("▀" with fg = upper row, bg = lower row); shades when there are few colours.
  /// `cellWidth` columns per matrix column (2 keeps small matrices readable).
  public static func heatMap(_ values: [Float], rows: Int, columns: Int, into screen: inout CellBuffer, x: Int, y: Int,
                             cellWidth: Int = 1, colours: ColourSupport) {
    let top = max(values.max() ?? 0, 1e-12)
    func level(_ r: Int, _ c: Int, _ steps: Int) -> Int {
      guard r < rows else { return 0 }
      let v = values[r * columns + c]
      return min(steps - 1, max(0, Int(v / top * Float(steps - 1) + 0.5)))
    }
    for tr in 0..<(rows + 1) / 2 {
      for c in 0..<columns {
        let cell: Cell
        if colours == .indexed256 {
          let fg = heat256[level(tr * 2, c, heat256.count)], bg = heat256[level(tr * 2 + 1, c, heat256.count)]
          cell = Cell(char: 0x2580, style: TextStyle(fg: fg, bg: rows > tr * 2 + 1 ? bg : -1))
        } else {
          cell = Cell(char: shades[max(level(tr * 2, c, shades.count), level(tr * 2 + 1, c, shades.count))])
        }
        for k in 0..<cellWidth { screen.put(x + c * cellWidth + k, y + tr, cell.char, cell.style) }
      }
    }
  }

  /// Text centred on row `y`.
  public static func centred(_ text: String, into screen: inout CellBuffer, y: Int, style: TextStyle = .plain) {
    let n = text.unicodeScalars.count
    screen.write(max(0, (screen.width - n) / 2), y, text, style)
  }

  /// A framed box with `lines` inside, centred on the screen (help, results, menus).
  public static func box(_ lines: [String], title: String, into screen: inout CellBuffer) {
    let inner = max(title.unicodeScalars.count + 2, lines.map(\.unicodeScalars.count).max() ?? 0)
    let w = min(screen.width, inner + 4), h = min(screen.height, lines.count + 2)
    let x = max(0, (screen.width - w) / 2), y = max(0, (screen.height - h) / 2)
    screen.fill(x: x, y: y, width: w, height: h)
    for i in 1..<max(1, w - 1) { screen.put(x + i, y, 0x2500); screen.put(x + i, y + h - 1, 0x2500) }
    for j in 1..<max(1, h - 1) { screen.put(x, y + j, 0x2502); screen.put(x + w - 1, y + j, 0x2502) }
    screen.put(x, y, 0x250C); screen.put(x + w - 1, y, 0x2510)
    screen.put(x, y + h - 1, 0x2514); screen.put(x + w - 1, y + h - 1, 0x2518)
    screen.write(x + 2, y, " \(title) ", .strong, maxWidth: w - 4)
    for (j, line) in lines.prefix(h - 2).enumerated() { screen.write(x + 2, y + 1 + j, line, maxWidth: w - 4) }
  }

  /// `text` in lines of at most `width` columns, broken at spaces (a longer word is cut).
  public static func wrap(_ text: String, width: Int) -> [String] {
    guard width > 0 else { return [] }
    var lines: [String] = [], line = ""
    for word in text.split(separator: " ") {
      var w = String(word)
      if line.isEmpty || line.unicodeScalars.count + 1 + w.unicodeScalars.count > width {
        if !line.isEmpty { lines.append(line) }
        while w.unicodeScalars.count > width {
          lines.append(String(String.UnicodeScalarView(w.unicodeScalars.prefix(width))))
          w = String(String.UnicodeScalarView(w.unicodeScalars.dropFirst(width)))
        }
        line = w
      } else {
        line += " " + w
      }
    }
    if !line.isEmpty { lines.append(line) }
    return lines
  }

  /// `text` if it fits in `width` columns, else its words that fit followed by "…".
  public static func cutAtWord(_ text: String, width: Int) -> String {
    if text.unicodeScalars.count <= width { return text }
    guard width > 1 else { return "" }
    var kept = wrap(text, width: width - 1).first ?? ""
    while let last = kept.last, last == "," || last == ":" || last == ";" { kept.removeLast() }
    return kept + "…"
  }

  /// `parts` joined with " · ", whole parts left out from the end (then "…" ends the line) so it fits
  /// `width` columns: a narrow terminal loses the last items of a status line, not half a word.
  public static func joinFitting(_ parts: [String], width: Int) -> String {
    var line = ""
    for (i, p) in parts.enumerated() {
      let next = line.isEmpty ? p : line + " · " + p
      let room = i == parts.count - 1 ? width : width - 2  // keep room for " …" unless this is the last part
      if next.unicodeScalars.count > room { return line.isEmpty ? cutAtWord(p, width: width) : line + " …" }
      line = next
    }
    return line
  }

  /// The "terminal too small" screen; `alternative` says what would fit instead (Tab to the glyph view).
  public static func tooSmall(need: (width: Int, height: Int), what: String, alternative: String? = nil,
                              into screen: inout CellBuffer) {
    let lines = [
      "Terminal too small: \(screen.width)×\(screen.height)",
      "\(what) needs at least \(need.width)×\(need.height).",
      alternative.map { "Enlarge the window, or \($0) (q quits)." } ?? "Enlarge the window (q quits).",
    ]
    let y0 = max(0, screen.height / 2 - 1)
    for (i, l) in lines.enumerated() {
      if screen.width >= l.unicodeScalars.count { centred(l, into: &screen, y: y0 + i, style: i == 0 ? .strong : .plain) }
      else { screen.write(0, y0 + i, l) }
    }
  }
}
