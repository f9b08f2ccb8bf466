// Which CPU a thread runs on, and a way to step off one: used by WorkerPool so that a woken worker
// does not share its caller's CPU (see WorkerPool.swift). The glibc calls are GNU extensions that the
// Glibc module does not export, so they are looked up at run time.
#if canImport(Glibc)
import Glibc
#endif

public enum CPUPlacement {
  #if os(Linux)
  private typealias GetCPU = @convention(c) () -> Int32
  /// sched_getaffinity and sched_setaffinity: (thread id, 0 = this thread; mask bytes; mask).
  private typealias Affinity = @convention(c) (Int32, Int, UnsafeMutableRawPointer) -> Int32
  private static let getCPU = dlsym(nil, "sched_getcpu").map { unsafeBitCast($0, to: GetCPU.self) }
  private static let getAffinity = dlsym(nil, "sched_getaffinity").map { unsafeBitCast($0, to: Affinity.self) }
  private static let setAffinity = dlsym(nil, "sched_setaffinity").map { unsafeBitCast($0, to: Affinity.self) }
  #endif
  /// Bytes of glibc's cpu_set_t (1024 CPUs).
  private static let maskBytes = 128

  /// The calling thread's CPU, or -1 where that cannot be asked.
  public static func current() -> Int {
    #if os(Linux)
    return getCPU.map { Int($0()) } ?? -1
    #else
    return -1
    #endif
  }

  /// The CPUs the calling thread may run on (empty where that cannot be asked).
  public static func allowed() -> [Int] {
    withMask { mask in
      guard read(mask) else { return [] }
      return (0..<(maskBytes * 8)).filter { mask[$0 / 8] & UInt8(1 << ($0 % 8)) != 0 }
    }
  }

  /// Moves the calling thread to another CPU it may run on (the kernel picks which), then gives it
  /// back its full set of CPUs, so the move is a nudge, not a pin. Does nothing if `cpu` is its only one.
  public static func leave(cpu: Int) {
    guard cpu >= 0, cpu < maskBytes * 8 else { return }
    withMask { allowed in
      withMask { others in
        guard read(allowed) else { return }
        others.copyMemory(from: UnsafeRawBufferPointer(allowed))
        others[cpu / 8] &= ~UInt8(1 << (cpu % 8))
        guard others.contains(where: { $0 != 0 }), write(others) else { return }
        _ = write(allowed)
      }
    }
  }

  /// A zeroed mask on the stack: `leave` runs in a worker's loop, which allocates nothing.
  private static func withMask<R>(_ body: (UnsafeMutableRawBufferPointer) -> R) -> R {
    withUnsafeTemporaryAllocation(byteCount: maskBytes, alignment: 8) { m in
      m.initializeMemory(as: UInt8.self, repeating: 0)
      return body(m)
    }
  }
  private static func read(_ mask: UnsafeMutableRawBufferPointer) -> Bool {
    #if os(Linux)
    return getAffinity.map { $0(0, maskBytes, mask.baseAddress!) == 0 } ?? false
    #else
    return false
    #endif
  }
  private static func write(_ mask: UnsafeMutableRawBufferPointer) -> Bool {
    #if os(Linux)
    return setAffinity.map { $0(0, maskBytes, mask.baseAddress!) == 0 } ?? false
    #else
    return false
    #endif
  }
}
