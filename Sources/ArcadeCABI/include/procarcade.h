/* ProcArcade C ABI (libProcArcadeC.so). Every function that can fail returns
 * an int status: 0 = ok, < 0 = error; the message is then available from
 * pa_last_error (per handle) or the err buffer of pa_create. Nothing traps:
 * bad arguments come back as errors. Buffers are owned by the caller.
 *
 * A pa_env* is an opaque handle, not an address: a destroyed, stale or made-up
 * handle makes every call fail (-1) instead of crashing. Calls on one handle
 * from several threads are serialised (each waits for the one in flight), and
 * pa_destroy waits for the call in flight; buffers given to pa_set_buffers
 * must stay valid until pa_destroy returns. */
#ifndef PROCARCADE_H
#define PROCARCADE_H
#include <stdint.h>

#define PA_OBS_RGB 1
#define PA_OBS_GRID 2

typedef struct pa_env pa_env;

int32_t pa_abi_version(void);
/* Number of games and a JSON description of game i (name, modes, step limits,
 * action names, action mask, grid channels, score ranges). Returns the JSON
 * length; writes at most len bytes (NUL-terminated when it fits). */
int32_t pa_game_count(void);
int32_t pa_game_info(int32_t i, char *buf, int32_t len);

/* A vector env of num (1..65536) envs; env i runs game i mod k of the comma-separated
 * games. observations is 0..3 (PA_OBS_* bits), threads at most 256 (< 1 means 1). */
pa_env *pa_create(const char *games, int32_t num, const char *mode, int32_t num_levels, int32_t start_level,
                  uint64_t rand_seed, int32_t sequential_levels, int32_t center_agent, int32_t monochrome,
                  int32_t observations, int32_t threads, char *err, int32_t err_len);
/* 0, or -1 if env was already destroyed (or is not a handle). */
int32_t pa_destroy(pa_env *env);
int32_t pa_num_envs(pa_env *env);
int32_t pa_grid_shape(pa_env *env, int32_t *chw);
/* Caller-owned buffers: rgb/final_rgb [N,64,64,3] u8, grid/final_grid [N,C,H,W] f32
 * (NULL when that observation is off), rewards [N] f32, terminated/truncated [N] u8.
 * Writes the current observations. Must be called before step. */
int32_t pa_set_buffers(pa_env *env, uint8_t *rgb, uint8_t *final_rgb, float *grid, float *final_grid,
                       float *rewards, uint8_t *terminated, uint8_t *truncated);
/* Reset every env: seeds[i] >= 0 picks that level, < 0 (or seeds NULL) the sampler's next. */
int32_t pa_reset(pa_env *env, const int64_t *seeds);
int32_t pa_reset_one(pa_env *env, int32_t i, int64_t seed);
int32_t pa_reseed(pa_env *env, int32_t i, uint64_t rand_seed);
/* Every env samples its next levels from seeds[0..count) with weights (NULL: uniform); seeds NULL goes
   back to num_levels/start_level. Call pa_reset to start them now. */
int32_t pa_set_level_seeds(pa_env *env, const uint32_t *seeds, const double *weights, int32_t count);
/* New weights for the seed list (count entries), from each env's next level on; NULL: uniform. */
int32_t pa_set_level_weights(pa_env *env, const double *weights, int32_t count);
/* Step every env with actions[i] in 0..14; ended episodes reset automatically. */
int32_t pa_step(pa_env *env, const int32_t *actions);
/* Like pa_step, but envs with skip[i] != 0 are not stepped (their action is ignored): they keep their
   observation, get reward 0 and no episode end. Gymnasium's next-step autoreset. skip may be NULL. */
int32_t pa_step_skipping(pa_env *env, const int32_t *actions, const uint8_t *skip);
int32_t pa_infos(pa_env *env, int64_t *level_seed, int64_t *prev_level_seed, uint8_t *prev_level_complete,
                 float *episode_return, int32_t *episode_length);
/* Glyph view of env i as UTF-8 text; returns the length needed. */
int32_t pa_glyphs(pa_env *env, int32_t i, char *buf, int32_t len);
/* Saved state of env i; returns its size (call with len 0 to ask). */
int32_t pa_get_state(pa_env *env, int32_t i, uint8_t *buf, int32_t len);
int32_t pa_set_state(pa_env *env, int32_t i, const uint8_t *buf, int32_t len);
int32_t pa_last_error(pa_env *env, char *buf, int32_t len);
#endif
