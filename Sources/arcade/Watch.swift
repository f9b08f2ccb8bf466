import ArcadeCore
import ArcadeGames
import ArcadeViewer
import ArgumentParser

struct Watch: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Watch a policy play several envs at once (tiles with action distributions and values).")

  @Argument(help: "A trained agent (RUN/agent.safetensors); default: the agent that ships with ProcArcade.")
  var checkpoint: String?
  @Option(help: "Comma-separated games, cycled over the envs (default: all).")
  var games: String?
  @Option(Limits.envs, help: "Number of envs shown.")
  var envs = 4
  @Option(help: "Policy: agent (a checkpoint, or the shipped default agent) or random.")
  var policy = "agent"
  @Flag(help: "Take the agent's most likely action instead of sampling.")
  var greedy = false
  @Option(help: "Distribution mode.")
  var mode = "hard"
  @Option(Limits.seed, help: "Seed of the level sampler and the policy.")
  var seed: UInt64 = 0
  @Option(Limits.speed, help: "Steps per second (+/- change it while watching).")
  var speed: Double = 15

  func validate() throws {
    guard ["agent", "random"].contains(policy) else {
      throw ValidationError("unknown policy '\(policy)' (expected agent or random)")
    }
  }

  func run() throws {
    var agent: AgentPolicy?
    if policy == "agent" {
      if let path = checkpoint ?? DefaultAgent.path() {
        agent = try AgentPolicy(path: path, greedy: greedy)
      } else {
        print("no trained agent found (none given and none shipped); watching a random policy")
      }
    }
    guard let m = DistributionMode(rawValue: agent?.config.mode.rawValue ?? mode) else {
      throw ValidationError("unknown mode '\(mode)' (expected easy, hard, extreme, memory or exploration)")
    }
    let names = games?.split(separator: ",").map(String.init) ?? agent?.config.games ?? Catalog.names
    guard !names.isEmpty else { throw ValidationError("--games is empty") }
    let list = try (0..<envs).map { i in
      try Catalog.make(EnvConfig(game: names[i % names.count], options: GameOptions(mode: m),
                                 levels: LevelOptions(randSeed: seed), envIndex: i))
    }
    try Viewer.requireTerminal("arcade watch")
    let chosen: any ViewerPolicy = agent ?? RandomPolicy(seed: seed)
    try exitAfterViewer(try Viewer.watch(envs: list, policy: chosen, stepsPerSecond: speed))
  }
}
