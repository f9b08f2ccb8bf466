import Testing
@testable import ArcadeCore

@Suite struct RandomTests {
  @Test func pcg32MatchesTheReferenceSequence() {
    // pcg32_srandom(42, 54) from the PCG reference implementation's demo.
    var r = PCG32(seed: 42, stream: 54)
    let expected: [UInt32] = [0xa15c02b7, 0x7b47f409, 0xba1d3330, 0x83d2f293, 0xbfa4784b, 0xcbed606e]
    #expect((0..<6).map { _ in r.next() } == expected)
  }

  @Test(arguments: [0, 1, 2, 37, 1000])
  func advancingSkipsExactlyThatManyOutputs(_ delta: Int) {
    var stepped = PCG32(seed: 9, stream: 4), jumped = stepped
    for _ in 0..<delta { _ = stepped.next() }
    jumped.advance(by: UInt64(delta))
    #expect(jumped == stepped && jumped.next() == stepped.next())
  }

  @Test func boundedDrawsStayInRangeAndCoverIt() {
    var r = PCG32(seed: 1, stream: 2)
    var seen = [Int](repeating: 0, count: 7)
    for _ in 0..<7000 { seen[r.below(7)] += 1 }
    #expect(seen.allSatisfy { $0 > 800 && $0 < 1200 })
    for _ in 0..<1000 {
      let f = r.unit()
      #expect(f >= 0 && f < 1)
    }
  }

  @Test func streamsForGenerationAndDynamicsDiffer() {
    var g = PCG32.stream(levelSeed: 5, role: .generation)
    var d = PCG32.stream(levelSeed: 5, role: .dynamics)
    #expect(g.next() != d.next())
    var g2 = PCG32.stream(levelSeed: 5, role: .generation)
    var g3 = PCG32.stream(levelSeed: 5, role: .generation)
    #expect(g2.next() == g3.next())
  }

  @Test func levelSamplerFollowsProcGenOptions() {
    var s = LevelSeedSampler(options: LevelOptions(numLevels: 10, startLevel: 100, randSeed: 3), envIndex: 0)
    let seeds = (0..<200).map { _ in s.next() }
    #expect(seeds.allSatisfy { (100..<110).contains($0) })
    #expect(Set(seeds).count == 10)
    var a = LevelSeedSampler(options: LevelOptions(randSeed: 3), envIndex: 0)
    var b = LevelSeedSampler(options: LevelOptions(randSeed: 3), envIndex: 1)
    #expect(a.next() != b.next())
    #expect(LevelSeedSampler.sequentialSuccessor(of: 5) == 1002)
    #expect(LevelSeedSampler.sequentialSuccessor(of: UInt32(Int32.max) - 1) == 996)
  }

  @Test func actionsDecodeLikeProcGen() {
    #expect(Action(0).dx == -1 && Action(0).dy == -1)
    #expect(Action(5).dx == 0 && Action(5).dy == 1)
    #expect(Action(7).dx == 1 && Action(7).dy == 0)
    #expect(Action(4).dx == 0 && Action(4).dy == 0)
    #expect(Action(9).special == 1 && Action(9).dx == 0 && Action(14).special == 6)
    #expect(Action.move(dx: 1, dy: 1).index == 8)
    #expect(Action(99) == Action.noop)
  }
}

@Suite struct CodecTests {
  @Test func roundTripsEveryFieldType() throws {
    var w = ByteWriter()
    w.u8(7); w.bool(true); w.u32(0xdeadbeef); w.u64(1 << 60); w.int(-5); w.f32(1.5); w.string("héllo")
    w.u8s([1, 2, 3]); w.f32s([0.25, -2]); w.ints([9, -9]); w.rng(PCG32(seed: 1, stream: 1))
    var r = ByteReader(w.bytes, context: "test")
    #expect(try r.u8() == 7)
    #expect(try r.bool())
    #expect(try r.u32() == 0xdeadbeef)
    #expect(try r.u64() == 1 << 60)
    #expect(try r.int() == -5)
    #expect(try r.f32() == 1.5)
    #expect(try r.string() == "héllo")
    #expect(try r.u8s() == [1, 2, 3])
    #expect(try r.f32s() == [0.25, -2])
    #expect(try r.ints() == [9, -9])
    #expect(try r.rng() == PCG32(seed: 1, stream: 1))
    #expect(r.isAtEnd)
  }

  @Test func truncatedInputThrowsAClearError() {
    var w = ByteWriter()
    w.string("hello")
    var r = ByteReader(Array(w.bytes.dropLast(2)), context: "saved state")
    #expect(throws: ArcadeError.self) { _ = try r.string("name") }
    do { _ = try r.string("name") } catch let e as ArcadeError {
      #expect(e.message.contains("saved state") && e.message.contains("truncated"))
    } catch { Issue.record("wrong error") }
  }
}
