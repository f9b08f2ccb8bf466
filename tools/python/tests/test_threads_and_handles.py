"""Several threads on one env, closing while others step, and stale handles:
every call either works or raises a clean error; nothing crashes. Each case
runs in its own interpreter (isolated.py), so a crash shows as a failed test.
Races are not certain to strike in one run: the thread cases step every game
in many envs so that, without the locks, they crash most runs."""
from isolated import run_python

# Shared by the cases below: N threads each run `work(k)` until it returns
# False, and `started` is set once every thread has done a few calls.
THREADS = """
import threading
import numpy as np
import procarcade
from procarcade import ProcArcadeError
from procarcade._lib import lib, c_i32p

def run_threads(work, n=4, warmup=5):
    counts = [0] * n
    ready = threading.Barrier(n + 1)
    outcomes = []

    def loop(k):
        try:
            while True:
                if counts[k] == warmup:
                    ready.wait()
                counts[k] += 1
                if not work(k):
                    break
            outcomes.append("stopped")
        except ProcArcadeError as e:
            outcomes.append("error: " + str(e))
        except BaseException as e:
            outcomes.append("unexpected " + type(e).__name__ + ": " + str(e))
            if counts[k] <= warmup:
                ready.abort()

    threads = [threading.Thread(target=loop, args=(k,)) for k in range(n)]
    for t in threads:
        t.start()
    return threads, ready, outcomes

def run_to_end(work):
    threads, ready, outcomes = run_threads(work)
    ready.wait()
    for t in threads:
        t.join()
    return outcomes
"""


def test_threads_stepping_one_native_env_all_succeed():
    out = run_python(THREADS + """
env = procarcade.NativeVecEnv(procarcade.GAMES, 32, mode="easy", observations=3)
steps = [0] * 4

def work(k):
    env.step(np.random.default_rng(steps[k]).integers(0, 15, 32))
    if steps[k] % 10 == 0:
        env.reset_one(k, level_seed=k)
        env.set_state(k, env.get_state(k))
        env.glyphs(k)
    steps[k] += 1
    return steps[k] < 300

print(run_to_end(work))
""")
    assert out.strip() == str(["stopped"] * 4)


def test_threads_stepping_one_vector_env_all_succeed():
    out = run_python(THREADS + """
vec = procarcade.ProcArcadeVectorEnv(procarcade.GAMES, 32, mode="easy", num_threads=2)
vec.reset(seed=1)
steps = [0] * 4

def work(k):
    obs, *_ = vec.step(np.full(32, k))
    assert obs.shape == (32, 64, 64, 3)
    steps[k] += 1
    return steps[k] < 300

print(run_to_end(work))
""")
    assert out.strip() == str(["stopped"] * 4)


def test_native_calls_on_one_handle_from_threads_run_one_at_a_time():
    # Straight through ctypes (which lets go of the GIL), past the Python lock.
    out = run_python(THREADS + """
env = procarcade.NativeVecEnv(procarcade.GAMES, 32, mode="easy", observations=3)
h = env._h
actions = [np.random.default_rng(k).integers(0, 15, 32).astype(np.int32) for k in range(4)]
steps = [0] * 4

def work(k):
    assert lib.pa_step(h, actions[k].ctypes.data_as(c_i32p)) == 0
    if steps[k] % 10 == 0:
        assert lib.pa_reset_one(h, k, k) == 0
    steps[k] += 1
    return steps[k] < 300

print(run_to_end(work))
""")
    assert out.strip() == str(["stopped"] * 4)


def test_close_while_threads_step_ends_each_with_a_clean_error():
    out = run_python(THREADS + """
env = procarcade.NativeVecEnv("maze", 4, num_threads=2)
threads, ready, outcomes = run_threads(lambda k: env.step([k, k, k, k]) or True)
ready.wait()
env.close()
for t in threads:
    t.join()
print(sorted(set(outcomes)))
""")
    assert out.strip() == str(["error: the env is closed"])


def test_native_destroy_while_threads_step_ends_each_with_an_error_status():
    out = run_python(THREADS + """
env = procarcade.NativeVecEnv("maze", 4, num_threads=2)
h = env._h
actions = np.zeros(4, np.int32)
threads, ready, outcomes = run_threads(lambda k: lib.pa_step(h, actions.ctypes.data_as(c_i32p)) == 0)
ready.wait()
print(lib.pa_destroy(h))
for t in threads:
    t.join()
print(outcomes)
""")
    assert out.split("\n")[:2] == ["0", str(["stopped"] * 4)]


def test_double_close_and_every_call_after_close_raise_cleanly():
    out = run_python("""
import pickle
import procarcade
from procarcade import ProcArcadeError
env = procarcade.NativeVecEnv("maze", 2)
state = env.get_state(0)
env.close()
env.close()
calls = [lambda: env.step([0, 0]), lambda: env.reset_one(0), lambda: env.reseed(0, 1), lambda: env.glyphs(0),
         lambda: env.get_state(0), lambda: env.set_state(0, state), env.read_infos, lambda: pickle.dumps(env)]
for call in calls:
    try:
        call()
        print("no error")
    except ProcArcadeError as e:
        print(e)
""")
    assert out.splitlines() == ["the env is closed"] * 8


def test_stale_double_destroyed_and_forged_handles_are_errors():
    out = run_python("""
import ctypes
import numpy as np
import procarcade
from procarcade._lib import lib, c_i32p, c_u8p
old = procarcade.NativeVecEnv("maze", 2)
stale = old._h
print(lib.pa_destroy(stale), lib.pa_destroy(stale))
new = procarcade.NativeVecEnv("coinrun", 3)  # takes the freed slot, under a new generation
forged = [stale, new._h ^ (1 << 32), new._h + 1, 1 << 40, 0x7F0012345678, 2**64 - 1]
buf = ctypes.create_string_buffer(256)
chw = (ctypes.c_int32 * 3)()
actions = np.zeros(3, np.int32).ctypes.data_as(c_i32p)
for h in forged:
    print([lib.pa_num_envs(h), lib.pa_grid_shape(h, chw), lib.pa_step(h, actions), lib.pa_reset(h, None),
           lib.pa_reset_one(h, 0, 0), lib.pa_reseed(h, 0, 0), lib.pa_glyphs(h, 0, buf, 256),
           lib.pa_get_state(h, 0, None, 0), lib.pa_set_state(h, 0, None, 0),
           lib.pa_infos(h, None, None, None, None, None),
           lib.pa_set_buffers(h, None, None, None, None, None, None, None), lib.pa_destroy(h)])
lib.pa_last_error(stale, buf, 256)
print(buf.value.decode())
print(lib.pa_num_envs(new._h))
""")
    lines = out.splitlines()
    assert lines[0] == "0 -1"
    assert lines[1:7] == [str([-1] * 12)] * 6
    assert lines[7] == "invalid handle (destroyed, stale or never created)"
    assert lines[8] == "3", "the live env behind the reused slot was disturbed"
