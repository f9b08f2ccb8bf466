import ArcadeCore
import Testing
@testable import ArcadeViewer

@Suite struct ScreenModelTests {
  @Test func writeClipsAtTheEdgeAndLinesDropTrailingSpaces() {
    var s = CellBuffer(width: 10, height: 2)
    let end = s.write(6, 0, "abcdef", .strong)
    #expect(end == 10)
    #expect(s.line(0) == "      abcd")
    #expect(s[6, 0].style == .strong)
    s.write(0, 1, "xy", maxWidth: 1)
    #expect(s.line(1) == "x")
    s.put(-1, 0, 65); s.put(10, 1, 65)  // outside: ignored
    s.fill(x: 8, y: 0, width: 5, height: 5, 0x2588)
    #expect(s.text == "      ab██\nx       ██")
  }

  @Test func copyReusesStorageAndMatches() {
    var a = CellBuffer(width: 4, height: 3), b = CellBuffer(width: 1, height: 1)
    a.write(0, 2, "hey")
    b.copy(from: a)
    #expect(b.width == 4 && b.height == 3 && b.text == a.text)
  }

  @Test func pixelViewUsesUpperHalfBlocksWithTopAsForeground() {
    // Pixel rows 0–32 red, 33–63 blue: text row 16 shows red over blue.
    var rgb = [UInt8](repeating: 0, count: 64 * 64 * 3)
    for y in 0..<64 { for x in 0..<64 { let i = (y * 64 + x) * 3; if y < 33 { rgb[i] = 255 } else { rgb[i + 2] = 255 } } }
    var s = CellBuffer(width: 70, height: 34)
    PixelView.draw(rgb, into: &s, x: 3, y: 1, colours: .indexed256)
    #expect(s.line(1) == "   " + String(repeating: "▀", count: 64))
    #expect(s[3, 1].style == TextStyle(fg: 196, bg: 196))
    #expect(s[3, 17].style == TextStyle(fg: 196, bg: 21))  // pixel rows 32 (red) and 33 (blue)
    #expect(s[66, 32].style == TextStyle(fg: 21, bg: 21))
    #expect(s.line(0) == "" && s.line(33) == "")
    var half = CellBuffer(width: 32, height: 16)
    PixelView.draw(rgb, into: &half, x: 0, y: 0, scale: 2, colours: .basic)
    #expect(half.line(15) == String(repeating: "▀", count: 32))
    #expect(half[0, 0].style == TextStyle(fg: 1, bg: 1) && half[0, 15].style == TextStyle(fg: 4, bg: 4))
  }

  @Test func zoomDrawsEachPixelAsABlock() {
    // One red pixel at (1, 1) on blue: at zoom 2 it covers columns 2–3 and half rows 2–3 (text row 1).
    var rgb = [UInt8](repeating: 0, count: 64 * 64 * 3)
    for i in stride(from: 2, to: rgb.count, by: 3) { rgb[i] = 255 }
    rgb[(1 * 64 + 1) * 3] = 255; rgb[(1 * 64 + 1) * 3 + 2] = 0
    var s = CellBuffer(width: 128, height: 64)
    PixelView.draw(rgb, into: &s, x: 0, y: 0, zoom: 2, colours: .indexed256)
    #expect(s.line(63) == String(repeating: "▀", count: 128))
    #expect(s[2, 1].style == TextStyle(fg: 196, bg: 196) && s[3, 1].style == TextStyle(fg: 196, bg: 196))
    #expect(s[1, 1].style == TextStyle(fg: 21, bg: 21) && s[4, 1].style == TextStyle(fg: 21, bg: 21))
    #expect(s[2, 0].style == TextStyle(fg: 21, bg: 21) && s[2, 2].style == TextStyle(fg: 21, bg: 21))
    var three = CellBuffer(width: 192, height: 96)
    PixelView.draw(rgb, into: &three, x: 0, y: 0, zoom: 3, colours: .indexed256)
    // Pixel row 1 is half rows 3–5: text row 1 (half rows 2, 3) is blue over red, row 2 (4, 5) red over red.
    #expect(three[3, 1].style == TextStyle(fg: 21, bg: 196) && three[5, 2].style == TextStyle(fg: 196, bg: 196))
  }

  @Test func glyphViewDoublesSolidCellsAndShowsTheAgent() throws {
    let env = try maze()
    let g = env.glyphs()
    var s = CellBuffer(width: g.width * 2, height: g.height)
    GlyphView.draw(g, into: &s, x: 0, y: 0, cellWidth: 2, colours: .indexed256)
    let at = try #require(s.find("@"))
    #expect(at.x % 2 == 0)
    #expect(s[at.x + 1, at.y].char == 32)
    #expect(s.line(0) == String(repeating: "#", count: g.width * 2))
    var mono = CellBuffer(width: g.width, height: g.height)
    GlyphView.draw(g, into: &mono, x: 0, y: 0, cellWidth: 1, colours: .none)
    let a = try #require(mono.find("@"))
    #expect(mono[a.x, a.y].style.fg == -1 && mono[a.x, a.y].style.attributes == TextStyle.bold)
    #expect(mono.text == g.text().split(separator: "\n").map { String($0.reversed().drop(while: { $0 == " " }).reversed()) }.joined(separator: "\n"))
  }

  @Test func widgetsDrawBarsSparklinesAndHeatMaps() {
    var s = CellBuffer(width: 12, height: 4)
    Widgets.bar(0.5, into: &s, x: 0, y: 0, width: 4, style: .plain)
    #expect(s.line(0) == "██")
    Widgets.bar(0.5625, into: &s, x: 0, y: 1, width: 4, style: .plain)
    #expect(s.line(1) == "██▎")  // 18 eighths
    Widgets.sparkline([0, 1, 2, 3, 4, 5, 6, 7], into: &s, x: 0, y: 2, width: 8, style: .plain)
    #expect(s.line(2) == "▁▂▃▄▅▆▇█")
    Widgets.heatMap([0, 1, 0, 1], rows: 2, columns: 2, into: &s, x: 0, y: 3, colours: .basic)
    #expect(s.line(3) == " █")
    var h = CellBuffer(width: 2, height: 1)
    Widgets.heatMap([0, 1, 1, 0], rows: 2, columns: 2, into: &h, x: 0, y: 0, colours: .indexed256)
    #expect(h[0, 0].style.fg == Widgets.heat256.first && h[0, 0].style.bg == Widgets.heat256.last)
  }
}
