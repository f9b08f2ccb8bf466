import ArcadeCore

// Conveniences only tests need (they allocate, which the library's step path must not).
extension Environment {
  /// A step followed, when the episode ended, by a reset to the next level.
  @discardableResult
  func stepAutoReset(_ action: Action) -> StepResult {
    var r = step(action)
    if r.done {
      reset(levelSeed: nil)
      r.info.levelSeed = levelSeed
    }
    return r
  }

  /// The current frame as a fresh array.
  func renderedPixels() -> [UInt8] {
    var px = [UInt8](repeating: 0, count: 64 * 64 * 3)
    px.withUnsafeMutableBufferPointer { renderRGB(into: $0.baseAddress!) }
    return px
  }
}
