"""Stable-Baselines3 on the native vector env (runs when stable_baselines3 is installed): the same
steps as SB3's own DummyVecEnv over single envs, and a short PPO run."""
import gymnasium as gym
import numpy as np
import pytest

sb3 = pytest.importorskip("stable_baselines3", reason="stable-baselines3 is not installed")
from stable_baselines3.common.vec_env import DummyVecEnv  # noqa: E402

import procarcade  # noqa: E402,F401
from procarcade.sb3 import ProcArcadeSB3VecEnv  # noqa: E402


@pytest.mark.parametrize("obs_type", ["grid", "rgb"])
def test_steps_match_sb3s_dummy_vec_env(obs_type):
    ours = ProcArcadeSB3VecEnv("leaper", 4, mode="easy", num_levels=10, obs_type=obs_type)
    ref = DummyVecEnv([lambda: gym.make("ProcArcade/leaper-v0", mode="easy", num_levels=10, obs_type=obs_type)] * 4)
    ours.seed(11); ref.seed(11)
    assert np.array_equal(ours.reset(), ref.reset())
    rng = np.random.default_rng(0)
    ends = 0
    for t in range(300):
        acts = rng.integers(0, 15, 4)
        a, b = ours.step(acts), ref.step(acts)
        for k, name in enumerate(("obs", "rewards", "dones")):
            assert np.array_equal(a[k], b[k]), f"{name} differ at step {t}"
        for i in np.flatnonzero(a[2]):
            ends += 1
            assert np.array_equal(a[3][i]["terminal_observation"], b[3][i]["terminal_observation"])
            assert a[3][i]["TimeLimit.truncated"] == b[3][i]["TimeLimit.truncated"]
    assert ends > 0
    ours.close(); ref.close()


def test_ppo_trains_on_it_and_logs_episodes():
    venv = ProcArcadeSB3VecEnv("starpilot", 8, mode="easy", obs_type="grid", num_threads=1)
    model = sb3.PPO("MlpPolicy", venv, n_steps=64, batch_size=128, n_epochs=1, seed=0, verbose=0)
    model.learn(1024)
    assert model.num_timesteps >= 1024 and len(model.ep_info_buffer) > 0
    venv.close()
