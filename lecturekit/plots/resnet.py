"""Residual blocks: the one-weight example and the degradation problem (notebook 07)."""

import numpy as np

from .. import scalar_resnet as sr
from .. import style
from .base import LectureFigure, Plot

#: The two nets of the one-weight example, as (shortcut, name, colour): a layer without the
#: shortcut is a plain net's, with it a residual net's.
_KINDS = ((False, "no shortcut: ŷ = wx", style.COLORS["plain"]),
          (True, "shortcut: ŷ = wx + x", style.COLORS["residual"]))


class ScalarResnetPlot(Plot):
    """The slides' one-weight example: E(w) without and with the shortcut (left) and ∂E/∂w
    (right), with each optimum w* and the gradient at the start w marked.

    The axes are fixed over the explorer's sliders (x 0.5–3, y −3–3, start w −1–2), so the eye can
    compare positions: an optimum or a gradient beyond them sits on the edge as a triangle, and its
    label gives the value with an arrow.
    """

    W_RANGE = (-4.0, 4.0)
    E_TOP = 30.0
    E_LOW = -9.0  # below E = 0: room for the optima's labels, one row each
    G_RANGE = (-30.0, 30.0)

    def __init__(self):
        super().__init__(height=3.7)
        self.ax_loss, self.ax_grad = self.figure.subplots(1, 2)
        self.w = np.linspace(*self.W_RANGE, 161)
        for ax in (self.ax_loss, self.ax_grad):
            ax.set_xlim(*self.W_RANGE)
            ax.set_xlabel("w")
        self.ax_loss.set_ylim(self.E_LOW, self.E_TOP)
        self.ax_loss.set_yticks(np.arange(0, self.E_TOP + 1, 10))
        self.ax_loss.set_ylabel("E(w) = (ŷ − y)²")
        self.ax_grad.set_ylim(*self.G_RANGE)
        self.ax_grad.set_ylabel("∂E/∂w")
        self.ax_grad.axhline(0, color=style.COLORS["reference"], lw=1)
        self.starts = [self.moves(ax.axvline(0, color=style.COLORS["reference"], ls=":", lw=2))
                       for ax in (self.ax_loss, self.ax_grad)]
        self.kinds = []
        for shortcut, name, color in _KINDS:
            self.kinds.append({
                "shortcut": shortcut,
                "loss": self.moves(self.ax_loss.plot([], [], color=color, label=name)[0]),
                "grad": self.moves(self.ax_grad.plot([], [], color=color)[0]),
                # Dots above the curves and the spines (zorder 3): an optimum on the edge shows whole.
                "best": self.moves(self.ax_loss.plot([], [], "o", color=color, ms=9, clip_on=False,
                                                     zorder=3.1 + shortcut)[0]),
                "best_note": self.moves(self.ax_loss.text(0, 0, "", color=color, va="center",
                                                                in_layout=False)),
                "at_start": self.moves(self.ax_grad.plot([], [], "o", color=color, ms=9,
                                                         clip_on=False, zorder=3.1 + shortcut)[0]),
                "start_note": self.moves(self.ax_grad.text(0, 0, "", color=color, va="center",
                                                                 in_layout=False)),
            })
        # The key, as coloured words in a band above the panels: static, so a redraw skips it
        # (a Legend is redrawn with the moving artists, which would double this plot's redraw time).
        self.figure.get_layout_engine().set(rect=(0, 0, 1, 0.91))
        key = [(f"━━ {name}", color) for _, name, color in _KINDS]
        key.append(("┈┈ start w", style.COLORS["reference"]))
        for (text, color), x, ha in zip(key, (0.08, 0.5, 0.92), ("left", "center", "right"), strict=True):
            self.figure.text(x, 0.955, text, color=color, ha=ha, va="center")

    def update(self, x, y, w_start):
        low, high = self.W_RANGE
        for line in self.starts:
            line.set_xdata([w_start, w_start])
        values = {}
        for kind in self.kinds:
            shortcut = kind["shortcut"]
            best = sr.best_weight(x, y, shortcut)
            start = sr.gradient(w_start, x, y, shortcut)
            values[shortcut] = best, start
            kind["loss"].set_data(self.w, sr.loss(self.w, x, y, shortcut))
            kind["grad"].set_data(self.w, sr.gradient(self.w, x, y, shortcut))
            # The optimum, labelled under E = 0 where no curve goes, one row each. The shortcut's is
            # always 1 to the left of the plain one (see below for where the labels go).
            shown = min(max(best, low), high)
            inside = low <= best <= high
            kind["best"].set_data([shown], [0.0])
            kind["best"].set_marker("o" if inside else ("<" if best < low else ">"))
            text = f"w* = {best:.3g}".replace("-", "−")
            text = text if inside else (f"← {text}" if best < low else f"{text} →")
            kind["best_note"].set_text(text)
            kind["shown"] = shown
            # The gradient at the start w. Both lines rise (slope 2x² > 0) and the shortcut's lies
            # 2x² above the plain one, so the plain label goes below-right of its point and the
            # shortcut's above-left: no line passes there.
            g_low, g_high = self.G_RANGE
            shown = min(max(start, g_low), g_high)
            inside = g_low <= start <= g_high
            kind["at_start"].set_data([w_start], [shown])
            kind["at_start"].set_marker("o" if inside else ("v" if start < g_low else "^"))
            text = f"{start:.3g}".replace("-", "−")
            kind["start_note"].set_text(text if inside else (f"{text} ↓" if start < g_low else f"{text} ↑"))
            kind["start_note"].set_position((w_start + (-0.2 if shortcut else 0.2), shown))
            kind["start_note"].set_ha("right" if shortcut else "left")
            above = start < g_low or (shortcut and start <= g_high)
            kind["start_note"].set_va("bottom" if above else "top")
        scale = self.pixels_per_unit(self.ax_loss)  # (lays the figure out once, with data in it)
        for kind in self.kinds:
            self._place_best_note(kind, w_start, scale)
        (plain_best, plain_start), (res_best, res_start) = values[False], values[True]
        # Two gradients closer than a dot: the plain net's dot is drawn larger, below the other's.
        g_low, g_high = self.G_RANGE
        apart = abs(np.clip(plain_start, g_low, g_high) - np.clip(res_start, g_low, g_high))
        close = apart * self.ax_grad.bbox.height / (g_high - g_low) < 12
        self.kinds[0]["at_start"].set_markersize(16 if close else 9)
        close = abs(min(max(plain_best, low), high) - min(max(res_best, low), high)) * scale < 12
        self.kinds[0]["best"].set_markersize(16 if close else 9)
        self.summary = (f"x = {x:g}, target y = {y:g}: the best w is {plain_best:.3g} without the "
                        f"shortcut, {res_best:.3g} with it; ∂E/∂w at the start w = {w_start:g} is "
                        f"{plain_start:.3g} without, {res_start:.3g} with").replace("-", "−")
        return self

    def _place_best_note(self, kind, w_start, scale):
        """The optimum's label, one row each under E = 0: right of its dot for the plain net,
        left for the shortcut's (1 to the left of it), unless it would leave the axes or cross the
        dotted start-w line (whose dots would read as part of the number: "−1.5" as "+1.5")."""
        low, high = self.W_RANGE
        note, shown = kind["best_note"], kind["shown"]
        width = (note.get_window_extent(self.figure.canvas.get_renderer()).width + 4) / scale

        def span(right):
            return (shown + 0.15, shown + 0.15 + width) if right else (shown - 0.15 - width, shown - 0.15)

        def fits(right):
            return low <= span(right)[0] and span(right)[1] <= high

        def clear(right):
            return not span(right)[0] - 0.05 <= w_start <= span(right)[1] + 0.05

        sides = (False, True) if kind["shortcut"] else (True, False)
        right = next((side for side in sides if fits(side) and clear(side)),
                     next((side for side in sides if fits(side)), sides[0]))
        row = (0.3 if kind["shortcut"] else 0.72) * self.E_LOW
        note.set_position((shown + (0.15 if right else -0.15), row))
        note.set_ha("left" if right else "right")


def scalar_resnet_figure(x, y, w_start=0.0):
    """The slides' one-weight example for input x and target y (the explorer's
    `ScalarResnetPlot`)."""
    return ScalarResnetPlot().update(x, y, w_start)


def degradation_figure(depths, plain, residual, ylabel="final training loss (log scale)", title="",
                       connect=True, lines=True):
    """A number against depth, plain vs residual: the final training loss (He et al. 2016, Fig. 1
    and 6), or any other per-seed measurement (`ylabel` says which).

    plain, residual: (seeds, depths) arrays (NaN where a run diverged). The y axis is logarithmic.
    connect=True: each seed is a thin line, the thick line joins the medians (for a depth sweep).
    connect=False: each seed is a dot and the median a bar, at each depth apart, with nothing
    drawn between the depths (for a few depths, where a line would suggest values in between).
    lines=False (with connect=True): the same depth axis, but markers only, no lines between depths.
    The legend sits to the right of the axes, off the data.
    """
    fig = LectureFigure(figsize=(style.WIDTH, 3.9), layout="constrained")
    ax = fig.add_subplot()
    positions = np.arange(len(depths)) if not connect else np.asarray(depths)
    kinds = (("plain", plain, style.COLORS["plain"]), ("residual", residual, style.COLORS["residual"]))
    for offset, (kind, values, color) in zip((-0.15, 0.15), kinds, strict=True):
        values = np.atleast_2d(np.asarray(values, dtype=float))
        medians = np.nanmedian(values, axis=0)
        if connect:
            for row in values:
                ax.semilogy(positions, row, "-" if lines else ".", color=color, alpha=0.5, lw=1, ms=8)
            ax.semilogy(positions, medians, "o-" if lines else "o", color=color, lw=2.5, ms=8,
                        label=f"{kind}: median")
            ax.plot([], [], "-" if lines else ".", color=color, alpha=0.5, lw=1, ms=8,
                    label=f"{kind}: each of {len(values)} seeds")
            continue
        for column, position in enumerate(positions + offset):
            ax.semilogy(np.full(len(values), position), values[:, column], "o", color=color, alpha=0.7,
                        ms=6, label=f"{kind}: each of {len(values)} seeds" if column == 0 else None)
            ax.plot([position - 0.1, position + 0.1], [medians[column]] * 2, "-", color=color, lw=3,
                    label=f"{kind}: median" if column == 0 else None)
    ax.set_xticks(positions, [str(d) for d in depths])
    if not connect:
        ax.set_xlim(positions[0] - 0.6, positions[-1] + 0.6)
    ax.set_xlabel("depth (weight layers)")
    ax.set_ylabel(ylabel)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    ax.set_title(title)
    return fig
