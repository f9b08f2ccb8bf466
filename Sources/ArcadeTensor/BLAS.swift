// Row-major cblas wrappers with Int dimensions.
import CBLAS

public enum BLAS {
  /// C[M,N] = alpha * op(A) op(B) + beta * C. op(A) is M×K, op(B) is K×N; lda/ldb/ldc are row strides.
  /// Large products are split over `Parallel.threads` workers by columns of C (OpenBLAS itself runs
  /// single-threaded, so its idle threads never spin against our workers).
  public static func gemm(
    transA: Bool = false, transB: Bool = false, _ m: Int, _ n: Int, _ k: Int,
    alpha: Float = 1, _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
    beta: Float = 0, _ c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    let t = Parallel.threads
    if t <= 1 || m * n * k < 2_000_000 || n < 64 {
      gemm1(transA: transA, transB: transB, m, n, k, alpha: alpha, a, lda: lda, b, ldb: ldb, beta: beta, c, ldc: ldc)
      return
    }
    let ap = SendablePtr(UnsafeMutablePointer(mutating: a)), bp = SendablePtr(UnsafeMutablePointer(mutating: b))
    let cp = SendablePtr(c)
    Parallel.forEach(t) { i in
      let j0 = (n * i / t) & ~15, j1 = i == t - 1 ? n : (n * (i + 1) / t) & ~15
      if j1 <= j0 { return }
      // columns j0..<j1 of C need columns j0..<j1 of op(B): B[:, j] (no trans) or rows of B (trans)
      let bs = transB ? bp.p + j0 * ldb : bp.p + j0
      gemm1(transA: transA, transB: transB, m, j1 - j0, k, alpha: alpha, ap.p, lda: lda, bs, ldb: ldb,
            beta: beta, cp.p + j0, ldc: ldc)
    }
  }

  /// Single-threaded gemm on the calling thread (for use inside our own parallel workers).
  @inline(__always)
  public static func gemm1(
    transA: Bool = false, transB: Bool = false, _ m: Int, _ n: Int, _ k: Int,
    alpha: Float = 1, _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
    beta: Float = 0, _ c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    if m == 0 || n == 0 { return }
    cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
  }

  /// y[M or N] = alpha * op(A) x + beta * y, A is M×N row-major.
  @inline(__always)
  public static func gemv(
    trans: Bool = false, _ m: Int, _ n: Int, alpha: Float = 1, _ a: UnsafePointer<Float>, lda: Int,
    _ x: UnsafePointer<Float>, beta: Float = 0, _ y: UnsafeMutablePointer<Float>
  ) {
    cblas_sgemv(CblasRowMajor, trans ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), alpha, a,
                Int32(lda), x, 1, beta, y, 1)
  }

  /// dst[n,m] = src[m,n]ᵀ (row-major), on the calling thread.
  public static func transpose(_ src: UnsafePointer<Float>, rows m: Int, cols n: Int, into dst: UnsafeMutablePointer<Float>) {
    if m == 0 || n == 0 { return }
    cblas_somatcopy(CblasRowMajor, CblasTrans, Int32(m), Int32(n), 1, src, Int32(n), dst, Int32(m))
  }

  /// OpenBLAS's own thread count (we keep it at 1 and parallelise large gemms ourselves).
  public static func setThreads(_ n: Int) { openblas_set_num_threads(Int32(n)) }
}
