"""Notebook 02's explorers: gradient descent on a bowl and in a valley."""

from ..descent import bowl_1d, bowl_2d, gradient_descent
from ..plots.descent import Descent1DPlot, Descent2DPlot
from .explorer import Choice, Explorer, Slider, checked


@checked
def descent_1d_view(plot=None, learning_rate=0.3, steps=30, w0=0.0, curvature=2.0):
    """Gradient descent on L(w) = (λ/2)(w − 3)² + 1 from w0 (λ = curvature)."""
    problem = bowl_1d(curvature)
    path = gradient_descent(problem, [w0], learning_rate, steps)
    return (plot or Descent1DPlot()).update(problem, path, steps)


DESCENT_1D = Explorer(
    descent_1d_view,
    {
        "learning_rate": Slider("learning rate α", 0.01, 1.2, 0.01, 0.3),
        "steps": Slider("steps", 1, 100, 1, 30, integer=True),
        "w0": Slider("start w(0)", -2.0, 8.0, 0.5, 0.0),
        "curvature": Choice(
            "loss",
            (("flat: λ = 0.5", 0.5), ("(w − 3)² + 1: λ = 2", 2.0), ("steep: λ = 8", 8.0)),
            2.0,
        ),
    },
)


@checked
def descent_2d_view(plot=None, learning_rate=0.15, steps=50, steepness=10.0):
    """Gradient descent in the tilted valley of lecturekit.descent.bowl_2d from (−2, 2)."""
    problem = bowl_2d(steepness)
    path = gradient_descent(problem, [-2.0, 2.0], learning_rate, steps)
    return (plot or Descent2DPlot()).update(problem, path, steps)


DESCENT_2D = Explorer(
    descent_2d_view,
    {
        "learning_rate": Slider("learning rate α", 0.005, 0.25, 0.005, 0.15),
        "steps": Slider("steps", 1, 200, 1, 50, integer=True),
        "steepness": Choice(
            "valley",
            (("round bowl 1:1", 1.0), ("valley 1:10", 10.0), ("narrow valley 1:50", 50.0)),
            10.0,
        ),
    },
)
