// Pre-LN feed-forward block: out = x + Dropout(fc2(Dropout(ReLU(fc1(LN(x)))))).
import ArcadeTensor

public final class FFBlock {
  public let ln: LayerNorm
  public let fc1: Linear, fc2: Linear
  public let dim: Int, hidden: Int
  public let drop1: Dropout, drop2: Dropout
  let xn = Buffer(), h = Buffer(), a = Buffer(), dA = Buffer(), dXn = Buffer(), dOut = Buffer()

  public init(_ ps: ParamStore, _ name: String, dim: Int, hidden: Int, dropout: Float = 0, seed: UInt64 = 0) {
    self.dim = dim; self.hidden = hidden
    drop1 = Dropout(p: dropout, seed: seed &* 2 &+ 1); drop2 = Dropout(p: dropout, seed: seed &* 2 &+ 2)
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
    drop1.forward(a.ptr, n * hidden)
    fc2.forward(a.ptr, y, n: n)                 // [n,D]
    drop2.forward(y, n * dim)
    Vec.add(x, y, n * dim)
  }

  /// dy[n,D] -> dx[n,D]; uses caches of the last forward.
  public func backward(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, n: Int) {
    dA.resize(n * hidden); dXn.resize(n * dim)
    var g = dy
    if drop2.active { Vec.copy(dy, dOut.resize(n * dim), n * dim); drop2.backward(dOut.ptr, n * dim); g = UnsafePointer(dOut.ptr) }
    fc2.backward(a.ptr, g, dA.ptr, n: n)
    drop1.backward(dA.ptr, n * hidden)
    Act.reluBackward(h.ptr, dA.ptr, dA.ptr, n * hidden)
    fc1.backward(xn.ptr, dA.ptr, dXn.ptr, n: n)
    Vec.copy(dy, dx, n * dim)
    ln.backward(x, dXn.ptr, dx, n: n, accumulate: true)
  }
}
