"""The slides' 2-3-2 network drawn with its values (notebook 01)."""

import numpy as np
from matplotlib.colors import to_rgba
from matplotlib.transforms import offset_copy

from .. import style
from ..stepper import ForwardStep
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
        self._draw_network(self.figure.add_subplot())

    def _draw_network(self, ax):
        """The nodes, edges, names and titles in `ax`; what `update` fills in is left empty."""
        self.ax = ax
        ax.set_axis_off()
        ax.set_xlim(-0.2, 2.2)
        ax.set_ylim(-1.4, 1.76)
        place = self.places = {name: [(COLUMNS[name], row) for row in rows] for name, rows in ROWS.items()}
        self.edges, self.edge_labels, self.edge_ends = [], [], []
        for source, target, along in (("x", "h", V_LABEL_AT), ("h", "y", W_LABEL_AT)):
            for start in place[source]:
                for end in place[target]:
                    self.edges.append(ax.plot(*zip(start, end, strict=True), solid_capstyle="butt",
                                              zorder=1)[0])
                    self.edge_ends.append((start, end))
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


#: Where each step of `lecturekit.stepper` happens: a column of nodes, or the edges of v or w
#: (forward, s = vᵀx and z = wᵀh also use the edges before them; backward, h uses w).
STEP_NODES = {"x": "x", "s": "h", "h": "h", "z": "y", "ŷ": "y", "loss": "y"}
STEP_EDGES = {"v": "v", "w": "w", "h": "w"}  # at h, ∂z/∂h = wᵀ: the weights w themselves
FORWARD_EDGES = {"s": "v", "z": "w"}
#: The labels of the rows under the net in the backward pass.
BACKWARD_ROWS = ("", "local", "upstream", "product", "")
LIGHT_ORANGE = "#FBE3B0"
#: What the colours mean, under the formula: the edges keep the weights' colours when Δ is shown.
STEPPER_LEGEND = "edge colour: the sign of the weight (blue +, vermillion −); width: its size"


def _fill(label, face, edge):
    """Colour the box of `label`, if its colours are not these already (`png` draws again the
    texts whose box changed)."""
    box = label.get_bbox_patch()
    if box.get_facecolor() != to_rgba(face) or box.get_edgecolor() != to_rgba(edge):
        box.set_facecolor(face)
        box.set_edgecolor(edge)


class StepperPlot(NetworkPlot):
    """The 2-3-2 net with one pass walked step by step (`lecturekit.stepper`), notebook 03.

    The current step is ringed in orange (nodes) or has its edge labels filled in orange (edges:
    the w edges at step h too, whose local derivative is w). Forward: values not computed yet show
    as "?". Backward: the nodes keep the forward values, and Δw and Δv are written under the
    weights on their edges, framed in orange, once computed; an edge's colour and width stay
    those of its weight, as the legend under the figure says. Below the net: the step's formula,
    then its local derivative, upstream gradient and product with the numbers filled in. Every
    part that changes with the step is a moving artist, so a step redraws only those.
    """

    ROWS = len(BACKWARD_ROWS)

    def __init__(self):
        Plot.__init__(self, height=6.6)
        network, formula = self.figure.subplots(2, 1, height_ratios=(4.4, 1.8))
        self._draw_network(network)
        formula.set_axis_off()
        self.row_names, self.formula = [], []
        lines = self.ROWS + 1  # the formula's rows, then the legend
        formula.text(0.0, 1.0 - self.ROWS / lines, STEPPER_LEGEND, ha="left", va="top", color=style.GREY,
                     transform=formula.transAxes)
        for row in range(self.ROWS):
            y = 1.0 - row / lines
            self.row_names.append(self.moves(formula.text(0.0, y, "", ha="left", va="top", color=style.GREY,
                                                          transform=formula.transAxes)))
            self.formula.append(self.moves(formula.text(
                0.0, y, "", ha="left", va="top", fontsize=13 if row == 0 else style.SMALLEST_FONT,
                fontweight="bold" if row == 0 else "normal", transform=formula.transAxes)))
        self.ring = self.moves(network.plot([], [], "o", ms=80, mfc="none", mec=style.ORANGE, mew=4,
                                            zorder=2.5)[0])
        for label in self.edge_labels:
            self.moves(label).set_linespacing(1.05)  # a weight and its Δ fit between two labels
            label.get_bbox_patch().set_linewidth(1.5)
        self.weight_texts = None

    def _draw_weights(self, v, w):
        super()._draw_weights(v, w)
        self.weight_texts = [label.get_text() for label in self.edge_labels]

    def show(self, net, forward, steps, shown):
        """Draw `net` with the first `shown` of `steps` (all ForwardSteps or all BackwardSteps) done;
        `forward` is its SlideForward for the same example."""
        self.update(net, forward)
        backward = not isinstance(steps[0], ForwardStep)
        current = steps[shown - 1] if shown else None
        name = current.name if current else None
        if not backward:  # a value not computed yet is a "?"
            known = current.known if current else {}
            columns = {"x": ["x"], "h": ["s", "h"], "y": ["z", "ŷ"]}
            for (column, index), artist in self.values.items():
                artist.set_text("\n".join(_number(known[n][index]) if n in known else "?"
                                          for n in columns[column]))
        grads = {"v": current.grad_v, "w": current.grad_w} if backward and current else {}
        in_use = (STEP_EDGES if backward else FORWARD_EDGES).get(name)
        for index, (label, weight_text) in enumerate(zip(self.edge_labels, self.weight_texts, strict=True)):
            layer, (a, b) = ("v", divmod(index, 3)) if index < 6 else ("w", divmod(index - 6, 2))
            grad = grads.get(layer)
            label.set_text(weight_text if grad is None  # the weight stays: steps h and s use w
                           else f"{weight_text}\nΔ{layer}{sub(a + 1)}{sub(b + 1)}="
                           + f"{grad[a, b]:.2g}".replace("-", "−"))
            _fill(label, LIGHT_ORANGE if layer == in_use else "white",
                  "none" if grad is None else style.ORANGE)
        ring = self.places.get(STEP_NODES.get(name), [])
        self.ring.set_data([p[0] for p in ring], [p[1] for p in ring])
        what = "backward" if backward else "forward"
        if current:
            lines = [f"{what} {shown}/{len(steps)}:  {current.lines[0]}", *current.lines[1:]]
        else:
            lines = [f"{what} pass, step 0 of {len(steps)}: nothing computed yet",
                     "the forward values are on the nodes: move the step slider to go back from the loss"
                     if backward else "the weights are on the edges: move the step slider to compute the net"]
        names = BACKWARD_ROWS if backward and current else ("",) * self.ROWS
        indent = 0.13 if backward and current else 0.0
        for row, (label, text) in enumerate(zip(self.row_names, self.formula, strict=True)):
            label.set_text(names[row])
            x = indent if row else 0.0
            if text.get_position()[0] != x:  # an unchanged text is not drawn again
                text.set_x(x)
            text.set_text(lines[row] if row < len(lines) else "")
        self.summary = (f"{what} step {shown} of {len(steps)}" + (f" ({name})" if current else "")
                        + (": Δw and Δv are complete" if backward and shown == len(steps) else ""))
        return self
