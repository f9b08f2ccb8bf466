import ArcadeCore

/// A position in a replay that can move both ways: forward by stepping the env,
/// back by restoring the nearest saved state (taken every `interval` steps) and
/// re-simulating from there.
public final class ReplayCursor {
  public let replay: Replay
  public let env: any Environment
  public let interval: Int
  /// Actions applied so far.
  public private(set) var step = 0
  public private(set) var lastReward: Float = 0
  /// The first recorded hash that did not match, if any.
  public private(set) var divergedAt: Int?
  private var saved: [Int: (state: [UInt8], lastReward: Float)] = [:]
  private let hashes: [Int: UInt64]

  public init(replay: Replay, env: any Environment, interval: Int = 32) throws {
    self.replay = replay
    self.env = env
    self.interval = max(1, interval)
    var h: [Int: UInt64] = [:]
    for e in replay.hashes { h[e.step] = e.hash }
    hashes = h
    try replay.start(env)
    if env.levelHash() != replay.initialHash { divergedAt = 0 }
    saved[0] = (env.saveState(), 0)
  }

  public var count: Int { replay.actions.count }
  public var atEnd: Bool { step >= count }
  /// The action the next step will play.
  public var nextAction: Action? { atEnd ? nil : Action(replay.actions[step]) }
  /// The action that led to the current state.
  public var previousAction: Action? { step == 0 ? nil : Action(replay.actions[step - 1]) }

  public func forward() {
    guard step < count else { return }
    lastReward = env.step(Action(replay.actions[step])).reward
    step += 1
    if step % interval == 0 && saved[step] == nil { saved[step] = (env.saveState(), lastReward) }
    if divergedAt == nil, let h = hashes[step], env.levelHash() != h { divergedAt = step }
  }

  public func back() throws { try seek(to: step - 1) }

  /// Moves to `target` (clamped to 0...count).
  public func seek(to target: Int) throws {
    let t = max(0, min(count, target))
    if t < step {
      // Every multiple of `interval` up to the furthest step reached has a saved state.
      let base = t / interval * interval
      guard let s = saved[base] else { throw ArcadeError("replay viewer: no saved state at step \(base)") }
      try env.restoreState(s.state)
      step = base
      lastReward = s.lastReward
    }
    while step < t { forward() }
  }
}
