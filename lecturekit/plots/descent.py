"""Gradient descent on a bowl: paths and loss by step (notebook 02)."""

import numpy as np

from ..style import NEGATIVE
from .base import LectureFigure


def _loss_by_step(ax, problem, path):
    gap = path.losses - problem.loss(problem.minimum)
    ax.semilogy(np.arange(len(gap)), np.maximum(gap, 1e-16), "o-", ms=3)
    ax.set_xlabel("step t")
    ax.set_ylabel("L(w(t)) − L(w*)  (log scale)")
    ax.grid(True, which="both", alpha=0.3)


def _draw_path(ax, points, learning_rate, ms, note_at=(0.5, 0.92)):
    """Every step of a descent path, (steps + 1, 2) points in the axes' coordinates.

    Nothing is dropped: the axes clip segments at their edges, and where a step leaves the
    window a cross marks the edge, with the step's number at the first one.
    """
    ax.plot(*points.T, "o-", color=NEGATIVE, ms=ms, lw=1, label=f"w(t), α = {learning_rate:g}")
    lows, highs = np.array([ax.get_xlim(), ax.get_ylim()]).T
    inside = np.all((points >= lows) & (points <= highs), axis=1)
    exits = [(step, _edge_point(points[step - 1], points[step], lows, highs))
             for step in range(1, len(points)) if inside[step - 1] and not inside[step]]
    for i, (step, edge) in enumerate(exits):
        ax.plot(*edge, "X", color="black", ms=9, zorder=4,
                label="the path leaves the window" if i == 0 else None)
        if i == 0:
            ax.annotate(f"step {step}: off the plot", edge, xytext=note_at,
                        textcoords="axes fraction", ha="center", fontsize=9,
                        bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "0.6"},
                        arrowprops={"arrowstyle": "->", "color": "0.3"})


def _edge_point(start, end, lows, highs):
    """Where the segment start → end (start inside the box lows–highs) crosses the box's edge."""
    direction = end - start
    fraction = 1.0
    for k in range(2):
        for bound in (lows[k], highs[k]):
            if (end[k] - bound) * (start[k] - bound) < 0:
                fraction = min(fraction, (bound - start[k]) / direction[k])
    return start + fraction * direction


def descent_1d_figure(problem, path, w_range=(-3.0, 9.0)):
    """Left: the loss curve L(w) with the steps of gradient descent. Right: loss by step."""
    fig = LectureFigure(figsize=(10, 3.8), layout="constrained")
    ax, ax_steps = fig.subplots(1, 2, width_ratios=[1.4, 1])
    w = np.linspace(*w_range, 400)
    ax.plot(w, [problem.loss([value]) for value in w], color="0.4", label="L(w)")
    ax.axvline(problem.minimum[0], color="0.6", ls=":", label="minimum w*")
    ax.set_xlabel("w")
    ax.set_ylabel("loss L(w)")
    ax.set_xlim(*w_range)
    ax.set_ylim(0, problem.loss([w_range[1]]) * 1.05)
    _draw_path(ax, np.column_stack([path.weights[:, 0], path.losses]), path.learning_rate, ms=4,
               note_at=(0.5, 0.55))
    ax.legend(loc="upper center", fontsize=8)
    _loss_by_step(ax_steps, problem, path)
    fig.suptitle(f"α = {path.learning_rate:g}: {path.message}", fontsize=10)
    return fig


def descent_2d_figure(problem, path, limits=((-3.0, 4.0), (-3.5, 3.0))):
    """Left: contours of L(w₁, w₂) with the path of gradient descent. Right: loss by step."""
    fig = LectureFigure(figsize=(10, 4.2), layout="constrained")
    ax, ax_steps = fig.subplots(1, 2, width_ratios=[1.2, 1])
    g1, g2 = np.meshgrid(np.linspace(*limits[0], 120), np.linspace(*limits[1], 120))
    offsets = np.stack([g1, g2], axis=-1) - problem.minimum
    grid = 0.5 * np.einsum("...i,ij,...j->...", offsets, problem.curvature, offsets)
    ax.contour(g1, g2, grid, levels=np.geomspace(0.05, grid.max(), 14), cmap="viridis",
               linewidths=0.8)
    ax.plot(*problem.minimum, "*", color="black", ms=12, label="minimum w*")
    ax.set_xlim(*limits[0])
    ax.set_ylim(*limits[1])
    _draw_path(ax, path.weights, path.learning_rate, ms=3)
    ax.set_aspect("equal")
    ax.set_xlabel("w₁")
    ax.set_ylabel("w₂")
    ax.legend(loc="lower left", fontsize=8)
    _loss_by_step(ax_steps, problem, path)
    fig.suptitle(f"α = {path.learning_rate:g}: {path.message}", fontsize=10)
    return fig

