"""Level-seed lists and weights: levels come from the list, follow the weights (chi-square over a seeded
stream), change with set_level_weights deterministically, survive pickling, and bad lists raise."""
import pickle
from collections import Counter

import numpy as np
import pytest

from procarcade import NativeVecEnv, ProcArcadeError, ProcArcadeVectorEnv


def draws(env, n):
    out = []
    for _ in range(n):
        env.reset_one(0)
        out.append(int(env.level_seed[0]))
    return out


def chi_square(counts, weights, n):
    p = np.asarray(weights, float) / np.sum(weights)
    return float(sum((counts.get(i, 0) - n * p[k]) ** 2 / (n * p[k]) for k, i in enumerate(sorted(counts)) if p[k] > 0))


def test_levels_follow_the_weights():
    seeds, weights = [10, 20, 30, 40], [1, 2, 3, 4]
    env = NativeVecEnv("maze", 1, mode="easy", rand_seed=3, level_seeds=seeds, level_weights=weights)
    got = Counter(draws(env, 4000))
    assert set(got) == set(seeds)
    # 3 degrees of freedom: 16.27 is the 0.1% quantile; the stream is seeded, so this is exact.
    assert chi_square(got, weights, 4000) < 16.27, got
    env.set_level_weights([0, 0, 0, 1])
    assert set(draws(env, 200)) == {40}


def test_uniform_list_and_determinism_under_weight_updates():
    def run():
        env = NativeVecEnv("leaper", 1, mode="easy", rand_seed=5, level_seeds=[7, 8, 9])
        a = draws(env, 50)
        env.set_level_weights([5, 0, 1])
        return a + draws(env, 50)
    a, b = run(), run()
    assert a == b and set(a[:50]) == {7, 8, 9} and 8 not in a[50:]


def test_vector_env_first_levels_come_from_the_list_and_pickling_keeps_it():
    vec = ProcArcadeVectorEnv("bigfish", 4, mode="easy", level_seeds=[100, 200], level_weights=[1, 3])
    _, info = vec.reset(seed=0)
    assert set(info["level_seed"]) <= {100, 200}
    vec.set_level_weights([1, 0])
    copy = pickle.loads(pickle.dumps(vec))
    for _ in range(3):
        copy.reset()
        assert set(copy._native.level_seed) == {100}


@pytest.mark.parametrize("kw,err,match", [
    (dict(level_seeds=[]), ValueError, "non-empty"),
    (dict(level_seeds=[1, -2]), ValueError, "out of range"),
    (dict(level_seeds=[1, 2], level_weights=[1]), ValueError, "expected 2 values"),
    (dict(level_seeds=[1, 2], level_weights=[1, -1]), ProcArcadeError, "not a finite number"),
    (dict(level_seeds=[1, 2], level_weights=[0, 0]), ProcArcadeError, "every level weight is 0"),
    (dict(level_weights=[1.0]), ValueError, "need level_seeds"),
])
def test_bad_lists_raise(kw, err, match):
    with pytest.raises(err, match=match):
        NativeVecEnv("maze", 1, **kw)
