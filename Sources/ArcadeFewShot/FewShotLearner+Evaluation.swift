// Accuracy of a learner on a split's episodes: per episode, per shot, per position and per alphabet.
import ArcadeBase

extension FewShotLearner {
  /// The sources' images must be the size the model's encoder takes.
  static func checkSide(_ c: FewShotRunConfig, _ sources: FewShotSource?...) throws {
    for case let s? in sources where s.side != c.side {
      throw FewShotError("\(s.summary) has \(s.side)×\(s.side) images; the model takes \(c.side)×\(c.side) (--image-side)")
    }
  }

  public struct Evaluation: Sendable {
    /// Accuracy of each episode (fraction of its scored steps that were right).
    public var episodeAccuracy: [Double]
    /// Delayed setting: accuracy per occurrence of a class (1st, 2nd, ... shot) — of the first task.
    public var perShot: [Double]
    /// The same for the second task of two-task sequences (empty otherwise).
    public var perShotSecondTask: [Double] = []
    /// Accuracy per position in the sequence (scored steps only).
    public var perPosition: [Double] = []
    /// Accuracy over each task's scored steps (the second is 0 without a second task).
    public var taskAccuracy: [Double] = []
    /// Within-alphabet episodes: the mean episode accuracy of each alphabet and its number of episodes,
    /// in alphabetical order (empty otherwise).
    public var byAlphabet: [(alphabet: String, accuracy: Double, episodes: Int)] = []
    public func ci(groups: Int) -> MeanCI { MeanCI(episodeCorrect: episodeAccuracy, groups: groups) }
    public var mean: Double { episodeAccuracy.reduce(0, +) / Double(max(1, episodeAccuracy.count)) }
  }

  /// Accuracy on `episodes` episodes of a split (evaluation mode; fixed seed = the same episodes every time).
  /// `withinAlphabet`: every episode's classes from one alphabet, unrotated characters only (Lake et al.'s setting).
  /// `ensemble` > 1 (synchronous episodes): each query answered by that many relabelled, reordered views
  /// of its episode (`predictEnsembled`); the episodes themselves are the same as without it.
  /// `viewJitter`: views after the first also distort their images by draws of it.
  /// `head`: who answers (`AnswerHead`); heads other than the model's need synchronous single-task episodes.
  /// `others`: checkpoints that answer together with this one (`answersTogether`; `checkJoining` must accept them).
  public func evaluate(source: FewShotSource, second: FewShotSource? = nil, split: Split, ways: Int? = nil, shots: Int? = nil,
                       withinAlphabet: Bool = false, episodes: Int, seed: UInt64, batch: Int = 100,
                       ensemble: Int = 1, viewJitter: ImageJitter? = nil, head: AnswerHead = .model,
                       joining others: [FewShotLearner] = []) throws -> Evaluation {
    try checkAnswering(head: head, ensemble: ensemble, jittered: viewJitter != nil, secondTask: second != nil, joined: !others.isEmpty)
    try Self.checkSide(config, source, second)
    var viewOrder = PCG32(seed: seed, stream: 0xe5e)
    func make(_ s: FewShotSource, _ stream: UInt64) throws -> EpisodeSampler {
      try EpisodeSampler(source: s, split: split, ways: ways ?? config.ways, shots: shots ?? config.shots,
                         mode: config.episodeMode, rotations: config.rotations && !withinAlphabet,
                         withinAlphabet: withinAlphabet, seed: seed, stream: stream)
    }
    var sampler = SequenceSampler(first: try make(source, 77), second: try second.map { try make($0, 78) },
                                  randomOrder: false, seed: seed)
    guard sampler.ways <= config.ways else { throw FewShotError("the model has \(config.ways) output classes, cannot run \(sampler.ways)-way episodes") }
    let panel = [self] + others, wasTraining = panel.map(\.model.training)
    for l in panel { l.model.training = false }
    defer { for (l, was) in zip(panel, wasTraining) { l.model.training = was } }
    var acc: [Double] = []
    var shotHit: [[Double]] = [[], []], shotCount: [[Double]] = [[], []]
    var posHit: [Double] = [], posCount: [Double] = []
    var alphabetSums: [String: (accuracy: Double, episodes: Int)] = [:]
    var left = episodes
    while left > 0 {
      let b = min(max(1, batch / ensemble), left)   // the same episodes in smaller forward passes
      let e = sampler.next(batch: b)
      let p = answers(e, head: head, members: ensemble, jitter: viewJitter, joining: others, rng: &viewOrder)
      for i in 0..<b {
        var hit = 0, cnt = 0
        for t in 0..<e.L {
          let r = t * b + i
          guard e.targets[r] >= 0 else { continue }
          let ok = p[r] == e.targets[r]
          hit += ok ? 1 : 0; cnt += 1
          let s = e.shotIndex[r], k = e.task[r]
          while shotHit[k].count <= s { shotHit[k].append(0); shotCount[k].append(0) }
          shotHit[k][s] += ok ? 1 : 0; shotCount[k][s] += 1
          while posHit.count <= t { posHit.append(0); posCount.append(0) }
          posHit[t] += ok ? 1 : 0; posCount[t] += 1
        }
        acc.append(Double(hit) / Double(max(cnt, 1)))
        if withinAlphabet, let a = e.classes[i].first.flatMap({ source.alphabet($0.character) }) {
          alphabetSums[a, default: (0, 0)].accuracy += acc[acc.count - 1]
          alphabetSums[a, default: (0, 0)].episodes += 1
        }
      }
      left -= b
    }
    func ratio(_ h: [Double], _ c: [Double]) -> [Double] { zip(h, c).map { $0 / max($1, 1) } }
    return Evaluation(episodeAccuracy: acc, perShot: ratio(shotHit[0], shotCount[0]),
                      perShotSecondTask: ratio(shotHit[1], shotCount[1]), perPosition: ratio(posHit, posCount),
                      taskAccuracy: (0..<2).map { k in shotHit[k].reduce(0, +) / max(shotCount[k].reduce(0, +), 1) },
                      byAlphabet: alphabetSums.keys.sorted().map { a in
                        let s = alphabetSums[a]!
                        return (a, s.accuracy / Double(s.episodes), s.episodes)
                      })
  }
}
