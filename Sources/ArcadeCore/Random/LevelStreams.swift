/// The roles a level seed's random streams are derived for.
public enum StreamRole: UInt64, Sendable {
  case generation = 1
  case dynamics = 2
  case levelSampler = 3
}

extension PCG32 {
  /// The stream for `role` of level `levelSeed` in game `gameSalt`.
  ///
  /// Generation and dynamics are separate streams, so the layout of a level
  /// never depends on how many random draws an episode made.
  public static func stream(levelSeed: UInt32, role: StreamRole, salt: UInt64 = 0) -> PCG32 {
    let seed = mixSeed(UInt64(levelSeed) ^ (salt &* 0x100_0000_01B3))
    return PCG32(seed: seed, stream: mixSeed(role.rawValue ^ salt))
  }
}
