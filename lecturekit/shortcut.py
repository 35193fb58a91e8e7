"""What a shortcut connection does to the gradient (notebook 07, slide "ResNet").

For a residual block H(x) = x + F(x) the chain rule gives

    ∂H/∂x = I + ∂F/∂x

so the backward pass multiplies by (I + ∂F/∂x) where a plain layer multiplies by ∂F/∂x. Even when
the block has learned the slides' ideal F(x) = 0, the gradient passes through it unchanged, where
a plain layer with ∂F/∂x ≈ 0 stops it (slide: 假設越後面層的Gradient很小,甚至Gradient vanish).
`input_jacobian` measures ∂H/∂x by central differences, without trusting any backward pass.
"""

import numpy as np

from .checks import as_float_array, check_examples, check_net, check_number
from .diagnostics import snapshot
from .layers import Activation, Layer, Linear, Residual, leaves
from .losses import get_loss
from .nets import linear_layers


def input_jacobian(layer, x, eps=1e-6):
    """∂layer(x)/∂x for one example x (a 1-D array), by central differences: J[i, j] = ∂out_i/∂x_j."""
    if not isinstance(layer, Layer):
        raise TypeError(f"input_jacobian: layer must be a Layer, got {type(layer).__name__}")
    eps = check_number(eps, "eps", "input_jacobian", above=0, at_most=1)
    x = as_float_array(x, "input_jacobian", "x").ravel()
    if x.size == 0:
        raise ValueError("input_jacobian: x must hold at least one number, got an empty array")
    columns = []
    for j in range(len(x)):
        step = np.zeros_like(x)
        step[j] = eps
        plus = layer.forward((x + step)[None, :])[0]
        minus = layer.forward((x - step)[None, :])[0]
        columns.append((plus - minus) / (2 * eps))
    return np.stack(columns, axis=1)


def gradient_ratio(net, X, Y):
    """‖∂L/∂W_1‖ / ‖∂L/∂W_L‖ at the net's current weights (one forward and backward pass on
    (X, Y), MSE): below 1 the gradient shrinks toward the input, above 1 it grows."""
    check_net(net, "gradient_ratio")
    norms = snapshot(net, X, Y).grad_norms
    with np.errstate(invalid="ignore", divide="ignore"):  # no gradient at the top: NaN or inf
        return float(norms[0] / norms[-1])


def block_gradient_ratios(net):
    """For every residual block of `net` (after a backward pass): ‖∂L/∂W₂‖ / ‖∂L/∂W₁‖, the
    gradient of the block's second Linear layer over its first one's."""
    check_net(net, "block_gradient_ratios", sequential=True)
    ratios = []
    for block in (layer for layer in net if isinstance(layer, Residual)):
        first, second = [layer for layer in leaves(block.block) if isinstance(layer, Linear)]
        if "W" not in first.grads or "W" not in second.grads:
            raise ValueError("block_gradient_ratios: net must have run a backward pass, got a net "
                             "without gradients (call net.backward first)")
        ratios.append(np.linalg.norm(second.grads["W"]) / np.linalg.norm(first.grads["W"]))
    return np.array(ratios)


def block_gradient_factors(net, X, Y):
    """Why a residual block's W₂ gets a larger gradient than its W₁: one forward and backward
    pass of `net` on (X, Y) (MSE), then for every block x + W₂ f(W₁ f(x)) (no BN) with Δ = ∂L/∂H
    the gradient at the block's output (what the shortcut carries) and δ₁ = (Δ W₂ᵀ) ⊙ f′(s₁):

        ratio    = ‖∂L/∂W₂‖ / ‖∂L/∂W₁‖ = ‖h₂ᵀ Δ‖ / ‖h₁ᵀ δ₁‖
        "f′"     = ‖Δ W₂ᵀ‖ / ‖δ₁‖    ≥ 1 / max f′  (= 4 for sigmoid, since f′ ≤ 0.25 elementwise)
        "W₂ᵀ"    = ‖Δ‖ / ‖Δ W₂ᵀ‖     (below 1 where W₂ᵀ enlarges the gradient)
        "inputs" = ratio / ("f′" · "W₂ᵀ")   (the layers' inputs h₂, h₁ and the sum over the batch)

    Returns {"ratio", "f′", "W₂ᵀ", "inputs"}, each an array with one number per block."""
    check_net(net, "block_gradient_factors", sequential=True)
    X, Y, _ = check_examples(net, X, Y, "mse", "block_gradient_factors")
    _, grad = get_loss("mse")(net.forward(X), Y)
    carried = {}
    for layer in reversed(list(net)):  # net.backward, keeping what each block receives
        if isinstance(layer, Residual):
            carried[id(layer)] = grad
        grad = layer.backward(grad)
    parts = {"ratio": [], "f′": [], "W₂ᵀ": [], "inputs": []}
    for block in (layer for layer in net if isinstance(layer, Residual)):
        inner = list(leaves(block.block))
        first, second = [layer for layer in inner if isinstance(layer, Linear)]
        between = [layer for layer in inner if isinstance(layer, Activation)][-1]
        delta = carried[id(block)]
        back = delta @ second.params["W"].T
        delta_1 = between.backward(back)
        ratio = np.linalg.norm(second.grads["W"]) / np.linalg.norm(first.grads["W"])
        activation = np.linalg.norm(back) / np.linalg.norm(delta_1)
        weights = np.linalg.norm(delta) / np.linalg.norm(back)
        for name, value in (("ratio", ratio), ("f′", activation), ("W₂ᵀ", weights),
                            ("inputs", ratio / (activation * weights))):
            parts[name].append(value)
    return {name: np.array(values) for name, values in parts.items()}


def gradient_ratio_parts(net, X, Y):
    """‖∂L/∂W_1‖ / ‖∂L/∂W_L‖ (see gradient_ratio) and the two things it is made of, since
    ∂L/∂W_l = h_{l−1}ᵀ δ_l: how the backward signal δ_l = ∂L/∂s_l changes from the last Linear
    layer to the first, ‖δ_1‖ / ‖δ_L‖, and how the layers' inputs do, ‖h_0‖ / ‖h_{L−1}‖ (h_0 = X).
    One forward and backward pass on (X, Y), MSE."""
    check_net(net, "gradient_ratio_parts", sequential=True)
    X, Y, _ = check_examples(net, X, Y, "mse", "gradient_ratio_parts")
    layers = linear_layers(net)
    if not layers:
        raise ValueError(f"gradient_ratio_parts: net must hold a Linear layer, got {net!r}")
    first, last = layers[0], layers[-1]
    _, grad = get_loss("mse")(net.forward(X), Y)
    received = {}
    for layer in reversed(list(net)):  # net.backward, keeping what the first and last Linear receive
        if layer is first or layer is last:
            received[id(layer)] = grad
        grad = layer.backward(grad)
    def norm(layer, name):
        return np.linalg.norm(layer.grads[name])
    with np.errstate(invalid="ignore", divide="ignore"):  # a zero norm gives NaN or inf
        return {"gradient": float(norm(first, "W") / norm(last, "W")),
                "δ": float(np.linalg.norm(received[id(first)]) / np.linalg.norm(received[id(last)])),
                "input": float(np.linalg.norm(first.x) / np.linalg.norm(last.x))}
