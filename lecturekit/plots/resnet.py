"""Residual blocks: the one-weight example and the degradation problem (notebook 07)."""

import numpy as np

from ..style import NEGATIVE, POSITIVE
from .base import LectureFigure


def scalar_resnet_figure(x, y, w_start=0.0):
    """The slides' one-weight example: E(w) without and with the shortcut (left) and ∂E/∂w
    (right), with each optimum and the gradient at w_start marked."""
    from .. import scalar_resnet as sr

    w = sr.weights_grid(x, y)
    fig = LectureFigure(figsize=(11, 3.8), layout="constrained")
    ax_loss, ax_grad = fig.subplots(1, 2)
    for shortcut, color, name in ((False, NEGATIVE, "no shortcut: ŷ = wx"),
                                  (True, POSITIVE, "shortcut: ŷ = wx + x")):
        best = sr.best_weight(x, y, shortcut)
        ax_loss.plot(w, sr.loss(w, x, y, shortcut), color=color, label=f"{name}, best w = {best:g}")
        ax_loss.plot(best, 0, "o", color=color)
        ax_grad.plot(w, sr.gradient(w, x, y, shortcut), color=color,
                     label=f"{name}: ∂E/∂w at w = {w_start:g} is {sr.gradient(w_start, x, y, shortcut):g}")
    ax_loss.axvline(w_start, color="0.6", ls=":")
    ax_grad.axvline(w_start, color="0.6", ls=":")
    ax_grad.axhline(0, color="0.6", lw=0.8)
    ax_loss.set_xlabel("w")
    ax_loss.set_ylabel("E(w) = (ŷ − y)²")
    ax_grad.set_xlabel("w")
    ax_grad.set_ylabel("∂E/∂w")
    for ax in (ax_loss, ax_grad):
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8)
    fig.suptitle(f"x = {x:g}, target y = {y:g}: without the shortcut the best w is "
                 f"{sr.best_weight(x, y, False):g}, with it {sr.best_weight(x, y, True):g}", fontsize=10)
    return fig


def degradation_figure(depths, plain, residual, ylabel="final training loss (log scale)", title="",
                       connect=True, lines=True):
    """A number against depth, plain vs residual: the final training loss (He et al. 2016, Fig. 1
    and 6), or any other per-seed measurement (`ylabel` says which).

    plain, residual: (seeds, depths) arrays (NaN where a run diverged). The y axis is logarithmic.
    connect=True: each seed is a thin line, the thick line joins the medians (for a depth sweep).
    connect=False: each seed is a dot and the median a bar, at each depth apart, with nothing
    drawn between the depths (for a few depths, where a line would suggest values in between).
    lines=False (with connect=True): the same depth axis, but markers only, no lines between depths.
    """
    fig = LectureFigure(figsize=(6.5, 3.8), layout="constrained")
    ax = fig.add_subplot()
    positions = np.arange(len(depths)) if not connect else np.asarray(depths)
    for offset, (kind, values, color) in zip((-0.15, 0.15), (("plain", plain, NEGATIVE),
                                                            ("residual", residual, POSITIVE)), strict=True):
        values = np.atleast_2d(np.asarray(values, dtype=float))
        medians = np.nanmedian(values, axis=0)
        if connect:
            for row in values:
                ax.semilogy(positions, row, "-" if lines else ".", color=color, alpha=0.3, lw=1)
            ax.semilogy(positions, medians, "o-" if lines else "o", color=color, lw=2.5,
                        label=f"{kind} net: median of {len(values)} seeds "
                              f"({'thin' if lines else 'small'}: each seed)")
            continue
        for column, position in enumerate(positions + offset):
            ax.semilogy(np.full(len(values), position), values[:, column], "o", color=color, alpha=0.55,
                        ms=5, label=f"{kind} net: each of {len(values)} seeds" if column == 0 else None)
            ax.plot([position - 0.1, position + 0.1], [medians[column]] * 2, "-", color=color, lw=3,
                    label=f"{kind} net: median" if column == 0 else None)
    ax.set_xticks(positions, [str(d) for d in depths])
    if not connect:
        ax.set_xlim(positions[0] - 0.6, positions[-1] + 0.6)
    ax.set_xlabel("depth (weight layers)")
    ax.set_ylabel(ylabel)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    ax.set_title(title, fontsize=10)
    return fig

