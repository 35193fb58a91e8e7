"""Training histories of the remedies, gradient clipping and weight penalties (notebook 06)."""

import matplotlib
import numpy as np
from matplotlib.legend import Legend
from matplotlib.lines import Line2D

from .. import style
from ..optim import clip_by_norm, clip_by_value
from .base import Plot

#: 06's remedies (the names of experiments.remedies): one colour per remedy, its variants told
#: apart by their dashes. ReLU has ReLU's colour of every notebook; the baseline is the reference.
REMEDY_STYLES = {
    "baseline": (style.COLORS["reference"], "-"),
    "1. fewer layers (3)": (style.ORANGE, "-"),
    "2. ReLU + He init": (style.COLORS["relu"], "-"),
    "3. clip norm 0.1": (style.BLUE, ":"),
    "3. clip norm 1": (style.BLUE, "--"),
    "3. clip norm 10": (style.BLUE, "-"),
    "3. clip value 0.5": (style.PURPLE, "-."),
    "4. L2 λ = 0.3": (style.VERMILLION, "-"),
    "4. L1 λ = 0.1": (style.VERMILLION, "--"),
}
REMEDY_COLORS = {name: color for name, (color, _) in REMEDY_STYLES.items()}
REMEDY_DASHES = {name: dashes for name, (_, dashes) in REMEDY_STYLES.items()}
#: Clipping by norm and by value, penalized weights: the colours of their remedies.
NORM_COLOR, VALUE_COLOR = REMEDY_COLORS["3. clip norm 1"], REMEDY_COLORS["3. clip value 0.5"]
PENALTY_COLOR = REMEDY_COLORS["4. L2 λ = 0.3"]

#: The remedy explorer's loss axis, fixed over all its settings. The lowest loss any setting
#: reaches is 0.016; a diverging run's (up to ~1e25) would squeeze the others flat, so the axis
#: stops at 1e4 and what is above it is marked on the top edge.
REMEDY_LOSS_RANGE = (1e-2, 1e4)
#: The explorer's ‖∂L/∂W₁‖ axis: depth 40 takes it to ~3e-26 (vanishing) and ~3e25 (exploding).
#: Exact zeros (dead first-layer ReLUs) and L1/L2 at depth ≥ 20 (down to 1e-133) are marked on
#: the bottom edge.
REMEDY_GRAD_RANGE = (1e-30, 1e30)

#: Two curves closer than this (in decades) look like one line (~1 pixel on these axes).
_SAME = 0.02
_TINY = 1e-300  # a zero gradient, for the log axis (it is below any range: marked on the edge)


def _legends_below_or_beside(plot, side, *legends, top=0):
    """Figure legends, each (handles, labels, loc, anchor in figure coordinates, options), in a
    band at the figure's bottom or right side that the layout leaves to them. They are not in
    `figure.legends`, which `Plot.png` draws anew with the moving artists at every step: they sit
    beside the axes, over no data, so they can stay in the saved background. `top` keeps that many
    pixels free above the axes (for marks on their top edge)."""
    figure = plot.figure
    made = []
    for handles, labels, loc, anchor, options in legends:
        legend = Legend(figure, handles, [label or "Xg" for label in labels],  # rows of full height
                        loc=loc, bbox_to_anchor=anchor, bbox_transform=figure.transFigure, **options)
        figure.add_artist(legend)
        made.append(legend)
    extents = [legend.get_window_extent(figure.canvas.get_renderer()) for legend in made]
    if side == "bottom":
        share = (max(extent.height for extent in extents) + 6) / figure.bbox.height
        figure.get_layout_engine().set(rect=(0, share, 1, 1 - share - top / figure.bbox.height))
    else:
        share = (max(extent.width for extent in extents) + 20) / figure.bbox.width
        figure.get_layout_engine().set(rect=(0, 0, 1 - share, 1))
    for legend, (_, labels, *_) in zip(made, legends, strict=True):
        for text, label in zip(legend.get_texts(), labels, strict=True):
            text.set_text(label)
    return made


def _leaders(curves, share=1.0):
    """For each curve (log₁₀ values by step), the index of the first earlier curve it coincides
    with (same steps, within `_SAME` decades at `share` of them at least), or its own index."""
    leaders = []
    for i, curve in enumerate(curves):
        leaders.append(next((j for j in range(i) if leaders[j] == j and len(curves[j]) == len(curve)
                             and len(curve) and np.mean(np.abs(curves[j] - curve) < _SAME) >= share), i))
    return leaders


#: Pixels kept free above the axes: half the widest ✕ on the loss axis's top edge sticks out.
_TOP_MARGIN = 16

#: The legend's key below the runs: what ✕ and ▲ ▼ mean (marker, words).
_KEY = {"diverged": ({"marker": "x", "ms": 10, "mew": 2.5}, "diverged (on the top edge)"),
        "off the axis": ({"marker": "^", "ms": 8}, "off the axis: ▲ above, ▼ below")}


class HistoriesPlot(Plot):
    """Training loss (left) and the first layer's gradient norm ‖∂L/∂W₁‖ (right) by step, one
    line per run, on fixed log axes. A run that diverged ends in an ✕ on the loss axis's top edge
    at that step. Points beyond an axis are marked on its edge (▲ above, ▼ below), in the run's
    colour. Runs whose lines coincide are drawn from wide (first) to narrow (last), so each one
    shows, and the legend says which loss curve a run shares. A `live` plot (an explorer's) has
    the runs' legend apart from the key, so that a new name redraws only that legend."""

    def __init__(self, runs, steps, loss_range, grad_range, key=tuple(_KEY), live=False):
        rows = max(runs, len(key)) if live else (runs + len(key) + 1) // 2  # the legend's
        super().__init__(height=3.1 + 0.33 * rows)
        self.ax_loss, self.ax_grad = self.figure.subplots(1, 2)
        self.ranges = {"loss": loss_range, "grad": grad_range}
        for ax, label, (low, high) in ((self.ax_loss, "training loss (MSE)", loss_range),
                                       (self.ax_grad, "‖∂L/∂W₁‖, first layer", grad_range)):
            ax.set_yscale("log")
            ax.set_ylim(low, high)
            ax.set_xlim(0, steps + 1)
            ax.set_xlabel("step")
            ax.set_ylabel(label)
            style.integer_ticks(ax.xaxis)
        self.slots = [self._slot(k) for k in range(runs)]
        names = [Line2D([], []) for _ in range(runs)], [""] * runs
        marks = ([Line2D([], [], ls="none", color=style.BLACK, **_KEY[entry][0]) for entry in key],
                 [_KEY[entry][1] for entry in key])
        if live:
            # The runs' names change with a dropdown: their legend moves (a new name does not
            # redraw the whole figure). The key never changes: it stays in the background.
            self.legend, _ = _legends_below_or_beside(
                self, "bottom", (*names, "lower right", (0.47, 0.0), {}),
                (*marks, "lower left", (0.53, 0.0), {}), top=_TOP_MARGIN)
            self.moves(self.legend)
        else:  # drawn once: one legend, in two columns
            self.legend, = _legends_below_or_beside(
                self, "bottom", (names[0] + marks[0], names[1] + marks[1], "lower center", (0.5, 0.0),
                                 {"ncols": 2}), top=_TOP_MARGIN)
        self.live = live
        self.entries = None

    def _slot(self, k):
        """The moving artists of the k-th run: later runs are drawn above earlier ones."""
        def line(ax, *args, **kwargs):
            artist = ax.plot([], [], *args, zorder=2.0 + 0.01 * k, **kwargs)[0]
            artist.set_in_layout(False)  # marks on the edges stick out: the layout ignores them
            return self.moves(artist)

        slot = {"diverged": line(self.ax_loss, "x", ms=12, mew=2.5, clip_on=False)}
        for key, ax in (("loss", self.ax_loss), ("grad", self.ax_grad)):
            slot[key] = line(ax)
            slot[key + " above"] = line(ax, "^", ls="none", ms=7, clip_on=False)
            slot[key + " below"] = line(ax, "v", ls="none", ms=7, clip_on=False)
        return slot

    def update(self, histories, colors=None, dashes=None, summary=""):
        """Show `histories` ({name: train.History}, at most `runs`); `colors` and `dashes` map
        names to a colour and a line style (default: the colour cycle, solid)."""
        names, runs = list(histories), list(histories.values())
        if len(runs) > len(self.slots):
            raise ValueError(f"this plot has room for {len(self.slots)} runs, got {len(runs)}")
        cycle = matplotlib.rcParams["axes.prop_cycle"].by_key()["color"]
        curves = {"loss": [h.loss_curve for h in runs],  # ends after the last update
                  "grad": [h.grad_norms[:, 0] if len(h.grad_norms) else np.empty(0) for h in runs]}
        logs = {key: [np.log10(np.maximum(c, _TINY)) for c in values] for key, values in curves.items()}
        # Lines that coincide on most steps are drawn wide to narrow; the legend names a loss
        # curve that another run's coincides with at every step.
        overlaps = {key: _leaders(values, share=0.5) for key, values in logs.items()}
        same_loss = _leaders(logs["loss"])
        entries = []
        for k, slot in enumerate(self.slots):
            shown = k < len(runs)
            for artist in slot.values():
                artist.set_visible(shown)
            if not shown:
                entries.append(("", None, None))
                continue
            color = (colors or {}).get(names[k], cycle[k % len(cycle)])
            dash = (dashes or {}).get(names[k], "-")
            for key, values in curves.items():
                # Coinciding runs: the first is widest, each later one narrower, on top of it.
                later = sum(leader == overlaps[key][k] for leader in overlaps[key][k + 1:])
                self._curve(slot, key, values[k], color, dash, later)
            diverged = runs[k].diverged_at
            at = [] if diverged is None else [diverged]
            slot["diverged"].set_data(at, [self.ranges["loss"][1]] * len(at))
            same_step = sum(h.diverged_at == diverged for h in runs[k + 1:])
            # Runs that diverged at the same step: the first ✕ is larger and bolder, below the next.
            slot["diverged"].set(color=color, markersize=12 + 8 * same_step,
                                 markeredgewidth=2.5 + 2.5 * same_step)
            leader = same_loss[k]
            entries.append((names[k] + (f" (loss ≈ {names[leader]})" if leader != k else ""), color, dash))
        if entries != self.entries:
            self.entries = entries
            for (label, color, dash), text, handle in zip(entries, self.legend.get_texts(),
                                                         self.legend.legend_handles, strict=False):
                text.set_text(label)
                handle.set_visible(color is not None)
                if color is not None:
                    handle.set(color=color, linestyle=dash, linewidth=2.5)
            if not self.live:
                self.figure.stale = True  # (a legend's parts do not tell the figure they changed)
        self.summary = summary
        return self

    def _curve(self, slot, key, values, color, dash, later):
        low, high = self.ranges[key]
        steps = np.arange(1, len(values) + 1)
        slot[key].set_data(steps, np.maximum(values, _TINY))
        slot[key].set(color=color, linestyle=dash, linewidth=2 + 1.75 * later,
                      marker="o" if len(values) == 1 else "None", markersize=7 + 7 * later)
        # (a run of one step is a dot, not a line)
        for side, beyond, edge in (("above", values > high, high), ("below", values < low, low)):
            marks = slot[f"{key} {side}"]
            marks.set_data(steps[beyond], np.full(np.count_nonzero(beyond), edge))
            marks.set(color=color, markersize=7 + 3 * later)


def _fitted_range(values, top=None):
    """Whole decades around the positive, finite `values`; the top at most `top`."""
    values = values[np.isfinite(values) & (values > 0)]
    if not values.size:
        return (1e-2, top or 1e4)
    low, high = 10.0 ** np.floor(np.log10(values.min())), 10.0 ** np.ceil(np.log10(values.max()))
    if top is not None:
        high = min(high, top)
    return (min(low, high / 10), high)


def histories_figure(histories, title="", loss_top=None, colors=None, dashes=None):
    """Training loss and the first layer's gradient norm by step, one line per run of
    `histories` ({name: train.History}), on axes that fit them (see `HistoriesPlot`). With
    `loss_top`, the loss axis stops there and what is above it is marked on its top edge.
    `colors` and `dashes` map run names to fixed colours and line styles (e.g. REMEDY_COLORS,
    REMEDY_DASHES). `title` is the line printed below the figure."""
    runs = list(histories.values())
    steps = max([max(len(h.loss), h.diverged_at or 0) for h in runs], default=1)
    losses = np.concatenate([h.loss_curve for h in runs] + [[]])
    grads = np.concatenate([h.grad_norms[:, 0] for h in runs if len(h.grad_norms)] + [[]])
    loss_range, grad_range = _fitted_range(losses, loss_top), _fitted_range(grads)
    key = ["diverged"] * any(h.diverged_at is not None for h in runs)
    off = [values[(values < low) | (values > high)] for values, (low, high) in
           ((losses, loss_range), (grads, grad_range))]
    key += ["off the axis"] * any(len(values) for values in off)
    plot = HistoriesPlot(len(runs), steps, loss_range, grad_range, key)
    return plot.update(histories, colors, dashes, summary=title)


def _pair(vector):
    return "(" + ", ".join(f"{value:.3g}".replace("-", "−") for value in vector) + ")"


def _degrees(vector):
    return np.degrees(np.arctan2(vector[1], vector[0]))


class ClipPlot(Plot):
    """One 2-D gradient g and its two clippings at c, as `lecturekit.optim` computes them: by
    norm (same direction, length ≤ c: inside the circle) and by value (each entry in [−c, c]:
    inside the square; the direction can turn). Fixed axes that hold every slider setting.
    The arrows are drawn wide to narrow, so one that equals g still shows."""

    REACH = 5.5  # g₁, g₂ and c go up to 5
    ARROWS = (("g", style.COLORS["reference"], 7.0, 34), ("norm", NORM_COLOR, 4.5, 26),
              ("value", VALUE_COLOR, 2.0, 18))

    def __init__(self):
        super().__init__(width=7.4, height=5.0)
        ax = self.ax = self.figure.add_subplot()
        ax.set_xlim(-self.REACH, self.REACH)
        ax.set_ylim(-self.REACH, self.REACH)
        ax.set_aspect("equal", anchor="E")  # the height sets the size; the legend is to its right
        ax.axhline(0, color="0.75", lw=1)
        ax.axvline(0, color="0.75", lw=1)
        ax.set_xlabel("g₁")
        ax.set_ylabel("g₂")
        self.circle = self.moves(ax.plot([], [], ":", color=NORM_COLOR, lw=2)[0])
        self.square = self.moves(ax.plot([], [], ":", color=VALUE_COLOR, lw=2)[0])
        self.arrows = {key: self.moves(ax.annotate(
            "", xy=(1, 0), xytext=(0, 0), zorder=3 + k,
            arrowprops={"arrowstyle": "-|>", "color": color, "lw": width, "mutation_scale": head,
                        "shrinkA": 0, "shrinkB": 0}))
            for k, (key, color, width, head) in enumerate(self.ARROWS)}
        handles = [Line2D([], [], color=color, lw=min(width, 5)) for _, color, width, _ in self.ARROWS]
        handles += [Line2D([], [], ls=":", lw=2, color=NORM_COLOR), Line2D([], [], ls=":", lw=2,
                                                                            color=VALUE_COLOR)]
        labels = ["gradient g", "clip by norm", "clip by value", "‖g‖ = c", "|g₁| or |g₂| = c"]
        _legends_below_or_beside(self, "right", (handles, labels, "upper right", (1.0, 0.9), {}))
        # Below the key, in words, what the picture cannot show: clippings too small to see, or
        # arrows that all coincide with g.
        self.note = self.moves(self.figure.text(0.99, 0.06, "", ha="right", va="bottom", in_layout=False))

    def update(self, gradient, threshold):
        g = np.asarray(gradient, dtype=np.float64)
        clipped = {"g": g, "norm": clip_by_norm({"g": g}, threshold)["g"],
                   "value": clip_by_value({"g": g}, threshold)["g"]}
        turn = np.linspace(0, 2 * np.pi, 181)
        self.circle.set_data(threshold * np.cos(turn), threshold * np.sin(turn))
        self.square.set_data(threshold * np.array([-1, 1, 1, -1, -1]),
                             threshold * np.array([-1, -1, 1, 1, -1]))
        for (key, _, _, head), vector in zip(self.ARROWS, clipped.values(), strict=True):
            arrow = self.arrows[key]
            arrow.xy = vector
            arrow.set_visible(bool(np.any(vector)))
            # A head no longer than 60 % of its arrow, so a short one still points the right way.
            length = np.linalg.norm(vector) * self.pixels_per_unit(self.ax)
            arrow.arrowprops["mutation_scale"] = min(head, 0.6 * length)
        norm = np.linalg.norm(g)
        small = threshold * self.pixels_per_unit(self.ax) < 12  # the circle is a few pixels wide
        same = [name for name in ("norm", "value") if np.array_equal(clipped[name], g)]
        if small and len(same) < 2:
            note = (f"c = {threshold:g}: too small\nto see. Clipped\nby norm:\n{_pair(clipped['norm'])}\n"
                    f"by value:\n{_pair(clipped['value'])}")
        elif len(same) == 2:
            note = "no clipping:\nall equal g"
        elif same:
            note = f"by {same[0]}: equal to g"
        else:
            note = ""
        self.note.set_text(note)
        given = f"g = {_pair(g)}, ‖g‖ = {norm:.3g}, c = {threshold:g}"
        if not norm:
            self.summary = f"{given}: nothing to clip"
            return self
        by_norm = ("= g (‖g‖ ≤ c)" if norm <= threshold
                   else f"{_pair(clipped['norm'])}, g × {threshold / norm:.3g}, same direction")
        turned = abs((_degrees(clipped["value"]) - _degrees(g) + 180) % 360 - 180)
        by_value = ("= g (each |gᵢ| ≤ c)" if np.array_equal(clipped["value"], g)
                    else f"{_pair(clipped['value'])}, turned {turned:.1f}°")
        self.summary = f"{given} → clip by norm {by_norm}; clip by value {by_value}"
        return self


def clip_figure(gradient, threshold):
    """One 2-D gradient and its two clippings at `threshold` (the explorer's `ClipPlot`)."""
    return ClipPlot().update(gradient, threshold)


def _short(value):
    """A positive number in ≤ 3 significant digits, as 0.001 or 1.3×10⁻⁴ (never 1e-04)."""
    if 1e-3 <= value < 1e4:
        return f"{value:.3g}"
    mantissa, power = f"{value:.2e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    superscript = str(int(power)).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return f"10{superscript}" if mantissa == "1" else f"{mantissa}×10{superscript}"


class WeightsPlot(Plot):
    """A histogram of all weights of each net, one panel per net, on fixed axes: bins of 0.05
    (one centred on 0) over [−2.5, 2.5], counts up to `COUNT_TOP`. A bin above it reaches the top
    edge, marked ▲, and the fullest bin's count is written beside it ("▲ 567"); weights beyond
    the bins are counted at the side ("◀ 3 below −2.52"). Each title gives ‖w‖ and the share of
    weights with |w| below the `near` of `update`."""

    BIN = 0.05
    EDGES = (np.arange(-50, 52) - 0.5) * BIN
    COUNT_TOP = 200

    def __init__(self, panels):
        super().__init__(height=4.0)
        self.axes = self.figure.subplots(1, panels, sharex=True, sharey=True, squeeze=False)[0]
        self.panels = []
        for k, ax in enumerate(self.axes):
            ax.set_xlim(self.EDGES[0], self.EDGES[-1])
            ax.set_ylim(0, self.COUNT_TOP)
            ax.set_xlabel("weight w")
            ax.set_ylabel("number of weights")
            ax.yaxis.label.set_visible(k == 0)  # one label for the shared axis
            ax.set_title("\n\n", pad=10)  # three lines, set by update
            self.panels.append({
                "bars": self.moves(ax.stairs(np.zeros(len(self.EDGES) - 1), self.EDGES, fill=True)),
                "over": self.moves(ax.plot([], [], "^", ms=9, clip_on=False, color=style.BLACK,
                                           in_layout=False)[0]),
                "peak": self.moves(ax.text(0, 0, "", ha="left", va="top", in_layout=False)),
                "left": self.moves(ax.text(0.02, 0.5, "", transform=ax.transAxes, ha="left",
                                           in_layout=False)),
                "right": self.moves(ax.text(0.98, 0.5, "", transform=ax.transAxes, ha="right",
                                            in_layout=False)),
                "title": self.moves(ax.title)})

    def update(self, nets, near=1e-3, colors=None, summary=""):
        """Show the weight matrices of `nets` ({label: net}); `colors` maps labels to colours
        (default: the first in the reference grey, the others in the penalties' colour)."""
        if len(nets) != len(self.panels):
            raise ValueError(f"this plot has {len(self.panels)} panels, got {len(nets)} nets")
        for k, (panel, (label, net)) in enumerate(zip(self.panels, nets.items(), strict=True)):
            weights = np.concatenate([w.ravel() for name, w in net.params.items() if name.endswith("W")])
            counts, _ = np.histogram(weights, self.EDGES)
            default = style.COLORS["reference"] if k == 0 else PENALTY_COLOR
            panel["bars"].set_data(counts, self.EDGES)
            panel["bars"].set(facecolor=(colors or {}).get(label, default), edgecolor="none")
            centres = (self.EDGES[:-1] + self.EDGES[1:]) / 2
            over = counts > self.COUNT_TOP
            panel["over"].set_data(centres[over], np.full(np.count_nonzero(over), self.COUNT_TOP))
            panel["peak"].set_visible(bool(over.any()))
            if over.any():
                panel["peak"].set_position((centres[np.argmax(counts)] + 0.15, 0.97 * self.COUNT_TOP))
                panel["peak"].set_text(f"▲ {counts.max()}")
            below, above = np.sum(weights < self.EDGES[0]), np.sum(weights > self.EDGES[-1])
            panel["left"].set_text(f"◀ {below} below −{-self.EDGES[0]:.3g}" if below else "")
            panel["right"].set_text(f"{above} above {self.EDGES[-1]:.3g} ▶" if above else "")
            share = np.mean(np.abs(weights) < near)
            share_text = f"{share:.0%}" if share >= 0.01 or not share else f"{share:.2%}"  # 0.45%, not 0%
            panel["title"].set_text(f"{label}\n‖w‖ = {np.linalg.norm(weights):.3g}\n"
                                    f"|w| < {_short(near)}: {share_text}")
        self.summary = summary
        return self


def weights_figure(nets, title="", near=1e-3, colors=None):
    """Histograms of all weights of each net of `nets` ({label: net}; see `WeightsPlot`), with
    the share of weights with |w| < `near`. `title` is the line printed below the figure."""
    return WeightsPlot(len(nets)).update(nets, near, colors, summary=title)
