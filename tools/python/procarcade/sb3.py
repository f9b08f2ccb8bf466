"""Stable-Baselines3's VecEnv over the native vector env (imports stable_baselines3; install it first).

    from stable_baselines3 import PPO
    from procarcade.sb3 import ProcArcadeSB3VecEnv
    venv = ProcArcadeSB3VecEnv("starpilot", 16, mode="easy", obs_type="grid")
    PPO("MlpPolicy", venv).learn(100_000)

Episodes reset in the same step, as SB3 expects: `infos[i]["terminal_observation"]` holds the last
observation and `infos[i]["TimeLimit.truncated"]` says the step limit ended it.
"""
import numpy as np
from gymnasium import spaces
from stable_baselines3.common.vec_env.base_vec_env import VecEnv

from .core import OBS_GRID, OBS_RGB, NativeVecEnv

_INFO_KEYS = ("level_seed", "prev_level_seed", "prev_level_complete", "episode_return", "episode_length")


class ProcArcadeSB3VecEnv(VecEnv):
    """`num_envs` envs of `games` (env i plays games[i % len(games)]) stepped in one native call."""

    def __init__(self, games, num_envs, mode="hard", num_levels=0, start_level=0, rand_seed=0, obs_type="rgb",
                 num_threads=2, render_mode=None):
        if obs_type not in ("rgb", "grid"):
            raise ValueError(f"obs_type must be 'rgb' or 'grid', got {obs_type!r}")
        if isinstance(games, str):
            games = games.split(",")
        kinds = (OBS_RGB if obs_type == "rgb" or render_mode == "rgb_array" else 0) | (OBS_GRID if obs_type == "grid" else 0)
        self._native = NativeVecEnv(games, num_envs, mode, num_levels, start_level, rand_seed,
                                    observations=kinds, num_threads=num_threads)
        self.obs_type = obs_type
        space = (spaces.Box(0, 255, (64, 64, 3), np.uint8) if obs_type == "rgb"
                 else spaces.Box(0.0, 1.0, self._native.grid_shape, np.float32))
        self.render_mode = render_mode  # read by VecEnv.__init__ through get_attr
        super().__init__(self._native.num_envs, space, spaces.Discrete(15))
        self._actions = np.zeros(self.num_envs, np.int32)

    def _obs(self, final=False):
        n = self._native
        a = (n.final_rgb if final else n.rgb) if self.obs_type == "rgb" else (n.final_grid if final else n.grid)
        return a.copy()

    def reset(self):
        seeds = getattr(self, "_seeds", [None] * self.num_envs)
        for i in range(self.num_envs):
            if seeds[i] is not None:
                self._native.reseed(i, seeds[i])
            self._native.reset_one(i)
        if hasattr(self, "_reset_seeds"):
            self._reset_seeds()
        return self._obs()

    def step_async(self, actions):
        self._actions[:] = np.asarray(actions).reshape(self.num_envs)

    def step_wait(self):
        n = self._native
        n.step(self._actions)
        terminated, truncated = n.terminated.astype(bool), n.truncated.astype(bool)
        dones = terminated | truncated
        final = self._obs(final=True) if dones.any() else None
        infos = []
        for i in range(self.num_envs):
            info = {k: getattr(n, k)[i].item() for k in _INFO_KEYS}
            if dones[i]:
                info["terminal_observation"] = final[i]
                info["TimeLimit.truncated"] = bool(truncated[i] and not terminated[i])
                info["episode"] = {"r": info["episode_return"], "l": info["episode_length"]}
            infos.append(info)
        return self._obs(), n.rewards.copy(), dones, infos

    def close(self):
        self._native.close()

    def get_images(self):
        return list(self._native.rgb.copy()) if self._native.rgb is not None else [None] * self.num_envs

    def _indices(self, indices):
        if indices is None:
            return range(self.num_envs)
        return [indices] if isinstance(indices, int) else indices

    def get_attr(self, attr_name, indices=None):
        return [getattr(self, attr_name) for _ in self._indices(indices)]

    def set_attr(self, attr_name, value, indices=None):
        setattr(self, attr_name, value)

    def env_method(self, method_name, *args, indices=None, **kwargs):
        raise AttributeError(f"the native envs have no per-env method {method_name!r}")

    def env_is_wrapped(self, wrapper_class, indices=None):
        return [False for _ in self._indices(indices)]
