"""Loads libProcArcadeC and declares its C functions (ctypes; no compiler needed).

The library is found through, in order: the PROCARCADE_LIB environment
variable (a path to libProcArcadeC.so), then `.build/release` (or
`.build/debug`) of a ProcArcade checkout above this file or above the current
directory. Build it with `swift build -c release --product ProcArcadeC`.
"""
import ctypes
import json
import os
from pathlib import Path

_NAME = "libProcArcadeC.so"


def _candidates():
    env = os.environ.get("PROCARCADE_LIB")
    if env:
        yield Path(env)
    for start in (Path(__file__).resolve().parent, Path.cwd().resolve()):
        for d in (start, *start.parents):
            for cfg in ("release", "debug"):
                yield d / ".build" / cfg / _NAME


def _load():
    tried = []
    for path in _candidates():
        tried.append(str(path))
        if path.is_file():
            return ctypes.CDLL(str(path))
    raise OSError(
        f"{_NAME} not found (set PROCARCADE_LIB, or run `swift build -c release --product ProcArcadeC` "
        f"in the ProcArcade checkout); looked at: {', '.join(tried[:4])} ...")


lib = _load()
_ABI = 3  # handles are table entries; pa_destroy returns a status; pa_step_skipping
lib.pa_abi_version.restype = ctypes.c_int32
if lib.pa_abi_version() != _ABI:
    raise OSError(f"{lib._name} has C ABI version {lib.pa_abi_version()}, this binding needs {_ABI}: "
                  "rebuild it with `swift build -c release --product ProcArcadeC`")
c_int, c_u8p, c_fp = ctypes.c_int32, ctypes.POINTER(ctypes.c_uint8), ctypes.POINTER(ctypes.c_float)
c_i64p, c_i32p = ctypes.POINTER(ctypes.c_int64), ctypes.POINTER(ctypes.c_int32)

lib.pa_game_count.restype = c_int
lib.pa_game_info.argtypes = [c_int, ctypes.c_char_p, c_int]
lib.pa_game_info.restype = c_int
lib.pa_create.argtypes = [ctypes.c_char_p, c_int, ctypes.c_char_p, c_int, c_int, ctypes.c_uint64, c_int, c_int,
                          c_int, c_int, c_int, ctypes.c_char_p, c_int]
lib.pa_create.restype = ctypes.c_void_p
lib.pa_destroy.argtypes = [ctypes.c_void_p]
lib.pa_destroy.restype = c_int
lib.pa_num_envs.argtypes = [ctypes.c_void_p]
lib.pa_num_envs.restype = c_int
lib.pa_grid_shape.argtypes = [ctypes.c_void_p, c_i32p]
lib.pa_grid_shape.restype = c_int
lib.pa_set_buffers.argtypes = [ctypes.c_void_p, c_u8p, c_u8p, c_fp, c_fp, c_fp, c_u8p, c_u8p]
lib.pa_set_buffers.restype = c_int
lib.pa_reset.argtypes = [ctypes.c_void_p, c_i64p]
lib.pa_reset.restype = c_int
lib.pa_reset_one.argtypes = [ctypes.c_void_p, c_int, ctypes.c_int64]
lib.pa_reset_one.restype = c_int
lib.pa_reseed.argtypes = [ctypes.c_void_p, c_int, ctypes.c_uint64]
lib.pa_reseed.restype = c_int
lib.pa_step.argtypes = [ctypes.c_void_p, c_i32p]
lib.pa_step.restype = c_int
lib.pa_set_level_seeds.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_uint32), ctypes.POINTER(ctypes.c_double), c_int]
lib.pa_set_level_seeds.restype = c_int
lib.pa_set_level_weights.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_double), c_int]
lib.pa_set_level_weights.restype = c_int
lib.pa_step_skipping.argtypes = [ctypes.c_void_p, c_i32p, c_u8p]
lib.pa_step_skipping.restype = c_int
lib.pa_infos.argtypes = [ctypes.c_void_p, c_i64p, c_i64p, c_u8p, c_fp, c_i32p]
lib.pa_infos.restype = c_int
lib.pa_glyphs.argtypes = [ctypes.c_void_p, c_int, ctypes.c_char_p, c_int]
lib.pa_glyphs.restype = c_int
lib.pa_get_state.argtypes = [ctypes.c_void_p, c_int, c_u8p, c_int]
lib.pa_get_state.restype = c_int
lib.pa_set_state.argtypes = [ctypes.c_void_p, c_int, c_u8p, c_int]
lib.pa_set_state.restype = c_int
lib.pa_last_error.argtypes = [ctypes.c_void_p, ctypes.c_char_p, c_int]
lib.pa_last_error.restype = c_int


def game_infos():
    """Every game's description (name, modes, actions, grid channels and shapes, ...)."""
    out = []
    for i in range(lib.pa_game_count()):
        n = lib.pa_game_info(i, None, 0)
        buf = ctypes.create_string_buffer(n + 1)
        lib.pa_game_info(i, buf, n + 1)
        out.append(json.loads(buf.value.decode()))
    return out
