"""Training a small net: loss by epoch and the classes it predicts (notebook 03)."""

import numpy as np
from matplotlib.colors import BoundaryNorm, ListedColormap, to_rgb
from matplotlib.lines import Line2D

from .. import style
from .base import Plot

#: The loss axis of the training explorer, fixed over every setting of its sliders. Over α 0.01–10,
#: every f₁, seeds 0–9 and 200 epochs the mean loss stays within 0.004–0.52, and 95 % of the runs
#: never go below 0.04: this range gives their curves most of the height. Values beyond it sit on
#: its edge and the panel says so.
LOSS_RANGE = (0.01, 0.6)

_CLASSES = (style.COLORS["class 0"], style.COLORS["class 1"])
#: The predicted class as shading: each class's colour, faded towards white.
_SHADES = ListedColormap([0.35 * np.array(to_rgb(c)) + 0.65 for c in _CLASSES])
_SHADE_NORM = BoundaryNorm([-0.5, 0.5, 1.5], 2)


class _ClassPlane:
    """The class a net predicts over the plane around X (shaded, an image) and the training
    points coloured by their true class (static: the data does not change)."""

    def __init__(self, ax, X, Y, resolution=120):
        self.X, self.labels = X, Y.argmax(axis=1)
        low, high = X.min(axis=0) - 0.5, X.max(axis=0) + 0.5
        g1, g2 = np.meshgrid(np.linspace(low[0], high[0], resolution),
                             np.linspace(low[1], high[1], resolution))
        self.grid, self.shape = np.column_stack([g1.ravel(), g2.ravel()]), g1.shape
        self.image = ax.imshow(np.zeros(self.shape), origin="lower", cmap=_SHADES, norm=_SHADE_NORM,
                               interpolation="nearest", extent=(low[0], high[0], low[1], high[1]))
        self.points = [ax.scatter(*X[self.labels == label].T, s=28, color=color, zorder=3,
                                  edgecolors=style.BLACK, linewidths=0.6)
                       for label, color in enumerate(_CLASSES)]
        ax.set_xlabel("x₁")
        ax.set_ylabel("x₂")
        ax.grid(False)

    def show(self, predict):
        """Shade the plane by `predict` (a batch (n, 2) → outputs (n, classes)); returns the
        training accuracy."""
        self.image.set_data(predict(self.grid).argmax(axis=1).reshape(self.shape))
        return float(np.mean(predict(self.X).argmax(axis=1) == self.labels))


def _class_key(figure, image, axes, **legend):
    """The colour key of the class planes `axes`: a colour bar for the shading (the class
    predicted) and a legend for the points (the true class), placed by `legend`."""
    bar = style.colorbar(figure, image, axes, "predicted class")
    bar.set_ticks([0, 1])
    for ax in axes:  # every plane shares the bar's colours
        ax.images[0].colorbar = bar
    points = [Line2D([], [], ls="", marker="o", ms=7, color=color, mec=style.BLACK, mew=0.6,
                     label=f"true class {label}") for label, color in enumerate(_CLASSES)]
    figure.legend(handles=points, ncols=2, frameon=False, handletextpad=0.1, columnspacing=1.0,
                  **legend)


class TrainingPlot(Plot):
    """Left: the training loss by epoch (log scale, fixed ranges). Right: the class the net
    predicts over the plane (shaded) and the training points (coloured by their true class)."""

    def __init__(self, X, Y, epochs):
        super().__init__(height=3.9)
        self.ax_loss, ax_plane = self.figure.subplots(1, 2, width_ratios=[1, 1.25])
        ax = self.ax_loss
        ax.set_yscale("log")
        ax.set_ylim(*LOSS_RANGE)
        ax.set_xlim(0, epochs + max(1, 0.03 * epochs))  # room for the last epoch's dot
        ax.set_xlabel("epoch")
        ax.set_ylabel("training loss (log scale)")
        style.integer_ticks(ax.xaxis)
        self.loss = self.moves(ax.plot([], [], "-", color=style.COLORS["reference"])[0])
        self.last = self.moves(ax.plot([], [], "o", color=style.COLORS["reference"])[0])  # seen at 1 epoch
        self.beyond = self.moves(ax.text(0.97, 0.5, "", transform=ax.transAxes, ha="right",
                                         va="center"))
        self.plane = _ClassPlane(ax_plane, X, Y)
        for artist in (self.plane.image, *self.plane.points):  # the points over the shading
            self.moves(artist)
        _class_key(self.figure, self.plane.image, [ax_plane], loc="lower center",
                   bbox_to_anchor=(0.5, 1.0), bbox_transform=ax_plane.transAxes)

    def update(self, predict, losses, label):
        """Show a run: `predict` the trained net's batch forward, `losses` its mean loss per epoch,
        `label` what the run was (the summary's start)."""
        losses = np.asarray(losses, dtype=float)
        low, high = LOSS_RANGE
        epochs = np.arange(1, len(losses) + 1)
        shown = np.clip(losses, low, high)
        self.loss.set_data(epochs, shown)
        self.last.set_data(epochs[-1:], shown[-1:])
        notes = [f"{what} from epoch {epochs[where][0]}" for what, where in (
            (f"above {high:g}", losses > high), (f"below {low:g}", losses < low),
            ("not a number", ~np.isfinite(losses))) if where.any()]
        self.beyond.set_text("\n".join(notes))
        self.beyond.set_y(0.12 if (losses < low).any() else 0.88)
        accuracy = self.plane.show(predict)
        self.summary = (f"{label}: mean loss of epoch 1 {losses[0]:.3g} → of epoch {len(losses)} "
                        f"{losses[-1]:.3g}, "
                        f"training accuracy {accuracy:.0%}")
        return self


def training_figure(predict, X, Y, losses, label="training"):
    """The training figure of one run (the explorer's `TrainingPlot`, its epoch axis as long as
    the run). predict maps a batch of points (n, 2) to the net's outputs (n, classes), e.g.
    SlideNet.predict."""
    return TrainingPlot(X, Y, epochs=len(losses)).update(predict, losses, label)


def boundaries_figure(predictors, X, Y, label=""):
    """One panel per model: the class each predictor ({name: predict}) gives the plane (shaded),
    and the training points; each panel's title gives the training accuracy. A `Plot` with
    nothing that moves; its summary is `label`."""
    plot = Plot(height=3.5)
    axes = plot.figure.subplots(1, len(predictors), squeeze=False)[0]
    for ax, (name, predict) in zip(axes, predictors.items(), strict=True):
        accuracy = _ClassPlane(ax, X, Y).show(predict)
        ax.set_title(f"{name}\naccuracy {accuracy:.0%}")
    _class_key(plot.figure, axes[0].images[0], list(axes), loc="outside lower center")
    plot.summary = label
    return plot
