// All parameters of a model in one contiguous buffer, gradients in a second one.
import Glibc

/// Location of one named parameter tensor inside a ParamStore.
public struct ParamRef: Sendable {
  public let offset: Int
  public let count: Int
  public let name: String
  public let shape: [Int]
}

/// Parameters and gradients, each in one contiguous buffer (optimisers run over them flat).
/// Register everything first; pointers are stable only after the last `register`.
public final class ParamStore: @unchecked Sendable {
  public let values = Buffer(0)
  public let grads = Buffer(0)
  public private(set) var params: [ParamRef] = []
  private var byName: [String: Int] = [:]
  /// Records names and shapes without allocating them: a model built on such a store tells which
  /// tensors a checkpoint must hold before any memory is sized by the checkpoint's config.
  public let shapesOnly: Bool

  public init(shapesOnly: Bool = false) { self.shapesOnly = shapesOnly }
  public var count: Int { values.count }

  public func register(_ name: String, _ shape: [Int]) -> ParamRef {
    precondition(byName[name] == nil, "duplicate parameter \(name)")
    let n = shape.reduce(1, *)
    let r = ParamRef(offset: values.count, count: n, name: name, shape: shape)
    if shapesOnly { byName[name] = params.count; params.append(r); return r }
    values.resize(values.count + n)
    grads.resize(grads.count + n)
    byName[name] = params.count
    params.append(r)
    return r
  }
  public func ref(_ name: String) -> ParamRef? { byName[name].map { params[$0] } }
  @inline(__always) public func w(_ r: ParamRef) -> UnsafeMutablePointer<Float> { values.ptr + r.offset }
  @inline(__always) public func g(_ r: ParamRef) -> UnsafeMutablePointer<Float> { grads.ptr + r.offset }
  public func zeroGrad() { grads.zero() }

  /// Fills parameters from a seeded generator: normal(mean, std) or uniform(±bound).
  public func fillNormal(_ r: ParamRef, mean: Float = 0, std: Float, rng: inout SplitMix) {
    let p = w(r)
    for i in 0..<r.count { p[i] = mean + std * rng.normal() }
  }
  public func fillUniform(_ r: ParamRef, bound: Float, rng: inout SplitMix) {
    let p = w(r)
    for i in 0..<r.count { p[i] = (2 * rng.uniform() - 1) * bound }
  }
  public func fill(_ r: ParamRef, _ v: Float) { w(r).update(repeating: v, count: r.count) }
}

