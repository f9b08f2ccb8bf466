// Spatial encoder for symbolic grid observations [N, C, H, W] (0/1 planes): per stage
// Conv3×3 → MaxPool 3×3/2 pad 1 → ReLU, flatten (C, H, W). Unlike flatten → linear, the
// convolutions see which objects are next to which (the mouse beside the cheese) wherever they are.
// The last stage skips the pool, so small grids keep their detail.
import ArcadeTensor

public final class GridCNN {
  final class Stage: ConvStage {
    let conv: Conv2d
    let pool: MaxPool2d?
    let convOut = Buffer(), pooled = Buffer(), out = Buffer()
    let cout: Int, H: Int, W: Int, Ho: Int, Wo: Int
    init(_ ps: ParamStore, _ name: String, cin: Int, cout: Int, H: Int, W: Int, pooled: Bool) {
      self.cout = cout; self.H = H; self.W = W
      conv = Conv2d(ps, name + ".conv", cin: cin, cout: cout)
      conv.winograd = cin >= 16
      pool = pooled ? MaxPool2d(kernel: 3, stride: 2, pad: 1) : nil
      Ho = pool?.outSize(H) ?? H; Wo = pool?.outSize(W) ?? W
    }
    /// The ReLU's input: the pooled conv output, or the conv output itself.
    var preActivation: UnsafeMutablePointer<Float> { pool == nil ? convOut.ptr : pooled.ptr }

    /// Conv3×3 → MaxPool (if any) → ReLU.
    func forward(_ input: UnsafePointer<Float>, N: Int) -> UnsafePointer<Float> {
      let n1 = N * cout * H * W, n2 = N * cout * Ho * Wo
      conv.forward(input, convOut.resize(n1), N: N, H: H, W: W)
      if let pool { pool.forward(convOut.ptr, pooled.resize(n2), NC: N * cout, H: H, W: W) }
      PAct.relu(preActivation, out.resize(n2), n2)
      return UnsafePointer(out.ptr)
    }
  }
  let stages: [Stage]
  public let featureDim: Int
  /// The largest conv output of one sample (sizes the backward's scratch).
  let largestStage: Int
  let g1 = Buffer(), g2 = Buffer()
  var N = 0

  /// The default channels: 16 at full resolution keeps the first stage cheap on 25×25 grids.
  public static let defaultChannels = [16, 32, 32]

  public init(_ ps: ParamStore, _ name: String, inChannels: Int, channels: [Int] = GridCNN.defaultChannels, H: Int, W: Int) {
    let p = name.isEmpty ? "" : name + "."
    var s: [Stage] = [], cin = inChannels, h = H, w = W
    for (i, c) in channels.enumerated() {
      let st = Stage(ps, p + "stages.\(i)", cin: cin, cout: c, H: h, W: w, pooled: i < channels.count - 1)
      s.append(st); cin = c; h = st.Ho; w = st.Wo
    }
    stages = s
    featureDim = cin * h * w
    largestStage = s.map { $0.cout * $0.H * $0.W }.max() ?? 0
  }

  public func initDefault(_ rng: inout SplitMix) { for s in stages { s.conv.initDefault(&rng) } }

  /// Features of the last forward [N, featureDim].
  public var featPtr: UnsafePointer<Float> { UnsafePointer(stages.last!.out.ptr) }

  /// x [N,C,H,W] -> features [N, featureDim] (after the last ReLU); the pointer is owned by the encoder.
  @discardableResult
  /// `forBackward` false (acting): no backward follows, so the pools skip their argmax indices.
  public func forward(_ x: UnsafePointer<Float>, N: Int, forBackward: Bool = true) -> UnsafePointer<Float> {
    self.N = N
    for s in stages { s.pool?.recordsIndices = forBackward }
    return stages.forward(x, N: N)
  }

  /// dFeatures [N, featureDim] -> dx [N,C,H,W] (nil = no input gradient); parameter gradients accumulated.
  public func backward(_ x: UnsafePointer<Float>, _ dFeat: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>?) {
    let N = N
    // Two scratch buffers, each as large as the largest conv output, used in turn: sized once here
    // so no pointer moves during the pass.
    let a = g1.resize(N * largestStage), b = g2.resize(N * largestStage)
    var dOut = dFeat
    for si in stride(from: stages.count - 1, through: 0, by: -1) {
      let s = stages[si]
      PAct.reluBackward(s.preActivation, dOut, a, N * s.cout * s.Ho * s.Wo)   // dOut may be a
      var dConv = UnsafePointer(a), spare = b
      if let pool = s.pool {
        pool.backward(a, b, NC: N * s.cout, H: s.H, W: s.W)
        dConv = UnsafePointer(b); spare = a
      }
      let input: UnsafePointer<Float> = si == 0 ? x : UnsafePointer(stages[si - 1].out.ptr)
      s.conv.backward(input, dConv, si == 0 ? dx : spare, N: N, H: s.H, W: s.W)
      dOut = UnsafePointer(spare)
    }
  }
}
