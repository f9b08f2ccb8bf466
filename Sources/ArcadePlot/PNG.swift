// PNG encoding through libpng's simplified write API (png_image; no setjmp needed), so
// charts are zlib-compressed instead of stored.
import CPNG

public enum PNG {
  /// Encodes 8-bit RGB pixels (row-major, 3 bytes a pixel, no row padding) as a PNG.
  public static func encode(rgb: [UInt8], width: Int, height: Int) -> [UInt8] {
    precondition(width > 0 && height > 0 && rgb.count == width * height * 3, "PNG.encode: size mismatch")
    var image = png_image()
    image.version = UInt32(PNG_IMAGE_VERSION)
    image.width = UInt32(width)
    image.height = UInt32(height)
    image.format = UInt32(PNG_FORMAT_RGB)
    return rgb.withUnsafeBytes { pixels in
      // First pass measures the compressed size, second writes (libpng's documented pattern).
      var size: png_alloc_size_t = 0
      guard png_image_write_to_memory(&image, nil, &size, 0, pixels.baseAddress, 0, nil) != 0 else {
        fatalError("PNG.encode: libpng failed (\(message(image)))")
      }
      var out = [UInt8](repeating: 0, count: Int(size))
      let ok = out.withUnsafeMutableBytes {
        png_image_write_to_memory(&image, $0.baseAddress, &size, 0, pixels.baseAddress, 0, nil)
      }
      guard ok != 0 else { fatalError("PNG.encode: libpng failed (\(message(image)))") }
      return Array(out.prefix(Int(size)))
    }
  }

  static func message(_ image: png_image) -> String {
    withUnsafeBytes(of: image.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
  }
}
