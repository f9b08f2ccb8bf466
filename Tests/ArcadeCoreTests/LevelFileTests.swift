import Testing
@testable import ArcadeCore

@Suite struct LevelFileTests {
  let good = """
    # a comment
    game: maze
    mode: easy
    seed: hand-made
    size: 3x2
    map:
    #A#
    .G. @ speed=0.5
    """

  @Test func parsesHeaderMapAndAnnotations() throws {
    let (f, first) = try LevelFile.parse(good, path: "x.txt")
    #expect(f.game == "maze" && f.mode == .easy && f.seed == nil)
    #expect(f.map.width == 3 && f.map.height == 2 && first == 7)
    #expect(f.map.rows[1] == [".", "G", "."])
    #expect(f.map.annotations[1]["speed"] == "0.5")
    let again = try LevelFile.parse(f.text(), path: "y.txt").0
    #expect(again == f)
  }

  func problems(_ text: String) -> [FileProblem] {
    do {
      _ = try LevelFile.parse(text, path: "bad.txt")
      return []
    } catch { return error.problems }
  }

  @Test func eachMalformationHasItsOwnLocatedMessage() {
    let rowTooLong = good.replacingOnce("#A#", with: "#A##")
    var p = problems(rowTooLong)
    #expect(p.count == 1 && p[0].line == 7 && p[0].message.contains("4 cells"))

    p = problems(good.replacingOnce("mode: easy", with: "mode: medium"))
    #expect(p.count == 1 && p[0].line == 3 && p[0].column == 7 && p[0].message.contains("unknown mode 'medium'"))

    p = problems(good.replacingOnce("size: 3x2", with: "size: 3x3"))
    #expect(p.count == 1 && p[0].message.contains("2 rows") && p[0].line == 9)

    p = problems(good.replacingOnce("map:\n", with: ""))
    #expect(p.contains { $0.message.contains("missing 'map:'") })

    p = problems(good.replacingOnce("seed: hand-made", with: "seed: -4"))
    #expect(p.count == 1 && p[0].line == 4 && p[0].message.contains("seed must be"))

    p = problems(good.replacingOnce("size: 3x2", with: "colour: red\nsize: 3x2"))
    #expect(p.count == 1 && p[0].line == 5 && p[0].message.contains("unknown header field 'colour'"))

    p = problems(good.replacingOnce("game: maze\n", with: ""))
    #expect(p.contains { $0.message.contains("missing header field 'game'") })

    #expect(problems(good).isEmpty)
  }

  @Test func crlfFilesParseLikeLFFiles() throws {
    let crlf = good.split(separator: "\n").joined(separator: "\r\n") + "\r\n"
    let (f, first) = try LevelFile.parse(crlf, path: "crlf.txt")
    #expect(f == (try LevelFile.parse(good, path: "lf.txt").0) && first == 7)
  }

  @Test func aHugeLineIsOneProblemFoundBeforeParsing() {
    let huge = good.replacingOnce("#A#", with: String(repeating: "Z", count: 1 << 20))
    let p = problems(huge)
    #expect(p.count == 1 && p[0].line == 7 && p[0].message.contains("at most \(LevelFile.maxLineLength)"))
  }

  @Test func manyProblemsAreShownAsTheFirstTenAndACount() {
    let rows = String(repeating: "#A#x\n", count: 25)
    let p = FileProblems(problems: problems(good.replacingOnce("#A#\n.G. @ speed=0.5", with: rows)))
    #expect(p.problems.count > 20)
    #expect(p.shown.count == FileProblems.shownLimit + 1)
    #expect(p.shown.last == "… and \(p.problems.count - FileProblems.shownLimit) more problems")
    #expect(p.description.split(separator: "\n").count == FileProblems.shownLimit + 1)
  }

  @Test func mapReaderReportsUnknownCharactersAndDuplicates() {
    let map = LevelMap(rows: [Array("#AX"), Array(".AG")])
    var r = MapReader(map: map, world: 5, legend: [("#", "wall"), (".", "floor"), ("A", "agent"), ("G", "goal")])
    _ = r.single("A", "agent start")
    #expect(r.problems.count == 2)
    #expect(r.problems[0].row == 0 && r.problems[0].column == 2 && r.problems[0].message.contains("'X'"))
    #expect(r.problems[1].row == 1 && r.problems[1].column == 1 && r.problems[1].message.contains("more than one"))
    // A 3x2 map in a 5x5 world is centred: map (row 1, col 0) is world (1, 1).
    #expect(r.world(row: 1, column: 0) == (1, 1))
  }
}

extension String {
  func replacingOnce(_ a: String, with b: String) -> String {
    guard let r = firstRange(of: a) else { return self }
    var s = self
    s.replaceSubrange(r, with: b)
    return s
  }
}
