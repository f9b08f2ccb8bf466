import ArcadeTensor

/// One stage of a conv encoder (Conv-4's blocks, GridCNN's stages, IMPALA's stacks): it reads the
/// previous stage's output and keeps its own, so an encoder's forward pass is its stages in order.
protocol ConvStage: AnyObject {
  /// input [N, cin, H, W] -> output [N, cout, Ho, Wo], owned by the stage.
  func forward(_ input: UnsafePointer<Float>, N: Int) -> UnsafePointer<Float>
}

extension Array where Element: ConvStage {
  /// Runs the stages in order, each on the previous one's output (the first on `x`); returns the last output.
  @discardableResult
  func forward(_ x: UnsafePointer<Float>, N: Int) -> UnsafePointer<Float> {
    var input = x
    for s in self { input = s.forward(input, N: N) }
    return input
  }
}
