"""Notebook 03's explorer: training the slides' net by backpropagation."""

import functools

import numpy as np

from ..activations import NAMES as ACTIVATION_NAMES
from ..data import two_moons
from ..plots.training import TrainingPlot
from ..slide_net import SlideNet
from .explorer import Choice, Explorer, Slider, checked

#: The most epochs the slider offers: the loss panel's epoch axis spans them all, whatever the slider.
MOST_EPOCHS = 200


@functools.lru_cache(maxsize=64)
def _trained(learning_rate, epochs, f1, seed):
    """The two moons, and the slides' net trained on them with these knobs (computed once)."""
    X, Y = two_moons(n=60, seed=0)
    net = SlideNet.random(np.random.default_rng(seed), f1=f1)
    return X, Y, net, net.fit(X, Y, learning_rate, epochs, seed=seed)


@checked
def training_view(plot=None, learning_rate=1.0, epochs=60, f1="sigmoid", seed=0):
    """Train the slides' 2-3-2 net (no biases, sigmoid output) on two moons by per-example GD."""
    X, Y, net, fit = _trained(learning_rate, epochs, f1, seed)
    plot = plot or TrainingPlot(X, Y, epochs=MOST_EPOCHS)
    return plot.update(net.predict, fit.loss, f"f₁ = {f1}, α = {learning_rate:.3g}, seed {seed}")


TRAINING = Explorer(
    training_view,
    {
        "learning_rate": Slider("learning rate α", 0.01, 10.0, 0.1, 1.0, log=True),
        "epochs": Slider("epochs", 1, MOST_EPOCHS, 1, 60, integer=True),
        "f1": Choice("f₁ (hidden)", ACTIVATION_NAMES, "sigmoid"),
        "seed": Slider("init seed", 0, 9, 1, 0, integer=True),
    },
    compute=True,
)
