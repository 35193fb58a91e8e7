"""Input checks shared by the whole package: bad input gets an error that says what was expected.

Nothing is silently broadcast: a layer that expects (batch, 3) and gets (batch, 4) or (3,) says so,
with both shapes, instead of returning a wrong answer.
"""

import numbers

import numpy as np


class NonFiniteError(ValueError):
    """A NaN or ±inf reached a layer: the numbers have diverged or the input is broken."""


def check_generator(rng):
    """Return rng if it is a `np.random.Generator`; otherwise raise a TypeError that says how."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            "rng must be a numpy Generator, e.g. np.random.default_rng(0); "
            f"got {type(rng).__name__}"
        )
    return rng


def check_positive_int(value, name):
    """Return value as an int if it is an integer ≥ 1 (a bool or 3.0 is not); else a clear error."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer ≥ 1, got {value!r} ({type(value).__name__})")
    if value < 1:
        raise ValueError(f"{name} must be an integer ≥ 1, got {value}")
    return int(value)


def as_float_array(x, where):
    """x as a float array (float32 stays float32, integers become float64), checked finite.

    `where` names the receiver in the error message: a string, or the layer itself (its repr is
    only made when there is an error to report).
    """
    array = np.asarray(x)
    if array.dtype.kind not in "fiu":
        raise TypeError(
            f"{where} expects a numeric array, got dtype {array.dtype} ({type(x).__name__})"
        )
    if array.dtype.kind != "f":
        array = array.astype(np.float64)
    if not np.isfinite(array).all():
        raise NonFiniteError(
            f"{where} got a non-finite input ({np.isnan(array).sum()} NaN, "
            f"{np.isinf(array).sum()} inf of {array.size} values)"
        )
    return array


def as_batch(x, n_features, where, stacks=False):
    """x as a float array of shape (batch, n_features): one example per row. With stacks=True
    also (K, batch, n_features): K batches side by side (see Linear on weight stacks)."""
    array = as_float_array(x, where)
    if array.ndim not in ((2, 3) if stacks else (2,)) or array.shape[-1] != n_features:
        hint = " (for one example use x.reshape(1, -1))" if array.ndim == 1 else ""
        raise ValueError(
            f"{where} expects x of shape (batch, {n_features}), got shape {array.shape}{hint}"
        )
    return array


def check_same_shape(actual, expected_shape, name, where):
    """Raise a ValueError unless `actual` has exactly `expected_shape` (no broadcasting)."""
    shape = np.shape(actual)
    if shape != tuple(expected_shape):
        raise ValueError(
            f"{where}: {name} must have shape {tuple(expected_shape)}, got shape {shape}"
        )
