"""Gradient descent with momentum, gradient clipping and L1/L2 weight regularization.

Slide "如何舒緩Gradient造成的問題": 3. Gradient Clipping, 4. Weight Regularization (L1 or L2).
Gradients and parameters are dicts of arrays keyed by name, as `Sequential.params` / `.grads`.

Erratum 6: the slide says "Keras預設 clipnorm = 1.0和clipvalue = 0.5". Keras optimizers default to
clipnorm=None and clipvalue=None, i.e. no clipping; 1.0 and 0.5 are the example values of the
Keras 2 documentation, and Keras 3 refuses both at once.
"""

import numpy as np

from .checks import check_number


def _check_arrays(arrays, name, where):
    """arrays as a {name: float array} dict of finite numbers; else a clear error."""
    if not isinstance(arrays, dict):
        raise TypeError(f"{where}: {name} must be a dict of arrays keyed by name, like net.grads, "
                        f"got {type(arrays).__name__}")
    checked = {}
    for key, array in arrays.items():
        if not isinstance(key, str):
            raise TypeError(f"{where}: {name} must be keyed by names (str), like net.grads, got key {key!r}")
        try:
            value = np.asarray(array) if not isinstance(array, np.ndarray) else array
        except ValueError:  # a ragged list
            raise ValueError(f"{where}: {name}[{key!r}] must be a rectangular array") from None
        if value.dtype.kind not in "fiu":
            raise TypeError(f"{where}: {name}[{key!r}] must be a float array, got dtype {value.dtype}")
        if not np.isfinite(value).all():
            raise ValueError(f"{where}: {name}[{key!r}] must be finite, got "
                             f"{np.isnan(value).sum()} NaN and {np.isinf(value).sum()} inf")
        checked[key] = value if value.dtype.kind == "f" else value.astype(np.float64)
    return checked


def is_weight(name):
    """Regularization acts on weight matrices ("…W"), not on biases or normalization parameters."""
    return name.split(".")[-1] == "W"


def global_norm(grads):
    """‖g‖ over every array together: √(Σ g²).

    Computed as m · √(Σ (g/m)²) with m the largest |g|, so that gradients near 1e200 (whose
    squares overflow) or near 1e-200 (whose squares underflow) still get their norm."""
    grads = _check_arrays(grads, "grads", "global_norm")
    m = max((float(np.abs(g).max()) for g in grads.values() if g.size), default=0.0)
    if m == 0:
        return 0.0
    return m * float(np.sqrt(sum(np.sum((g / m) ** 2) for g in grads.values())))


def clip_by_norm(grads, max_norm):
    """Scale all gradients by min(1, max_norm / ‖g‖): the direction stays, the length is ≤ max_norm.

    (The global norm, as PyTorch's clip_grad_norm_ and Keras' global_clipnorm.)
    """
    grads = _check_arrays(grads, "grads", "clip_by_norm")
    max_norm = check_number(max_norm, "max_norm", "clip_by_norm", above=0)
    norm = global_norm(grads)
    scale = 1.0 if norm <= max_norm else max_norm / norm
    return {name: g * scale for name, g in grads.items()}


def clip_by_value(grads, max_value):
    """Clip every entry into [−max_value, max_value]: each entry is bounded, but the direction can
    change."""
    grads = _check_arrays(grads, "grads", "clip_by_value")
    max_value = check_number(max_value, "max_value", "clip_by_value", above=0)
    return {name: np.clip(g, -max_value, max_value) for name, g in grads.items()}


def l1_penalty(params, strength):
    """λ Σ|w| over the weight matrices, and its (sub)gradient λ·sign(w): pushes weights to exactly 0."""
    params = _check_arrays(params, "params", "l1_penalty")
    strength = check_number(strength, "strength", "l1_penalty", at_least=0)
    weights = {name: w for name, w in params.items() if is_weight(name)}
    with np.errstate(over="ignore"):  # a penalty too large for a float is inf
        value = strength * sum(float(np.sum(np.abs(w))) for w in weights.values())
        return value, {name: strength * np.sign(w) for name, w in weights.items()}


def l2_penalty(params, strength):
    """(λ/2) Σw² over the weight matrices, and its gradient λ·w: shrinks every weight in proportion."""
    params = _check_arrays(params, "params", "l2_penalty")
    strength = check_number(strength, "strength", "l2_penalty", at_least=0)
    weights = {name: w for name, w in params.items() if is_weight(name)}
    with np.errstate(over="ignore"):  # a penalty too large for a float is inf
        value = 0.5 * strength * sum(float(np.sum(w * w)) for w in weights.values())
        return value, {name: strength * w for name, w in weights.items()}


class SGD:
    """w ← w − α v with v ← μ v + g: gradient descent with momentum μ (μ = 0: plain, as on the slides).

    `step(params, grads)` updates the arrays of `params` in place; the velocities are kept by name.
    """

    def __init__(self, learning_rate, momentum=0.0):
        self.learning_rate = check_number(learning_rate, "learning_rate", "SGD", above=0)
        self.momentum = check_number(momentum, "momentum", "SGD", at_least=0, below=1)
        self.velocity = {}

    def step(self, params, grads):
        # Every check comes before the first update: a refused step changes no weight.
        if not isinstance(params, dict):
            raise TypeError(f"SGD.step: params must be a dict of arrays, like net.params, got "
                            f"{type(params).__name__}")
        grads = _check_arrays(grads, "grads", "SGD.step")
        for name, grad in grads.items():
            if name not in params:
                raise ValueError(f"SGD.step: grads has {name!r}, which params does not have "
                                 f"(params: {', '.join(map(repr, params))})")
            if not (isinstance(params[name], np.ndarray) and params[name].dtype.kind == "f"
                    and params[name].flags.writeable):
                raise TypeError(f"SGD.step: params[{name!r}] must be a writeable float array (it is "
                                f"updated in place), got {params[name]!r:.60}")
            if grad.shape != params[name].shape:
                raise ValueError(f"SGD.step: the gradient of {name!r} has shape {grad.shape}, "
                                 f"its parameter {params[name].shape}")
        for name, grad in grads.items():
            if self.momentum:
                velocity = self.velocity.get(name)
                grad = grad if velocity is None else self.momentum * velocity + grad
                self.velocity[name] = grad
            with np.errstate(over="ignore"):  # a weight that overflows is inf: train reports it
                params[name] -= self.learning_rate * grad
