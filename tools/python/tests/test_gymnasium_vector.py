"""Gymnasium's vector API on the native vector env: make_vec's vector entry point, next-step and
same-step autoreset (checked against Gymnasium's own SyncVectorEnv over single envs), per-env seed
lists, step limits in the spec, rendering, and Gymnasium's vector wrappers."""
import gymnasium as gym
import numpy as np
import pytest
from gymnasium.vector import AutoresetMode

import procarcade
from procarcade import ProcArcadeVectorEnv

GAMES = ["leaper", "chaser", "maze"]


def test_make_vec_uses_the_native_vector_env_and_the_spec_has_the_step_limit():
    vec = gym.make_vec("ProcArcade/coinrun-v0", num_envs=8, vectorization_mode="vector_entry_point", mode="easy")
    assert isinstance(vec, ProcArcadeVectorEnv) and vec.num_envs == 8
    assert vec.metadata["autoreset_mode"] == AutoresetMode.NEXT_STEP
    obs, _ = vec.reset(seed=0)
    assert obs.shape == (8, 64, 64, 3)
    vec.close()
    assert gym.make("ProcArcade/coinrun-v0").spec.max_episode_steps == 1000
    assert gym.spec("ProcArcade/jumper-v0").max_episode_steps == 2000  # memory mode's limit, the largest


@pytest.mark.parametrize("game", GAMES)
def test_next_step_autoreset_matches_gymnasiums_sync_vector_env(game):
    kw = dict(mode="easy", num_levels=10, obs_type="grid")
    ours = gym.make_vec(f"ProcArcade/{game}-v0", num_envs=4, vectorization_mode="vector_entry_point", **kw)
    ref = gym.make_vec(f"ProcArcade/{game}-v0", num_envs=4, vectorization_mode="sync", **kw)
    assert ref.metadata["autoreset_mode"] == AutoresetMode.NEXT_STEP
    a, _ = ours.reset(seed=7)
    b, _ = ref.reset(seed=7)
    assert np.array_equal(a, b)
    rng = np.random.default_rng(1)
    ends = 0
    for t in range(400):
        acts = rng.integers(0, 15, 4)
        x, y = ours.step(acts), ref.step(acts)
        for k, name in enumerate(("obs", "reward", "terminated", "truncated")):
            assert np.array_equal(x[k], y[k]), f"{game}: {name} differs at step {t}"
        assert np.array_equal(x[4]["level_seed"], y[4]["level_seed"])
        ends += int((x[2] | x[3]).sum())
    assert ends > 0, "no episode ended: the autoreset was not exercised"
    ours.close(); ref.close()


def test_same_step_autoreset_gives_final_obs_and_final_info():
    vec = ProcArcadeVectorEnv("leaper", 8, mode="easy", autoreset_mode=AutoresetMode.SAME_STEP)
    nxt = ProcArcadeVectorEnv("leaper", 8, mode="easy", autoreset_mode="NextStep")
    vec.reset(seed=3); nxt.reset(seed=3)
    rng = np.random.default_rng(2)
    for _ in range(300):
        acts = rng.integers(0, 15, 8)
        obs, _, term, trunc, info = vec.step(acts)
        obs2, _, term2, trunc2, _ = nxt.step(acts)
        done = term | trunc
        if done.any():
            assert np.array_equal(info["_final_obs"], done) and np.array_equal(info["_final_info"], done)
            # NEXT_STEP shows the same last observation now and the reset one on its next step.
            assert np.array_equal(obs2[done], info["final_obs"][done])
            assert (info["final_info"]["episode_length"][done] > 0).all()
            return
    pytest.fail("no leaper episode ended in 300 random steps")


def test_reset_accepts_a_seed_per_env():
    vec = ProcArcadeVectorEnv(GAMES, 3, mode="easy", num_levels=0)
    a, ia = vec.reset(seed=[5, 6, 7])
    b, ib = vec.reset(seed=5)
    assert np.array_equal(a, b) and np.array_equal(ia["level_seed"], ib["level_seed"])
    with pytest.raises(ValueError, match="one seed per env"):
        vec.reset(seed=[1, 2])


def test_rgb_rendering_of_a_grid_vector_env():
    vec = ProcArcadeVectorEnv(GAMES, 3, mode="easy", obs_type="grid", render_mode="rgb_array")
    obs, _ = vec.reset(seed=1)
    frames = vec.render()
    assert obs.ndim == 4 and obs.dtype == np.float32
    assert frames.shape == (3, 64, 64, 3) and frames.dtype == np.uint8 and frames.any()


def test_gymnasiums_vector_wrappers_accept_it():
    vec = gym.make_vec("ProcArcade/starpilot-v0", num_envs=4, mode="easy")
    vec = gym.wrappers.vector.GrayscaleObservation(vec)
    try:
        import cv2  # noqa: F401  (ResizeObservation needs OpenCV)
        vec, side = gym.wrappers.vector.ResizeObservation(vec, (32, 32)), 32
    except ImportError:
        side = 64
    space = gym.spaces.Box(0.0, 1.0, (side, side), np.float32)
    vec = gym.wrappers.vector.TransformObservation(vec, lambda o: o.astype(np.float32) / 255,
                                                   single_observation_space=space)
    vec = gym.wrappers.vector.NormalizeObservation(vec)
    vec = gym.wrappers.vector.RecordEpisodeStatistics(vec)
    obs, _ = vec.reset(seed=0)
    assert obs.shape == (4, side, side)
    episodes = 0
    for _ in range(300):
        obs, _, term, trunc, info = vec.step(vec.action_space.sample())
        if "episode" in info:
            episodes += int(info["_episode"].sum())
    assert obs.shape == (4, side, side) and episodes > 0
    vec.close()
