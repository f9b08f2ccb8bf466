#!/usr/bin/env python3
"""PPO from Ray RLlib on a ProcArcade game, on a local Ray cluster with several env runners.

    PYTHONPATH=tools/python python tools/python/examples/rllib_ppo.py --game starpilot --runners 2 --iterations 5

Prints, per iteration, the env steps sampled, the sampling rate and the mean episode return. On many
machines: `ray start --head` on one, `ray start --address HEAD:6379` on the others, then run this with
--address auto; each runner's envs get their own levels (see procarcade.rllib).
"""
import argparse
import time

import ray
from ray.rllib.algorithms.ppo import PPOConfig

import procarcade.rllib

ap = argparse.ArgumentParser()
ap.add_argument("--game", default="starpilot")
ap.add_argument("--mode", default="easy")
ap.add_argument("--obs-type", default="grid", choices=["grid", "rgb"])
ap.add_argument("--runners", type=int, default=2, help="env runner processes")
ap.add_argument("--envs-per-runner", type=int, default=4)
ap.add_argument("--iterations", type=int, default=5)
ap.add_argument("--batch", type=int, default=2000, help="env steps per training iteration")
ap.add_argument("--verbose", action="store_true", help="print RLlib's timers")
ap.add_argument("--address", default=None, help="an existing Ray cluster ('auto'), else a local one")
args = ap.parse_args()

ray.init(address=args.address, include_dashboard=False, log_to_driver=False)
procarcade.rllib.register_envs()
config = (
    PPOConfig()
    .environment(f"ProcArcade/{args.game}-v0", env_config={"mode": args.mode, "obs_type": args.obs_type,
                                                          "num_levels": 200})
    .env_runners(num_env_runners=args.runners, num_envs_per_env_runner=args.envs_per_runner)
    .training(train_batch_size_per_learner=args.batch, minibatch_size=min(500, args.batch), num_epochs=2)
)
algo = config.build_algo()
for i in range(args.iterations):
    t0 = time.time()
    r = algo.train()
    runners = r["env_runners"]
    steps = runners.get("num_env_steps_sampled", 0)
    sampling = r.get("timers", {}).get("env_runner_sampling_timer")
    rate = f", sampling {steps / sampling:.0f} env steps/s" if sampling else ""
    print(f"iteration {i + 1}: {steps} env steps in {time.time() - t0:.1f} s{rate}, "
          f"episode return {runners.get('episode_return_mean', float('nan')):.2f}", flush=True)
    if i == 0 and args.verbose:
        print({k: v for k, v in r.get("timers", {}).items()}, flush=True)
algo.stop()
ray.shutdown()
