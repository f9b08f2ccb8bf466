"""A thin owner of one native vector env and its numpy buffers."""
import ctypes

import numpy as np

from ._lib import lib, c_u8p, c_fp, c_i32p, c_i64p

OBS_RGB, OBS_GRID = 1, 2


class ProcArcadeError(RuntimeError):
    """An error reported by the native library (bad argument, bad state, ...)."""


def _ptr(a, t):
    return a.ctypes.data_as(t) if a is not None else None


class NativeVecEnv:
    """N envs stepped in one call into caller-owned numpy arrays (zero copy)."""

    def __init__(self, games, num_envs, mode="hard", num_levels=0, start_level=0, rand_seed=0,
                 use_sequential_levels=False, center_agent=True, monochrome=False, observations=OBS_RGB,
                 num_threads=1):
        if isinstance(games, str):
            games = [games]
        err = ctypes.create_string_buffer(512)
        self._h = lib.pa_create(",".join(games).encode(), int(num_envs), str(mode).encode(), int(num_levels),
                                int(start_level), int(rand_seed) & (2**64 - 1), int(bool(use_sequential_levels)),
                                int(bool(center_agent)), int(bool(monochrome)), int(observations),
                                int(num_threads), err, len(err))
        if not self._h:
            raise ProcArcadeError(err.value.decode())
        n = num_envs
        chw = (ctypes.c_int32 * 3)()
        lib.pa_grid_shape(self._h, chw)
        self.grid_shape = tuple(chw)
        self.num_envs = n
        self.rgb = self.final_rgb = self.grid = self.final_grid = None
        if observations & OBS_RGB:
            self.rgb = np.zeros((n, 64, 64, 3), np.uint8)
            self.final_rgb = np.zeros_like(self.rgb)
        if observations & OBS_GRID:
            self.grid = np.zeros((n, *self.grid_shape), np.float32)
            self.final_grid = np.zeros_like(self.grid)
        self.rewards = np.zeros(n, np.float32)
        self.terminated = np.zeros(n, np.uint8)
        self.truncated = np.zeros(n, np.uint8)
        self.level_seed = np.zeros(n, np.int64)
        self.prev_level_seed = np.zeros(n, np.int64)
        self.prev_level_complete = np.zeros(n, np.uint8)
        self.episode_return = np.zeros(n, np.float32)
        self.episode_length = np.zeros(n, np.int32)
        self._actions = np.zeros(n, np.int32)
        self._check(lib.pa_set_buffers(self._h, _ptr(self.rgb, c_u8p), _ptr(self.final_rgb, c_u8p),
                                       _ptr(self.grid, c_fp), _ptr(self.final_grid, c_fp), _ptr(self.rewards, c_fp),
                                       _ptr(self.terminated, c_u8p), _ptr(self.truncated, c_u8p)))
        self.read_infos()

    def _check(self, status):
        if status < 0:
            buf = ctypes.create_string_buffer(1024)
            lib.pa_last_error(self._h, buf, len(buf))
            raise ProcArcadeError(buf.value.decode())
        return status

    def read_infos(self):
        self._check(lib.pa_infos(self._h, _ptr(self.level_seed, c_i64p), _ptr(self.prev_level_seed, c_i64p),
                                 _ptr(self.prev_level_complete, c_u8p), _ptr(self.episode_return, c_fp),
                                 _ptr(self.episode_length, c_i32p)))

    def step(self, actions):
        self._actions[:] = actions
        self._check(lib.pa_step(self._h, _ptr(self._actions, c_i32p)))
        self.read_infos()

    def reset_one(self, i, level_seed=-1):
        self._check(lib.pa_reset_one(self._h, int(i), int(level_seed)))
        self.read_infos()

    def reseed(self, i, rand_seed):
        self._check(lib.pa_reseed(self._h, int(i), int(rand_seed) & (2**64 - 1)))

    def glyphs(self, i):
        n = lib.pa_glyphs(self._h, int(i), None, 0)
        buf = ctypes.create_string_buffer(n + 1)
        lib.pa_glyphs(self._h, int(i), buf, n + 1)
        return buf.value.decode()

    def get_state(self, i):
        n = self._check(lib.pa_get_state(self._h, int(i), None, 0))
        buf = np.zeros(n, np.uint8)
        lib.pa_get_state(self._h, int(i), _ptr(buf, c_u8p), n)
        return buf.tobytes()

    def set_state(self, i, state):
        buf = np.frombuffer(state, np.uint8).copy()
        self._check(lib.pa_set_state(self._h, int(i), _ptr(buf, c_u8p), len(buf)))
        self.read_infos()

    def close(self):
        if getattr(self, "_h", None):
            lib.pa_destroy(self._h)
            self._h = None

    def __del__(self):
        self.close()
