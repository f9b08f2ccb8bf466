/// A level's map: characters from the game's legend, row 0 = top.
public struct LevelMap: Sendable, Equatable {
  public var width: Int
  public var height: Int
  public var rows: [[Character]]
  /// Optional per-row data written after the row as `@ key=value ...`.
  public var annotations: [[String: String]]
  /// The colour theme the level is drawn with (header field `theme`, default 0).
  public var theme: Int = 0

  public init(rows: [[Character]], annotations: [[String: String]]? = nil, theme: Int = 0) {
    self.theme = theme
    self.rows = rows
    height = rows.count
    width = rows.first?.count ?? 0
    self.annotations = annotations ?? Array(repeating: [:], count: rows.count)
  }

  /// A blank map filled with `fill`.
  public init(width: Int, height: Int, fill: Character) {
    self.init(rows: Array(repeating: Array(repeating: fill, count: width), count: height))
  }

  /// The character of world cell (x, y) with y pointing up.
  public func atWorld(_ x: Int, _ y: Int) -> Character { rows[height - 1 - y][x] }
  public mutating func setWorld(_ x: Int, _ y: Int, _ c: Character) { rows[height - 1 - y][x] = c }

  /// `setWorld` for an entity's cell, skipped when the cell is off the map (an
  /// entity may stand partly outside the world).
  public mutating func put(_ cell: (x: Int, y: Int), _ c: Character) {
    if cell.x >= 0 && cell.y >= 0 && cell.x < width && cell.y < height { setWorld(cell.x, cell.y, c) }
  }
}

/// One problem in a level, at a map row and column (both 0-based, row 0 = top).
public struct LevelProblem: Sendable, Equatable {
  public var row: Int?
  public var column: Int?
  public var message: String
  public init(row: Int? = nil, column: Int? = nil, _ message: String) {
    self.row = row
    self.column = column
    self.message = message
  }
}

/// Every problem found in a level; a game's loader throws all it finds at once.
public struct LevelProblems: Error, Sendable, Equatable {
  public var problems: [LevelProblem]
  public init(_ problems: [LevelProblem]) { self.problems = problems }
}

/// A level file: a small header and an ASCII map (format in levels/README.md).
public struct LevelFile: Sendable, Equatable {
  /// Larger files are refused unread (a 256x256 map with annotations is far smaller).
  public static let maxBytes = 1 << 20
  /// Longer lines are refused before parsing, so a huge line costs no per-cell work.
  public static let maxLineLength = 4096

  public var game: String
  public var mode: DistributionMode
  /// The seed the level was generated from, or nil for a hand-made level.
  public var seed: UInt32?
  public var map: LevelMap

  public init(game: String, mode: DistributionMode, seed: UInt32?, map: LevelMap) {
    self.game = game
    self.mode = mode
    self.seed = seed
    self.map = map
  }

  /// The file's text.
  public func text() -> String {
    var s = "# ProcArcade level file (format: levels/README.md)\n"
    s += "game: \(game)\nmode: \(mode.rawValue)\nseed: \(seed.map(String.init) ?? "hand-made")\n"
    s += "size: \(map.width)x\(map.height)\n"
    if map.theme != 0 { s += "theme: \(map.theme)\n" }
    s += "map:\n"
    for (i, row) in map.rows.enumerated() {
      s += String(row)
      let ann = map.annotations[i]
      if !ann.isEmpty {
        s += " @ " + ann.keys.sorted().map { "\($0)=\(ann[$0]!)" }.joined(separator: " ")
      }
      s += "\n"
    }
    return s
  }
}

/// A problem located in a file.
public struct FileProblem: Sendable, Equatable, CustomStringConvertible {
  public var path: String
  public var line: Int
  public var column: Int
  public var message: String
  public var description: String { "\(path):\(line):\(column): \(message)" }
  public init(path: String, line: Int, column: Int, message: String) {
    self.path = path
    self.line = line
    self.column = column
    self.message = message
  }
}

/// Problems found while reading a file, each with its line and column.
public struct FileProblems: Error, Sendable, CustomStringConvertible {
  public var problems: [FileProblem]
  /// What could be read despite the problems (header and map rows), so that
  /// later checks (the game's legend) can still report their own problems.
  public var partial: (file: LevelFile, mapFirstLine: Int)?
  public var description: String { shown.joined(separator: "\n") }
  /// At most this many problems are listed; the rest are counted.
  public static let shownLimit = 10
  /// The first problems, one a line, then "… and N more problems".
  public var shown: [String] {
    let first = problems.prefix(FileProblems.shownLimit).map(\.description)
    let rest = problems.count - first.count
    return rest > 0 ? first + ["… and \(rest) more problem\(rest == 1 ? "" : "s")"] : first
  }
  public init(problems: [FileProblem], partial: (file: LevelFile, mapFirstLine: Int)? = nil) {
    self.problems = problems
    self.partial = partial
  }
}

extension LevelProblems {
  /// The problems located in a file whose map starts at line `mapFirstLine`
  /// (problems without a row are reported at the map's first line).
  public func located(path: String, mapFirstLine: Int) -> FileProblems {
    FileProblems(problems: problems.map {
      FileProblem(path: path, line: mapFirstLine + ($0.row ?? 0), column: ($0.column ?? 0) + 1, message: $0.message)
    })
  }
}

extension LevelFile {
  /// Parses a level file's header and map. Problems are collected, not thrown
  /// one by one, so `levels validate` can report them all.
  public static func parse(_ text: String, path: String) throws(FileProblems) -> (LevelFile, mapFirstLine: Int) {
    var problems: [FileProblem] = []
    func fail(_ line: Int, _ col: Int, _ msg: String) {
      problems.append(FileProblem(path: path, line: line, column: col, message: msg))
    }
    let lines = text.fileLines().map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
    for (i, line) in lines.enumerated() where line.utf8.count > maxLineLength {
      fail(i + 1, maxLineLength + 1, "line is \(line.utf8.count) bytes long (at most \(maxLineLength))")
    }
    if !problems.isEmpty { throw FileProblems(problems: problems) }
    var header: [String: (String, Int)] = [:]
    var mapStart: Int?
    for (i, raw) in lines.enumerated() {
      let line = raw.trimmingCharacters(in: " \t")
      if line.isEmpty || line.hasPrefix("#") { continue }
      if line == "map:" { mapStart = i + 1; break }
      guard let colon = line.firstIndex(of: ":") else {
        fail(i + 1, 1, "expected 'key: value' or 'map:', found '\(line)'")
        continue
      }
      let key = String(line[..<colon]).trimmingCharacters(in: " \t")
      let value = String(line[line.index(after: colon)...]).trimmingCharacters(in: " \t")
      guard ["game", "mode", "seed", "size", "theme"].contains(key) else {
        fail(i + 1, 1, "unknown header field '\(key)' (expected game, mode, seed, size, theme)")
        continue
      }
      if header[key] != nil { fail(i + 1, 1, "header field '\(key)' given twice") }
      header[key] = (value, i + 1)
    }
    let lastHeaderLine = lines.count
    for key in ["game", "mode", "seed", "size"] where header[key] == nil {
      fail(mapStart.map { $0 } ?? lastHeaderLine, 1, "missing header field '\(key)'")
    }
    var mode = DistributionMode.hard
    if let (v, line) = header["mode"] {
      if let m = DistributionMode(rawValue: v) { mode = m } else {
        fail(line, 7, "unknown mode '\(v)' (expected easy, hard, extreme, memory or exploration)")
      }
    }
    var seed: UInt32?
    if let (v, line) = header["seed"], v != "hand-made" {
      if let s = UInt32(v), s < UInt32(Int32.max) { seed = s } else {
        fail(line, 7, "seed must be 'hand-made' or an integer in 0..<2147483647, found '\(v)'")
      }
    }
    var width = 0, height = 0
    if let (v, line) = header["size"] {
      let parts = v.split(separator: "x")
      if parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]), (1...256).contains(w), (1...256).contains(h) {
        width = w; height = h
      } else {
        fail(line, 7, "size must be WIDTHxHEIGHT with sides in 1...256, found '\(v)'")
      }
    }
    var theme = 0
    if let (v, line) = header["theme"] {
      if let t = Int(v), (0..<16).contains(t) { theme = t } else {
        fail(line, 8, "theme must be an integer in 0...15, found '\(v)'")
      }
    }
    guard let start = mapStart else {
      fail(lastHeaderLine, 1, "missing 'map:' line before the map")
      throw FileProblems(problems: problems)
    }
    var rows: [[Character]] = []
    var annotations: [[String: String]] = []
    var end = lines.count
    while end > start && lines[end - 1].trimmingCharacters(in: " \t").isEmpty { end -= 1 }
    for i in start..<end {
      let raw = lines[i]
      var cells = raw
      var ann: [String: String] = [:]
      if let at = raw.firstIndex(of: " "), raw[at...].drop(while: { $0 == " " }).first == "@" {
        cells = String(raw[..<at])
        for pair in raw[at...].drop(while: { $0 == " " }).dropFirst().split(separator: " ") {
          let kv = pair.split(separator: "=", maxSplits: 1)
          if kv.count == 2 { ann[String(kv[0])] = String(kv[1]) } else {
            fail(i + 1, cells.count + 3, "row annotation '\(pair)' is not key=value")
          }
        }
      }
      if width > 0 && cells.count != width {
        fail(i + 1, min(cells.count, width) + 1, "map row has \(cells.count) cells, the header says width \(width)")
      }
      if let tab = cells.firstIndex(of: "\t") {
        fail(i + 1, cells.distance(from: cells.startIndex, to: tab) + 1, "tab in map row")
      }
      rows.append(Array(cells))
      annotations.append(ann)
    }
    if height > 0 && rows.count != height {
      fail(start + rows.count + (rows.count < height ? 1 : 0), 1,
           "map has \(rows.count) rows, the header says height \(height)")
    }
    let file = LevelFile(
      game: header["game"]?.0 ?? "", mode: mode, seed: seed, map: LevelMap(rows: rows, annotations: annotations, theme: theme))
    if !problems.isEmpty { throw FileProblems(problems: problems, partial: (file, start + 1)) }
    return (file, start + 1)
  }
}

extension StringProtocol {
  /// The text's lines. "\r\n" ends a line too: in Swift it is one Character, which splitting on "\n" would miss.
  func fileLines() -> [SubSequence] {
    split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
  }

  func trimmingCharacters(in set: String) -> String {
    var s = Substring(self)
    while let f = s.first, set.contains(f) { s = s.dropFirst() }
    while let l = s.last, set.contains(l) { s = s.dropLast() }
    return String(s)
  }
}
