"""ProcArcade for Python: Gymnasium environments over the native game suite.

    import gymnasium as gym
    import procarcade  # registers ProcArcade/GAME-v0 for every game
    env = gym.make("ProcArcade/maze-v0", mode="easy", obs_type="rgb")
"""
import gymnasium as gym

from ._lib import game_infos
from .core import NativeVecEnv, ProcArcadeError
from .env import ProcArcadeEnv, ProcArcadeVectorEnv

GAMES = [g["name"] for g in game_infos()]

for _info in game_infos():
    if f"ProcArcade/{_info['name']}-v0" not in gym.registry:
        gym.register(id=f"ProcArcade/{_info['name']}-v0", entry_point="procarcade.env:ProcArcadeEnv",
                     vector_entry_point="procarcade.env:make_vector", kwargs={"game": _info["name"]},
                     max_episode_steps=max(_info["step_limits"].values()))

__all__ = ["GAMES", "NativeVecEnv", "ProcArcadeEnv", "ProcArcadeVectorEnv", "ProcArcadeError", "game_infos"]
