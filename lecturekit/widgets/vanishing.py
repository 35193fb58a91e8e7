"""Notebook 04's explorer (also used in 05 and 07): gradients and activations by depth."""

import functools

from ..diagnostics import snapshot
from ..experiments import Setup, moons_task
from ..plots.vanishing import DepthPlot, activation_shares
from .explorer import Choice, Explorer, Slider, checked

DEEP_ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu")


INITS = (("small normal (std 0.01)", "small"), ("Xavier", "xavier"), ("He", "he"),
         ("large normal (std 1)", "large"))


@functools.lru_cache(maxsize=64)
def depth_measurements(depth, width, activation, init, seed, residual, batchnorm):
    """One forward and backward pass of the net on the moons task, remembered per setting:
    (‖∂L/∂W_l‖ per layer, the activations panel's shares per hidden layer, where it overflowed)."""
    net = Setup(depth=depth, width=width, activation=activation, init=init, seed=seed,
                residual=residual, batchnorm=batchnorm).build()
    shot = snapshot(net, *moons_task())
    norms, shares = shot.grad_norms.copy(), activation_shares(shot.activations, activation)
    norms.flags.writeable = shares.flags.writeable = False
    return norms, shares, shot.overflow


@checked
def depth_view(plot=None, depth=20, width=32, activation="sigmoid", init="xavier", seed=0, residual=False,
               batchnorm=False):
    """One forward and backward pass of a `depth`-layer net on the moons task: the gradient norm
    of every layer and the activations of every hidden layer."""
    norms, shares, overflow = depth_measurements(depth, width, activation, init, seed, residual, batchnorm)
    name = (f"depth {depth} {'residual' if residual else 'plain'}{' + BN' if batchnorm else ''}, "
            f"{activation}, {init} init")
    if overflow:
        summary = f"{name}: exploded ({overflow})"
    else:
        summary = f"{name}: ‖∂L/∂W_1‖ = {norms[0]:.2g}, ‖∂L/∂W_L‖ = {norms[-1]:.2g}"
    return (plot or DepthPlot()).update(norms, shares, activation, overflow, summary)


DEPTH = Explorer(
    depth_view,
    {
        "depth": Slider("depth L", 1, 1000, 1, 20, integer=True),
        "width": Slider("width", 2, 128, 2, 32, integer=True),
        "activation": Choice("activation", DEEP_ACTIVATIONS, "sigmoid"),
        "init": Choice("init", INITS, "xavier"),
        "seed": Slider("seed", 0, 9, 1, 0, integer=True),
        "residual": Choice("shortcuts", (("plain", False), ("residual blocks", True)), False),
        "batchnorm": Choice("normalization", (("none", False), ("BatchNorm", True)), False),
    },
    compute=True,
)
