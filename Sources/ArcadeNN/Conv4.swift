// Conv-4 encoder (Vinyals et al. 2016, as in the SRWM paper's few-shot model): 4 × [Conv3×3 → BatchNorm → MaxPool 2×2 → Dropout → ReLU], flatten.
// Parameter names follow nn.Sequential indices: net.{0,5,10,15} convs, net.{1,6,11,16} batch norms.
import ArcadeTensor

public final class Conv4 {
  final class Block: ConvStage {
    let conv: Conv2d, bn: BatchNorm2d
    let pool = MaxPool2d(kernel: 2, stride: 2, pad: 0)
    let drop: Dropout
    let c = Buffer(), n = Buffer(), p = Buffer(), out = Buffer()
    let cin: Int, cout: Int, H: Int, W: Int, Ho: Int, Wo: Int
    init(_ ps: ParamStore, _ name: String, _ i: Int, cin: Int, cout: Int, H: Int, W: Int, dropout: Float, seed: UInt64) {
      self.cin = cin; self.cout = cout; self.H = H; self.W = W
      conv = Conv2d(ps, name + "net.\(5 * i)", cin: cin, cout: cout)
      // Winograd pays where the products dominate: the layers after the first (64 → 64 channels).
      conv.winograd = cin >= 16
      bn = BatchNorm2d(ps, name + "net.\(5 * i + 1)", channels: cout)
      Ho = pool.outSize(H); Wo = pool.outSize(W)
      drop = Dropout(p: dropout, seed: seed &+ UInt64(i))
    }

    func forward(_ input: UnsafePointer<Float>, N: Int) -> UnsafePointer<Float> {
      let n1 = N * cout * H * W, n2 = N * cout * Ho * Wo
      conv.forward(input, c.resize(n1), N: N, H: H, W: W)
      bn.forward(c.ptr, n.resize(n1), N: N, HW: H * W)
      pool.forward(n.ptr, p.resize(n2), NC: N * cout, H: H, W: W)
      drop.forward(p.ptr, n2)
      PAct.relu(p.ptr, out.resize(n2), n2)
      return UnsafePointer(out.ptr)
    }
  }
  let blocks: [Block]
  public let featureDim: Int
  /// The four batch norms (their running statistics belong in checkpoints).
  public var batchNorms: [BatchNorm2d] { blocks.map(\.bn) }
  let g1 = Buffer(), g2 = Buffer()
  var N = 0

  public init(_ ps: ParamStore, _ name: String, inChannels: Int, channels: Int, H: Int, W: Int,
              dropout: Float = 0, seed: UInt64 = 1) {
    let p = name.isEmpty ? "" : name + "."
    var b: [Block] = [], cin = inChannels, h = H, w = W
    for i in 0..<4 {
      let blk = Block(ps, p, i, cin: cin, cout: channels, H: h, W: w, dropout: dropout, seed: seed)
      b.append(blk); cin = channels; h = blk.Ho; w = blk.Wo
    }
    blocks = b
    featureDim = channels * h * w
  }
  public func initDefault(_ rng: inout SplitMix) { for b in blocks { b.conv.initDefault(&rng); b.bn.initDefault() } }
  public var training: Bool {
    get { blocks[0].bn.training }
    set { for b in blocks { b.bn.training = newValue; b.drop.training = newValue } }
  }

  /// x [N,Cin,H,W] -> features [N, featureDim]; pointer owned by the encoder.
  @discardableResult
  public func forward(_ x: UnsafePointer<Float>, N: Int) -> UnsafeMutablePointer<Float> {
    self.N = N
    blocks.forward(x, N: N)
    return blocks.last!.out.ptr
  }

  /// dFeatures -> dx (nil = skip the input gradient).
  public func backward(_ x: UnsafePointer<Float>, _ dFeat: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>?) {
    let N = N
    Vec.copy(dFeat, g1.resize(N * featureDim), N * featureDim)
    for i in stride(from: 3, through: 0, by: -1) {
      let b = blocks[i]
      let n1 = N * b.cout * b.H * b.W, n2 = N * b.cout * b.Ho * b.Wo
      PAct.reluBackward(b.out.ptr, g1.ptr, g1.ptr, n2)
      b.drop.backward(g1.ptr, n2)
      if b.bn.training {
        b.bn.backwardThroughMaxPool(b.c.ptr, g1.ptr, b.pool, pooled: b.Ho * b.Wo, g2.resize(n1), N: N, HW: b.H * b.W)
      } else {
        b.pool.backward(g1.ptr, g2.resize(n1), NC: N * b.cout, H: b.H, W: b.W)
        b.bn.backward(b.c.ptr, g2.ptr, g2.ptr, N: N, HW: b.H * b.W)
      }
      let input: UnsafePointer<Float> = i == 0 ? x : UnsafePointer(blocks[i - 1].out.ptr)
      if i == 0 {
        if let dx { b.conv.backward(input, g2.ptr, dx, N: N, H: b.H, W: b.W) }
        else { b.conv.backward(input, g2.ptr, nil, N: N, H: b.H, W: b.W) }
      } else {
        b.conv.backward(input, g2.ptr, g1.resize(N * b.cin * b.H * b.W), N: N, H: b.H, W: b.W)
      }
    }
  }
}
