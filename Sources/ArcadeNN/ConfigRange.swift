// Documented ranges of the config values that checkpoints store and models are built from: a value
// outside its range is reported with the field's name before anything is sized by it.
import Foundation

public enum ConfigRange {
  /// nil when `value` is in `range`, else "config field 'heads' = 0 is out of range 1…64" (NaN is never in range).
  public static func problem<T: Comparable>(_ field: String, _ value: T, _ range: ClosedRange<T>) -> String? {
    range.contains(value) ? nil : "config field '\(field)' = \(value) is out of range \(range.lowerBound)…\(range.upperBound)"
  }

  /// The first out-of-range field of a list of checks, if any.
  public static func first(_ problems: String?...) -> String? { problems.lazy.compactMap { $0 }.first }

  /// One line naming the field a JSON config failed to decode on (a wrong type, a missing key, a bad value).
  public static func decodingProblem(_ error: Error) -> String {
    func path(_ c: DecodingError.Context) -> String { c.codingPath.map(\.stringValue).joined(separator: ".") }
    switch error as? DecodingError {
    case .keyNotFound(let key, let c)?: return "config field '\((c.codingPath + [key]).map(\.stringValue).joined(separator: "."))' is missing"
    case .typeMismatch(_, let c)?, .valueNotFound(_, let c)?: return "config field '\(path(c))' has the wrong type"
    case .dataCorrupted(let c)? where !c.codingPath.isEmpty: return "config field '\(path(c))' has an invalid value"
    case .dataCorrupted(let c)?: return "config is not valid: " + c.debugDescription.split(whereSeparator: \.isNewline).joined(separator: " ")
    default: return "config is not valid JSON"
    }
  }
}
