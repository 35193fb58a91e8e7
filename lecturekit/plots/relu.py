"""Dead ReLU units (notebook 05)."""

import numpy as np
from matplotlib import colormaps
from matplotlib.colors import LogNorm

from .. import style
from .base import LectureFigure, Plot

#: The loss axis of the dead-ReLU explorer, fixed over its sliders: every run starts between 0.3
#: and 6 and the lowest loss 600 steps reach is about 2 × 10⁻³; a run on its way to diverging
#: goes far above 10², and sits on the edge there.
LOSS_RANGE = (1e-3, 1e2)
#: The step axis spans the first of these that holds the run, so that most steps of the steps
#: slider keep the axes (the default, 200, sits inside a span).
STEP_AXES = (10, 20, 30, 40, 50, 60, 80, 100, 125, 160, 250, 320, 400, 500, 600)


def _layer_colors(count):
    """One shade of the sequential colour map per hidden layer, first (dark) to last."""
    return [colormaps[style.SEQUENTIAL](k / max(count - 1, 1) * 0.85) for k in range(count)]


def _layer_widths(count):
    """Line widths per hidden layer, wide (first) to narrow (last): lines that coincide (two layers
    both 100% dead) all stay visible, each narrower one inside the one below it."""
    return np.linspace(6.0, 1.5, count) if count > 1 else np.array([2.0])


def _leaves(where):
    """The steps (a mask) at which a run goes beyond an axis edge: beyond now, not the step before."""
    return where & ~np.concatenate(([False], where[:-1]))


def _median_and_range(values):
    """(median, min, max) over axis 0 of the finite entries, NaN where there are none."""
    out = np.full((3, *values.shape[1:]), np.nan)
    for index in np.ndindex(values.shape[1:]):
        column = values[(slice(None), *index)]
        column = column[np.isfinite(column)]
        if column.size:
            out[(slice(None), *index)] = np.median(column), column.min(), column.max()
    return out


def dead_relu_figure(sweep, title=""):
    """A `dead_relu_sweep` over several seeds, one cell per initial bias × learning rate: the
    share of dead hidden units (left) and the final loss (right), as the median over the seeds
    whose run did not diverge, with the min–max on the line below it. If some run diverged, every
    cell says how many of its runs did (also "0/8 diverged"), and a cell where every run diverged
    is grey and says "diverged"; if none did, the figure says so once, below the panels."""
    fig = LectureFigure(figsize=(style.WIDTH, 4.8), layout="constrained")
    fig.get_layout_engine().set(wspace=0.08)
    ax_dead, ax_loss = fig.subplots(1, 2)
    seeds = len(sweep["seeds"])
    diverged = sweep["diverged"].sum(axis=0)
    dead = _median_and_range(sweep["dead"])
    loss = _median_and_range(sweep["loss"])
    finite_loss = sweep["loss"][np.isfinite(sweep["loss"])]
    low, high = (finite_loss.min(), finite_loss.max()) if finite_loss.size else (1e-3, 1.0)
    panels = ((ax_dead, dead, "Reds", {"vmin": 0.0, "vmax": 1.0}, "{:.0%}", "dead units", "share dead"),
              (ax_loss, loss, "viridis_r", {"norm": LogNorm(low, max(high, 1.5 * low))}, "{:.2g}",
               "final loss", "loss"))
    for ax, (median, smallest, largest), cmap, scale, fmt, name, label in panels:
        image = ax.imshow(np.ma.masked_invalid(median), cmap=colormaps[cmap].with_extremes(bad="0.85"),
                          aspect="auto", **scale)
        style.colorbar(fig, image, ax, label)
        ax.set_title(f"{name}: median,\nmin–max below it")
        for (i, j), value in np.ndenumerate(median):
            if diverged[i, j] == seeds:
                text = "diverged"
            else:
                text = f"{fmt.format(value)}\n{fmt.format(smallest[i, j])}–{fmt.format(largest[i, j])}"
                if diverged.any():
                    text += f"\n{diverged[i, j]}/{seeds} diverged"
            dark = np.isfinite(value) and image.norm(value) > 0.6  # both maps darken upwards
            ax.text(j, i, text, ha="center", va="center", color="white" if dark else "black")
        ax.set_xticks(range(len(sweep["learning_rates"])), [f"{r:g}" for r in sweep["learning_rates"]])
        ax.set_yticks(range(len(sweep["bias_inits"])), [style.three_digits(b) for b in sweep["bias_inits"]])
        ax.set_xlabel("learning rate α")
        ax.set_ylabel("initial bias")
        ax.grid(False)
    if not diverged.any():
        fig.supxlabel(f"no run diverged (0/{seeds} seeds in every cell)")
    if title:
        fig.suptitle(title)
    return fig


class DeadReluPlot(Plot):
    """Training loss (left) and each hidden layer's share of dead units (right), by step, from
    `lecturekit.experiments.dead_units`, on fixed ranges. A ○ marks a step at which a dead unit of
    that layer came back; the right panel's title counts them. Layer lines go from wide (first) to
    narrow (last), so coinciding lines all show. A run that diverged ends at a dashed line; where
    the loss leaves its axis a ▲ (▼) sits on the edge, and the panel says how many steps are beyond."""

    def __init__(self, layers=3, constant_guess=None):
        super().__init__(height=4.0)
        self.ax_loss, self.ax_dead = self.figure.subplots(1, 2)
        ax = self.ax_loss
        ax.set_yscale("log")
        ax.set_ylim(*LOSS_RANGE)
        ax.set_xlabel("step")
        ax.set_ylabel("training loss (MSE)")
        style.integer_ticks(ax.xaxis)
        if constant_guess is not None:
            ax.axhline(constant_guess, color=style.COLORS["reference"], ls=":", lw=2.5)
            ax.text(0.98, constant_guess * 1.25, f"constant guess {constant_guess:.3g}", ha="right",
                    va="bottom", color=style.COLORS["reference"], transform=ax.get_yaxis_transform())
        self.loss = self.moves(ax.plot([], [], lw=2)[0])
        edge = {"clip_on": False, "ls": "none", "ms": 8, "zorder": 4}
        self.above = self.moves(ax.plot([], [], "^", **edge)[0])
        self.below = self.moves(ax.plot([], [], "v", **edge)[0])
        self.beyond = self.moves(ax.text(0.03, 0.04, "", transform=ax.transAxes, va="bottom",
                                         bbox={"boxstyle": "round,pad=0.25", "fc": "white",
                                               "ec": "0.6", "alpha": 0.9}, zorder=5))
        self.loss_title = self.moves(ax.set_title(" ", pad=10))

        ax = self.ax_dead
        ax.set_ylim(-0.02, 1.02)
        ax.set_xlabel("step")
        ax.set_ylabel("share of units dead")
        style.integer_ticks(ax.xaxis)
        self.shares, self.revivals = [], []
        styles = zip(_layer_colors(layers), _layer_widths(layers), strict=True)
        for layer, (color, width) in enumerate(styles):
            self.shares.append(self.moves(ax.plot([], [], color=color, lw=width, solid_capstyle="butt",
                                                  label=f"hidden layer {layer + 1}")[0]))
            self.revivals.append(self.moves(ax.plot([], [], "o", ms=7, color=color, mec=style.BLACK,
                                                    mew=0.8, zorder=4)[0]))
        ax.plot([], [], "o", ms=7, color="white", mec=style.BLACK, mew=0.8, label="a dead unit came back")
        self.dead_title = self.moves(ax.set_title(" ", pad=10))
        self.diverged = [self.moves(a.axvline(0, color=style.BLACK, ls="--", lw=1.5))
                         for a in (self.ax_loss, self.ax_dead)]
        self.figure.legend(*ax.get_legend_handles_labels(), loc="outside upper center", ncols=4,
                           handlelength=1.2, columnspacing=1.0)
        for text in (self.beyond,):
            text.set_in_layout(False)
        self.span = None

    def update(self, losses, dead, diverged_at=None, activation="relu", summary="", steps=None):
        """`losses` (steps taken,) and `dead` (steps taken, hidden layers, width) from
        `dead_units`; `diverged_at` the step at which the run diverged (it stops there) or None;
        `steps` the steps asked for (the step axis spans them even if the run stopped early)."""
        steps = steps or len(losses) + (diverged_at is not None)
        span = next((n for n in STEP_AXES if n >= steps), steps)
        if span != self.span:  # the step axes hold the run (redraws the whole figure)
            self.span = span
            for ax in (self.ax_loss, self.ax_dead):
                ax.set_xlim(0.5 - 0.02 * span, span + 0.5 + 0.02 * span)
        taken = np.arange(1, len(losses) + 1)
        self.loss.set_data(taken, losses)
        self.loss.set_color(style.COLORS.get(activation, style.BLUE))
        low, high = LOSS_RANGE
        above, below = losses > high, losses < low
        # One mark where the loss leaves the axis (not one per step beyond it: they would merge).
        self.above.set_data(taken[_leaves(above)], np.full(np.count_nonzero(_leaves(above)), high))
        self.below.set_data(taken[_leaves(below)], np.full(np.count_nonzero(_leaves(below)), low))
        for line in (self.above, self.below):
            line.set_color(style.COLORS.get(activation, style.BLUE))
        notes = []
        if above.any():
            notes.append(f"▲ {_steps(above)} above {high:g} from step {taken[above][0]},\n"
                         f"   up to {losses.max():.2g}")
        if below.any():
            notes.append(f"▼ {_steps(below)} below {low:g} from step {taken[below][0]},\n"
                         f"   down to {losses.min():.2g}")
        self.beyond.set_text("\n".join(notes))
        self.beyond.set_visible(bool(notes))
        if diverged_at is not None:
            self.loss_title.set_text(f"diverged at step {diverged_at}")
        elif len(losses):
            self.loss_title.set_text(f"loss {losses[0]:.3g} → {losses[-1]:.3g}")
        for line in self.diverged:
            line.set_xdata([diverged_at or 0] * 2)
            line.set_visible(diverged_at is not None)

        counts = []
        for layer, (share_line, back_line) in enumerate(zip(self.shares, self.revivals, strict=True)):
            share = dead[:, layer].mean(axis=1) if len(dead) else np.array([])
            came_back = dead[:-1, layer] & ~dead[1:, layer]
            back = np.flatnonzero(came_back.any(axis=1)) + 1  # index of step t + 1
            counts.append(int(np.count_nonzero(came_back)))
            share_line.set_data(taken, share)
            back_line.set_data(taken[back], share[back])
        self.dead_title.set_text("○ came back: " + ", ".join(map(str, counts)) + " times")
        self.summary = summary
        return self


def _steps(where):
    """'1 step' or '199 steps' for a boolean mask over steps."""
    count = int(np.count_nonzero(where))
    return f"{count} step" + ("" if count == 1 else "s")


def training_dead_figure(losses, dead, diverged_at=None, activation="relu", summary="",
                         constant_guess=None, steps=None):
    """The dead-ReLU explorer's figure (`DeadReluPlot`) for one run of `dead_units`."""
    return DeadReluPlot(dead.shape[1], constant_guess).update(losses, dead, diverged_at, activation,
                                                              summary, steps)


def dead_traces_figure(traces, title=""):
    """The share of dead hidden units by step, one thin line per seed (and their median, thick)
    and one panel per setting: `traces` maps a label to a (seeds, steps) array
    (the "dead_by_step" of `experiments.dead_relu_sweep`)."""
    fig = LectureFigure(figsize=(style.WIDTH, 3.6), layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, len(traces)))
    top = max(np.nanmax(shares) for shares in traces.values())
    for ax, (label, shares) in zip(axes, traces.items(), strict=True):
        steps = np.arange(1, shares.shape[1] + 1)
        for row in shares:
            ax.plot(steps, row, lw=1, alpha=0.7, color=style.COLORS["relu"])
        ax.plot(steps, np.nanmedian(shares, axis=0), lw=3, color=style.BLACK,
                label=f"median of {len(shares)} seeds")
        ax.set_title(f"{label}: median {np.nanmedian(shares[:, 0]):.0%} → "
                     f"{np.nanmedian(shares[:, -1]):.0%}")
        ax.set_xscale("log")
        ax.set_xlabel("step (log scale)")
        ax.set_ylabel("share of hidden units dead")
        ax.set_ylim(-0.02 * top, 1.05 * top)  # the same range in every panel
    axes[0].legend(loc="upper left")
    if title:
        fig.suptitle(title)
    return fig
