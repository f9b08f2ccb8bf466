import Testing
import ArcadeBase

@Suite struct FmtAndMeanCITests {
  @Test func meanCIIsAt95Percent() {
    let ci = MeanCI([1, 2, 3, 4, 5])
    #expect(ci.mean == 3 && ci.count == 5)
    #expect(abs(ci.halfWidth - 1.96 * (2.5).squareRoot() / (5.0).squareRoot()) < 1e-12)
    #expect(MeanCI([0.5]).halfWidth.isNaN && MeanCI([]).mean.isNaN)
    #expect(ci.formatted(1) == "3.0 ± 1.4")
  }

  @Test func accuracyOverGroupsOfEpisodes() {
    let per = [1.0, 1, 0, 1, 1, 1, 0, 0]   // 4 groups of 2: 1, 0.5, 1, 0
    let g = MeanCI(episodeCorrect: per, groups: 4)
    #expect(g.count == 4 && abs(g.mean - 0.625) < 1e-12)
    let s = ((0.375 * 0.375 * 2 + 0.125 * 0.125 + 0.625 * 0.625) / 3).squareRoot()
    #expect(abs(g.halfWidth - 1.96 * s / 2) < 1e-12)
    #expect(MeanCI(mean: 0.93125, halfWidth: 0.0085, count: 10).percent == "93.13% ± 0.85%")
  }

  @Test func numbersPrintOneWay() {
    #expect(Fmt.fixed(-0.004, 2) == "0.00" && Fmt.fixed(2.345, 1) == "2.3" && Fmt.fixed(10.0, 0) == "10")
    #expect(Fmt.fixed(Float(-0.04), 1) == "0.0" && Fmt.fixed(Float(10), 0) == "10")
    #expect(Fmt.fixed(Float(-2.5), 2) == "-2.50" && Fmt.fixed(Float(0.07), 2) == "0.07")
    #expect(Fmt.fixed(Double.nan, 2) == "n/a" && Fmt.fixed(Float.infinity, 1) == "n/a")
    #expect(Fmt.reward(0.04) == "0.04" && Fmt.reward(0.44) == "0.44" && Fmt.reward(-4) == "-4.0" && Fmt.reward(1.5) == "1.5")
    #expect(Fmt.count(1_234_567) == "1.23M" && Fmt.count(35_000) == "35k" && Fmt.count(900) == "900")
    #expect(Fmt.duration(3725) == "1h02m" && Fmt.duration(200) == "3m20s" && Fmt.duration(.nan) == "?")
    #expect(Fmt.pad("ab", 4) == "  ab" && Fmt.pad("abcde", 4) == "abcde")
  }
}
