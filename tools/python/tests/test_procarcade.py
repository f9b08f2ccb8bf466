"""Checks the Python binding: Gymnasium's own env checker on every game and
mode, bit-identical rollouts against the Swift CLI, and a 64-env vector env."""
import os
import subprocess
import tempfile
from pathlib import Path

import gymnasium as gym
import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env

import procarcade
from procarcade import ProcArcadeError, ProcArcadeVectorEnv, game_infos

ROOT = Path(__file__).resolve().parents[3]
ARCADE = Path(os.environ.get("ARCADE_BIN", ROOT / ".build" / "release" / "arcade"))
INFOS = {g["name"]: g for g in game_infos()}
GAME_MODES = [(g, m) for g, info in INFOS.items() for m in info["modes"]]


@pytest.mark.parametrize("game,mode", GAME_MODES)
def test_gymnasium_env_checker_accepts_every_game_and_mode(game, mode):
    env = gym.make(f"ProcArcade/{game}-v0", mode=mode)
    check_env(env.unwrapped, skip_render_check=False)
    env.close()


@pytest.mark.parametrize("game", sorted(INFOS))
def test_grid_observations_and_ansi_rendering(game):
    env = gym.make(f"ProcArcade/{game}-v0", mode="easy", obs_type="grid", render_mode="ansi")
    check_env(env.unwrapped)
    obs, info = env.reset(seed=5)
    assert obs.shape == tuple(INFOS[game]["grid_shapes"]["easy"]) and obs.dtype == np.float32
    assert info["level_seed"] == info["prev_level_seed"]
    assert isinstance(env.render(), str) and len(env.render().splitlines()) == obs.shape[1]


@pytest.mark.skipif(not ARCADE.is_file(), reason=f"{ARCADE} not built")
@pytest.mark.parametrize("game", sorted(INFOS))
def test_seeded_rollout_matches_swift_bit_for_bit(game):
    rng = np.random.default_rng(0)
    actions = rng.integers(0, 15, 300)
    with tempfile.TemporaryDirectory() as d:
        dump = Path(d) / "obs.bin"
        subprocess.run([str(ARCADE), "run", game, "--mode", "hard", "--seed", "17",
                        "--actions", ",".join(map(str, actions)), "--dump-observations", str(dump)],
                       check=True, capture_output=True)
        data = np.frombuffer(dump.read_bytes(), np.uint8).reshape(len(actions), 64 * 64 * 3 + 6)
    env = gym.make(f"ProcArcade/{game}-v0", mode="hard").unwrapped
    env.reset(options={"level_seed": 17})
    for t, a in enumerate(actions):
        obs, reward, terminated, truncated, _ = env.step(int(a))
        row = data[t]
        assert np.array_equal(obs.reshape(-1), row[:12288]), f"{game}: frame {t} differs"
        assert reward == np.frombuffer(row[12288:12292].tobytes(), "<f4")[0]
        assert (terminated, truncated) == (bool(row[12292]), bool(row[12293]))
        if terminated or truncated:
            env.reset(options={"level_seed": 17})


def test_vector_env_of_64_mixed_games():
    games = sorted(INFOS)
    kw = dict(mode="easy", num_levels=20, rand_seed=3, autoreset_mode=gym.vector.AutoresetMode.SAME_STEP)
    vec = ProcArcadeVectorEnv(games, 64, num_threads=2, **kw)
    one = ProcArcadeVectorEnv(games, 64, num_threads=1, **kw)
    obs, info = vec.reset(seed=1)
    obs1, _ = one.reset(seed=1)
    assert obs.shape == (64, 64, 64, 3) and np.array_equal(obs, obs1)
    rng = np.random.default_rng(1)
    ended = 0
    for _ in range(300):
        a = rng.integers(0, 15, 64)
        obs, rew, term, trunc, info = vec.step(a)
        obs1, rew1, term1, trunc1, _ = one.step(a)
        assert np.array_equal(obs, obs1) and np.array_equal(rew, rew1), "thread count changed the results"
        if (term | trunc).any():
            ended += int((term | trunc).sum())
            assert info["final_obs"].shape == obs.shape and np.array_equal(info["_final_obs"], term | trunc)
            assert np.array_equal(info["_final_info"], term | trunc) and "episode_return" in info["final_info"]
            assert ((0 <= info["level_seed"]) & (info["level_seed"] < 20)).all()
    assert ended > 0
    vec.close()
    one.close()


def test_state_save_and_restore_reproduce_the_rollout():
    env = gym.make("ProcArcade/miner-v0", mode="easy").unwrapped
    env.reset(options={"level_seed": 3})
    for a in [7, 7, 5, 1, 3]:
        env.step(a)
    saved = env.get_state()
    after = [env.step(a)[0] for a in [7, 5, 5, 1]]
    env.set_state(saved)
    again = [env.step(a)[0] for a in [7, 5, 5, 1]]
    assert all(np.array_equal(x, y) for x, y in zip(after, again))
    with pytest.raises(ProcArcadeError, match="saved state"):
        env.set_state(saved[:10])


def test_bad_arguments_raise_instead_of_crashing():
    with pytest.raises(ProcArcadeError, match="unknown game 'pong'"):
        procarcade.NativeVecEnv("pong", 1)
    with pytest.raises(ProcArcadeError, match="has no mode 'extreme'"):
        procarcade.NativeVecEnv("maze", 1, mode="extreme")
    env = procarcade.NativeVecEnv("maze", 2)
    with pytest.raises(ProcArcadeError, match="not in 0...14"):
        env.step([3, 99])
    with pytest.raises(ProcArcadeError, match="out of range"):
        env.reset_one(5)
