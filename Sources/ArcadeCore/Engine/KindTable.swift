/// One kind of thing a game shows: a tile of its level grid, or an entity or
/// map marker. Each game lists its kinds once, in a `KindTable`; the `grid`
/// channels, the glyph view, level-map reading and writing, both legends and
/// the tile atlases all read that one list (ProcGen's `asset_for_type`).
/// A class, so that handing a kind to the per-step drawing costs one retain.
public final class Kind: Sendable {
  /// Id in the game's tile grid; nil for entities and map-only markers.
  public let tile: UInt8?
  /// Level-file character, and its legend text (nil: not listed, e.g. a
  /// variant written with the same character as the kind it varies).
  public let map: Character?
  public let legend: String?
  /// Glyph-view character and colour (blank: " "), and its line in the viewer's help.
  public let glyph: Character
  public let colour: GlyphGrid.Colour
  public let glyphLegend: String?
  /// Names of the `grid` channels the kind sets; resolved to indices by the table.
  public let channelNames: [String]
  public let channels: [Int]
  /// Tile art (palette characters, one string per row) and the flat-colour
  /// kind drawn in monochrome (nil: black).
  public let art: [String]?
  public let mono: Int?
  /// The tile a level map stores under this entity or marker (nil: the table's floor).
  public let under: UInt8?

  public init(
    tile: UInt8? = nil, map: Character? = nil, _ legend: String? = nil, glyph: Character = " ",
    _ colour: GlyphGrid.Colour = .normal, _ glyphLegend: String? = nil, channels: [String] = [],
    art: [String]? = nil, mono: Int? = nil, under: UInt8? = nil
  ) {
    self.tile = tile
    self.map = map
    self.legend = legend
    self.glyph = glyph
    self.colour = colour
    self.glyphLegend = glyphLegend
    channelNames = channels
    self.channels = []
    self.art = art
    self.mono = mono
    self.under = under
  }

  /// `k` with its channel names resolved to plane indices.
  init(_ k: Kind, channels: [Int]) {
    tile = k.tile; map = k.map; legend = k.legend
    glyph = k.glyph; colour = k.colour; glyphLegend = k.glyphLegend
    channelNames = k.channelNames
    self.channels = channels
    art = k.art; mono = k.mono; under = k.under
  }

  /// The glyph as a Unicode scalar value, as `GlyphGrid` stores it.
  public var glyphScalar: UInt32 { glyph.unicodeScalars.first!.value }
}

/// A game's kinds, with per-tile lookup tables for the per-step observations.
public struct KindTable: Sendable {
  public let kinds: [Kind]
  /// The `grid` channel names, in plane order.
  public let channels: [String]
  /// Per tile id: glyph scalar, glyph colour, first and second grid channel (-1: none).
  public let glyphs: [UInt32]
  public let colours: [UInt8]
  public let channelA: [Int]
  public let channelB: [Int]
  /// Whether any tile sets a second channel (most tables: none, so `encode` skips `channelB`).
  public let twoChannels: Bool
  /// Per tile id: level-map character.
  public let mapChars: [Character]
  /// The tile a map cell holding an entity or marker gets by default.
  public let floor: UInt8

  /// `channels` are the game's grid channel names, in plane order; every name
  /// a kind gives must be one of them.
  public init(channels: [String], floor: UInt8 = 0, _ kinds: [Kind]) {
    let ks = kinds.map { k in
      Kind(k, channels: k.channelNames.map { name in
        guard let c = channels.firstIndex(of: name) else { preconditionFailure("kind channel '\(name)' is not a grid channel") }
        return c
      })
    }
    let count = Int(ks.compactMap(\.tile).max() ?? 0) + 1
    var g = [UInt32](repeating: 32, count: count), col = [UInt8](repeating: 0, count: count)
    var a = [Int](repeating: -1, count: count), b = [Int](repeating: -1, count: count)
    var m = [Character](repeating: "?", count: count)
    for k in ks {
      guard let t = k.tile.map(Int.init) else { continue }
      precondition(m[t] == "?" && g[t] == 32, "tile \(t) listed twice")
      g[t] = k.glyphScalar
      col[t] = k.colour.rawValue
      if k.channels.count > 0 { a[t] = k.channels[0] }
      if k.channels.count > 1 { b[t] = k.channels[1] }
      if let c = k.map { m[t] = c }
    }
    self.kinds = ks
    self.channels = channels
    glyphs = g
    colours = col
    channelA = a
    channelB = b
    twoChannels = b.contains { $0 >= 0 }
    mapChars = m
    self.floor = floor
  }

  /// The level-file legend: every kind with a map character and a legend, in table order.
  public var legend: [(Character, String)] {
    kinds.compactMap { k in k.map.flatMap { c in k.legend.map { (c, $0) } } }
  }

  /// The glyph legend: the player first (the kind placed by the agent-start character "A", and any glyph
  /// sharing its text, e.g. caveflyer's ship headings), then every other kind that explains its glyph, in
  /// table order. People look for themselves first in `?`, and tests find the player there.
  public var glyphLegend: [(Character, String)] {
    let all = kinds.compactMap { k in k.glyphLegend.map { (k.glyph, $0) } }
    guard let player = kinds.first(where: { $0.map == "A" })?.glyphLegend else { return all }
    return all.filter { $0.1 == player } + all.filter { $0.1 != player }
  }

  /// The first kind with level-map character `c` (a precondition for tables that must have it).
  public subscript(map c: Character) -> Kind {
    guard let k = kinds.first(where: { $0.map == c }) else { preconditionFailure("no kind with map character '\(c)'") }
    return k
  }

  /// The first kind drawn as glyph `c` (in `colour`, when given), for entities without a
  /// map character (a precondition that there is one).
  public subscript(glyph c: Character, colour colour: GlyphGrid.Colour? = nil) -> Kind {
    guard let k = kinds.first(where: { $0.glyph == c && (colour == nil || $0.colour == colour) }) else {
      preconditionFailure("no kind with glyph '\(c)'")
    }
    return k
  }

  /// The tile of tile id `t` (a precondition that there is one).
  public subscript(tile t: UInt8) -> Kind {
    guard let k = kinds.first(where: { $0.tile == t }) else { preconditionFailure("no kind with tile \(t)") }
    return k
  }

  /// The tile a map character stands for: its own tile, the tile under an entity or marker, else the floor.
  public func tile(map c: Character) -> UInt8 {
    guard let k = kinds.first(where: { $0.map == c }) else { return floor }
    return k.tile ?? k.under ?? floor
  }
}

// MARK: - Observations (every step: no allocation)

extension KindTable {
  /// Marks the tile channels of a `width` × `height` window (channels × height ×
  /// width floats, row 0 at the top); `tile(x, y)` gives the tile of window cell (x, y), y up.
  @inlinable @inline(__always)
  public func encode(width: Int, height: Int, into out: UnsafeMutableBufferPointer<Float>, tile: (Int, Int) -> UInt8) {
    let plane = width * height
    channelA.withUnsafeBufferPointer { a in
      channelB.withUnsafeBufferPointer { b in
        KindTable.window(width: width, height: height, tile: tile) { i, t in
          let ca = a[t]
          if ca >= 0 { out[ca * plane + i] = 1 }
          if twoChannels, b[t] >= 0 { out[b[t] * plane + i] = 1 }
        }
      }
    }
  }

  /// Walks a `width` × `height` window for `encode` and `drawGlyphs`: `body(i, t)`
  /// gets the output index of window cell (x, y) (row 0 at the top) and its tile.
  @inlinable @inline(__always)
  static func window(width: Int, height: Int, tile: (Int, Int) -> UInt8, _ body: (Int, Int) -> Void) {
    for y in 0..<height {
      let row = (height - 1 - y) * width
      for x in 0..<width { body(row + x, Int(tile(x, y))) }
    }
  }

  /// `encode` for a whole world stored row-major with y up (a plain loop: the
  /// grid observation is encoded every step).
  @inlinable
  public func encode(_ tiles: [UInt8], width: Int, height: Int, into out: UnsafeMutableBufferPointer<Float>) {
    let plane = width * height
    tiles.withUnsafeBufferPointer { t in
      func mark(_ c: UnsafeBufferPointer<Int>) {
        for y in 0..<height {
          let src = y * width, dst = (height - 1 - y) * width
          for x in 0..<width {
            let ch = c[Int(t[src + x])]
            if ch >= 0 { out[ch * plane + dst + x] = 1 }
          }
        }
      }
      channelA.withUnsafeBufferPointer(mark)
      if twoChannels { channelB.withUnsafeBufferPointer(mark) }
    }
  }

  /// Draws the tile glyphs of a window the size of `g`; `tile(x, y)` as for `encode`.
  @inlinable @inline(__always)
  public func drawGlyphs(into g: inout GlyphGrid, tile: (Int, Int) -> UInt8) {
    glyphs.withUnsafeBufferPointer { gs in
      colours.withUnsafeBufferPointer { cs in
        KindTable.window(width: g.width, height: g.height, tile: tile) { i, t in
          g.chars[i] = gs[t]
          g.colours[i] = cs[t]
        }
      }
    }
  }

  /// `drawGlyphs` for a whole world the size of `g`, stored row-major with y up.
  @inlinable
  public func drawGlyphs(_ tiles: [UInt8], into g: inout GlyphGrid) {
    let w = g.width
    tiles.withUnsafeBufferPointer { t in drawGlyphs(into: &g) { t[$1 * w + $0] } }
  }
}

// MARK: - Level maps

extension KindTable {
  /// The map of a `width` × `height` world of tiles (row-major, y up).
  public func levelMap(_ tiles: [UInt8], width: Int, height: Int, theme: Int) -> LevelMap {
    var m = LevelMap(width: width, height: height, fill: ".")
    m.theme = theme
    for y in 0..<height { for x in 0..<width { m.setWorld(x, y, mapChars[Int(tiles[y * width + x])]) } }
    return m
  }

  /// The tiles of the map in `reader`, in a world of `fill` (outside a smaller map).
  public func tiles(_ reader: MapReader, fill: UInt8) -> [UInt8] {
    let w = reader.worldWidth
    var t = [UInt8](repeating: fill, count: w * reader.worldHeight)
    reader.forEach { x, y, c in t[y * w + x] = tile(map: c) }
    return t
  }
}

// MARK: - Entities

extension EntityRaster {
  /// Marks the kind's grid channels over the entity's box.
  @inlinable
  public static func mark(
    _ e: Entity, _ kind: Kind, into out: UnsafeMutableBufferPointer<Float>, width: Int, height: Int,
    originX: Int = 0, originY: Int = 0
  ) {
    for c in kind.channels {
      mark(e, channel: c, into: out, width: width, height: height, originX: originX, originY: originY)
    }
  }

  /// Writes the kind's glyph over the entity's box.
  @inlinable
  public static func glyph(_ e: Entity, _ kind: Kind, into g: inout GlyphGrid, originX: Int = 0, originY: Int = 0) {
    glyph(e, kind.glyph, kind.colour, into: &g, originX: originX, originY: originY)
  }
}

// MARK: - Tile art

extension KindTable {
  /// One atlas block per tile id (then `extra` art), coloured by `palette`; ids without art stay black.
  public func atlas(_ palette: Palette, extra: [[String]] = []) -> [UInt32] {
    let byTile = (0..<glyphs.count).map { t in kinds.first { $0.tile == UInt8(t) }?.art }
    return Texture.atlas((byTile + extra.map { Optional($0) }).map { art in
      art.map { Texture(art: $0, palette: palette) } ?? Texture.solid(RGB(0, 0, 0))
    })
  }

  /// The monochrome atlas: each tile one flat colour (its `mono` kind, black without), then `extra` kinds.
  public func monoAtlas(extra: [Int?] = []) -> [UInt32] {
    let byTile = (0..<glyphs.count).map { t in kinds.first { $0.tile == UInt8(t) }?.mono }
    return Texture.atlas((byTile + extra).map { k in Texture.solid(k.map { RGB.monochrome(kind: $0) } ?? RGB(0, 0, 0)) })
  }
}
