import ArcadeBase
@testable import ArcadeFewShot
import Testing

@Suite struct ImageJitterTests {
  func apply(_ t: ImageJitter.Transform, _ img: [Float], n: Int) -> [Float] {
    var out = [Float](repeating: -1, count: n * n)
    img.withUnsafeBufferPointer { s in out.withUnsafeMutableBufferPointer { ImageJitter.apply(t, s.baseAddress!, n: n, into: $0.baseAddress!) } }
    return out
  }

  func dot(_ n: Int, _ x: Int, _ y: Int) -> [Float] {
    var img = [Float](repeating: 0, count: n * n); img[y * n + x] = 1
    return img
  }

  @Test func identityKeepsTheImage() {
    let img = (0..<49).map { Float($0 % 5) / 4 }
    #expect(apply(.identity, img, n: 7) == img)
  }

  @Test func wholePixelShiftMovesEveryPixel() {
    let t = ImageJitter.Transform(dx: 2, dy: -1, degrees: 0, scale: 1)
    #expect(apply(t, dot(7, 3, 3), n: 7) == dot(7, 5, 2))
    // Content shifted in from outside is paper (0).
    #expect(apply(t, [Float](repeating: 1, count: 49), n: 7)[0] == 0)
  }

  @Test func quarterTurnMatchesTheExactRotation() {
    let img = (0..<81).map { Float(($0 * 37) % 11) / 10 }
    let t = ImageJitter.Transform(dx: 0, dy: 0, degrees: 90, scale: 1)
    let turned = ImageOps.rotated(img, n: 9, quarter: 1)
    #expect(zip(apply(t, img, n: 9), turned).allSatisfy { abs($0 - $1) < 1e-5 })
  }

  @Test func scalingAboutTheCentre() {
    // Twice the size: a mark 1 px right of the centre lands 2 px right of it; the centre stays put.
    let t = ImageJitter.Transform(dx: 0, dy: 0, degrees: 0, scale: 2)
    let out = apply(t, dot(9, 5, 4), n: 9)
    #expect(out[4 * 9 + 6] == 1 && out[4 * 9 + 4] == 0)
  }

  @Test func samplesStayInRangeAndRepeatWithTheSeed() {
    var a = PCG32(seed: 5, stream: 1), b = PCG32(seed: 5, stream: 1)
    let j = ImageJitter.standard
    for _ in 0..<200 {
      let t = j.sample(&a)
      #expect(t == j.sample(&b))
      #expect(abs(t.dx) <= 2 && abs(t.dy) <= 2 && abs(t.degrees) <= 10 && abs(t.scale - 1) <= 0.1)
    }
  }

  @Test func augmentedEpisodesDistortTrainingImagesOnly() throws {
    let g = GlyphSource(seed: 2, train: 30, valid: 10, test: 10)
    var plain = try EpisodeSampler(source: g, split: .train, ways: 5, shots: 1, seed: 1)
    var jittered = try EpisodeSampler(source: g, split: .train, ways: 5, shots: 1, jitter: .standard, seed: 1)
    var again = try EpisodeSampler(source: g, split: .train, ways: 5, shots: 1, jitter: .standard, seed: 1)
    let p = plain.next(batch: 4), j = jittered.next(batch: 4)
    #expect(j.images != p.images)
    #expect(again.next(batch: 4).images == j.images)
    // The first episode's classes are drawn before any image, so they agree; ink stays in [0, 1].
    #expect(j.classes[0] == p.classes[0])
    #expect(j.images.allSatisfy { (0...1).contains($0) })
    var c = FewShotRunConfig()
    #expect(c.trainingJitter == nil)
    c.augment = true
    #expect(c.trainingJitter == .standard)
  }
}
