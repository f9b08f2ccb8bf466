// Grayscale PNG reading and writing through libpng's simplified API (png_image; no setjmp needed).
import CPNG
import Foundation

/// A problem with few-shot data, checkpoints or options, as a one-line message.
public struct FewShotError: Error, CustomStringConvertible, Equatable, Sendable {
  public let message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}

/// An 8-bit grayscale image, row-major (0 = black, 255 = white).
public struct GrayImage: Equatable, Sendable {
  public var width: Int, height: Int
  public var pixels: [UInt8]
  public init(width: Int, height: Int, pixels: [UInt8]) {
    precondition(pixels.count == width * height)
    self.width = width; self.height = height; self.pixels = pixels
  }
}

public enum PNGFile {
  static func message(_ image: png_image) -> String {
    withUnsafeBytes(of: image.message) { raw in
      String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
    }
  }

  /// Decodes any PNG (1-bit, palette, RGB, ...) to 8-bit grayscale.
  public static func read(_ path: String) throws -> GrayImage {
    var image = png_image()
    image.version = UInt32(PNG_IMAGE_VERSION)
    guard png_image_begin_read_from_file(&image, path) != 0 else {
      let m = message(image)
      png_image_free(&image)
      throw FewShotError("\(path): cannot read PNG (\(m))")
    }
    image.format = UInt32(PNG_FORMAT_GRAY)
    let w = Int(image.width), h = Int(image.height)
    var pixels = [UInt8](repeating: 0, count: w * h)
    let ok = pixels.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, 0, nil) }
    guard ok != 0 else {
      let m = message(image)
      png_image_free(&image)
      throw FewShotError("\(path): cannot decode PNG (\(m))")
    }
    png_image_free(&image)
    return GrayImage(width: w, height: h, pixels: pixels)
  }

  /// Writes an 8-bit grayscale PNG.
  public static func write(_ g: GrayImage, to path: String) throws {
    var image = png_image()
    image.version = UInt32(PNG_IMAGE_VERSION)
    image.width = UInt32(g.width); image.height = UInt32(g.height)
    image.format = UInt32(PNG_FORMAT_GRAY)
    let ok = g.pixels.withUnsafeBytes { png_image_write_to_file(&image, path, 0, $0.baseAddress, 0, nil) }
    guard ok != 0 else {
      let m = message(image)
      png_image_free(&image)
      throw FewShotError("\(path): cannot write PNG (\(m))")
    }
  }
}
