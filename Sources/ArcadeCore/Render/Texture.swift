/// A small RGBA image (alpha 0 = transparent), packed as 0xAARRGGBB.
public struct Texture: Sendable {
  public let width: Int
  public let height: Int
  public let pixels: [UInt32]

  public init(width: Int, height: Int, pixels: [UInt32]) {
    precondition(pixels.count == width * height, "texture size mismatch")
    self.width = width
    self.height = height
    self.pixels = pixels
  }

  /// A texture from pixel art: one string per row, each character looked up in
  /// `palette` ('.' or a missing key is transparent).
  public init(art: [String], palette: [Character: RGB]) {
    let h = art.count
    let w = art.map(\.count).max() ?? 0
    var px = [UInt32](repeating: 0, count: w * h)
    for (y, row) in art.enumerated() {
      for (x, ch) in row.enumerated() {
        if let c = palette[ch] { px[y * w + x] = c.packed }
      }
    }
    self.init(width: w, height: h, pixels: px)
  }

  /// A texture of one flat colour.
  public static func solid(_ c: RGB, width: Int = 8, height: Int = 8) -> Texture {
    Texture(width: width, height: height, pixels: [UInt32](repeating: c.packed, count: width * height))
  }

  /// The same art with its opaque pixels replaced by one flat colour (monochrome assets).
  public func flattened(to c: RGB) -> Texture {
    Texture(width: width, height: height, pixels: pixels.map { $0 >> 24 == 0 ? 0 : c.packed })
  }

  /// The texture mirrored left to right.
  public func mirrored() -> Texture {
    var px = pixels
    for y in 0..<height {
      for x in 0..<width { px[y * width + x] = pixels[y * width + (width - 1 - x)] }
    }
    return Texture(width: width, height: height, pixels: px)
  }
}

/// An opaque colour.
public struct RGB: Sendable, Equatable, Hashable {
  public var r: UInt8, g: UInt8, b: UInt8
  public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) { self.r = r; self.g = g; self.b = b }
  /// From 0xRRGGBB.
  public init(hex: UInt32) {
    self.init(UInt8(hex >> 16 & 0xff), UInt8(hex >> 8 & 0xff), UInt8(hex & 0xff))
  }
  public var packed: UInt32 { 0xff00_0000 | UInt32(r) << 16 | UInt32(g) << 8 | UInt32(b) }

  /// The fixed colour of a sprite kind in monochrome mode: a hash of
  /// (kind, theme) onto a 4×4×4 colour cube, as ProcGen does.
  public static func monochrome(kind: Int, theme: Int = 0) -> RGB {
    let h = fnv1a64([UInt8(truncatingIfNeeded: kind), UInt8(truncatingIfNeeded: theme), 0x5a])
    let levels: [UInt8] = [40, 110, 180, 250]
    return RGB(levels[Int(h & 3)], levels[Int(h >> 2 & 3)], levels[Int(h >> 4 & 3)])
  }
}

extension Texture {
  /// Packs tile textures into an atlas of 8×8 blocks (one per tile id, nearest
  /// resampling; transparent texels become `background`).
  public static func atlas(_ textures: [Texture], background: RGB = RGB(0, 0, 0)) -> [UInt32] {
    var out = [UInt32](repeating: background.packed, count: textures.count * 64)
    for (i, t) in textures.enumerated() {
      for v in 0..<8 {
        for u in 0..<8 {
          let c = t.pixels[(v * t.height / 8) * t.width + u * t.width / 8]
          if c >> 24 != 0 { out[i * 64 + v * 8 + u] = c }
        }
      }
    }
    return out
  }
}

/// A colour theme: a palette for pixel art, one per level (chosen at generation).
public typealias Palette = [Character: RGB]
