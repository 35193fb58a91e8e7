"""Notebook 07's explorer: the slides' one-weight residual example."""

from ..plots.resnet import ScalarResnetPlot
from .explorer import Explorer, Slider, checked


@checked
def scalar_resnet_view(plot=None, x=2.0, y=2.0, w_start=0.0):
    """The slides' one-weight example for input x and target y, from the start w."""
    return (plot or ScalarResnetPlot()).update(x, y, w_start)


SCALAR_RESNET = Explorer(
    scalar_resnet_view,
    {
        "x": Slider("input x", 0.5, 3.0, 0.1, 2.0),
        "y": Slider("target y", -3.0, 3.0, 0.1, 2.0),
        "w_start": Slider("start w", -1.0, 2.0, 0.1, 0.0),
    },
)
