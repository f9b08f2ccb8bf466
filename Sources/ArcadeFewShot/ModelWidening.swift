// Widening a trained N-way few-shot model to more ways (`fewshot train --ways 20 --continue` a 5-way
// checkpoint). The ways appear in two places only: the label one-hot at the end of the core's input
// (the input projection's, or the LSTM's, last N columns) and the output layer's N rows. Every other
// weight carries over as it is; the added columns and rows keep the new model's fresh initialisation,
// so what the model learned about binding images to labels carries over to the label slots it knew.
import ArcadeTensor

enum ModelWidening {
  /// Copies `from` into `to`, whose tensors have the same names and shapes except for `addedWays` more
  /// trailing columns (label inputs) or trailing rows (outputs).
  static func copy(_ from: ParamStore, into to: ParamStore, addedWays k: Int, source: String) throws {
    try ParamTransfer.copy(from, into: to, source: source) { a, b, src, dst in
      if a.shape.count == 2, b.shape[0] == a.shape[0], b.shape[1] == a.shape[1] + k {
        // Label inputs: each row keeps its leading columns (image features, then the old labels).
        for r in 0..<a.shape[0] { (dst + r * b.shape[1]).update(from: src + r * a.shape[1], count: a.shape[1]) }
      } else if b.shape[0] == a.shape[0] + k, Array(a.shape.dropFirst()) == Array(b.shape.dropFirst()) {
        dst.update(from: src, count: a.count)   // outputs: the leading rows are the old classes
      } else {
        throw FewShotError("\(source): parameter \(a.name) \(a.shape) cannot be widened to \(b.shape)")
      }
    }
  }
}
