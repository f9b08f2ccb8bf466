"""Arguments that do not fit the C call are errors, never silently wrapped,
truncated or reinterpreted (2**40 + 1 used to reset env 1, a float action was
truncated, a negative level seed picked a random level)."""
import gymnasium as gym
import numpy as np
import pytest

import procarcade
from procarcade import NativeVecEnv, ProcArcadeError, ProcArcadeVectorEnv


@pytest.fixture
def env():
    e = NativeVecEnv("maze", 2, mode="easy")
    yield e
    e.close()


def test_env_index_out_of_range_or_too_big_for_int32_is_an_error(env):
    before = [env.get_state(i) for i in range(2)]
    for i in (-1, 2):
        with pytest.raises(ProcArcadeError, match=f"env index {i} out of range"):
            env.reset_one(i)
    for i in (2**40 + 1, 2**31, -2**31 - 1):
        for call in (env.reset_one, env.glyphs, env.get_state, lambda i: env.reseed(i, 0),
                     lambda i: env.set_state(i, before[0])):
            with pytest.raises(ValueError, match=f"env index {i} is out of range"):
                call(i)
    assert [env.get_state(i) for i in range(2)] == before, "a failed call changed an env"


def test_negative_level_seeds_are_errors_not_random_levels(env):
    with pytest.raises(ValueError, match="level_seed -1 is out of range"):
        env.reset_one(0, level_seed=-1)
    one = gym.make("ProcArcade/maze-v0").unwrapped
    with pytest.raises(ValueError, match="level_seed -5"):
        one.reset(options={"level_seed": -5})
    vec = ProcArcadeVectorEnv("maze", 2)
    with pytest.raises(ValueError, match="level_seed -2"):
        vec.reset(options={"level_seeds": [3, -2]})
    with pytest.raises(ProcArcadeError, match="not below 2147483647"):
        env.reset_one(0, level_seed=2**31 - 1)


def test_unknown_obs_type_and_render_mode_are_value_errors():
    for make in (lambda **kw: ProcArcadeVectorEnv("maze", 2, **kw), lambda **kw: procarcade.ProcArcadeEnv("maze", **kw)):
        with pytest.raises(ValueError, match="obs_type must be 'rgb' or 'grid', got 'pixels'"):
            make(obs_type="pixels")
        with pytest.raises(ValueError, match="render_mode must be one of"):
            make(render_mode="human")


def test_non_integer_actions_are_errors_not_truncated(env):
    state = env.get_state(0)
    for actions in ([1.5, 2], np.array([1.0, 2.0]), [True, False], ["1", "2"]):
        with pytest.raises(TypeError, match="actions must be integers"):
            env.step(actions)
    with pytest.raises(ValueError, match="expected 2 values"):
        env.step([1, 2, 3])
    one = gym.make("ProcArcade/maze-v0").unwrapped
    one.reset(seed=0)
    with pytest.raises(TypeError, match="actions must be integers"):
        one.step(2.7)
    vec = ProcArcadeVectorEnv("maze", 2)
    vec.reset(seed=0)
    with pytest.raises(TypeError, match="actions must be integers"):
        vec.step(np.array([0.5, 1.5]))
    assert env.get_state(0) == state
    env.step(np.array([1, 2], np.uint8))  # any integer dtype is fine


def test_actions_too_big_for_int32_are_errors_not_wrapped(env):
    with pytest.raises(ValueError, match=r"actions\[1\] = 4294967299 is out of range"):
        env.step([0, 2**32 + 3])
    with pytest.raises(ProcArcadeError, match="action 99 of env 1 is not in 0...14"):
        env.step([3, 99])


def test_construction_arguments_that_overflow_c_types_are_errors():
    cases = [dict(num_envs=2**32 + 1), dict(num_levels=2**32), dict(start_level=-2**31 - 1), dict(rand_seed=-1),
             dict(rand_seed=2**64), dict(num_threads=2**32 + 2), dict(observations=2**32 + 1)]
    for kw in cases:
        args = dict(games="maze", num_envs=1) | kw
        with pytest.raises(ValueError, match="is out of range"):
            NativeVecEnv(**args)
    for kw in (dict(num_envs=2.0), dict(num_levels="3"), dict(rand_seed=1.5)):
        with pytest.raises(TypeError, match="must be an integer"):
            NativeVecEnv(**(dict(games="maze", num_envs=1) | kw))
    with pytest.raises(ValueError, match="rand_seed 18446744073709551616"):
        NativeVecEnv("maze", 1).reseed(0, 2**64)


def test_construction_arguments_the_library_rejects_are_errors():
    with pytest.raises(ProcArcadeError, match="observations must be in 0...3"):
        NativeVecEnv("maze", 1, observations=4)
    with pytest.raises(ProcArcadeError, match="threads must be at most 256"):
        NativeVecEnv("maze", 1, num_threads=100000)
    with pytest.raises(ValueError, match="must not contain NUL"):
        NativeVecEnv("maze\0coinrun", 1)
    with pytest.raises(TypeError, match="game name must be a str"):
        NativeVecEnv(["maze", 3], 1)
    with pytest.raises(TypeError, match="mode must be a str"):
        NativeVecEnv("maze", 1, mode=None)
