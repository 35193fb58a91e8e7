"""Batch Normalization's figures (notebook 09)."""

import re
import textwrap

import numpy as np
from matplotlib.offsetbox import AnchoredOffsetbox, TextArea, VPacker

from .. import style
from .base import LectureFigure, Plot

#: The widest line of a note in a panel (characters at 12 pt).
NOTE_WIDTH = 36

#: A BN net with noise injected after each BN (Santurkar et al.'s test) is not the plain BN net:
#: it gets a colour of its own, next to style.COLORS' "no BN" and "BN".
NOISY_BN = style.ORANGE


def run_color(name):
    """The colour of a run named "no BN", "BN" or "BN + noise …" (the same in every figure);
    "BN: validation" takes the colour of "BN"."""
    name = name.split(":")[0]
    if name.startswith("BN +"):
        return NOISY_BN
    return style.COLORS.get(name, style.BLACK)


def comparison_figure(x, series, xlabel, ylabel, title="", logx=True, logy=True):
    """One line per series over the same x (e.g. final loss against weight scale, with and
    without BN), in the colour of its run (`run_color`: "BN: validation" is BN's colour, dashed);
    NaN (e.g. a median over seeds of which one diverged) leaves a gap, and the legend says at how
    many x values. Whole-number x on a linear axis (layers, steps) gets whole ticks."""
    fig = LectureFigure(figsize=(7.4, 4.2 if len(series) > 2 else 3.9), layout="constrained")
    ax = fig.add_subplot()
    x = np.asarray(x)
    for label, values in series.items():
        values = np.asarray(values, dtype=np.float64)
        gaps = int(np.sum(~np.isfinite(values)))
        ax.plot(x, values, "o--" if "validation" in label else "o-", color=run_color(label),
                label=label + (f" (no point at {gaps} of {len(values)} x)" if gaps else ""))
    if logx:
        ax.set_xscale("log")
    elif np.allclose(x, np.round(x)):
        style.integer_ticks(ax.xaxis)
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    fig.legend(loc="outside upper center", ncols=min(len(series), 2), frameon=False)
    if title:
        ax.set_title(title)
    return fig


def drift_figure(curves, title=""):
    """How far a layer's input distribution has drifted since step 1, one thin line per seed and
    one colour per setup: `curves` is {label: [drift by step, one array per seed]}."""
    fig = LectureFigure(figsize=(7.4, 3.9), layout="constrained")
    ax = fig.add_subplot()
    for label, runs in curves.items():
        for i, curve in enumerate(runs):
            ax.plot(np.arange(1, len(curve) + 1), curve, color=run_color(label), lw=1.2, alpha=0.8,
                    label=f"{label} ({len(runs)} seeds)" if i == 0 else None)
    ax.set_xlabel("step")
    ax.set_ylabel("drift / start width (p85 − p15)")
    style.integer_ticks(ax.xaxis)
    fig.legend(loc="outside upper center", ncols=len(curves), frameon=False)
    if title:
        ax.set_title(title)
    return fig


class BatchNormPlot(Plot):
    """Runs of the same net with and without BN (Ioffe & Szegedy 2015, Fig. 1): left, the
    training loss by step; right, the 15th, 50th and 85th percentile of the last hidden layer's
    pre-activation s by step (a line at the median, a band between the others).

    Both panels keep fixed ranges (LOSS_RANGE, S_RANGE) over every setting of the explorer, so
    positions compare across settings. Values beyond a range sit on its edge, and a note in the
    run's colour says at how many steps, from which step on; a run that diverged ends in an ✕ and
    its note says at which step. A grey dashed line is the loss of a constant guess (a net that
    learned nothing), if given."""

    LOSS_RANGE = (1e-3, 10.0)
    S_RANGE = (-3.0, 3.0)  # symmetric: the notes say "outside ±3"

    def __init__(self, runs=2, guess=None):
        super().__init__(height=4.0)
        self.ax_loss, self.ax_s = self.figure.subplots(1, 2)
        ax = self.ax_loss
        ax.set_yscale("log")
        ax.set_ylim(*self.LOSS_RANGE)
        ax.set_ylabel("training loss (MSE)")
        ax = self.ax_s
        ax.set_ylim(*self.S_RANGE)
        ax.set_ylabel("last hidden pre-activation s")
        ax.set_title("median, 15th–85th percentile")
        for ax in (self.ax_loss, self.ax_s):
            ax.set_xlabel("step")
            style.integer_ticks(ax.xaxis)
        self.lines, self.crosses, self.medians, self.bands = [], [], [], []
        for _ in range(runs):
            # The first run (no BN) is wider, below the others: where two runs coincide (on an
            # edge), it still shows around the other.
            width = 3.4 if runs > 1 and not self.lines else 2.0
            self.lines.append(self.moves(self.ax_loss.plot([], [], lw=width)[0]))
            # (the ✕ on the top edge shows whole, over the axes' frame)
            self.crosses.append(self.moves(self.ax_loss.plot([], [], "x", ms=11, mew=2.5, zorder=4,
                                                             clip_on=False)[0]))
            self.bands.append(self.moves(self.ax_s.fill_between([], [], [], alpha=0.25, lw=0)))
            self.medians.append(self.moves(self.ax_s.plot([], [], lw=width)[0]))
        handles = list(self.lines)
        if guess is not None:
            # Behind the runs, wide and pale: a net that learns nothing lies on it, and its line
            # shows in the middle of the reference's.
            handles.append(self.moves(self.ax_loss.axhline(
                guess, color=style.COLORS["reference"], ls="--", lw=6, alpha=0.45, zorder=1.5,
                label=f"constant guess {guess:.3g}")))
        # The legend names the runs; it is part of the still picture (text is slow to draw), so
        # a new name (another normalization) redraws the whole figure once.
        self.legend = self.figure.legend(handles, ["run"] * runs + [h.get_label() for h in handles[runs:]],
                                         loc="outside upper center", ncols=len(handles), frameon=False)
        self.guess = handles[-1] if guess is not None else None
        self.names = None
        self.loss_notes = _Notes(self, self.ax_loss, runs)
        self.s_notes = _Notes(self, self.ax_s, runs)
        self.steps = None

    def update(self, histories, steps=None, context=""):
        """Draw `histories` ({name: History}, at most `runs` of them, recorded with `watch`);
        the step axis spans `steps` (default: the longest run). `context` starts the summary."""
        if len(histories) > len(self.lines):
            raise ValueError(f"this plot draws at most {len(self.lines)} runs, got {len(histories)}")
        steps = steps or max(1, *(len(h.loss) for h in histories.values()))
        if steps != self.steps:  # only a new run length changes the step axis
            self.steps = steps
            for ax in (self.ax_loss, self.ax_s):  # step steps + 1: the loss after the last update
                ax.set_xlim(0.5 - 0.02 * steps, (steps + 1) * 1.02 + 0.5)
        slots = list(histories.items()) + [(None, None)] * (len(self.lines) - len(histories))
        if tuple(histories) != self.names:
            self.names = tuple(histories)
            self._name_runs([name for name, _ in slots])
        below = above = 0
        for k, (name, history) in enumerate(slots):
            if name is None:
                self.loss_notes.say(k, "")
                self.s_notes.say(k, "")
                continue
            color = run_color(name)
            self.loss_notes.say(k, self._draw_loss(k, name, history), color)
            note, (run_below, run_above) = self._draw_s(k, name, history)
            self.s_notes.say(k, note, color)
            below, above = below + run_below, above + run_above
        # Each box of notes goes to the corner with the least data under it; on s, first tried
        # at the edge where fewer steps leave the range.
        first = ("upper", "lower") if below > above else ("lower", "upper")
        guess = [self.guess] if self.guess is not None else []
        self.loss_notes.place(self.lines + guess, ("lower", "upper"))
        self.s_notes.place(self.medians + self.bands, first)
        runs = "; ".join(f"{name}: {history.message}" for name, history in histories.items())
        self.summary = f"{context} — {runs}" if context else runs
        return self

    def _name_runs(self, names):
        """Colours and legend labels for runs named `names` (None: no run in that slot)."""
        self.figure.stale = True  # the legend's parts do not say so themselves
        texts = self.legend.get_texts()
        for k, name in enumerate(names):
            artists = (self.lines[k], self.crosses[k], self.medians[k], self.legend.legend_handles[k])
            for artist in (*artists, self.bands[k], texts[k]):
                artist.set_visible(name is not None)
            if name is not None:
                for artist in artists:
                    artist.set_color(run_color(name))
                self.bands[k].set_facecolor(run_color(name))
                texts[k].set_text(name)

    def _draw_loss(self, k, name, history):
        low, high = self.LOSS_RANGE
        loss = history.loss_curve
        self.lines[k].set_data(np.arange(1, len(loss) + 1), np.clip(loss, low, high))
        notes = []
        if history.diverged_at is None:
            self.crosses[k].set_data([], [])
        else:
            last = np.clip(loss[-1], low, high) if len(loss) else high
            self.crosses[k].set_data([history.diverged_at], [last])
            notes.append(f"diverged at step {history.diverged_at}")
        notes += [_beyond(np.flatnonzero(loss > high), f"above {high:g}"),
                  _beyond(np.flatnonzero(loss < low), f"below {low:g}")]
        return _note(name, notes)

    def _draw_s(self, k, name, history):
        low, high = self.S_RANGE
        watched = np.reshape(history.watched, (-1, 3))
        steps = np.arange(1, len(watched) + 1)
        clipped = np.clip(watched, low, high)
        self.bands[k].set_data(steps, clipped[:, 0], clipped[:, 2])
        self.medians[k].set_data(steps, clipped[:, 1])
        below, above = watched[:, 0] < low, watched[:, 2] > high
        note = _beyond(np.flatnonzero(below | above), f"outside ±{high:g}")
        return _note(name, [note]), (int(below.sum()), int(above.sum()))


def _moves_whole(plot, artist):
    """plot.moves(artist), for an artist made of others (a legend, a box of texts): its parts
    change too, and a change to one of them must not make the rest of the figure stale."""
    for part in artist.findobj():
        part.set_animated(True)
    return plot.moves(artist)


class _Notes:
    """A box of notes in a corner of `ax`, one line or two per run, each in its run's colour;
    it takes no room in the layout (its text changes with the settings)."""

    def __init__(self, plot, ax, runs):
        self.areas = [TextArea("") for _ in range(runs)]
        self.box = _moves_whole(plot, AnchoredOffsetbox(
            "lower left", child=VPacker(children=self.areas, sep=4), frameon=True, pad=0.3, borderpad=0.4))
        self.box.patch.set(facecolor="white", edgecolor="none", alpha=0.85)
        self.box.set_in_layout(False)
        ax.add_artist(self.box)

    def say(self, k, text, color=style.BLACK):
        area = self.areas[k]
        area.set_text(text)
        area.get_children()[0].set_color(color)  # the area's Text
        area.set_visible(bool(text))
        self.box.set_visible(any(a.get_visible() for a in self.areas))

    def place(self, artists, rows=("lower", "upper")):
        """Put the box in the corner (rows in this order, left before right) where the fewest
        points of the visible `artists` (lines, bands) would lie under it."""
        ax = self.box.axes
        lines = sum(len(area.get_children()[0].get_text().splitlines()) for area in self.areas
                    if area.get_visible())
        height = (lines * 19 + 12) / max(ax.bbox.height, 1)  # ~19 px a line of 12 pt text
        points = [np.empty((0, 2))]
        for artist in artists:
            if not artist.get_visible():
                continue
            if hasattr(artist, "get_xydata"):
                xy = artist.get_xydata()
                if len(xy) == 2 and xy[0, 0] == 0 and xy[1, 0] == 1:  # a reference line across
                    xy = np.column_stack([np.linspace(*ax.get_xlim(), 20), np.full(20, xy[0, 1])])
                else:
                    xy = np.column_stack([np.interp(np.arange(0, len(xy) - 0.5, 0.25), np.arange(len(xy)),
                                                    xy[:, i]) for i in (0, 1)]) if len(xy) > 1 else xy
                points.append((ax.transScale + ax.transLimits).transform(np.asarray(xy, float)))
            else:  # a band
                for path in artist.get_paths():
                    points.append((ax.transScale + ax.transLimits).transform(path.vertices))
        points = np.concatenate(points)
        points = points[np.all(np.isfinite(points), axis=1)]
        best = None
        for row in rows:
            for side in ("left", "right"):
                x = points[:, 0] < 0.8 if side == "left" else points[:, 0] > 0.2
                y = points[:, 1] < height if row == "lower" else points[:, 1] > 1 - height
                under = int(np.sum(x & y))
                if best is None or under < best[0]:
                    best = (under, f"{row} {side}")
        self.box.loc = AnchoredOffsetbox.codes[best[1]]


def _beyond(rows, where):
    """'above 10 at 8 steps, from step 12' for `rows`, the (0-based) steps at which a run is
    beyond its panel's range; '' if there are none."""
    if not len(rows):
        return ""
    if len(rows) == 1:
        return f"{where} at step {rows[0] + 1}"
    return f"{where} at {len(rows)} steps, from step {rows[0] + 1}"


def _note(name, facts):
    """A run's note, wrapped to fit in a panel ('' without facts); numbers stay with their
    words."""
    facts = [fact for fact in facts if fact]
    if not facts:
        return ""
    text = f"{name}: " + "; ".join(facts)
    text = re.sub(r"\b(from step \d+|at \d+ steps|at step \d+|(above|below|outside) \S+)",
                  lambda words: words.group(0).replace(" ", "\u00a0"), text)
    return textwrap.fill(text, width=NOTE_WIDTH, break_on_hyphens=False)


def batchnorm_figure(histories, title="", guess=None):
    """The explorer's BatchNormPlot for `histories` ({name: History}, recorded with `watch`),
    with `title` at the start of its summary line and the loss of a constant guess, if given."""
    return BatchNormPlot(runs=len(histories), guess=guess).update(histories, context=title)
