"""Checked conversions of Python arguments to the C types of the native calls.

ctypes silently wraps integers that do not fit (2**40 + 1 becomes 1) and int()
silently truncates floats (2.7 becomes 2); these raise TypeError or ValueError
instead. Whether a value that fits is valid (an env index below num_envs, an
action in 0...14) is left to the native library, which says so itself.
"""
import operator

import numpy as np

INT32 = (-2**31, 2**31 - 1)
INT64 = (-2**63, 2**63 - 1)
UINT64 = (0, 2**64 - 1)


def integer(value, name, bounds):
    """`value` as a Python int in `bounds` (inclusive); ints and numpy integers only."""
    try:
        v = operator.index(value)
    except TypeError:
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {value!r}") from None
    lo, hi = bounds
    if not lo <= v <= hi:
        raise ValueError(f"{name} {v} is out of range {lo}...{hi}")
    return v


def int32_array(values, name, n):
    """`values` (n of them, or one for all) as int32, with no truncation or wrapping."""
    a = np.asarray(values)
    try:
        a = np.broadcast_to(a, (n,))
    except ValueError:
        raise ValueError(f"{name}: expected {n} values, got shape {a.shape}") from None
    if a.dtype.kind not in "iu":
        raise TypeError(f"{name} must be integers, got dtype {a.dtype}")
    lo, hi = INT32
    bad = np.flatnonzero((a < lo) | (a > hi))
    if bad.size:
        raise ValueError(f"{name}[{bad[0]}] = {a[bad[0]]} is out of range {lo}...{hi}")
    return a.astype(np.int32)


def c_string(value, name):
    """`value` as UTF-8 bytes for a C string (a NUL inside would silently cut it short)."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {type(value).__name__} {value!r}")
    if "\0" in value:
        raise ValueError(f"{name} must not contain NUL characters, got {value!r}")
    return value.encode()


def seed_array(values, name):
    """A non-empty 1-D list of level seeds (integers in 0 ... 2**31 - 2) as uint32."""
    a = np.asarray(values)
    if a.ndim != 1 or a.size == 0:
        raise ValueError(f"{name} must be a non-empty list of level seeds, got shape {a.shape}")
    if a.dtype.kind not in "iu":
        raise TypeError(f"{name} must be integers, got dtype {a.dtype}")
    bad = np.flatnonzero((a < 0) | (a > 2**31 - 2))
    if bad.size:
        raise ValueError(f"{name}[{bad[0]}] = {a[bad[0]]} is out of range 0...{2**31 - 2}")
    return np.ascontiguousarray(a, np.uint32)


def float_array(values, name, n):
    """`n` finite numbers as float64 (the native library checks signs and sums)."""
    a = np.asarray(values, dtype=np.float64)
    if a.shape != (n,):
        raise ValueError(f"{name}: expected {n} values, got shape {a.shape}")
    return np.ascontiguousarray(a)
