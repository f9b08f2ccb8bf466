// A linear layer over mostly-zero inputs (the grid observation's 0/1 planes: a few percent of the
// C·H·W inputs are set). The rows' non-zeros are listed once per forward pass; the products then
// touch only those columns. Every output sums its terms in ascending input order and is computed by
// one worker, so results do not depend on the thread count, and forward passes over one row or
// many give the same numbers for the same row.
import ArcadeTensor

/// The non-zero entries of n rows of width `width`: row r's are at start[r]..<start[r+1].
package final class SparseRows {
  private(set) var n = 0
  private var starts = UnsafeMutablePointer<Int>.allocate(capacity: 1)
  private var index = UnsafeMutablePointer<Int32>.allocate(capacity: 0)
  private var value = UnsafeMutablePointer<Float>.allocate(capacity: 0)
  private var startCap = 1, entryCap = 0

  deinit { starts.deallocate(); index.deallocate(); value.deallocate() }

  var start: UnsafeMutablePointer<Int> { starts }
  var idx: UnsafeMutablePointer<Int32> { index }
  var val: UnsafeMutablePointer<Float> { value }

  package init() {}

  package func build(_ x: UnsafePointer<Float>, n: Int, width: Int) {
    self.n = n
    if startCap < n + 1 { starts.deallocate(); startCap = n + 1; starts = .allocate(capacity: startCap) }
    if entryCap < n * width {
      index.deallocate(); value.deallocate()
      entryCap = n * width
      index = .allocate(capacity: entryCap); value = .allocate(capacity: entryCap)
    }
    var k = 0
    let zero = SIMD16<Float>()
    for r in 0..<n {
      starts[r] = k
      let row = x + r * width
      var i = 0
      // Whole blocks of 16 zeros are skipped with one comparison.
      while i + 16 <= width {
        let v = UnsafeRawPointer(row + i).loadUnaligned(as: SIMD16<Float>.self)
        if any(v .!= zero) {
          for e in i..<(i + 16) where row[e] != 0 { index[k] = Int32(e); value[k] = row[e]; k += 1 }
        }
        i += 16
      }
      for e in i..<width where row[e] != 0 { index[k] = Int32(e); value[k] = row[e]; k += 1 }
    }
    starts[n] = k
  }
}

extension Linear {
  /// Wᵀ [in, out] into `dst` (what `forward(sparse:weightsT:)` reads).
  package func transposedWeights(into dst: Buffer) -> UnsafePointer<Float> {
    BLAS.transpose(ps.w(w), rows: outDim, cols: inDim, into: dst.resize(inDim * outDim))
    return UnsafePointer(dst.ptr)
  }

  /// y[n,out] = x Wᵀ + b for the rows listed in `rows` (the non-zeros of x[n,in]), with Wᵀ [in, out] given.
  /// Each output is (Σ over the row's non-zeros, in input order, of x·w) + b.
  package func forward(sparse rows: SparseRows, weightsT: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
    let n = rows.n, outDim = outDim
    let WT = SendablePtr(UnsafeMutablePointer(mutating: weightsT)), bias = b.map { SendablePtr(ps.w($0)) }
    let yp = SendablePtr(y)
    nonisolated(unsafe) let (s, i, v) = (rows.start, rows.idx, rows.val)
    let block = 8, blocks = (n + block - 1) / block
    Parallel.forEach(blocks) { blk in
      for r in (blk * block)..<min(n, (blk + 1) * block) {
        let o = yp.p + r * outDim
        for j in 0..<outDim { o[j] = 0 }
        for k in s[r]..<s[r + 1] {
          let wr = WT.p + Int(i[k]) * outDim, x = v[k]
          for j in 0..<outDim { o[j] += x * wr[j] }
        }
        if let bias { for j in 0..<outDim { o[j] += bias.p[j] } }
      }
    }
  }

  /// dW += dyᵀ x and db += Σ dy for the rows listed in `rows` (no gradient for x). `scratch` holds dWᵀ.
  package func backwardWeights(sparse rows: SparseRows, _ dy: UnsafePointer<Float>, scratch: Buffer) {
    let n = rows.n, inDim = inDim, outDim = outDim
    let G = SendablePtr(ps.g(w)), dyp = SendablePtr(UnsafeMutablePointer(mutating: dy))
    let T = SendablePtr(scratch.resize(inDim * outDim))
    nonisolated(unsafe) let (s, i, v) = (rows.start, rows.idx, rows.val)
    // dWᵀ[c, j] sums the rows in order; the workers split the output units j.
    let block = 64, blocks = (outDim + block - 1) / block
    Parallel.forEach(blocks) { blk in
      let j0 = blk * block, j1 = min(outDim, j0 + block), m = j1 - j0
      for c in 0..<inDim { for j in j0..<j1 { T.p[c * outDim + j] = 0 } }
      for r in 0..<n {
        let d = dyp.p + r * outDim + j0
        for k in s[r]..<s[r + 1] {
          let t = T.p + Int(i[k]) * outDim + j0, x = v[k]
          for j in 0..<m { t[j] += x * d[j] }
        }
      }
      for j in j0..<j1 {
        let g = G.p + j * inDim
        for c in 0..<inDim { g[c] += T.p[c * outDim + j] }
      }
    }
    if let b { Vec.colSum(dy, ps.g(b), m: n, n: outDim) }
  }
}
