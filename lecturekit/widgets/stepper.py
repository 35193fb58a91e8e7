"""Notebook 03's stepper: the example 2-3-2 net's forward or backward pass, one step at a time."""

import functools

from ..plots.network import StepperPlot
from ..slide_net import EXAMPLE_X, EXAMPLE_Y, example_net
from ..stepper import backward_steps, forward_steps
from .explorer import Choice, Explorer, Slider, checked


@functools.cache
def _pass(direction):
    """The example net, its forward values and the steps of one pass (the same for every redraw)."""
    net = example_net()
    steps = (backward_steps if direction == "backward" else forward_steps)(net, EXAMPLE_X, EXAMPLE_Y)
    return net, net.forward(EXAMPLE_X), steps


@checked
def stepper_view(plot=None, direction="backward", step=0):
    """The example net (x = (1, 0.5), y = (1, 0), sigmoid) with the first `step` steps of the
    `direction` pass done: the current node highlighted and its formula with numbers below."""
    net, forward, steps = _pass(direction)
    return (plot or StepperPlot()).show(net, forward, steps, step)


STEPPER = Explorer(
    stepper_view,
    {
        "direction": Choice("pass", ("backward", "forward"), "backward"),
        "step": Slider("step", 0, 6, 1, 0, integer=True),
    },
)
