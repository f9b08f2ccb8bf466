// Golden hashes of sampled episode batches: they pin the sampler's draws (classes, drawings, order,
// distortions), so that a change to how batches are built cannot change the episodes unnoticed.
import Testing
@testable import ArcadeFewShot

/// FNV-1a over a batch's images (bit patterns), labels, targets, shot indices, tasks and classes.
func episodeHash(_ e: EpisodeBatch) -> UInt64 {
  var h: UInt64 = 0xcbf2_9ce4_8422_2325
  func mix(_ v: UInt64) { h = (h ^ v) &* 0x0000_0100_0000_01b3 }
  for x in e.images { mix(UInt64(x.bitPattern)) }
  for v in e.inputLabels + e.targets + e.shotIndex + e.task { mix(UInt64(bitPattern: Int64(v))) }
  for c in e.classes.joined() { mix(UInt64(c.character)); mix(UInt64(c.rotation)) }
  mix(UInt64(e.L)); mix(UInt64(e.B))
  return h
}

@Suite struct EpisodeGoldenTests {
  let glyphs = GlyphSource(seed: 5, train: 30, valid: 10, test: 10)

  /// Consecutive batches of different lengths (a curriculum's active classes change between them).
  func hashes(mode: EpisodeMode, jitter: ImageJitter?) throws -> [UInt64] {
    var s = try EpisodeSampler(source: glyphs, split: .train, ways: 6, shots: 2, mode: mode, jitter: jitter, seed: 9, stream: 3)
    return [4, 2, 6, 3].map { episodeHash(s.next(batch: 5, active: $0)) }
  }

  @Test func synchronousBatches() throws {
    let h = try hashes(mode: .sync, jitter: nil)
    #expect(h == [14143523139232379635, 16280645268676048413, 14615939263016026148, 3970921560067551071], "\(h)")
  }

  @Test func delayedBatchesWithDistortions() throws {
    let h = try hashes(mode: .delayed, jitter: ImageJitter(maxShift: 2, maxDegrees: 10, maxScale: 0.1))
    #expect(h == [5998944276959850362, 16490237574887367752, 5421357115936497531, 11429495708153215203], "\(h)")
  }

  @Test func twoTaskSequences() throws {
    let other = GlyphSource(seed: 6, train: 30, valid: 10, test: 10)
    func make(_ g: GlyphSource, _ stream: UInt64) throws -> EpisodeSampler {
      try EpisodeSampler(source: g, split: .train, ways: 4, shots: 2, mode: .delayed, seed: 9, stream: stream)
    }
    var s = SequenceSampler(first: try make(glyphs, 1), second: try make(other, 2), randomOrder: true, seed: 4)
    let h = [3, 4].map { episodeHash(s.next(batch: 3, active: $0)) }
    #expect(h == [11066731173138404287, 12618254931833511783], "\(h)")
  }

  @Test func fillReusesTheBatchStorage() throws {
    var s = try EpisodeSampler(source: glyphs, split: .train, ways: 6, shots: 2, seed: 9, stream: 3)
    var again = s
    var e = EpisodeBatch()
    s.fill(&e, batch: 5)
    func address(_ a: [Float]) -> UnsafePointer<Float>? { a.withUnsafeBufferPointer { $0.baseAddress } }
    let images = address(e.images)
    s.fill(&e, batch: 5, active: 3)                      // shorter episodes fit in the same storage
    #expect(address(e.images) == images)
    // Filling gives the batch `next` gives.
    _ = again.next(batch: 5)
    #expect(episodeHash(again.next(batch: 5, active: 3)) == episodeHash(e))
  }
}
