import ArcadeCore
import ArcadeNN
import ArcadePlot
import ArcadeRL
import ArgumentParser
import Foundation

struct Plot: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Draw learning curves of one or more runs (SVG and PNG, no Python needed).")

  @Argument(help: "Run directories (each with metrics.jsonl).") var runs: [String]
  @Option(help: "What to plot: return, normalised, loss, entropy, grad-norm, fps; accuracy for few-shot runs.") var metric = "return"
  @Option(help: "Game for return/normalised (default: the mean over games); for accuracy, valid (default) or train.") var game: String?
  @Option(help: "Output file stem: writes STEM.svg and STEM.png.") var out = "curves"
  @Option(Limits.smooth, help: "Smoothing: moving average over this many points.") var smooth = 1

  func run() throws {
    let valid = ["return", "normalised", "loss", "entropy", "grad-norm", "fps", "accuracy"]
    guard valid.contains(metric) else { throw ValidationError("--metric must be one of \(valid.joined(separator: ", "))") }
    var series: [Series] = []
    var allFewShot = true
    for run in runs {
      let path = run.hasSuffix(".jsonl") ? run : run + "/metrics.jsonl"
      let lines = try RunLog.read(path)
      allFewShot = allFewShot && lines.allSatisfy { $0.kind == "fewshot" }
      let pts = lines.compactMap { l -> (x: Double, y: Double)? in
        guard let y = value(l) else { return nil }
        return (Double(l.frames), y)
      }
      guard !pts.isEmpty else { throw ValidationError("\(path): no '\(metric)' values to plot") }
      let name = URL(fileURLWithPath: run).lastPathComponent
      series.append(Series(name: name, points: smoothed(pts)))
    }
    // Few-shot runs store accuracy as "return" of the games train/valid, and training steps as frames.
    let fewShot = metric == "accuracy" || (allFewShot && metric == "return")
    let yName = fewShot ? "accuracy" : metric
    let what = fewShot ? "\(yName) (\(game ?? "valid"))"
      : game.map { "\(metric) (\($0))" } ?? (metric == "return" || metric == "normalised" ? "\(metric) (mean over games)" : metric)
    let chart = LineChart(title: what, xLabel: fewShot || allFewShot ? "training steps" : "frames", yLabel: yName, series: series)
    try AtomicFile.write(chart.svg(), to: out + ".svg")
    try AtomicFile.write(chart.png(), to: out + ".png")
    print("wrote \(out).svg and \(out).png (\(series.count) runs)")
  }

  func value(_ l: MetricsLine) -> Double? {
    func mean(_ d: [String: Double]) -> Double? { d.isEmpty ? nil : d.values.reduce(0, +) / Double(d.count) }
    switch metric {
    case "accuracy": return l.returns[game ?? "valid"]
    case "return": return game.map { l.returns[$0] } ?? mean(l.returns)
    case "normalised": return game.map { l.normalised[$0] } ?? l.meanNormalised
    case "loss": return l.loss
    case "entropy": return l.entropy
    case "grad-norm": return l.gradNorm
    default: return l.framesPerSecond
    }
  }

  func smoothed(_ p: [(x: Double, y: Double)]) -> [(x: Double, y: Double)] {
    guard smooth > 1 else { return p }
    return p.indices.map { i in
      let lo = max(0, i - smooth + 1)
      let ys = p[lo...i].map(\.y)
      return (p[i].x, ys.reduce(0, +) / Double(ys.count))
    }
  }
}
