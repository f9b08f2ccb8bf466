import ArcadeCore

/// A game's descriptor as JSON, for bindings (written by hand: no Foundation).
enum GameInfoJSON {
  static func quote(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
      switch u {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      default: out.unicodeScalars.append(u)
      }
    }
    return out + "\""
  }

  static func list(_ items: [String]) -> String { "[" + items.joined(separator: ", ") + "]" }

  static func describe(_ entry: GameEntry) -> String {
    let d = entry.descriptor
    var shapes: [String] = []
    for m in d.modes {
      if let env = try? entry.make(EnvConfig(game: d.name, options: GameOptions(mode: m))) {
        let g = env.gridShape
        shapes.append("\(quote(m.rawValue)): [\(g.channels), \(g.height), \(g.width)]")
      }
    }
    let limits = d.modes.map { "\(quote($0.rawValue)): \(d.stepLimit($0))" }
    let ranges = [DistributionMode.easy, .hard].compactMap { m in
      d.scoreRange[m].map { "\(quote(m.rawValue)): [\($0.min), \($0.max)]" }
    }
    return "{" + [
      "\"name\": \(quote(d.name))",
      "\"summary\": \(quote(d.summary))",
      "\"modes\": \(list(d.modes.map { quote($0.rawValue) }))",
      "\"step_limits\": {\(limits.joined(separator: ", "))}",
      "\"action_names\": \(list(d.actionNames.map(quote)))",
      "\"action_mask\": \(list(d.actionMask.map { $0 ? "true" : "false" }))",
      "\"grid_channels\": \(list(d.gridChannels.map(quote)))",
      "\"grid_shapes\": {\(shapes.joined(separator: ", "))}",
      "\"score_ranges\": {\(ranges.joined(separator: ", "))}",
    ].joined(separator: ", ") + "}"
  }
}
