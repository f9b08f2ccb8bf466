import Foundation
import Testing
import ArcadeCore
import ArcadeNN
@testable import ArcadeRL

extension ArcadeRLSuite {
  /// `--games maze,maze,leaper`: a game named twice gets twice the envs, and the metrics still count
  /// each game once (the mean normalised score is over games, not over the list's entries).
  @Suite(.serialized) struct GameSharesTests {
    @Test func aGameNamedTwiceGetsTwiceTheEnvsAndCountsOnce() throws {
      var c = TrainConfig()
      c.games = ["maze", "maze", "leaper"]; c.obs = "grid"; c.model = "ff"
      c.frames = 3000; c.unroll = 10; c.batch = 6; c.logEvery = 3000; c.checkpointEvery = 3000; c.threads = 1
      #expect(c.distinctGames == ["maze", "leaper"])
      let dir = NSTemporaryDirectory() + "arcade-shares-\(getpid())"
      defer { try? FileManager.default.removeItem(atPath: dir) }
      let t = try Trainer(config: c, runDirectory: dir)
      #expect(t.vec.envs.map(\.config.game) == ["maze", "maze", "leaper", "maze", "maze", "leaper"])
      try t.run { _ in }
      let line = try #require(try RunLog.read(dir + "/metrics.jsonl").last)
      #expect(Set(line.normalised.keys) == ["maze", "leaper"])
      let mean = try #require(line.meanNormalised)
      let scores = Array(line.normalised.values)
      let expected = scores.reduce(0, +) / Double(scores.count)
      #expect(abs(mean - expected) < 1e-9)
    }
  }
}
