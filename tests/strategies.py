"""Hypothesis strategies shared by the tests (import them: `from strategies import seeds, shapes`;
pytest's default import mode puts tests/ on sys.path, as for labserver and figure_checks).

Numbers:
    seeds                   an rng seed, 0 … 2³² − 1
    sizes                   a small size (batch, width, features), 1 … 6
    shapes                  a (batch, features) pair of sizes
    scales                  magnitudes 1e-3, 0.5, 3, 1e3 (tiny, ordinary, large, huge)

Arrays of a given shape, for property tests and bad-input tests:
    finite_arrays(shape)       float64, every entry finite (|x| ≤ 1e3 unless told)
    non_finite_arrays(shape)   float64 with at least one NaN, +inf or −inf
    int_arrays(shape), bool_arrays(shape), complex_arrays(shape), object_arrays(shape),
    str_arrays(shape)          one dtype each, all entries set
    non_float_arrays(shape)    any one of those five
    wrong_shapes(shape, free=())  a shape that is not `shape`: another number of axes, or another
                               length on an axis not listed in `free` (e.g. free=(0,) for the batch)
"""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

seeds = st.integers(0, 2**32 - 1)
sizes = st.integers(1, 6)
shapes = st.tuples(sizes, sizes)
scales = st.sampled_from([1e-3, 0.5, 3.0, 1e3])


def finite_arrays(shape, bound=1e3):
    return hnp.arrays(np.float64, shape, elements=st.floats(-bound, bound, allow_nan=False,
                                                            allow_infinity=False))


@st.composite
def non_finite_arrays(draw, shape):
    array = draw(finite_arrays(shape))
    if array.size == 0:
        raise ValueError(f"non_finite_arrays: shape must hold at least one entry, got {shape}")
    where = draw(st.integers(0, array.size - 1))
    array.flat[where] = draw(st.sampled_from([np.nan, np.inf, -np.inf]))
    return array


def int_arrays(shape):
    return hnp.arrays(np.int64, shape, elements=st.integers(-1000, 1000))


def bool_arrays(shape):
    return hnp.arrays(np.bool_, shape)


def complex_arrays(shape):
    return hnp.arrays(np.complex128, shape,
                      elements=st.complex_numbers(max_magnitude=1e3, allow_nan=False, allow_infinity=False))


def object_arrays(shape):
    return hnp.arrays(object, shape, elements=st.floats(-1e3, 1e3), fill=st.nothing())


def str_arrays(shape):
    return hnp.arrays(np.dtype("U3"), shape, elements=st.text("0123456789.-", min_size=1, max_size=3),
                      fill=st.nothing())


def non_float_arrays(shape):
    return st.one_of(int_arrays(shape), bool_arrays(shape), complex_arrays(shape), object_arrays(shape),
                     str_arrays(shape))


@st.composite
def wrong_shapes(draw, shape, free=()):
    shape = tuple(shape)
    fixed = [axis for axis in range(len(shape)) if axis not in free]
    kinds = ["fewer axes", "more axes"] + (["other length"] if fixed else [])
    kind = draw(st.sampled_from(kinds if shape else ["more axes"]))
    if kind == "fewer axes":
        return tuple(draw(st.permutations(shape)))[:draw(st.integers(0, len(shape) - 1))]
    if kind == "more axes":
        extra = draw(st.lists(sizes, min_size=1, max_size=2))
        at = draw(st.integers(0, len(shape)))
        return (*shape[:at], *extra, *shape[at:])
    axis = draw(st.sampled_from(fixed))
    length = draw(st.integers(0, shape[axis] + 3).filter(lambda n: n != shape[axis]))
    return (*shape[:axis], length, *shape[axis + 1:])
