"""Notebook 09's explorer: training with and without Batch Normalization."""

from ..experiments import DEEP_SIGMOID, constant_guess_loss, trained
from ..plots.batchnorm import BatchNormPlot
from .explorer import Choice, Explorer, Slider, checked
from .vanishing import DEEP_ACTIVATIONS

NORMALIZATIONS = (("BN", (True, 0.0)), ("BN + noise 0.2", (True, 0.2)), ("BN + noise 0.5", (True, 0.5)),
                  ("BN + noise 1.0", (True, 1.0)))


@checked
def batchnorm_view(plot=None, normalization=(True, 0.5), depth=10, learning_rate=0.1, activation="sigmoid"):
    """Train the same net (same seed) without BN and with the chosen normalization; their losses
    and the distribution of the last hidden layer's input over training. Each run is trained once
    (`trained` remembers it)."""
    batchnorm, noise = normalization
    base = DEEP_SIGMOID.but(depth=depth, learning_rate=learning_rate, activation=activation, watch=-1)
    label = "BN" + (f" + noise {noise:g}" if noise else "")
    runs = {"no BN": trained(base)[1], label: trained(base.but(batchnorm=batchnorm, batch_noise=noise))[1]}
    plot = plot or BatchNormPlot(guess=constant_guess_loss())
    context = f"depth {depth}, {activation}, α = {learning_rate:.3g}"
    return plot.update(runs, steps=base.steps, context=context)


BATCHNORM = Explorer(
    batchnorm_view,
    {
        "normalization": Choice("normalization", NORMALIZATIONS, (True, 0.5)),
        "depth": Slider("depth", 2, 20, 1, 10, integer=True),
        "learning_rate": Slider("learning rate α", 0.01, 1.0, 0.05, 0.1, log=True),
        "activation": Choice("activation", DEEP_ACTIVATIONS, "sigmoid"),
    },
    compute=True,
)
