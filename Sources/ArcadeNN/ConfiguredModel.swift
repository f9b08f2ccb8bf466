import ArcadeTensor

/// A network built from a config into a parameter store (the few-shot model,
/// the RL agent). Both ways of making one — with fresh weights, or as the names
/// and shapes of its parameters alone (to check a checkpoint before loading it)
/// — go through the one initialiser, so they can never build different layouts.
public protocol ConfiguredModel: AnyObject {
  associatedtype Config
  var ps: ParamStore { get }
  /// Builds the network into `store`; initialises its weights from `seed` unless the store holds shapes only.
  init(_ config: Config, seed: UInt64, store: ParamStore)
}

extension ConfiguredModel {
  public init(_ config: Config, seed: UInt64 = 0) {
    self.init(config, seed: seed, store: ParamStore())
  }

  /// The names and shapes of the parameters of a network with this config, without allocating them.
  public static func parameterShapes(_ config: Config) -> [ParamRef] {
    Self(config, seed: 0, store: ParamStore(shapesOnly: true)).ps.params
  }
}
