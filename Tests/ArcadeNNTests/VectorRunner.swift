// Runs every *.json reference vector in the folder; unknown components fail loudly.
import Foundation
import Testing

typealias Handler = @Sendable (VectorCase) throws -> CaseResult

let handlers: [String: Handler] = [
  "srwm_core": runSRWMCore,
  "srwm_layer_fsl": { try runSRWMLayer($0, variant: .fewShot) },
  "srwm_layer_rl": { try runSRWMLayer($0, variant: .rl) },
  "layernorm": runLayerNorm,
  "ff_block": runFFBlock,
  "lstm": runLSTM,
  "deltanet_layer": { try runFastWeight($0, kind: .delta) },
  "lt_layer": { try runFastWeight($0, kind: .linear) },
  "impala_cnn": runImpalaSmall,
  "impala_cnn_fullsize": runImpalaFullsize,
  "conv4": runConv4,
  "vtrace": runVTrace,
  "rl_agent_srwm": runRLAgent, "rl_agent_lstm": runRLAgent, "rl_agent_delta": runRLAgent, "rl_agent_ff": runRLAgent,
  "fewshot_srwm": runFewShot, "fewshot_delta": runFewShot, "fewshot_lstm": runFewShot,
]

/// Checks one case file; returns failure messages (empty = pass).
func checkCase(_ c: VectorCase) throws -> [String] {
  guard let h = handlers[c.component] else { return ["\(c.file): no handler for component \(c.component)"] }
  let r = try h(c)
  var fails: [String] = []
  for (k, want) in c.outputs.sorted(by: { $0.key < $1.key }) {
    guard let got = r.outputs[k] else { fails.append("\(c.file): output \(k) not produced"); continue }
    if let m = compare("\(c.file) output \(k)", got: got, want: want, atol: c.atol, rtol: c.rtol) { fails.append(m) }
  }
  for (k, want) in c.gradients.sorted(by: { $0.key < $1.key }) {
    guard let got = r.gradients[k] else { fails.append("\(c.file): gradient \(k) not produced"); continue }
    if let m = compare("\(c.file) grad \(k)", got: got, want: want, atol: c.atol, rtol: c.rtol) { fails.append(m) }
  }
  for (label, got, want) in r.extraChecks {
    let tol = c.atol * max(1, abs(want)) + c.rtol * abs(want)
    if !(abs(got - want) <= tol) { fails.append("\(c.file) \(label): got \(got) want \(want)") }
  }
  return fails
}

func vectorFileNames() -> [String] {
  guard let f = testVectorFolder() else { return [] }
  return vectorFiles(in: f).map { $0.lastPathComponent }
}

@Suite struct ReferenceVectors {
  @Test func folderPresent() {
    if testVectorFolder() == nil {
      let msg = "reference test vectors not found (set ARCADE_TESTVECTORS or provide ../shared/testvectors)"
      if isCI { Issue.record(Comment(rawValue: msg)) } else { print("SKIPPED: \(msg)") }
    }
  }

  @Test(arguments: vectorFileNames())
  func vector(_ file: String) throws {
    let c = try VectorCase(url: testVectorFolder()!.appendingPathComponent(file))
    for m in try checkCase(c) { Issue.record(Comment(rawValue: m)) }
  }
}
