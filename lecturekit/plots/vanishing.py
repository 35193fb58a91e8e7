"""Activations, gradients by depth and saturation (notebook 04; the depth explorer also in 05 and 07)."""

import textwrap

import numpy as np
from matplotlib import colormaps
from matplotlib.colors import LogNorm

from .. import style
from .base import LectureFigure, Plot

#: The gradient panel's fixed range of log₁₀‖∂L/∂W_l‖: every setting the notebooks show at depth
#: 20–50 fits (sigmoid's −12 … 0, tanh with std-1 weights up to 5); beyond it a layer sits on the
#: edge as ▼ / ▲ and the panel says how far it went.
LOG_GRAD_RANGE = (-16.0, 8.0)

#: The activations panel's value axis, per activation: (lowest, highest, bins). Sigmoid and tanh
#: never leave their range; ReLU and Leaky ReLU can, and the values beyond it are counted in a band
#: above (and for Leaky ReLU below) the axis, labelled "> 5" and "< −0.5".
H_RANGES = {"sigmoid": (0.0, 1.0, 40), "tanh": (-1.0, 1.0, 40), "relu": (0.0, 5.0, 50),
            "leaky_relu": (-0.5, 5.0, 55)}
#: The layer axes span the first of these that holds the net, so that most steps of the depth
#: slider keep the axes (and move only the data): the net fills at least half of the width, and
#: the notebooks' depths 20 and 50 sit inside a span.
LAYER_AXES = (1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 25, 32, 40, 60, 80, 100, 125, 160, 200, 250, 320, 400,
              500, 640, 800, 1000)
#: The grey block of hidden layers beyond the net says so in words when it is at least this share
#: of the activations panel's width (room for a line of text turned on its side).
BEYOND_LABEL = 0.11
#: How many bins tall a band of values beyond the axis is drawn.
BAND = 8
#: The colour range of the activations panel: the share of a layer's values in one bin. A layer
#: of the widest net has 64 × 128 values, so one value is 1.2e-4 of it: every share fits.
SHARE_RANGE = (1e-4, 1.0)

_UNBOUNDED = ("relu", "leaky_relu")


def activation_figure(function):
    """f(s) and f′(s) on s ∈ [−6, 6], with the largest f′ marked (sigmoid: 0.25 at s = 0)."""
    s = np.linspace(-6.0, 6.0, 1201)
    h = function.f(s)
    derivative = function.derivative(s, h)
    color = style.COLORS.get(function.name, style.BLUE)
    fig = LectureFigure(figsize=(style.WIDTH, 3.4), layout="constrained")
    ax_f, ax_d = fig.subplots(1, 2)
    ax_f.plot(s, h, color=color)
    ax_f.set_ylabel(f"{function.name}(s)")
    ax_f.set_title(f"the activation f = {function.name}")
    ax_d.plot(s, derivative, color=color)
    peak = int(np.argmax(derivative))
    top = np.flatnonzero(derivative == derivative[peak])
    if len(top) == 1:  # one point (sigmoid: 0.25 at s = 0)
        where = f"at s = {s[peak]:.3g}"
    elif top[0] == 0:  # f′ is the same everywhere (identity)
        where = "for every s"
    else:  # a plateau from the kink on (ReLU: f′ = 1 for every s > 0)
        where = f"for every s > {s[top[0] - 1]:.3g}"
    ax_d.plot(s[top], derivative[top], "o" if len(top) == 1 else "-", color=style.BLACK, lw=4, ms=8)
    ax_d.set_title(f"its derivative: max {derivative[peak]:.3g} {where}")
    ax_d.set_ylabel(f"{function.name}′(s)")
    for ax in (ax_f, ax_d):
        ax.set_xlabel("s")
    return fig


def activation_shares(activations, activation):
    """The activations panel's picture of one snapshot: for each hidden layer (a column) the share
    of its values h in each bin of `H_RANGES[activation]` (rows, lowest first), with one more row
    below and one above for the values beyond the axis (empty for sigmoid and tanh).
    Returns a (bins + 2, hidden layers) array."""
    low, high, bins = H_RANGES[activation]
    edges = np.linspace(low, high, bins + 1)
    shares = np.zeros((bins + 2, len(activations)))
    for column, h in enumerate(activations):
        values = np.ravel(h)
        # Row 0: below `low`; rows 1 … bins: the bins (the last one includes `high`); last: above.
        rows = np.searchsorted(edges, values, side="right")
        rows[values == high] = bins
        shares[:, column] = np.bincount(rows, minlength=bins + 2)[:bins + 2] / values.size
    return shares


class DepthPlot(Plot):
    """Left: log₁₀‖∂L/∂W_l‖ by layer l on a fixed range, with the sigmoid reference
    0.25^(L−l) × ‖∂L/∂W_L‖ (the f′ factors alone); a layer beyond the range sits on its edge (▼ ▲,
    ✕ where the norm is 0 in float64) and the panel says how far it went.
    Right: the distribution of every hidden layer's activations (Glorot & Bengio 2010, Fig. 3–4),
    one column per layer, on a fixed value axis per activation and a fixed colour scale."""

    def __init__(self):
        super().__init__(height=4.0)
        self.ax_grad, self.ax_h = self.figure.subplots(1, 2, width_ratios=[1.5, 1])
        self.figure.get_layout_engine().set(wspace=0.06)
        ax = self.ax_grad
        ax.set_ylim(*LOG_GRAD_RANGE)
        ax.set_xlabel("layer l (1 = next to the input)")
        ax.set_ylabel("log₁₀ ‖∂L/∂W_l‖")
        _layer_ticks(ax.xaxis)
        self.bound = self.moves(ax.plot([], [], "--", color=style.COLORS["reference"])[0])
        self.grad = self.moves(ax.plot([], [], "o-", ms=4, lw=2)[0])
        edge = {"clip_on": False, "ls": "none", "ms": 9, "zorder": 4}
        self.below = self.moves(ax.plot([], [], "v", **edge)[0])
        self.above = self.moves(ax.plot([], [], "^", **edge)[0])
        self.zero = self.moves(ax.plot([], [], "x", mew=2, **edge)[0])
        box = {"boxstyle": "round,pad=0.25", "fc": "white", "ec": "0.6", "alpha": 0.9}
        self.note_low = self.moves(ax.text(0.03, 0.05, "", transform=ax.transAxes, va="bottom",
                                           bbox=box, zorder=5))
        self.note_high = self.moves(ax.text(0.97, 0.95, "", transform=ax.transAxes, ha="right",
                                            va="top", bbox=box, zorder=5))
        # The dashed line's key (a text, not a legend: it shows only for sigmoid).
        self.key = self.moves(ax.text(0.03, 0.95, "– – f′ only: 0.25^(L−l)·‖∂L/∂W_L‖", va="top",
                                      transform=ax.transAxes, color=style.COLORS["reference"],
                                      bbox=box, zorder=5))
        self.exploded = self.moves(ax.text(0.5, 0.5, "", ha="center", va="center",
                                           color=style.NEGATIVE, transform=ax.transAxes, zorder=5))

        ax = self.ax_h
        ax.set_xlabel("hidden layer")
        ax.set_ylabel("activation h")
        ax.grid(False)
        _layer_ticks(ax.xaxis)
        self.image = self.moves(ax.imshow(np.full((1, 1), np.nan), aspect="auto", origin="lower",
                                          cmap=colormaps[style.SEQUENTIAL].with_extremes(bad=(0, 0, 0, 0)),
                                          norm=LogNorm(*SHARE_RANGE), interpolation="nearest"))
        style.colorbar(self.figure, self.image, ax, "share of the layer's h\n(white: 0; grey: no layer)")
        self.empty = self.moves(ax.text(0.5, 0.5, "", ha="center", va="center",
                                        color=style.GREY, transform=ax.transAxes))
        # Hidden layers beyond the net's (the axis spans more than the net): grey, not "none".
        self.beyond = self.moves(ax.axvspan(0, 0, color="0.85", lw=0))
        self.beyond_label = self.moves(ax.text(0, 0.5, "", rotation=90, ha="center", va="center",
                                               color="0.3", transform=ax.get_xaxis_transform()))
        self.edges = []
        self.span = self.activation = None
        for text in (self.note_low, self.note_high, self.key, self.exploded, self.empty, self.beyond_label):
            text.set_in_layout(False)  # words drawn over a panel do not shrink it

    def update(self, grad_norms, shares, activation, overflow="", summary=""):
        """Show one snapshot: `grad_norms` (L,) ‖∂L/∂W_l‖; `shares` from `activation_shares` (one
        column per hidden layer; none when the forward pass overflowed); `overflow` says where the
        numbers overflowed ("" if they did not)."""
        depth = len(grad_norms)
        span = next((n for n in LAYER_AXES if n >= depth), depth)
        if span != self.span:  # the layer axes hold the net (redraws the whole figure)
            self.span = span
            self.ax_grad.set_xlim(0.5 - 0.02 * span, span + 0.5 + 0.02 * span)
            self.ax_h.set_xlim(0.5, max(span - 1, 1) + 0.5)
            if span == 1:  # no hidden layer: no layer number to show
                self.ax_h.set_xticks([])
            else:
                _layer_ticks(self.ax_h.xaxis)
        self.beyond.set_x(depth - 0.5)
        self.beyond.set_width(max(span - depth, 0))
        self.beyond.set_visible(depth < span)
        # Said in the block when it is wide enough for a line of text (the colour bar's label
        # says it too, for a narrow block).
        self.beyond_label.set_text(f"beyond the net (L = {depth})")
        self.beyond_label.set_x((depth - 0.5 + span - 0.5) / 2)
        self.beyond_label.set_visible(depth > 1 and (span - depth) >= BEYOND_LABEL * (span - 1))
        if activation != self.activation:  # (redraws the whole figure)
            self.activation = activation
            self._value_axis(activation)
        self._gradients(np.asarray(grad_norms, dtype=float), activation, overflow)
        self._activations(shares, depth, overflow)
        self.summary = summary
        return self

    def _gradients(self, norms, activation, overflow):
        low, high = LOG_GRAD_RANGE
        layers = np.arange(1, len(norms) + 1)
        with np.errstate(divide="ignore", invalid="ignore"):
            logs = np.where(norms > 0, np.log10(np.where(norms > 0, norms, 1.0)), np.nan)
        logs[~np.isfinite(norms)] = np.nan
        color = style.COLORS[activation]
        self.grad.set_data(layers, logs)
        self.grad.set_color(color)
        below, above = logs < low, (logs > high) | np.isposinf(norms)
        zero = norms == 0
        stride = _stride(self.span)
        for line, where, y in ((self.below, below, low), (self.above, above, high), (self.zero, zero, low)):
            marked = _marked(where, stride)
            line.set_data(layers[marked], np.full(np.count_nonzero(marked), y))
            line.set_color(color)
        notes_low = []
        if below.any():
            lowest = int(np.nanargmin(logs))
            notes_low.append(f"▼ {_layers(below)} below {low:g}\n"
                             f"   lowest {logs[lowest]:.1f} (layer {lowest + 1})".replace("-", "−"))
        if zero.any():
            notes_low.append(f"✕ {_layers(zero)}: ‖∂L/∂W_l‖ = 0\n   (float64 underflow)")
        if stride > 1 and (below.any() or zero.any()):
            notes_low.append(f"(one mark per {stride} layers)")
        self.note_low.set_text("\n".join(notes_low))
        self.note_low.set_visible(bool(notes_low))
        notes_high = []
        if (logs > high).any():
            highest = int(np.nanargmax(logs))
            notes_high.append(f"▲ {_layers(logs > high)} above {high:g}\n"
                              f"highest {logs[highest]:.1f} (layer {highest + 1})")
        if np.isposinf(norms).any():
            notes_high.append(f"▲ {_layers(np.isposinf(norms))}: ‖∂L/∂W_l‖ = inf")
        note_high = "\n".join(notes_high)
        self.note_high.set_text(note_high.replace("-", "−"))
        self.note_high.set_visible(bool(note_high))
        sigmoid = activation == "sigmoid" and norms[-1] > 0 and np.isfinite(norms[-1])
        if sigmoid:
            self.bound.set_data(layers, logs[-1] + (len(norms) - layers) * np.log10(0.25))
        self.bound.set_visible(sigmoid)
        self.key.set_visible(sigmoid and len(norms) > 1)  # one layer: no line to explain
        self.exploded.set_text(_wrap(f"exploded: {overflow}", 34) if overflow else "")
        self.exploded.set_visible(bool(overflow))

    def _value_axis(self, activation):
        """The activations panel's fixed value axis for `activation`, with the bands for values
        beyond it."""
        low, high, bins = H_RANGES[activation]
        width = (high - low) / bins
        band = BAND * width if activation in _UNBOUNDED else 0.0
        bottom = low - band if activation == "leaky_relu" else low
        self.ax_h.set_ylim(bottom, high + band)
        for line in self.edges:
            line.remove()
        ticks = [t + 0.0 for t in np.arange(np.ceil(low), np.floor(high) + 1) if low <= t <= high]
        if activation in ("sigmoid", "tanh"):
            ticks = np.linspace(low, high, 5)
            labels = [style.three_digits(t) for t in ticks]
        else:
            ticks, labels = ticks[:-1], [style.three_digits(t) for t in ticks[:-1]]
            ticks.append(high + band / 2)
            labels.append(f"> {high:g}")
            if activation == "leaky_relu":
                ticks.insert(0, low - band / 2)
                labels.insert(0, f"< {style.three_digits(low)}")
        self.ax_h.set_yticks(ticks, labels)
        self.edges = [self.ax_h.axhline(y, color=style.BLACK, lw=1.5)
                      for y in ((high, low) if activation == "leaky_relu" else (high,))
                      if activation in _UNBOUNDED]

    def _activations(self, shares, depth, overflow):
        low, high, bins = H_RANGES[self.activation]
        width = (high - low) / bins
        unbounded = self.activation in _UNBOUNDED
        shown = shares is not None and np.shape(shares)[1] > 0
        if shown:
            rows = [np.repeat(shares[:1], BAND, axis=0)] if self.activation == "leaky_relu" else []
            rows += [shares[1:-1]] + ([np.repeat(shares[-1:], BAND, axis=0)] if unbounded else [])
            picture = np.concatenate(rows)
            self.image.set_data(np.where(picture > 0, picture, np.nan))
            bottom = low - BAND * width if self.activation == "leaky_relu" else low
            self.image.set_extent((0.5, shares.shape[1] + 0.5, bottom,
                                   high + (BAND * width if unbounded else 0.0)))
        self.image.set_visible(shown)
        if depth == 1:
            why = "depth 1:\none Linear layer,\nno hidden layer"
        elif not shown:
            why = _wrap(f"no activations to show: {overflow or 'none recorded'}", 26)
        else:
            why = ""
        self.empty.set_text(why)
        self.empty.set_visible(bool(why))


def _wrap(text, width):
    return textwrap.fill(text, width)


def _layer_ticks(axis):
    """Whole-number ticks, few enough that 1000 layers still read."""
    style.integer_ticks(axis)
    axis.get_major_locator().set_params(nbins=5, min_n_ticks=1)


def _stride(span):
    """Every how many layers an edge mark is drawn on a layer axis spanning `span` layers: every
    layer up to 25, beyond that few enough (about 16 across) that the marks stay apart."""
    return 1 if span <= 25 else int(np.ceil(span / 16))


def _marked(where, stride):
    """The layers of the mask `where` that get an edge mark: those on the grid of every `stride`-th
    layer (the same grid for every kind of mark, so ▼ and ✕ never share a place), and the first
    layer of a run of layers that holds no grid layer."""
    layers = np.arange(1, len(where) + 1)
    marked = where & (layers % stride == 0)
    starts = np.flatnonzero(where & ~np.concatenate(([False], where[:-1])))
    ends = np.flatnonzero(where & ~np.concatenate((where[1:], [False])))
    for start, end in zip(starts, ends, strict=True):
        if not marked[start:end + 1].any():
            marked[start] = True
    return marked


def _layers(where):
    """'layer 3' or '12 layers' for a boolean mask over layers."""
    count = int(np.count_nonzero(where))
    return f"layer {int(np.flatnonzero(where)[0]) + 1}" if count == 1 else f"{count} layers"


def depth_figure(snapshot, activation, summary=""):
    """The depth explorer's figure (`DepthPlot`) for one `lecturekit.diagnostics.snapshot`."""
    return DepthPlot().update(snapshot.grad_norms, activation_shares(snapshot.activations, activation),
                              activation, snapshot.overflow, summary)


def saturation_figure(runs, other_runs=None, threshold=0.05, title=""):
    """Glorot & Bengio (2010), Fig. 2, small. `runs` is one lecturekit.glorot.trajectory per seed
    (the first is drawn in the top panel), `other_runs` the same for a second init.
    Top: each hidden layer's mean output during training (line) and the lowest to the highest
    mean of its units (band), first run. Bottom left: the top layer's share of outputs below
    `threshold`, every run. Bottom right: the loss on all the data, every run, with ln 2."""
    fig = LectureFigure(figsize=(style.WIDTH, 6.6), layout="constrained")
    axes = fig.subplot_mosaic([["layers", "layers"], ["share", "loss"]])
    ax_layers, ax_share, ax_loss = axes["layers"], axes["share"], axes["loss"]
    first = runs[0]
    hidden = first["means"].shape[1]
    for layer in range(hidden):
        units = first["unit_means"][:, layer, :]
        color = colormaps[style.SEQUENTIAL](layer / max(hidden - 1, 1) * 0.85)
        ax_layers.fill_between(first["step"], units.min(axis=1), units.max(axis=1), color=color, alpha=0.2)
        ax_layers.plot(first["step"], first["means"][:, layer], color=color,
                       label=f"hidden layer {layer + 1}")
    ax_layers.set_ylim(0, 1)
    ax_layers.set_ylabel("output h")
    ax_layers.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=hidden, handlelength=1.2,
                     columnspacing=1.0,
                     title="first seed: each layer's mean (line), its units' min–max (band)")
    groups = (("standard init", runs, "-", style.BLUE),
              ("normalized init", other_runs or [], "--", style.ORANGE))
    for label, group, linestyle, color in groups:
        for i, run in enumerate(group):
            legend = f"{label} ({len(group)} seeds)" if i == 0 else None
            ax_share.plot(run["step"], run["saturated"], linestyle, color=color, lw=1.2, alpha=0.7,
                          label=legend)
            ax_loss.plot(run["step"], run["loss"], linestyle, color=color, lw=1.2, alpha=0.7)
    ax_share.set_ylim(-0.03, 1.03)
    ax_share.set_ylabel(f"share of outputs < {threshold:g}")
    ax_share.set_title("top hidden layer, every seed")
    ax_loss.axhline(np.log(2), color=style.COLORS["reference"], ls=":", lw=2.5,
                    label="ln 2 (the same guess for all)")
    ax_loss.set_ylabel("cross-entropy loss")
    ax_loss.set_title("loss on all the data, every seed")
    for ax in (ax_layers, ax_share, ax_loss):
        ax.set_xlabel("training step")
        style.integer_ticks(ax.xaxis)
    handles = [h for ax in (ax_share, ax_loss) for h in ax.get_legend_handles_labels()[0]]
    fig.legend(handles=handles, loc="outside lower center", ncols=2)
    if title:
        fig.suptitle(title)
    return fig
