import Testing
import ArcadeCore
import ArcadeGames

/// Saved states with one field out of range (the cases of issue 14): each is
/// rejected with an error naming the field, and the env keeps its state.
@Suite struct StateRestoreTests {
  /// `env`'s saved state with `value` written little-endian at `offset`.
  func patched(_ env: any Environment, at offset: Int, _ value: UInt64, width: Int) -> [UInt8] {
    var b = env.saveState()
    for k in 0..<width { b[offset + k] = UInt8(truncatingIfNeeded: value >> UInt64(8 * k)) }
    return b
  }

  /// Where the game's own data starts: after step count, return and episode length.
  func payload(_ game: String) -> Int { StateMutator.stepCountOffset(game: game, mode: .hard) + 20 }

  func expectRejected(_ env: any Environment, _ bytes: [UInt8], naming field: String) {
    let before = env.stateHash()
    do {
      try env.restoreState(bytes)
      Issue.record("accepted a state with a bad \(field)")
    } catch {
      #expect("\(error)".contains(field), "\(error)")
    }
    #expect(env.stateHash() == before, "a rejected restore changed the env")
  }

  func steppedEnv(_ game: String) throws -> any Environment {
    let env = try makeEnv(game, .hard)
    _ = randomRollout(env, steps: 30, seed: 5)
    return env
  }

  @Test func episodeLengthOfUInt64MaxIsRejected() throws {
    let env = try steppedEnv("bigfish")
    let at = StateMutator.stepCountOffset(game: "bigfish", mode: .hard) + 12
    expectRejected(env, patched(env, at: at, .max, width: 8), naming: "episode length")
  }

  @Test func stepCountBeyondTheStepLimitIsRejected() throws {
    let env = try steppedEnv("heist")
    let at = StateMutator.stepCountOffset(game: "heist", mode: .hard)
    expectRejected(env, patched(env, at: at, UInt64(Int64.max), width: 8), naming: "step count")
    expectRejected(env, patched(env, at: at, UInt64(env.stepLimit + 1), width: 8), naming: "step count")
    // The step limit itself is a state the env reaches (episode length ≥ step count).
    var atLimit = patched(env, at: at, UInt64(env.stepLimit), width: 8)
    for k in 0..<8 { atLimit[at + 12 + k] = atLimit[at + k] }
    try env.restoreState(atLimit)
    #expect(env.stepCount == env.stepLimit)
  }

  @Test func nonFiniteEpisodeReturnIsRejected() throws {
    let env = try steppedEnv("plunder")
    let at = StateMutator.stepCountOffset(game: "plunder", mode: .hard) + 8
    expectRejected(env, patched(env, at: at, UInt64(Float.nan.bitPattern), width: 4), naming: "episode return")
  }

  @Test func shipAtMinusInfinityIsRejected() throws {
    let env = try steppedEnv("caveflyer")
    let n = 40  // the hard cave's side (the grid observation is a window onto it)
    // Cave size (8 bytes), tile count (4) and tiles come before the ship.
    let at = payload("caveflyer") + 8 + 4 + n * n
    expectRejected(env, patched(env, at: at, UInt64((-Float.infinity).bitPattern), width: 4), naming: "ship x")
    expectRejected(env, patched(env, at: at, UInt64(Float(n + 5).bitPattern), width: 4), naming: "ship x")
  }

  @Test func mazeWallsOtherThanZeroOrOneAreRejected() throws {
    let env = try steppedEnv("maze")
    // Maze size (8 bytes) and wall count (4) come before the walls.
    expectRejected(env, patched(env, at: payload("maze") + 12, 7, width: 1), naming: "walls")
  }

  @Test func hugeListCountsAreRejectedBeforeAllocating() throws {
    let env = try steppedEnv("leaper")
    // Leaper: world size (8), row count (4), rows, then the lane-speed count.
    let at = payload("leaper") + 8 + 4 + env.gridShape.height
    expectRejected(env, patched(env, at: at, (1 << 24) - 1, width: 4), naming: "lane speeds count")
  }

  @Test func aRestoreThatFailsAtTheEndMarkerChangesNothing() throws {
    let env = try steppedEnv("starpilot")
    let other = try makeEnv("starpilot", .hard)
    var bytes = other.saveState()
    bytes[bytes.count - 1] ^= 0xff
    expectRejected(env, bytes, naming: "end marker")
  }
}
