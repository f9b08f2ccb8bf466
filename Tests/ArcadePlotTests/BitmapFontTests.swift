import Testing
@testable import ArcadePlot

@Suite struct BitmapFontTests {
  static let fonts: [BitmapFont] = [.fixed6x13, .fixed9x15Bold]

  @Test(arguments: fonts) func everyClaimedCharacterHasItsOwnGlyph(font: BitmapFont) {
    #expect(BitmapFont.characters.count == 95)
    var seen: [ArraySlice<UInt16>: Character] = [:]
    for ch in BitmapFont.characters {
      let g = font.glyph(ch)
      #expect(font.covers(ch))
      #expect(g.allSatisfy { $0 >> font.width == 0 }, "\(ch) is wider than the cell")
      if ch == " " { #expect(g.allSatisfy { $0 == 0 }); continue }
      #expect(g.contains { $0 != 0 }, "\(ch) draws nothing")
      #expect(seen[g] == nil, "\(ch) looks like \(seen[g].map(String.init) ?? "")")
      seen[g] = ch
    }
  }

  @Test(arguments: fonts) func otherCharactersDrawAsQuestionMarks(font: BitmapFont) {
    for ch: Character in ["é", "→", "\t", "\u{7F}"] {
      #expect(!font.covers(ch))
      #expect(font.glyph(ch) == font.glyph("?"))
    }
  }

  @Test func labelsAreTallEnoughToRead() {
    // Capital letters span at least 9 rows (the old font: 5).
    let rows = BitmapFont.fixed6x13.glyph("E").filter { $0 != 0 }.count
    #expect(rows >= 9)
  }

  @Test(arguments: BitmapFont.characters) func rasterDrawsExactlyTheGlyph(ch: Character) {
    let font = BitmapFont.fixed6x13
    var img = Raster(width: 20, height: 20)
    img.text(String(ch), x: 3, y: 2 + font.ascent, (0, 0, 0))
    for y in 0..<20 {
      for x in 0..<20 {
        let inCell = (3..<(3 + font.width)).contains(x) && (2..<(2 + font.height)).contains(y)
        let on = inCell && font.glyph(ch)[font.glyph(ch).startIndex + y - 2] & (1 << UInt16(font.width - 1 - (x - 3))) != 0
        #expect((img.pixels[(y * 20 + x) * 3] == 0) == on, "\(ch) at \(x),\(y)")
      }
    }
  }

  @Test func anchorsAndUpwardTextPlaceTheBox() {
    let font = BitmapFont.fixed6x13
    func inked(_ img: Raster) -> (x: ClosedRange<Int>, y: ClosedRange<Int>) {
      var xs: [Int] = [], ys: [Int] = []
      for y in 0..<img.height { for x in 0..<img.width where img.pixels[(y * img.width + x) * 3] == 0 { xs.append(x); ys.append(y) } }
      return (xs.min()!...xs.max()!, ys.min()!...ys.max()!)
    }
    var end = Raster(width: 100, height: 40)
    end.text("HH", x: 80, y: 20, (0, 0, 0), anchor: .end)
    #expect(inked(end).x.upperBound < 80 && inked(end).x.lowerBound >= 80 - 2 * font.width)
    var up = Raster(width: 40, height: 100)
    up.text("HHHH", x: 20, y: 50, (0, 0, 0), anchor: .middle, upward: true)
    let box = inked(up)
    #expect(box.y.count > 2 * box.x.count)                  // runs along y
    #expect(box.y.contains(50) && box.x.upperBound < 20)  // centred on y = 50, glyph tops to the left of the baseline
  }
}
