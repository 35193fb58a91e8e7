"""Gradient checking: is the hand-written backward pass right? Ask the definition of a derivative.

    ∂L/∂a_i ≈ (L(a + ε e_i) − L(a − ε e_i)) / 2ε          (central difference, error O(ε²))

and compare with backward's answer by the relative error ‖analytic − numeric‖ / (‖analytic‖ +
‖numeric‖). In float64 with ε = 1e-5 a correct backward gives about 1e-10 or less; a wrong one
(a flipped sign, a missing f′) gives ~1. Check in float64: float32 has only ~7 digits.
"""

from dataclasses import dataclass

import numpy as np

from .checks import as_float_array, check_callable, check_number, check_seed
from .layers import Layer
from .losses import get_loss
from .slide_net import SlideNet

#: A backward pass whose worst relative error is below this passes.
TOLERANCE = 1e-7


def numerical_gradient(f, array, eps=1e-5):
    """∂f/∂array by central differences. `f()` takes no argument and reads `array`, which is
    nudged in place one entry at a time and always restored."""
    check_callable(f, "f", "numerical_gradient")
    eps = check_number(eps, "eps", "numerical_gradient", above=0, at_most=1)
    if not (isinstance(array, np.ndarray) and np.issubdtype(array.dtype, np.floating)):
        kind = array.dtype if isinstance(array, np.ndarray) else type(array).__name__
        raise TypeError(f"numerical_gradient: `array` must be a float numpy array (it is nudged by "
                        f"eps = {eps:g} in place), got {kind}; use array.astype(float)")
    grad = np.zeros_like(array, dtype=np.float64)
    for index in np.ndindex(array.shape):
        original = array[index]
        try:
            array[index] = original + eps
            plus = _number(f())
            array[index] = original - eps
            minus = _number(f())
        finally:
            array[index] = original
        with np.errstate(invalid="ignore", over="ignore"):  # inf − inf is NaN: a broken f shows
            grad[index] = (plus - minus) / (2 * eps)
    return grad


def _number(value):
    """f()'s value as a float; a clear error if f returned something else."""
    if isinstance(value, (str, bytes, complex, np.complexfloating)):
        raise TypeError(f"numerical_gradient: f() must return a real number, got {value!r}")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise TypeError(f"numerical_gradient: f() must return a number, got {value!r}") from None


def relative_error(analytic, numeric):
    """‖analytic − numeric‖ / (‖analytic‖ + ‖numeric‖); 0 when both are 0."""
    analytic = as_float_array(analytic, "relative_error", "analytic")
    numeric = as_float_array(numeric, "relative_error", "numeric")
    if analytic.shape != numeric.shape:
        raise ValueError(
            f"relative_error: shapes differ, analytic {analytic.shape} vs numeric {numeric.shape}"
        )
    # The ratio does not change when both are divided by their largest entry; the norms of the
    # divided arrays cannot overflow.
    largest = max(np.abs(analytic).max(initial=0.0), np.abs(numeric).max(initial=0.0))
    if largest == 0:
        return 0.0
    analytic, numeric = analytic / largest, numeric / largest
    return float(np.linalg.norm(analytic - numeric) / (np.linalg.norm(analytic) + np.linalg.norm(numeric)))


@dataclass
class GradCheckReport:
    """Relative error of each checked gradient, by name ("x" is the input)."""

    errors: dict

    @property
    def worst(self):
        """(name, error) of the largest relative error."""
        return max(self.errors.items(), key=lambda item: item[1])

    def passed(self, tolerance=TOLERANCE):
        return self.worst[1] < tolerance

    def __str__(self):
        lines = [f"∂L/∂{name:<8} relative error {error:.1e}" for name, error in self.errors.items()]
        verdict = "PASS" if self.passed() else "FAIL"
        name, error = self.worst
        lines.append(f"worst: ∂L/∂{name}, relative error {error:.1e} → {verdict} (tolerance {TOLERANCE:g})")
        return "\n".join(lines)


def check_layer(layer, x, y=None, loss=None, seed=0, eps=1e-5):
    """Gradient check of any layer or net, for its input x and every array in `params`.

    With a loss ("sse", "mse", "softmax_cross_entropy" or a function) and target y,
    L = loss(layer(x), y). Without, L = Σ r ⊙ layer(x) for a fixed random r, which tests every
    output's gradient at once.
    """
    if not isinstance(layer, Layer):
        raise TypeError(f"check_layer: layer must be a Layer, got {type(layer).__name__}")
    eps = check_number(eps, "eps", "check_layer", above=0, at_most=1)  # before any forward pass
    seed = check_seed(seed, where="check_layer")
    x = as_float_array(x, "check_layer", "x").astype(np.float64)
    if loss is None:
        r = np.random.default_rng(seed).standard_normal(np.shape(layer.forward(x)))

        def objective():
            out = layer.forward(x)
            return float(np.sum(r * out)), r
    else:
        loss_fn = get_loss(loss)

        def objective():
            return loss_fn(layer.forward(x), y)

    _, grad_out = objective()
    analytic = {"x": layer.backward(grad_out)}
    analytic.update({name: grad.copy() for name, grad in layer.grads.items()})

    def value():
        return objective()[0]

    errors = {"x": relative_error(analytic["x"], numerical_gradient(value, x, eps))}
    for name, param in layer.params.items():
        errors[name] = relative_error(analytic[name], numerical_gradient(value, param, eps))
    return GradCheckReport(errors)


def check_slide_net(net, x, y, eps=1e-5):
    """Gradient check of the slides' Δw and Δv (SlideNet.backward) against central differences."""
    if not isinstance(net, SlideNet):
        raise TypeError(f"check_slide_net: net must be a SlideNet, got {type(net).__name__}")
    grads = net.backward(net.forward(x), y)

    def value():
        return net.loss(net.forward(x).y_hat, y)

    return GradCheckReport(
        {
            "w": relative_error(grads.grad_w, numerical_gradient(value, net.w, eps)),
            "v": relative_error(grads.grad_v, numerical_gradient(value, net.v, eps)),
        }
    )
