"""What happens inside a deep net: the gradient of every layer, its activations, its dead units.

Slide "Sigmoid在神經網路太深層的問題": 當層數到100層時候, 對於第一層的gradient會有100個activate
function的導數相乘. These functions measure that product layer by layer instead of guessing it.
"""

from dataclasses import dataclass

import numpy as np

from .checks import NonFiniteError
from .layers import Activation, Linear, Residual, leaves
from .losses import get_loss
from .nets import linear_layers


def hidden_activations(net):
    """The Activation layers of a net except the output's (call after a forward pass)."""
    return [layer for layer in leaves(net) if isinstance(layer, Activation)][:-1]


def weight_gradient_norms(net):
    """‖∂L/∂W_l‖ (Frobenius norm) of every Linear layer, first to last (call after backward).
    `net` may also be the list of its Linear layers, found once (the training loop does)."""
    linears = net if isinstance(net, list) else linear_layers(net)
    return np.array([frobenius(layer.grads["W"]) for layer in linears])


def frobenius(matrix):
    """‖M‖ = √(Σ m²), computed as max|m| · ‖M / max|m|‖: squaring entries below ~1e-162 would
    give 0 in float64, and a gradient that small still has a norm."""
    largest = np.abs(matrix).max()
    if largest == 0 or not np.isfinite(largest):
        return float(np.linalg.norm(matrix))
    return float(largest * np.linalg.norm(matrix / largest))


def dead_fraction(net):
    """For each hidden layer, the share of units whose input s is ≤ 0 for every example of the last
    forward pass. A ReLU unit like that outputs 0 and gets no gradient, so it stays dead (slide:
    Dead ReLU); a leaky ReLU unit still gets slope × gradient and can come back.
    `net` may also be the list of its hidden Activation layers (see hidden_activations)."""
    activations = net if isinstance(net, list) else hidden_activations(net)
    # dead: even the largest input over the batch is ≤ 0
    return np.array([np.count_nonzero(layer.s.max(axis=0) <= 0) / layer.s.shape[-1] for layer in activations])


@dataclass
class Snapshot:
    """One forward and backward pass: gradient norms per layer and hidden activations."""

    loss: float
    grad_norms: np.ndarray  # (L,) ‖∂L/∂W_l‖, l = 1 … L; 0 where it underflowed
    activations: list  # hidden layers' outputs h_l, each (batch, width)
    overflow: str  # "" or where the numbers overflowed


def snapshot(net, X, Y, loss="mse"):
    """Run one forward and backward pass of `net` on (X, Y) and measure every layer.

    Overflow is reported, not raised: if activations or gradients become inf or NaN (exploding),
    `overflow` says where, and the affected numbers are NaN.
    """
    loss_fn = get_loss(loss)
    n_layers = len(linear_layers(net))
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        try:
            value, grad = loss_fn(net.forward(X), Y)
        except NonFiniteError as error:
            return Snapshot(np.nan, np.full(n_layers, np.nan), [], f"forward pass: {error}")
        activations = [layer.h for layer in hidden_activations(net)]
        if not np.isfinite(value):
            return Snapshot(value, np.full(n_layers, np.nan), activations, "the loss is not finite")
        net.backward(grad)
        norms = weight_gradient_norms(net)
    overflow = "" if np.all(np.isfinite(norms)) else "backward pass: a gradient became inf or NaN"
    return Snapshot(value, norms, activations, overflow)


def chain_factors(net, x, y, loss="sse"):
    """The exact chain rule for a deep net's first layer, one factor per layer (erratum 4).

    For one example x and a net Linear₁ f₁ … Linear_L f_L, with s_l = W_lᵀ h_{l−1} (+ b_l):

        ∂loss/∂s₁ = ∂loss/∂ŷ · diag f_L′(s_L) · W_Lᵀ · diag f_{L−1}′(s_{L−1}) ⋯ W₂ᵀ · diag f₁′(s₁)
        ∂loss/∂W₁ = x ⊗ ∂loss/∂s₁

    Each f′ is taken at the pre-activation s of its own layer, and W₁ is not in its own gradient.
    Returns [(name, matrix)], last layer first; their product is the row ∂loss/∂s₁.
    """
    if any(isinstance(layer, Residual) for layer in net):
        raise ValueError("chain_factors is for plain nets: a shortcut adds a second path (see 07)")
    x = np.asarray(x, dtype=np.float64).reshape(1, -1)
    _, grad = get_loss(loss)(net.forward(x), np.asarray(y, dtype=np.float64).reshape(1, -1))
    linears = [layer for layer in net if isinstance(layer, Linear)]
    activations = [layer for layer in net if isinstance(layer, Activation)]
    factors = [("∂loss/∂ŷ", grad)]
    for index in range(len(linears), 0, -1):
        act = activations[index - 1]
        factors.append((f"diag f{index}′(s{index})", np.diag(act.function.derivative(act.s, act.h)[0])))
        if index > 1:
            factors.append((f"W{index}ᵀ", linears[index - 1].params["W"].T))
    return factors
