"""Steps per second through Python: one Gymnasium env, and a 64-env vector env.

    python3 tools/python/bench.py [--seconds 2] [--mode hard]
"""
import argparse
import time

import gymnasium as gym
import numpy as np

import procarcade


def rate(step, n_per_call, seconds):
    calls, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        for _ in range(100):
            step()
        calls += 100
    return calls * n_per_call / (time.perf_counter() - t0)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--seconds", type=float, default=2.0)
    p.add_argument("--mode", default="hard")
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args()
    print(f"steps/s through Python, {args.mode} mode, random actions, rgb observations")
    print(f"{'game':10}{'1 env':>12}{'64 envs':>12}")
    rng = np.random.default_rng(0)
    acts = rng.integers(0, 15, (1000, 64)).astype(np.int32)
    for game in procarcade.GAMES:
        env = gym.make(f"ProcArcade/{game}-v0", mode=args.mode).unwrapped
        env.reset(seed=0)
        k = [0]

        def one():
            _, _, term, trunc, _ = env.step(int(acts[k[0] % 1000, 0]))
            k[0] += 1
            if term or trunc:
                env.reset()

        vec = procarcade.ProcArcadeVectorEnv(game, 64, mode=args.mode, num_threads=args.threads, copy=False)
        vec.reset(seed=0)

        def batch():
            vec.step(acts[k[0] % 1000])
            k[0] += 1

        print(f"{game:10}{rate(one, 1, args.seconds):>12,.0f}{rate(batch, 64, args.seconds):>12,.0f}")
        env.close()
        vec.close()


if __name__ == "__main__":
    main()
