"""Pure figure builders: data in, a matplotlib Figure out.

No pyplot state: each function makes its own `Figure`, so a notebook cell that ends with one
shows it, and a widget callback can display it without touching other figures. Labels are in
English (they must render on machines without CJK fonts).
"""

import re

import numpy as np
from matplotlib import colormaps
from matplotlib.colors import LogNorm
from matplotlib.figure import Figure
from matplotlib.ticker import LogFormatterSciNotation

POSITIVE, NEGATIVE = "#1f77b4", "#d62728"

_SUPERSCRIPTS = str.maketrans("-−0123456789", "⁻⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def sub(index):
    """An index as Unicode subscript digits: sub(12) == "₁₂" (plain text draws faster than $…$)."""
    return str(index).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


class PlainLogFormatter(LogFormatterSciNotation):
    """Matplotlib's log-axis tick labels (10⁻³, 2×10⁻¹) written in Unicode instead of mathtext.

    Mathtext labels are parsed anew for every new figure; on a log axis that was a fifth of the
    time to draw an explorer's figure.
    """

    def __call__(self, x, pos=None):
        label = super().__call__(x, pos)
        label = label.replace("$\\mathdefault{", "").replace("}$", "").replace("\\times", "×")
        return re.sub(r"\^\{(.*?)\}", lambda power: power.group(1).translate(_SUPERSCRIPTS), label)


class LectureFigure(Figure):
    """A Figure whose log-scale axes get `PlainLogFormatter` labels when it is drawn."""

    def draw(self, renderer):
        for ax in self.axes:
            for axis in (ax.xaxis, ax.yaxis):
                if axis.get_scale() == "log":
                    base = axis.get_transform().base
                    axis.set_major_formatter(PlainLogFormatter(base))
                    axis.set_minor_formatter(PlainLogFormatter(base, labelOnlyBase=False))
        super().draw(renderer)


def network_figure(net, forward, y=None):
    """The 2-3-2 net drawn as on the slides: node values (x; s, h; z, ŷ) and edge weights (v, w).

    Blue edges are positive weights, red negative; thicker means larger |weight|.
    """
    n_in, n_hidden = net.v.shape
    n_out = net.w.shape[1]
    fig = LectureFigure(figsize=(8.5, 4.6), layout="constrained")
    ax = fig.add_subplot()
    ax.set_axis_off()
    columns = {"x": (0.0, n_in), "h": (1.0, n_hidden), "y": (2.0, n_out)}
    place = {name: [(col, (count - 1) / 2 - i) for i in range(count)]
             for name, (col, count) in columns.items()}
    half_height = (max(n_in, n_hidden, n_out) - 1) / 2
    scale = max(np.abs(net.v).max(), np.abs(net.w).max(), 1e-12)

    for weights, source, target, letter in ((net.v, "x", "h", "v"), (net.w, "h", "y", "w")):
        for i, start in enumerate(place[source]):
            for k, end in enumerate(place[target]):
                value = weights[i, k]
                ax.plot(*zip(start, end, strict=True), color=POSITIVE if value >= 0 else NEGATIVE,
                        lw=0.5 + 3.0 * abs(value) / scale, alpha=0.75, zorder=1)
                along = 0.2 + 0.2 * k  # staggered, so labels of crossing edges do not overlap
                label_at = np.add(np.multiply(start, 1 - along), np.multiply(end, along))
                ax.text(*label_at, f"{letter}{sub(i + 1)}{sub(k + 1)}={value:.2f}", fontsize=7.5,
                        ha="center", va="center", zorder=3,
                        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none"})

    node_text = {
        "x": [f"x{sub(i + 1)}={forward.x[i]:.2f}" for i in range(n_in)],
        "h": [f"s{sub(k + 1)}={forward.s[k]:.2f}\nh{sub(k + 1)}={forward.h[k]:.2f}"
              for k in range(n_hidden)],
        "y": [f"z{sub(j + 1)}={forward.z[j]:.2f}\nŷ{sub(j + 1)}={forward.y_hat[j]:.2f}"
              + (f"\ny{sub(j + 1)}={y[j]:.2f}" if y is not None else "") for j in range(n_out)],
    }
    for name, points in place.items():
        for (col, row), text in zip(points, node_text[name], strict=True):
            ax.text(col, row, text, ha="center", va="center", fontsize=9, zorder=4,
                    bbox={"boxstyle": "circle,pad=0.35", "fc": "#f7f7f7", "ec": "0.3"})
    for col, title in ((0, "input x"), (1, f"hidden h = f1(s), f1 = {net.f1.name}"),
                       (2, f"output ŷ = f2(z), f2 = {net.f2.name}")):
        ax.text(col, half_height + 0.75, title, ha="center", fontsize=9)
    ax.set_xlim(-0.35, 2.35)
    ax.set_ylim(-half_height - 0.6, half_height + 0.95)
    return fig


def _loss_by_step(ax, problem, path):
    gap = path.losses - problem.loss(problem.minimum)
    ax.semilogy(np.arange(len(gap)), np.maximum(gap, 1e-16), "o-", ms=3)
    ax.set_xlabel("step t")
    ax.set_ylabel("L(w(t)) − L(w*)  (log scale)")
    ax.grid(True, which="both", alpha=0.3)


def _draw_path(ax, points, learning_rate, ms, note_at=(0.5, 0.92)):
    """Every step of a descent path, (steps + 1, 2) points in the axes' coordinates.

    Nothing is dropped: the axes clip segments at their edges, and where a step leaves the
    window a cross marks the edge, with the step's number at the first one.
    """
    ax.plot(*points.T, "o-", color=NEGATIVE, ms=ms, lw=1, label=f"w(t), α = {learning_rate:g}")
    lows, highs = np.array([ax.get_xlim(), ax.get_ylim()]).T
    inside = np.all((points >= lows) & (points <= highs), axis=1)
    exits = [(step, _edge_point(points[step - 1], points[step], lows, highs))
             for step in range(1, len(points)) if inside[step - 1] and not inside[step]]
    for i, (step, edge) in enumerate(exits):
        ax.plot(*edge, "X", color="black", ms=9, zorder=4,
                label="the path leaves the window" if i == 0 else None)
        if i == 0:
            ax.annotate(f"step {step}: off the plot", edge, xytext=note_at,
                        textcoords="axes fraction", ha="center", fontsize=9,
                        bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "0.6"},
                        arrowprops={"arrowstyle": "->", "color": "0.3"})


def _edge_point(start, end, lows, highs):
    """Where the segment start → end (start inside the box lows–highs) crosses the box's edge."""
    direction = end - start
    fraction = 1.0
    for k in range(2):
        for bound in (lows[k], highs[k]):
            if (end[k] - bound) * (start[k] - bound) < 0:
                fraction = min(fraction, (bound - start[k]) / direction[k])
    return start + fraction * direction


def descent_1d_figure(problem, path, w_range=(-3.0, 9.0)):
    """Left: the loss curve L(w) with the steps of gradient descent. Right: loss by step."""
    fig = LectureFigure(figsize=(10, 3.8), layout="constrained")
    ax, ax_steps = fig.subplots(1, 2, width_ratios=[1.4, 1])
    w = np.linspace(*w_range, 400)
    ax.plot(w, [problem.loss([value]) for value in w], color="0.4", label="L(w)")
    ax.axvline(problem.minimum[0], color="0.6", ls=":", label="minimum w*")
    ax.set_xlabel("w")
    ax.set_ylabel("loss L(w)")
    ax.set_xlim(*w_range)
    ax.set_ylim(0, problem.loss([w_range[1]]) * 1.05)
    _draw_path(ax, np.column_stack([path.weights[:, 0], path.losses]), path.learning_rate, ms=4,
               note_at=(0.5, 0.55))
    ax.legend(loc="upper center", fontsize=8)
    _loss_by_step(ax_steps, problem, path)
    fig.suptitle(f"α = {path.learning_rate:g}: {path.message}", fontsize=10)
    return fig


def descent_2d_figure(problem, path, limits=((-3.0, 4.0), (-3.5, 3.0))):
    """Left: contours of L(w₁, w₂) with the path of gradient descent. Right: loss by step."""
    fig = LectureFigure(figsize=(10, 4.2), layout="constrained")
    ax, ax_steps = fig.subplots(1, 2, width_ratios=[1.2, 1])
    g1, g2 = np.meshgrid(np.linspace(*limits[0], 120), np.linspace(*limits[1], 120))
    offsets = np.stack([g1, g2], axis=-1) - problem.minimum
    grid = 0.5 * np.einsum("...i,ij,...j->...", offsets, problem.curvature, offsets)
    ax.contour(g1, g2, grid, levels=np.geomspace(0.05, grid.max(), 14), cmap="viridis",
               linewidths=0.8)
    ax.plot(*problem.minimum, "*", color="black", ms=12, label="minimum w*")
    ax.set_xlim(*limits[0])
    ax.set_ylim(*limits[1])
    _draw_path(ax, path.weights, path.learning_rate, ms=3)
    ax.set_aspect("equal")
    ax.set_xlabel("w₁")
    ax.set_ylabel("w₂")
    ax.legend(loc="lower left", fontsize=8)
    _loss_by_step(ax_steps, problem, path)
    fig.suptitle(f"α = {path.learning_rate:g}: {path.message}", fontsize=10)
    return fig


def loss_curve_figure(losses, title="", ylabel="mean SSE loss per epoch"):
    """Training loss by epoch, on a log scale."""
    fig = LectureFigure(figsize=(6.5, 3.6), layout="constrained")
    ax = fig.add_subplot()
    ax.semilogy(np.arange(1, len(losses) + 1), losses)
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    return fig


def training_figure(predict, X, Y, losses, title=""):
    """Left: the training loss by epoch. Right: the class the net predicts over the plane
    (shaded) and the training points (coloured by their true class).

    predict maps a batch of points (n, 2) to the net's outputs (n, classes), e.g. SlideNet.predict.
    """
    fig = LectureFigure(figsize=(10, 3.8), layout="constrained")
    ax_loss, ax_plane = fig.subplots(1, 2)
    ax_loss.semilogy(np.arange(1, len(losses) + 1), losses)
    ax_loss.set_xlabel("epoch")
    ax_loss.set_ylabel("mean SSE loss (log scale)")
    ax_loss.grid(True, which="both", alpha=0.3)
    accuracy = _class_plane(ax_plane, predict, X, Y)
    ax_plane.legend(loc="upper right", fontsize=8)
    ax_plane.set_title(f"predicted class (shaded); training accuracy {accuracy:.0%}", fontsize=10)
    fig.suptitle(title, fontsize=10)
    return fig


def _class_plane(ax, predict, X, Y):
    """The class `predict` gives each point of the plane (shaded), the training points coloured by
    their true class; returns the training accuracy."""
    lo, hi = X.min(axis=0) - 0.5, X.max(axis=0) + 0.5
    g1, g2 = np.meshgrid(np.linspace(lo[0], hi[0], 80), np.linspace(lo[1], hi[1], 80))
    grid = np.column_stack([g1.ravel(), g2.ravel()])
    predicted = predict(grid).argmax(axis=1).reshape(g1.shape)
    ax.contourf(g1, g2, predicted, levels=[-0.5, 0.5, 1.5], colors=["#cfe2f3", "#f4cccc"])
    labels = Y.argmax(axis=1)
    for label, color in ((0, POSITIVE), (1, NEGATIVE)):
        ax.scatter(*X[labels == label].T, s=14, color=color, label=f"class {label}")
    ax.set_xlabel("x₁")
    ax.set_ylabel("x₂")
    return np.mean(predict(X).argmax(axis=1) == labels)


def boundaries_figure(predictors, X, Y, title=""):
    """One panel per model: the class each predictor ({name: predict}) gives the plane, and the
    training points; each panel's title gives the training accuracy."""
    fig = LectureFigure(figsize=(4 * len(predictors), 4), layout="constrained")
    for ax, (name, predict) in zip(fig.subplots(1, len(predictors), squeeze=False)[0], predictors.items(),
                                   strict=True):
        accuracy = _class_plane(ax, predict, X, Y)
        ax.set_title(f"{name}: accuracy {accuracy:.0%}", fontsize=10)
        ax.set_aspect("equal")
    fig.axes[0].legend(loc="upper right", fontsize=8)
    fig.suptitle(title, fontsize=10)
    return fig


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
    for label, group, style in (("standard init", runs, "-"), ("normalized init", other_runs or [], "--")):
        for i, run in enumerate(group):
            legend = f"{label} ({len(group)} seeds)" if i == 0 else None
            color = "C0" if style == "-" else "C1"
            ax_share.plot(run["step"], run["saturated"], style, color=color, lw=1, alpha=0.7, label=legend)
            ax_loss.plot(run["step"], run["loss"], style, color=color, lw=1, alpha=0.7, label=legend)
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


def _loss_curves(ax, histories, palette=None):
    """Training loss by step on `ax`, one line per run; a run that diverged ends in an ✕ at that
    step and says so in the legend. A run whose name is in `palette` gets that colour. Returns each
    line's colour, in order."""
    colors = []
    for label, history in histories.items():
        steps = np.arange(1, len(history.loss) + 1)
        color = (palette or {}).get(label)
        if history.diverged_at is not None:
            label = f"{label}: diverged at step {history.diverged_at}"
        line, = ax.semilogy(steps, history.loss, label=label, color=color)
        colors.append(line.get_color())
        if history.diverged_at is not None:
            last = history.loss[-1] if len(history.loss) else 1.0
            ax.plot(history.diverged_at, last, "x", ms=10, mew=2, color=colors[-1])
    ax.set_xlabel("step")
    ax.set_ylabel("training loss (MSE, log scale)")
    return colors


#: 06's remedies (the names of experiments.remedies), one fixed colour each, in every figure.
REMEDY_COLORS = {"baseline": "#1f77b4", "1. fewer layers (3)": "#ff7f0e", "2. ReLU + He init": "#2ca02c",
                 "3. clip norm 0.1": "#e377c2", "3. clip norm 1": "#d62728", "3. clip norm 10": "#9467bd",
                 "3. clip value 0.5": "#bcbd22", "4. L2 λ = 0.3": "#8c564b", "4. L1 λ = 0.1": "#17becf"}


def histories_figure(histories, title="", loss_top=None, colors=None):
    """Training loss (left) and the first layer's gradient norm (right) by step, one line per run;
    a run that diverged ends in an ✕ at that step. With `loss_top`, the loss axis stops there and
    an ✕ above it is drawn on the top edge (the legend says so). `colors` maps run names to fixed
    colours (e.g. REMEDY_COLORS)."""
    fig = LectureFigure(figsize=(11, 3.8), layout="constrained")
    ax_loss, ax_grad = fig.subplots(1, 2)
    colors = _loss_curves(ax_loss, histories, palette=colors)
    if loss_top is not None:
        highest = max((np.max(h.loss) for h in histories.values() if len(h.loss)), default=0.0)
        off_axis = False
        for line in ax_loss.lines:
            if line.get_marker() == "x" and line.get_ydata()[0] > loss_top:
                line.set_ydata([loss_top])
                line.set_clip_on(False)
                off_axis = True
        if off_axis or highest > loss_top:
            ax_loss.set_ylim(top=loss_top)
        if off_axis:
            ax_loss.plot([], [], "x", color="0.3", label=f"✕ on the top edge: diverged above {loss_top:.0e}")
    for history, color in zip(histories.values(), colors, strict=True):
        if len(history.grad_norms):
            steps = np.arange(1, len(history.loss) + 1)
            ax_grad.semilogy(steps, np.maximum(history.grad_norms[:, 0], 1e-300), color=color)
    ax_grad.set_xlabel("step")
    ax_grad.set_ylabel("‖∂L/∂W_1‖ of the first layer (log scale)")
    for ax in (ax_loss, ax_grad):
        ax.grid(True, which="both", alpha=0.3)
    ax_loss.legend(fontsize=8)
    fig.suptitle(title, fontsize=10)
    return fig


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


def clip_figure(gradient, threshold):
    """One 2-D gradient and its two clippings: by norm (same direction, length ≤ c) and by value
    (each entry in [−c, c]: the direction can turn)."""
    g = np.asarray(gradient, dtype=np.float64)
    norm = np.linalg.norm(g)
    by_norm = g if norm <= threshold else g * threshold / norm
    by_value = np.clip(g, -threshold, threshold)
    fig = LectureFigure(figsize=(5.4, 5.0), layout="constrained")
    ax = fig.add_subplot()
    circle = np.linspace(0, 2 * np.pi, 200)
    ax.plot(threshold * np.cos(circle), threshold * np.sin(circle), ":", color=POSITIVE,
            label=f"‖g‖ = c = {threshold:g}")
    ax.plot(threshold * np.array([-1, 1, 1, -1, -1]), threshold * np.array([-1, -1, 1, 1, -1]),
            ":", color=NEGATIVE, label="|g_i| = c")
    for vector, color, label in ((g, "0.3", "gradient g"), (by_norm, POSITIVE, "clip by norm"),
                                 (by_value, NEGATIVE, "clip by value")):
        ax.annotate("", xy=vector, xytext=(0, 0),
                    arrowprops={"arrowstyle": "->", "color": color, "lw": 2})
        ax.plot([], [], color=color, lw=2, label=f"{label} ({vector[0]:.2f}, {vector[1]:.2f})")
    reach = max(np.abs(g).max(), threshold) * 1.15
    ax.set_xlim(-reach, reach)
    ax.set_ylim(-reach, reach)
    ax.set_aspect("equal")
    ax.axhline(0, color="0.8", lw=0.8)
    ax.axvline(0, color="0.8", lw=0.8)
    ax.set_xlabel("g₁")
    ax.set_ylabel("g₂")
    ax.legend(fontsize=8, loc="lower left")
    turn = np.degrees(np.arctan2(by_value[1], by_value[0]) - np.arctan2(g[1], g[0]))
    fig.suptitle(f"clip by norm keeps the direction; clip by value turns it by {abs(turn):.1f}°",
                 fontsize=10)
    return fig


def weights_figure(nets, title=""):
    """Histograms of all weights of each net, with the share of weights within 1e-3 of zero."""
    fig = LectureFigure(figsize=(11, 3.6), layout="constrained")
    axes = fig.subplots(1, len(nets), sharex=True, sharey=True, squeeze=False)[0]
    for ax, (label, net) in zip(axes, nets.items(), strict=True):
        weights = np.concatenate([w.ravel() for name, w in net.params.items() if name.endswith("W")])
        near_zero = np.mean(np.abs(weights) < 1e-3)
        ax.hist(weights, bins=np.linspace(-1.5, 1.5, 61), color=POSITIVE)
        ax.set_title(f"{label}\n|w| < 1e-3: {near_zero:.0%},  ‖w‖ = {np.linalg.norm(weights):.2f}",
                     fontsize=9)
        ax.set_xlabel("weight value")
        ax.set_ylabel("number of weights")
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


def scalar_resnet_figure(x, y, w_start=0.0):
    """The slides' one-weight example: E(w) without and with the shortcut (left) and ∂E/∂w
    (right), with each optimum and the gradient at w_start marked."""
    from . import scalar_resnet as sr

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


def landscape_figure(grids, title=""):
    """Each net's loss landscape as a contour (top) and a 3-D surface (bottom), side by side.

    grids: {label: Landscape} (lecturekit.landscape). Colours and heights show log₁₀ loss on one
    scale shared by all panels (the same colour limits and z-limits), cut 4 decades above the lowest
    point; the share of negative curvature in each title is
    measured on the loss itself (not its log). The red + is the trained net (the centre), the
    white × the lowest point of the slice.
    """
    fig = LectureFigure(figsize=(11, 8.4), layout="constrained")
    logs = {}
    for label, grid in grids.items():
        with np.errstate(invalid="ignore"):
            finite = np.where(np.isfinite(grid.losses), grid.losses, np.inf)  # a NaN loss drawn as the top
        logs[label] = np.log10(np.maximum(finite, 1e-12))
    low = min(v.min() for v in logs.values())
    high = max(min(v.max(), low + 4) for v in logs.values())  # 4 decades is plenty to see shape
    levels = np.linspace(low, high, 25)
    for column, (label, grid) in enumerate(grids.items()):
        values = np.minimum(logs[label], high)
        ax = fig.add_subplot(2, len(grids), column + 1)
        filled = ax.contourf(grid.alphas, grid.betas, values, levels=levels, cmap="viridis")
        ax.contour(grid.alphas, grid.betas, values, levels=levels, colors="white", linewidths=0.3)
        ax.plot(0, 0, "+", color="red", ms=12, mew=2, label=f"trained net: loss {grid.trained_loss:.3g}")
        lowest, a_low, b_low = grid.lowest()
        ax.plot(a_low, b_low, "x", color="white", ms=8, mew=2, label=f"lowest point: loss {lowest:.3g}")
        ax.legend(fontsize=8, loc="lower left", framealpha=0.8)
        ax.set_title(f"{label}: negative curvature (of the loss) at {grid.share:.0%} of points", fontsize=10)
        ax.set_xlabel("α (direction 1)")
        ax.set_ylabel("β (direction 2)")
        ax_3d = fig.add_subplot(2, len(grids), len(grids) + column + 1, projection="3d")
        a, b = np.meshgrid(grid.alphas, grid.betas)
        ax_3d.plot_surface(a, b, values, cmap="viridis", vmin=low, vmax=high, linewidth=0)
        ax_3d.set_zlim(low, high)  # one height scale for every panel, as the colours
        ax_3d.set_xlabel("α")
        ax_3d.set_ylabel("β")
        ax_3d.set_zlabel("log10 loss (cut at 4 decades)")
    fig.colorbar(filled, ax=fig.axes[0::2] if len(grids) > 1 else fig.axes[0],
                 label="log10 loss (drawn); the curvature share uses the loss itself", shrink=0.6)
    fig.suptitle(title, fontsize=10)
    return fig


def landscape_trend_figure(depths, shares, title=""):
    """Share of grid points with negative curvature at each measured depth, one colour per kind of
    net: every seed as a dot, a seed's dots joined by a thin line (the same seed at each depth: a
    paired comparison), and the median as a bar. Only the depths given are measured: nothing is
    drawn between them but the per-seed pairs.

    shares: {label: array (len(depths), seeds)} in percent.
    """
    fig = LectureFigure(figsize=(6.5, 4), layout="constrained")
    ax = fig.add_subplot()
    offsets = np.linspace(-0.15, 0.15, len(shares)) * (max(depths) - min(depths)) / max(len(depths), 2)
    for (label, values), color, offset in zip(shares.items(), ("C3", "C0"), offsets, strict=False):
        values = np.asarray(values, dtype=np.float64)
        x = np.asarray(depths, dtype=np.float64) + offset
        for seed_index in range(values.shape[1]):  # one seed: its dots, joined
            ax.plot(x, values[:, seed_index], "o-", color=color, lw=0.7, ms=4, alpha=0.6,
                    label=f"{label}: one seed (a line joins its depths)" if seed_index == 0 else None)
        ax.plot(x, np.median(values, axis=1), "_", color=color, ms=22, mew=3,
                label=f"{label}: median of {values.shape[1]} seeds")
    ax.set_xticks(depths)
    ax.set_ylim(0, 100)
    ax.set_xlabel("depth (weight layers); only these depths are measured")
    ax.set_ylabel("grid points with negative curvature (%)")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
    ax.set_title(title, fontsize=10)
    return fig


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
    colors = _loss_curves(ax_loss, histories)
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
