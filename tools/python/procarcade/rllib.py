"""Ray RLlib: registers every game under its Gymnasium id in Ray's env registry, which travels to the
env runners (Gymnasium's registry does not: a runner process has not imported procarcade).

    import procarcade.rllib
    procarcade.rllib.register_envs()
    config = PPOConfig().environment("ProcArcade/starpilot-v0", env_config={"mode": "easy", "obs_type": "grid"})

RLlib's default models want flat vectors or float images, so grids are flattened and frames become
float32 in [0, 1]. Each env gets its own level stream: rand_seed (default 0) + 1000 × the runner's
index + the env's index in the runner, so runners on any number of machines never share one.
"""
import functools

import gymnasium as gym
import numpy as np

from . import GAMES
from .env import ProcArcadeEnv


def make_env(game, config):
    """The env an RLlib env runner builds from `env_config` (plus the runner and env indices RLlib adds)."""
    cfg = dict(config)
    obs_type = cfg.pop("obs_type", "grid")
    stream = 1000 * getattr(config, "worker_index", 0) + getattr(config, "vector_index", 0)
    cfg["rand_seed"] = cfg.get("rand_seed", 0) + stream
    env = ProcArcadeEnv(game, obs_type=obs_type, **cfg)
    if obs_type == "grid":
        return gym.wrappers.FlattenObservation(env)
    space = gym.spaces.Box(0.0, 1.0, (64, 64, 3), np.float32)
    return gym.wrappers.TransformObservation(env, lambda o: o.astype(np.float32) / 255, space)


def register_envs():
    """Registers ProcArcade/GAME-v0 for every game with ray.tune (call it before building the algorithm)."""
    from ray.tune.registry import register_env

    for game in GAMES:
        register_env(f"ProcArcade/{game}-v0", functools.partial(make_env, game))
