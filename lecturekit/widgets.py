"""The notebooks' sliders and dropdowns: thin wiring of pure view functions to ipywidgets.

An `Explorer` is a view (knob values → Figure) and the controls that set its knobs. The controls
are plain data (range, step, default, options), so the tests can call every view at the
extremes of every slider and with every dropdown value, and `explore` can build the widgets.
Each notebook also calls the view once with its defaults, so the figure is there without a kernel.
Every view's figure has a one-line summary as its title, which `explore` also prints as text.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import ipywidgets
import numpy as np
from IPython.display import Image, display

from .activations import NAMES as ACTIVATION_NAMES
from .data import two_moons
from .descent import bowl_1d, bowl_2d, gradient_descent
from .diagnostics import snapshot
from .experiments import (
    DEEP_SIGMOID,
    EXPLODING,
    VANISHING,
    Setup,
    constant_guess_loss,
    dead_units,
    loss_landscape,
    moons_task,
    remedies,
    trained,
)
from .experiments import LANDSCAPE as LANDSCAPE_SETUP
from .plots import (
    REMEDY_COLORS,
    batchnorm_figure,
    clip_figure,
    depth_figure,
    descent_1d_figure,
    descent_2d_figure,
    histories_figure,
    landscape_figure,
    network_figure,
    scalar_resnet_figure,
    training_dead_figure,
    training_figure,
    weights_figure,
)
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
        return ipywidgets.Dropdown(options=self.options, value=self.value, description=self.label,
                                   style={"description_width": "initial"})  # labels in full


@dataclass(frozen=True)
class Explorer:
    """A view function and its controls; `slow` views redraw only when a slider is released."""

    view: Callable
    controls: dict = field(default_factory=dict)
    slow: bool = False

    def defaults(self):
        return {name: control.value for name, control in self.controls.items()}


def png(figure):
    """The figure as PNG bytes, as an explorer sends it.

    Drawn once, at the figure's own size: the inline backend's default, a "tight" bounding box,
    draws every figure twice to measure it, and constrained layout already fits everything in.
    """
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def explore(explorer, **defaults):
    """The controls in a row above an output area that the view redraws on every change.
    Keyword arguments start some controls elsewhere than their defaults, e.g. activation="relu"."""
    unknown = set(defaults) - set(explorer.controls)
    if unknown:
        raise ValueError(f"no control named {', '.join(sorted(unknown))}; the controls are "
                         f"{', '.join(explorer.controls)}")
    controls = {name: replace(c, value=defaults.get(name, c.value)).widget(not explorer.slow)
                for name, c in explorer.controls.items()}

    def redraw(**values):
        figure = explorer.view(**values)
        display(Image(png(figure)))
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
    return training_figure(net.predict, X, Y, losses, title)


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


# Notebooks 04–06: deep nets.

DEEP_ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu")
INITS = (("small normal (std 0.01)", "small"), ("Xavier", "xavier"), ("He", "he"),
         ("large normal (std 1)", "large"))


def depth_view(depth=20, width=32, activation="sigmoid", init="xavier", seed=0, residual=False,
               batchnorm=False):
    """One forward and backward pass of a `depth`-layer net on the moons task: the gradient norm
    of every layer and the activations of every hidden layer."""
    net = Setup(depth=depth, width=width, activation=activation, init=init, seed=seed,
                residual=residual, batchnorm=batchnorm).build()
    shot = snapshot(net, *moons_task())
    name = (f"depth {depth} {'residual' if residual else 'plain'}{' + BN' if batchnorm else ''}, "
            f"{activation}, {init} init")
    if shot.overflow:
        title = f"{name}: exploded ({shot.overflow[:60]})"
    else:
        first, last = shot.grad_norms[0], shot.grad_norms[-1]
        title = f"{name}: ‖∂L/∂W_1‖ = {first:.2g}, ‖∂L/∂W_L‖ = {last:.2g}"
    return depth_figure(shot, activation, title)


DEPTH = Explorer(
    depth_view,
    {
        "depth": Slider("depth L", 1, 1000, 1, 20, integer=True),
        "width": Slider("width", 2, 128, 2, 32, integer=True),
        "activation": Choice("activation", DEEP_ACTIVATIONS, "sigmoid"),
        "init": Choice("init", INITS, "xavier"),
        "seed": Slider("seed", 0, 9, 1, 0, integer=True),
        "residual": Choice("shortcuts", (("plain", False), ("residual blocks", True)), False),
        "batchnorm": Choice("normalization", (("none", False), ("BatchNorm", True)), False),
    },
    slow=True,
)


def dead_relu_view(learning_rate=0.1, bias_init=-0.5, activation="relu", steps=200, seed=0):
    """Train a 4-layer net (32 units, He init); the share of dead units in each hidden layer,
    step by step, and the steps at which a dead unit came back."""
    setup = Setup(depth=4, activation=activation, init="he", learning_rate=learning_rate,
                  bias_init=bias_init, steps=steps, slope=0.1, seed=seed)
    losses, dead, diverged_at = dead_units(setup)
    if diverged_at is not None:
        result = f"diverged at step {diverged_at}"
    else:
        result = f"loss {losses[0]:.3g} → {losses[-1]:.3g}; dead at the end {dead[-1].mean():.0%}"
    title = f"{activation}, α = {learning_rate:.3g}, initial bias {bias_init:g}, seed {seed}: {result}"
    return training_dead_figure(losses, dead, diverged_at, title)


DEAD_RELU = Explorer(
    dead_relu_view,
    {
        "learning_rate": Slider("learning rate α", 0.01, 1.0, 0.05, 0.1, log=True),
        "bias_init": Slider("initial bias", -2.0, 1.0, 0.25, -0.5),
        "activation": Choice("activation", ("relu", "leaky_relu"), "relu"),
        "steps": Slider("steps", 10, 600, 10, 200, integer=True),
        "seed": Slider("seed", 0, 9, 1, 0, integer=True),
    },
    slow=True,
)


REMEDY_CHOICES = tuple(remedies())
REMEDY_SETUPS = {"vanishing": VANISHING, "exploding": EXPLODING}
#: The loss axis stops here: a diverging run's last loss (~1e10) would squeeze the others flat.
REMEDY_LOSS_TOP = 1e4


def remedy_view(problem="vanishing", remedy="2. ReLU + He init", learning_rate=0.03, depth=8, seed=0):
    """06's vanishing or exploding setup against one remedy, same seed."""
    setup = REMEDY_SETUPS[problem].but(learning_rate=learning_rate, depth=depth, seed=seed)
    options = remedies(setup)
    runs = {name: trained(options[name])[1] for name in dict.fromkeys(("baseline", remedy))}
    summary = "; ".join(f"{name}: final loss {h.final_loss:.3g}" if h.diverged_at is None
                        else f"{name}: diverged at step {h.diverged_at}" for name, h in runs.items())
    title = f"{problem}, depth {depth}, α = {learning_rate:.3g}, seed {seed} — {summary}"
    return histories_figure(runs, title=title, loss_top=REMEDY_LOSS_TOP, colors=REMEDY_COLORS)


REMEDY = Explorer(
    remedy_view,
    {
        "problem": Choice("setup", tuple(REMEDY_SETUPS), "vanishing"),
        "remedy": Choice("remedy", REMEDY_CHOICES, "2. ReLU + He init"),
        "learning_rate": Slider("learning rate α", 0.01, 1.0, 0.01, 0.03, log=True),
        "depth": Slider("depth", 2, 40, 1, 8, integer=True),
        "seed": Slider("seed", 0, 9, 1, 0, integer=True),
    },
    slow=True,
)


def clip_view(g1=3.0, g2=1.0, threshold=1.0):
    """A gradient (g1, g2) clipped by norm and by value at `threshold`."""
    return clip_figure([g1, g2], threshold)


CLIPPING = Explorer(
    clip_view,
    {
        "g1": Slider("g₁", -5.0, 5.0, 0.1, 3.0),
        "g2": Slider("g₂", -5.0, 5.0, 0.1, 1.0),
        "threshold": Slider("threshold c", 0.1, 5.0, 0.1, 1.0),
    },
)


def regularization_view(penalty="L1", strength=1e-2, steps=150):
    """A 3-layer ReLU net trained without and with an L1 or L2 penalty: its weights."""
    base = Setup(depth=3, activation="relu", init="he", steps=steps)
    plain, _ = trained(base)
    setup = base.but(l1=strength) if penalty == "L1" else base.but(l2=strength)
    regularized, history = trained(setup)
    return weights_figure({"no penalty": plain, f"{penalty}, λ = {strength:.2g}": regularized},
                          title=f"{penalty} λ = {strength:.2g}: {history.message}")


REGULARIZATION = Explorer(
    regularization_view,
    {
        "penalty": Choice("penalty", ("L1", "L2"), "L1"),
        "strength": Slider("strength λ", 1e-4, 1e-1, 0.1, 1e-2, log=True),
        "steps": Slider("steps", 10, 600, 10, 150, integer=True),
    },
    slow=True,
)


# Notebooks 07–08: ResNet and the loss landscape.


def scalar_resnet_view(x=2.0, y=2.0, w_start=0.0):
    """The slides' one-weight example for input x and target y."""
    return scalar_resnet_figure(x, y, w_start)


SCALAR_RESNET = Explorer(
    scalar_resnet_view,
    {
        "x": Slider("input x", 0.5, 3.0, 0.1, 2.0),
        "y": Slider("target y", -3.0, 3.0, 0.1, 2.0),
        "w_start": Slider("start w", -1.0, 2.0, 0.1, 0.0),
    },
)


def landscape_view(depth=20, activation="relu", direction_seed=0, resolution=31):
    """Train a plain and a residual net (LANDSCAPE, same seed; the residual blocks start as the
    identity) and draw the loss around each one's trained weights along two filter-normalized
    random directions. ReLU nets use He init, tanh nets Xavier init."""
    init = "he" if activation == "relu" else "xavier"
    setup = LANDSCAPE_SETUP.but(depth=depth, activation=activation, init=init)
    grids = {label: loss_landscape(setup.but(residual=residual), direction_seed, resolution)
             for label, residual in (("plain", False), ("residual", True))}
    constant = constant_guess_loss()
    untrained = [label for label, grid in grids.items() if not grid.trained_loss < constant / 2]
    note = (f"; not trained (loss ≥ {constant / 2:.3g}, half the constant guess): {', '.join(untrained)}"
            if untrained else "")
    shares = ", ".join(f"{label} {grid.share:.0%}" for label, grid in grids.items())
    title = (f"depth {depth}, {activation}: share of grid points with negative curvature: {shares} "
             f"({resolution}×{resolution} grid){note}")
    return landscape_figure(grids, title)


LANDSCAPE = Explorer(
    landscape_view,
    {
        "depth": Slider("depth", 4, 40, 2, 20, integer=True),
        "activation": Choice("activation", ("relu", "tanh"), "relu"),
        "direction_seed": Slider("direction seed", 0, 9, 1, 0, integer=True),
        "resolution": Slider("grid points per side", 11, 51, 2, 31, integer=True),
    },
    slow=True,
)


# Notebook 09: Batch Normalization.

NORMALIZATIONS = (("BN", (True, 0.0)), ("BN + noise 0.2", (True, 0.2)), ("BN + noise 0.5", (True, 0.5)),
                  ("BN + noise 1.0", (True, 1.0)))


def batchnorm_view(normalization=(True, 0.5), depth=10, learning_rate=0.1, activation="sigmoid"):
    """Train the same net (same seed) without BN and with the chosen normalization; their losses
    and the distribution of the last hidden layer's input over training."""
    batchnorm, noise = normalization
    base = DEEP_SIGMOID.but(depth=depth, learning_rate=learning_rate, activation=activation, watch=-1)
    label = "BN" + (f" + noise {noise:g}" if noise else "")
    runs = {"no BN": trained(base)[1], label: trained(base.but(batchnorm=batchnorm, batch_noise=noise))[1]}
    summary = "; ".join(f"{name}: {h.message}" for name, h in runs.items())
    return batchnorm_figure(runs, title=f"depth {depth}, {activation}, α = {learning_rate:.3g} — {summary}")


BATCHNORM = Explorer(
    batchnorm_view,
    {
        "normalization": Choice("normalization", NORMALIZATIONS, (True, 0.5)),
        "depth": Slider("depth", 2, 20, 1, 10, integer=True),
        "learning_rate": Slider("learning rate α", 0.01, 1.0, 0.05, 0.1, log=True),
        "activation": Choice("activation", DEEP_ACTIVATIONS, "sigmoid"),
    },
    slow=True,
)


#: Every explorer, by the notebook section that uses it (the tests call all of them).
EXPLORERS = {
    "forward": FORWARD,
    "descent_1d": DESCENT_1D,
    "descent_2d": DESCENT_2D,
    "training": TRAINING,
    "depth": DEPTH,
    "dead_relu": DEAD_RELU,
    "remedy": REMEDY,
    "clipping": CLIPPING,
    "regularization": REGULARIZATION,
    "scalar_resnet": SCALAR_RESNET,
    "landscape": LANDSCAPE,
    "batchnorm": BATCHNORM,
}
