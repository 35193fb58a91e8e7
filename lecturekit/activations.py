"""Activation functions f and their derivatives f′, by name.

Slides: "Activate function" h = f₁(s), ŷ = f₂(z);
"Sigmoid在神經網路太深層的問題" (f′ = f(1 − f) ≤ 0.25);
"ReLu在神經網路如何舒緩Gradient的問題" (ReLU and its sub-gradient).

Every derivative takes the pre-activation s *and* the already computed output h = f(s), so a
layer that cached h during the forward pass does not compute f twice (sigmoid′ = h(1 − h)).
All functions work elementwise on arrays of any shape; the backward pass multiplies the
derivative into the incoming gradient, ∂L/∂s = ∂L/∂h ⊙ f′(s) (lecturekit.layers.Activation).
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .checks import check_choice, check_number


def _float_dtype(s):
    """float32 stays float32; anything else computes in float64."""
    return np.result_type(np.asarray(s).dtype, np.float32)


def identity(s):
    """f(s) = s (a linear output layer)."""
    return s


def identity_derivative(s, h):
    """f′(s) = 1."""
    return np.ones_like(s)


def sigmoid(s):
    """f(s) = 1 / (1 + e^(−s)), computed without overflow for any s.

    e^(−s) overflows for s < −709; the equal form e^s / (1 + e^s) is used for s < 0 instead,
    so only e = e^(−|s|) ≤ 1 is ever computed: f(s) = (1 or e) / (1 + e).
    """
    e = np.exp(-np.abs(s))
    return np.where(s >= 0, 1.0, e) / (1.0 + e)


def sigmoid_derivative(s, h):
    """f′(s) = f(s)(1 − f(s)) = h(1 − h), at most 0.25 (at s = 0)."""
    return h * (1.0 - h)


def tanh(s):
    """f(s) = tanh(s), in (−1, 1)."""
    return np.tanh(s)


def tanh_derivative(s, h):
    """f′(s) = 1 − tanh²(s) = 1 − h², at most 1 (at s = 0)."""
    return 1.0 - h * h


def relu(s):
    """ReLU(s) = max(0, s)."""
    return np.maximum(s, 0.0)


def relu_derivative(s, h):
    """1 if s > 0, else 0: the sub-gradient the slides use, with 0 chosen at s = 0."""
    return (s > 0).astype(_float_dtype(s))


def leaky_relu(s, slope=0.01):
    """f(s) = s if s > 0, else slope·s: negative inputs keep a small gradient."""
    return np.where(s > 0, s, slope * s)


def leaky_relu_derivative(s, h, slope=0.01):
    """1 if s > 0, else slope."""
    return np.where(s > 0, 1.0, slope).astype(_float_dtype(s))


@dataclass(frozen=True)
class ActivationFunction:
    """One activation: `f(s)` and its derivative `derivative(s, h)` with h = f(s)."""

    name: str
    f: Callable[[np.ndarray], np.ndarray]
    derivative: Callable[[np.ndarray, np.ndarray], np.ndarray]


_REGISTRY = {
    "identity": (identity, identity_derivative),
    "sigmoid": (sigmoid, sigmoid_derivative),
    "tanh": (tanh, tanh_derivative),
    "relu": (relu, relu_derivative),
    "leaky_relu": (leaky_relu, leaky_relu_derivative),
}

#: The names a widget can offer, in the order the lecture meets them.
NAMES = tuple(_REGISTRY)


def get_activation(name, slope=0.01):
    """The activation called `name` (one of NAMES); `slope` is leaky_relu's negative slope.

    >>> get_activation("sigmoid").f(np.array([0.0]))
    array([0.5])
    """
    if isinstance(name, ActivationFunction):
        return name
    check_choice(name, "name", NAMES, "get_activation")
    f, derivative = _REGISTRY[name]
    if name == "leaky_relu":
        slope = check_number(slope, "slope", "leaky_relu", at_least=0, below=1)
        return ActivationFunction(
            f"leaky_relu({slope:g})",
            lambda s: leaky_relu(s, slope),
            lambda s, h: leaky_relu_derivative(s, h, slope),
        )
    return ActivationFunction(name, f, derivative)
