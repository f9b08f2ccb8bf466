// SRWM-specific checks: SIMD16 path vs generic path, reversal drift, state carry + reset.
import ArcadeNN
import ArcadeNNTestSupport
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

@Suite struct SRWMReversalAndState {
  /// Reversal drift: after a 1000-step forward, the backward's rebuilt W_{-1} vs the true W0.
  /// Documented bound: max |rebuilt − W0| ≤ 2e-5 after L = 1000 (input softmax, std 1/√d init,
  /// N(0,1) inputs). Measured: 1.5e-7 at d = 16 (W moved by ~1), 1.1e-6 at d = 5 (W moved by ~7).
  /// The spec (§2.4) reports 9e-7 at d = 5 after 5000 steps.
  @Test(arguments: [16, 5])
  func reversalDrift(d: Int) {
    let L = 1000, B = 2, H = 2
    let ps = ParamStore()
    let core = SRWMCore(ps, heads: H, headDim: d, inputSoftmax: true, names: ("y", "q", "k", "b"))
    var rng = SplitMix(seed: 99)
    core.initDefault(&rng)
    let x = randomArray(L * B * H * d, &rng)
    var y = zeros(x.count), dx = zeros(x.count)
    core.forward(x, &y, L: L, B: B, state: nil, reset: nil)
    var moved: Float = 0
    for b in 0..<B { for h in 0..<H { moved = max(moved, maxAbsDiff(core.currentWeights(b: b, h: h), core.initialWeights(h: h))) } }
    core.backward(zeros(x.count), &dx, dState: nil)
    var drift: Float = 0
    for b in 0..<B { for h in 0..<H { drift = max(drift, maxAbsDiff(core.currentWeights(b: b, h: h), core.initialWeights(h: h))) } }
    print("SRWM reversal drift d=\(d) L=\(L): max |W_rebuilt − W0| = \(drift) (W moved by \(moved))")
    #expect(moved > 1e-2)          // the weights really changed
    #expect(drift <= 2e-5)
  }

  /// Running [0,k) then [k,L) with the carried state equals one call; gradients chain through dState.
  @Test(arguments: [4, 16])
  func stateCarryEqualsOneCall(d: Int) {
    let L = 8, k = 3, B = 2, H = 2, D = H * d
    let ps = ParamStore()
    let core = SRWMCore(ps, heads: H, headDim: d, inputSoftmax: true, names: ("y", "q", "k", "b"))
    var rng = SplitMix(seed: 5)
    core.initDefault(&rng)
    let x = randomArray(L * B * D, &rng), dy = randomArray(L * B * D, &rng)
    var reset = zeros(L * B); reset[5 * B + 1] = 1
    let sc = core.stateCount(batch: B)
    let full = srwmRun(core, ps, x: x, dy: dy, L: L, B: B, state0: zeros(sc), dState: zeros(sc), reset: reset)
    // piece 1 forward, piece 2 forward+backward, then piece 1 backward with the chained dState
    let x1 = Array(x[0..<(k * B * D)]), x2 = Array(x[(k * B * D)...])
    let r1 = Array(reset[0..<(k * B)]), r2 = Array(reset[(k * B)...])
    var st = zeros(sc), y1 = zeros(x1.count), y2 = zeros(x2.count)
    core.forward(x1, &y1, L: k, B: B, state: &st, reset: r1)
    let core2 = SRWMCore(ps, heads: H, headDim: d, inputSoftmax: true, names: ("y2", "q2", "k2", "b2"))
    for (a, b) in zip([core.w0y, core.w0q, core.w0k, core.w0b], [core2.w0y, core2.w0q, core2.w0k, core2.w0b]) {
      ps.w(b).update(from: ps.w(a), count: a.count)
    }
    ps.zeroGrad()
    var st2 = st
    core2.forward(x2, &y2, L: L - k, B: B, state: &st2, reset: r2)
    #expect(maxAbsDiff(y1 + y2, full.y) < 1e-5)
    #expect(maxAbsDiff(st2, full.state) < 1e-5)
    var dx2 = zeros(x2.count), ds = zeros(sc), dx1 = zeros(x1.count)
    core2.backward(Array(dy[(k * B * D)...]), &dx2, dState: &ds)
    // re-run piece 1 forward (its caches were overwritten by nothing, but keep it explicit)
    var stA = zeros(sc)
    core.forward(x1, &y1, L: k, B: B, state: &stA, reset: r1)
    core.backward(Array(dy[0..<(k * B * D)]), &dx1, dState: &ds)
    #expect(maxAbsDiff(dx1 + dx2, full.dx) < 1e-4)
    // W0 grads: core's own + core2's copy must sum to the one-call gradient
    var g = [Float]()
    for (a, b) in zip([core.w0y, core.w0q, core.w0k, core.w0b], [core2.w0y, core2.w0q, core2.w0k, core2.w0b]) {
      for i in 0..<a.count { g.append(ps.g(a)[i] + ps.g(b)[i]) }
    }
    #expect(maxAbsDiff(g, Array(full.gW0[0..<g.count])) < 1e-4)
  }

  /// A reset at step k gives the same outputs as running [k,L) separately from W0.
  @Test func resetEqualsFreshRun() {
    let L = 7, k = 4, B = 1, H = 1, d = 16
    let ps = ParamStore()
    let core = SRWMCore(ps, heads: H, headDim: d, inputSoftmax: false, names: ("y", "q", "k", "b"))
    var rng = SplitMix(seed: 8)
    core.initDefault(&rng)
    let x = randomArray(L * d, &rng)
    var reset = zeros(L); reset[k] = 1
    var y = zeros(x.count), st = zeros(core.stateCount(batch: 1))
    core.forward(x, &y, L: L, B: B, state: &st, reset: reset)
    var y2 = zeros((L - k) * d), st2 = zeros(core.stateCount(batch: 1))
    core.forward(Array(x[(k * d)...]), &y2, L: L - k, B: B, state: &st2, reset: nil)
    #expect(maxAbsDiff(Array(y[(k * d)...]), y2) < 1e-6)
    #expect(maxAbsDiff(st, st2) < 1e-6)
  }

  /// The published-RL-code option: only W^y_0 gets gradient.
  @Test func detachOptionTrainsOnlyWy() {
    let ps = ParamStore()
    let core = SRWMCore(ps, heads: 2, headDim: 16, inputSoftmax: true, names: ("y", "q", "k", "b"))
    var rng = SplitMix(seed: 3)
    core.initDefault(&rng)
    core.detachStateLikePublishedRLCode = true
    let L = 5, B = 2, n = L * B * 32
    let x = randomArray(n, &rng), dy = randomArray(n, &rng)
    var y = zeros(n), dx = zeros(n)
    ps.zeroGrad()
    core.forward(x, &y, L: L, B: B, state: nil, reset: nil)
    core.backward(dy, &dx, dState: nil)
    let gy = UnsafeBufferPointer(start: ps.g(core.w0y), count: core.w0y.count)
    #expect(gy.contains { $0 != 0 })
    for r in [core.w0q, core.w0k, core.w0b] {
      #expect(!UnsafeBufferPointer(start: ps.g(r), count: r.count).contains { $0 != 0 })
    }
  }
}
