// SRWM-specific checks: SIMD16 path vs generic path, reversal drift, state carry + reset.
import ArcadeNN
import ArcadeTensor
import Testing

/// Runs one SRWM core forward+backward and returns (y, final ΔW, dx, dΔW_in, W0 grads).
func srwmRun(_ core: SRWMCore, _ ps: ParamStore, x: [Float], dy: [Float], L: Int, B: Int,
             state0: [Float], dState: [Float], reset: [Float]?)
  -> (y: [Float], state: [Float], dx: [Float], dState: [Float], gW0: [Float]) {
  var y = zeros(x.count), st = state0, dx = zeros(x.count), ds = dState
  ps.zeroGrad()
  reset.withOptionalPointer { m in core.forward(x, &y, L: L, B: B, state: &st, reset: m) }
  core.backward(dy, &dx, dState: &ds)
  return (y, st, dx, ds, ps.grads.array)
}

func randomArray(_ n: Int, _ rng: inout SplitMix, scale: Float = 1) -> [Float] { (0..<n).map { _ in scale * rng.normal() } }

func maxAbsDiff(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).map { abs($0 - $1) }.max() ?? 0 }

@Suite struct SRWMChecks {
  @Test(arguments: [false, true])
  func simd16MatchesGeneric(softmax: Bool) {
    let L = 9, B = 3, H = 2, d = 16
    let ps = ParamStore()
    let core = SRWMCore(ps, heads: H, headDim: d, inputSoftmax: softmax, names: ("a", "b", "c", "e"))
    var rng = SplitMix(seed: 7)
    core.initDefault(&rng)
    let x = randomArray(L * B * H * d, &rng), dy = randomArray(L * B * H * d, &rng)
    let n = core.stateCount(batch: B)
    let s0 = randomArray(n, &rng, scale: 0.1), ds = randomArray(n, &rng, scale: 0.1)
    var reset = zeros(L * B); reset[4 * B + 1] = 1; reset[0 * B + 2] = 1; reset[7 * B + 1] = 1
    let fast = srwmRun(core, ps, x: x, dy: dy, L: L, B: B, state0: s0, dState: ds, reset: reset)
    core.useSIMD16 = false
    let slow = srwmRun(core, ps, x: x, dy: dy, L: L, B: B, state0: s0, dState: ds, reset: reset)
    #expect(maxAbsDiff(fast.y, slow.y) < 1e-5)
    #expect(maxAbsDiff(fast.state, slow.state) < 1e-5)
    #expect(maxAbsDiff(fast.dx, slow.dx) < 1e-4)
    #expect(maxAbsDiff(fast.dState, slow.dState) < 1e-4)
    #expect(maxAbsDiff(fast.gW0, slow.gW0) < 1e-4)
  }
}
