"""The slides' 2-3-2 network drawn with its values (notebook 01)."""

import numpy as np

from ..style import NEGATIVE, POSITIVE
from .base import LectureFigure, sub


def network_figure(net, forward, y=None):
    """The 2-3-2 net drawn as on the slides: node values (x; s, h; z, ŷ) and edge weights (v, w).

    Blue edges are positive weights, red negative; thicker means larger |weight|.
    """
    n_in, n_hidden = net.v.shape
    n_out = net.w.shape[1]
    fig = LectureFigure(figsize=(8.5, 4.6), layout="constrained")
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
                ax.text(*label_at, f"{letter}{sub(i + 1)}{sub(k + 1)}={value:.2f}", fontsize=7.5,
                        ha="center", va="center", zorder=3,
                        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none"})

    node_text = {
        "x": [f"x{sub(i + 1)}={forward.x[i]:.2f}" for i in range(n_in)],
        "h": [f"s{sub(k + 1)}={forward.s[k]:.2f}\nh{sub(k + 1)}={forward.h[k]:.2f}"
              for k in range(n_hidden)],
        "y": [f"z{sub(j + 1)}={forward.z[j]:.2f}\nŷ{sub(j + 1)}={forward.y_hat[j]:.2f}"
              + (f"\ny{sub(j + 1)}={y[j]:.2f}" if y is not None else "") for j in range(n_out)],
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

