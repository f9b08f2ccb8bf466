import CPNG
import Testing
@testable import ArcadePlot

@Suite struct ChartTests {
  let chart = LineChart(title: "Maze", xLabel: "frames", yLabel: "return", series: [
    Series(name: "srwm", points: [(0, 1), (1000, 4), (2000, 8)]),
    Series(name: "lstm", points: [(0, 1), (1000, 2), (2000, 3)]),
  ])

  /// Decodes a PNG with libpng to 8-bit RGB, independently of ArcadePlot's encoder.
  func decode(_ png: [UInt8]) -> (width: Int, height: Int, rgb: [UInt8])? {
    var image = png_image()
    image.version = UInt32(PNG_IMAGE_VERSION)
    guard png.withUnsafeBytes({ png_image_begin_read_from_memory(&image, $0.baseAddress, $0.count) }) != 0 else { return nil }
    image.format = UInt32(PNG_FORMAT_RGB)
    var rgb = [UInt8](repeating: 0, count: Int(image.width * image.height) * 3)
    let ok = rgb.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, 0, nil) }
    png_image_free(&image)
    return ok != 0 ? (Int(image.width), Int(image.height), rgb) : nil
  }

  @Test func pngDecodesWithLibpngToTheSamePixels() throws {
    let png = chart.png()
    #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    let decoded = try #require(decode(png))
    #expect(decoded.width == 720 && decoded.height == 420)
    let pixels = chart.raster().pixels
    #expect(decoded.rgb == pixels)
    // Not blank: the curves' colours are there.
    #expect(stride(from: 0, to: pixels.count, by: 3).contains { pixels[$0] == 31 && pixels[$0 + 1] == 119 })
  }

  @Test func pngIsCompressed() {
    // The stored (uncompressed) encoding needed 720 × 420 × 3 bytes plus row filters: about 0.9 MB.
    #expect(chart.png().count < 720 * 420 * 3 / 20)
  }

  @Test func encodeRoundTripsArbitraryPixels() throws {
    var state: UInt32 = 12345
    let rgb = (0..<(37 * 11 * 3)).map { _ -> UInt8 in
      state = state &* 1_664_525 &+ 1_013_904_223
      return UInt8(state >> 24)
    }
    let decoded = try #require(decode(PNG.encode(rgb: rgb, width: 37, height: 11)))
    #expect(decoded.width == 37 && decoded.height == 11 && decoded.rgb == rgb)
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
