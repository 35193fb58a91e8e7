"""What happens inside a deep net: the gradient of every layer, its activations, its dead units.

Slide "Sigmoid在神經網路太深層的問題": 當層數到100層時候, 對於第一層的gradient會有100個activate
function的導數相乘. These functions measure that product layer by layer instead of guessing it.

`snapshot`, `chain_factors` and `hidden_activations` take a net (a Layer, as build_mlp builds it);
`weight_gradient_norms` and `dead_fraction` take the list of layers to measure, found once with
`linear_layers(net)` / `hidden_activations(net)`, because the training loop calls them every step.
"""

from dataclasses import dataclass

import numpy as np

from .batchnorm import BatchNorm
from .checks import NonFiniteError, as_float_array, check_examples, check_net
from .layers import Activation, Linear, Residual, Sequential, leaves
from .losses import sse
from .nets import linear_layers


def hidden_activations(net):
    """The Activation layers of a net except the output's (call after a forward pass)."""
    check_net(net, "hidden_activations")
    return [layer for layer in leaves(net) if isinstance(layer, Activation)][:-1]


def weight_gradient_norms(linears):
    """‖∂L/∂W_l‖ (Frobenius norm) of every layer of `linears`, the list `linear_layers(net)`, first
    to last (call after backward)."""
    _check_layers(linears, Linear, "linears", "weight_gradient_norms", "linear_layers(net)")
    for i, layer in enumerate(linears):
        if "W" not in layer.grads:
            raise ValueError(f"weight_gradient_norms: linears[{i}] must have a gradient, got {layer!r} "
                             "before any backward pass (call net.backward first)")
    return np.array([frobenius(layer.grads["W"]) for layer in linears])


def frobenius(matrix):
    """‖M‖ = √(Σ m²), computed as max|m| · ‖M / max|m|‖: squaring entries below ~1e-162 would
    give 0 in float64, and a gradient that small still has a norm."""
    try:
        matrix = np.asarray(matrix)
    except ValueError:  # a ragged list
        matrix = np.asarray(None)
    if matrix.dtype.kind not in "fiu" or matrix.size == 0:  # inf and NaN pass: a gradient that blew up
        raise TypeError(f"frobenius: matrix must be a non-empty array of numbers, got {matrix.dtype} "
                        f"of shape {matrix.shape}")
    largest = np.abs(matrix).max()
    with np.errstate(over="ignore"):  # a norm beyond the float range is inf
        if largest == 0 or not np.isfinite(largest):
            return float(np.linalg.norm(matrix))
        return float(largest * np.linalg.norm(matrix / largest))


def dead_fraction(activations):
    """For each layer of `activations`, the list `hidden_activations(net)`, the share of units whose
    input s is ≤ 0 for every example of the last forward pass. A ReLU unit like that outputs 0 and
    gets no gradient, so it stays dead (slide: Dead ReLU); a leaky ReLU unit still gets
    slope × gradient and can come back."""
    _check_layers(activations, Activation, "activations", "dead_fraction", "hidden_activations(net)")
    for i, layer in enumerate(activations):
        if getattr(layer, "s", None) is None:
            raise ValueError(f"dead_fraction: activations[{i}] must have seen a forward pass, got {layer!r} "
                             "before any (call net.forward first)")
    # dead: even the largest input over the batch is ≤ 0
    return np.array([np.count_nonzero(layer.s.max(axis=0) <= 0) / layer.s.shape[-1] for layer in activations])


def _check_layers(layers, kind, name, where, example):
    """Refuse anything but a list (or tuple) of `kind` layers, such as `example` returns."""
    if not isinstance(layers, (list, tuple)):
        raise TypeError(f"{where}: {name} must be a list of {kind.__name__} layers such as {example}, "
                        f"got {type(layers).__name__}")
    for i, layer in enumerate(layers):
        if not isinstance(layer, kind):
            raise TypeError(f"{where}: {name}[{i}] must be a {kind.__name__} layer, got {layer!r}")


def _check_data(array, name, where, what, shape):
    """array as a finite float array of `shape` (None: any length there); else an error that says
    `what` it must be ("one example", …)."""
    array = as_float_array(array, where, name)
    wanted = str(tuple("n" if n is None else n for n in shape)).replace("'", "")
    if array.ndim != len(shape) or any(n not in (None, m) for n, m in zip(shape, array.shape, strict=True)):
        raise ValueError(f"{where}: {name} must be {what}, shape {wanted}, got shape {array.shape}")
    return array


@dataclass
class Snapshot:
    """One forward and backward pass: gradient norms per layer and hidden activations."""

    loss: float
    grad_norms: np.ndarray  # (L,) ‖∂L/∂W_l‖, l = 1 … L; 0 where it underflowed
    activations: list  # hidden layers' outputs h_l, each (batch, width)
    overflow: str  # "" or where the numbers overflowed


def snapshot(net, X, Y, loss="mse"):
    """Run one forward and backward pass of `net` on (X, Y) and measure every layer.

    X is (batch, n_in) and Y has one row per row of X and one column per output, both finite.
    Overflow is reported, not raised: if activations or gradients become inf or NaN (exploding),
    `overflow` says where, and the affected numbers are NaN.
    """
    check_net(net, "snapshot")
    linears = linear_layers(net)
    if not linears:
        raise ValueError(f"snapshot: net must hold at least one Linear layer, got {net!r}")
    X, Y, loss_fn = check_examples(net, X, Y, loss, "snapshot")
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        try:
            value, grad = loss_fn(net.forward(X), Y)
        except NonFiniteError as error:
            return Snapshot(np.nan, np.full(len(linears), np.nan), [], f"forward pass: {error}")
        activations = [layer.h for layer in hidden_activations(net)]
        if not np.isfinite(value):
            return Snapshot(value, np.full(len(linears), np.nan), activations, "the loss is not finite")
        net.backward(grad)
        norms = weight_gradient_norms(linears)
    overflow = "" if np.all(np.isfinite(norms)) else "backward pass: a gradient became inf or NaN"
    return Snapshot(value, norms, activations, overflow)


def chain_factors(net, x, y):
    """The chain rule for ∂loss/∂s₁ as one Jacobian per layer, last layer first (erratum 4; slide:
    前面層的gradient 會是由後面所有層的gradient和現在這層的壘乘).

    For one example x, its target y, the slides' loss ½ (y − ŷ)ᵀ(y − ŷ) and a net
    Linear₁ f₁ … Linear_L f_L with s_l = W_lᵀ h_{l−1} (+ b_l), h_l = f_l(s_l), h₀ = x, ŷ = h_L:

        ∂loss/∂s₁ = (ŷ − y)ᵀ · diag f_L′(s_L) · W_Lᵀ · diag f_{L−1}′(s_{L−1}) ⋯ W₂ᵀ · diag f₁′(s₁)
        ∂loss/∂W₁ = x ⊗ ∂loss/∂s₁

    Each f′ is taken at the pre-activation s of its own layer, and W₁ is not in its own gradient.
    Returns [(name, matrix)], last layer first; their product is the row ∂loss/∂s₁, (1, n_1).
    Each name is the Jacobian and its formula. A two-layer net gets the names of the slides'
    2-3-2 net (s = vᵀx, h = f₁(s), z = wᵀh, ŷ = f₂(z)): "∂ŷ/∂z = diag f₂′(z)", "∂z/∂h = wᵀ", …;
    a deeper one those of the formula above: "∂ŷ/∂s₄ = diag f₄′(s₄)", "∂s₄/∂h₃ = W₄ᵀ", ….

    net: a Sequential of Linear and Activation layers, alternating, as build_mlp builds it without
    shortcuts or BN (for the SlideNet: net.as_sequential()). A Residual block adds a second path
    (∂H/∂x = I + ∂F/∂x, see lecturekit.shortcut) and a BatchNorm a factor of its own, so both are
    refused. x: one example, (n_in,); y: its target, (n_out,). Runs net.forward on x.
    """
    linears, activations = _plain_chain(net)
    x = _check_data(x, "x", "chain_factors", "one example", (linears[0].n_in,))
    y = _check_data(y, "y", "chain_factors", "its target", (linears[-1].n_out,))
    _, grad = sse(net.forward(x[None, :]), y[None, :])
    names = _factor_names(len(linears))
    factors = [grad]
    for index in range(len(linears), 0, -1):
        act = activations[index - 1]
        factors.append(np.diag(act.function.derivative(act.s, act.h)[0]))
        if index > 1:
            factors.append(linears[index - 1].params["W"].T)
    return list(zip(names, factors, strict=True))


_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _factor_names(depth):
    """The names of chain_factors' factors for a net of `depth` Linear layers, last layer first."""
    if depth == 2:  # the slides' net: s₁ is s, s₂ is z, h₁ is h, W₂ is w
        s, h, w = {1: "s", 2: "z"}, {1: "h"}, {2: "w"}
    else:
        s = {k: f"s{k}".translate(_SUBSCRIPTS) for k in range(1, depth + 1)}
        h = {k: f"h{k}".translate(_SUBSCRIPTS) for k in range(1, depth)}
        w = {k: f"W{k}".translate(_SUBSCRIPTS) for k in range(2, depth + 1)}
    h[depth] = "ŷ"
    names = ["∂loss/∂ŷ = (ŷ − y)ᵀ"]
    for k in range(depth, 0, -1):  # layer k: ∂h_k/∂s_k, then ∂s_k/∂h_{k−1}
        names.append(f"∂{h[k]}/∂{s[k]} = diag f{k}′({s[k]})".translate(_SUBSCRIPTS))
        if k > 1:
            names.append(f"∂{s[k]}/∂{h[k - 1]} = {w[k]}ᵀ")
    return names


def _plain_chain(net):
    """net's Linear and Activation layers, for chain_factors; an error for any other net."""
    if not isinstance(net, Sequential):
        hint = " (for a SlideNet use net.as_sequential())" if hasattr(net, "as_sequential") else ""
        raise TypeError("chain_factors: net must be a Sequential of Linear and Activation layers, "
                        f"e.g. lk.build_mlp(4, 5, \"sigmoid\"), got {type(net).__name__}{hint}")
    layers = list(_unnest(net))
    for i, layer in enumerate(layers):
        if isinstance(layer, Residual):
            raise ValueError(f"chain_factors: net must be a plain net of Linear and Activation layers, got a "
                             f"Residual block at layer {i}: its shortcut adds a second path, "
                             "∂H/∂x = I + ∂F/∂x (see lecturekit.shortcut, notebook 07)")
        if isinstance(layer, BatchNorm):
            raise ValueError(f"chain_factors: net must be a plain net of Linear and Activation layers, got "
                             f"{layer!r} at layer {i}: in evaluation mode it multiplies by γ/√(σ² + ε), a "
                             "factor this product does not have, and in training mode its output for one "
                             "example depends on the whole batch (notebook 09)")
        if not isinstance(layer, (Linear, Activation)):
            raise ValueError(f"chain_factors: net must be a plain net of Linear and Activation layers, "
                             f"got {layer!r} at layer {i}")
    linears, activations = layers[0::2], layers[1::2]
    if (not linears or len(linears) != len(activations)
            or not all(isinstance(layer, Linear) for layer in linears)
            or not all(isinstance(layer, Activation) for layer in activations)):
        kinds = ", ".join(type(layer).__name__ for layer in layers)
        raise ValueError("chain_factors: net must alternate Linear and Activation layers, a Linear first "
                         f"and an Activation last (as build_mlp builds it), got {kinds}")
    for i, layer in enumerate(linears):
        if layer.params["W"].ndim != 2:
            raise ValueError(f"chain_factors: net's Linear layers must hold one weight matrix each, got "
                             f"W of shape {layer.params['W'].shape} in layer {2 * i}")
    return linears, activations


def _unnest(layer):
    """The layers of `layer` in forward order, looking into Sequential containers only (a Residual
    block stays one layer, unlike `leaves`)."""
    if isinstance(layer, Sequential):
        for inner in layer:
            yield from _unnest(inner)
    else:
        yield layer
