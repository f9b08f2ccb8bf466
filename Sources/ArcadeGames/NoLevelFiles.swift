import ArcadeCore

/// A game whose levels have no map (bigfish, bossfight, fruitbot, plunder,
/// starpilot): the level-file answers stated once.
protocol NoLevelFiles: Game {}

extension NoLevelFiles {
  public func levelMap(_ s: State) -> LevelMap? { nil }

  public func load(map: LevelMap, rng: inout PCG32) throws(LevelProblems) -> State {
    throw LevelProblems([LevelProblem("\(Self.descriptor.name) has no level files (its levels have no map; use a level seed)")])
  }
}

extension FruitBot: NoLevelFiles {}
