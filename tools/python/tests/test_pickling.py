"""Pickling and deepcopy build an equal, independent env (same next outputs
for the same actions; stepping or collecting one leaves the other alone),
also in another process. The copies are stepped in a fresh interpreter
(isolated.py): a copied raw handle would crash it rather than fail."""
import pickle

import gymnasium as gym
import numpy as np

import procarcade  # noqa: F401 (registers the games)
from isolated import run_python
from rollouts import fingerprints

ROLLOUT = """
import copy, gc, pickle, sys
import gymnasium as gym
import numpy as np
import procarcade
from rollouts import first_frames, fingerprints
"""


def test_pickle_and_deepcopy_of_one_env_are_equal_and_independent():
    out = run_python(ROLLOUT + """
rng = np.random.default_rng(0)
env = gym.make("ProcArcade/coinrun-v0", mode="easy", render_mode="rgb_array").unwrapped
env.reset(seed=4)
fingerprints(env, rng.integers(0, 15, 60))
copies = [pickle.loads(pickle.dumps(env)), copy.deepcopy(env)]
busy = copy.deepcopy(env)
fingerprints(busy, rng.integers(0, 15, 200))  # must not disturb the others
actions = rng.integers(0, 15, 300)
expected = fingerprints(env, actions)
print(len(set(expected)) > 100)  # the rollout is not a still picture
for c in copies:
    print(fingerprints(c, actions) == expected, np.array_equal(c.render(), env.render()))
print(all(first_frames(c, 9) == first_frames(env, 9) for c in copies))
saved = pickle.dumps(env)
del copies, busy
gc.collect()
again = pickle.loads(saved)
more = rng.integers(0, 15, 100)
print(fingerprints(env, more) == fingerprints(again, more))
""")
    assert out.split() == ["True"] * 7


def test_pickle_and_deepcopy_of_a_vector_env_are_equal_and_independent():
    out = run_python(ROLLOUT + """
rng = np.random.default_rng(1)
vec = procarcade.ProcArcadeVectorEnv(procarcade.GAMES, 20, mode="easy", obs_type="grid", num_levels=5, rand_seed=2)
vec.reset(seed=3)
fingerprints(vec, rng.integers(0, 15, (50, 20)))
copies = [pickle.loads(pickle.dumps(vec)), copy.deepcopy(vec)]
native = copy.copy(vec._native)  # a shallow copy of the native env is a new env too
fingerprints(copies[1], rng.integers(0, 15, (30, 20)))
del copies[1], native
gc.collect()
actions = rng.integers(0, 15, (200, 20))
print(fingerprints(copies[0], actions) == fingerprints(vec, actions))
print(first_frames(copies[0], 7) == first_frames(vec, 7))
""")
    assert out.split() == ["True", "True"]


def test_an_env_pickled_here_steps_the_same_in_another_process():
    env = gym.make("ProcArcade/miner-v0", mode="easy", obs_type="grid").unwrapped
    env.reset(seed=11)
    rng = np.random.default_rng(2)
    fingerprints(env, rng.integers(0, 15, 40))
    actions = rng.integers(0, 15, 200)
    data = pickle.dumps((env, actions))
    expected = fingerprints(env, actions)
    out = run_python(ROLLOUT + """
env, actions = pickle.loads(sys.stdin.buffer.read())
sys.stdout.buffer.write(pickle.dumps(fingerprints(env, actions)))
""", stdin=data)
    assert pickle.loads(out) == expected
    env.close()
