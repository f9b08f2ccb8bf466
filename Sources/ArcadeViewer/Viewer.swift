// The terminal viewer: filled by the viewer work.
import ArcadeCore
