"""Small toy data sets, generated in code from a seed (nothing is downloaded).

The classification sets return (X, Y): X of shape (n, 2), one example per row, and Y of shape
(n, 2) with one-hot rows, ready for the slides' 2-3-2 net with a sigmoid output and the SSE loss.
regression_1d returns X and Y of shape (n, 1).
"""

import numpy as np

from .checks import check_number, check_positive_int, check_seed


def one_hot(labels, classes=2):
    """Rows e_label: class 0 → [1, 0], class 1 → [0, 1]."""
    classes = check_positive_int(classes, "classes", "one_hot")
    try:
        labels = np.asarray(labels)
    except ValueError:  # a ragged list
        raise ValueError("one_hot: labels must be a flat list of whole numbers") from None
    if not np.issubdtype(labels.dtype, np.integer) or (labels.size and (labels.min() < 0 or
                                                                       labels.max() >= classes)):
        raise ValueError(f"one_hot: `labels` must be whole numbers from 0 to {classes - 1} "
                         f"(classes = {classes}), got {labels.ravel()[:5].tolist()}")
    rows = np.zeros((labels.size, classes))
    rows[np.arange(labels.size), labels.ravel()] = 1.0
    return rows.reshape(*labels.shape, classes)


def xor(n=40, seed=0, noise=0.15):
    """XOR: class 1 where x₁ and x₂ have different signs. No straight line separates the classes,
    so a net without a hidden layer cannot learn it; the 2-3-2 net can.

    Points are drawn around the four corners (±1, ±1), n/4 at each (as near as n allows), with
    Gaussian noise of std `noise`.
    """
    n = check_positive_int(n, "n", "xor")
    noise = check_number(noise, "noise", "xor", at_least=0, at_most=100)
    rng = np.random.default_rng(check_seed(seed, where="xor"))
    corners = rng.permutation(np.arange(n) % 4)
    centres = np.array([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]])[corners]
    X = centres + noise * rng.standard_normal((n, 2))
    labels = (corners == 1) | (corners == 2)
    return X, one_hot(labels.astype(int))


def two_moons(n=60, seed=0, noise=0.1):
    """Two interleaved half circles, centred on the origin so that a net without biases (the
    slides' 2-3-2 net) can separate them: the moons are mirror images through (0, 0).

    Class 0 is the upper moon, class 1 the lower one; Gaussian noise of std `noise`.
    """
    n = check_positive_int(n, "n", "two_moons")
    noise = check_number(noise, "noise", "two_moons", at_least=0, at_most=100)
    rng = np.random.default_rng(check_seed(seed, where="two_moons"))
    labels = rng.integers(0, 2, size=n)
    angle = rng.uniform(0.0, np.pi, size=n)
    upper = np.column_stack([np.cos(angle) - 0.5, np.sin(angle) - 0.25])
    X = np.where(labels[:, None] == 0, upper, -upper) + noise * rng.standard_normal((n, 2))
    return X, one_hot(labels)


def circles(n=60, seed=0, noise=0.05, ratio=0.5):
    """Two concentric circles: class 0 on radius 1, class 1 on radius `ratio` (Gaussian noise)."""
    n = check_positive_int(n, "n", "circles")
    noise = check_number(noise, "noise", "circles", at_least=0, at_most=100)
    ratio = check_number(ratio, "ratio", "circles", above=0, at_most=100)
    rng = np.random.default_rng(check_seed(seed, where="circles"))
    labels = rng.integers(0, 2, size=n)
    angle = rng.uniform(0.0, 2 * np.pi, size=n)
    radius = np.where(labels == 0, 1.0, ratio)
    X = radius[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    return X + noise * rng.standard_normal((n, 2)), one_hot(labels)


def spirals(n=100, seed=0, noise=0.05, turns=1.5):
    """Two interleaved spirals starting at the origin, `turns` turns each; class 1 is class 0
    rotated by 180°. Hard for a small net: the boundary winds around."""
    n = check_positive_int(n, "n", "spirals")
    noise = check_number(noise, "noise", "spirals", at_least=0, at_most=100)
    turns = check_number(turns, "turns", "spirals", above=0, at_most=100)
    rng = np.random.default_rng(check_seed(seed, where="spirals"))
    labels = rng.integers(0, 2, size=n)
    t = rng.uniform(0.05, 1.0, size=n)
    angle = 2 * np.pi * turns * t + np.pi * labels
    X = t[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    return X + noise * rng.standard_normal((n, 2)), one_hot(labels)


def regression_1d(n=50, seed=0, noise=0.1):
    """y = sin(2x) + noise on x ∈ [−2, 2]: X and Y both of shape (n, 1)."""
    n = check_positive_int(n, "n", "regression_1d")
    noise = check_number(noise, "noise", "regression_1d", at_least=0, at_most=100)
    rng = np.random.default_rng(check_seed(seed, where="regression_1d"))
    x = rng.uniform(-2.0, 2.0, size=(n, 1))
    return x, np.sin(2 * x) + noise * rng.standard_normal((n, 1))
