import ArcadeBase
@testable import ArcadeFewShot
import Foundation
import Testing

/// `fewshot eval --with`: several checkpoints answering each episode together.
@Suite struct CheckpointPanelTests {
  func episodes(batch: Int = 20) throws -> EpisodeBatch {
    var sampler = try EpisodeSampler(source: GlyphSource(seed: 2, train: 30, valid: 10, test: 10), split: .test,
                                     ways: 5, shots: 1, seed: 4)
    return sampler.next(batch: batch)
  }

  func learner(seed: UInt64) -> FewShotLearner {
    var c = tinyConfig()
    c.seed = seed
    let l = FewShotLearner(c)
    l.model.training = false
    return l
  }

  /// With one view, the pair's answer to each query is the argmax of the two members' log-probabilities
  /// summed, which is not always either member's own answer.
  @Test(arguments: AnswerHead.allCases) func thePanelAnswersByTheSumOfItsMembersLogProbabilities(head: AnswerHead) throws {
    let a = learner(seed: 1), b = learner(seed: 2), e = try episodes(), N = 5, q = (e.L - 1) * e.B
    let la = a.logProbabilities(e, head: head), lb = b.logProbabilities(e, head: head)
    var rng = PCG32(seed: 3, stream: 3)
    let together = a.answers(e, head: head, joining: [b], rng: &rng)
    var differs = 0
    for i in 0..<e.B {
      let r = (q + i) * N
      let sum = (0..<N).map { la[r + $0] + lb[r + $0] }
      #expect(together[q + i] == sum.indices.max { sum[$0] < sum[$1] }!)
      let alone = (0..<N).max { la[r + $0] < la[r + $1] }!
      if together[q + i] != alone { differs += 1 }
    }
    #expect(differs > 0, "the second checkpoint changes some answer")
    #expect(together[..<q].allSatisfy { $0 == -1 })
  }

  /// Log-probabilities: every query row's probabilities sum to 1 over the episode's classes.
  @Test(arguments: AnswerHead.allCases) func logProbabilitiesAreNormalised(head: AnswerHead) throws {
    let l = learner(seed: 1), e = try episodes(batch: 4), N = 5, q = (e.L - 1) * e.B
    let p = l.logProbabilities(e, head: head)
    for r in q..<(q + e.B) {
      let total = (0..<N).map { Double(exp(p[r * N + $0])) }.reduce(0, +)
      #expect(abs(total - 1) < 1e-4)
    }
  }

  /// A checkpoint joined by its own copy answers as it does alone, over the same jittered views.
  @Test func aCheckpointJoinedByItsCopyAnswersAsItDoesAlone() throws {
    let a = learner(seed: 1), copy = learner(seed: 1), e = try episodes(), q = (e.L - 1) * e.B
    for head in AnswerHead.allCases {
      var r1 = PCG32(seed: 5, stream: 5), r2 = PCG32(seed: 5, stream: 5)
      let alone = a.answers(e, head: head, members: 4, jitter: .standard, rng: &r1)
      let pair = a.answers(e, head: head, members: 4, jitter: .standard, joining: [copy], rng: &r2)
      #expect(Array(pair[q...]) == Array(alone[q...]))
    }
  }

  /// Only checkpoints of the same task, image size and character split may answer together.
  @Test func joiningRefusesAnotherTaskSizeOrSplit() throws {
    let a = learner(seed: 1)
    try a.checkJoining(learner(seed: 9), name: "b")
    var ways = tinyConfig(ways: 3); ways.seed = 1
    var side = tinyConfig(); side.imageSide = 35
    var split = tinyConfig(); split.splitSeed = 4
    var alphabets = tinyConfig(); alphabets.validAlphabets = ["Latin"]; alphabets.testAlphabets = ["Greek"]
    for (c, words) in [(ways, "is 3-way"), (side, "takes 35×35 images"), (split, "another character split"),
                       (alphabets, "another character split")] {
      #expect { try a.checkJoining(FewShotLearner(c), name: "b.safetensors") } throws: {
        "\($0)".contains("b.safetensors") && "\($0)".contains(words)
      }
    }
  }
}
