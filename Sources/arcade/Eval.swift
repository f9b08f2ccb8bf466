import ArcadeCore
import ArcadeGames
import ArcadeRL
import ArgumentParser
import Foundation

struct Eval: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Evaluate a trained agent: mean return and normalised score per game, with 95% intervals.",
    discussion: """
      Train split: the run's own levels. Test split: the run's number of levels from each --test-start \
      (the paper uses 1000,1200,1400), episodes pooled over the splits. --compare-random runs a uniformly \
      random policy on the same splits and marks the games where the agent is clearly better (95% intervals apart).
      """)

  @Argument(help: "An agent: RUN/agent.safetensors, RUN/checkpoint.safetensors, or a folder holding agent.safetensors (RUN, agents/default).") var checkpoint: String
  @Option(help: "Comma-separated games (default: the games it was trained on).") var games: String?
  @Option(help: "Levels: the run's own (train) or held-out ones (test).") var split = EvalSplit.test
  @Option(list: Limits.startLevel, help: "First level of each test split, comma-separated.") var testStart = [1000]
  @Option(Limits.episodes, help: "Episodes per game on each split.") var episodes = 200
  @Flag(help: "Take the most likely action instead of sampling.") var greedy = false
  @Flag(help: "Also evaluate a uniformly random policy on the same splits.") var compareRandom = false
  @Flag(help: "Leave out test levels whose layout repeats a training level's (see `arcade levels overlap`).")
  var disjoint = false
  @Option(help: "Write the results as JSON to this file.") var json: String?
  @Option(Limits.threads, help: "Threads for the network.") var threads = 2

  /// What --json writes.
  struct Report: Encodable {
    var agent: [GameEvaluation]
    var meanNormalised: MeanCI?
    var random: [GameEvaluation]?
    var randomMeanNormalised: MeanCI?
  }

  func run() throws {
    let (agent, config, _) = try AgentFactory.load(checkpoint)
    ArcadeRLThreads.configure(threads)
    let list = games?.split(separator: ",").map(String.init) ?? config.distinctGames
    for g in list { try Catalog.entry(g).descriptor.check(mode: config.mode) }
    try GridFit.check(agent: checkpoint, agentGrid: agent.config.gridShape, envs: try GridFit.sampleEnvs(list, mode: config.mode),
                      mode: config.mode, trainedMode: config.mode)
    let unseen = list.filter { !config.distinctGames.contains($0) }
    if !unseen.isEmpty {   // allowed (zero-shot transfer), but rarely what was meant
      FileHandle.standardError.write(Data(("warning: the agent never trained on \(unseen.joined(separator: ", ")) "
                                           + "(it learned \(config.distinctGames.joined(separator: ", ")))\n").utf8))
    }
    let starts = split == .train ? [config.startLevel] : testStart
    let levels = config.numLevels
    var ev = Evaluator(games: list, mode: config.mode, startLevels: starts, numLevels: levels,
                       episodesPerGame: episodes, greedy: greedy)
    if split == .train, let seeds = config.levelSeeds { ev.levelSeeds = seeds }
    if disjoint {
      guard split == .test else { throw ValidationError("--disjoint applies to the test split") }
      guard config.levelSeeds != nil || config.numLevels > 0 else {
        throw ValidationError("--disjoint needs a finite set of training levels; this agent trained on unlimited levels")
      }
      ev.trainingSeeds = config.levelSeeds ?? (0..<config.numLevels).map { UInt32(config.startLevel + $0) }
    }
    let splits = ev.levelSeeds.map { "(\($0.count) seeds of its list)" } ?? starts.map { "\($0)..<\($0 + levels)" }.joined(separator: ", ")
    print("\(config.model) agent, \(config.obs) observations, \(config.mode.rawValue) mode, \(split) levels \(splits), \(episodes) episodes per game and split\(greedy ? ", greedy" : "")")
    let results = try ev.run(.agent(agent, obs: config.obs))
    let random = compareRandom ? try ev.run(.random) : nil
    print(table(results, random: random))
    if disjoint {
      print("left out (repeating a training layout): " + results.map { "\($0.game) \($0.levelsLeftOut ?? 0)" }.joined(separator: ", "))
    }
    let report = Report(agent: results, meanNormalised: Evaluator.meanNormalised(results), random: random,
                        randomMeanNormalised: random.flatMap(Evaluator.meanNormalised))
    if let m = report.meanNormalised {
      print("mean normalised score: \(m.formatted(3))" + (report.randomMeanNormalised.map { " (random policy \($0.formatted(3)))" } ?? ""))
    }
    if let json {
      let enc = JSONEncoder()
      enc.outputFormatting = [.prettyPrinted, .sortedKeys]
      try AtomicFile.write([UInt8](try enc.encode(report)), to: json)
      print("wrote \(json)")
    }
  }

  func table(_ results: [GameEvaluation], random: [GameEvaluation]?) -> String {
    func col(_ s: String, _ w: Int) -> String { s.padding(toLength: w, withPad: " ", startingAt: 0) }
    var lines = [col("game", 12) + col("return", 17) + col("normalised", 17) + col("completed", 11)
      + (random == nil ? "" : col("random normalised", 19) + "clearly better")]
    for (i, r) in results.enumerated() {
      var line = col(r.game, 12) + col(r.meanReturn.formatted(), 17) + col(r.normalised?.formatted() ?? "-", 17)
        + col(Fmt.fixed(100 * r.completed, 0) + "%", 11)
      if let rr = random?[i] {
        let better = (r.normalised ?? r.meanReturn).clearlyAbove(rr.normalised ?? rr.meanReturn)
        line += col(rr.normalised?.formatted() ?? rr.meanReturn.formatted(), 19) + (better ? "yes" : "no")
      }
      lines.append(line)
    }
    return lines.joined(separator: "\n")
  }
}
