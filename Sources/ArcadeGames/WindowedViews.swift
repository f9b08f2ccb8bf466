import ArcadeCore

/// A game whose `grid` and glyph view are one `AgentWindow` over its tiles and
/// the entities `shown` lists (coinrun, dodgeball, ninja): both views are
/// written here once, so the two can never show different things.
protocol WindowedViews: Game {
  static var kinds: KindTable { get }
  func window(_ s: State) -> AgentWindow
  /// The tile of world cell (x, y), also for cells off the map.
  func tile(_ s: State, _ x: Int, _ y: Int) -> UInt8
  /// Every entity both views show, with its kind, in glyph drawing order (last on top).
  func shown(_ s: State, _ show: (Entity, ArcadeCore.Kind) -> Void)
}

extension WindowedViews {
  public func encodeGrid(_ s: State, into out: UnsafeMutableBufferPointer<Float>) {
    let w = window(s)
    w.encode(Self.kinds, into: out) { tile(s, $0, $1) }
    shown(s) { w.mark($0, $1, into: out) }
  }

  public func drawGlyphs(_ s: State, into g: inout GlyphGrid) {
    let w = window(s)
    w.drawGlyphs(Self.kinds, into: &g) { tile(s, $0, $1) }
    shown(s) { w.glyph($0, $1, into: &g) }
  }
}

extension CoinRun: WindowedViews {}
extension DodgeBall: WindowedViews {}
extension Ninja: WindowedViews {}
