// PCG32, SplitMix, ArcadeError, AtomicFile, Fmt and MeanCI are part of the engine's API: importing ArcadeCore
// brings them.
@_exported import ArcadeBase
