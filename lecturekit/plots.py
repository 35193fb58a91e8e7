"""Pure figure builders: data in, a matplotlib Figure out.

No pyplot state: each function makes its own `Figure`, so a notebook cell that ends with one
shows it, and a widget callback can display it without touching other figures. Labels are in
English (they must render on machines without CJK fonts).
"""

import numpy as np
from matplotlib.figure import Figure

POSITIVE, NEGATIVE = "#1f77b4", "#d62728"


def network_figure(net, forward, y=None):
    """The 2-3-2 net drawn as on the slides: node values (x; s, h; z, ŷ) and edge weights (v, w).

    Blue edges are positive weights, red negative; thicker means larger |weight|.
    """
    n_in, n_hidden = net.v.shape
    n_out = net.w.shape[1]
    fig = Figure(figsize=(8.5, 4.6), layout="constrained")
    ax = fig.add_subplot()
    ax.set_axis_off()
    columns = {"x": (0.0, n_in), "h": (1.0, n_hidden), "y": (2.0, n_out)}
    place = {name: [(col, (count - 1) / 2 - i) for i in range(count)]
             for name, (col, count) in columns.items()}
    half_height = (max(n_in, n_hidden, n_out) - 1) / 2
    scale = max(np.abs(net.v).max(), np.abs(net.w).max(), 1e-12)

    for weights, source, target, letter in ((net.v, "x", "h", "v"), (net.w, "h", "y", "w")):
        for i, start in enumerate(place[source]):
            for k, end in enumerate(place[target]):
                value = weights[i, k]
                ax.plot(*zip(start, end, strict=True), color=POSITIVE if value >= 0 else NEGATIVE,
                        lw=0.5 + 3.0 * abs(value) / scale, alpha=0.75, zorder=1)
                along = 0.2 + 0.2 * k  # staggered, so labels of crossing edges do not overlap
                label_at = np.add(np.multiply(start, 1 - along), np.multiply(end, along))
                ax.text(*label_at, f"${letter}_{{{i + 1}{k + 1}}}$={value:.2f}", fontsize=7.5,
                        ha="center", va="center", zorder=3,
                        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none"})

    node_text = {
        "x": [f"$x_{i + 1}$={forward.x[i]:.2f}" for i in range(n_in)],
        "h": [f"$s_{k + 1}$={forward.s[k]:.2f}\n$h_{k + 1}$={forward.h[k]:.2f}"
              for k in range(n_hidden)],
        "y": [f"$z_{j + 1}$={forward.z[j]:.2f}\n$\\hat{{y}}_{j + 1}$={forward.y_hat[j]:.2f}"
              + (f"\n$y_{j + 1}$={y[j]:.2f}" if y is not None else "") for j in range(n_out)],
    }
    for name, points in place.items():
        for (col, row), text in zip(points, node_text[name], strict=True):
            ax.text(col, row, text, ha="center", va="center", fontsize=9, zorder=4,
                    bbox={"boxstyle": "circle,pad=0.35", "fc": "#f7f7f7", "ec": "0.3"})
    for col, title in ((0, "input x"), (1, f"hidden h = f1(s), f1 = {net.f1.name}"),
                       (2, f"output ŷ = f2(z), f2 = {net.f2.name}")):
        ax.text(col, half_height + 0.75, title, ha="center", fontsize=9)
    ax.set_xlim(-0.35, 2.35)
    ax.set_ylim(-half_height - 0.6, half_height + 0.95)
    return fig


def _loss_by_step(ax, problem, path):
    gap = path.losses - problem.loss(problem.minimum)
    ax.semilogy(np.arange(len(gap)), np.maximum(gap, 1e-16), "o-", ms=3)
    ax.set_xlabel("step t")
    ax.set_ylabel("L(w(t)) − L(w*)  (log scale)")
    ax.grid(True, which="both", alpha=0.3)


def descent_1d_figure(problem, path, w_range=(-3.0, 9.0)):
    """Left: the loss curve L(w) with the steps of gradient descent. Right: loss by step."""
    fig = Figure(figsize=(10, 3.8), layout="constrained")
    ax, ax_steps = fig.subplots(1, 2, width_ratios=[1.4, 1])
    w = np.linspace(*w_range, 400)
    ax.plot(w, [problem.loss([value]) for value in w], color="0.4", label="L(w)")
    shown = path.weights[:, 0]
    inside = (shown >= w_range[0]) & (shown <= w_range[1])
    ax.plot(shown[inside], path.losses[inside], "o-", color=NEGATIVE, ms=4, lw=1,
            label=f"w(t), α = {path.learning_rate:g}")
    ax.axvline(problem.minimum[0], color="0.6", ls=":", label="minimum w*")
    ax.set_xlabel("w")
    ax.set_ylabel("loss L(w)")
    ax.set_xlim(*w_range)
    ax.set_ylim(0, problem.loss([w_range[1]]) * 1.05)
    ax.legend(loc="upper center", fontsize=8)
    _loss_by_step(ax_steps, problem, path)
    fig.suptitle(f"α = {path.learning_rate:g}: {path.message}", fontsize=10)
    return fig


def descent_2d_figure(problem, path, limits=((-3.0, 4.0), (-3.5, 3.0))):
    """Left: contours of L(w₁, w₂) with the path of gradient descent. Right: loss by step."""
    fig = Figure(figsize=(10, 4.2), layout="constrained")
    ax, ax_steps = fig.subplots(1, 2, width_ratios=[1.2, 1])
    g1, g2 = np.meshgrid(np.linspace(*limits[0], 120), np.linspace(*limits[1], 120))
    offsets = np.stack([g1, g2], axis=-1) - problem.minimum
    grid = 0.5 * np.einsum("...i,ij,...j->...", offsets, problem.curvature, offsets)
    ax.contour(g1, g2, grid, levels=np.geomspace(0.05, grid.max(), 14), cmap="viridis",
               linewidths=0.8)
    inside = np.all((path.weights >= [limits[0][0], limits[1][0]])
                    & (path.weights <= [limits[0][1], limits[1][1]]), axis=1)
    ax.plot(*path.weights[inside].T, "o-", color=NEGATIVE, ms=3, lw=1,
            label=f"w(t), α = {path.learning_rate:g}")
    ax.plot(*problem.minimum, "*", color="black", ms=12, label="minimum w*")
    ax.set_xlim(*limits[0])
    ax.set_ylim(*limits[1])
    ax.set_aspect("equal")
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")
    ax.legend(loc="lower left", fontsize=8)
    _loss_by_step(ax_steps, problem, path)
    fig.suptitle(f"α = {path.learning_rate:g}: {path.message}", fontsize=10)
    return fig


def loss_curve_figure(losses, title="", ylabel="mean SSE loss per epoch"):
    """Training loss by epoch, on a log scale."""
    fig = Figure(figsize=(6.5, 3.6), layout="constrained")
    ax = fig.add_subplot()
    ax.semilogy(np.arange(1, len(losses) + 1), losses)
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    return fig


def training_figure(predict, X, Y, losses, title=""):
    """Left: the training loss by epoch. Right: the class the net predicts over the plane
    (shaded) and the training points (coloured by their true class)."""
    fig = Figure(figsize=(10, 3.8), layout="constrained")
    ax_loss, ax_plane = fig.subplots(1, 2)
    ax_loss.semilogy(np.arange(1, len(losses) + 1), losses)
    ax_loss.set_xlabel("epoch")
    ax_loss.set_ylabel("mean SSE loss (log scale)")
    ax_loss.grid(True, which="both", alpha=0.3)
    lo, hi = X.min(axis=0) - 0.5, X.max(axis=0) + 0.5
    g1, g2 = np.meshgrid(np.linspace(lo[0], hi[0], 80), np.linspace(lo[1], hi[1], 80))
    grid = np.column_stack([g1.ravel(), g2.ravel()])
    predicted = np.array([np.argmax(predict(point)) for point in grid]).reshape(g1.shape)
    ax_plane.contourf(g1, g2, predicted, levels=[-0.5, 0.5, 1.5], colors=["#cfe2f3", "#f4cccc"])
    labels = Y.argmax(axis=1)
    for label, color in ((0, POSITIVE), (1, NEGATIVE)):
        ax_plane.scatter(*X[labels == label].T, s=14, color=color, label=f"class {label}")
    ax_plane.set_xlabel("$x_1$")
    ax_plane.set_ylabel("$x_2$")
    ax_plane.legend(loc="upper right", fontsize=8)
    accuracy = np.mean([np.argmax(predict(x)) for x in X] == labels)
    ax_plane.set_title(f"predicted class (shaded); training accuracy {accuracy:.0%}", fontsize=10)
    fig.suptitle(title, fontsize=10)
    return fig
