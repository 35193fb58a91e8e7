"""`build_mlp`: deep fully connected nets for the depth experiments.

Slide "Sigmoid在神經網路太深層的問題": 當層數到100層時候, 對於第一層的gradient會有100個activate
function的導數相乘. `build_mlp(depth=100, …)` builds exactly that net, so the notebooks can measure
the gradient of every layer.
"""

import itertools

import numpy as np

from .activations import get_activation
from .checks import check_generator, check_positive_int
from .init import NAMES as INIT_NAMES
from .layers import Activation, Linear, Sequential


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
    dtype=np.float64,
):
    """A Sequential of `depth` Linear layers: n_in → width → … → width → n_out.

    Each hidden Linear layer is followed by `activation`; the last one by `output_activation`.
    depth counts weight layers (depth=1 is a single Linear n_in → n_out); width is the number
    of hidden units. Weights come from `init` (one of lecturekit.init.NAMES, "normal" with `std`)
    drawn from `rng` (a np.random.Generator; default: np.random.default_rng(0), so the same call
    gives the same net). Hidden biases start at `bias_init` (a negative value starts ReLU units
    switched off: slide "Dead ReLU"), the output bias at zero.
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
    layers = []
    for i, (fan_in, fan_out) in enumerate(itertools.pairwise(sizes)):
        linear = Linear(fan_in, fan_out, rng, init=init, bias=bias, std=std, dtype=dtype)
        is_last = i == depth - 1
        if bias and not is_last:
            linear.params["b"][:] = bias_init
        layers.append(linear)
        layers.append(Activation(output_activation if is_last else activation, slope=slope))
    return Sequential(layers)


def linear_layers(net):
    """The Linear layers of a net, first to last: W₁, W₂, … of the slides' deep formula."""
    return [layer for layer in net if isinstance(layer, Linear)]
