"""`build_mlp`: deep fully connected nets for the depth experiments.

Slide "Sigmoid在神經網路太深層的問題": 當層數到100層時候, 對於第一層的gradient會有100個activate
function的導數相乘. `build_mlp(depth=100, …)` builds exactly that net, so the notebooks can measure
the gradient of every layer.
"""

import itertools

import numpy as np

from .activations import NAMES as ACTIVATION_NAMES
from .activations import get_activation
from .batchnorm import BatchNoise, BatchNorm
from .checks import check_choice, check_generator, check_number, check_positive_int
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

    residual=True adds shortcut connections and changes nothing else: the net has the plain net's
    layers, in the same order, with the same weights (the same numbers, not rescaled) and the same
    activations and BNs. Each shortcut skips two hidden width → width layers, as a pre-activation
    block (He et al. 2016b, "Identity mappings in deep residual networks"):
        H(x) = x + W₂ f(W₁ f(x))        (with BN: x + W₂ f(BN(W₁ f(BN(x)))) )
    where x is the output of the Linear layer before the block. It is the slide's block
    F(x) = w₂ relu(w₁x) with the plain net's activation (and BN) of x moved inside it, so that the
    shortcut is the identity: ∂H/∂x = I + ∂F/∂x. With an odd number of hidden width → width layers
    the last one stays a plain layer. Without BN the shortcuts add up: each block adds a branch
    about as large as its input, so the activations grow with the number of blocks.
    batchnorm=True puts a BatchNorm after every hidden Linear layer, before its activation, as
    Ioffe & Szegedy (2015) do; batch_noise > 0 adds BatchNoise of that scale after each BN.
    """
    depth = check_positive_int(depth, "depth", "build_mlp")
    width = check_positive_int(width, "width", "build_mlp")
    n_in = check_positive_int(n_in, "n_in", "build_mlp")
    n_out = check_positive_int(n_out, "n_out", "build_mlp")
    rng = np.random.default_rng(0) if rng is None else check_generator(rng)
    check_choice(activation, "activation", ACTIVATION_NAMES, "build_mlp")  # before any drawing
    check_choice(output_activation, "output_activation", ACTIVATION_NAMES, "build_mlp")
    get_activation(activation, slope=slope)
    check_choice(init, "init", INIT_NAMES, "build_mlp")
    if init != "normal" and std is not None:
        raise ValueError(f"build_mlp: std must be None for init {init!r}, which sets its own std, "
                         f"got {std!r}")
    check_number(slope, "slope", "build_mlp", at_least=0, below=1)  # leaky_relu's, checked always
    bias_init = check_number(bias_init, "bias_init", "build_mlp")
    batch_noise = check_number(batch_noise, "batch_noise", "build_mlp", at_least=0, at_most=10)
    for name, flag in (("bias", bias), ("residual", residual), ("batchnorm", batchnorm)):
        if not isinstance(flag, (bool, np.bool_)):
            raise TypeError(f"build_mlp: {name} must be True or False, got {flag!r}")
    if np.dtype(dtype).kind != "f":
        raise TypeError(f"build_mlp: dtype must be a float type, got {dtype!r}")

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
        # The plain net's own layers, cut after each Linear layer: a block takes the BN and f of
        # the Linear before it, then W₁, BN, f, W₂; the shortcut goes around all of them.
        blocks = len(hidden) // 2
        layers, pending = layers[:1], layers[1:]  # the first Linear; its BN and f open block 1
        for first, second in zip(hidden[0:2 * blocks:2], hidden[1:2 * blocks:2], strict=True):
            linear, *after = [*normalized(second), act()]
            layers.append(Residual(Sequential(*pending, *normalized(first), act(), linear)))
            pending = after
        layers += pending
        hidden = hidden[2 * blocks:]  # an odd one out stays a plain layer
    for linear in hidden:
        layers += [*normalized(linear), act()]
    layers += [linears[-1], Activation(output_activation)]
    return Sequential(layers)


def linear_layers(net):
    """The Linear layers of a net, first to last: W₁, W₂, … of the slides' deep formula."""
    return [layer for layer in leaves(net) if isinstance(layer, Linear)]
