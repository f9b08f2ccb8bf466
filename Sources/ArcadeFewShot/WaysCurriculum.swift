/// The ways curriculum of `--curriculum`: episodes start with 2 classes; one is added whenever the mean
/// training accuracy of the last `window` steps reaches halfway between chance and 100 %. The accuracy is
/// taken on steps whose class was already shown (`seenAccuracy`), so the delayed setting's first occurrences,
/// which no model can get right beyond chance, do not hold the curriculum back.
public struct WaysCurriculum: Sendable {
  public let ways: Int
  public private(set) var active: Int
  public static let window = 100
  var recent: [Double] = []

  public init(ways: Int, start: Int = 2) { self.ways = ways; active = min(ways, max(2, start)) }

  /// The accuracy needed to add a class at the current number of active classes.
  public var threshold: Double { (1 + 1 / Double(active)) / 2 }

  /// Records one training step's query accuracy; returns true when a class was added.
  @discardableResult
  public mutating func record(_ accuracy: Double) -> Bool {
    guard active < ways else { return false }
    recent.append(accuracy)
    if recent.count > Self.window { recent.removeFirst() }
    guard recent.count == Self.window, recent.reduce(0, +) / Double(Self.window) >= threshold else { return false }
    active += 1
    recent = []
    return true
  }
}
