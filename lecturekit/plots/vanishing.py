"""Activations, gradients by depth and saturation (notebook 04)."""

import numpy as np
from matplotlib import colormaps
from matplotlib.colors import LogNorm

from ..style import NEGATIVE, POSITIVE
from .base import LectureFigure


def activation_figure(function):
    """f(s) and f′(s) on s ∈ [−6, 6], with the largest f′ marked (sigmoid: 0.25 at s = 0)."""
    s = np.linspace(-6.0, 6.0, 1201)
    h = function.f(s)
    derivative = function.derivative(s, h)
    fig = LectureFigure(figsize=(9, 3.4), layout="constrained")
    ax_f, ax_d = fig.subplots(1, 2)
    ax_f.plot(s, h, color=POSITIVE)
    ax_f.set_ylabel(f"{function.name}(s)")
    ax_d.plot(s, derivative, color=NEGATIVE)
    peak = int(np.argmax(derivative))
    top = np.flatnonzero(derivative == derivative[peak])
    if len(top) == 1:  # one point (sigmoid: 0.25 at s = 0)
        where = f"at s = {s[peak]:.3g}"
    elif top[0] == 0:  # f′ is the same everywhere (identity)
        where = "for every s"
    else:  # a plateau from the kink on (ReLU: f′ = 1 for every s > 0)
        where = f"for every s > {s[top[0] - 1]:.3g}"
    ax_d.plot(s[top], derivative[top], "o" if len(top) == 1 else "-", color="black", lw=3)
    middle = top[len(top) // 2]
    ax_d.annotate(f"max f′ = {derivative[peak]:.3g} {where}", (s[middle], derivative[middle]),
                  textcoords="offset points", xytext=(8 if len(top) == 1 else -60, -14), fontsize=9)
    ax_d.set_ylabel(f"{function.name}′(s)")
    for ax in (ax_f, ax_d):
        ax.set_xlabel("s")
        ax.grid(True, alpha=0.3)
    fig.suptitle(f"{function.name} and its derivative: the activation's factor f′ in each layer's "
                 f"gradient is at most {derivative[peak]:.3g}", fontsize=10)
    return fig


def depth_figure(snapshot, activation, title):
    """Left: log₁₀ ‖∂L/∂W_l‖ by layer l, with the sigmoid bound 0.25^(L−l) × ‖∂L/∂W_L‖.
    Right: the distribution of every hidden layer's activations (Glorot & Bengio 2010, Fig. 3–4),
    one column per layer."""
    fig = LectureFigure(figsize=(11, 4.0), layout="constrained")
    ax_grad, ax_act = fig.subplots(1, 2)
    norms = snapshot.grad_norms
    layers = np.arange(1, len(norms) + 1)
    ax_grad.set_xlabel("layer l (1 = next to the input)")
    ax_grad.set_ylabel("log10 ‖∂L/∂W_l‖")
    ax_grad.grid(True, alpha=0.3)
    fig.suptitle(title, fontsize=10)
    if snapshot.overflow:
        for ax in (ax_grad, ax_act):
            ax.text(0.5, 0.5, f"exploded: {snapshot.overflow}", ha="center", va="center",
                    wrap=True, fontsize=9, color=NEGATIVE, transform=ax.transAxes)
        ax_act.set_xlabel("hidden layer")
        ax_act.set_ylabel("activation h")
        return fig
    positive = norms > 0
    ax_grad.plot(layers[positive], np.log10(norms[positive]), "o-", ms=3, color=POSITIVE,
                 label="‖∂L/∂W_l‖ (backward)")
    if not positive.all():
        ax_grad.plot([], [], " ", label=f"layers 1–{np.flatnonzero(positive)[0]}: underflowed to 0 "
                                          "(< 1e-308)")
    if activation == "sigmoid" and norms[-1] > 0:
        bound = np.log10(norms[-1]) + (len(norms) - layers) * np.log10(0.25)
        ax_grad.plot(layers, bound, "--", color="0.4", label="f′ factors alone: 0.25^(L−l) × ‖∂L/∂W_L‖")
    ax_grad.legend(fontsize=8, loc="best")

    values = np.concatenate([h.ravel() for h in snapshot.activations]) if snapshot.activations else []
    if len(values):
        low, high = np.percentile(values, [0.5, 99.5])
        high = high if high > low else low + 1.0
        bins = np.linspace(low, high, 41)
        counts = np.array([np.histogram(h, bins)[0] / h.size for h in snapshot.activations]).T
        # A log colour scale: ReLU puts about half of every layer in the bin at 0, and a linear
        # scale would leave the rest of the picture white. Empty bins stay white.
        smallest = 1.0 / max(h.size for h in snapshot.activations)
        image = ax_act.imshow(np.where(counts > 0, counts, np.nan), aspect="auto", origin="lower",
                              cmap="viridis", norm=LogNorm(vmin=smallest, vmax=1.0),
                              extent=(0.5, len(snapshot.activations) + 0.5, low, high))
        fig.colorbar(image, ax=ax_act, label="share of the layer's activations in the bin")
        # The axis spans the 0.5–99.5th percentile of all layers pooled; np.histogram drops the rest.
        outside = int(np.sum((values < low) | (values > high)))
        ax_act.set_xlabel(f"hidden layer ({outside} of {len(values)} values outside the axis, not drawn)"
                          if outside else "hidden layer")
    else:
        ax_act.set_xlabel("hidden layer")
    ax_act.set_ylabel("activation h (white: none)")
    return fig


def saturation_figure(runs, other_runs=None, threshold=0.05, title=""):
    """Glorot & Bengio (2010), Fig. 2, small. `runs` is one lecturekit.glorot.trajectory per seed
    (the first is drawn in the left panel), `other_runs` the same for a second init.
    Left: each hidden layer's mean output during training (line) and the lowest to the highest
    mean of its units (band), first run. Middle: the top layer's share of outputs below
    `threshold`, every run. Right: the loss on all the data, every run, with ln 2."""
    fig = LectureFigure(figsize=(12, 3.7), layout="constrained")
    ax_layers, ax_share, ax_loss = fig.subplots(1, 3)
    first = runs[0]
    for layer in range(first["means"].shape[1]):
        units = first["unit_means"][:, layer, :]
        color = colormaps["viridis"](layer / max(first["means"].shape[1] - 1, 1) * 0.85)
        ax_layers.fill_between(first["step"], units.min(axis=1), units.max(axis=1), color=color, alpha=0.2)
        ax_layers.plot(first["step"], first["means"][:, layer], color=color,
                       label=f"hidden layer {layer + 1}")
    ax_layers.set_ylim(0, 1)
    ax_layers.set_ylabel("output h: mean (line), units' min–max (band)")
    ax_layers.set_title("first seed: every hidden layer", fontsize=9)
    lines = (("standard init", runs, "-"), ("normalized init", other_runs or [], "--"))
    for label, group, linestyle in lines:
        for i, run in enumerate(group):
            legend = f"{label} ({len(group)} seeds)" if i == 0 else None
            color = "C0" if linestyle == "-" else "C1"
            ax_share.plot(run["step"], run["saturated"], linestyle, color=color, lw=1, alpha=0.7,
                          label=legend)
            ax_loss.plot(run["step"], run["loss"], linestyle, color=color, lw=1, alpha=0.7, label=legend)
    ax_share.set_ylim(-0.03, 1.03)
    ax_share.set_ylabel(f"top hidden layer: share of outputs < {threshold}")
    ax_share.set_title("top hidden layer, every seed", fontsize=9)
    ax_loss.axhline(np.log(2), color="0.4", ls=":", label="ln 2 (the same guess for every input)")
    ax_loss.set_ylabel("cross-entropy loss on all the data")
    ax_loss.set_title("loss, every seed", fontsize=9)
    for ax in (ax_layers, ax_share, ax_loss):
        ax.set_xlabel("training step")
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=7)
    fig.suptitle(title, fontsize=10)
    return fig

