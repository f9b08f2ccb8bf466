import Foundation
import Testing
import ArcadeCore
import ArcadeGames

/// Every hand-made level under `levels/GAME/` loads in its game and mode, is
/// solvable where the game has a check, and its exported map loads back to the
/// same level.
@Suite struct HandMadeLevelTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("levels")

  /// "GAME/FILE.txt" for every level file.
  static let files: [String] = {
    let fm = FileManager.default
    let games = ((try? fm.contentsOfDirectory(atPath: root.path)) ?? []).filter { name in
      var dir: ObjCBool = false
      return fm.fileExists(atPath: root.appendingPathComponent(name).path, isDirectory: &dir) && dir.boolValue
    }
    return games.sorted().flatMap { game in
      ((try? fm.contentsOfDirectory(atPath: root.appendingPathComponent(game).path)) ?? [])
        .filter { $0.hasSuffix(".txt") }.sorted().map { "\(game)/\($0)" }
    }
  }()

  @Test func everyGameWithMapsShipsLevels() {
    let games = Set(Self.files.map { String($0.split(separator: "/")[0]) })
    for e in Catalog.entries where !e.descriptor.legend.isEmpty {
      #expect(games.contains(e.descriptor.name), "no hand-made level for \(e.descriptor.name)")
    }
  }

  @Test(arguments: files)
  func loads(_ path: String) throws {
    let game = String(path.split(separator: "/")[0])
    let text = try String(contentsOf: Self.root.appendingPathComponent(path), encoding: .utf8)
    let (file, _) = try LevelFile.parse(text, path: path)
    #expect(file.game == game && file.seed == nil)
    let env = try makeEnv(game, file.mode)
    try env.load(level: file)
    #expect(env.isSolvable() != false, "\(path): the game's reachability check fails")
    let again = try makeEnv(game, file.mode)
    try again.load(level: try #require(env.exportLevel()))
    #expect(again.levelHash() == env.levelHash(), "\(path): the exported map loads as a different level")
  }
}
