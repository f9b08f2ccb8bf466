import ArcadeCore

/// The T+1 entries of one unroll for B envs, in the torchbeast layout the
/// learner expects: entry t holds observation t, the reward and done flag of
/// the transition into it, and the behaviour logits and action chosen on
/// observation t−1. Entry 0 repeats the last entry of the previous unroll.
final class Unroll {
  let T: Int, B: Int, A: Int
  /// Per-env observation size: 3·64·64 bytes (CHW) for rgb, C·H·W floats for grid.
  let obsSize: Int
  let isRGB: Bool
  var frames: [UInt8]
  var grids: [Float]
  var rewards: [Float]
  var dones: [Float]
  var actions: [Int]
  var logits: [Float]

  init(T: Int, B: Int, A: Int, obsSize: Int, isRGB: Bool) {
    self.T = T; self.B = B; self.A = A; self.obsSize = obsSize; self.isRGB = isRGB
    frames = [UInt8](repeating: 0, count: isRGB ? (T + 1) * B * obsSize : 0)
    grids = [Float](repeating: 0, count: isRGB ? 0 : (T + 1) * B * obsSize)
    rewards = [Float](repeating: 0, count: (T + 1) * B)
    dones = [Float](repeating: 0, count: (T + 1) * B)
    actions = [Int](repeating: 0, count: (T + 1) * B)
    logits = [Float](repeating: 0, count: (T + 1) * B * A)
  }

  /// Copies the vector env's current observations into entry t (rgb HWC → CHW).
  func storeObservations(_ vec: VecEnv, at t: Int) {
    if isRGB {
      frames.withUnsafeMutableBufferPointer { f in
        for b in 0..<B {
          let src = vec.rgb.baseAddress! + b * VecEnv.frameBytes
          let dst = f.baseAddress! + (t * B + b) * obsSize
          for p in 0..<(64 * 64) {
            dst[p] = src[3 * p]; dst[4096 + p] = src[3 * p + 1]; dst[8192 + p] = src[3 * p + 2]
          }
        }
      }
    } else {
      grids.withUnsafeMutableBufferPointer { g in
        (g.baseAddress! + t * B * obsSize).update(from: vec.grid.baseAddress!, count: B * obsSize)
      }
    }
  }

  /// Moves entry T to entry 0 for the next unroll.
  func carryLastEntry() {
    let n = B
    if isRGB { frames.replaceSubrange(0..<(n * obsSize), with: frames[(T * n * obsSize)..<((T + 1) * n * obsSize)]) }
    else { grids.replaceSubrange(0..<(n * obsSize), with: grids[(T * n * obsSize)..<((T + 1) * n * obsSize)]) }
    rewards.replaceSubrange(0..<n, with: rewards[(T * n)..<((T + 1) * n)])
    dones.replaceSubrange(0..<n, with: dones[(T * n)..<((T + 1) * n)])
    actions.replaceSubrange(0..<n, with: actions[(T * n)..<((T + 1) * n)])
    logits.replaceSubrange(0..<(n * A), with: logits[(T * n * A)..<((T + 1) * n * A)])
  }
}
