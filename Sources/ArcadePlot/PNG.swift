/// A minimal PNG encoder (8-bit RGB, zlib "stored" blocks): enough for charts
/// and frames without any image library.
public enum PNG {
  public static func encode(rgb: [UInt8], width: Int, height: Int) -> [UInt8] {
    precondition(rgb.count == width * height * 3, "PNG.encode: size mismatch")
    var raw: [UInt8] = []
    raw.reserveCapacity(height * (width * 3 + 1))
    for y in 0..<height {
      raw.append(0)  // filter: none
      raw.append(contentsOf: rgb[(y * width * 3)..<((y + 1) * width * 3)])
    }
    var out: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    var ihdr: [UInt8] = []
    ihdr += be32(UInt32(width)) + be32(UInt32(height)) + [8, 2, 0, 0, 0]
    chunk("IHDR", ihdr, into: &out)
    chunk("IDAT", zlibStored(raw), into: &out)
    chunk("IEND", [], into: &out)
    return out
  }

  static func be32(_ v: UInt32) -> [UInt8] {
    [UInt8(v >> 24), UInt8(v >> 16 & 0xff), UInt8(v >> 8 & 0xff), UInt8(v & 0xff)]
  }

  static func chunk(_ type: String, _ data: [UInt8], into out: inout [UInt8]) {
    let t = Array(type.utf8)
    out += be32(UInt32(data.count)) + t + data
    out += be32(crc32(t + data))
  }

  /// zlib stream of uncompressed deflate blocks (at most 65535 bytes each).
  static func zlibStored(_ data: [UInt8]) -> [UInt8] {
    var out: [UInt8] = [0x78, 0x01]
    var i = 0
    repeat {
      let n = min(65535, data.count - i)
      let last: UInt8 = i + n == data.count ? 1 : 0
      out += [last, UInt8(n & 0xff), UInt8(n >> 8), UInt8(~n & 0xff), UInt8((~n >> 8) & 0xff)]
      out += data[i..<(i + n)]
      i += n
    } while i < data.count
    var a: UInt32 = 1, b: UInt32 = 0
    for byte in data { a = (a + UInt32(byte)) % 65521; b = (b + a) % 65521 }
    return out + be32(b << 16 | a)
  }

  static let crcTable: [UInt32] = (0..<256).map { n in
    var c = UInt32(n)
    for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    return c
  }

  static func crc32(_ data: [UInt8]) -> UInt32 {
    var c: UInt32 = 0xFFFF_FFFF
    for b in data { c = crcTable[Int((c ^ UInt32(b)) & 0xff)] ^ (c >> 8) }
    return c ^ 0xFFFF_FFFF
  }
}
