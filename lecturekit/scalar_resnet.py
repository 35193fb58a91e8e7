"""The slides' one-weight example of why a shortcut helps (slide "ResNet", second page).

Suppose the best thing a layer can do is pass its input on unchanged (y = x: "the net is too
deep to need this layer"). With one weight w:

    without shortcut  ŷ = wx        E = (wx − y)²        ∂E/∂w = 2(wx − y)x          best w = 1
    with shortcut     ŷ = wx + x    E = (wx + x − y)²    ∂E/∂w = 2(wx − y)x + 2x²     best w = 0

Weights start near 0 and weight decay pulls them there, so "do nothing" is w = 0 for the residual
layer but w = 1 for the plain one: the residual layer starts at its optimum.
"""

import contextlib

import numpy as np

from .checks import check_number


def _check(w, x, y, shortcut, where):
    """Refuse what the one-weight example cannot take: x and y are numbers, w a number or an array
    of them (a curve over w), shortcut True or False."""
    for name, value in (("x", x), ("y", y)):
        check_number(value, name, where)
    if not isinstance(w, np.ndarray):
        check_number(w, "w", where)
    elif w.dtype.kind not in "fiu":
        raise TypeError(f"{where}: w must be a number or an array of numbers, got dtype {w.dtype}")
    if not isinstance(shortcut, (bool, np.bool_)):
        raise TypeError(f"{where}: shortcut must be True or False, got {shortcut!r}")


@contextlib.contextmanager
def _beyond_floats_is_inf():
    """numpy numbers past the float range become inf, without a warning; Python floats raise
    OverflowError there, which is reported as bad input."""
    with np.errstate(over="ignore", invalid="ignore"):
        try:
            yield
        except OverflowError:
            raise ValueError("scalar_resnet: w, x and y must be small enough for their product to "
                             "be a float (below about 1e154)") from None


def prediction(w, x, shortcut):
    """ŷ = wx, or wx + x with the shortcut."""
    _check(w, x, 0.0, shortcut, "prediction")
    with _beyond_floats_is_inf():
        return w * x + (x if shortcut else 0.0)


def loss(w, x, y, shortcut):
    """E = (ŷ − y)²."""
    _check(w, x, y, shortcut, "loss")
    with _beyond_floats_is_inf():
        return (prediction(w, x, shortcut) - y) ** 2


def gradient(w, x, y, shortcut):
    """∂E/∂w: 2(wx − y)x, plus 2x² with the shortcut (the slide's two formulas)."""
    _check(w, x, y, shortcut, "gradient")
    with _beyond_floats_is_inf():
        return 2 * (w * x - y) * x + (2 * x**2 if shortcut else 0.0)


def best_weight(x, y, shortcut):
    """The w with ∂E/∂w = 0: y/x, or y/x − 1 with the shortcut (x = 0: every w is as good)."""
    x, y = check_number(x, "x", "best_weight"), check_number(y, "y", "best_weight")
    if not isinstance(shortcut, (bool, np.bool_)):
        raise TypeError(f"best_weight: shortcut must be True or False, got {shortcut!r}")
    if x == 0:
        raise ValueError("best_weight: x must not be 0 (then ŷ does not depend on w), got 0")
    return y / x - (1.0 if shortcut else 0.0)
