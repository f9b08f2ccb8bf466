import ArcadeCore
import ArcadeGames
import ArgumentParser

struct ListGames: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List the games, their modes, actions and observation spec.")

  @Option(help: "Show one game in detail.")
  var game: String?

  func run() throws {
    let entries = try game.map { [try Catalog.entry($0)] } ?? Catalog.entries
    print("Observations (every game): rgb [64, 64, 3] uint8 (row 0 = top); grid [C, H, W] float32; glyphs [H, W] char+colour")
    print("Actions: 15 discrete, ProcGen's indices: " + Action.names.enumerated().map { "\($0) \($1)" }.joined(separator: ", "))
    print("")
    for e in entries {
      let d = e.descriptor
      let env = try e.make(EnvConfig(game: d.name, options: GameOptions(mode: d.modes.contains(.hard) ? .hard : d.modes[0])))
      let g = env.gridShape
      print("\(d.name) — \(d.summary)")
      print("  modes: " + d.modes.map { "\($0.rawValue) (\(d.stepLimit($0)) steps)" }.joined(separator: ", "))
      print("  grid (hard): [\(g.channels), \(g.height), \(g.width)] channels: \(d.gridChannels.joined(separator: ", "))")
      print("  meaningful actions: " + d.meaningfulActions.map { "\($0) \(d.actionNames[$0])" }.joined(separator: ", "))
      if game != nil {
        print("  level legend: " + d.legend.map { "'\($0.0)' \($0.1)" }.joined(separator: ", "))
        let ranges = [DistributionMode.easy, .hard].compactMap { m in d.scoreRange[m].map { "\(m.rawValue) [\($0.min), \($0.max)]" } }
        print("  score normalisation (R_min, R_max): " + ranges.joined(separator: "; "))
      }
    }
  }
}
