// IMPALA CNN (Espeholt et al. 2018): per stack Conv3×3 → MaxPool 3×3/2 pad 1 → 2 × residual
// [ReLU, Conv, ReLU, Conv] + skip; final ReLU; flatten (C,H,W).
import ArcadeTensor

public final class ImpalaCNN {
  final class Res {
    let conv0: Conv2d, conv1: Conv2d
    let c0 = Buffer(), out = Buffer()        // relu inputs/outputs a0, a1 are recomputed into scratch
    init(_ ps: ParamStore, _ name: String, _ c: Int) {
      conv0 = Conv2d(ps, name + ".conv0", cin: c, cout: c)
      conv1 = Conv2d(ps, name + ".conv1", cin: c, cout: c)
      conv0.winograd = c >= 16; conv1.winograd = c >= 16
    }
  }
  final class Stack: ConvStage {
    let conv: Conv2d
    let pool = MaxPool2d(kernel: 3, stride: 2, pad: 1)
    let res: [Res]
    let poolOut = Buffer()                   // the pre-pool conv output lives in shared scratch
    /// The encoder's scratch, shared by its stacks.
    let scratch: Buffer
    let cin: Int, cout: Int, H: Int, W: Int, Ho: Int, Wo: Int
    init(_ ps: ParamStore, _ name: String, cin: Int, cout: Int, H: Int, W: Int, scratch: Buffer) {
      self.cin = cin; self.cout = cout; self.H = H; self.W = W
      self.scratch = scratch
      conv = Conv2d(ps, name + ".conv", cin: cin, cout: cout)
      conv.winograd = cin >= 16
      Ho = pool.outSize(H); Wo = pool.outSize(W)
      res = [Res(ps, name + ".res0", cout), Res(ps, name + ".res1", cout)]
    }

    /// Conv3×3 → MaxPool → 2 × residual [ReLU, Conv, ReLU, Conv] + skip; returns the last block's output.
    func forward(_ input: UnsafePointer<Float>, N: Int) -> UnsafePointer<Float> {
      let n1 = N * cout * H * W, n2 = N * cout * Ho * Wo
      conv.forward(input, scratch.resize(n1), N: N, H: H, W: W)
      pool.forward(scratch.ptr, poolOut.resize(n2), NC: N * cout, H: H, W: W)
      var r: UnsafePointer<Float> = UnsafePointer(poolOut.ptr)
      for blk in res {
        PAct.relu(r, scratch.resize(n2), n2)
        blk.conv0.forward(scratch.ptr, blk.c0.resize(n2), N: N, H: Ho, W: Wo)
        PAct.relu(blk.c0.ptr, scratch.ptr, n2)
        blk.conv1.forward(scratch.ptr, blk.out.resize(n2), N: N, H: Ho, W: Wo)
        PAct.add(r, blk.out.ptr, n2)
        r = UnsafePointer(blk.out.ptr)
      }
      return r
    }
  }
  let stacks: [Stack]
  public let featureDim: Int
  let feat = Buffer(), g1 = Buffer(), g2 = Buffer(), g3 = Buffer()
  let scratch: Buffer
  /// Features of the last forward.
  public var featPtr: UnsafePointer<Float> { UnsafePointer(feat.ptr) }
  var N = 0

  public init(_ ps: ParamStore, _ name: String, inChannels: Int = 3, channels: [Int] = [16, 32, 32], H: Int, W: Int) {
    var s: [Stack] = [], cin = inChannels, h = H, w = W
    let p = name.isEmpty ? "" : name + "."
    let scratch = Buffer()
    for (i, c) in channels.enumerated() {
      let st = Stack(ps, p + "stacks.\(i)", cin: cin, cout: c, H: h, W: w, scratch: scratch)
      s.append(st); cin = c; h = st.Ho; w = st.Wo
    }
    stacks = s
    self.scratch = scratch
    featureDim = cin * h * w
  }
  public func initDefault(_ rng: inout SplitMix) {
    for s in stacks { s.conv.initDefault(&rng); for r in s.res { r.conv0.initDefault(&rng); r.conv1.initDefault(&rng) } }
  }

  /// x [N,Cin,H,W] -> features [N, featureDim] (after the final ReLU). Returns a pointer owned by the layer.
  @discardableResult
  public func forward(_ x: UnsafePointer<Float>, N: Int) -> UnsafeMutablePointer<Float> {
    self.N = N
    PAct.relu(stacks.forward(x, N: N), feat.resize(N * featureDim), N * featureDim)
    return feat.ptr
  }

  /// dFeatures [N, featureDim] -> dx [N,Cin,H,W] (nil = don't compute the input gradient).
  public func backward(_ x: UnsafePointer<Float>, _ dFeat: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>?) {
    let N = N
    // g1 holds the running gradient w.r.t. the current stack's output.
    let last = stacks.last!.res.last!.out.ptr
    PAct.reluBackward(last, dFeat, g1.resize(N * featureDim), N * featureDim)
    for si in stride(from: stacks.count - 1, through: 0, by: -1) {
      let s = stacks[si]
      let n2 = N * s.cout * s.Ho * s.Wo
      for ri in stride(from: s.res.count - 1, through: 0, by: -1) {
        let blk = s.res[ri]
        let rin = ri == 0 ? s.poolOut.ptr : s.res[ri - 1].out.ptr
        // out = rin + conv1(relu(conv0(relu(rin))))
        PAct.relu(blk.c0.ptr, scratch.resize(n2), n2)                       // a1
        blk.conv1.backward(scratch.ptr, g1.ptr, g2.resize(n2), N: N, H: s.Ho, W: s.Wo)
        PAct.reluBackward(blk.c0.ptr, g2.ptr, g2.ptr, n2)
        PAct.relu(rin, scratch.ptr, n2)                                     // a0
        blk.conv0.backward(scratch.ptr, g2.ptr, g3.resize(n2), N: N, H: s.Ho, W: s.Wo)
        PAct.maskedAdd(rin, g3.ptr, g1.ptr, n2)                            // residual + ReLU′(rin)·da0
      }
      let n1 = N * s.cout * s.H * s.W
      s.pool.backward(g1.ptr, scratch.resize(n1), NC: N * s.cout, H: s.H, W: s.W)
      let input: UnsafePointer<Float> = si == 0 ? x : UnsafePointer(stacks[si - 1].res.last!.out.ptr)
      let nin = N * s.cin * s.H * s.W
      if si == 0 {
        s.conv.backward(input, scratch.ptr, dx, N: N, H: s.H, W: s.W)
      } else {
        s.conv.backward(input, scratch.ptr, g1.resize(nin), N: N, H: s.H, W: s.W)
      }
    }
  }
}
