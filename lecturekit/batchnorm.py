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
depend on the others in its batch.
"""

import numpy as np

from .checks import as_batch, check_positive_int, check_same_shape
from .layers import Layer


class BatchNorm(Layer):
    """Batch normalization of (batch, features) inputs; params γ ("gamma"), β ("beta").

    Running statistics follow the PyTorch convention: after each training batch
        running_mean ← (1 − momentum) running_mean + momentum μ_B
        running_var  ← (1 − momentum) running_var  + momentum σ²_B · m/(m − 1)
    (the unbiased variance), with momentum = 0.1; they start at 0 and 1.
    """

    def __init__(self, features, momentum=0.1, eps=1e-5, dtype=np.float64):
        super().__init__()
        self.features = check_positive_int(features, "features")
        if not 0 < momentum <= 1:
            raise ValueError(f"momentum must be in (0, 1], got {momentum!r}")
        self.momentum, self.eps = momentum, eps
        self.params["gamma"] = np.ones(features, dtype=dtype)
        self.params["beta"] = np.zeros(features, dtype=dtype)
        self.running_mean = np.zeros(features, dtype=dtype)
        self.running_var = np.ones(features, dtype=dtype)

    def __repr__(self):
        return f"BatchNorm({self.features}{'' if self.training else ', eval'})"

    def forward(self, x):
        x = as_batch(x, self.features, self)
        if self.training:
            m = len(x)
            if m < 2:
                raise ValueError(
                    f"{self!r} in training mode needs a batch of at least 2 examples to estimate a "
                    f"variance, got {m}; use net.eval() to run single examples"
                )
            mean = x.mean(axis=0)
            self.x_hat = x - mean
            # σ²_B = mean of (x − μ_B)², from the centred x already at hand (x.var would centre again)
            var = np.einsum("ij,ij->j", self.x_hat, self.x_hat) / m
            self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * mean
            self.running_var = (1 - self.momentum) * self.running_var + self.momentum * var * m / (m - 1)
        else:
            self.x_hat = x - self.running_mean
            var = self.running_var
        self.inv_std = 1.0 / np.sqrt(var + self.eps)
        self.x_hat *= self.inv_std  # in place: x − μ is a new array of ours
        y = self.x_hat * self.params["gamma"]
        y += self.params["beta"]
        return y

    def backward(self, grad_out):
        check_same_shape(grad_out, self.x_hat.shape, "grad_out", self)
        self.grads["beta"] = grad_out.sum(axis=0)
        self.grads["gamma"] = np.einsum("ij,ij->j", grad_out, self.x_hat)  # Σ ∂yᵢ x̂ᵢ, no temporary
        scale = self.params["gamma"] * self.inv_std
        if not self.training:  # the statistics are constants here
            return grad_out * scale
        m = len(grad_out)
        grad_x = self.x_hat * (-self.grads["gamma"] / m)  # −x̂ᵢ ∂L/∂γ / m, then in place:
        grad_x += grad_out  # + ∂yᵢ
        grad_x -= self.grads["beta"] / m  # − ∂L/∂β / m
        grad_x *= scale  # · γ / √(σ²_B + ε)
        return grad_x


class BatchNoise(Layer):
    """Santurkar et al. (2018)'s test of the covariate-shift story: after BN, scale and shift every
    unit by random amounts drawn anew for each training batch (y = a ⊙ x + b, a ~ N(1, s²),
    b ~ N(0, s²)). The distribution a layer sees then changes all the time; in evaluation it is
    the identity."""

    def __init__(self, features, rng, scale=0.5):
        super().__init__()
        self.features, self.rng, self.scale = features, rng, scale

    def __repr__(self):
        return f"BatchNoise({self.features}, scale={self.scale:g})"

    def forward(self, x):
        if not self.training:
            self.a = np.ones(self.features)
            return x
        self.a = 1.0 + self.scale * self.rng.standard_normal(self.features)
        return self.a * x + self.scale * self.rng.standard_normal(self.features)

    def backward(self, grad_out):
        return grad_out * self.a
