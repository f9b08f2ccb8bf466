import Testing
@testable import ArcadeNN
