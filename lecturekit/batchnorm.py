"""Batch Normalization (Ioffe & Szegedy 2015), forward and backward by hand.

Agenda item 5 of the slides, "Batch Normalization在幹什麼". For a batch of m examples and each
feature separately (Algorithm 1 of the paper):

    μ_B  = (1/m) Σ xᵢ                       the batch mean
    σ²_B = (1/m) Σ (xᵢ − μ_B)²              the batch variance (divided by m, not m − 1)
    x̂ᵢ   = (xᵢ − μ_B) / √(σ²_B + ε)          normalized: mean 0, variance ≈ 1
    yᵢ   = γ x̂ᵢ + β                          scaled and shifted by learned γ, β

Backward, in its compact form (all sums over the batch; ∂yᵢ is ∂L/∂yᵢ):

    ∂L/∂β = Σ ∂yᵢ        ∂L/∂γ = Σ ∂yᵢ x̂ᵢ
    ∂L/∂xᵢ = γ / √(σ²_B + ε) · (∂yᵢ − ∂L/∂β / m − x̂ᵢ · ∂L/∂γ / m)

(the paper's chain of ∂x̂, ∂σ², ∂μ, with γ taken out of the sums: it is one number per feature).
The two subtracted terms come from μ_B and σ_B depending on the batch: shifting every xᵢ of a
feature by the same amount, or scaling them about their mean, leaves x̂ unchanged, so ∂L/∂x has
no component in those two directions.

Evaluation uses running statistics instead of the batch's, so one example's output does not
depend on the others in its batch; μ and σ² are then constants, and ∂L/∂x = ∂y · γ / √(σ² + ε).
"""

import numpy as np

from .checks import (
    NonFiniteError,
    as_batch,
    check_float_dtype,
    check_generator,
    check_number,
    check_positive_int,
)
from .layers import Layer


class BatchNorm(Layer):
    """Batch normalization of (batch, features) inputs; params γ ("gamma"), β ("beta").

    Running statistics follow the PyTorch convention: after each training batch
        running_mean ← (1 − momentum) running_mean + momentum μ_B
        running_var  ← (1 − momentum) running_var  + momentum σ²_B · m/(m − 1)
    (the unbiased variance), with momentum = 0.1; they start at 0 and 1.
    forward:  x (batch, features) → y (batch, features)
    backward: ∂L/∂y (batch, features) → ∂L/∂x (batch, features), of the statistics forward used.
    """

    def __init__(self, features, momentum=0.1, eps=1e-5, dtype=np.float64):
        super().__init__()
        self.features = check_positive_int(features, "features", "BatchNorm")
        self.momentum = check_number(momentum, "momentum", "BatchNorm", above=0, at_most=1)
        self.eps = check_number(eps, "eps", "BatchNorm", above=0)
        dtype = check_float_dtype(dtype, "BatchNorm")
        self.params["gamma"] = np.ones(features, dtype=dtype)
        self.params["beta"] = np.zeros(features, dtype=dtype)
        self.running_mean = np.zeros(features, dtype=dtype)
        self.running_var = np.ones(features, dtype=dtype)
        self.x_hat = self.std = None  # forward's x̂ and √(σ² + ε), kept for backward

    def __repr__(self):
        return f"BatchNorm({self.features}{'' if self.training else ', eval'})"

    @property
    def inv_std(self):
        """1 / √(σ² + ε) of the last forward pass (the exercise's name for it)."""
        return 1.0 / self.std

    def forward(self, x):
        x = as_batch(x, self.features, self)
        if self.training:
            m = len(x)
            if m < 2:
                raise ValueError(
                    f"{self!r} in training mode needs a batch of at least 2 examples to estimate a "
                    f"variance, got {m}; use net.eval() to run single examples"
                )
            with np.errstate(over="ignore", invalid="ignore"):  # an overflow is refused below
                mean, var = x.mean(axis=0), x.var(axis=0)  # μ_B, σ²_B
            if not (np.isfinite(mean).all() and np.isfinite(var).all()):
                raise NonFiniteError(f"{self!r}: x must be small enough (below about 1e154) for its "
                                     "batch mean and variance to be floats")
            self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * mean
            self.running_var = (1 - self.momentum) * self.running_var + self.momentum * var * m / (m - 1)
        else:
            mean, var = self.running_mean, self.running_var
        self.batch_statistics = self.training  # which statistics backward differentiates
        self.std = np.sqrt(var + self.eps)
        self.x_hat = (x - mean) / self.std
        return self.params["gamma"] * self.x_hat + self.params["beta"]

    def backward(self, grad_out):
        x_hat = self.from_forward("x_hat")
        grad_out = self.as_grad_out(grad_out, x_hat.shape)
        gamma, m = self.params["gamma"], len(grad_out)
        with np.errstate(over="ignore", invalid="ignore"):  # too large a gradient is inf: train reports it
            self.grads["beta"] = grad_out.sum(axis=0)
            self.grads["gamma"] = (grad_out * x_hat).sum(axis=0)
            if not self.batch_statistics:  # running statistics: constants
                return grad_out * gamma / self.std
            return gamma / self.std * (grad_out - self.grads["beta"] / m - x_hat * self.grads["gamma"] / m)


class BatchNoise(Layer):
    """Santurkar et al. (2018)'s test of the covariate-shift story: after BN, scale and shift every
    unit by random amounts drawn anew for each training batch (y = a ⊙ x + b, a ~ N(1, s²),
    b ~ N(0, s²)). The distribution a layer sees then changes all the time; in evaluation it is
    the identity."""

    def __init__(self, features, rng, scale=0.5):
        super().__init__()
        self.features = check_positive_int(features, "features", "BatchNoise")
        self.rng = check_generator(rng)
        self.scale = check_number(scale, "scale", "BatchNoise", at_least=0, at_most=10)
        self.a = self.batch = None  # forward's scale factors and batch size, kept for backward

    def __repr__(self):
        return f"BatchNoise({self.features}, scale={self.scale!r})"

    def forward(self, x):
        x = as_batch(x, self.features, self)
        self.batch = len(x)
        if not self.training:
            self.a = np.ones(self.features)
            return x
        self.a = 1.0 + self.scale * self.rng.standard_normal(self.features)
        return self.a * x + self.scale * self.rng.standard_normal(self.features)

    def backward(self, grad_out):
        a = self.from_forward("a")
        grad_out = self.as_grad_out(grad_out, (self.batch, self.features))
        return grad_out * a
