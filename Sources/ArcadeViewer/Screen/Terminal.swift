@preconcurrency import CNcursesW
#if canImport(Glibc)
import Glibc
#endif
import ArcadeCore

/// The only place that calls ncurses. Everything else draws into a `CellBuffer`.
public final class Terminal {
  public private(set) var isActive = false
  public private(set) var colours: ColourSupport = .none
  /// What ncurses shows now; `present` sends only the cells that differ.
  private var shown = CellBuffer(width: 0, height: 0)
  private var pairs = PairCache(limit: 0)
  private var runBuffer = [wchar_t](repeating: 0, count: 1024)
  private var screen: OpaquePointer?
  private var input: UnsafeMutablePointer<FILE>?
  private var output: UnsafeMutablePointer<FILE>?

  public init() {}

  /// Takes over the terminal. Throws, instead of exiting like `initscr`, when the terminal is unusable.
  public func start() throws {
    guard !isActive else { return }
    setlocale(LC_ALL, "")  // without it "▀" is drawn as bytes
    // Under LANG=C the half blocks would be lost; terminals (and tmux panes) take UTF-8 anyway.
    if String(cString: nl_langinfo(nl_item(CODESET))) != "UTF-8" { setlocale(LC_CTYPE, "C.UTF-8") }
    if getenv("ESCDELAY") == nil { setenv("ESCDELAY", "25", 1) }  // Esc quits without a 1 s wait
    output = fdopen(dup(STDOUT_FILENO), "w")
    input = fdopen(dup(STDIN_FILENO), "r")
    guard let s = newterm(nil, output, input) else {
      let term = getenv("TERM").map { String(cString: $0) } ?? "unset"
      throw ArcadeError("cannot start the terminal viewer (TERM=\(term))")
    }
    screen = s
    set_term(s)
    isActive = true
    cbreak()
    noecho()
    nonl()
    keypad(stdscr, true)
    curs_set(0)
    if has_colors() {
      start_color()
      use_default_colors()
    }
    colours = ColourSupport(hasColours: has_colors(), colours: Int(COLORS), noColour: ColourSupport.noColourRequested)
    pairs = PairCache(limit: Int(COLOR_PAIRS) - 1)
    shown.resize(width: 0, height: 0)
  }

  /// Gives the terminal back. Safe to call more than once: endwin runs exactly once.
  public func stop() {
    guard isActive else { return }
    isActive = false
    if !isendwin() { endwin() }
    if let s = screen { delscreen(s) }
    screen = nil
    if let f = output { fclose(f) }
    if let f = input { fclose(f) }
    output = nil
    input = nil
  }

  deinit { stop() }

  public var size: (width: Int, height: Int) {
    (Int(getmaxx(stdscr)), Int(getmaxy(stdscr)))
  }

  /// The next key, waiting at most `milliseconds` (negative: until a key or a signal).
  public func readKey(milliseconds: Int) -> Int32? {
    wtimeout(stdscr, Int32(clamping: milliseconds))
    let k = wgetch(stdscr)
    return k == ERR ? nil : k
  }

  /// Forgets what the screen shows, so the next `present` redraws every cell.
  public func invalidate() {
    shown.resize(width: 0, height: 0)
    clearok(stdscr, true)
  }

  /// Shows `buffer`: sends the changed cells as runs of one style, then refreshes.
  public func present(_ buffer: CellBuffer) {
    if shown.width != buffer.width || shown.height != buffer.height {
      shown.resize(width: buffer.width, height: buffer.height)
      // Mark every cell as different so the first pass draws all of them.
      for y in 0..<shown.height { for x in 0..<shown.width { shown[x, y] = Cell(char: 0) } }
      werase(stdscr)
    }
    if !drawChanges(buffer, allowPairReset: true) {
      // Out of colour pairs: start the table again and redraw everything with it.
      pairs.reset()
      for y in 0..<shown.height { for x in 0..<shown.width { shown[x, y] = Cell(char: 0) } }
      _ = drawChanges(buffer, allowPairReset: false)
    }
    wrefresh(stdscr)
  }

  /// Returns false when it ran out of colour pairs and `allowPairReset` is set.
  private func drawChanges(_ buffer: CellBuffer, allowPairReset: Bool) -> Bool {
    let w = buffer.width
    for y in 0..<buffer.height {
      var x = 0
      while x < w {
        if buffer[x, y] == shown[x, y] { x += 1; continue }
        let style = buffer[x, y].style
        let start = x
        var n = 0
        while x < w, n < runBuffer.count - 1, buffer[x, y].style == style, buffer[x, y] != shown[x, y] {
          runBuffer[n] = wchar_t(bitPattern: buffer[x, y].char)
          shown[x, y] = buffer[x, y]
          n += 1
          x += 1
        }
        var pair: Int16 = 0
        if colours != .none {
          if let p = pairs.pair(fg: style.fg, bg: style.bg) {
            pair = p.pair
            if p.isNew { init_pair(p.pair, style.fg, style.bg) }
          } else if allowPairReset {
            return false
          }
        }
        runBuffer.withUnsafeBufferPointer { arcade_draw_run(Int32(y), Int32(start), $0.baseAddress, Int32(n), attributes(style.attributes), pair) }
      }
    }
    return true
  }

  private func attributes(_ a: UInt8) -> attr_t {
    var r = arcade_a_normal()
    if a & TextStyle.bold != 0 { r |= arcade_a_bold() }
    if a & TextStyle.reverse != 0 { r |= arcade_a_reverse() }
    if a & TextStyle.dim != 0 { r |= arcade_a_dim() }
    return r
  }
}
