import Foundation
import Testing
import ArcadeCore
@testable import ArcadeGames

/// Issue 18 item 2: the ninja was near-black (0x263238) on a dark background, hard to find
/// for people and for the 64×64 frame alike.
@Suite struct NinjaLookTests {
  /// WCAG relative luminance of an sRGB colour.
  static func luminance(_ c: RGB) -> Double {
    func lin(_ v: UInt8) -> Double {
      let s = Double(v) / 255
      return s <= 0.04045 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4)
    }
    return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b)
  }

  static func contrast(_ a: RGB, _ b: RGB) -> Double {
    let (x, y) = (luminance(a), luminance(b))
    return (max(x, y) + 0.05) / (min(x, y) + 0.05)
  }

  /// At least three quarters of the ninja's pixels stand out (contrast ≥ 3, WCAG's figure for
  /// large shapes) from both background shades of every theme.
  @Test func theNinjaStandsOutFromEveryBackground() {
    let texels = Ninja.ninjaArt.joined().filter { $0 != "." }.map { Ninja.fixed[$0]! }
    for (i, theme) in Ninja.themes.enumerated() {
      for shade in ["b", "B"] as [Character] {
        let bg = theme[shade]!
        let clear = texels.filter { Self.contrast($0, bg) >= 3 }.count
        #expect(clear * 4 >= texels.count * 3, "theme \(i) '\(shade)': \(clear) of \(texels.count) ninja pixels stand out")
      }
    }
  }

  /// The same in a rendered frame: most pixels of the ninja's box are far from the background colour.
  @Test(arguments: [DistributionMode.easy, .hard])
  func theNinjaStandsOutInTheFrame(mode: DistributionMode) throws {
    for seed: UInt32 in 0..<6 {
      let env = try makeEnv("ninja", mode) as! GameEnv<Ninja>
      env.reset(levelSeed: seed)
      let s = env.state, rgb = env.rgb(), bg = Ninja.themes[s.theme]["b"]!
      let r = env.game.view(s).pixelRect(x0: s.agent.x - 0.5, y0: s.agent.y - 0.5, x1: s.agent.x + 0.5, y1: s.agent.y + 0.5)
      var clear = 0, all = 0
      for y in max(0, r.y0)..<min(64, r.y1) {
        for x in max(0, r.x0)..<min(64, r.x1) {
          let i = (y * 64 + x) * 3
          all += 1
          if Self.contrast(RGB(rgb[i], rgb[i + 1], rgb[i + 2]), bg) >= 3 { clear += 1 }
        }
      }
      // The sprite leaves about a quarter of its box transparent.
      #expect(all > 0 && clear * 2 >= all, "\(mode) seed \(seed) theme \(s.theme): \(clear) of \(all) pixels stand out")
    }
  }
}
