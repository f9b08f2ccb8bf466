/// An error meant for a person: one line that names the problem.
public struct ArcadeError: Error, CustomStringConvertible, Equatable, Sendable {
  public let message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}
