import ArcadeCore
import ArcadeGames
import ArcadeRL
import ArcadeViewer
import ArgumentParser
import Foundation

struct Watch: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Watch a policy play several envs at once (tiles with action distributions and values).")

  @Argument(help: "A trained agent (RUN/agent.safetensors, or a run folder); default: the agent that ships with ProcArcade.")
  var checkpoint: String?
  @Option(help: "Comma-separated games, cycled over the envs (default: the agent's games, else all).")
  var games: String?
  @Option(Limits.envs, help: "Number of envs shown (default: one per game of the agent, at most 9).")
  var envs: Int?
  @Option(help: "Policy: agent (a checkpoint, or the shipped default agent) or random.")
  var policy = WatchPolicy.agent
  @Flag(help: "Take the agent's most likely action instead of sampling.")
  var greedy = false
  @Option(help: "Distribution mode (default: the agent's, else hard).")
  var mode: DistributionMode?
  @Option(Limits.seed, help: "Seed of the level sampler and the policy.")
  var seed: UInt64 = 0
  @Option(Limits.speed, help: "Steps per second (+/- change it while watching).")
  var speed: Double = 15

  func run() throws {
    var agent: AgentPolicy?
    if policy == .agent {
      if let path = checkpoint ?? DefaultAgent.path() {
        agent = try AgentPolicy(path: path, greedy: greedy)
      } else {
        print("no trained agent found (none given and none shipped); watching a random policy")
      }
    }
    let asked = mode
    let trainedOn = agent.map { PolicyTraining(games: $0.config.distinctGames, mode: $0.config.mode) }
    let plan = WatchPlan(trainedOn: trainedOn, games: games?.split(separator: ",").map(String.init), mode: asked,
                         envs: envs, allGames: Catalog.names)
    guard !plan.games.isEmpty else { throw ValidationError("--games is empty") }
    let list = try (0..<plan.envs).map { i in
      try Catalog.make(EnvConfig(game: plan.games[i % plan.games.count], options: GameOptions(mode: plan.mode),
                                 levels: LevelOptions(randSeed: seed), envIndex: i))
    }
    // Said before the screen is taken, so it is also in the shell afterwards; the viewer repeats it.
    for w in plan.warnings { FileHandle.standardError.write(Data("warning: \(w)\n".utf8)) }
    if let agent {
      try GridFit.check(agent: agent.path, agentGrid: agent.agent.config.gridShape, envs: list, mode: plan.mode,
                        trainedMode: agent.config.mode)
    }
    try Viewer.requireTerminal("arcade watch")
    let chosen: any ViewerPolicy = agent ?? RandomPolicy(seed: seed)
    try exitAfterViewer(try Viewer.watch(envs: list, policy: chosen, stepsPerSecond: speed, warnings: plan.warnings))
  }
}
