import ArcadeCore
import ArcadeNN

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
  var actions: [Int]
  let logits: UnsafeMutableBufferPointer<Float>

  init(T: Int, B: Int, A: Int, obsSize: Int, isRGB: Bool) {
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
    actions = [Int](repeating: 0, count: (T + 1) * B)
    logits = zeros((T + 1) * B * A)
  }

  deinit {
    frames.deallocate(); grids.deallocate(); rewards.deallocate(); dones.deallocate(); logits.deallocate()
  }

  /// The observations of entry t, as the agent reads them.
  func input(_ t: Int) -> AgentInput {
    isRGB ? .frames(UnsafePointer(frames.baseAddress! + t * B * obsSize))
      : .grid(UnsafePointer(grids.baseAddress! + t * B * obsSize))
  }

  /// Copies the vector env's current observations into entry t (rgb HWC → CHW).
  func storeObservations(_ vec: VecEnv, at t: Int) {
    if isRGB {
      for b in 0..<B {
        let src = vec.rgb.baseAddress! + b * VecEnv.frameBytes
        let dst = frames.baseAddress! + (t * B + b) * obsSize
        for p in 0..<(64 * 64) {
          dst[p] = src[3 * p]; dst[4096 + p] = src[3 * p + 1]; dst[8192 + p] = src[3 * p + 2]
        }
      }
    } else {
      (grids.baseAddress! + t * B * obsSize).update(from: vec.grid.baseAddress!, count: B * obsSize)
    }
  }

  /// Moves entry T to entry 0 for the next unroll.
  func carryLastEntry() {
    func move<E>(_ p: UnsafeMutableBufferPointer<E>, _ per: Int) {
      guard per > 0, p.count > 0 else { return }
      p.baseAddress!.update(from: p.baseAddress! + T * B * per, count: B * per)
    }
    move(frames, isRGB ? obsSize : 0)
    move(grids, isRGB ? 0 : obsSize)
    move(rewards, 1)
    move(dones, 1)
    move(logits, A)
    actions.replaceSubrange(0..<B, with: actions[(T * B)..<((T + 1) * B)])
  }
}
