"""The notebooks' sliders and dropdowns: thin wiring of pure view functions to ipywidgets.

An `Explorer` is a view (knob values → Figure) and the controls that set its knobs. The controls
are plain data (range, step, default, options), so the tests can call every view at the
extremes of every slider and with every dropdown value, and `explore` can build the widgets.
Each notebook also calls the view once with its defaults, so the figure is there without a kernel.
Every view's figure has a one-line summary as its title, which `explore` also prints as text.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import ipywidgets
import numpy as np
from IPython.display import display

from .activations import NAMES as ACTIVATION_NAMES
from .data import two_moons
from .descent import bowl_1d, bowl_2d, gradient_descent
from .plots import descent_1d_figure, descent_2d_figure, network_figure, training_figure
from .slide_net import SlideNet, example_net


@dataclass(frozen=True)
class Slider:
    """A numeric knob: min, max, step and default; `log` spaces it on a log scale."""

    label: str
    min: float
    max: float
    step: float
    value: float
    integer: bool = False
    log: bool = False

    @property
    def extremes(self):
        return (self.min, self.max)

    def widget(self, continuous_update):
        common = {"description": self.label, "continuous_update": continuous_update,
                  "style": {"description_width": "initial"}}
        if self.integer:
            return ipywidgets.IntSlider(value=self.value, min=self.min, max=self.max,
                                        step=self.step, **common)
        if self.log:
            return ipywidgets.FloatLogSlider(value=self.value, min=np.log10(self.min),
                                             max=np.log10(self.max), step=self.step, **common)
        return ipywidgets.FloatSlider(value=self.value, min=self.min, max=self.max,
                                      step=self.step, **common)


@dataclass(frozen=True)
class Choice:
    """A dropdown: the options (values, or (label, value) pairs) and the default value."""

    label: str
    options: tuple
    value: object

    @property
    def extremes(self):
        return tuple(o[1] if isinstance(o, tuple) else o for o in self.options)

    def widget(self, continuous_update):
        return ipywidgets.Dropdown(options=self.options, value=self.value,
                                   description=self.label)


@dataclass(frozen=True)
class Explorer:
    """A view function and its controls; `slow` views redraw only when a slider is released."""

    view: Callable
    controls: dict = field(default_factory=dict)
    slow: bool = False

    def defaults(self):
        return {name: control.value for name, control in self.controls.items()}


def explore(explorer):
    """The controls in a row above an output area that the view redraws on every change."""
    controls = {name: c.widget(continuous_update=not explorer.slow)
                for name, c in explorer.controls.items()}

    def redraw(**values):
        figure = explorer.view(**values)
        display(figure)
        print(figure.get_suptitle())  # the figure's one-line summary, as text to read or copy

    output = ipywidgets.interactive_output(redraw, controls)
    row = ipywidgets.HBox(list(controls.values()),
                          layout=ipywidgets.Layout(flex_flow="row wrap"))
    return ipywidgets.VBox([row, output])


# Notebook 01: forward propagation.


def forward_view(x1=1.0, x2=0.5, f1="sigmoid", f2="sigmoid"):
    """The example 2-3-2 net's forward pass for input (x1, x2), drawn with every value."""
    net = example_net(f1, f2)
    forward = net.forward(np.array([x1, x2]))
    figure = network_figure(net, forward)
    figure.suptitle(f"x = ({x1:.2f}, {x2:.2f}) → ŷ = ({forward.y_hat[0]:.3f}, {forward.y_hat[1]:.3f})",
                    fontsize=10)
    return figure


FORWARD = Explorer(
    forward_view,
    {
        "x1": Slider("x₁", -3.0, 3.0, 0.1, 1.0),
        "x2": Slider("x₂", -3.0, 3.0, 0.1, 0.5),
        "f1": Choice("f₁ (hidden)", ACTIVATION_NAMES, "sigmoid"),
        "f2": Choice("f₂ (output)", ACTIVATION_NAMES, "sigmoid"),
    },
)


# Notebook 02: gradient descent.


def descent_1d_view(learning_rate=0.3, steps=30, w0=0.0, curvature=2.0):
    """Gradient descent on L(w) = (λ/2)(w − 3)² + 1 from w0 (λ = curvature)."""
    problem = bowl_1d(curvature)
    return descent_1d_figure(problem, gradient_descent(problem, [w0], learning_rate, steps))


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


def descent_2d_view(learning_rate=0.15, steps=50, steepness=10.0):
    """Gradient descent in the tilted valley of lecturekit.descent.bowl_2d from (−2, 2)."""
    problem = bowl_2d(steepness)
    path = gradient_descent(problem, [-2.0, 2.0], learning_rate, steps)
    return descent_2d_figure(problem, path)


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


# Notebook 03: backpropagation.


def training_view(learning_rate=1.0, epochs=60, f1="sigmoid", seed=0):
    """Train the slides' 2-3-2 net (no biases, sigmoid output) on two moons by per-example GD."""
    X, Y = two_moons(n=60, seed=0)
    net = SlideNet.random(np.random.default_rng(seed), f1=f1)
    losses = net.fit(X, Y, learning_rate, epochs, seed=seed)
    title = f"f1 = {f1}, α = {learning_rate:g}, final loss {losses[-1]:.3g}"
    return training_figure(lambda x: net.forward(x).y_hat, X, Y, losses, title)


TRAINING = Explorer(
    training_view,
    {
        "learning_rate": Slider("learning rate α", 0.01, 10.0, 0.1, 1.0, log=True),
        "epochs": Slider("epochs", 1, 200, 1, 60, integer=True),
        "f1": Choice("f₁ (hidden)", ACTIVATION_NAMES, "sigmoid"),
        "seed": Slider("init seed", 0, 9, 1, 0, integer=True),
    },
    slow=True,
)


#: Every explorer, by the notebook section that uses it (the tests call all of them).
EXPLORERS = {
    "forward": FORWARD,
    "descent_1d": DESCENT_1D,
    "descent_2d": DESCENT_2D,
    "training": TRAINING,
}
