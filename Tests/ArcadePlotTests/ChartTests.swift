import Testing
@testable import ArcadePlot

@Suite struct ChartTests {
  let chart = LineChart(title: "maze", xLabel: "frames", yLabel: "return", series: [
    Series(name: "srwm", points: [(0, 1), (1000, 4), (2000, 8)]),
    Series(name: "lstm", points: [(0, 1), (1000, 2), (2000, 3)]),
  ])

  @Test func pngHasAValidSignatureChunksAndChecksums() {
    let png = chart.png()
    #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    // IHDR: width and height big-endian.
    #expect(Array(png[16..<24]) == PNG.be32(720) + PNG.be32(420))
    // Known CRC-32 of "IEND" (no data).
    #expect(PNG.crc32(Array("IEND".utf8)) == 0xAE42_6082)
    #expect(Array(png.suffix(4)) == [0xAE, 0x42, 0x60, 0x82])
  }

  @Test func zlibStoredBlocksCarryTheDataAndAdler() {
    let data = [UInt8](repeating: 7, count: 70000)
    let z = PNG.zlibStored(data)
    #expect(z.count == 2 + 2 * 5 + 70000 + 4)
    #expect(z[2] == 0 && z[2 + 5 + 65535] == 1)   // first block not last, second last
  }

  @Test func svgPlotsEverySeriesInsideTheFrame() {
    let svg = chart.svg()
    #expect(svg.contains("<polyline") && svg.contains(">srwm<") && svg.contains(">lstm<"))
    #expect(svg.components("polyline") == 2)
    #expect(LineChart.label(1_500_000) == "1.5M" && LineChart.label(2000) == "2k" && LineChart.label(0.25) == "0.25")
  }
}

extension String {
  func components(_ s: String) -> Int { split(separator: " ").filter { $0.contains(s) }.count }
}
