/// How a cell is drawn: terminal colour indices (-1 = the terminal's default)
/// and attributes. The terminal turns (fg, bg) into a colour pair.
public struct TextStyle: Equatable, Sendable {
  public var fg: Int16
  public var bg: Int16
  public var attributes: UInt8

  public static let bold: UInt8 = 1
  public static let reverse: UInt8 = 2
  public static let dim: UInt8 = 4

  public init(fg: Int16 = -1, bg: Int16 = -1, attributes: UInt8 = 0) {
    self.fg = fg
    self.bg = bg
    self.attributes = attributes
  }

  public static let plain = TextStyle()
  public static let strong = TextStyle(attributes: bold)
  public static let faint = TextStyle(attributes: dim)
  public static let highlighted = TextStyle(attributes: reverse)
}

/// One character cell of the screen model.
public struct Cell: Equatable, Sendable {
  public var char: UInt32
  public var style: TextStyle

  public init(char: UInt32 = 32, style: TextStyle = .plain) {
    self.char = char
    self.style = style
  }

  public static let blank = Cell()
}

/// The in-memory screen every view draws into. `Terminal.present` copies it to
/// ncurses; tests read it back as text, so drawing needs no terminal.
public struct CellBuffer: Sendable {
  public private(set) var width: Int
  public private(set) var height: Int
  public private(set) var cells: [Cell]

  public init(width: Int, height: Int) {
    self.width = max(0, width)
    self.height = max(0, height)
    cells = [Cell](repeating: .blank, count: self.width * self.height)
  }

  /// Changes the size and blanks every cell (keeps the storage when it fits).
  public mutating func resize(width w: Int, height h: Int) {
    width = max(0, w)
    height = max(0, h)
    cells.removeAll(keepingCapacity: true)
    cells.append(contentsOf: repeatElement(Cell.blank, count: width * height))
  }

  /// Becomes a copy of `other`, reusing this buffer's storage (no allocation per frame).
  public mutating func copy(from other: CellBuffer) {
    if width != other.width || height != other.height { resize(width: other.width, height: other.height) }
    for i in cells.indices { cells[i] = other.cells[i] }
  }

  public mutating func clear() {
    for i in cells.indices { cells[i] = .blank }
  }

  @inline(__always)
  public subscript(x: Int, y: Int) -> Cell {
    get { cells[y * width + x] }
    set { cells[y * width + x] = newValue }
  }

  /// Sets one cell; cells outside the screen are ignored (views clip themselves this way).
  @inline(__always)
  public mutating func put(_ x: Int, _ y: Int, _ char: UInt32, _ style: TextStyle = .plain) {
    guard x >= 0, y >= 0, x < width, y < height else { return }
    cells[y * width + x] = Cell(char: char, style: style)
  }

  /// Writes `text` from (x, y), clipped at `maxWidth` and at the right edge; returns the column after it.
  @discardableResult
  public mutating func write(_ x: Int, _ y: Int, _ text: String, _ style: TextStyle = .plain, maxWidth: Int = .max) -> Int {
    var cx = x
    let end = maxWidth == .max ? width : min(width, x + maxWidth)
    for s in text.unicodeScalars {
      if cx >= end { break }
      put(cx, y, s.value, style)
      cx += 1
    }
    return cx
  }

  /// Fills a rectangle with one character.
  public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, _ char: UInt32 = 32, _ style: TextStyle = .plain) {
    let x0 = max(0, x), x1 = min(width, x + w), y0 = max(0, y), y1 = min(height, y + h)
    guard x0 < x1, y0 < y1 else { return }
    for yy in y0..<y1 { for xx in x0..<x1 { cells[yy * width + xx] = Cell(char: char, style: style) } }
  }

  /// Row `y` as text, trailing spaces removed (what `tmux capture-pane` shows).
  public func line(_ y: Int) -> String {
    var s = String.UnicodeScalarView()
    for x in 0..<width { s.append(Unicode.Scalar(cells[y * width + x].char) ?? " ") }
    var str = String(s)
    while str.last == " " { str.removeLast() }
    return str
  }

  /// The whole screen as lines of text.
  public var text: String { (0..<height).map(line).joined(separator: "\n") }

  /// Where `char` first occurs, scanning rows top to bottom.
  public func find(_ char: Character) -> (x: Int, y: Int)? {
    let v = char.unicodeScalars.first!.value
    for y in 0..<height { for x in 0..<width where cells[y * width + x].char == v { return (x, y) } }
    return nil
  }
}
