"""Small toy data sets, generated in code from a seed (nothing is downloaded).

Each returns (X, Y): X of shape (n, 2), one example per row, and Y of shape (n, 2) with one-hot
rows, ready for the slides' 2-3-2 net with a sigmoid output and the SSE loss.
"""

import numpy as np

from .checks import check_positive_int


def one_hot(labels, classes=2):
    """Rows e_label: class 0 → [1, 0], class 1 → [0, 1]."""
    return np.eye(classes)[np.asarray(labels)]


def xor(n=40, seed=0, noise=0.15):
    """XOR: class 1 where x₁ and x₂ have different signs. No straight line separates the classes,
    so a net without a hidden layer cannot learn it; the 2-3-2 net can.

    Points are drawn around the four corners (±1, ±1) with Gaussian noise of std `noise`.
    """
    n = check_positive_int(n, "n")
    rng = np.random.default_rng(seed)
    corners = rng.integers(0, 4, size=n)
    centres = np.array([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]])[corners]
    X = centres + noise * rng.standard_normal((n, 2))
    labels = (corners == 1) | (corners == 2)
    return X, one_hot(labels.astype(int))


def two_moons(n=60, seed=0, noise=0.1):
    """Two interleaved half circles, centred on the origin so that a net without biases (the
    slides' 2-3-2 net) can separate them: the moons are mirror images through (0, 0).

    Class 0 is the upper moon, class 1 the lower one; Gaussian noise of std `noise`.
    """
    n = check_positive_int(n, "n")
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, size=n)
    angle = rng.uniform(0.0, np.pi, size=n)
    upper = np.column_stack([np.cos(angle) - 0.5, np.sin(angle) - 0.25])
    X = np.where(labels[:, None] == 0, upper, -upper) + noise * rng.standard_normal((n, 2))
    return X, one_hot(labels)
