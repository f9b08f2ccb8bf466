"""Runs test code in a fresh interpreter, so that a crash (a segfault in the
native library) fails that one test instead of killing the whole pytest run."""
import os
import subprocess
import sys
import textwrap
from pathlib import Path

TESTS_DIR = Path(__file__).resolve().parent
PACKAGE_DIR = TESTS_DIR.parent
# Only against a hang (a deadlock would otherwise stall the run): far above any normal run.
HANG_LIMIT_SECONDS = 600


def run_python(code, stdin=None):
    """Runs `code`; returns its stdout (bytes if `stdin` is bytes) and asserts it exited cleanly."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [env.get("PYTHONPATH"), str(PACKAGE_DIR), str(TESTS_DIR)]))
    r = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], input=stdin, capture_output=True, env=env,
                       timeout=HANG_LIMIT_SECONDS)
    assert r.returncode == 0, f"exit status {r.returncode}\n{r.stderr.decode(errors='replace')[-3000:]}"
    return r.stdout if isinstance(stdin, bytes) else r.stdout.decode()
