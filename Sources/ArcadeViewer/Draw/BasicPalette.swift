/// With eight colours a frame's sprites can merge into its background (maze's
/// grey-and-pink mouse turns white on the cream path). Per frame, the four
/// commonest colours keep their nearest ANSI colour; a clearly different
/// colour that would land on one of those takes the nearest ANSI colour still
/// free, so the player and goals stay visible.
struct BasicPalette {
  /// A background covers at least 1/128 of the frame (hard maze's few path cells are about 1/90).
  static let backgroundShare = 128
  /// A colour this close (squared RGB distance) to a background may share its ANSI colour (texture shading).
  static let closeEnough = 60 * 60

  private(set) var backgrounds: (UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0)
  private(set) var count = 0
  /// One bit per ANSI colour used by a background.
  private(set) var taken: UInt8 = 0

  /// The backgrounds of a 64×64×3 frame (counted in a table on the stack: nothing allocated).
  init(frame rgb: UnsafeBufferPointer<UInt8>) {
    let slots = 1024
    let pixels = rgb.count / 3
    // Keys, then counts, then the four commonest (colour, count) pairs.
    withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 2 * slots + 8) { table in
      table.initialize(repeating: 0)
      for p in 0..<pixels {
        let key = BasicPalette.pack(rgb[3 * p], rgb[3 * p + 1], rgb[3 * p + 2])
        var s = Int((key &* 2_654_435_761) >> 22) & (slots - 1)
        while table[s] != 0 && table[s] != key { s = (s + 1) & (slots - 1) }
        table[s] = key
        table[slots + s] += 1
      }
      // The four commonest colours, largest first.
      let top = 2 * slots
      for s in 0..<slots where table[s] != 0 && table[slots + s] > table[top + 7] {
        var i = 3
        while i > 0 && table[slots + s] > table[top + 2 * i - 1] {
          table[top + 2 * i] = table[top + 2 * i - 2]; table[top + 2 * i + 1] = table[top + 2 * i - 1]
          i -= 1
        }
        table[top + 2 * i] = table[s]; table[top + 2 * i + 1] = table[slots + s]
      }
      for i in 0..<4 where table[top + 2 * i + 1] > 0 && Int(table[top + 2 * i + 1]) * BasicPalette.backgroundShare >= pixels {
        add(table[top + 2 * i])
      }
    }
  }

  /// Opaque-marked so black is not the empty slot.
  @inline(__always)
  static func pack(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt32 {
    0xff00_0000 | UInt32(r) << 16 | UInt32(g) << 8 | UInt32(b)
  }

  private mutating func add(_ colour: UInt32) {
    switch count {
    case 0: backgrounds.0 = colour
    case 1: backgrounds.1 = colour
    case 2: backgrounds.2 = colour
    default: backgrounds.3 = colour
    }
    count += 1
    taken |= 1 << ColourQuantiser.basic8(UInt8(colour >> 16 & 0xff), UInt8(colour >> 8 & 0xff), UInt8(colour & 0xff))
  }

  @inline(__always)
  func background(_ i: Int) -> UInt32 {
    switch i { case 0: backgrounds.0; case 1: backgrounds.1; case 2: backgrounds.2; default: backgrounds.3 }
  }

  /// The ANSI colour of one pixel.
  func quantise(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int16 {
    let q = ColourQuantiser.basic8(r, g, b)
    guard taken & (1 << q) != 0 else { return q }
    for i in 0..<count {
      let c = background(i)
      let dr = Int(r) - Int(c >> 16 & 0xff), dg = Int(g) - Int(c >> 8 & 0xff), db = Int(b) - Int(c & 0xff)
      if dr * dr + dg * dg + db * db <= BasicPalette.closeEnough { return q }
    }
    return ColourQuantiser.nearestBasic(r, g, b, avoiding: taken) ?? q
  }
}
