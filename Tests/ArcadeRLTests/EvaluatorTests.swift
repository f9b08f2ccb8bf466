// The evaluator's table: pooled test splits, the random-policy row, agents on a subset of their games,
// and the interval of the mean over games.
import ArcadeCore
import ArcadeGames
import ArcadeTensor
@testable import ArcadeNN
@testable import ArcadeRL
import Testing

extension ArcadeRLSuite {
  @Suite(.serialized) struct EvaluatorTests {
    let games = ["bigfish", "maze", "leaper"]

    func evaluator(_ starts: [Int], episodes: Int = 4) -> Evaluator {
      var ev = Evaluator(games: games, mode: .easy, startLevels: starts, numLevels: 200, episodesPerGame: episodes,
                         greedy: false)
      ev.envsPerGame = 2
      return ev
    }

    /// Episodes are counted per split and pooled; the same seed gives the same table; the random
    /// policy's returns differ from a trained-or-not agent's and are deterministic too.
    @Test func splitsArePooledAndRandomRowIsDeterministic() throws {
      let one = try evaluator([1000]).run(.random)
      let three = try evaluator([1000, 1200, 1400]).run(.random)
      #expect(one.map(\.episodes) == [4, 4, 4])
      #expect(three.map(\.episodes) == [12, 12, 12])
      let again = try evaluator([1000, 1200, 1400]).run(.random)
      #expect(three.map(\.meanReturn) == again.map(\.meanReturn))
      // Three splits pool other levels' episodes: the means move.
      #expect(three.map(\.meanReturn.mean) != one.map(\.meanReturn.mean))
    }

    /// An agent trained on three games' grid shape evaluates on one of them (its grid padded into the
    /// agent's shape, as in training).
    @Test func agentEvaluatesOnASubsetOfItsGames() throws {
      Parallel.configure(threads: 1)
      let vec = try VecEnv(games: games, count: 3, options: GameOptions(mode: .easy), observations: [.grid],
                           make: Catalog.make)
      var c = TrainConfig()
      c.obs = "grid"; c.model = "ff"
      let agent = RLAgent(AgentFactory.agentConfig(c, gridShape: vec.gridShape), seed: 3)
      var ev = evaluator([1000], episodes: 2)
      ev.games = ["maze"]
      let r = try ev.run(.agent(agent, obs: "grid"))
      #expect(r.map(\.game) == ["maze"] && r[0].episodes == 2)
      // A shape too small for the game is an error, not a trap.
      var small = c
      small.games = ["bigfish"]
      let tiny = RLAgent(AgentFactory.agentConfig(small, gridShape: (1, 2, 2)), seed: 3)
      #expect(throws: ArcadeError.self) { try ev.run(.agent(tiny, obs: "grid")) }
    }

    /// --disjoint: the test levels that repeat a training layout are counted and left out.
    @Test func disjointLeavesOutRepeatedLayouts() throws {
      var ev = evaluator([1000], episodes: 3)
      ev.games = ["maze"]
      ev.numLevels = 200
      ev.trainingSeeds = Array(0..<200)
      let want = try LevelLayouts.overlap(game: "maze", mode: .easy, train: Array(0..<200), test: Array(1000..<1200))
      let r = try ev.run(.random)
      #expect(want.duplicates.count > 0 && r[0].levelsLeftOut == want.duplicates.count && r[0].episodes == 3)
    }

    /// The mean over games adds the per-game half-widths in quadrature; "clearly above" needs the
    /// intervals apart.
    @Test func meanOverGamesAndClearlyAbove() {
      func result(_ m: Double, _ hw: Double) -> GameEvaluation {
        GameEvaluation(game: "g", episodes: 10, meanReturn: MeanCI(mean: m, halfWidth: hw, count: 10),
                       normalised: MeanCI(mean: m, halfWidth: hw, count: 10), completed: 0)
      }
      let m = Evaluator.meanNormalised([result(0.2, 0.03), result(0.4, 0.04)])!
      #expect(abs(m.mean - 0.3) < 1e-12 && abs(m.halfWidth - 0.025) < 1e-12 && m.count == 20)
      #expect(Evaluator.meanNormalised([]) == nil)
      let a = MeanCI(mean: 0.5, halfWidth: 0.1, count: 5), b = MeanCI(mean: 0.3, halfWidth: 0.05, count: 5)
      #expect(a.clearlyAbove(b) && !b.clearlyAbove(a))
      #expect(!MeanCI(mean: 0.5, halfWidth: 0.2, count: 5).clearlyAbove(b))
    }
  }
}
