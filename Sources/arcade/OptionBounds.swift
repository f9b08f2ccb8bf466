import ArcadeRL
import ArgumentParser

/// The documented range of a numeric option. One value gives both the option's
/// --help text and its parser, so what --help says is what is checked: a value
/// out of range, nan, not a number or too large for the type is one error naming
/// the option and its range, and a negative value is read (not taken for an
/// option name) and then refused with the range.
struct Bounds<T: Comparable & LosslessStringConvertible & Sendable>: Sendable {
  let range: ClosedRange<T>
  init(_ range: ClosedRange<T>) { self.range = range }

  var text: String {
    range.upperBound as? UInt64 == .max ? "\(range.lowerBound)...2^64-1" : "\(range.lowerBound)...\(range.upperBound)"
  }

  func parse(_ s: String) throws -> T {
    guard let v = T(s), range.contains(v) else {
      throw ValidationError("must be \(T.self is any BinaryInteger.Type ? "an integer" : "a number") in \(text)")
    }
    return v
  }

  func help(_ h: ArgumentHelp, default value: T? = nil) -> ArgumentHelp {
    var h = h
    h.abstract += " Range \(text)" + (value.map { " (default: \($0))." } ?? ".")
    return h
  }
}

/// Every numeric option's range, in one place.
enum Limits {
  static let threads = Bounds(1...64)
  /// Level seeds, as ProcGen: [0, 2^31 − 1).
  static let levelSeed = Bounds<UInt32>(0...2_147_483_646)
  static let numLevels = Bounds(0...2_147_483_647)
  static let startLevel = Bounds(0...2_147_483_646)
  static let seed = Bounds<UInt64>(0...UInt64.max)
  static let speed = Bounds(0.1...240.0)
  static let envs = Bounds(1...64)

  static let runSteps = Bounds(0...100_000_000)
  /// --dump-observations keeps every frame (12 KB each) in memory until the end.
  static let dumpedSteps = 100_000
  static let redrawFrames = Bounds(1...100_000)
  static let smooth = Bounds(1...100_000)

  static let benchSeconds = Bounds(0.01...60.0)
  static let benchEnvs = Bounds(1...1024)
  static let benchRounds = Bounds(1...100)

  static let frames = Bounds(1...10_000_000_000)
  static let unroll = Bounds(1...1000)
  static let batch = Bounds(1...1024)
  static let unrollFrames = TrainConfig.maxFramesPerUpdate
  static let learningRate = Bounds<Float>(0...1)
  static let cost = Bounds<Float>(0...100)
  static let discount = Bounds<Float>(0...1)
  static let gradClip = Bounds<Float>(0.001...1_000_000)
  static let every = Bounds(1...10_000_000_000)
  static let probability = Bounds(0.0...1.0)
  static let replayTemperature = Bounds(0.001...100.0)
  static let episodes = Bounds(1...1_000_000)

  static let ways = Bounds(2...100)
  static let shots = Bounds(1...100)
  static let fewShotSteps = Bounds(1...100_000_000)
  static let fewShotBatch = Bounds(1...1024)
  static let fewShotLR = Bounds(1e-8...1.0)
  static let fewShotLRFinal = Bounds(0.0...1.0)
  static let validEvery = Bounds(1...100_000_000)
  static let width = Bounds(1...4096)
  static let layers = Bounds(1...64)
  static let heads = Bounds(1...256)
  static let minutes = Bounds(0.0...1_000_000.0)
  static let groups = Bounds(2...10_000)
  /// Views per few-shot test episode (`fewshot eval --ensemble`).
  static let ensemble = Bounds(1...64)
  /// `fewshot eval --view-jitter`: a fraction of `--augment`'s distortion ranges.
  static let viewJitter = Bounds(0.0...2.0)
  /// `fewshot train --proto-loss` and `--distill`: an auxiliary loss's weight.
  static let lossWeight = Bounds(0.0...100.0)
  /// `fewshot train --distill-temperature`.
  static let distillTemperature = Bounds(0.01...100.0)
  /// `fewshot train --image-side`: the encoder halves it four times.
  static let imageSide = Bounds(16...105)
}

extension Option where Value: Comparable & LosslessStringConvertible & Sendable {
  /// `@Option(Limits.threads, help: "…") var threads = 2`: a numeric option with a documented range.
  init(wrappedValue: Value, _ bounds: Bounds<Value>, name: NameSpecification = .long, help: ArgumentHelp) {
    self.init(wrappedValue: wrappedValue, name: name, parsing: .unconditional, help: bounds.help(help, default: wrappedValue),
              transform: { try bounds.parse($0) })
  }

  /// A required numeric option with a documented range.
  init(_ bounds: Bounds<Value>, name: NameSpecification = .long, help: ArgumentHelp) {
    self.init(name: name, parsing: .unconditional, help: bounds.help(help), transform: { try bounds.parse($0) })
  }
}

extension Option {
  /// An optional numeric option with a documented range.
  init<T>(_ bounds: Bounds<T>, name: NameSpecification = .long, help: ArgumentHelp) where Value == T? {
    self.init(name: name, parsing: .unconditional, help: bounds.help(help), transform: { try bounds.parse($0) })
  }
}

extension Bounds {
  /// "1000,1200,1400": a comma-separated list, each value in range.
  func parseList(_ s: String) throws -> [T] {
    let parts = s.split(separator: ",", omittingEmptySubsequences: false)
    guard !s.isEmpty, parts.allSatisfy({ !$0.isEmpty }) else {
      throw ValidationError("must be a comma-separated list of numbers in \(text)")
    }
    return try parts.map { try parse(String($0)) }
  }
}

extension Option {
  /// A comma-separated list option, each value in a documented range.
  init<T>(wrappedValue: [T], list bounds: Bounds<T>, name: NameSpecification = .long, help: ArgumentHelp)
  where Value == [T] {
    var h = help
    h.abstract += " Each in \(bounds.text) (default: \(wrappedValue.map { "\($0)" }.joined(separator: ",")))."
    self.init(wrappedValue: wrappedValue, name: name, parsing: .unconditional, help: h,
              transform: { try bounds.parseList($0) })
  }
}
