/// The processes of a data-parallel run (`mpirun -np N arcade train`), as the trainer sees them. Every
/// call is collective: all ranks make the same calls in the same order, only from the thread that learns.
/// A failed call ends the whole job (the binding aborts it), so none of them throws. ArcadeRL never links
/// MPI; the `arcade` executable passes its Open MPI binding in.
public protocol TrainGroup: AnyObject {
  var rank: Int { get }
  var size: Int { get }
  /// Element-wise sum over the ranks, written back into `values` on every rank.
  func sum(_ values: UnsafeMutablePointer<Float>, count: Int)
  func sum(_ values: UnsafeMutablePointer<Double>, count: Int)
  /// Rank 0's `count` bytes, copied into `bytes` on every other rank.
  func broadcastFromRoot(_ bytes: UnsafeMutableRawPointer, count: Int)
  func barrier()
}

extension TrainGroup {
  /// Rank 0's floats on every rank (weights, optimiser state).
  func broadcastFromRoot(_ values: UnsafeMutablePointer<Float>, count: Int) {
    broadcastFromRoot(UnsafeMutableRawPointer(values), count: count * MemoryLayout<Float>.stride)
  }

  /// Rank 0's integer on every rank.
  func broadcastFromRoot(_ value: Int) -> Int {
    var v = Int64(value)
    withUnsafeMutableBytes(of: &v) { broadcastFromRoot($0.baseAddress!, count: 8) }
    return Int(v)
  }

  /// Rank 0's string on every rank.
  func broadcastFromRoot(_ text: String) -> String {
    let n = broadcastFromRoot(text.utf8.count)
    var bytes = rank == 0 ? Array(text.utf8) : [UInt8](repeating: 0, count: n)
    bytes.withUnsafeMutableBytes { if let p = $0.baseAddress { broadcastFromRoot(p, count: n) } }
    return String(decoding: bytes, as: UTF8.self)
  }
}
