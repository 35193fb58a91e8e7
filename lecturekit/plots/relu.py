"""Dead ReLU units (notebook 05)."""

import numpy as np
from matplotlib import colormaps

from ..style import NEGATIVE
from .base import LectureFigure


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
    whose run did not diverge, with the min–max below it. Every cell says how many runs diverged
    (also "0/8 diverged"); a cell where every run diverged is grey and says "diverged"."""
    fig = LectureFigure(figsize=(11, 3.8), layout="constrained")
    ax_dead, ax_loss = fig.subplots(1, 2)
    seeds = len(sweep["seeds"])
    diverged = sweep["diverged"].sum(axis=0)
    dead = _median_and_range(sweep["dead"])
    loss = _median_and_range(sweep["loss"])
    finite_loss = sweep["loss"][np.isfinite(sweep["loss"])]
    low, high = (np.log10(finite_loss.min()), np.log10(finite_loss.max())) if finite_loss.size else (-3, 0)
    panels = ((ax_dead, dead, dead[0], "Reds", 0.0, 1.0, "{:.0%}",
               f"share of dead hidden units (median of {seeds} seeds)"),
              (ax_loss, loss, np.log10(loss[0]), "viridis_r", low, max(high, low + 0.1), "{:.2g}",
               f"final loss, log10 (median of {seeds} seeds)"))
    for ax, (median, smallest, largest), shade, cmap, vmin, vmax, fmt, label in panels:
        image = ax.imshow(np.ma.masked_invalid(shade), cmap=colormaps[cmap].with_extremes(bad="0.85"),
                          vmin=vmin, vmax=vmax, aspect="auto")
        fig.colorbar(image, ax=ax, label=label)
        for (i, j), value in np.ndenumerate(median):
            if diverged[i, j] == seeds:
                text = "diverged"
            else:
                text = f"{fmt.format(value)}\n({fmt.format(smallest[i, j])}–{fmt.format(largest[i, j])})"
                text += f"\n{diverged[i, j]}/{seeds} diverged"
            dark = np.isfinite(shade[i, j]) and (shade[i, j] - vmin) / (vmax - vmin) > 0.6
            ax.text(j, i, text, ha="center", va="center", fontsize=8,
                    color="white" if dark else "black")
        ax.set_xticks(range(len(sweep["learning_rates"])), [f"{r:g}" for r in sweep["learning_rates"]])
        ax.set_yticks(range(len(sweep["bias_inits"])), [f"{b:g}" for b in sweep["bias_inits"]])
        ax.set_xlabel("learning rate α")
        ax.set_ylabel("initial bias of hidden units")
    fig.suptitle(title, fontsize=10)
    return fig


def training_dead_figure(losses, dead, diverged_at=None, title=""):
    """Training loss (left) and each hidden layer's share of dead units (right), by step, from
    `lecturekit.experiments.dead_units`. A ▲ marks a step at which a dead unit of that layer came
    back; the legend counts them."""
    fig = LectureFigure(figsize=(11, 3.6), layout="constrained")
    ax_loss, ax_dead = fig.subplots(1, 2)
    steps = np.arange(1, len(losses) + 1)
    ax_loss.semilogy(steps, losses)
    ax_loss.set_xlabel("step")
    ax_loss.set_ylabel("training loss (MSE, log scale)")
    ax_loss.grid(True, which="both", alpha=0.3)
    for layer in range(dead.shape[1]):
        share = dead[:, layer].mean(axis=1)
        back = np.flatnonzero((dead[:-1, layer] & ~dead[1:, layer]).any(axis=1)) + 1  # index of t + 1
        count = int(np.count_nonzero(dead[:-1, layer] & ~dead[1:, layer]))
        label = f"hidden layer {layer + 1}: {count} revival{'' if count == 1 else 's'}"
        line, = ax_dead.plot(steps, share, label=label)
        ax_dead.plot(steps[back], share[back], "^", ms=5, color=line.get_color())
    ax_dead.set_ylim(-0.02, 1.02)
    ax_dead.set_xlabel("step")
    ax_dead.set_ylabel("share of units dead (s ≤ 0 on every input)")
    ax_dead.grid(True, alpha=0.3)
    if diverged_at is not None:
        for ax in (ax_loss, ax_dead):
            ax.axvline(diverged_at, color=NEGATIVE, ls="--", label=f"diverged at step {diverged_at}")
    ax_dead.legend(fontsize=8, title="▲ a dead unit came back", title_fontsize=8)
    fig.suptitle(title, fontsize=10)
    return fig


def dead_traces_figure(traces, title=""):
    """The share of dead hidden units by step, one thin line per seed and one panel per setting:
    `traces` maps a label to a (seeds, steps) array (`experiments.dead_share_by_step`)."""
    fig = LectureFigure(figsize=(11, 3.4), layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, len(traces), sharey=True))
    for ax, (label, shares) in zip(axes, traces.items(), strict=True):
        steps = np.arange(1, shares.shape[1] + 1)
        for row in shares:
            ax.plot(steps, row, lw=1, alpha=0.8)
        ax.set_title(f"{label}: median {np.nanmedian(shares[:, 0]):.0%} at step 1, "
                     f"{np.nanmedian(shares[:, -1]):.0%} at step {shares.shape[1]}", fontsize=9)
        ax.set_xscale("log")
        ax.set_xlabel("step (log scale)")
        ax.grid(True, alpha=0.3)
    axes[0].set_ylabel("share of hidden units dead")
    fig.suptitle(title, fontsize=10)
    return fig

