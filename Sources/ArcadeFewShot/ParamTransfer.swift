// Copying a checkpoint's weights into a model of a related shape (`fewshot train --continue` into more
// ways or another image side): tensors of equal shape are copied as they are, the others by the caller.
import ArcadeTensor

enum ParamTransfer {
  /// Copies `from` into `to` tensor by tensor (the same names, in the same order). A tensor whose shape
  /// differs goes to `adapt` (its old and new refs, and where it is read and written), which copies it
  /// its own way or throws.
  static func copy(_ from: ParamStore, into to: ParamStore, source: String,
                   adapt: (ParamRef, ParamRef, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) throws -> Void) throws {
    guard from.params.map(\.name) == to.params.map(\.name) else {
      throw FewShotError("\(source): its model has other parameters than this run's (another core or size)")
    }
    for (a, b) in zip(from.params, to.params) {
      if a.shape == b.shape { to.w(b).update(from: from.w(a), count: a.count) } else { try adapt(a, b, from.w(a), to.w(b)) }
    }
  }
}
