"""Loss landscapes with and without skip connections (notebook 08)."""

import numpy as np

from .base import LectureFigure


def landscape_figure(grids, title=""):
    """Each net's loss landscape as a contour (top) and a 3-D surface (bottom), side by side.

    grids: {label: Landscape} (lecturekit.landscape). Colours and heights show log₁₀ loss on one
    scale shared by all panels (the same colour limits and z-limits), cut 4 decades above the lowest
    point; the share of negative curvature in each title is
    measured on the loss itself (not its log). The red + is the trained net (the centre), the
    white × the lowest point of the slice.
    """
    fig = LectureFigure(figsize=(11, 8.4), layout="constrained")
    logs = {}
    for label, grid in grids.items():
        with np.errstate(invalid="ignore"):
            finite = np.where(np.isfinite(grid.losses), grid.losses, np.inf)  # a NaN loss drawn as the top
        logs[label] = np.log10(np.maximum(finite, 1e-12))
    low = min(v.min() for v in logs.values())
    high = max(min(v.max(), low + 4) for v in logs.values())  # 4 decades is plenty to see shape
    levels = np.linspace(low, high, 25)
    for column, (label, grid) in enumerate(grids.items()):
        values = np.minimum(logs[label], high)
        ax = fig.add_subplot(2, len(grids), column + 1)
        filled = ax.contourf(grid.alphas, grid.betas, values, levels=levels, cmap="viridis")
        ax.contour(grid.alphas, grid.betas, values, levels=levels, colors="white", linewidths=0.3)
        ax.plot(0, 0, "+", color="red", ms=12, mew=2, label=f"trained net: loss {grid.trained_loss:.3g}")
        lowest, a_low, b_low = grid.lowest()
        ax.plot(a_low, b_low, "x", color="white", ms=8, mew=2, label=f"lowest point: loss {lowest:.3g}")
        ax.legend(fontsize=8, loc="lower left", framealpha=0.8)
        ax.set_title(f"{label}: negative curvature (of the loss) at {grid.share:.0%} of points", fontsize=10)
        ax.set_xlabel("α (direction 1)")
        ax.set_ylabel("β (direction 2)")
        ax_3d = fig.add_subplot(2, len(grids), len(grids) + column + 1, projection="3d")
        a, b = np.meshgrid(grid.alphas, grid.betas)
        ax_3d.plot_surface(a, b, values, cmap="viridis", vmin=low, vmax=high, linewidth=0)
        ax_3d.set_zlim(low, high)  # one height scale for every panel, as the colours
        ax_3d.set_xlabel("α")
        ax_3d.set_ylabel("β")
        ax_3d.set_zlabel("log10 loss (cut at 4 decades)")
    fig.colorbar(filled, ax=fig.axes[0::2] if len(grids) > 1 else fig.axes[0],
                 label="log10 loss (drawn); the curvature share uses the loss itself", shrink=0.6)
    fig.suptitle(title, fontsize=10)
    return fig


def landscape_trend_figure(depths, shares, title=""):
    """Share of grid points with negative curvature at each measured depth, one colour per kind of
    net: every seed as a dot, a seed's dots joined by a thin line (the same seed at each depth: a
    paired comparison), and the median as a bar. Only the depths given are measured: nothing is
    drawn between them but the per-seed pairs.

    shares: {label: array (len(depths), seeds)} in percent.
    """
    fig = LectureFigure(figsize=(6.5, 4), layout="constrained")
    ax = fig.add_subplot()
    offsets = np.linspace(-0.15, 0.15, len(shares)) * (max(depths) - min(depths)) / max(len(depths), 2)
    for (label, values), color, offset in zip(shares.items(), ("C3", "C0"), offsets, strict=False):
        values = np.asarray(values, dtype=np.float64)
        x = np.asarray(depths, dtype=np.float64) + offset
        for seed_index in range(values.shape[1]):  # one seed: its dots, joined
            ax.plot(x, values[:, seed_index], "o-", color=color, lw=0.7, ms=4, alpha=0.6,
                    label=f"{label}: one seed (a line joins its depths)" if seed_index == 0 else None)
        ax.plot(x, np.median(values, axis=1), "_", color=color, ms=22, mew=3,
                label=f"{label}: median of {values.shape[1]} seeds")
    ax.set_xticks(depths)
    ax.set_ylim(0, 100)
    ax.set_xlabel("depth (weight layers); only these depths are measured")
    ax.set_ylabel("grid points with negative curvature (%)")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
    ax.set_title(title, fontsize=10)
    return fig

