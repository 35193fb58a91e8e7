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


#: The largest size, depth, width, count of steps, … any argument may ask for: far beyond a
#: lecture's nets, and small enough that a typo (1e12 units) is refused instead of running for hours.
LARGEST = 10**6


def check_positive_int(value, name, where=None):
    """Return value as an int if it is an integer from 1 to LARGEST (a bool or 3.0 is not)."""
    wanted = f"{name} must be an integer from 1 to {LARGEST}"
    prefix = f"{where}: " if where else ""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{prefix}{wanted}, got {value!r} ({type(value).__name__})")
    if not 1 <= value <= LARGEST:
        raise ValueError(f"{prefix}{wanted}, got {value}")
    return int(value)


def check_seed(seed, name="seed", where=None):
    """Return seed as an int if it is an integer ≥ 0, as np.random.default_rng wants."""
    prefix = f"{where}: " if where else ""
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise (ValueError if isinstance(seed, numbers.Integral) else TypeError)(
            f"{prefix}{name} must be an integer ≥ 0, got {seed!r}")
    return int(seed)


def as_float_array(x, where, name=None):
    """x as a float array (float32 stays float32, integers become float64), checked finite.

    `where` names the receiver in the error message: a string, or the layer itself (its repr is
    only made when there is an error to report); `name` the argument, e.g. "x".
    """
    what = f"{where}: {name}" if name else f"{where}:"
    try:
        array = np.asarray(x)
    except ValueError:  # a ragged list: rows of different lengths
        raise ValueError(f"{what} must be a rectangular array, got rows of different lengths") from None
    if array.dtype.kind not in "fiu":
        raise TypeError(f"{what} must be an array of numbers, got dtype {array.dtype} "
                        f"({type(x).__name__})")
    if array.dtype.kind != "f":
        array = array.astype(np.float64)
    if not np.isfinite(array).all():
        raise NonFiniteError(
            f"{what} must be finite, got {np.isnan(array).sum()} NaN and "
            f"{np.isinf(array).sum()} inf among {array.size} values"
        )
    return array


def as_batch(x, n_features, where):
    """x as a float array of shape (batch, n_features): one example per row."""
    array = as_float_array(x, where, "x")
    if array.ndim != 2 or array.shape[1] != n_features:
        hint = " (for one example use x.reshape(1, -1))" if array.ndim == 1 else ""
        raise ValueError(
            f"{where} expects x of shape (batch, {n_features}), got shape {array.shape}{hint}"
        )
    if len(array) == 0:
        raise ValueError(f"{where}: x must hold at least one example, got shape {array.shape}")
    return array


def check_same_shape(actual, expected_shape, name, where):
    """Raise a ValueError unless `actual` has exactly `expected_shape` (no broadcasting)."""
    shape = np.shape(actual)
    if shape != tuple(expected_shape):
        raise ValueError(
            f"{where}: {name} must have shape {tuple(expected_shape)}, got shape {shape}"
        )


def _describe(at_least, above, below, at_most):
    """'a number > 0', 'a number in [0, 1)', … for the error messages."""
    low = f"[{at_least:g}" if at_least is not None else f"({above:g}" if above is not None else None
    high = f"{below:g})" if below is not None else f"{at_most:g}]" if at_most is not None else None
    if low and high:
        return f"a number in {low}, {high}"
    if low:
        return f"a number {'≥' if at_least is not None else '>'} {low[1:]}"
    if high:
        return f"a number {'<' if below is not None else '≤'} {high[:-1]}"
    return "a finite number"


def check_number(value, name, where, at_least=None, above=None, below=None, at_most=None):
    """value as a float if it is a finite real number in the given range; else a clear error.

    Python and numpy numbers are accepted alike; bool, None, strings and arrays are not.
    """
    wanted = _describe(at_least, above, below, at_most)
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{where}: {name} must be {wanted}, got {value!r} ({type(value).__name__})")
    try:
        number = float(value)
    except OverflowError:  # an int beyond float64, like 10**400
        number = float("inf")
    if not (np.isfinite(number)
            and (at_least is None or number >= at_least) and (above is None or number > above)
            and (below is None or number < below) and (at_most is None or number <= at_most)):
        raise ValueError(f"{where}: {name} must be {wanted}, got {value!r}")
    return number


def check_choice(value, name, choices, where):
    """value if it is one of `choices`; else an error that lists them."""
    valid = ", ".join(repr(choice) for choice in choices)
    try:
        known = not isinstance(value, np.ndarray) and value in choices
    except TypeError:  # an unhashable value (a list, a dict) is not a name
        known = False
    if not known:
        raise ValueError(f"{where}: {name} must be one of {valid}, got {value!r}")
    return value


def check_callable(value, name, where):
    """value if it can be called; else a TypeError."""
    if not callable(value):
        raise TypeError(f"{where}: {name} must be a function, got {value!r} ({type(value).__name__})")
    return value


def check_rows(X, name, where, n_features=None):
    """X as a finite float array of shape (n, features), n ≥ 1: one example per row."""
    if X is None:
        raise TypeError(f"{where}: {name} must be an array of shape (n, features), got None")
    array = as_float_array(X, where, name)
    if array.ndim != 2 or (n_features is not None and array.shape[1] != n_features):
        features = "features" if n_features is None else n_features
        raise ValueError(f"{where}: {name} must have shape (n, {features}), got shape {array.shape}")
    if len(array) == 0:
        raise ValueError(f"{where}: {name} must hold at least one example, got shape {array.shape}")
    return array


#: A loss this many times its first value counts as diverged (before it even reaches inf).
BLOW_UP = 1e6


class Diverged(ArithmeticError):
    """A training step blew the numbers up (NaN, inf, or a loss BLOW_UP times its first value).
    Not a ValueError: the input was fine, the learning rate or the weights were not."""


def blew_up(loss, first):
    """Why `loss` counts as diverged next to the `first` loss of the run, or '' if it does not."""
    if not np.isfinite(loss):
        return "the loss became inf or NaN"
    if loss > BLOW_UP * max(first, 1e-12):
        return f"the loss grew to {loss:.3g}"
    return ""


def check_float_dtype(dtype, where):
    """dtype as a numpy float type (float64 or float32); else a TypeError."""
    try:
        kind = np.dtype(dtype).kind
    except TypeError:
        kind = None
    if kind != "f":
        raise TypeError(f"{where}: dtype must be a float type such as np.float64, got {dtype!r}")
    return np.dtype(dtype)


def check_net(net, where, sequential=False):
    """net if it is a Layer (with sequential=True: a Sequential, as build_mlp builds it); else a
    TypeError."""
    from .layers import Layer, Sequential  # here: layers imports this module

    if not isinstance(net, Sequential if sequential else Layer):
        hint = " (for a SlideNet use net.as_sequential())" if hasattr(net, "as_sequential") else ""
        raise TypeError(f"{where}: net must be a {'Sequential' if sequential else 'Layer'}, e.g. "
                        f"lk.build_mlp(3, 16), got "
                        f"{type(net).__name__}{hint}")
    return net


def check_examples(net, X, Y, loss, where, x_name="X", y_name="Y"):
    """(X, Y, the loss function) for a call that runs `net` on X and compares with Y: refuse a net
    that is not a Layer and data the net or the loss cannot take, before any forward pass moves
    BatchNorm's running statistics. Y is rows of targets, or integer labels for
    softmax_cross_entropy; a loss given as a function gets Y as it is."""
    from .losses import LOSSES, get_loss  # here: losses and nets import this module
    from .nets import linear_layers

    check_net(net, where)
    if not callable(loss):
        check_choice(loss, "loss", tuple(LOSSES), where)
    linears = linear_layers(net)
    if not linears:
        raise ValueError(f"{where}: net must hold at least one Linear layer, got {net!r}")
    X = check_rows(X, x_name, where, n_features=linears[0].n_in)
    outputs = linears[-1].n_out
    if loss == "softmax_cross_entropy":
        Y = np.asarray(Y) if Y is not None else Y
        if (Y is None or Y.dtype.kind not in "iu" or Y.shape != (len(X),) or Y.min() < 0
                or (outputs is not None and Y.max() >= outputs)):
            raise ValueError(f"{where}: {y_name} must be {len(X)} integer class labels from 0 to "
                             f"{'classes − 1' if outputs is None else outputs - 1}, one per row of "
                             f"{x_name}, got {None if Y is None else f'dtype {Y.dtype}, shape {Y.shape}'}")
    elif not callable(loss):
        Y = check_rows(Y, y_name, where)
        if len(Y) != len(X) or (outputs is not None and Y.shape[1] != outputs):
            raise ValueError(f"{where}: {y_name} must have shape ({len(X)}, {outputs}): one row per row "
                             f"of {x_name}, one column per output of the net, got shape {Y.shape}")
    return X, Y, get_loss(loss)
