// Carrying a trained few-shot model over to another image side (`fewshot train --image-side 42 --continue`
// a 28×28 checkpoint). The Conv-4 kernels and batch norms do not depend on the image's size; only the
// encoder's flattened feature map does ([channels, positions]), and with it the leading columns of the
// core's input weights (the input projection's, or the LSTM's). Each new column of channel c gets the sum
// of the channel's old columns divided by the new positions, so a map that is constant over its positions
// gives the old input: a warm start, not the same model (the drawings are larger in pixels).
import ArcadeTensor

enum ImageSideTransfer {
  /// Copies `from` into `to`, whose tensors have the same names and shapes except for the feature columns of
  /// the core's input weights: `channels` × `oldPositions` of them before, `channels` × `newPositions` after,
  /// followed in both by the same label columns.
  static func copy(_ from: ParamStore, into to: ParamStore, channels C: Int, oldPositions po: Int, newPositions pn: Int,
                   source: String) throws {
    try ParamTransfer.copy(from, into: to, source: source) { a, b, src, dst in
      guard a.shape.count == 2, b.shape[0] == a.shape[0], a.shape[1] > C * po, a.shape[1] - C * po == b.shape[1] - C * pn else {
        throw FewShotError("\(source): parameter \(a.name) \(a.shape) cannot be carried over to \(b.shape) (another image side)")
      }
      let labels = a.shape[1] - C * po, ni = a.shape[1], nj = b.shape[1]
      for r in 0..<a.shape[0] {
        let s = src + r * ni, d = dst + r * nj
        for c in 0..<C {
          var sum: Float = 0
          for p in 0..<po { sum += s[c * po + p] }
          for q in 0..<pn { d[c * pn + q] = sum / Float(pn) }
        }
        (d + C * pn).update(from: s + C * po, count: labels)
      }
    }
  }
}
