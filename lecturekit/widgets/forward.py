"""Notebook 01's explorer: the slides' 2-3-2 net's forward pass."""

import numpy as np

from ..activations import NAMES as ACTIVATION_NAMES
from ..plots.network import NetworkPlot
from ..slide_net import example_net
from .explorer import Choice, Explorer, Slider, checked


@checked
def forward_view(plot=None, x1=1.0, x2=0.5, f1="sigmoid", f2="sigmoid"):
    """The example 2-3-2 net's forward pass for input (x1, x2), drawn with every value."""
    net = example_net(f1, f2)
    return (plot or NetworkPlot()).update(net, net.forward(np.array([x1, x2])))


FORWARD = Explorer(
    forward_view,
    {
        "x1": Slider("x₁", -3.0, 3.0, 0.1, 1.0),
        "x2": Slider("x₂", -3.0, 3.0, 0.1, 0.5),
        "f1": Choice("f₁ (hidden)", ACTIVATION_NAMES, "sigmoid"),
        "f2": Choice("f₂ (output)", ACTIVATION_NAMES, "sigmoid"),
    },
)
