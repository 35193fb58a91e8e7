"""lecturekit: the lecture's forward and backward passes, written by hand in numpy.

Modules, in the order the lecture meets them:
    activations  f and f′ by name (sigmoid, tanh, relu, leaky_relu, identity)
    init         weight initializers (small/large normal, Xavier, He) from a Generator
    layers       Linear, Activation, Sequential: forward caches, backward returns ∂L/∂input
    losses       SSE (the slides' loss), MSE, softmax cross-entropy: (value, gradient)
    slide_net    the slides' 2-3-2 MLP in the slides' names x, v, s, h, w, z, ŷ
    nets         build_mlp(depth, width, …) for the deep-net experiments
    gradcheck    central differences and relative errors
    checks       input checks shared by all of the above
    descent      gradient descent on 1-D and 2-D quadratic losses (notebook 02)
    data         seeded toy data sets (two moons, XOR)
    plots        pure figure builders
    exercises    checkers for the 動手做 cells
    widgets      sliders and dropdowns over the views (import it explicitly: it needs ipywidgets)
"""

from . import data, descent, exercises, gradcheck, plots, slide_net
from .activations import NAMES as ACTIVATION_NAMES
from .activations import get_activation
from .checks import NonFiniteError
from .gradcheck import check_layer, check_slide_net, numerical_gradient, relative_error
from .init import NAMES as INIT_NAMES
from .init import init_weights
from .layers import Activation, Layer, Linear, Sequential
from .losses import mse, softmax_cross_entropy, sse
from .nets import build_mlp, linear_layers
from .slide_net import SlideNet

__all__ = [
    "ACTIVATION_NAMES",
    "INIT_NAMES",
    "Activation",
    "Layer",
    "Linear",
    "NonFiniteError",
    "Sequential",
    "SlideNet",
    "build_mlp",
    "check_layer",
    "check_slide_net",
    "data",
    "descent",
    "exercises",
    "get_activation",
    "gradcheck",
    "init_weights",
    "linear_layers",
    "mse",
    "numerical_gradient",
    "plots",
    "relative_error",
    "slide_net",
    "softmax_cross_entropy",
    "sse",
]
