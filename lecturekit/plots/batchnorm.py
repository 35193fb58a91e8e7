"""Batch Normalization's figures (notebook 09)."""

import numpy as np

from .base import LectureFigure, loss_curves


def comparison_figure(x, series, xlabel, ylabel, title="", logx=True, logy=True):
    """One line per series over the same x (e.g. final loss against weight scale, with and
    without BN); NaN (e.g. a median over seeds of which one diverged) leaves a gap, and the
    legend says at how many x values."""
    fig = LectureFigure(figsize=(6.5, 3.8), layout="constrained")
    ax = fig.add_subplot()
    for label, values in series.items():
        values = np.asarray(values, dtype=np.float64)
        gaps = int(np.sum(~np.isfinite(values)))
        ax.plot(x, values, "o-", label=label + (f" (no point at {gaps} of {len(values)} x)" if gaps else ""))
    if logx:
        ax.set_xscale("log")
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    ax.set_title(title, fontsize=10)
    return fig


def drift_figure(curves, title=""):
    """How far a layer's input distribution has drifted since step 1, one thin line per seed and
    one colour per setup: `curves` is {label: [drift by step, one array per seed]}."""
    fig = LectureFigure(figsize=(6.5, 3.8), layout="constrained")
    ax = fig.add_subplot()
    for (label, runs), color in zip(curves.items(), ("C0", "C1", "C2", "C3"), strict=False):
        for i, curve in enumerate(runs):
            ax.plot(np.arange(1, len(curve) + 1), curve, color=color, lw=1, alpha=0.8,
                    label=f"{label} ({len(runs)} seeds)" if i == 0 else None)
    ax.set_xlabel("step")
    ax.set_ylabel("drift since step 1 (in step-1 widths p85 − p15)")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    ax.set_title(title, fontsize=10)
    return fig


def batchnorm_figure(histories, title=""):
    """Left: training loss by step. Right: the 15th, 50th and 85th percentile of one hidden
    layer's input over training (Ioffe & Szegedy 2015, Fig. 1b–c), one band per run."""
    fig = LectureFigure(figsize=(11, 3.8), layout="constrained")
    ax_loss, ax_dist = fig.subplots(1, 2)
    colors = loss_curves(ax_loss, histories)
    for (label, history), color in zip(histories.items(), colors, strict=True):
        if len(history.watched):
            steps = np.arange(1, len(history.loss) + 1)
            low, mid, high = history.watched.T
            ax_dist.fill_between(steps, low, high, color=color, alpha=0.2)
            ax_dist.plot(steps, mid, color=color, label=f"{label}: 15/50/85th percentile")
    ax_dist.set_xlabel("step")
    ax_dist.set_ylabel("input s of the last hidden layer")
    for ax in (ax_loss, ax_dist):
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8)
    fig.suptitle(title, fontsize=10)
    return fig

