// Shape sweep: every layer and the few-shot model (the RL agent: ArcadeRLTests) at random small
// sizes (head sizes 1–7 and 16, odd batches, T 1–5), gradients against finite differences.
// Sizes that are not multiples of the SIMD widths once overran a scratch buffer (head size 3).
import ArcadeNN
import ArcadeNNTestSupport
import ArcadeTensor
import Testing

@Suite struct ShapeSweep {
  static let cases = Array(0..<SweepShape.headSizes.count)

  @Test(arguments: cases)
  func srwmCore(_ i: Int) {
    let s = SweepShape.draw(i, seed: 101)
    for softmax in [false, true] {
      var rng = SplitMix(seed: UInt64(200 + i))
      let ps = ParamStore()
      let core = SRWMCore(ps, heads: s.heads, headDim: s.headDim, inputSoftmax: softmax, names: ("y", "q", "k", "b"))
      core.initDefault(&rng)
      checkRecurrent("srwm core \(s) softmax \(softmax)", ps: ps, s: s, stateCount: core.stateCount(batch: s.B),
                     rng: &rng) { x, y, st, reset in core.forward(x, y, L: s.T, B: s.B, state: st, reset: reset) }
        backward: { _, dy, dx, ds in core.backward(dy, dx, dState: ds) }
    }
  }

  @Test(arguments: cases)
  func srwmLayer(_ i: Int) {
    let s = SweepShape.draw(i, seed: 102)
    for variant in [SRWMLayer.Variant.fewShot, .rl] {
      var rng = SplitMix(seed: UInt64(300 + i))
      let ps = ParamStore()
      let layer = SRWMLayer(ps, "s", dim: s.dim, heads: s.heads, variant: variant)
      layer.initDefault(&rng)
      checkRecurrent("srwm layer \(s) \(variant)", ps: ps, s: s, stateCount: layer.stateCount(batch: s.B),
                     rng: &rng) { x, y, st, reset in layer.forward(x, y, L: s.T, B: s.B, state: st, reset: reset) }
        backward: { x, dy, dx, ds in layer.backward(x, dy, dx, dState: ds) }
    }
  }

  @Test(arguments: cases)
  func fastWeightLayers(_ i: Int) {
    let s = SweepShape.draw(i, seed: 103)
    for kind in [FastWeightLayer.Kind.delta, .linear] {
      var rng = SplitMix(seed: UInt64(400 + i))
      let ps = ParamStore()
      let layer = FastWeightLayer(ps, "f", dim: s.dim, heads: s.heads, kind: kind, eps: 1e-5)
      layer.initDefault(&rng)
      checkRecurrent("fast weight \(s) \(kind)", ps: ps, s: s, stateCount: layer.stateCount(batch: s.B),
                     rng: &rng) { x, y, st, reset in layer.forward(x, y, L: s.T, B: s.B, state: st, reset: reset) }
        backward: { x, dy, dx, ds in layer.backward(x, dy, dx, dState: ds) }
    }
  }

  @Test(arguments: cases)
  func feedForwardLayers(_ i: Int) {
    let s = SweepShape.draw(i, seed: 104)
    var rng = SplitMix(seed: UInt64(500 + i))
    let ps = ParamStore()
    let fake = FakeSRLayer(ps, "p", dim: s.dim, heads: s.heads)
    let ff = FFBlock(ps, "ff", dim: s.dim, hidden: 2 * s.dim + 1)
    fake.initDefault(&rng); ff.initDefault(&rng)
    let n = s.T * s.B, D = s.dim
    let x = Rand(n * D, &rng), coef = Rand(n * D, &rng).array
    let h = Buffer(n * D), y = Buffer(n * D), dh = Buffer(n * D), dx = Buffer(n * D)
    func fwd() -> Double { fake.forward(x.p, h.ptr, n: n); ff.forward(h.ptr, y.ptr, n: n); return dot(y.ptr, coef) }
    fdCheck("fakesr+ff \(s)", targets: paramTargets(ps) + [FDTarget(name: "x", values: x.p, count: x.count) { dx.array }],
            eps: 2e-3, samples: 4, atol: 4e-3, rtol: 3e-2, kinks: true, loss: fwd,
            backward: {
              ps.zeroGrad(); _ = fwd()
              ff.backward(h.ptr, coef, dh.ptr, n: n)
              fake.backward(x.p, dh.ptr, dx.ptr)
            })
  }

  @Test(arguments: cases)
  func lstm(_ i: Int) {
    let s = SweepShape.draw(i, seed: 105)
    var rng = SplitMix(seed: UInt64(600 + i))
    let ps = ParamStore()
    let I = s.dim, Hh = s.headDim
    let lstm = LSTM(ps, "l", inDim: I, hidden: Hh)
    lstm.initDefault(&rng)
    let T = s.T, B = s.B
    let x = Rand(T * B * I, &rng), h0 = Rand(B * Hh, &rng), c0 = Rand(B * Hh, &rng)
    let coef = Rand(T * B * Hh, &rng).array, hc = Rand(B * Hh, &rng).array, cc = Rand(B * Hh, &rng).array
    let y = Buffer(T * B * Hh), h = Buffer(B * Hh), c = Buffer(B * Hh)
    let dx = Buffer(T * B * I), dh = Buffer(B * Hh), dc = Buffer(B * Hh)
    let reset = s.resets(&rng)
    func fwd() -> Double {
      Vec.copy(h0.p, h.ptr, B * Hh); Vec.copy(c0.p, c.ptr, B * Hh)
      lstm.forward(x.p, y.ptr, L: T, B: B, h: h.ptr, c: c.ptr, reset: reset)
      return dot(y.ptr, coef) + dot(h.ptr, hc) + dot(c.ptr, cc)
    }
    fdCheck("lstm \(s)", targets: paramTargets(ps) + [FDTarget(name: "x", values: x.p, count: x.count) { dx.array },
                                                      FDTarget(name: "h0", values: h0.p, count: B * Hh) { dh.array },
                                                      FDTarget(name: "c0", values: c0.p, count: B * Hh) { dc.array }],
            eps: 2e-3, samples: 4, loss: fwd,
            backward: {
              ps.zeroGrad(); _ = fwd()
              for j in 0..<(B * Hh) { dh[j] = hc[j]; dc[j] = cc[j] }
              lstm.backward(x.p, coef, dx.ptr, dhState: dh.ptr, dcState: dc.ptr)
            })
  }

  /// The grid encoder at odd sizes, including its input gradient.
  @Test(arguments: cases)
  func gridCNN(_ i: Int) {
    var rng = SplitMix(seed: UInt64(650 + i))
    let C = 1 + i % 4, H = 3 + i, W = 9 - i / 2, N = 1 + 2 * (i % 3)
    let channels = i % 2 == 0 ? [3, 2] : [2, 4, 3]
    let ps = ParamStore()
    let net = GridCNN(ps, "g", inChannels: C, channels: channels, H: H, W: W)
    net.initDefault(&rng)
    let x = Rand(N * C * H * W, &rng), coef = Rand(N * net.featureDim, &rng).array
    let dx = Buffer(N * C * H * W)
    fdCheck("grid cnn C\(C) \(H)×\(W) N\(N) \(channels)",
            targets: paramTargets(ps) + [FDTarget(name: "x", values: x.p, count: x.count) { dx.array }],
            eps: 2e-3, samples: 5, atol: 4e-3, rtol: 3e-2, kinks: true,
            loss: { dot(net.forward(x.p, N: N), coef) },
            backward: { ps.zeroGrad(); _ = net.forward(x.p, N: N); net.backward(x.p, coef, dx.ptr) })
  }

  @Test(arguments: [CoreKind.srwm, .delta, .lstm])
  func fewShotModel(_ core: CoreKind) {
    for i in [0, 2, 6, 7] {
      let s = SweepShape.draw(i, seed: 107)
      var c = FewShotConfig(core: core)
      c.imageHW = 16; c.convChannels = 3; c.nWay = 3; c.core.hidden = s.dim; c.core.numLayers = 1 + i % 2
      c.core.numHeads = s.heads; c.core.dimFF = 7; c.core.lstmHidden = s.headDim
      let model = FewShotModel(c, seed: UInt64(800 + i))
      var rng = SplitMix(seed: UInt64(900 + i))
      let L = s.T, B = s.B, n = L * B, N = c.nWay
      let images = Rand(n * 16 * 16, &rng), coef = Rand(n * N, &rng).array
      let labels = (0..<n).map { _ in Int(rng.next() % UInt64(N + 1)) - 1 }
      func fwd() -> Double { dot(model.forward(images: images.p, labels: labels, L: L, B: B), coef) }
      fdCheck("few-shot \(core.rawValue) \(s)", targets: paramTargets(model.ps), eps: 1e-3, samples: 3,
              atol: 5e-3, rtol: 5e-2, kinks: true, loss: fwd,
              backward: { model.ps.zeroGrad(); _ = fwd(); model.backward(dLogits: coef) })
    }
  }
}

/// FD check of a recurrent layer y = f(x, state) with state carried in and out, random resets.
private func checkRecurrent(_ label: String, ps: ParamStore, s: SweepShape, stateCount sc: Int, rng: inout SplitMix,
                            forward: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>,
                                      UnsafePointer<Float>) -> Void,
                            backward: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>,
                                       UnsafeMutablePointer<Float>) -> Void) {
  let n = s.T * s.B * s.dim
  let x = Rand(n, &rng), s0 = Rand(sc, &rng, scale: 0.2), coef = Rand(n, &rng).array, sCoef = Rand(sc, &rng).array
  let reset = s.resets(&rng)
  let y = Buffer(n), st = Buffer(sc), dx = Buffer(n), ds = Buffer(sc)
  func fwd() -> Double {
    Vec.copy(s0.p, st.ptr, sc)
    forward(x.p, y.ptr, st.ptr, reset)
    return dot(y.ptr, coef) + dot(st.ptr, sCoef)
  }
  fdCheck(label, targets: paramTargets(ps) + [FDTarget(name: "x", values: x.p, count: n) { dx.array },
                                              FDTarget(name: "state", values: s0.p, count: sc) { ds.array }],
          eps: 2e-3, samples: 4, atol: 4e-3, rtol: 4e-2, loss: fwd,
          backward: {
            ps.zeroGrad(); _ = fwd()
            for j in 0..<sc { ds[j] = sCoef[j] }
            backward(x.p, coef, dx.ptr, ds.ptr)
          })
}
