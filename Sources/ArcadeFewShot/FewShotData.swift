// Where a run's episodes come from: Omniglot folders or the built-in procedural glyphs.

public enum FewShotData {
  /// A fingerprint of a source's split (FNV-1a of the written-down split for Omniglot; the glyph summary otherwise).
  public static func splitFingerprint(_ s: FewShotSource) -> String {
    let text = (s as? OmniglotSource)?.split.text ?? s.summary
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
    return String(h, radix: 16)
  }

  /// The subset shipped beside the project, when present.
  public static let sharedOmniglot = "../shared/data/omniglot"

  /// "glyphs" → procedural glyphs; anything else → an Omniglot folder. Images are side×side.
  public static func open(_ data: String, dataSeed: UInt64, splitSeed: UInt64,
                          heldOutAlphabets: (valid: [String], test: [String])? = nil, side: Int = 28) throws -> FewShotSource {
    if data == "glyphs" {
      guard heldOutAlphabets == nil else { throw FewShotError("glyphs have no alphabets (--test-alphabets needs Omniglot data)") }
      return GlyphSource(seed: dataSeed, side: side)
    }
    return try OmniglotSource(root: data, seed: splitSeed, heldOutAlphabets: heldOutAlphabets, side: side)
  }
}
