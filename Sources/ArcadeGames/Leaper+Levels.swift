import ArcadeCore

/// leaper's level files: one terrain per row, lanes annotated with their speed.
extension Leaper {
  public func levelMap(_ s: State) -> LevelMap? {
    let n = s.side
    var m = Leaper.kinds.levelMap(s.tiles, width: n, height: n, theme: s.theme)
    for y in 0..<n {
      let t = s.terrain(y)
      if t == .road || t == .water { m.annotations[n - 1 - y] = ["speed": "\(s.speeds[y])"] }
    }
    m.setWorld(s.startX, s.startRow, "A")
    return m
  }

  public func load(map: LevelMap, rng: inout PCG32) throws(LevelProblems) -> State {
    let n = worldSide
    var reader = MapReader(map: map, world: n, legend: Leaper.descriptor.legend)
    let start = reader.single("A", "agent start")
    if map.width != n || map.height != n {
      reader.add(LevelProblem("map is \(map.width)x\(map.height); leaper in this mode needs exactly \(n)x\(n)"))
      try reader.finish()
    }
    var rows = [UInt8](repeating: 0, count: n)
    var speeds = [Float](repeating: 0, count: n)
    var finishes = 0
    for (r, line) in map.rows.enumerated() {
      let y = n - 1 - r
      let cells = line.filter { $0 != "A" }
      let kind = cells.first ?? "."
      guard let t = Leaper.kinds.mapChars.firstIndex(of: kind) else { continue }  // unknown: reported by the reader
      if let c = cells.firstIndex(where: { $0 != kind && Leaper.kinds.mapChars.contains($0) }) {
        let col = line.indices.filter { line[$0] != "A" }[c]
        reader.add(LevelProblem(row: r, column: col, "a row must be all one terrain: '\(line[col])' in a '\(kind)' row"))
      }
      rows[y] = UInt8(t)
      let terrain = Terrain(rawValue: UInt8(t))!
      if terrain == .finish { finishes += 1 }
      let ann = r < map.annotations.count ? map.annotations[r] : [:]
      for key in ann.keys.sorted() where key != "speed" {
        reader.add(LevelProblem(row: r, "unknown row annotation '\(key)' (expected speed)"))
      }
      let isLane = terrain == .road || terrain == .water
      if let text = ann["speed"] {
        if !isLane {
          reader.add(LevelProblem(row: r, "speed given for a row without traffic ('\(kind)')"))
        } else if let v = Float(text), v.isFinite, v != 0, abs(v) <= Leaper.maxSpeed {
          speeds[y] = v
        } else {
          reader.add(LevelProblem(row: r, "speed must be a non-zero number in -\(Leaper.maxSpeed)...\(Leaper.maxSpeed), found '\(text)'"))
        }
      } else if isLane {
        reader.add(LevelProblem(row: r, "a \(terrain == .road ? "road" : "water") row needs '@ speed=V' (cells per step, sign = direction)"))
      }
      if line.contains("A") && terrain != .grass {
        reader.add(LevelProblem(row: r, column: line.firstIndex(of: "A"), "the agent must start on grass ('.')"))
      }
    }
    if finishes == 0 { reader.add(LevelProblem("the map has no finish line ('F' row)")) }
    reader.checkTheme(count: Leaper.themes.count, game: "leaper")
    try reader.finish()
    // Draw as generation does (so the traffic stream matches), but draw with the file's theme.
    let (_, base) = Leaper.levelDraws(&rng)
    let theme = map.theme
    return makeLevel(rows: rows, speeds: speeds, startX: start.x, startRow: start.y, theme: theme, base: base)
  }
}
