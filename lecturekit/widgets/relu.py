"""Notebook 05's explorer: dead ReLU units during training."""

import functools

from ..experiments import DEAD_RELU as DEAD_RELU_SETUP
from ..experiments import constant_guess_loss, dead_units
from ..plots.relu import DeadReluPlot
from .explorer import Choice, Explorer, Slider, checked


@functools.lru_cache(maxsize=64)
def dead_run(learning_rate, bias_init, activation, steps, seed):
    """`dead_units` of the explorer's 4-layer net (experiments.DEAD_RELU), remembered per setting."""
    setup = DEAD_RELU_SETUP.but(activation=activation, learning_rate=learning_rate, bias_init=bias_init,
                                steps=steps, seed=seed)
    losses, dead, diverged_at = dead_units(setup)
    losses.flags.writeable = dead.flags.writeable = False
    return losses, dead, diverged_at


@checked
def dead_relu_view(plot=None, learning_rate=0.1, bias_init=-0.5, activation="relu", steps=200, seed=0):
    """Train a 4-layer net (32 units, He init); the share of dead units in each hidden layer,
    step by step, and the steps at which a dead unit came back."""
    losses, dead, diverged_at = dead_run(learning_rate, bias_init, activation, steps, seed)
    if diverged_at is not None:
        result = f"diverged at step {diverged_at}"
    else:
        result = f"loss {losses[0]:.3g} → {losses[-1]:.3g}; dead at the end {dead[-1].mean():.0%}"
    summary = f"{activation}, α = {learning_rate:.3g}, initial bias {bias_init:g}, seed {seed}: {result}"
    plot = plot or DeadReluPlot(dead.shape[1], constant_guess_loss())
    return plot.update(losses, dead, diverged_at, activation, summary, steps)


DEAD_RELU = Explorer(
    dead_relu_view,
    {
        "learning_rate": Slider("learning rate α", 0.01, 1.0, 0.05, 0.1, log=True),
        "bias_init": Slider("initial bias", -2.0, 1.0, 0.25, -0.5),
        "activation": Choice("activation", ("relu", "leaky_relu"), "relu"),
        "steps": Slider("steps", 10, 600, 10, 200, integer=True),
        "seed": Slider("seed", 0, 9, 1, 0, integer=True),
    },
    compute=True,
)
