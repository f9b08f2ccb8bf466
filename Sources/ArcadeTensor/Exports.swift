// SplitMix (weight initialisation, dropout) and the rest of the base come with the tensor layer.
@_exported import ArcadeBase
