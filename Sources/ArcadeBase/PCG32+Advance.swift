extension PCG32 {
  /// Skips `delta` outputs in O(log delta) (Brown, "Random number generation with arbitrary strides", 1994),
  /// so several processes can each take their own slice of one stream and together draw exactly what one
  /// process would have drawn.
  public mutating func advance(by delta: UInt64) {
    var accMult: UInt64 = 1, accPlus: UInt64 = 0
    var curMult = PCG32.multiplier, curPlus = increment, d = delta
    while d > 0 {
      if d & 1 == 1 {
        accMult &*= curMult
        accPlus = accPlus &* curMult &+ curPlus
      }
      curPlus = (curMult &+ 1) &* curPlus
      curMult &*= curMult
      d >>= 1
    }
    state = accMult &* state &+ accPlus
  }
}
