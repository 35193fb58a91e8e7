"""`build_mlp`: deep fully connected nets for the depth experiments.

Slide "Sigmoid在神經網路太深層的問題": 當層數到100層時候, 對於第一層的gradient會有100個activate
function的導數相乘. `build_mlp(depth=100, …)` builds exactly that net, so the notebooks can measure
the gradient of every layer.
"""

import itertools

import numpy as np

from .activations import get_activation
from .batchnorm import BatchNoise, BatchNorm
from .checks import check_generator, check_positive_int
from .init import NAMES as INIT_NAMES
from .layers import Activation, Linear, Residual, Sequential, leaves


def build_mlp(
    depth,
    width,
    activation="relu",
    init="he",
    rng=None,
    n_in=2,
    n_out=1,
    bias=True,
    output_activation="identity",
    std=None,
    slope=0.01,
    bias_init=0.0,
    residual=False,
    batchnorm=False,
    batch_noise=0.0,
    dtype=np.float64,
):
    """A Sequential of `depth` Linear layers: n_in → width → … → width → n_out.

    Each hidden Linear layer is followed by `activation`; the last one by `output_activation`.
    depth counts weight layers (depth=1 is a single Linear n_in → n_out); width is the number
    of hidden units. Weights come from `init` (one of lecturekit.init.NAMES, "normal" with `std`)
    drawn from `rng` (a np.random.Generator; default: np.random.default_rng(0), so the same call
    gives the same net). Hidden biases start at `bias_init` (a negative value starts ReLU units
    switched off: slide "Dead ReLU"), the output bias at zero.

    residual=True groups the hidden width → width layers in pairs into residual blocks
    H(x) = x + W₂ f(W₁ x) (slide "ResNet"); the weights are the same numbers as the plain net's.
    batchnorm=True puts a BatchNorm after every hidden Linear layer, before its activation, as
    Ioffe & Szegedy (2015) do; batch_noise > 0 adds BatchNoise of that scale after each BN.
    """
    depth = check_positive_int(depth, "depth")
    width = check_positive_int(width, "width")
    n_in = check_positive_int(n_in, "n_in")
    n_out = check_positive_int(n_out, "n_out")
    rng = np.random.default_rng(0) if rng is None else check_generator(rng)
    get_activation(activation, slope=slope)  # fail early on an unknown name, before any drawing
    get_activation(output_activation)
    if init not in INIT_NAMES:
        raise ValueError(f"unknown init {init!r}; valid names are: {', '.join(INIT_NAMES)}")

    sizes = [n_in] + [width] * (depth - 1) + [n_out]
    # The weights are drawn in the same order with or without shortcuts or BN: with the same rng,
    # the nets start from the same numbers (an A/B comparison). BN's β replaces the bias.
    linears = [Linear(fan_in, fan_out, rng, init=init, std=std, dtype=dtype,
                      bias=bias and not (batchnorm and i < depth - 1))
               for i, (fan_in, fan_out) in enumerate(itertools.pairwise(sizes))]
    for linear in linears[:-1]:
        if "b" in linear.params:
            linear.params["b"][:] = bias_init

    def act():
        return Activation(activation, slope=slope)

    def normalized(linear):
        """The Linear layer, then BN (and its noise) when asked: BN goes before the activation."""
        if not batchnorm:
            return [linear]
        noise = [BatchNoise(linear.n_out, rng, batch_noise)] if batch_noise else []
        return [linear, BatchNorm(linear.n_out, dtype=dtype), *noise]

    if depth == 1:
        return Sequential(linears[0], Activation(output_activation))
    layers = [*normalized(linears[0]), act()]
    hidden = linears[1:-1]
    if residual:
        blocks = len(hidden) // 2
        for first, second in zip(hidden[0:2 * blocks:2], hidden[1:2 * blocks:2], strict=True):
            # Each block adds F(x) to x; scaling its last layer by 1/√blocks keeps the sum of
            # `blocks` branches from growing with depth (as Fixup, Zhang et al. 2019, does).
            second.params["W"] /= np.sqrt(blocks)
            layers.append(Residual(Sequential(*normalized(first), act(), *normalized(second))))
        hidden = hidden[2 * blocks:]  # an odd one out stays a plain layer
    for linear in hidden:
        layers += [*normalized(linear), act()]
    layers += [linears[-1], Activation(output_activation)]
    return Sequential(layers)


def linear_layers(net):
    """The Linear layers of a net, first to last: W₁, W₂, … of the slides' deep formula."""
    return [layer for layer in leaves(net) if isinstance(layer, Linear)]
