"""A thin owner of one native vector env and its numpy buffers."""
import ctypes
import threading

import numpy as np

from . import _args
from ._args import INT32, INT64, UINT64
from ._lib import lib, c_u8p, c_fp, c_i32p, c_i64p

OBS_RGB, OBS_GRID = 1, 2

# The arrays the native env writes into: copied as they are when pickling.
_ARRAYS = ("rgb", "final_rgb", "grid", "final_grid", "rewards", "terminated", "truncated", "level_seed",
           "prev_level_seed", "prev_level_complete", "episode_return", "episode_length")


class ProcArcadeError(RuntimeError):
    """An error reported by the native library (bad argument, bad state, closed env, ...)."""


def _ptr(a, t):
    return a.ctypes.data_as(t) if a is not None else None


class NativeVecEnv:
    """N envs stepped in one call into caller-owned numpy arrays (zero copy).

    Safe to share between threads: each call holds `lock` (hold it yourself
    to read the arrays without another thread's step writing them), so calls
    run one after another, and `close` waits for the call in flight (later
    calls raise ProcArcadeError). Pickling and deepcopy build a new,
    independent env from the construction options and every env's saved state.
    """

    def __init__(self, games, num_envs, mode="hard", num_levels=0, start_level=0, rand_seed=0,
                 use_sequential_levels=False, center_agent=True, monochrome=False, observations=OBS_RGB,
                 num_threads=1, level_seeds=None, level_weights=None):
        self._h = None
        self.lock = threading.RLock()
        if isinstance(games, str):
            games = [games]
        games = list(games)
        names = b",".join(_args.c_string(g, "game name") for g in games)
        self._options = dict(
            games=games, num_envs=_args.integer(num_envs, "num_envs", INT32), mode=mode,
            num_levels=_args.integer(num_levels, "num_levels", INT32),
            start_level=_args.integer(start_level, "start_level", INT32),
            rand_seed=_args.integer(rand_seed, "rand_seed", UINT64),
            use_sequential_levels=bool(use_sequential_levels), center_agent=bool(center_agent),
            monochrome=bool(monochrome), observations=_args.integer(observations, "observations", INT32),
            num_threads=_args.integer(num_threads, "num_threads", INT32), level_seeds=None, level_weights=None)
        o = self._options
        err = ctypes.create_string_buffer(512)
        self._h = lib.pa_create(names, o["num_envs"], _args.c_string(mode, "mode"), o["num_levels"],
                                o["start_level"], o["rand_seed"], int(o["use_sequential_levels"]),
                                int(o["center_agent"]), int(o["monochrome"]), o["observations"],
                                o["num_threads"], err, len(err))
        if not self._h:
            raise ProcArcadeError(err.value.decode())
        n = o["num_envs"]
        chw = (ctypes.c_int32 * 3)()
        self._check(lib.pa_grid_shape(self._h, chw))
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
        self._skip = np.zeros(n, np.uint8)
        self._check(lib.pa_set_buffers(self._h, _ptr(self.rgb, c_u8p), _ptr(self.final_rgb, c_u8p),
                                       _ptr(self.grid, c_fp), _ptr(self.final_grid, c_fp), _ptr(self.rewards, c_fp),
                                       _ptr(self.terminated, c_u8p), _ptr(self.truncated, c_u8p)))
        if level_seeds is not None:
            self.set_level_seeds(level_seeds, level_weights)
            self._check(lib.pa_reset(self._h, None))
        elif level_weights is not None:
            raise ValueError("level_weights need level_seeds")
        self.read_infos()

    def _live(self):
        if not self._h:
            raise ProcArcadeError("the env is closed")
        return self._h

    def _check(self, status):
        if status < 0:
            buf = ctypes.create_string_buffer(1024)
            lib.pa_last_error(self._h, buf, len(buf))
            raise ProcArcadeError(buf.value.decode())
        return status

    def _index(self, i):
        return _args.integer(i, "env index", INT32)

    def read_infos(self):
        with self.lock:
            self._check(lib.pa_infos(self._live(), _ptr(self.level_seed, c_i64p), _ptr(self.prev_level_seed, c_i64p),
                                     _ptr(self.prev_level_complete, c_u8p), _ptr(self.episode_return, c_fp),
                                     _ptr(self.episode_length, c_i32p)))

    def step(self, actions, skip=None):
        """Steps every env; envs where `skip` (a bool array) is set are left as they are (reward 0, no end)."""
        actions = _args.int32_array(actions, "actions", self.num_envs)
        with self.lock:
            self._actions[:] = actions
            if skip is None:
                self._check(lib.pa_step(self._live(), _ptr(self._actions, c_i32p)))
            else:
                self._skip[:] = np.broadcast_to(np.asarray(skip, bool), (self.num_envs,))
                self._check(lib.pa_step_skipping(self._live(), _ptr(self._actions, c_i32p), _ptr(self._skip, c_u8p)))
            self.read_infos()

    def reset_one(self, i, level_seed=None):
        """Restarts env i on level `level_seed` (>= 0), or on its sampler's next level when None."""
        seed = -1 if level_seed is None else _args.integer(level_seed, "level_seed", (0, INT64[1]))
        i = self._index(i)
        with self.lock:
            self._check(lib.pa_reset_one(self._live(), i, seed))
            self.read_infos()

    def set_level_seeds(self, seeds, weights=None):
        """Every env samples its next levels from `seeds` (with `weights`, uniform when None); None goes
        back to num_levels/start_level. Takes effect at each env's next level (reset to start now)."""
        s = None if seeds is None else _args.seed_array(seeds, "level_seeds")
        w = None if weights is None else _args.float_array(weights, "level_weights", len(s) if s is not None else 0)
        with self.lock:
            self._check(lib.pa_set_level_seeds(self._live(), None if s is None else s.ctypes.data_as(ctypes.POINTER(ctypes.c_uint32)),
                                               None if w is None else w.ctypes.data_as(ctypes.POINTER(ctypes.c_double)),
                                               0 if s is None else len(s)))
            self._options["level_seeds"] = None if s is None else s.tolist()
            self._options["level_weights"] = None if w is None else w.tolist()

    def set_level_weights(self, weights):
        """New weights for the level seed list, from each env's next level on (None: uniform)."""
        n = len(self._options["level_seeds"] or [])
        w = None if weights is None else _args.float_array(weights, "level_weights", n)
        with self.lock:
            self._check(lib.pa_set_level_weights(self._live(), None if w is None else w.ctypes.data_as(ctypes.POINTER(ctypes.c_double)),
                                                 0 if w is None else len(w)))
            self._options["level_weights"] = None if w is None else w.tolist()

    def reseed(self, i, rand_seed):
        i, seed = self._index(i), _args.integer(rand_seed, "rand_seed", UINT64)
        with self.lock:
            self._check(lib.pa_reseed(self._live(), i, seed))

    def glyphs(self, i):
        i = self._index(i)
        with self.lock:
            n = self._check(lib.pa_glyphs(self._live(), i, None, 0))
            buf = ctypes.create_string_buffer(n + 1)
            self._check(lib.pa_glyphs(self._h, i, buf, n + 1))
            return buf.value.decode()

    def get_state(self, i):
        i = self._index(i)
        with self.lock:
            n = self._check(lib.pa_get_state(self._live(), i, None, 0))
            buf = np.zeros(n, np.uint8)
            self._check(lib.pa_get_state(self._h, i, _ptr(buf, c_u8p), n))
            return buf.tobytes()

    def set_state(self, i, state):
        i = self._index(i)
        buf = np.frombuffer(state, np.uint8).copy()
        _args.integer(len(buf), "state size", (0, INT32[1]))
        with self.lock:
            self._check(lib.pa_set_state(self._live(), i, _ptr(buf, c_u8p), len(buf)))
            self.read_infos()

    def close(self):
        """Frees the native env (after the call in flight); closing again does nothing."""
        lock = getattr(self, "lock", None)
        if lock is None:
            return
        with lock:
            if self._h:
                lib.pa_destroy(self._h)
                self._h = None

    def __del__(self):
        self.close()

    def __reduce__(self):
        with self.lock:
            states = [self.get_state(i) for i in range(self.num_envs)]
            arrays = {k: getattr(self, k).copy() for k in _ARRAYS if getattr(self, k) is not None}
        return (_unpickle, (self._options, states, arrays))


def _unpickle(options, states, arrays):
    """A new env like the pickled one: same options, same saved states, same last outputs."""
    env = NativeVecEnv(**options)
    for i, state in enumerate(states):
        env.set_state(i, state)
    for k, a in arrays.items():
        getattr(env, k)[...] = a  # in place: the native env writes into these very arrays
    return env
