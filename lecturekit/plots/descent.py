"""Gradient descent on a bowl: the path over the loss, and the loss by step (notebook 02)."""

import numpy as np
from matplotlib.colors import LogNorm

from .. import style
from .base import Plot, sup

#: The loss-by-step panel's fixed range: below it a run has converged, above it diverged.
GAP_RANGE = (1e-12, 1e8)


class _PathArtists:
    """Every step of a descent path on `ax`, with fixed limits. Nothing is dropped: the axes clip
    segments at their edges, and where a step leaves the window a ✕ marks the edge, with the
    step's number at the first one. After the first exit the path is drawn faint, so a diverging
    run's long jumps across the window do not hide what lies under them."""

    def __init__(self, plot, ax, note_at):
        self.ax = ax
        self.line = plot.moves(ax.plot([], [], "o-", color=style.COLORS["path"], ms=5, lw=1.5,
                                       label="w(t)")[0])
        self.after = plot.moves(ax.plot([], [], "-", color=style.COLORS["path"], lw=1, alpha=0.3)[0])
        self.exits = plot.moves(ax.plot([], [], "X", color=style.BLACK, ms=11, zorder=4,
                                        label="leaves the plot")[0])
        self.note = plot.moves(ax.annotate(
            "", (0, 0), xytext=note_at, textcoords="axes fraction", ha="center", zorder=5,
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "0.6"},
            arrowprops={"arrowstyle": "->", "color": "0.3"}))

    def show(self, points):
        """Draw `points`, (steps + 1, 2) in the axes' coordinates."""
        lows, highs = np.array([self.ax.get_xlim(), self.ax.get_ylim()]).T
        inside = np.all((points >= lows) & (points <= highs), axis=1)
        exits = [(step, _edge_point(points[step - 1], points[step], lows, highs))
                 for step in range(1, len(points)) if inside[step - 1] and not inside[step]]
        first = exits[0][0] if exits else len(points)
        self.line.set_data(*points[:first + 1].T)
        self.after.set_data(*points[first:].T)
        self.exits.set_data(*np.reshape([edge for _, edge in exits], (-1, 2)).T)
        self.note.set_visible(bool(exits))
        if exits:
            self.note.xy = exits[0][1]
            self.note.set_text(f"step {first}: off the plot")


def _edge_point(start, end, lows, highs):
    """Where the segment start → end (start inside the box lows–highs) crosses the box's edge."""
    direction = end - start
    fraction = 1.0
    for k in range(2):
        for bound in (lows[k], highs[k]):
            if (end[k] - bound) * (start[k] - bound) < 0:
                fraction = min(fraction, (bound - start[k]) / direction[k])
    return start + fraction * direction


def _same(problem, other):
    return other is not None and all(np.array_equal(a, b) for a, b in (
        (problem.curvature, other.curvature), (problem.minimum, other.minimum)))


class _DescentPlot(Plot):
    """A path panel on the left and L(w(t)) − L(w*) by step on the right (log scale, fixed range;
    points beyond it sit on its edge, and the panel says so)."""

    def __init__(self, width_ratios):
        super().__init__(height=3.7)
        self.ax, self.ax_steps = self.figure.subplots(1, 2, width_ratios=width_ratios)
        self.figure.get_layout_engine().set(wspace=0.08)  # room between colour bar and next panel
        ax = self.ax_steps
        ax.set_yscale("log")
        ax.set_ylim(*GAP_RANGE)
        ax.set_xlabel("step t")
        ax.set_ylabel("L(w(t)) − L(w*)")
        style.integer_ticks(ax.xaxis)
        self.gap = self.moves(ax.plot([], [], "o-", ms=4, lw=1.5, color=style.COLORS["path"])[0])
        self.beyond = self.moves(ax.text(0.97, 0.5, "", transform=ax.transAxes, ha="right",
                                         va="center", color=style.BLACK))
        self.stop = self.moves(ax.plot([], [], "X", ms=11, color=style.BLACK, zorder=4)[0])
        self.steps = None

    def show_steps(self, problem, path, steps):
        gap = path.losses - problem.loss(problem.minimum)
        if steps != self.steps:  # the step axis spans the run the slider asks for
            self.steps = steps
            self.ax_steps.set_xlim(-0.02 * steps - 0.5, steps * 1.02 + 0.5)
        low, high = GAP_RANGE
        self.gap.set_data(np.arange(len(gap)), np.clip(gap, low, high))
        # Points beyond the range sit on its edge; the panel says from which step on.
        below, above = np.flatnonzero(gap < low), np.flatnonzero(gap > high)
        notes = [f"t ≥ {above[0]}: above 10{sup(int(np.log10(high)))}"] if len(above) else []
        notes += [f"t ≥ {below[0]}: below 10{sup(int(np.log10(low)))}"] if len(below) else []
        stopped = path.stopped_at is not None
        if stopped:  # the step that blew up: not part of the path, but drawn and named
            step, loss = path.stopped_at
            jump = loss - problem.loss(problem.minimum)
            self.stop.set_data([step], [np.clip(jump, low, high)])
            notes.append(f"✕ t = {step}: {jump:.2g}, stopped")
        self.stop.set_visible(stopped)
        self.beyond.set_text("\n".join(notes))
        self.beyond.set_y(0.88 if len(below) else 0.12)  # the corner such a run leaves empty
        self.summary = f"α = {path.learning_rate:g}: {path.message}"


class Descent1DPlot(_DescentPlot):
    """Left: the loss L(w) with the steps of gradient descent. Right: the loss by step."""

    W_RANGE = (-3.0, 9.0)

    def __init__(self):
        super().__init__(width_ratios=[1.3, 1])
        ax = self.ax
        ax.set_xlim(*self.W_RANGE)
        ax.set_xlabel("w")
        ax.set_ylabel("loss L(w)")
        self.bowl = ax.plot([], [], color=style.COLORS["reference"], label="L(w)")[0]
        self.path = _PathArtists(self, ax, note_at=(0.5, 0.55))
        self.figure.legend(loc="outside upper center", ncols=3)  # above the data, which moves
        self.problem = None

    def update(self, problem, path, steps):
        if not _same(problem, self.problem):  # a new bowl: draw it, fit the loss axis to it
            self.problem = problem
            w = np.linspace(*self.W_RANGE, 400)
            losses = [problem.loss([value]) for value in w]
            self.bowl.set_data(w, losses)
            self.ax.set_ylim(0, max(losses) * 1.05)
        self.path.show(np.column_stack([path.weights[:, 0], path.losses]))
        self.show_steps(problem, path, steps)
        return self


class Descent2DPlot(_DescentPlot):
    """Left: contours of L(w₁, w₂) with the path of gradient descent. Right: the loss by step."""

    LIMITS = ((-3.0, 4.0), (-5.5, 3.0))  # every path with α ≤ 0.2 stays inside (its lowest w₂ is −4.99)
    LEVELS = np.geomspace(0.05, 500, 9)

    def __init__(self):
        super().__init__(width_ratios=[1.25, 1])
        ax = self.ax
        ax.set_xlim(*self.LIMITS[0])
        ax.set_ylim(*self.LIMITS[1])
        ax.set_aspect("equal")
        ax.set_xlabel("w₁")
        ax.set_ylabel("w₂")
        self.path = _PathArtists(self, ax, note_at=(0.5, 0.92))
        # Moving, so it is drawn over the path that converges onto it.
        self.minimum = self.moves(ax.plot([], [], "*", color=style.BLACK, mec="white", ms=16, zorder=6,
                                          label="minimum w*")[0])
        self.figure.legend(loc="outside upper center", ncols=3)  # above the data, which moves
        self.problem = self.contours = self.colorbar = None

    def update(self, problem, path, steps):
        if not _same(problem, self.problem):  # a new valley: contours, colour bar, minimum
            self.problem = problem
            self._draw_valley(problem)
        self.path.show(path.weights)
        self.show_steps(problem, path, steps)
        return self

    def _draw_valley(self, problem):
        if self.contours is not None:
            self.contours.remove()
        g1, g2 = np.meshgrid(np.linspace(*self.LIMITS[0], 120), np.linspace(*self.LIMITS[1], 120))
        offsets = np.stack([g1, g2], axis=-1) - problem.minimum
        grid = 0.5 * np.einsum("...i,ij,...j->...", offsets, problem.curvature, offsets)
        grid = np.maximum(grid, self.LEVELS[0] / 10)  # w* itself may be a grid point: log needs > 0
        # The same levels for every valley, so a colour means the same loss in each.
        self.contours = self.ax.contour(g1, g2, grid, levels=self.LEVELS, linewidths=1.2,
                                        norm=LogNorm(self.LEVELS[0], self.LEVELS[-1]))
        if self.colorbar is None:
            self.colorbar = style.colorbar(self.figure, self.contours, self.ax, "L(w) − L(w*)")
        else:
            self.colorbar.update_normal(self.contours)
            self.contours.colorbar = self.colorbar
        self.minimum.set_data(*np.reshape(problem.minimum, (2, 1)))


def descent_1d_figure(problem, path):
    """The 1-D descent figure for one run (the explorer's `Descent1DPlot`)."""
    return Descent1DPlot().update(problem, path, len(path.losses) - 1)


def descent_2d_figure(problem, path):
    """The 2-D descent figure for one run (the explorer's `Descent2DPlot`)."""
    return Descent2DPlot().update(problem, path, len(path.losses) - 1)
