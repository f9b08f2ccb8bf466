// Flat Float storage that grows on demand and never shrinks (steady state: no allocation).

/// A growable, uninitialised-then-zeroed flat Float buffer. Reference type so layers can keep
/// activation caches between forward and backward without copies.
public final class Buffer: @unchecked Sendable {
  public private(set) var ptr: UnsafeMutablePointer<Float>
  public private(set) var capacity: Int
  public private(set) var count: Int

  public init(_ n: Int = 0) {
    capacity = max(n, 1)
    ptr = .allocate(capacity: capacity)
    ptr.initialize(repeating: 0, count: capacity)
    count = n
  }
  deinit { ptr.deallocate() }

  /// Ensures room for n floats (contents are kept up to the old count) and sets count = n.
  @discardableResult
  public func resize(_ n: Int) -> UnsafeMutablePointer<Float> {
    if n > capacity {
      let p = UnsafeMutablePointer<Float>.allocate(capacity: n)
      p.initialize(repeating: 0, count: n)
      p.update(from: ptr, count: count)
      ptr.deallocate()
      ptr = p
      capacity = n
    }
    count = n
    return ptr
  }

  public func zero() { ptr.update(repeating: 0, count: count) }
  public subscript(i: Int) -> Float {
    get { ptr[i] }
    set { ptr[i] = newValue }
  }
  public var array: [Float] { Array(UnsafeBufferPointer(start: ptr, count: count)) }
}

/// Float storage with a row-major shape.
public final class Tensor: @unchecked Sendable {
  public let storage: Buffer
  public private(set) var shape: [Int]
  public var count: Int { storage.count }
  public var ptr: UnsafeMutablePointer<Float> { storage.ptr }

  public init(_ shape: [Int]) {
    self.shape = shape
    storage = Buffer(shape.reduce(1, *))
  }
  public convenience init(_ shape: [Int], _ values: [Float]) {
    self.init(shape)
    precondition(values.count == count, "Tensor: \(values.count) values for shape \(shape)")
    values.withUnsafeBufferPointer { ptr.update(from: $0.baseAddress!, count: count) }
  }
  /// Changes the shape, growing storage if needed.
  public func reshape(_ s: [Int]) { shape = s; storage.resize(s.reduce(1, *)) }
  public func zero() { storage.zero() }
  public var array: [Float] { storage.array }
}

/// Lets pointers cross into concurrently executed closures. Workers must touch disjoint ranges.
public struct SendablePtr: @unchecked Sendable {
  public let p: UnsafeMutablePointer<Float>
  public init(_ p: UnsafeMutablePointer<Float>) { self.p = p }
}
