import ArcadeCore
import ArcadeGames
import ArcadeViewer
import ArgumentParser

struct Watch: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Watch a policy play several envs at once (tiles with action distributions and values).")

  @Argument(help: "A trained agent checkpoint (not supported yet).")
  var checkpoint: String?
  @Option(help: "Comma-separated games, cycled over the envs (default: all).")
  var games: String?
  @Option(help: "Number of envs shown.")
  var envs = 4
  @Option(help: "Policy: random.")
  var policy = "random"
  @Option(help: "Distribution mode.")
  var mode = "hard"
  @Option(help: "Seed of the level sampler and the policy.")
  var seed: UInt64 = 0
  @Option(help: "Steps per second (+/- change it while watching).")
  var speed: Double = 15

  func validate() throws {
    guard policy == "random" else { throw ValidationError("unknown policy '\(policy)' (expected random)") }
    guard (1...64).contains(envs) else { throw ValidationError("--envs must be in 1...64") }
    guard speed > 0 && speed <= 240 else { throw ValidationError("--speed must be in (0, 240]") }
  }

  func run() throws {
    if let checkpoint {
      throw ArcadeError("\(checkpoint): agent checkpoints are not supported yet; use --policy random")
    }
    guard let m = DistributionMode(rawValue: mode) else {
      throw ValidationError("unknown mode '\(mode)' (expected easy, hard, extreme, memory or exploration)")
    }
    let names = games?.split(separator: ",").map(String.init) ?? Catalog.names
    guard !names.isEmpty else { throw ValidationError("--games is empty") }
    let list = try (0..<envs).map { i in
      try Catalog.make(EnvConfig(game: names[i % names.count], options: GameOptions(mode: m),
                                 levels: LevelOptions(randSeed: seed), envIndex: i))
    }
    try Viewer.requireTerminal("arcade watch")
    try exitAfterViewer(try Viewer.watch(envs: list, policy: RandomPolicy(seed: seed), stepsPerSecond: speed))
  }
}
