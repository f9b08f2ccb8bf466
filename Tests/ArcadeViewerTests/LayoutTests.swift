import Testing
@testable import ArcadeViewer

@Suite struct LayoutTests {
  let mazeGlyphs = (width: 25, height: 25)

  @Test func pixelViewFitsAndCentres() throws {
    let l = try #require(SingleViewLayout.make(screen: (120, 40), mode: .pixels, glyphs: mazeGlyphs))
    #expect(l == SingleViewLayout(viewX: 28, viewY: 2, viewWidth: 64, viewHeight: 32, glyphCellWidth: 1, footerY: 34))
    #expect(SingleViewLayout.make(screen: (64, 35), mode: .pixels, glyphs: mazeGlyphs) != nil)
    #expect(SingleViewLayout.make(screen: (63, 35), mode: .pixels, glyphs: mazeGlyphs) == nil)
    #expect(SingleViewLayout.make(screen: (64, 34), mode: .pixels, glyphs: mazeGlyphs) == nil)
  }

  @Test func pixelViewZoomsWhenThereIsRoom() throws {
    let z = { (w: Int, h: Int) in SingleViewLayout.make(screen: (w, h), mode: .pixels, glyphs: self.mazeGlyphs)!.pixelZoom }
    #expect(z(120, 40) == 1 && z(127, 67) == 1 && z(128, 67) == 2 && z(200, 66) == 1)
    #expect(z(192, 99) == 3 && z(191, 99) == 2)
    let l = try #require(SingleViewLayout.make(screen: (200, 70), mode: .pixels, glyphs: mazeGlyphs))
    #expect(l.viewWidth == 128 && l.viewHeight == 64 && l.viewX == 36 && l.footerY == 66)
  }

  @Test func glyphViewUsesTwoColumnsPerCellWhenThereIsRoom() throws {
    #expect(try #require(SingleViewLayout.make(screen: (120, 40), mode: .glyphs, glyphs: mazeGlyphs)).glyphCellWidth == 2)
    #expect(try #require(SingleViewLayout.make(screen: (45, 28), mode: .glyphs, glyphs: mazeGlyphs)).glyphCellWidth == 1)
    #expect(SingleViewLayout.make(screen: (45, 27), mode: .glyphs, glyphs: mazeGlyphs) == nil)
    #expect(SingleViewLayout.minimumSize(mode: .glyphs, glyphs: mazeGlyphs) == (40, 28))
  }

  @Test func watchGridPicksTheLargestTilesThatShowEveryEnv() throws {
    let g = WatchLayout.Size(25, 25)
    let small = try #require(WatchLayout.make(screen: .init(120, 40), envs: 4, mode: .pixels, glyphs: g))
    #expect(small.scale == 2 && small.columns == 2 && small.rows == 2 && small.shown == 4)
    #expect(small.origin(ofTile: 3) == (52, 21))
    let large = try #require(WatchLayout.make(screen: .init(260, 75), envs: 6, mode: .pixels, glyphs: g))
    #expect(large.scale == 1 && large.columns == 3 && large.rows == 2 && large.shown == 6)
    // Six games (the shipped agent's) on 120×40: compact 3×2 tiles, the bars of the selected env beside them.
    let sixOnSmall = try #require(WatchLayout.make(screen: .init(120, 40), envs: 6, mode: .pixels, glyphs: g, fastWeightsWidth: 32))
    #expect(sixOnSmall.compact && sixOnSmall.columns == 3 && sixOnSmall.rows == 2 && sixOnSmall.shown == 6)
    #expect(sixOnSmall.sideX == 99 && sixOnSmall.sideWidth == WatchLayout.compactSideWidth)
    let twoByThree = try #require(WatchLayout.make(screen: .init(160, 40), envs: 6, mode: .pixels, glyphs: g))
    #expect(twoByThree.columns == 3 && twoByThree.rows == 2 && twoByThree.shown == 6 && !twoByThree.compact)
    #expect(WatchLayout.make(screen: .init(40, 40), envs: 1, mode: .pixels, glyphs: g) == nil)
    #expect(WatchLayout.minimumSize(mode: .pixels, glyphs: g) == .init(51, 21))
  }

  @Test func watchReservesAFastWeightColumn() throws {
    let l = try #require(WatchLayout.make(screen: .init(140, 40), envs: 4, mode: .pixels, glyphs: .init(25, 25), fastWeightsWidth: 28))
    #expect(l.columns == 2 && l.sideX == 104)
    let glyphTiles = try #require(WatchLayout.make(screen: .init(120, 40), envs: 1, mode: .glyphs, glyphs: .init(25, 25)))
    #expect(glyphTiles.scale == 2 && glyphTiles.view == .init(50, 25))
  }
}
