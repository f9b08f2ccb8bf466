import ArcadeCore
import ArcadeGames
import Testing
@testable import ArcadeViewer

@Suite struct WatchPlanTests {
  let six = PolicyTraining(games: ["bigfish", "fruitbot", "maze", "leaper", "plunder", "starpilot"], mode: .easy)
  let all = ["bigfish", "bossfight", "fruitbot", "leaper", "maze", "plunder", "starpilot"]

  @Test func withNoArgumentsTheAgentsGamesAndModeOneEnvEach() {
    let p = WatchPlan(trainedOn: six, games: nil, mode: nil, envs: nil, allGames: all)
    #expect(p.games == six.games && p.mode == .easy && p.envs == 6 && p.warnings.isEmpty)
  }

  @Test func whatTheUserAsksWinsWithAWarningWhenItDiffers() {
    let p = WatchPlan(trainedOn: six, games: ["bossfight", "maze"], mode: .hard, envs: nil, allGames: all)
    #expect(p.games == ["bossfight", "maze"] && p.mode == .hard && p.envs == 2)
    #expect(p.warnings.count == 2)
    #expect(p.warnings[0].contains("never trained on bossfight") && !p.warnings[0].contains("on bossfight, maze"))
    #expect(p.warnings[1] == "the agent trained in easy mode, shown in hard")
    #expect(WatchPlan(trainedOn: six, games: ["maze"], mode: .easy, envs: 3, allGames: all).warnings.isEmpty)
  }

  @Test func aRandomPolicyHasNothingToMismatch() {
    let p = WatchPlan(trainedOn: nil, games: nil, mode: nil, envs: nil, allGames: all)
    #expect(p.games == all && p.mode == .hard && p.envs == WatchPlan.untrainedEnvs && p.warnings.isEmpty)
    #expect(WatchPlan(trainedOn: nil, games: Array(repeating: "maze", count: 12), mode: nil, envs: nil, allGames: all).envs == 9)
  }

  @Test func warningsStayOnTheBottomLine() throws {
    let envs = try (0..<2).map { try Catalog.make(EnvConfig(game: "maze", options: GameOptions(mode: .easy), envIndex: $0)) }
    let app = try WatchApp(envs: envs, policy: RandomPolicy(), warnings: ["the agent trained in easy mode, shown in hard"])
    let s = render(app, width: 120, height: 40)
    #expect(s.line(39) == "Warning: the agent trained in easy mode, shown in hard")
  }

  @Test func aNegativeMeanReturnIsShownWhole() throws {
    let envs = try (0..<4).map { try Catalog.make(EnvConfig(game: "maze", options: GameOptions(mode: .easy), envIndex: $0)) }
    let app = try WatchApp(envs: envs, policy: FixedValuePolicy())
    app.recordEpisode(env: 0, return: -12.25)
    let s = render(app, width: 120, height: 40)
    #expect(s.text.contains("ep 1 ø -12.25"))
    #expect(s.text.contains("V -10.50"))
  }
}

/// Always no-op with a negative value estimate (the widest panel text).
struct FixedValuePolicy: ViewerPolicy {
  var name: String { "fixed" }
  mutating func act(on envs: [any Environment]) -> [PolicyOutput] {
    envs.map { _ in PolicyOutput(action: .noop, probabilities: [Float](repeating: 1 / 15, count: 15), value: -10.5) }
  }
}
