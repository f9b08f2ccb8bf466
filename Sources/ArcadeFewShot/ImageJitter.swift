// Small random affine distortions of training images (`fewshot train --augment`): a shift, a rotation and a
// scaling about the image centre, sampled bilinearly. The 90° rotations make new classes; these keep the
// class and only make each drawing look a little different every time it is shown, against over-fitting the
// few training characters.
import ArcadeBase
import Foundation

public struct ImageJitter: Sendable, Equatable {
  /// Largest shift in pixels along each axis.
  public var maxShift: Float
  /// Largest rotation in degrees, either way.
  public var maxDegrees: Float
  /// Largest relative change of size: the scale is drawn from 1 ± maxScale.
  public var maxScale: Float

  /// `--augment`: ±2 px (of 28), ±10°, ±10 %.
  public static let standard = standard(side: 28)

  /// `--augment` on side×side images: the shift is the same fraction of the image (2 px of 28).
  public static func standard(side: Int) -> ImageJitter {
    ImageJitter(maxShift: 2 * Float(side) / 28, maxDegrees: 10, maxScale: 0.1)
  }

  public init(maxShift: Float, maxDegrees: Float, maxScale: Float) {
    self.maxShift = maxShift; self.maxDegrees = maxDegrees; self.maxScale = maxScale
  }

  /// One distortion: where each output pixel reads the source.
  public struct Transform: Sendable, Equatable {
    public var dx: Float, dy: Float, degrees: Float, scale: Float
    public static let identity = Transform(dx: 0, dy: 0, degrees: 0, scale: 1)
    public init(dx: Float, dy: Float, degrees: Float, scale: Float) {
      self.dx = dx; self.dy = dy; self.degrees = degrees; self.scale = scale
    }
  }

  /// Every range multiplied by `f` (`fewshot eval --view-jitter`).
  public func scaled(by f: Float) -> ImageJitter {
    ImageJitter(maxShift: maxShift * f, maxDegrees: maxDegrees * f, maxScale: maxScale * f)
  }

  /// Draws one distortion, each parameter uniform in its range.
  public func sample(_ rng: inout PCG32) -> Transform {
    Transform(dx: rng.float(-maxShift, maxShift), dy: rng.float(-maxShift, maxShift),
              degrees: rng.float(-maxDegrees, maxDegrees), scale: 1 + rng.float(-maxScale, maxScale))
  }

  /// Writes `src` [n, n] distorted by `t` into `dst` [n, n] (not the same memory): the content moves by
  /// (dx, dy), turns by `degrees` counter-clockwise and grows by `scale`, about the centre; pixels that
  /// come from outside the source are 0 (no ink).
  public static func apply(_ t: Transform, _ src: UnsafePointer<Float>, n: Int, into dst: UnsafeMutablePointer<Float>) {
    let c = Float(n - 1) / 2
    let a = Double(t.degrees) * .pi / 180
    // Inverse map: source = R(−a) · (p − c − d) / scale + c. Image rows grow downwards, so a
    // counter-clockwise turn on screen is a clockwise one in (x, y) with y down.
    let cosA = Float(cos(a)) / t.scale, sinA = Float(sin(a)) / t.scale
    func at(_ x: Int, _ y: Int) -> Float { x >= 0 && x < n && y >= 0 && y < n ? src[y * n + x] : 0 }
    for y in 0..<n {
      for x in 0..<n {
        let px = Float(x) - c - t.dx, py = Float(y) - c - t.dy
        let sx = cosA * px - sinA * py + c
        let sy = sinA * px + cosA * py + c
        let x0 = sx.rounded(.down), y0 = sy.rounded(.down)
        let fx = sx - x0, fy = sy - y0
        let ix = Int(x0), iy = Int(y0)
        let top = at(ix, iy) * (1 - fx) + at(ix + 1, iy) * fx
        let bottom = at(ix, iy + 1) * (1 - fx) + at(ix + 1, iy + 1) * fx
        dst[y * n + x] = top * (1 - fy) + bottom * fy
      }
    }
  }
}
