import Synchronization

/// The envs handed out to C. A handle is not a pointer but slot + 1 (low 32
/// bits) and the slot's generation (high 32 bits); destroying bumps the
/// generation, so a destroyed, stale or forged handle finds no entry and is
/// reported as an error instead of being dereferenced.
struct HandleTable: ~Copyable {
  var envs: [CEnv?] = []
  var generations: [UInt32] = []
  var free: [Int] = []

  static func encode(slot: Int, generation: UInt32) -> OpaquePointer? {
    OpaquePointer(bitPattern: UInt(UInt64(generation) << 32 | UInt64(slot + 1)))
  }

  static func decode(_ p: OpaquePointer?) -> (slot: Int, generation: UInt32)? {
    guard let p else { return nil }
    let raw = UInt64(UInt(bitPattern: p))
    let low = raw & 0xFFFF_FFFF
    guard low >= 1 else { return nil }
    return (Int(low - 1), UInt32(raw >> 32))
  }

  mutating func insert(_ env: CEnv) -> OpaquePointer? {
    let slot: Int
    if let s = free.popLast() {
      slot = s
      envs[s] = env
    } else {
      slot = envs.count
      envs.append(env)
      generations.append(1)
    }
    return HandleTable.encode(slot: slot, generation: generations[slot])
  }

  func lookup(_ p: OpaquePointer?) -> CEnv? {
    guard let (slot, generation) = HandleTable.decode(p), slot < envs.count,
          generations[slot] == generation else { return nil }
    return envs[slot]
  }

  /// Takes the env out of the table; its handle never matches again.
  mutating func remove(_ p: OpaquePointer?) -> CEnv? {
    guard let env = lookup(p), let (slot, _) = HandleTable.decode(p) else { return nil }
    envs[slot] = nil
    // Generation 0 is never handed out, so a wrapped counter skips it.
    generations[slot] = generations[slot] == UInt32.max ? 1 : generations[slot] + 1
    free.append(slot)
    return env
  }
}

let handles = Mutex(HandleTable())
