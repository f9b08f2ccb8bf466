@preconcurrency import CNcursesW
import ArcadeCore

/// Key codes as `getch` returns them (ncurses' KEY_* values, so tests need no terminal).
public enum Key {
  public static let up = KEY_UP, down = KEY_DOWN, left = KEY_LEFT, right = KEY_RIGHT
  public static let home = KEY_HOME, end = KEY_END, pageUp = KEY_PPAGE, pageDown = KEY_NPAGE
  /// The keypad's corner keys (7 9 1 3 with Num Lock off) and its centre (5).
  public static let keypad7 = KEY_A1, keypad9 = KEY_A3, keypad1 = KEY_C1, keypad3 = KEY_C3, keypad5 = KEY_B2
  public static let resize = KEY_RESIZE
  public static let enter = KEY_ENTER
  public static let backspace = KEY_BACKSPACE
  public static let tab: Int32 = 9
  public static let escape: Int32 = 27
  public static let returnKey: Int32 = 13
  public static let newline: Int32 = 10
  public static let delete: Int32 = 127

  public static func char(_ c: Character) -> Int32 { Int32(c.asciiValue!) }

  public static func isEnter(_ k: Int32) -> Bool { k == enter || k == returnKey || k == newline }
}

/// The game action a key stands for, following ProcGen's interactive tool:
/// arrows move, keypad corners and `y u b m` move diagonally, `d a w s e`
/// and `Q` are the special actions D A W S Q E (lower-case q quits, n is next level).
public enum GameKeys {
  public static func action(for key: Int32) -> Action? {
    switch key {
    case Key.left: return .move(dx: -1, dy: 0)
    case Key.right: return .move(dx: 1, dy: 0)
    case Key.up: return .move(dx: 0, dy: 1)
    case Key.down: return .move(dx: 0, dy: -1)
    case Key.keypad7, Key.home, Key.char("y"): return .move(dx: -1, dy: 1)
    case Key.keypad9, Key.pageUp, Key.char("u"): return .move(dx: 1, dy: 1)
    case Key.keypad1, Key.end, Key.char("b"): return .move(dx: -1, dy: -1)
    case Key.keypad3, Key.pageDown, Key.char("m"): return .move(dx: 1, dy: -1)
    case Key.keypad5, Key.char("."): return .noop
    case Key.char("d"), Key.char("D"): return Action(9)
    case Key.char("a"), Key.char("A"): return Action(10)
    case Key.char("w"), Key.char("W"): return Action(11)
    case Key.char("s"), Key.char("S"): return Action(12)
    case Key.char("Q"): return Action(13)
    case Key.char("e"), Key.char("E"): return Action(14)
    default: return nil
    }
  }
}

extension GameKeys {
  /// The key that plays each of the 15 actions, as the help names it (the inverse of `action(for:)`).
  public static let labels = ["b", "←", "y", "↓", ".", "↑", "m", "→", "u", "d", "a", "w", "s", "Q", "e"]
}
