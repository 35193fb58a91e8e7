"""Gradient descent with momentum, gradient clipping and L1/L2 weight regularization.

Slide "如何舒緩Gradient造成的問題": 3. Gradient Clipping, 4. Weight Regularization (L1 or L2).
Gradients and parameters are dicts of arrays keyed by name, as `Sequential.params` / `.grads`.

Erratum 6: the slide says "Keras預設 clipnorm = 1.0和clipvalue = 0.5". Keras optimizers default to
clipnorm=None and clipvalue=None, i.e. no clipping; 1.0 and 0.5 are the example values of the
Keras 2 documentation, and Keras 3 refuses both at once.
"""

import numpy as np


def is_weight(name):
    """Regularization acts on weight matrices ("…W"), not on biases or normalization parameters."""
    return name.split(".")[-1] == "W"


def global_norm(grads):
    """‖g‖ over every array together: √(Σ g²)."""
    return float(np.sqrt(sum(float(np.sum(g * g)) for g in grads.values())))


def clip_by_norm(grads, max_norm):
    """Scale all gradients by min(1, max_norm / ‖g‖): the direction stays, the length is ≤ max_norm.

    (The global norm, as PyTorch's clip_grad_norm_ and Keras' global_clipnorm.)
    """
    if not max_norm > 0:
        raise ValueError(f"max_norm must be > 0, got {max_norm!r}")
    norm = global_norm(grads)
    scale = 1.0 if norm <= max_norm else max_norm / norm
    return {name: g * scale for name, g in grads.items()}


def clip_by_value(grads, max_value):
    """Clip every entry into [−max_value, max_value]: each entry is bounded, but the direction can
    change."""
    if not max_value > 0:
        raise ValueError(f"max_value must be > 0, got {max_value!r}")
    return {name: np.clip(g, -max_value, max_value) for name, g in grads.items()}


def l1_penalty(params, strength):
    """λ Σ|w| over the weight matrices, and its (sub)gradient λ·sign(w): pushes weights to exactly 0."""
    weights = {name: w for name, w in params.items() if is_weight(name)}
    value = strength * sum(float(np.sum(np.abs(w))) for w in weights.values())
    return value, {name: strength * np.sign(w) for name, w in weights.items()}


def l2_penalty(params, strength):
    """(λ/2) Σw² over the weight matrices, and its gradient λ·w: shrinks every weight in proportion."""
    weights = {name: w for name, w in params.items() if is_weight(name)}
    value = 0.5 * strength * sum(float(np.sum(w * w)) for w in weights.values())
    return value, {name: strength * w for name, w in weights.items()}


class SGD:
    """w ← w − α v with v ← μ v + g: gradient descent with momentum μ (μ = 0: plain, as on the slides).

    `step(params, grads)` updates the arrays of `params` in place; the velocities are kept by name.
    """

    def __init__(self, learning_rate, momentum=0.0):
        if not (np.isfinite(learning_rate) and learning_rate > 0):
            raise ValueError(f"learning_rate must be a positive number, got {learning_rate!r}")
        if not 0 <= momentum < 1:
            raise ValueError(f"momentum must be in [0, 1), got {momentum!r}")
        self.learning_rate = learning_rate
        self.momentum = momentum
        self.velocity = {}

    def step(self, params, grads):
        for name, grad in grads.items():
            if np.shape(grad) != np.shape(params[name]):
                raise ValueError(f"SGD.step: the gradient of {name!r} has shape {np.shape(grad)}, "
                                 f"its parameter {np.shape(params[name])}")
            if self.momentum:
                velocity = self.velocity.get(name)
                grad = grad if velocity is None else self.momentum * velocity + grad
                self.velocity[name] = grad
            params[name] -= self.learning_rate * grad
