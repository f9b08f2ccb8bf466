"""Gymnasium environments over the native suite: one game (`ProcArcadeEnv`) and
a batch of mixed games stepped in one call (`ProcArcadeVectorEnv`)."""
import gymnasium as gym
import numpy as np
from gymnasium.vector import AutoresetMode, VectorEnv

from .core import OBS_GRID, OBS_RGB, NativeVecEnv

_OBS = {"rgb": OBS_RGB, "grid": OBS_GRID}


def _check_modes(obs_type, render_mode, render_modes):
    if obs_type not in _OBS:
        raise ValueError(f"obs_type must be 'rgb' or 'grid', got {obs_type!r}")
    if render_mode is not None and render_mode not in render_modes:
        raise ValueError(f"render_mode must be one of {render_modes}, got {render_mode!r}")


def _spaces(obs_type, grid_shape):
    if obs_type == "rgb":
        return gym.spaces.Box(0, 255, (64, 64, 3), np.uint8)
    return gym.spaces.Box(0.0, 1.0, grid_shape, np.float32)


class ProcArcadeEnv(gym.Env):
    """One ProcArcade game as a `gymnasium.Env` (`gymnasium.make("ProcArcade/maze-v0", mode="easy")`).

    `reset(seed=s)` restarts the level-seed sampler from `s` (same seed → same
    levels); `reset(options={"level_seed": n})` plays exactly level n. Info has
    `level_seed`, `prev_level_seed`, `prev_level_complete`, `episode_return` and
    `episode_length`; `terminated` (death or win) and `truncated` (step limit)
    are kept apart. `level_seeds=[...]` (with optional `level_weights`) samples
    levels from a list instead of num_levels/start_level. Pickling or deepcopy gives an independent env in the same
    state (also in another process).
    """

    metadata = {"render_modes": ["rgb_array", "ansi"], "render_fps": 15}

    def __init__(self, game, mode="hard", num_levels=0, start_level=0, rand_seed=0, use_sequential_levels=False,
                 obs_type="rgb", center_agent=True, monochrome=False, render_mode=None, level_seeds=None,
                 level_weights=None):
        _check_modes(obs_type, render_mode, self.metadata["render_modes"])
        self.game, self.obs_type, self.render_mode = game, obs_type, render_mode
        kinds = _OBS[obs_type] | (OBS_RGB if render_mode == "rgb_array" else 0)
        self._native = NativeVecEnv(game, 1, mode, num_levels, start_level, rand_seed, use_sequential_levels,
                                    center_agent, monochrome, kinds, level_seeds=level_seeds,
                                    level_weights=level_weights)
        self.observation_space = _spaces(obs_type, self._native.grid_shape)
        self.action_space = gym.spaces.Discrete(15)
        self._ended = False
        self._last_frame = None

    def _obs(self, final=False):
        n = self._native
        if self.obs_type == "rgb":
            return (n.final_rgb if final else n.rgb)[0].copy()
        return (n.final_grid if final else n.grid)[0].copy()

    def _info(self):
        n = self._native
        return {"level_seed": int(n.level_seed[0]), "prev_level_seed": int(n.prev_level_seed[0]),
                "prev_level_complete": bool(n.prev_level_complete[0]),
                "episode_return": float(n.episode_return[0]), "episode_length": int(n.episode_length[0])}

    def reset(self, *, seed=None, options=None):
        with self._native.lock:  # outputs of this call, not of another thread's
            return self._reset(seed, options)

    def step(self, action):
        with self._native.lock:
            return self._step(action)

    def _reset(self, seed, options):
        super().reset(seed=seed)
        if seed is not None:
            self._native.reseed(0, seed)
        level = (options or {}).get("level_seed")
        if level is not None:
            self._native.reset_one(0, level)
        elif seed is not None or not self._ended:
            # After an ended episode the native env has already moved to the next level.
            self._native.reset_one(0)
        self._ended = False
        self._last_frame = None
        return self._obs(), self._info()

    def _step(self, action):
        n = self._native
        n.step([action])  # not int(action): a float is an error, not truncated
        terminated, truncated = bool(n.terminated[0]), bool(n.truncated[0])
        self._ended = terminated or truncated
        obs = self._obs(final=self._ended)
        if self.render_mode == "rgb_array":
            self._last_frame = (n.final_rgb if self._ended else n.rgb)[0].copy()
        return obs, float(n.rewards[0]), terminated, truncated, self._info()

    def render(self):
        if self.render_mode == "rgb_array":
            return self._last_frame if self._last_frame is not None else self._native.rgb[0].copy()
        if self.render_mode == "ansi":
            return self._native.glyphs(0)
        return None

    def get_state(self):
        """The game's full state as bytes (versioned)."""
        return self._native.get_state(0)

    def set_state(self, state):
        self._native.set_state(0, state)
        self._ended = False

    def close(self):
        self._native.close()


class ProcArcadeVectorEnv(VectorEnv):
    """Many envs (env i runs `games[i % len(games)]`) stepped in one native call,
    with worker threads, into batched numpy arrays.

    `autoreset_mode` is Gymnasium's: NEXT_STEP (the default, as Gymnasium's own
    vector envs) returns an ended episode's last observation, and the step after
    it returns the next level's first observation with reward 0 (that env's
    action is ignored); SAME_STEP returns the next level's first observation at
    once, with the last one in `info["final_obs"]` and its info in
    `info["final_info"]` (masks `info["_final_obs"]`, `info["_final_info"]`).
    With `copy=False` the returned arrays are the live buffers (no copy) except
    where NEXT_STEP must put a last observation in. `reset(seed=s)` reseeds env i
    with s + i, `reset(seed=[s0, s1, ...])` with s_i. `level_seeds`/`level_weights`
    sample levels from a list (`set_level_weights` changes the weights). Picklable like
    ProcArcadeEnv; threads sharing one get one call at a time.
    """

    metadata = {"render_modes": ["rgb_array", "ansi"], "autoreset_mode": AutoresetMode.NEXT_STEP}

    def __init__(self, games, num_envs, mode="hard", num_levels=0, start_level=0, rand_seed=0,
                 use_sequential_levels=False, obs_type="rgb", num_threads=2, copy=True, render_mode=None,
                 autoreset_mode=AutoresetMode.NEXT_STEP, level_seeds=None, level_weights=None):
        _check_modes(obs_type, render_mode, self.metadata["render_modes"])
        autoreset_mode = AutoresetMode(autoreset_mode)
        if autoreset_mode not in (AutoresetMode.NEXT_STEP, AutoresetMode.SAME_STEP):
            raise ValueError(f"autoreset_mode must be NEXT_STEP or SAME_STEP, got {autoreset_mode}")
        self.metadata = {**self.metadata, "autoreset_mode": autoreset_mode}
        if isinstance(games, str):
            games = games.split(",")
        kinds = _OBS[obs_type] | (OBS_RGB if render_mode == "rgb_array" else 0)
        self._native = NativeVecEnv(games, num_envs, mode, num_levels, start_level, rand_seed,
                                    use_sequential_levels, True, False, kinds, num_threads,
                                    level_seeds=level_seeds, level_weights=level_weights)
        num_envs = self._native.num_envs
        self.num_envs, self.obs_type, self.copy, self.render_mode = num_envs, obs_type, copy, render_mode
        self.autoreset_mode = autoreset_mode
        self._ended = np.zeros(num_envs, bool)  # NEXT_STEP: these envs show their reset on the next step
        self.single_observation_space = _spaces(obs_type, self._native.grid_shape)
        self.single_action_space = gym.spaces.Discrete(15)
        self.observation_space = gym.vector.utils.batch_space(self.single_observation_space, num_envs)
        self.action_space = gym.vector.utils.batch_space(self.single_action_space, num_envs)

    def _batch(self, final=False):
        n = self._native
        a = (n.final_rgb if final else n.rgb) if self.obs_type == "rgb" else (n.final_grid if final else n.grid)
        return a.copy() if self.copy or final else a

    def _infos(self, mask=None):
        n = self._native
        mask = np.ones(self.num_envs, bool) if mask is None else mask
        info = {}
        for k in ("level_seed", "prev_level_seed", "prev_level_complete", "episode_return", "episode_length"):
            info[k] = getattr(n, k).copy()
            info["_" + k] = mask
        return info

    def reset(self, *, seed=None, options=None):
        with self._native.lock:  # outputs of this call, not of another thread's
            return self._reset(seed, options)

    def step(self, actions):
        with self._native.lock:
            return self._step(actions)

    def _reset(self, seed, options):
        seeds = None
        if seed is not None:
            seeds = [seed + i for i in range(self.num_envs)] if isinstance(seed, int) else list(seed)
            if len(seeds) != self.num_envs:
                raise ValueError(f"reset(seed=...) needs one seed per env ({self.num_envs}), got {len(seeds)}")
        super().reset(seed=seed if isinstance(seed, int) else None)
        n = self._native
        levels = (options or {}).get("level_seeds")
        for i in range(self.num_envs):
            if seeds is not None:
                n.reseed(i, seeds[i])
            n.reset_one(i, None if levels is None else levels[i])
        self._ended[:] = False
        return self._batch(), self._infos()

    def _step(self, actions):
        n = self._native
        resetting = self._ended.copy() if self._ended.any() else None
        n.step(actions, skip=resetting)
        terminated, truncated = n.terminated.astype(bool), n.truncated.astype(bool)
        done = terminated | truncated
        info = self._infos()
        obs = self._batch()
        if done.any():
            if self.autoreset_mode == AutoresetMode.SAME_STEP:
                info["final_obs"] = self._batch(final=True)
                info["_final_obs"] = done
                info["final_info"] = self._infos(mask=done)
                info["_final_info"] = done
            else:
                obs = obs.copy() if obs is self._live_obs() else obs
                obs[done] = self._batch(final=True)[done]
        if self.autoreset_mode == AutoresetMode.NEXT_STEP:
            self._ended = done
        return obs, n.rewards.copy(), terminated, truncated, info

    def _live_obs(self):
        n = self._native
        return n.rgb if self.obs_type == "rgb" else n.grid

    def set_level_weights(self, weights):
        """New sampling weights for the `level_seeds` list, from each env's next level on (e.g. a
        level-replay curriculum); levels stay a function of the seeds, the envs and these updates."""
        self._native.set_level_weights(weights)

    def render(self):
        if self.render_mode == "rgb_array":
            return self._native.rgb.copy()
        if self.render_mode == "ansi":
            return [self._native.glyphs(i) for i in range(self.num_envs)]
        return None

    def close_extras(self, **kwargs):
        self._native.close()


def make_vector(game, num_envs=1, max_episode_steps=None, **kwargs):
    """Gymnasium's `vector_entry_point`: `gym.make_vec("ProcArcade/GAME-v0", num_envs=64)` builds one native
    vector env (the games keep their own step limits, which `max_episode_steps` already equals)."""
    return ProcArcadeVectorEnv([game], num_envs, **kwargs)
