// Runs the *.json reference vectors of ArcadeNN's components: every file but those of `rlComponents`
// (V-trace and the RL agent, checked by ArcadeRLTests); unknown components fail loudly.
import ArcadeNNTestSupport
import Foundation
import Testing

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
  "fewshot_srwm": runFewShot, "fewshot_delta": runFewShot, "fewshot_lstm": runFewShot,
]

/// Checks one case file with this target's handlers; returns failure messages (empty = pass).
func checkCase(_ c: VectorCase) throws -> [String] { try ArcadeNNTestSupport.checkCase(c, handlers: handlers) }

@Suite struct ReferenceVectors {
  @Test func folderPresent() { checkVectorFolderPresent() }

  /// Every file but the RL components' (ArcadeRLTests checks those).
  @Test(arguments: vectorFileNames { !rlComponents.contains($0 ?? "") })
  func vector(_ file: String) throws {
    let c = try VectorCase(url: testVectorFolder()!.appendingPathComponent(file))
    for m in try checkCase(c) { Issue.record(Comment(rawValue: m)) }
  }
}
