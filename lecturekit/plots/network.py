"""The slides' 2-3-2 network drawn with its values (notebook 01)."""

import numpy as np
from matplotlib.transforms import offset_copy

from .. import style
from .base import Plot, sub

#: Heights of the nodes: the hidden units at 1, 0, −1 and the inputs and outputs at ±¾. An edge's
#: label sits a third of the way from the input or output node: there the six labels of a layer
#: are evenly spaced, a third of a row apart, so none overlaps another.
ROWS = {"x": (0.75, -0.75), "h": (1.0, 0.0, -1.0), "y": (0.75, -0.75)}
COLUMNS = {"x": 0.0, "h": 1.0, "y": 2.0}
V_LABEL_AT, W_LABEL_AT = 1 / 3, 2 / 3  # the fraction of the way from the left node of the edge


def _number(value):
    return f"{value:.2f}".replace("-", "−")


class NetworkPlot(Plot):
    """The 2-3-2 net drawn as on the slides: node values (x; s, h; z, ŷ) and edge weights (v, w).

    Blue edges are positive weights, vermillion negative; thicker means larger |weight|. What a
    slider changes, the numbers in the nodes, is drawn alone over a picture of the rest; the
    edges, their labels and the column titles are redrawn only when the weights or the
    activations change.
    """

    def __init__(self):
        super().__init__(height=4.6)
        ax = self.ax = self.figure.add_subplot()
        ax.set_axis_off()
        ax.set_xlim(-0.2, 2.2)
        ax.set_ylim(-1.4, 1.76)
        place = {name: [(COLUMNS[name], row) for row in rows] for name, rows in ROWS.items()}
        self.edges, self.edge_labels = [], []
        for source, target, along in (("x", "h", V_LABEL_AT), ("h", "y", W_LABEL_AT)):
            for start in place[source]:
                for end in place[target]:
                    self.edges.append(ax.plot(*zip(start, end, strict=True), solid_capstyle="butt",
                                              zorder=1)[0])
                    label_at = np.add(np.multiply(start, 1 - along), np.multiply(end, along))
                    self.edge_labels.append(ax.text(
                        *label_at, "", ha="center", va="center", zorder=3,
                        bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none"}))
        points = np.array([point for name in ROWS for point in place[name]])
        ax.plot(*points.T, "o", ms=80, mfc="#f4f4f4", mec="0.3", mew=1.2, zorder=2)
        # Each node: its names (static, right-aligned) and its values (moving, left-aligned).
        names = {"x": ["x{}"], "h": ["s{}", "h{}"], "y": ["z{}", "ŷ{}"]}
        self.values = {}
        left_of, right_of = (offset_copy(ax.transData, self.figure, x, 0, units="points")
                             for x in (-7, -6))  # a node's names end 7 pt left of its centre
        for name, points_here in place.items():
            for index, point in enumerate(points_here):
                text = "\n".join(f"{n.format(sub(index + 1))}=" for n in names[name])
                ax.text(*point, text, transform=left_of, ha="right", va="center", zorder=4,
                        linespacing=1.3)
                self.values[name, index] = self.moves(ax.text(*point, "", transform=right_of, ha="left",
                                                              va="center", zorder=4, linespacing=1.3))
        top = max(max(rows) for rows in ROWS.values())
        self.titles = [ax.text(column, top + 0.74, "", ha="center", va="top")
                       for column in COLUMNS.values()]
        self.weights = self.activations = None

    def update(self, net, forward):
        """Draw `net` (a 2-3-2 SlideNet) with the values of `forward` (its SlideForward)."""
        if net.v.shape != (2, 3) or net.w.shape != (3, 2):
            raise ValueError(f"NetworkPlot draws a 2-3-2 net; got v {net.v.shape} and w {net.w.shape}")
        if self.weights is None or not (np.array_equal(self.weights[0], net.v)
                                        and np.array_equal(self.weights[1], net.w)):
            self.weights = net.v.copy(), net.w.copy()
            self._draw_weights(net.v, net.w)
        if self.activations != (net.f1.name, net.f2.name):
            self.activations = net.f1.name, net.f2.name
            for artist, text in zip(self.titles, ("input layer", f"hidden layer\nf₁ = {net.f1.name}",
                                                  f"output layer\nf₂ = {net.f2.name}"), strict=True):
                artist.set_text(text)
        values = {"x": [forward.x], "h": [forward.s, forward.h], "y": [forward.z, forward.y_hat]}
        for (name, index), artist in self.values.items():
            artist.set_text("\n".join(_number(array[index]) for array in values[name]))
        x, y_hat = forward.x, forward.y_hat
        self.summary = (f"x = ({x[0]:.2f}, {x[1]:.2f}) → ŷ = ({y_hat[0]:.3f}, {y_hat[1]:.3f}) "
                        f"with f₁ = {net.f1.name}, f₂ = {net.f2.name}")
        return self

    def _draw_weights(self, v, w):
        scale = max(np.abs(v).max(), np.abs(w).max(), 1e-12)
        weights = [(f"v{sub(i + 1)}{sub(k + 1)}", v[i, k]) for i in range(2) for k in range(3)]
        weights += [(f"w{sub(k + 1)}{sub(j + 1)}", w[k, j]) for k in range(3) for j in range(2)]
        for line, label, (name, value) in zip(self.edges, self.edge_labels, weights, strict=True):
            line.set_color(style.POSITIVE if value >= 0 else style.NEGATIVE)
            line.set_linewidth(1.0 + 4.0 * abs(value) / scale)
            label.set_text(f"{name}={_number(value)}")


def network_figure(net, forward):
    """The 2-3-2 net with its values for one forward pass (the explorer's `NetworkPlot`)."""
    return NetworkPlot().update(net, forward)
