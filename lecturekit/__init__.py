"""lecturekit: the lecture's forward and backward passes, written by hand in numpy.

Modules, in the order the lecture meets them:
    activations  f and f′ by name (sigmoid, tanh, relu, leaky_relu, identity)
    init         weight initializers (small/large normal, Xavier, He) from a Generator
    layers       Linear, Activation, Sequential, Residual: forward caches, backward returns ∂L/∂input
    losses       SSE (the slides' loss), MSE, softmax cross-entropy: (value, gradient)
    slide_net    the slides' 2-3-2 MLP in the slides' names x, v, s, h, w, z, ŷ
    stepper      the 2-3-2 net's forward and backward passes as steps, node by node (notebook 03)
    nets         build_mlp(depth, width, …) for the deep-net experiments
    gradcheck    central differences and relative errors
    checks       input checks shared by all of the above
    descent      gradient descent on 1-D and 2-D quadratic losses (notebook 02)
    optim        SGD with momentum, gradient clipping, L1/L2 penalties
    train        the training loop and its History (per-layer gradients, dead units, divergence)
    diagnostics  one forward/backward measured layer by layer
    experiments  the deep-net experiments of notebooks 03–09 as one-knob-at-a-time Setups
    glorot       Glorot & Bengio (2010): the top sigmoid layer during training (notebook 04)
    scalar_resnet  the slides' one-weight shortcut example (notebook 07)
    shortcut     ∂H/∂x = I + ∂F/∂x and where a residual net's gradient goes (notebook 07)
    landscape    filter-normalized loss landscapes (notebook 08)
    batchnorm    Batch Normalization, forward and backward (notebook 09)
    playground   every knob of the lecture on one classification task (notebook 10)
    data         seeded toy data sets (two moons, XOR)
    errata       the slides' errata, numbered; "erratum N" in a docstring is ERRATA[N]
    plots        pure figure builders (matplotlib)
    exercises    checkers for the 動手做 cells
    widgets      sliders and dropdowns over the views (ipywidgets)
    claims       every experimental sentence of the notebooks, measured over seeds
                 (python -m lecturekit.claims)

`import lecturekit` costs numpy and nothing more: plots, widgets and claims are imported on first
use (`lk.plots.training_figure(…)` works without importing lecturekit.plots first), so matplotlib
and ipywidgets load when a figure or a widget is first needed.
"""

import importlib

from . import (
    batchnorm,
    data,
    descent,
    diagnostics,
    errata,
    exercises,
    experiments,
    glorot,
    gradcheck,
    landscape,
    optim,
    playground,
    scalar_resnet,
    shortcut,
    slide_net,
    stepper,
    train,
)
from .activations import NAMES as ACTIVATION_NAMES
from .activations import get_activation
from .batchnorm import BatchNorm
from .checks import Diverged, NonFiniteError
from .gradcheck import check_layer, check_slide_net, numerical_gradient, relative_error
from .init import NAMES as INIT_NAMES
from .init import init_weights
from .layers import Activation, Layer, Linear, Residual, Sequential
from .losses import mse, softmax_cross_entropy, sse
from .nets import build_mlp, linear_layers
from .slide_net import SlideNet

__all__ = [
    "ACTIVATION_NAMES",
    "INIT_NAMES",
    "Activation",
    "BatchNorm",
    "Diverged",
    "Layer",
    "Linear",
    "NonFiniteError",
    "Residual",
    "Sequential",
    "SlideNet",
    "batchnorm",
    "build_mlp",
    "check_layer",
    "check_slide_net",
    "claims",
    "data",
    "descent",
    "diagnostics",
    "errata",
    "exercises",
    "experiments",
    "get_activation",
    "glorot",
    "gradcheck",
    "init_weights",
    "landscape",
    "linear_layers",
    "mse",
    "numerical_gradient",
    "optim",
    "playground",
    "plots",
    "relative_error",
    "scalar_resnet",
    "shortcut",
    "slide_net",
    "softmax_cross_entropy",
    "sse",
    "stepper",
    "train",
    "widgets",
]

#: Submodules imported on first attribute access: plots needs matplotlib, widgets ipywidgets, and
#: claims defines every claim of every notebook, which a script that only builds a net never reads.
LAZY = ("claims", "plots", "widgets")


def __getattr__(name):
    """Import a LAZY submodule the first time `lecturekit.<name>` is read (PEP 562)."""
    if name in LAZY:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(LAZY))
