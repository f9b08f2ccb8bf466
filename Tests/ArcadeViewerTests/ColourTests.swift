import ArcadeCore
import ArcadeGames
import Testing
@testable import ArcadeViewer

@Suite struct ColourTests {
  @Test func primariesAndGreysMapToTheirXtermIndices() {
    #expect(ColourQuantiser.xterm256(0, 0, 0) == 16)
    #expect(ColourQuantiser.xterm256(255, 255, 255) == 231)
    #expect(ColourQuantiser.xterm256(255, 0, 0) == 196)
    #expect(ColourQuantiser.xterm256(0, 255, 0) == 46)
    #expect(ColourQuantiser.xterm256(0, 0, 255) == 21)
    #expect(ColourQuantiser.xterm256(128, 128, 128) == 244)
    #expect(ColourQuantiser.xterm256(30, 30, 30) == 234)
  }

  @Test func everyPaletteColourMapsToItself() {
    for i in Int16(16)...255 {
      let (r, g, b) = ColourQuantiser.rgb(ofXterm: i)
      let q = ColourQuantiser.xterm256(r, g, b)
      #expect(ColourQuantiser.rgb(ofXterm: q) == (r, g, b) ? true : false, "index \(i) → \(q)")
    }
  }

  @Test func quantisationErrorIsSmall() {
    // Worst case per channel is half the largest cube gap (95/2) for dark values.
    var worst = 0
    for r in stride(from: 0, through: 255, by: 17) {
      for g in stride(from: 0, through: 255, by: 17) {
        for b in stride(from: 0, through: 255, by: 17) {
          let (qr, qg, qb) = ColourQuantiser.rgb(ofXterm: ColourQuantiser.xterm256(UInt8(r), UInt8(g), UInt8(b)))
          worst = max(worst, abs(Int(qr) - r), abs(Int(qg) - g), abs(Int(qb) - b))
        }
      }
    }
    #expect(worst <= 48)
  }

  @Test func basicColoursAndGlyphColours() {
    #expect(ColourQuantiser.basic8(200, 30, 30) == 1)
    #expect(ColourQuantiser.basic8(250, 250, 250) == 7)
    #expect(ColourQuantiser.quantise(1, 2, 3, for: .none) == -1)
    #expect(ColourQuantiser.glyphColour(3, for: .indexed256) == 3)  // yellow
    #expect(ColourQuantiser.glyphColour(8, for: .indexed256) == 244)  // grey
    #expect(ColourQuantiser.glyphColour(8, for: .basic) == 7)
    #expect(ColourQuantiser.glyphColour(1, for: .none) == -1)
    #expect(ColourSupport(hasColours: true, colours: 256) == .indexed256)
    #expect(ColourSupport(hasColours: true, colours: 8) == .basic)
    #expect(ColourSupport(hasColours: false, colours: 0) == .none)
  }

  @Test func pairCacheHandsOutPairsOnceAndReportsWhenFull() {
    var c = PairCache(limit: 2)
    #expect(c.pair(fg: -1, bg: -1)! == (0, false))
    #expect(c.pair(fg: 196, bg: 21)! == (1, true))
    #expect(c.pair(fg: 196, bg: 21)! == (1, false))
    #expect(c.pair(fg: 255, bg: -1)! == (2, true))
    #expect(c.pair(fg: 3, bg: 4) == nil)
    c.reset()
    #expect(c.pair(fg: 3, bg: 4)! == (1, true))
    // Pairs above 255 are handed out (they are selected with attr_set, not COLOR_PAIR).
    var big = PairCache(limit: 65535)
    #expect(big.limit == 32767)
    var last: Int16 = 0
    for fg in Int16(0)..<20 { for bg in Int16(0)..<20 { last = big.pair(fg: fg, bg: bg)!.pair } }
    #expect(last == 400)
  }
}

@Suite struct BasicPaletteTests {
  /// The ANSI colours of the cells of a pixel-view rendering.
  func cellColours(_ rgb: [UInt8]) -> [Int16] {
    var screen = CellBuffer(width: 64, height: 32)
    PixelView.draw(rgb, into: &screen, x: 0, y: 0, colours: .basic)
    return screen.cells.flatMap { [$0.style.fg, $0.style.bg] }
  }

  @Test func aSpriteKeepsOffItsBackgroundsColour() {
    // Cream floor (white in eight colours) with a grey-and-pink 3×3 mouse, as in maze.
    var rgb = [UInt8](repeating: 0, count: 64 * 64 * 3)
    func set(_ x: Int, _ y: Int, _ c: (UInt8, UInt8, UInt8)) { let i = (y * 64 + x) * 3; rgb[i] = c.0; rgb[i + 1] = c.1; rgb[i + 2] = c.2 }
    for y in 0..<64 { for x in 0..<64 { set(x, y, (0xd8, 0xcf, 0xa6)) } }
    for y in 30..<33 { for x in 30..<33 { set(x, y, x == 31 ? (0xf4, 0x8f, 0xb1) : (0x9e, 0x9e, 0x9e)) } }
    #expect(ColourQuantiser.basic8(0x9e, 0x9e, 0x9e) == ColourQuantiser.basic8(0xd8, 0xcf, 0xa6))  // the problem
    let colours = cellColours(rgb)
    let floor = colours[0]
    #expect(floor == 7)
    #expect(Set(colours).count >= 3, "the mouse's grey and pink are neither white nor each other's colour")
    // Shading close to the floor stays with it (no speckles).
    set(0, 0, (0xd0, 0xc8, 0xa0))
    #expect(cellColours(rgb)[0] == floor)
  }

  @Test func theRealMazeMouseIsVisible() throws {
    let env = try Catalog.make(EnvConfig(game: "maze", options: GameOptions(mode: .hard)))
    env.reset(levelSeed: 1)
    // Walls are blue and black, the path white; before, the mouse was white too and only the cheese stood out.
    let withMouse = Set(cellColours(env.rgb()))
    #expect(withMouse.subtracting([0, 4, 7]).count >= 2, "cheese and mouse each have a colour other than black, blue and white")
  }
}
