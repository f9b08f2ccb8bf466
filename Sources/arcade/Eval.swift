import ArcadeCore
import ArcadeGames
import ArcadeRL
import ArgumentParser
import Foundation

struct Eval: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Evaluate a trained agent: mean return and normalised score per game, with 95% intervals.",
    discussion: "Train split: the run's own levels. Test split: levels starting at --test-start (1000, 1200 or 1400 as in the paper).")

  @Argument(help: "An agent (RUN/agent.safetensors or RUN/checkpoint.safetensors).") var checkpoint: String
  @Option(help: "Comma-separated games (default: the games it was trained on).") var games: String?
  @Option(help: "train or test.") var split = "test"
  @Option(Limits.startLevel, help: "First level of the test split.") var testStart = 1000
  @Option(Limits.episodes, help: "Episodes per game.") var episodes = 200
  @Flag(help: "Take the most likely action instead of sampling.") var greedy = false
  @Option(help: "Write the results as JSON to this file.") var json: String?
  @Option(Limits.threads, help: "Threads for the network.") var threads = 2

  func run() throws {
    guard ["train", "test"].contains(split) else { throw ValidationError("--split must be train or test") }
    guard episodes > 0 else { throw ValidationError("--episodes must be positive") }
    let (agent, config, _) = try AgentFactory.load(checkpoint)
    ArcadeRLThreads.configure(threads)
    let list = games?.split(separator: ",").map(String.init) ?? config.games
    for g in list { try Catalog.entry(g).descriptor.check(mode: config.mode) }
    let start = split == "train" ? config.startLevel : testStart
    let levels = config.numLevels
    let ev = Evaluator(games: list, mode: config.mode, startLevel: start, numLevels: levels,
                       episodesPerGame: episodes, greedy: greedy)
    print("\(config.model) agent, \(config.obs) observations, \(config.mode.rawValue) mode, \(split) levels \(start)..<\(start + levels), \(episodes) episodes per game\(greedy ? ", greedy" : "")")
    let results = try ev.run(agent: agent, obs: config.obs)
    print("game        return           normalised       completed")
    for r in results {
      let name = r.game.padding(toLength: 12, withPad: " ", startingAt: 0)
      print("\(name)\(r.meanReturn.formatted().padding(toLength: 17, withPad: " ", startingAt: 0))\((r.normalised?.formatted() ?? "-").padding(toLength: 17, withPad: " ", startingAt: 0))\(Fmt.fixed(100 * r.completed, 0))%")
    }
    let norms = results.compactMap { $0.normalised?.mean }
    if !norms.isEmpty { print("mean normalised score: \(Fmt.fixed(norms.reduce(0, +) / Double(norms.count), 3))") }
    if let json {
      let enc = JSONEncoder()
      enc.outputFormatting = [.prettyPrinted, .sortedKeys]
      try AtomicFile.write([UInt8](try enc.encode(results)), to: json)
      print("wrote \(json)")
    }
  }
}
