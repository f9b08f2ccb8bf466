// Row-major cblas wrappers with Int dimensions.
import CBLAS

public enum BLAS {
  /// C[M,N] = alpha * op(A) op(B) + beta * C. op(A) is M×K, op(B) is K×N; lda/ldb/ldc are row strides.
  @inline(__always)
  public static func gemm(
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

  public static func setThreads(_ n: Int) { openblas_set_num_threads(Int32(n)) }
}
