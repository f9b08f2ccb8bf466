// Winograd F(2×2, 3×3) transforms (Lavin & Gray 2016): a 3×3 convolution of a 4×4 input tile gives a
// 2×2 output tile with 16 products instead of 36. Over a layer the products become 16 gemms, one per
// tile position ξ, of [cout × cin] by [cin × tiles]: 2.25 times fewer multiplications than im2col + sgemm.
//
// Forward: U = G g Gᵀ (weights), V = Bᵀ d B (input tiles), M_ξ = U_ξ V_ξ, y = Aᵀ M A.
// Backward is the exact adjoint of those steps: dM = A dy Aᵀ, dU_ξ = dM_ξ V_ξᵀ, dg = Gᵀ dU G,
// dV_ξ = U_ξᵀ dM_ξ, dd = B dV Bᵀ (added into the overlapping input tiles).
//
// Layouts: a tile-position-major matrix X[ξ][row][t] keeps `s` floats between positions (ξ = 4·i + j for
// tile row i, column j), so each ξ slice is an ordinary row-major matrix for sgemm. The tiles of one
// plane are numbered ty·tiles(W) + tx; tile (ty, tx) reads input rows 2ty−1 ... 2ty+2.

enum Winograd3x3 {
  /// Output tiles along a side of n pixels (the last tile hangs over by one when n is odd).
  static func tiles(_ n: Int) -> Int { (n + 1) / 2 }

  typealias V8 = SIMD8<Float>

  /// The plane transforms run eight tiles of a tile row at once, on planes whose rows are split into even
  /// and odd columns (tile tx reads columns 2tx ... 2tx+3: even[tx], odd[tx], even[tx+1], odd[tx+1]).
  /// Length of each half row: the tiles rounded up to whole vectors, plus a vector of slack.
  static func halfRow(_ W: Int) -> Int { (tiles(W) + 7) / 8 * 8 + 8 }

  /// Floats of a split plane: the 2·tiles(H) + 2 rows that the input tiles read, with border.
  static func planeCount(H: Int, W: Int) -> Int { (2 * tiles(H) + 2) * 2 * halfRow(W) }

  /// Floats of a tile matrix with `rows` rows of T tiles: the 16 positions, each followed by a vector of
  /// slack, because the transforms store whole vectors: the lanes past a tile row's end land on tiles
  /// (or slack) written after them.
  static func matrixStride(rows: Int, T: Int) -> Int { rows * T + 8 }

  @inline(__always) static func load(_ p: UnsafePointer<Float>) -> V8 { UnsafeRawPointer(p).loadUnaligned(as: V8.self) }
  @inline(__always) static func store(_ p: UnsafeMutablePointer<Float>, _ v: V8) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: V8.self)
  }

  /// The 1-D transforms, applied along the columns and then the rows of each tile.
  /// Bᵀ p (input): p0−p2, p1+p2, p2−p1, p1−p3.
  @inline(__always) static func bt(_ p0: V8, _ p1: V8, _ p2: V8, _ p3: V8) -> (V8, V8, V8, V8) {
    (p0 - p2, p1 + p2, p2 - p1, p1 - p3)
  }
  /// B q, the adjoint of Bᵀ (input gradient).
  @inline(__always) static func b(_ q0: V8, _ q1: V8, _ q2: V8, _ q3: V8) -> (V8, V8, V8, V8) {
    (q0, q1 - q2 + q3, q1 + q2 - q0, -q3)
  }
  /// Aᵀ m (output): m0+m1+m2, m1−m2−m3.
  @inline(__always) static func at(_ m0: V8, _ m1: V8, _ m2: V8, _ m3: V8) -> (V8, V8) {
    (m0 + m1 + m2, m1 - m2 - m3)
  }
  /// A g, the adjoint of Aᵀ (output gradient).
  @inline(__always) static func a(_ g0: V8, _ g1: V8) -> (V8, V8, V8, V8) {
    (g0, g0 + g1, g0 - g1, -g1)
  }
  /// G g (weights): g0, (g0+g1+g2)/2, (g0−g1+g2)/2, g2.
  @inline(__always) static func g(_ g0: Float, _ g1: Float, _ g2: Float) -> (Float, Float, Float, Float) {
    (g0, 0.5 * (g0 + g1 + g2), 0.5 * (g0 - g1 + g2), g2)
  }
  /// Gᵀ u, the adjoint of G (weight gradient).
  @inline(__always) static func gt(_ u0: Float, _ u1: Float, _ u2: Float, _ u3: Float) -> (Float, Float, Float) {
    (u0 + 0.5 * (u1 + u2), 0.5 * (u1 - u2), 0.5 * (u1 + u2) + u3)
  }

  // MARK: - Weights

  /// u[ξ][co][ci] = (G g Gᵀ)[ξ] for weights w [cout, cin, 3, 3].
  static func transformWeights(_ w: UnsafePointer<Float>, _ u: UnsafeMutablePointer<Float>, cin: Int, cout: Int) {
    let s = cout * cin
    for k in 0..<s {
      let w = w + 9 * k
      let c0 = g(w[0], w[3], w[6]), c1 = g(w[1], w[4], w[7]), c2 = g(w[2], w[5], w[8])   // G g, by columns
      let o = u + k
      @inline(__always) func row(_ i: Int, _ r: (Float, Float, Float, Float)) {
        let p = o + 4 * i * s
        p[0] = r.0; p[s] = r.1; p[2 * s] = r.2; p[3 * s] = r.3
      }
      row(0, g(c0.0, c1.0, c2.0)); row(1, g(c0.1, c1.1, c2.1)); row(2, g(c0.2, c1.2, c2.2)); row(3, g(c0.3, c1.3, c2.3))
    }
  }

  /// dw[co, ci, 3, 3] += (Gᵀ dU G) for du[ξ][co][ci].
  static func accumulateWeightGradient(_ du: UnsafePointer<Float>, _ dw: UnsafeMutablePointer<Float>, cin: Int, cout: Int) {
    let s = cout * cin
    for k in 0..<s {
      let d = du + k, dw = dw + 9 * k
      // Gᵀ on each of the 4 columns, then Gᵀ on each of the resulting 3 rows.
      let k0 = gt(d[0], d[4 * s], d[8 * s], d[12 * s]), k1 = gt(d[s], d[5 * s], d[9 * s], d[13 * s])
      let k2 = gt(d[2 * s], d[6 * s], d[10 * s], d[14 * s]), k3 = gt(d[3 * s], d[7 * s], d[11 * s], d[15 * s])
      let r0 = gt(k0.0, k1.0, k2.0, k3.0), r1 = gt(k0.1, k1.1, k2.1, k3.1), r2 = gt(k0.2, k1.2, k2.2, k3.2)
      dw[0] += r0.0; dw[1] += r0.1; dw[2] += r0.2
      dw[3] += r1.0; dw[4] += r1.1; dw[5] += r1.2
      dw[6] += r2.0; dw[7] += r2.1; dw[8] += r2.2
    }
  }

  // MARK: - Planes

  /// Splits rows of `src` [rows, W] into even and odd columns: split row r0 + y gets source row y shifted
  /// right by `shift` (0 or 1, the input's left border) columns, zeros elsewhere; rows 0..<rowsOut are written.
  static func split(_ src: UnsafePointer<Float>, rows: Int, W: Int, shift: Int, into p: UnsafeMutablePointer<Float>,
                    r0: Int, rowsOut: Int, L: Int) {
    p.update(repeating: 0, count: rowsOut * 2 * L)
    for y in 0..<rows {
      let even = p + (r0 + y) * 2 * L, odd = even + L
      // Source column x goes to column x + shift: with shift 1, even columns land in the odd half.
      if shift == 0 {
        deinterleave(src + y * W, W, first: even, second: odd)
      } else {
        deinterleave(src + y * W, W, first: odd, second: even + 1)
      }
    }
  }

  /// first[k] = row[2k], second[k] = row[2k+1] for the n entries of row.
  @inline(__always)
  static func deinterleave(_ row: UnsafePointer<Float>, _ n: Int, first: UnsafeMutablePointer<Float>, second: UnsafeMutablePointer<Float>) {
    var k = 0
    while 2 * k + 16 <= n {
      let v = UnsafeRawPointer(row + 2 * k).loadUnaligned(as: SIMD16<Float>.self)
      store(first + k, v.evenHalf); store(second + k, v.oddHalf)
      k += 8
    }
    while k < n / 2 { first[k] = row[2 * k]; second[k] = row[2 * k + 1]; k += 1 }
    if n & 1 == 1 { first[n / 2] = row[n - 1] }
  }

  /// row[2k] (+)= first[k] + bias, row[2k+1] (+)= second[k] + bias for the n entries of row.
  @inline(__always)
  static func interleave(first: UnsafePointer<Float>, second: UnsafePointer<Float>, into row: UnsafeMutablePointer<Float>, _ n: Int,
                         bias: Float = 0, accumulate: Bool = false) {
    var k = 0
    while 2 * k + 16 <= n {
      let a = load(first + k) + bias, b = load(second + k) + bias
      var v = SIMD16<Float>(a[0], b[0], a[1], b[1], a[2], b[2], a[3], b[3], a[4], b[4], a[5], b[5], a[6], b[6], a[7], b[7])
      let o = UnsafeMutableRawPointer(row + 2 * k)
      if accumulate { v += o.loadUnaligned(as: SIMD16<Float>.self) }
      o.storeBytes(of: v, as: SIMD16<Float>.self)
      k += 8
    }
    let row = row + 2 * k, first = first + k, second = second + k, n = n - 2 * k
    if accumulate {
      for k in 0..<(n / 2) { row[2 * k] += first[k]; row[2 * k + 1] += second[k] }
      if n & 1 == 1 { row[n - 1] += first[n / 2] }
    } else {
      for k in 0..<(n / 2) { row[2 * k] = first[k] + bias; row[2 * k + 1] = second[k] + bias }
      if n & 1 == 1 { row[n - 1] = first[n / 2] + bias }
    }
  }

  /// Stores the 4×4 values (rows i, columns j as r_i.j) of the tiles t0 ..< t0+8 at o[ξ·s + t0].
  @inline(__always)
  static func storeTiles(_ o: UnsafeMutablePointer<Float>, s: Int, _ r0: (V8, V8, V8, V8), _ r1: (V8, V8, V8, V8),
                         _ r2: (V8, V8, V8, V8), _ r3: (V8, V8, V8, V8)) {
    store(o, r0.0); store(o + s, r0.1); store(o + 2 * s, r0.2); store(o + 3 * s, r0.3)
    store(o + 4 * s, r1.0); store(o + 5 * s, r1.1); store(o + 6 * s, r1.2); store(o + 7 * s, r1.3)
    store(o + 8 * s, r2.0); store(o + 9 * s, r2.1); store(o + 10 * s, r2.2); store(o + 11 * s, r2.3)
    store(o + 12 * s, r3.0); store(o + 13 * s, r3.1); store(o + 14 * s, r3.2); store(o + 15 * s, r3.3)
  }

  /// The tiles of plane x [H, W] into v[ξ·s + t] (t = ty·tiles(W) + tx), through the split plane `scratch`.
  /// Writes up to 7 floats past each tile row (see matrixStride).
  static func transformInput(_ x: UnsafePointer<Float>, H: Int, W: Int, scratch: UnsafeMutablePointer<Float>,
                             _ v: UnsafeMutablePointer<Float>, s: Int) {
    let th = tiles(H), tw = tiles(W), L = halfRow(W)
    split(x, rows: H, W: W, shift: 1, into: scratch, r0: 1, rowsOut: 2 * th + 2, L: L)
    for ty in 0..<th {
      let e0 = scratch + 2 * ty * 2 * L, e1 = e0 + 2 * L, e2 = e1 + 2 * L, e3 = e2 + 2 * L
      for t0 in stride(from: 0, to: tw, by: 8) {
        // Bᵀ down each of the tile's 4 columns, then Bᵀ along each resulting row.
        @inline(__always) func column(_ off: Int) -> (V8, V8, V8, V8) {
          bt(load(e0 + off), load(e1 + off), load(e2 + off), load(e3 + off))
        }
        let k0 = column(t0), k1 = column(L + t0), k2 = column(t0 + 1), k3 = column(L + t0 + 1)
        storeTiles(v + ty * tw + t0, s: s, bt(k0.0, k1.0, k2.0, k3.0), bt(k0.1, k1.1, k2.1, k3.1),
                   bt(k0.2, k1.2, k2.2, k3.2), bt(k0.3, k1.3, k2.3, k3.3))
      }
    }
  }

  /// y [H, W] = Aᵀ M A + bias for the tiles m[ξ·s + t] of one output plane, through the split plane
  /// `scratch` (the overhanging row and column dropped). Reads up to 7 floats past the last tile.
  static func transformOutput(_ m: UnsafePointer<Float>, s: Int, bias: Float, scratch: UnsafeMutablePointer<Float>,
                              _ y: UnsafeMutablePointer<Float>, H: Int, W: Int) {
    let th = tiles(H), tw = tiles(W), L = halfRow(W)
    for ty in 0..<th {
      let top = scratch + 2 * ty * 2 * L, bottom = top + 2 * L
      for t0 in stride(from: 0, to: tw, by: 8) {
        let q = m + ty * tw + t0
        let k0 = at(load(q), load(q + 4 * s), load(q + 8 * s), load(q + 12 * s))
        let k1 = at(load(q + s), load(q + 5 * s), load(q + 9 * s), load(q + 13 * s))
        let k2 = at(load(q + 2 * s), load(q + 6 * s), load(q + 10 * s), load(q + 14 * s))
        let k3 = at(load(q + 3 * s), load(q + 7 * s), load(q + 11 * s), load(q + 15 * s))
        let r0 = at(k0.0, k1.0, k2.0, k3.0), r1 = at(k0.1, k1.1, k2.1, k3.1)
        store(top + t0, r0.0); store(top + L + t0, r0.1); store(bottom + t0, r1.0); store(bottom + L + t0, r1.1)
      }
    }
    for row in 0..<H {
      let even = scratch + row * 2 * L
      interleave(first: even, second: even + L, into: y + row * W, W, bias: bias)
    }
  }

  /// dm[ξ·s + t] = A dy Aᵀ for the 2×2 tiles of an output-gradient plane dy [H, W] (zero where a tile hangs
  /// over), through the split plane `scratch`. Writes up to 7 floats past each tile row.
  static func transformOutputGradient(_ dy: UnsafePointer<Float>, H: Int, W: Int, scratch: UnsafeMutablePointer<Float>,
                                      _ dm: UnsafeMutablePointer<Float>, s: Int) {
    let th = tiles(H), tw = tiles(W), L = halfRow(W)
    split(dy, rows: H, W: W, shift: 0, into: scratch, r0: 0, rowsOut: 2 * th, L: L)
    for ty in 0..<th {
      let e0 = scratch + 2 * ty * 2 * L, e1 = e0 + 2 * L
      for t0 in stride(from: 0, to: tw, by: 8) {
        let c0 = a(load(e0 + t0), load(e1 + t0)), c1 = a(load(e0 + L + t0), load(e1 + L + t0))   // A down each column
        storeTiles(dm + ty * tw + t0, s: s, a(c0.0, c1.0), a(c0.1, c1.1), a(c0.2, c1.2), a(c0.3, c1.3))
      }
    }
  }

  /// dx [H, W] (+)= the sum over tiles of B dV Bᵀ, collected in the split plane `scratch` first.
  static func accumulateInputGradient(_ dv: UnsafePointer<Float>, s: Int, scratch: UnsafeMutablePointer<Float>,
                                      _ dx: UnsafeMutablePointer<Float>, H: Int, W: Int, accumulate: Bool) {
    let th = tiles(H), tw = tiles(W), L = halfRow(W)
    scratch.update(repeating: 0, count: planeCount(H: H, W: W))
    for ty in 0..<th {
      for t0 in stride(from: 0, to: tw, by: 8) {
        // Lanes past the tile row's end hold other tiles' values: zeroed, since their columns overlap real ones.
        let lanes = V8(0, 1, 2, 3, 4, 5, 6, 7), past = lanes .>= V8(repeating: Float(tw - t0))
        let q = dv + ty * tw + t0
        @inline(__always) func tile(_ off: Int) -> V8 { load(q + off * s).replacing(with: 0, where: past) }
        let k0 = b(tile(0), tile(4), tile(8), tile(12)), k1 = b(tile(1), tile(5), tile(9), tile(13))
        let k2 = b(tile(2), tile(6), tile(10), tile(14)), k3 = b(tile(3), tile(7), tile(11), tile(15))
        @inline(__always) func add(_ i: Int, _ r: (V8, V8, V8, V8)) {
          let even = scratch + (2 * ty + i) * 2 * L + t0, odd = even + L
          store(even, load(even) + r.0); store(odd, load(odd) + r.1)
          store(even + 1, load(even + 1) + r.2); store(odd + 1, load(odd + 1) + r.3)
        }
        add(0, b(k0.0, k1.0, k2.0, k3.0)); add(1, b(k0.1, k1.1, k2.1, k3.1))
        add(2, b(k0.2, k1.2, k2.2, k3.2)); add(3, b(k0.3, k1.3, k2.3, k3.3))
      }
    }
    for y in 0..<H {
      // Column x of dx is column x + 1 of the bordered plane: odd[k] for x = 2k, even[k + 1] for x = 2k + 1.
      let even = scratch + (y + 1) * 2 * L
      interleave(first: even + L, second: even + 1, into: dx + y * W, W, accumulate: accumulate)
    }
  }
}
