import ArcadeCore
import ArcadeNN
import ArcadeTensor

/// The T+1 entries of one unroll for B envs, in the torchbeast layout the
/// learner expects: entry t holds observation t, the reward and done flag of
/// the transition into it, and the behaviour logits and action chosen on
/// observation t−1. Entry 0 repeats the last entry of the previous unroll.
final class Unroll {
  let T: Int, B: Int, A: Int
  /// Per-env observation size: 3·64·64 bytes (CHW) for rgb, C·H·W floats for grid.
  let obsSize: Int
  let isRGB: Bool
  // Fixed storage (allocated once): the agent reads these pointers directly.
  let frames: UnsafeMutableBufferPointer<UInt8>
  let grids: UnsafeMutableBufferPointer<Float>
  let rewards: UnsafeMutableBufferPointer<Float>
  let dones: UnsafeMutableBufferPointer<Float>
  let actions: UnsafeMutableBufferPointer<Int>
  let logits: UnsafeMutableBufferPointer<Float>
  /// The level seed each env was playing at entry t (level replay scores levels by it).
  let levels: UnsafeMutableBufferPointer<UInt32>
  /// The agent's recurrent state at entry 0 (what the learner starts from); empty unless given.
  let startState: [Buffer]

  init(T: Int, B: Int, A: Int, obsSize: Int, isRGB: Bool, stateSizes: [Int] = []) {
    self.T = T; self.B = B; self.A = A; self.obsSize = obsSize; self.isRGB = isRGB
    func zeros<E: Numeric>(_ n: Int) -> UnsafeMutableBufferPointer<E> {
      let p = UnsafeMutableBufferPointer<E>.allocate(capacity: n)
      p.initialize(repeating: 0)
      return p
    }
    frames = zeros(isRGB ? (T + 1) * B * obsSize : 0)
    grids = zeros(isRGB ? 0 : (T + 1) * B * obsSize)
    rewards = zeros((T + 1) * B)
    dones = zeros((T + 1) * B)
    actions = zeros((T + 1) * B)
    logits = zeros((T + 1) * B * A)
    levels = zeros((T + 1) * B)
    startState = stateSizes.map { Buffer($0) }
  }

  deinit {
    frames.deallocate(); grids.deallocate(); rewards.deallocate(); dones.deallocate(); actions.deallocate()
    logits.deallocate(); levels.deallocate()
  }

  /// The observations of entry t, as the agent reads them.
  func input(_ t: Int) -> AgentInput {
    isRGB ? .frames(UnsafePointer(frames.baseAddress! + t * B * obsSize))
      : .grid(UnsafePointer(grids.baseAddress! + t * B * obsSize))
  }

  /// Entry t as the actor reads and writes it.
  struct Entry {
    let frames: UnsafeMutablePointer<UInt8>?
    let grids: UnsafeMutablePointer<Float>?
    let obsSize: Int, B: Int
    let reward, done: UnsafeMutablePointer<Float>
    let action: UnsafeMutablePointer<Int>
    let logits: UnsafeMutablePointer<Float>
    let level: UnsafeMutablePointer<UInt32>

    var input: AgentInput { grids.map { .grid(UnsafePointer($0)) } ?? .frames(UnsafePointer(frames!)) }

    /// Copies the vector env's current observations and level seeds into this entry (rgb HWC → CHW).
    func store(_ vec: VecEnv) {
      for b in 0..<B { level[b] = vec.infos[b].levelSeed }
      if let grids {
        grids.update(from: vec.grid.baseAddress!, count: B * obsSize)
      } else if let frames {
        for b in 0..<B { Unroll.chw(vec.rgb.baseAddress! + b * VecEnv.frameBytes, into: frames + b * obsSize) }
      }
    }
  }

  func entry(_ t: Int) -> Entry {
    Entry(frames: isRGB ? frames.baseAddress! + t * B * obsSize : nil, grids: isRGB ? nil : grids.baseAddress! + t * B * obsSize,
          obsSize: obsSize, B: B, reward: rewards.baseAddress! + t * B, done: dones.baseAddress! + t * B,
          action: actions.baseAddress! + t * B, logits: logits.baseAddress! + t * B * A,
          level: levels.baseAddress! + t * B)
  }

  /// One 64×64 frame, HWC → CHW.
  static func chw(_ src: UnsafePointer<UInt8>, into dst: UnsafeMutablePointer<UInt8>) {
    for p in 0..<(64 * 64) {
      dst[p] = src[3 * p]; dst[4096 + p] = src[3 * p + 1]; dst[8192 + p] = src[3 * p + 2]
    }
  }

  /// Copies the vector env's current observations into entry t (rgb HWC → CHW).
  func storeObservations(_ vec: VecEnv, at t: Int) { entry(t).store(vec) }

  /// Copies entry `from` of this unroll to entry `to` of `other` (same shape).
  func copyEntry(_ from: Int, to other: Unroll, _ to: Int) {
    if other === self && from == to { return }
    func copy<E>(_ p: UnsafeMutableBufferPointer<E>, _ q: UnsafeMutableBufferPointer<E>, _ per: Int) {
      guard per > 0, p.count > 0 else { return }
      (q.baseAddress! + to * B * per).update(from: p.baseAddress! + from * B * per, count: B * per)
    }
    copy(frames, other.frames, isRGB ? obsSize : 0)
    copy(grids, other.grids, isRGB ? 0 : obsSize)
    copy(rewards, other.rewards, 1)
    copy(dones, other.dones, 1)
    copy(actions, other.actions, 1)
    copy(logits, other.logits, A)
    copy(levels, other.levels, 1)
  }

  /// Moves entry T to entry 0 for the next unroll.
  func carryLastEntry() { copyEntry(T, to: self, 0) }
}
