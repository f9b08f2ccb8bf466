"""Ray RLlib (runs when ray[rllib] is installed): the example trains PPO for two iterations on a local
Ray cluster with two env runners, which build the envs from Ray's registry in their own processes, on
grids (flattened) and on frames (float32, RLlib's default CNN)."""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("ray.rllib", reason="ray[rllib] is not installed")

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "rllib_ppo.py"


@pytest.mark.parametrize("obs_type", ["grid", "rgb"])
def test_ppo_example_runs_two_iterations_with_two_env_runners(obs_type):
    env = dict(os.environ, PYTHONPATH=str(EXAMPLE.parents[1]))
    p = subprocess.run([sys.executable, str(EXAMPLE), "--runners", "2", "--iterations", "2", "--batch", "800",
                        "--obs-type", obs_type], capture_output=True, text=True, env=env, timeout=900)
    assert p.returncode == 0, p.stderr[-3000:]
    lines = re.findall(r"iteration (\d+): (\d+) env steps.*episode return (\S+)", p.stdout)
    assert [int(i) for i, _, _ in lines] == [1, 2], p.stdout
    assert all(int(steps) >= 800 for _, steps, _ in lines)
    assert lines[-1][2] != "nan", "no episode ended: the runners did not step the envs"
