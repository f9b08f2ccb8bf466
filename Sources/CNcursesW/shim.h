#ifndef ARCADE_NCURSES_SHIM_H
#define ARCADE_NCURSES_SHIM_H
// Wide-character ncurses (cchar_t, mvaddwstr, ...); link ncursesw, not ncurses.
#define NCURSES_WIDECHAR 1
#include <ncurses.h>
#include <locale.h>
// Macros and globals Swift cannot import or may not touch under Swift 6.
static inline WINDOW *arcade_stdscr(void) { return stdscr; }
static inline int arcade_cols(void) { return COLS; }
static inline int arcade_lines(void) { return LINES; }
static inline int arcade_colors(void) { return COLORS; }
static inline int arcade_color_pairs(void) { return COLOR_PAIRS; }
static inline attr_t arcade_a_bold(void) { return A_BOLD; }
static inline attr_t arcade_a_reverse(void) { return A_REVERSE; }
static inline attr_t arcade_a_dim(void) { return A_DIM; }
static inline attr_t arcade_a_normal(void) { return A_NORMAL; }
// One run of cells in one style: a single C call per run keeps redraws cheap.
// Pairs above 255 do not fit in an attr_t, so the pair goes as its own short.
static inline void arcade_draw_run(int y, int x, const wchar_t *s, int n, attr_t attrs, short pair) {
  attr_set(attrs, pair, NULL);
  mvaddnwstr(y, x, s, n);
}
#endif
