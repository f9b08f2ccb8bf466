// Episode batches for the few-shot model, time-major: images [L, B, 1, side, side], labels [L·B].
//
// Synchronous-label N-way K-shot (as in the SRWM paper): N·K support steps in random interleaved order, each fed
// [image ; one_hot(own label)], then one query step fed a dummy label (class 0's one-hot); the loss
// and the accuracy are taken at the query step only (targets of the support steps are −1: ignored).
//
// Delayed-label (the SRWM paper's delayed-label setting, one task): N·K steps, the input at step t carries y_{t−1} (class 0 at
// t = 0) and the model predicts y_t at every step.
import ArcadeBase

public enum EpisodeMode: String, Sendable, CaseIterable { case sync, delayed }

public struct EpisodeBatch {
  public var L: Int, B: Int, side: Int
  /// [L, B, side·side]
  public var images: [Float]
  /// Label fed to the model at each step [L·B] (index t·B + b).
  public var inputLabels: [Int]
  /// Target per step [L·B]; −1 where no loss is taken.
  public var targets: [Int]
  /// Occurrence number of the target class so far within the episode (0 = first time seen), [L·B].
  public var shotIndex: [Int]
  /// Task of each step [L·B]: 0, or 1 for the second task of a two-task sequence.
  public var task: [Int] = []
  /// The classes of each episode, in label order [B][N] (with a curriculum's fewer active classes: in the order drawn).
  public var classes: [[ClassID]]

  /// An empty batch, for `EpisodeSampler.fill` to size.
  public init() { L = 0; B = 0; side = 0; images = []; inputLabels = []; targets = []; shotIndex = []; classes = [] }

  public init(L: Int, B: Int, side: Int, images: [Float], inputLabels: [Int], targets: [Int], shotIndex: [Int],
              task: [Int] = [], classes: [[ClassID]]) {
    self.L = L; self.B = B; self.side = side; self.images = images; self.inputLabels = inputLabels
    self.targets = targets; self.shotIndex = shotIndex; self.task = task; self.classes = classes
  }

  /// Sizes the batch for L steps of B episodes, keeping its storage: images 0, labels 0, targets −1
  /// (no loss), shot indices and tasks 0, no classes.
  mutating func reset(L: Int, B: Int, side: Int) {
    self.L = L; self.B = B; self.side = side
    func refill<T>(_ a: inout [T], _ v: T, _ n: Int) { a.removeAll(keepingCapacity: true); a.append(contentsOf: repeatElement(v, count: n)) }
    refill(&images, 0, L * B * side * side)
    refill(&inputLabels, 0, L * B); refill(&targets, -1, L * B); refill(&shotIndex, 0, L * B); refill(&task, 0, L * B)
    if classes.count > B { classes.removeLast(classes.count - B) }
    for b in 0..<classes.count { classes[b].removeAll(keepingCapacity: true) }
    while classes.count < B { classes.append([]) }
  }
}

public struct EpisodeSampler {
  public let source: FewShotSource
  public let classes: [ClassID]
  public let ways: Int, shots: Int, mode: EpisodeMode
  /// Within-alphabet episodes: the indices into `classes` of each alphabet with at least `ways` classes;
  /// empty when episodes draw their classes from the whole split.
  public let alphabetGroups: [[Int]]
  /// Distorts every image drawn (training with `--augment`); nil: images as drawn.
  public let jitter: ImageJitter?
  public var rng: PCG32
  // Scratch of `fill`, kept so that drawing a batch allocates nothing once the sizes are reached.
  var pool: [Int] = [], slot: [Int] = [], queryDrawing: [Int] = [], seen: [Int] = []
  var steps: [(label: Int, drawing: Int)] = []

  /// `withinAlphabet`: every episode's classes come from one alphabet (drawn uniformly among the split's
  /// alphabets that have at least `ways` classes). `extraSplits`: more characters to draw from (training
  /// with `--train-on-valid` draws from the training and validation characters).
  public init(source: FewShotSource, split: Split, ways: Int, shots: Int, mode: EpisodeMode = .sync,
              extraSplits: [Split] = [], rotations: Bool = true, withinAlphabet: Bool = false,
              jitter: ImageJitter? = nil, seed: UInt64, stream: UInt64 = 1) throws {
    self.source = source; self.ways = ways; self.shots = shots; self.mode = mode; self.jitter = jitter
    classes = ([split] + extraSplits).flatMap { source.classes($0, rotations: rotations) }
    guard ways >= 2, shots >= 1 else { throw FewShotError("need at least 2 ways and 1 shot") }
    guard classes.count >= ways else {
      throw FewShotError("\(split.rawValue) split has \(classes.count) classes, fewer than \(ways) ways")
    }
    if withinAlphabet {
      var byAlphabet: [String: [Int]] = [:]
      for (i, c) in classes.enumerated() {
        guard let a = source.alphabet(c.character) else { throw FewShotError("within-alphabet episodes need Omniglot data (the glyphs have no alphabets)") }
        byAlphabet[a, default: []].append(i)
      }
      alphabetGroups = byAlphabet.keys.sorted().map { byAlphabet[$0]! }.filter { $0.count >= ways }
      guard !alphabetGroups.isEmpty else {
        let sizes = byAlphabet.keys.sorted().map { "\($0) \(byAlphabet[$0]!.count)" }.joined(separator: ", ")
        throw FewShotError("no \(split.rawValue) alphabet has \(ways) classes for within-alphabet episodes (\(sizes))")
      }
    } else {
      alphabetGroups = []
    }
    let need = mode == .sync ? shots + 1 : shots
    for c in Set(classes.map(\.character)) where source.drawingCount(c) < need {
      throw FewShotError("character \(c) has \(source.drawingCount(c)) drawings, \(need) needed")
    }
    rng = PCG32(seed: seed, stream: stream)
  }

  /// Steps per episode.
  public var length: Int { mode == .sync ? ways * shots + 1 : ways * shots }

  /// Picks `k` distinct values of 0..<n: they are `pool[0..<k]` afterwards.
  mutating func pickDistinct(_ k: Int, of n: Int) {
    pool.removeAll(keepingCapacity: true)
    pool.append(contentsOf: 0..<n)
    for i in 0..<k { pool.swapAt(i, i + rng.below(n - i)) }
  }

  /// A batch of episodes (a new one; `fill` reuses one).
  public mutating func next(batch B: Int, active: Int? = nil) -> EpisodeBatch {
    var out = EpisodeBatch()
    fill(&out, batch: B, active: active)
    return out
  }

  /// Overwrites `out` with a batch of episodes, reusing its storage (training draws one per step).
  /// With `active` < ways (a curriculum), each episode uses only `active` classes, put on a random subset
  /// of the `ways` label slots; the sequences are shorter accordingly.
  public mutating func fill(_ out: inout EpisodeBatch, batch B: Int, active: Int? = nil) {
    let N = min(ways, max(2, active ?? ways)), K = shots
    let L = mode == .sync ? N * K + 1 : N * K, side = source.side, P = side * side
    out.reset(L: L, B: B, side: side)
    for b in 0..<B {
      if alphabetGroups.isEmpty {
        pickDistinct(N, of: classes.count)
        for i in 0..<N { out.classes[b].append(classes[pool[i]]) }
      } else {
        let g = alphabetGroups[rng.below(alphabetGroups.count)]
        pickDistinct(N, of: g.count)
        for i in 0..<N { out.classes[b].append(classes[g[pool[i]]]) }
      }
      // Label slot of each chosen class.
      slot.removeAll(keepingCapacity: true)
      if N == ways { slot.append(contentsOf: 0..<N) } else { pickDistinct(N, of: ways); slot.append(contentsOf: pool[0..<N]) }
      // Per class: K support drawings (+ 1 held-out query drawing in the synchronous setting).
      steps.removeAll(keepingCapacity: true)
      queryDrawing.removeAll(keepingCapacity: true)
      for label in 0..<N {
        pickDistinct(mode == .sync ? K + 1 : K, of: source.drawingCount(out.classes[b][label].character))
        for i in 0..<K { steps.append((label, pool[i])) }
        if mode == .sync { queryDrawing.append(pool[K]) }
      }
      rng.shuffle(&steps)
      seen.removeAll(keepingCapacity: true)
      seen.append(contentsOf: repeatElement(0, count: N))
      for t in 0..<steps.count {
        let s = steps[t]
        put(&out, step: t, episode: b, label: s.label, drawing: s.drawing)
        let r = t * B + b
        out.shotIndex[r] = seen[s.label]; seen[s.label] += 1
        switch mode {
        case .sync: out.inputLabels[r] = slot[s.label]      // own label, same step
        case .delayed:
          out.inputLabels[r] = t == 0 ? 0 : slot[steps[t - 1].label]
          out.targets[r] = slot[s.label]
        }
      }
      if mode == .sync {
        let q = rng.below(N), r = (L - 1) * B + b
        put(&out, step: L - 1, episode: b, label: q, drawing: queryDrawing[q])
        out.inputLabels[r] = 0                                // dummy label: class 0's one-hot
        out.targets[r] = slot[q]
        out.shotIndex[r] = seen[q]
      }
    }
  }

  /// Writes one drawing of episode `b`'s class `label` at step `t`: turned by the class's rotation, then
  /// distorted when training with `jitter`.
  private mutating func put(_ out: inout EpisodeBatch, step t: Int, episode b: Int, label: Int, drawing: Int) {
    let c = out.classes[b][label], side = out.side, P = side * side, at = (t * out.B + b) * P
    let img = source.drawing(c.character, drawing)
    let distortion = jitter?.sample(&rng)
    img.withUnsafeBufferPointer { s in
      out.images.withUnsafeMutableBufferPointer { dst in
        let into = dst.baseAddress! + at
        guard let distortion else { return ImageOps.rotate(s.baseAddress!, n: side, quarter: c.rotation, into: into) }
        withUnsafeTemporaryAllocation(of: Float.self, capacity: P) { turned in
          ImageOps.rotate(s.baseAddress!, n: side, quarter: c.rotation, into: turned.baseAddress!)
          ImageJitter.apply(distortion, turned.baseAddress!, n: side, into: into)
        }
      }
    }
  }
}
