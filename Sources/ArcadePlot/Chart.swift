/// One named curve of a line chart.
public struct Series: Sendable {
  public var name: String
  public var points: [(x: Double, y: Double)]
  public init(name: String, points: [(x: Double, y: Double)]) {
    self.name = name
    self.points = points
  }
}

/// A line chart drawn two ways: SVG with real text, and a PNG (libpng) with bitmap-font text.
public struct LineChart: Sendable {
  public var title: String
  public var xLabel: String
  public var yLabel: String
  public var series: [Series]
  public var width = 720, height = 420

  public init(title: String, xLabel: String, yLabel: String, series: [Series]) {
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.series = series
  }

  static let colours: [(UInt8, UInt8, UInt8)] = [
    (31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189), (140, 86, 75),
    (227, 119, 194), (127, 127, 127),
  ]
  let margin = (left: 70, right: 150, top: 34, bottom: 40)

  var bounds: (x0: Double, x1: Double, y0: Double, y1: Double) {
    let xs = series.flatMap { $0.points.map(\.x) }, ys = series.flatMap { $0.points.map(\.y) }
    var b = (xs.min() ?? 0, xs.max() ?? 1, ys.min() ?? 0, ys.max() ?? 1)
    if b.1 <= b.0 { b.1 = b.0 + 1 }
    if b.3 <= b.2 { b.3 = b.2 + 1 }
    let pad = (b.3 - b.2) * 0.05
    return (b.0, b.1, b.2 - pad, b.3 + pad)
  }

  func px(_ x: Double, _ b: (x0: Double, x1: Double, y0: Double, y1: Double)) -> Double {
    Double(margin.left) + (x - b.x0) / (b.x1 - b.x0) * Double(width - margin.left - margin.right)
  }
  func py(_ y: Double, _ b: (x0: Double, x1: Double, y0: Double, y1: Double)) -> Double {
    Double(height - margin.bottom) - (y - b.y0) / (b.y1 - b.y0) * Double(height - margin.top - margin.bottom)
  }

  /// Short tick labels: 1.5M, 200k, 0.25.
  static func label(_ v: Double) -> String {
    let a = abs(v)
    func trim(_ x: Double) -> String {
      let r = (x * 100).rounded() / 100
      return r == r.rounded() ? String(Int(r)) : String(r)
    }
    if a >= 1e6 { return trim(v / 1e6) + "M" }
    if a >= 1e3 { return trim(v / 1e3) + "k" }
    return trim(v)
  }

  func ticks(_ lo: Double, _ hi: Double) -> [Double] {
    (0...4).map { lo + (hi - lo) * Double($0) / 4 }
  }

  public func svg() -> String {
    let b = bounds
    func esc(_ s: String) -> String {
      s.replacingAll("&", "&amp;").replacingAll("<", "&lt;").replacingAll(">", "&gt;")
    }
    var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" font-family=\"sans-serif\" font-size=\"11\">\n"
    s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
    s += "<text x=\"\(width / 2)\" y=\"20\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\">\(esc(title))</text>\n"
    for t in ticks(b.x0, b.x1) {
      let x = px(t, b)
      s += "<line x1=\"\(x)\" y1=\"\(margin.top)\" x2=\"\(x)\" y2=\"\(height - margin.bottom)\" stroke=\"#ddd\"/>"
      s += "<text x=\"\(x)\" y=\"\(height - margin.bottom + 14)\" text-anchor=\"middle\">\(Self.label(t))</text>\n"
    }
    for t in ticks(b.y0, b.y1) {
      let y = py(t, b)
      s += "<line x1=\"\(margin.left)\" y1=\"\(y)\" x2=\"\(width - margin.right)\" y2=\"\(y)\" stroke=\"#ddd\"/>"
      s += "<text x=\"\(margin.left - 4)\" y=\"\(y + 4)\" text-anchor=\"end\">\(Self.label(t))</text>\n"
    }
    s += "<text x=\"\((width - margin.right + margin.left) / 2)\" y=\"\(height - 8)\" text-anchor=\"middle\">\(esc(xLabel))</text>\n"
    let yMid = (height - margin.bottom + margin.top) / 2
    s += "<text x=\"16\" y=\"\(yMid)\" text-anchor=\"middle\" transform=\"rotate(-90 16 \(yMid))\">\(esc(yLabel))</text>\n"
    for (i, serie) in series.enumerated() {
      let c = Self.colours[i % Self.colours.count]
      let colour = "rgb(\(c.0),\(c.1),\(c.2))"
      let pts = serie.points.map { "\(px($0.x, b)),\(py($0.y, b))" }.joined(separator: " ")
      s += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.5\" points=\"\(pts)\"/>\n"
      let ly = margin.top + 16 * i + 10
      s += "<line x1=\"\(width - margin.right + 10)\" y1=\"\(ly)\" x2=\"\(width - margin.right + 28)\" y2=\"\(ly)\" stroke=\"\(colour)\" stroke-width=\"2\"/>"
      s += "<text x=\"\(width - margin.right + 32)\" y=\"\(ly + 4)\">\(esc(serie.name))</text>\n"
    }
    return s + "</svg>\n"
  }

  /// The chart as a compressed PNG.
  public func png() -> [UInt8] {
    let img = raster()
    return PNG.encode(rgb: img.pixels, width: width, height: height)
  }

  /// The PNG's pixels: the SVG's layout, text in bitmap fonts.
  func raster() -> Raster {
    var img = Raster(width: width, height: height)
    let b = bounds
    let grey: RGB = (221, 221, 221), black: RGB = (40, 40, 40)
    for t in ticks(b.x0, b.x1) {
      let x = px(t, b)
      img.line(x, Double(margin.top), x, Double(height - margin.bottom), grey)
      img.text(Self.label(t), x: Int(x.rounded()), y: height - margin.bottom + 16, black, anchor: .middle)
    }
    for t in ticks(b.y0, b.y1) {
      let y = py(t, b)
      img.line(Double(margin.left), y, Double(width - margin.right), y, grey)
      img.text(Self.label(t), x: margin.left - 5, y: Int(y.rounded()) + 4, black, anchor: .end)
    }
    img.text(title, x: width / 2, y: 20, black, font: .fixed9x15Bold, anchor: .middle)
    img.text(xLabel, x: (width - margin.right + margin.left) / 2, y: height - 8, black, anchor: .middle)
    img.text(yLabel, x: 16, y: (height - margin.bottom + margin.top) / 2, black, anchor: .middle, upward: true)
    for (i, serie) in series.enumerated() {
      let c = Self.colours[i % Self.colours.count]
      for k in 1..<max(1, serie.points.count) {
        let p = serie.points[k - 1], q = serie.points[k]
        img.line(px(p.x, b), py(p.y, b), px(q.x, b), py(q.y, b), c, thickness: 2)
      }
      let ly = margin.top + 16 * i + 10
      img.line(Double(width - margin.right + 10), Double(ly), Double(width - margin.right + 28), Double(ly), c, thickness: 2)
      img.text(serie.name, x: width - margin.right + 32, y: ly + 4, black)
    }
    return img
  }
}

extension String {
  func replacingAll(_ a: String, _ b: String) -> String {
    split(separator: Character(a), omittingEmptySubsequences: false).joined(separator: b)
  }
}
