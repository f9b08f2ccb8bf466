// Finite-difference checks for every layer's backward.
import ArcadeNN
import ArcadeNNTestSupport
import ArcadeTensor
import Testing

@Suite struct FiniteDifferenceLayers {
  @Test func linearAndActivations() {
    var rng = SplitMix(seed: 11)
    let ps = ParamStore()
    let lin = Linear(ps, "lin", 5, 7)
    lin.initDefault(&rng)
    let n = 4
    let x = Rand(n * 5, &rng), coef = Rand(n * 7, &rng).array
    let y = Buffer(n * 7), a = Buffer(n * 7), dA = Buffer(n * 7), dx = Buffer(n * 5)
    // y = softmax(leakyrelu(relu?)) chain: lin → leakyReLU → softmax rows → loss
    let s = Buffer(n * 7), l2 = Buffer(n * 7)
    func fwd() {
      lin.forward(x.p, y.ptr, n: n)
      Act.leakyRelu(y.ptr, a.ptr, n * 7, slope: 0.1)
      Act.softmaxRows(a.ptr, s.ptr, m: n, n: 7)
      Act.relu(s.ptr, l2.ptr, n * 7)   // softmax > 0: identity path, exercises reluBackward
    }
    fdCheck("linear+act", targets: paramTargets(ps) + [FDTarget(name: "x", values: x.p, count: x.count) { dx.array }],
            loss: { fwd(); return dot(l2.ptr, coef) },
            backward: {
              ps.zeroGrad(); fwd()
              Act.reluBackward(l2.ptr, coef, dA.ptr, n * 7)
              Act.softmaxRowsBackward(s.ptr, dA.ptr, dA.ptr, m: n, n: 7)
              Act.leakyReluBackward(y.ptr, dA.ptr, dA.ptr, n * 7, slope: 0.1)
              lin.backward(x.p, dA.ptr, dx.ptr, n: n)
            })
  }

  @Test func layerNormAndFF() {
    var rng = SplitMix(seed: 12)
    let ps = ParamStore()
    let ff = FFBlock(ps, "ff", dim: 6, hidden: 10)
    ff.initDefault(&rng)
    for r in ps.params where r.name.hasPrefix("ff.ln") { ps.fillNormal(r, mean: 1, std: 0.3, rng: &rng) }
    let n = 5
    let x = Rand(n * 6, &rng), coef = Rand(n * 6, &rng).array
    let y = Buffer(n * 6), dx = Buffer(n * 6)
    fdCheck("ff", targets: paramTargets(ps) + [FDTarget(name: "x", values: x.p, count: x.count) { dx.array }],
            loss: { ff.forward(x.p, y.ptr, n: n); return dot(y.ptr, coef) },
            backward: { ps.zeroGrad(); ff.forward(x.p, y.ptr, n: n); ff.backward(x.p, coef, dx.ptr, n: n) })
  }

  /// SRWM core through both code paths (d = 4 generic, d = 16 SIMD16) with state and resets.
  @Test(arguments: [(4, false), (4, true), (16, false), (16, true)])
  func srwmCore(d: Int, softmax: Bool) {
    var rng = SplitMix(seed: 13)
    let ps = ParamStore()
    let L = 6, B = 2, H = 2
    let core = SRWMCore(ps, heads: H, headDim: d, inputSoftmax: softmax, names: ("y", "q", "k", "b"))
    core.initDefault(&rng)
    let n = L * B * H * d, sc = core.stateCount(batch: B)
    let x = Rand(n, &rng), s0 = Rand(sc, &rng, scale: 0.2), coef = Rand(n, &rng).array, sCoef = Rand(sc, &rng).array
    var reset = [Float](repeating: 0, count: L * B); reset[3 * B + 1] = 1
    let y = Buffer(n), st = Buffer(sc), dx = Buffer(n), ds = Buffer(sc)
    func fwd() -> Double {
      Vec.copy(s0.p, st.ptr, sc)
      core.forward(x.p, y.ptr, L: L, B: B, state: st.ptr, reset: reset)
      return dot(y.ptr, coef) + dot(st.ptr, sCoef)
    }
    fdCheck("srwm d\(d) sm\(softmax)",
            targets: paramTargets(ps) + [FDTarget(name: "x", values: x.p, count: n) { dx.array },
                                         FDTarget(name: "state", values: s0.p, count: sc) { ds.array }],
            loss: fwd,
            backward: {
              ps.zeroGrad(); _ = fwd()
              for i in 0..<sc { ds[i] = sCoef[i] }
              core.backward(coef, dx.ptr, dState: ds.ptr)
            })
  }

  @Test(arguments: [SRWMLayer.Variant.fewShot, .rl])
  func srwmLayer(variant: SRWMLayer.Variant) {
    var rng = SplitMix(seed: 14)
    let ps = ParamStore()
    let L = 5, B = 2, D = 32
    let layer = SRWMLayer(ps, "s", dim: D, heads: 2, variant: variant)
    layer.initDefault(&rng)
    let n = L * B * D, sc = layer.stateCount(batch: B)
    let x = Rand(n, &rng), coef = Rand(n, &rng).array
    let y = Buffer(n), st = Buffer(sc), dx = Buffer(n), ds = Buffer(sc)
    var reset = [Float](repeating: 0, count: L * B); reset[2 * B] = 1
    func fwd() -> Double { st.zero(); layer.forward(x.p, y.ptr, L: L, B: B, state: st.ptr, reset: reset); return dot(y.ptr, coef) }
    fdCheck("srwm layer", targets: paramTargets(ps) + [FDTarget(name: "x", values: x.p, count: n) { dx.array }],
            loss: fwd, backward: { ps.zeroGrad(); _ = fwd(); ds.zero(); layer.backward(x.p, coef, dx.ptr, dState: ds.ptr) })
  }

  @Test(arguments: [FastWeightLayer.Kind.delta, .linear])
  func fastWeight(kind: FastWeightLayer.Kind) {
    var rng = SplitMix(seed: 15)
    let ps = ParamStore()
    let L = 5, B = 2, D = 8
    let layer = FastWeightLayer(ps, "f", dim: D, heads: 2, kind: kind, eps: 1e-5)
    layer.initDefault(&rng)
    let n = L * B * D, sc = layer.stateCount(batch: B)
    let x = Rand(n, &rng), s0 = Rand(sc, &rng, scale: 0.3), coef = Rand(n, &rng).array, sCoef = Rand(sc, &rng).array
    let y = Buffer(n), st = Buffer(sc), dx = Buffer(n), ds = Buffer(sc)
    var reset = [Float](repeating: 0, count: L * B); reset[3 * B + 1] = 1
    func fwd() -> Double {
      Vec.copy(s0.p, st.ptr, sc)
      layer.forward(x.p, y.ptr, L: L, B: B, state: st.ptr, reset: reset)
      return dot(y.ptr, coef) + dot(st.ptr, sCoef)
    }
    fdCheck("fastweight", targets: paramTargets(ps) + [FDTarget(name: "x", values: x.p, count: n) { dx.array },
                                                       FDTarget(name: "state", values: s0.p, count: sc) { ds.array }],
            loss: fwd,
            backward: { ps.zeroGrad(); _ = fwd(); for i in 0..<sc { ds[i] = sCoef[i] }; layer.backward(x.p, coef, dx.ptr, dState: ds.ptr) })
  }

  @Test func fakeSR() {
    var rng = SplitMix(seed: 16)
    let ps = ParamStore()
    let layer = FakeSRLayer(ps, "p", dim: 8, heads: 2)
    layer.initDefault(&rng)
    let n = 6
    let x = Rand(n * 8, &rng), coef = Rand(n * 8, &rng).array
    let y = Buffer(n * 8), dx = Buffer(n * 8)
    fdCheck("fakesr", targets: paramTargets(ps) + [FDTarget(name: "x", values: x.p, count: x.count) { dx.array }],
            loss: { layer.forward(x.p, y.ptr, n: n); return dot(y.ptr, coef) },
            backward: { ps.zeroGrad(); layer.forward(x.p, y.ptr, n: n); layer.backward(x.p, coef, dx.ptr) })
  }

  @Test func lstm() {
    var rng = SplitMix(seed: 17)
    let ps = ParamStore()
    let L = 5, B = 2, I = 4, Hh = 3
    let lstm = LSTM(ps, "l", inDim: I, hidden: Hh)
    lstm.initDefault(&rng)
    let x = Rand(L * B * I, &rng), h0 = Rand(B * Hh, &rng), c0 = Rand(B * Hh, &rng)
    let coef = Rand(L * B * Hh, &rng).array, hc = Rand(B * Hh, &rng).array, cc = Rand(B * Hh, &rng).array
    let y = Buffer(L * B * Hh), h = Buffer(B * Hh), c = Buffer(B * Hh), dx = Buffer(L * B * I), dh = Buffer(B * Hh), dc = Buffer(B * Hh)
    var reset = [Float](repeating: 0, count: L * B); reset[2 * B + 1] = 1
    func fwd() -> Double {
      Vec.copy(h0.p, h.ptr, B * Hh); Vec.copy(c0.p, c.ptr, B * Hh)
      lstm.forward(x.p, y.ptr, L: L, B: B, h: h.ptr, c: c.ptr, reset: reset)
      return dot(y.ptr, coef) + dot(h.ptr, hc) + dot(c.ptr, cc)
    }
    fdCheck("lstm", targets: paramTargets(ps) + [FDTarget(name: "x", values: x.p, count: x.count) { dx.array },
                                                 FDTarget(name: "h0", values: h0.p, count: B * Hh) { dh.array },
                                                 FDTarget(name: "c0", values: c0.p, count: B * Hh) { dc.array }],
            loss: fwd,
            backward: {
              ps.zeroGrad(); _ = fwd()
              for i in 0..<(B * Hh) { dh[i] = hc[i]; dc[i] = cc[i] }
              lstm.backward(x.p, coef, dx.ptr, dhState: dh.ptr, dcState: dc.ptr)
            })
  }

  /// Conv2d on its direct kernels (width a multiple of 8, channels in fours) and, with 5 input channels,
  /// with the input gradient falling back to im2col.
  @Test(arguments: [(4, 8), (5, 16)])
  func convDirect(C: Int, W: Int) {
    var rng = SplitMix(seed: UInt64(19 + W))
    let ps = ParamStore()
    let N = 2, H = 3, Co = 4
    let conv = Conv2d(ps, "c", cin: C, cout: Co)
    conv.initDefault(&rng)
    let x = Rand(N * C * H * W, &rng), coef = Rand(N * Co * H * W, &rng).array
    let y = Buffer(N * Co * H * W), dx = Buffer(x.count)
    func fwd() -> Double {
      conv.forward(x.p, y.ptr, N: N, H: H, W: W)
      return dot(y.ptr, coef)
    }
    fdCheck("conv direct C=\(C) W=\(W)",
            targets: paramTargets(ps) + [FDTarget(name: "x", values: x.p, count: x.count) { dx.array }],
            eps: 1e-3, atol: 5e-3,
            loss: fwd,
            backward: { ps.zeroGrad(); _ = fwd(); conv.backward(x.p, coef, dx.ptr, N: N, H: H, W: W) })
  }

  @Test(arguments: [true, false])
  func convPoolBatchNorm(training: Bool) {
    var rng = SplitMix(seed: 18)
    let ps = ParamStore()
    let N = 2, C = 2, H = 6, W = 6, Co = 3
    let conv = Conv2d(ps, "c", cin: C, cout: Co)
    let bn = BatchNorm2d(ps, "bn", channels: Co)
    conv.initDefault(&rng)
    ps.fillNormal(bn.gamma, mean: 1, std: 0.2, rng: &rng); ps.fillNormal(bn.beta, std: 0.2, rng: &rng)
    bn.training = training
    if !training { bn.runningMean = [0.1, -0.2, 0.3]; bn.runningVar = [0.5, 1.5, 2] }
    let pool3 = MaxPool2d(kernel: 3, stride: 2, pad: 1), pool2 = MaxPool2d(kernel: 2, stride: 2, pad: 0)
    let x = Rand(N * C * H * W, &rng)
    let n1 = N * Co * H * W, h3 = pool3.outSize(H), n3 = N * Co * h3 * h3, h2 = pool2.outSize(h3), n2 = N * Co * h2 * h2
    let coef = Rand(n2, &rng).array
    let c = Buffer(n1), b = Buffer(n1), p3 = Buffer(n3), p2 = Buffer(n2)
    let g2 = Buffer(n3), g1 = Buffer(n1), dx = Buffer(x.count)
    func fwd() -> Double {
      conv.forward(x.p, c.ptr, N: N, H: H, W: W)
      bn.forward(c.ptr, b.ptr, N: N, HW: H * W)
      pool3.forward(b.ptr, p3.ptr, NC: N * Co, H: H, W: W)
      pool2.forward(p3.ptr, p2.ptr, NC: N * Co, H: h3, W: h3)
      return dot(p2.ptr, coef)
    }
    fdCheck("conv/bn/pool train=\(training)",
            targets: paramTargets(ps) + [FDTarget(name: "x", values: x.p, count: x.count) { dx.array }],
            eps: 1e-3, atol: 5e-3,
            loss: fwd,
            backward: {
              ps.zeroGrad(); _ = fwd()
              pool2.backward(coef, g2.ptr, NC: N * Co, H: h3, W: h3)
              pool3.backward(g2.ptr, g1.ptr, NC: N * Co, H: H, W: W)
              bn.backward(c.ptr, g1.ptr, g1.ptr, N: N, HW: H * W)
              conv.backward(x.p, g1.ptr, dx.ptr, N: N, H: H, W: W)
            })
  }
}

@Suite struct FiniteDifferenceDropout {
  /// Dropout masks are re-seeded before every forward so the finite differences see the same mask.
  @Test func ffAndSRWMLayerWithDropout() {
    var rng = SplitMix(seed: 41)
    let ps = ParamStore()
    let L = 4, B = 2, D = 32
    let layer = SRWMLayer(ps, "s", dim: D, heads: 2, variant: .fewShot, dropout: 0.3, seed: 1)
    let ff = FFBlock(ps, "f", dim: D, hidden: 24, dropout: 0.3, seed: 2)
    layer.initDefault(&rng); ff.initDefault(&rng)
    let n = L * B * D
    let x = Rand(n, &rng), coef = Rand(n, &rng).array
    let h = Buffer(n), y = Buffer(n), dh = Buffer(n), dx = Buffer(n)
    func fwd() -> Double {
      layer.drop.rng = SplitMix(seed: 5); ff.drop1.rng = SplitMix(seed: 6); ff.drop2.rng = SplitMix(seed: 7)
      layer.forward(x.p, h.ptr, L: L, B: B)
      ff.forward(h.ptr, y.ptr, n: L * B)
      return dot(y.ptr, coef)
    }
    fdCheck("dropout", targets: paramTargets(ps) + [FDTarget(name: "x", values: x.p, count: n) { dx.array }],
            eps: 2e-3, loss: fwd,
            backward: {
              ps.zeroGrad(); _ = fwd()
              ff.backward(h.ptr, coef, dh.ptr, n: L * B)
              layer.backward(x.p, dh.ptr, dx.ptr)
            })
  }
}
