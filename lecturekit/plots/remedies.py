"""Training histories of the remedies, clipping and penalties (notebook 06)."""

import numpy as np

from ..style import NEGATIVE, POSITIVE
from .base import LectureFigure, loss_curves

#: 06's remedies (the names of experiments.remedies), one fixed colour each, in every figure.
REMEDY_COLORS = {"baseline": "#1f77b4", "1. fewer layers (3)": "#ff7f0e", "2. ReLU + He init": "#2ca02c",
                 "3. clip norm 0.1": "#e377c2", "3. clip norm 1": "#d62728", "3. clip norm 10": "#9467bd",
                 "3. clip value 0.5": "#bcbd22", "4. L2 λ = 0.3": "#8c564b", "4. L1 λ = 0.1": "#17becf"}


def histories_figure(histories, title="", loss_top=None, colors=None):
    """Training loss (left) and the first layer's gradient norm (right) by step, one line per run;
    a run that diverged ends in an ✕ at that step. With `loss_top`, the loss axis stops there and
    an ✕ above it is drawn on the top edge (the legend says so). `colors` maps run names to fixed
    colours (e.g. REMEDY_COLORS)."""
    fig = LectureFigure(figsize=(11, 3.8), layout="constrained")
    ax_loss, ax_grad = fig.subplots(1, 2)
    colors = loss_curves(ax_loss, histories, palette=colors)
    if loss_top is not None:
        highest = max((np.max(h.loss) for h in histories.values() if len(h.loss)), default=0.0)
        off_axis = False
        for line in ax_loss.lines:
            if line.get_marker() == "x" and line.get_ydata()[0] > loss_top:
                line.set_ydata([loss_top])
                line.set_clip_on(False)
                off_axis = True
        if off_axis or highest > loss_top:
            ax_loss.set_ylim(top=loss_top)
        if off_axis:
            ax_loss.plot([], [], "x", color="0.3", label=f"✕ on the top edge: diverged above {loss_top:.0e}")
    for history, color in zip(histories.values(), colors, strict=True):
        if len(history.grad_norms):
            steps = np.arange(1, len(history.loss) + 1)
            ax_grad.semilogy(steps, np.maximum(history.grad_norms[:, 0], 1e-300), color=color)
    ax_grad.set_xlabel("step")
    ax_grad.set_ylabel("‖∂L/∂W_1‖ of the first layer (log scale)")
    for ax in (ax_loss, ax_grad):
        ax.grid(True, which="both", alpha=0.3)
    ax_loss.legend(fontsize=8)
    fig.suptitle(title, fontsize=10)
    return fig


def clip_figure(gradient, threshold):
    """One 2-D gradient and its two clippings: by norm (same direction, length ≤ c) and by value
    (each entry in [−c, c]: the direction can turn)."""
    g = np.asarray(gradient, dtype=np.float64)
    norm = np.linalg.norm(g)
    by_norm = g if norm <= threshold else g * threshold / norm
    by_value = np.clip(g, -threshold, threshold)
    fig = LectureFigure(figsize=(5.4, 5.0), layout="constrained")
    ax = fig.add_subplot()
    circle = np.linspace(0, 2 * np.pi, 200)
    ax.plot(threshold * np.cos(circle), threshold * np.sin(circle), ":", color=POSITIVE,
            label=f"‖g‖ = c = {threshold:g}")
    ax.plot(threshold * np.array([-1, 1, 1, -1, -1]), threshold * np.array([-1, -1, 1, 1, -1]),
            ":", color=NEGATIVE, label="|g_i| = c")
    for vector, color, label in ((g, "0.3", "gradient g"), (by_norm, POSITIVE, "clip by norm"),
                                 (by_value, NEGATIVE, "clip by value")):
        ax.annotate("", xy=vector, xytext=(0, 0),
                    arrowprops={"arrowstyle": "->", "color": color, "lw": 2})
        ax.plot([], [], color=color, lw=2, label=f"{label} ({vector[0]:.2f}, {vector[1]:.2f})")
    reach = max(np.abs(g).max(), threshold) * 1.15
    ax.set_xlim(-reach, reach)
    ax.set_ylim(-reach, reach)
    ax.set_aspect("equal")
    ax.axhline(0, color="0.8", lw=0.8)
    ax.axvline(0, color="0.8", lw=0.8)
    ax.set_xlabel("g₁")
    ax.set_ylabel("g₂")
    ax.legend(fontsize=8, loc="lower left")
    turn = np.degrees(np.arctan2(by_value[1], by_value[0]) - np.arctan2(g[1], g[0]))
    fig.suptitle(f"clip by norm keeps the direction; clip by value turns it by {abs(turn):.1f}°",
                 fontsize=10)
    return fig


def weights_figure(nets, title=""):
    """Histograms of all weights of each net, with the share of weights within 1e-3 of zero."""
    fig = LectureFigure(figsize=(11, 3.6), layout="constrained")
    axes = fig.subplots(1, len(nets), sharex=True, sharey=True, squeeze=False)[0]
    for ax, (label, net) in zip(axes, nets.items(), strict=True):
        weights = np.concatenate([w.ravel() for name, w in net.params.items() if name.endswith("W")])
        near_zero = np.mean(np.abs(weights) < 1e-3)
        ax.hist(weights, bins=np.linspace(-1.5, 1.5, 61), color=POSITIVE)
        ax.set_title(f"{label}\n|w| < 1e-3: {near_zero:.0%},  ‖w‖ = {np.linalg.norm(weights):.2f}",
                     fontsize=9)
        ax.set_xlabel("weight value")
        ax.set_ylabel("number of weights")
    fig.suptitle(title, fontsize=10)
    return fig

