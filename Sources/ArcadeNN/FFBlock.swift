// Pre-LN feed-forward block: out = x + fc2(ReLU(fc1(LN(x)))) (dropout 0).
import ArcadeTensor

public final class FFBlock {
  public let ln: LayerNorm
  public let fc1: Linear, fc2: Linear
  public let dim: Int, hidden: Int
  let xn = Buffer(), h = Buffer(), a = Buffer(), dA = Buffer(), dXn = Buffer()

  public init(_ ps: ParamStore, _ name: String, dim: Int, hidden: Int) {
    self.dim = dim; self.hidden = hidden
    ln = LayerNorm(ps, name + ".ln", dim)
    fc1 = Linear(ps, name + ".fc1", dim, hidden)
    fc2 = Linear(ps, name + ".fc2", hidden, dim)
  }
  public func initDefault(_ rng: inout SplitMix) { ln.initDefault(); fc1.initDefault(&rng); fc2.initDefault(&rng) }

  /// x[n,D] -> y[n,D] (y must not alias x)
  public func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, n: Int) {
    xn.resize(n * dim); h.resize(n * hidden); a.resize(n * hidden)
    ln.forward(x, xn.ptr, n: n)
    fc1.forward(xn.ptr, h.ptr, n: n)            // [n,F]
    Act.relu(h.ptr, a.ptr, n * hidden)
    fc2.forward(a.ptr, y, n: n)                 // [n,D]
    Vec.add(x, y, n * dim)
  }

  /// dy[n,D] -> dx[n,D]; uses caches of the last forward.
  public func backward(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, n: Int) {
    dA.resize(n * hidden); dXn.resize(n * dim)
    fc2.backward(a.ptr, dy, dA.ptr, n: n)
    Act.reluBackward(h.ptr, dA.ptr, dA.ptr, n * hidden)
    fc1.backward(xn.ptr, dA.ptr, dXn.ptr, n: n)
    Vec.copy(dy, dx, n * dim)
    ln.backward(x, dXn.ptr, dx, n: n, accumulate: true)
  }
}
