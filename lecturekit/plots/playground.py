"""Notebook 10's playground figures: the class plane (with pixel → data coordinates for clicks)
and the training curves of one or two playgrounds (A and B)."""

import numpy as np
from matplotlib.colors import to_rgb

from .. import style
from .base import Plot

#: One colour per class, the same in every view (Okabe & Ito).
CLASS_COLORS = (style.BLUE, style.ORANGE, style.GREEN, style.PURPLE, style.SKY_BLUE)

def plane_extent(X):
    """The square (−e, e, −e, e) the class plane shows: every point, with a margin."""
    edge = max(1.6, float(np.abs(X).max()) + 0.3)
    return (-edge, edge, -edge, edge)


class PlanePlot(Plot):
    """The class the net predicts over the plane (shaded: the deeper, the surer) and the points
    coloured by their class. Built once per set of points' extent; `update` redraws both."""

    def __init__(self, X, resolution=80, title=""):
        super().__init__(width=4.2, height=3.9)
        self.ax = ax = self.figure.add_subplot()
        self.extent = plane_extent(X)
        edge = self.extent[1]
        g = np.linspace(-edge, edge, resolution)
        g1, g2 = np.meshgrid(g, g)
        self.grid, self.shape = np.column_stack([g1.ravel(), g2.ravel()]), g1.shape
        self.image = self.moves(ax.imshow(np.ones((*self.shape, 3)), origin="lower", extent=self.extent,
                                          interpolation="bilinear"))
        self.points = self.moves(ax.scatter([], [], s=26, edgecolors=style.BLACK, linewidths=0.6, zorder=3))
        ax.set_xlim(-edge, edge)
        ax.set_ylim(-edge, edge)
        ax.set_aspect("equal")
        ax.set_xlabel("x₁")
        ax.set_ylabel("x₂")
        ax.set_title(title)
        ax.grid(False)

    def update(self, pg):
        """Shade by pg's predictions and draw its points; returns self."""
        p = pg.probabilities(self.grid)
        colors = np.array([to_rgb(c) for c in CLASS_COLORS[:pg.classes]])
        if np.isfinite(p).all():
            sure = (p.max(axis=1) - 1 / pg.classes) / (1 - 1 / pg.classes)  # 0: a guess, 1: certain
            strength = (0.15 + 0.55 * sure)[:, None]
            rgb = (1 - strength) + strength * colors[p.argmax(axis=1)]
        else:
            rgb = np.full((len(self.grid), 3), 0.85)  # the net's output blew up: grey
        self.image.set_data(rgb.reshape(*self.shape, 3))
        self.points.set_offsets(pg.X)
        self.points.set_facecolors(colors[pg.labels])
        self.summary = pg.summary()
        return self

    def to_data(self, x, y):
        """The data coordinates (x₁, x₂) of the image pixel (x, y) (y counted from the top), or
        None outside the axes."""
        self.png()  # the layout is fixed at the first full draw
        height = self.figure.bbox.height
        x1, x2 = self.ax.transData.inverted().transform((x, height - y))
        low, high = self.extent[0], self.extent[1]
        return (float(x1), float(x2)) if low <= x1 <= high and low <= x2 <= high else None


class CurvesPlot(Plot):
    """The training loss by step, the last step's ‖∂L/∂W_l‖ per layer and the share of dead units
    per hidden layer now (relu only: a leaky_relu unit keeps a nonzero slope for s < 0, so it never
    dies); one line per playground (A and B)."""

    def __init__(self):
        super().__init__(height=2.9)
        self.loss_ax, self.grad_ax, self.dead_ax = self.figure.subplots(1, 3, width_ratios=[1.3, 1, 1])
        self.loss_ax.set_xlabel("step")
        self.loss_ax.set_ylabel("loss (batch, log)")
        self.grad_ax.set_xlabel("layer")
        self.grad_ax.set_ylabel("‖∂L/∂W‖ (log)")
        self.dead_ax.set_title("dead units (relu)")
        self.dead_ax.set_xlabel("hidden layer")
        self.dead_ax.set_ylabel("dead share")
        self.dead_ax.set_ylim(-0.05, 1.05)
        self.dead_note = self.dead_ax.text(0.5, 0.5, "", transform=self.dead_ax.transAxes, ha="center",
                                           va="center", fontsize=style.SMALLEST_FONT, color=style.BLACK)
        for ax in (self.loss_ax, self.grad_ax):
            ax.set_yscale("log")
        for ax in (self.loss_ax, self.grad_ax, self.dead_ax):
            style.integer_ticks(ax.xaxis)

    def update(self, playgrounds):
        """playgrounds: {"A": Playground, "B": …}; returns self."""
        for ax in (self.loss_ax, self.grad_ax, self.dead_ax):
            for line in list(ax.lines):
                line.remove()
        undefined = []
        for (name, pg), color, marker in zip(playgrounds.items(), (style.BLACK, style.VERMILLION),
                                             ("o", "s"), strict=False):
            losses, norms = pg.history
            steps = np.arange(1, len(losses) + 1)
            self.loss_ax.plot(steps, np.maximum(losses, 1e-12), color=color, label=name, lw=1.5)
            if len(losses):
                layers = np.arange(1, norms.shape[1] + 1)
                self.grad_ax.plot(layers, np.maximum(norms[-1], 1e-300), marker=marker, color=color)
            activation = pg.setting.activation
            if activation == "leaky_relu":  # its slope for s < 0 is small but never 0: no unit dies
                slope = pg.activations[0].function.name[len("leaky_relu("):-1] if pg.activations else "> 0"
                undefined.append(f"{name}: not defined for\nleaky_relu: its slope\nis {slope}, never 0")
            elif activation != "relu":
                undefined.append(f"{name}: not defined\nfor {activation}")
            elif len(dead := pg.dead_units()):
                self.dead_ax.plot(np.arange(1, len(dead) + 1), dead, marker=marker, color=color)
        self.dead_note.set_text("\n".join(undefined))
        for ax in (self.loss_ax, self.grad_ax):
            ax.set_ylim(*log_limits([line.get_ydata() for line in ax.lines]))
        self.loss_ax.set_xlim(0, max(10, max(pg.steps for pg in playgrounds.values()) + 1))
        if len(playgrounds) > 1:
            self.loss_ax.legend(loc="upper right")
        elif self.loss_ax.get_legend():
            self.loss_ax.get_legend().remove()
        self.figure.stale = True
        return self


def log_limits(arrays):
    """y limits of a log axis that show every positive finite value and span at least 100×
    (a shorter log axis labels its minor ticks, and they crowd)."""
    values = np.concatenate([np.ravel(a) for a in arrays]) if arrays else np.array([])
    values = values[np.isfinite(values) & (values > 0)]
    if not len(values):
        return 1e-3, 10.0
    low, high = values.min() / 1.5, values.max() * 1.5
    middle = np.sqrt(low * high)
    return min(low, middle / 10), max(high, middle * 10)
