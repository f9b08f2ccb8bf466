#if canImport(Glibc)
import Glibc
#endif

/// Open MPI, loaded at run time. Only a process started by Open MPI's `mpirun` (which sets
/// OMPI_COMM_WORLD_SIZE) loads `libmpi.so.40`; the build needs no MPI headers or libraries, and without
/// `mpirun` nothing is loaded. The predefined handles (MPI_COMM_WORLD, MPI_FLOAT, MPI_SUM, …) are, in Open
/// MPI's ABI, the addresses of its global objects `ompi_mpi_comm_world`, `ompi_mpi_float`, … .
/// Calls must come from the thread that started MPI (MPI_THREAD_FUNNELED).
public final class OpenMPI {
  public let rank: Int
  public let size: Int

  typealias InitThreadFn = @convention(c) (UnsafeMutablePointer<Int32>?, UnsafeMutableRawPointer?, Int32,
                                           UnsafeMutablePointer<Int32>) -> Int32
  typealias CommQueryFn = @convention(c) (OpaquePointer, UnsafeMutablePointer<Int32>) -> Int32
  typealias AllreduceFn = @convention(c) (UnsafeRawPointer?, UnsafeMutableRawPointer?, Int32, OpaquePointer,
                                          OpaquePointer, OpaquePointer) -> Int32
  typealias BcastFn = @convention(c) (UnsafeMutableRawPointer?, Int32, OpaquePointer, Int32, OpaquePointer) -> Int32
  typealias BarrierFn = @convention(c) (OpaquePointer) -> Int32
  typealias AbortFn = @convention(c) (OpaquePointer, Int32) -> Int32
  typealias FinalizeFn = @convention(c) () -> Int32

  let allreduce: AllreduceFn, bcast: BcastFn, barrierFn: BarrierFn, abortFn: AbortFn, finalizeFn: FinalizeFn
  let world: OpaquePointer, float: OpaquePointer, double: OpaquePointer, byte: OpaquePointer, sumOp: OpaquePointer
  var finished = false

  /// The library tried first; `ARCADE_LIBMPI` overrides it.
  public static let libraryNames = ["libmpi.so.40", "libmpi.so"]

  /// Starts MPI when this process was started by Open MPI's `mpirun`; nil otherwise. Throws (a one-line
  /// message) when it was but the library cannot be loaded, or when another MPI's launcher started it.
  public static func startIfLaunched(environment env: [String: String]) throws -> OpenMPI? {
    guard env["OMPI_COMM_WORLD_SIZE"] != nil else {
      if env["PMI_SIZE"] != nil || env["PMI_RANK"] != nil {
        throw MPIError("started by an MPI launcher other than Open MPI's mpirun (PMI_SIZE is set); only Open MPI is supported")
      }
      return nil
    }
    return try OpenMPI(libraries: env["ARCADE_LIBMPI"].map { [$0] } ?? libraryNames)
  }

  init(libraries: [String]) throws {
    var handle: UnsafeMutableRawPointer?
    var problems: [String] = []
    for name in libraries where handle == nil {
      // RTLD_GLOBAL: Open MPI's plug-ins resolve their symbols against libmpi.
      handle = dlopen(name, RTLD_NOW | RTLD_GLOBAL)
      if handle == nil { problems.append(dlerror().map { String(cString: $0) } ?? name) }
    }
    guard let handle else {
      throw MPIError("started by mpirun, but Open MPI's library cannot be loaded (\(problems.joined(separator: "; "))); install openmpi-bin (tools/setup does)")
    }
    func symbol(_ name: String) throws -> UnsafeMutableRawPointer {
      guard let p = dlsym(handle, name) else { throw MPIError("\(libraries[0]) has no symbol \(name): not Open MPI?") }
      return p
    }
    func function<F>(_ name: String, _: F.Type) throws -> F { unsafeBitCast(try symbol(name), to: F.self) }
    let initThread = try function("MPI_Init_thread", InitThreadFn.self)
    let commRank = try function("MPI_Comm_rank", CommQueryFn.self)
    let commSize = try function("MPI_Comm_size", CommQueryFn.self)
    allreduce = try function("MPI_Allreduce", AllreduceFn.self)
    bcast = try function("MPI_Bcast", BcastFn.self)
    barrierFn = try function("MPI_Barrier", BarrierFn.self)
    abortFn = try function("MPI_Abort", AbortFn.self)
    finalizeFn = try function("MPI_Finalize", FinalizeFn.self)
    world = OpaquePointer(try symbol("ompi_mpi_comm_world"))
    float = OpaquePointer(try symbol("ompi_mpi_float"))
    double = OpaquePointer(try symbol("ompi_mpi_double"))
    byte = OpaquePointer(try symbol("ompi_mpi_byte"))
    sumOp = OpaquePointer(try symbol("ompi_mpi_op_sum"))
    var provided: Int32 = 0
    let funneled: Int32 = 1  // MPI_THREAD_FUNNELED: only the main thread calls MPI; others may exist.
    guard initThread(nil, nil, funneled, &provided) == 0 else { throw MPIError("MPI_Init_thread failed") }
    var r: Int32 = 0, s: Int32 = 0
    _ = commRank(world, &r)
    _ = commSize(world, &s)
    rank = Int(r); size = Int(s)
  }

  /// Ends every process of the job with `code` (after a message on this one), instead of leaving the
  /// others waiting in a collective call.
  public func abort(_ code: Int32) -> Never {
    _ = abortFn(world, code)
    exit(code)
  }

  /// Call once at the end of a successful run.
  public func finish() {
    guard !finished else { return }
    finished = true
    _ = finalizeFn()
  }

  func check(_ rc: Int32, _ what: String) {
    guard rc != 0 else { return }
    OpenMPI.printError("arcade: rank \(rank): \(what) failed (MPI error \(rc))")
    abort(1)
  }

  /// One line on standard error (written whole, so ranks' lines do not interleave).
  public static func printError(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
  }

  /// Open MPI counts elements in Int32: larger buffers go in pieces.
  static let piece = 1 << 28

  public func sum(_ values: UnsafeMutablePointer<Float>, count: Int) {
    for start in stride(from: 0, to: count, by: OpenMPI.piece) {
      let n = Int32(min(OpenMPI.piece, count - start))
      check(allreduce(UnsafeRawPointer(bitPattern: 1), values + start, n, float, sumOp, world), "MPI_Allreduce")
    }
  }

  public func sum(_ values: UnsafeMutablePointer<Double>, count: Int) {
    for start in stride(from: 0, to: count, by: OpenMPI.piece) {
      let n = Int32(min(OpenMPI.piece, count - start))
      check(allreduce(UnsafeRawPointer(bitPattern: 1), values + start, n, double, sumOp, world), "MPI_Allreduce")
    }
  }

  public func broadcastFromRoot(_ bytes: UnsafeMutableRawPointer, count: Int) {
    for start in stride(from: 0, to: count, by: OpenMPI.piece) {
      check(bcast(bytes + start, Int32(min(OpenMPI.piece, count - start)), byte, 0, world), "MPI_Bcast")
    }
  }

  public func barrier() { check(barrierFn(world), "MPI_Barrier") }
}

/// A problem starting MPI (one line).
public struct MPIError: Error, CustomStringConvertible {
  public let description: String
  init(_ d: String) { description = d }
}
