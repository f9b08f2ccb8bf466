// A trained agent goes where random play does not (a starpilot that survives, a fruitbot that climbs),
// and a state it reaches must restore: a restore bound tighter than the dynamics once made a 50M
// training checkpoint unresumable. This plays the shipped agent and restores every state it reaches.
import ArcadeCore
import ArcadeGames
import ArcadeTensor
@testable import ArcadeRL
import Foundation
import Testing

extension ArcadeRLSuite {
  @Suite(.serialized) struct AgentReachedStateTests {
    static let agentPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("agents/default").path

    @Test func everyStateTheShippedAgentReachesRestores() throws {
      Parallel.configure(threads: 1)
      let (agent, config, g) = try AgentFactory.load(Self.agentPath)
      let B = 2 * config.games.count, steps = 2500
      func env(_ i: Int) throws -> any Environment {
        try Catalog.make(EnvConfig(game: config.games[i % config.games.count], options: GameOptions(mode: config.mode),
                                   levels: LevelOptions(numLevels: 200, startLevel: 1000, randSeed: UInt64(i)), envIndex: i))
      }
      let envs = try (0..<B).map(env), copies = try (0..<B).map(env)
      let observations = ObservationBatch(batch: B, gridShape: [g.0, g.1, g.2])
      let actor = Actor(agent: agent, batch: B, rng: PCG32(seed: 5, stream: 1))
      var reward = [Float](repeating: 0, count: B), done = [Float](repeating: 1, count: B)
      var episodes = 0
      for step in 1...steps {
        actor.act(try observations.gather(envs), reward: reward, done: done)
        for b in 0..<B {
          let r = envs[b].step(Action(Int(actor.actions[b])))
          reward[b] = r.reward; done[b] = r.done ? 1 : 0
          if r.done { envs[b].reset(levelSeed: nil); episodes += 1 }
          do {
            try copies[b].restoreState(envs[b].saveState())
          } catch {
            Issue.record("\(envs[b].descriptor.name), step \(step): \(error)")
            return
          }
          #expect(copies[b].stateHash() == envs[b].stateHash())
        }
      }
      #expect(episodes > B, "the agent finished episodes in every env")
    }
  }
}
