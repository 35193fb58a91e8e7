"""Pure figure builders: data in, a matplotlib Figure out.

No pyplot state: each function makes its own `Figure`, so a notebook cell that ends with one
shows it, and a widget callback can display it without touching other figures. Labels are in
English (they must render on machines without CJK fonts).
"""

import re

import numpy as np
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
    ax_d.plot(s[peak], derivative[peak], "o", color="black")
    ax_d.annotate(f"max f′ = {derivative[peak]:.3g} at s = {s[peak]:.3g}", (s[peak], derivative[peak]),
                  textcoords="offset points", xytext=(8, -14), fontsize=9)
    ax_d.set_ylabel(f"{function.name}′(s)")
    for ax in (ax_f, ax_d):
        ax.set_xlabel("s")
        ax.grid(True, alpha=0.3)
    fig.suptitle(f"{function.name} and its derivative: the largest factor a layer can contribute "
                 f"is {derivative[peak]:.3g}", fontsize=10)
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
        ax_grad.plot(layers, bound, "--", color="0.4", label="0.25^(L−l) × ‖∂L/∂W_L‖ (sigmoid′ ≤ 0.25)")
    ax_grad.legend(fontsize=8, loc="best")

    values = np.concatenate([h.ravel() for h in snapshot.activations]) if snapshot.activations else []
    if len(values):
        low, high = np.percentile(values, [0.5, 99.5])
        high = high if high > low else low + 1.0
        bins = np.linspace(low, high, 41)
        counts = np.array([np.histogram(h, bins)[0] / h.size for h in snapshot.activations]).T
        ax_act.imshow(counts, aspect="auto", origin="lower", cmap="Blues",
                      extent=(0.5, len(snapshot.activations) + 0.5, low, high))
    ax_act.set_xlabel("hidden layer")
    ax_act.set_ylabel("activation h (darker: more units)")
    return fig


def _loss_curves(ax, histories):
    """Training loss by step on `ax`, one line per run; a run that diverged ends in an ✕ at that
    step and says so in the legend. Returns each line's colour, in order."""
    colors = []
    for label, history in histories.items():
        steps = np.arange(1, len(history.loss) + 1)
        if history.diverged_at is not None:
            label = f"{label}: diverged at step {history.diverged_at}"
        line, = ax.semilogy(steps, history.loss, label=label)
        colors.append(line.get_color())
        if history.diverged_at is not None:
            last = history.loss[-1] if len(history.loss) else 1.0
            ax.plot(history.diverged_at, last, "x", ms=10, mew=2, color=colors[-1])
    ax.set_xlabel("step")
    ax.set_ylabel("training loss (MSE, log scale)")
    return colors


def histories_figure(histories, title=""):
    """Training loss (left) and the first layer's gradient norm (right) by step, one line per run;
    a run that diverged ends in an ✕ at that step."""
    fig = LectureFigure(figsize=(11, 3.8), layout="constrained")
    ax_loss, ax_grad = fig.subplots(1, 2)
    colors = _loss_curves(ax_loss, histories)
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


def dead_relu_figure(sweep, title=""):
    """Share of dead hidden units (left) and final loss (right) for each bias init × learning rate."""
    fig = LectureFigure(figsize=(11, 3.6), layout="constrained")
    ax_dead, ax_loss = fig.subplots(1, 2)
    rates = [f"{r:g}" for r in sweep["learning_rates"]]
    biases = [f"{b:g}" for b in sweep["bias_inits"]]
    panels = ((ax_dead, sweep["dead"], "share of dead units", "Reds", "{:.0%}"),
              (ax_loss, np.log10(np.where(sweep["diverged"], np.nan, sweep["loss"])),
               "log10 final loss", "viridis", "{:.2f}"))
    for ax, values, label, cmap, fmt in panels:
        image = ax.imshow(values, cmap=cmap, aspect="auto")
        fig.colorbar(image, ax=ax, label=label)
        for (i, j), value in np.ndenumerate(values):
            text = "diverged" if sweep["diverged"][i, j] and ax is ax_loss else fmt.format(value)
            ax.text(j, i, text, ha="center", va="center", fontsize=8)
        ax.set_xticks(range(len(rates)), rates)
        ax.set_yticks(range(len(biases)), biases)
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
    axes = fig.subplots(1, len(nets), sharex=True, squeeze=False)[0]
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


def training_dead_figure(history, title=""):
    """Training loss (left) and each hidden layer's share of dead units (right), by step."""
    fig = LectureFigure(figsize=(11, 3.6), layout="constrained")
    ax_loss, ax_dead = fig.subplots(1, 2)
    steps = np.arange(1, len(history.loss) + 1)
    ax_loss.semilogy(steps, history.loss)
    ax_loss.set_xlabel("step")
    ax_loss.set_ylabel("training loss (MSE, log scale)")
    ax_loss.grid(True, which="both", alpha=0.3)
    for layer in range(history.dead_fraction.shape[1] if history.dead_fraction.ndim == 2 else 0):
        ax_dead.plot(steps, history.dead_fraction[:, layer], label=f"hidden layer {layer + 1}")
    ax_dead.set_ylim(-0.02, 1.02)
    ax_dead.set_xlabel("step")
    ax_dead.set_ylabel("share of units off on every input")
    ax_dead.grid(True, alpha=0.3)
    if history.diverged_at is not None:
        for ax in (ax_loss, ax_dead):
            ax.axvline(history.diverged_at, color=NEGATIVE, ls="--",
                       label=f"diverged at step {history.diverged_at}")
    ax_dead.legend(fontsize=8)
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


def degradation_figure(sweep, title=""):
    """Final training loss against depth, plain vs residual (He et al. 2016, Fig. 1)."""
    fig = LectureFigure(figsize=(6.5, 3.8), layout="constrained")
    ax = fig.add_subplot()
    for kind, color in (("plain", NEGATIVE), ("residual", POSITIVE)):
        losses = [loss if diverged is None else np.nan for loss, diverged in sweep[kind]]
        ax.semilogy(sweep["depths"], losses, "o-", color=color, label=f"{kind} net")
    ax.set_xscale("log", base=2)
    ax.set_xticks(sweep["depths"], [str(d) for d in sweep["depths"]])
    ax.set_xlabel("depth (weight layers)")
    ax.set_ylabel("final training loss (log scale)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    ax.set_title(title, fontsize=10)
    return fig


def landscape_figure(grids, title=""):
    """Each net's loss landscape as a contour (top) and a 3-D surface (bottom), side by side.

    grids: {label: (alphas, betas, losses, nonconvexity)}. Colours show log₁₀ loss on one scale.
    """
    fig = LectureFigure(figsize=(11, 8.4), layout="constrained")
    logs = {label: np.log10(np.maximum(grid[2], 1e-12)) for label, grid in grids.items()}
    low = min(v.min() for v in logs.values())
    high = max(min(v.max(), low + 4) for v in logs.values())  # 4 decades is plenty to see shape
    levels = np.linspace(low, high, 25)
    for column, (label, (alphas, betas, _, share)) in enumerate(grids.items()):
        values = np.minimum(logs[label], high)
        ax = fig.add_subplot(2, len(grids), column + 1)
        filled = ax.contourf(alphas, betas, values, levels=levels, cmap="viridis")
        ax.contour(alphas, betas, values, levels=levels, colors="white", linewidths=0.3)
        ax.plot(0, 0, "+", color="red", ms=10)
        ax.set_title(f"{label}: negative curvature at {share:.0%} of points", fontsize=10)
        ax.set_xlabel("α (direction 1)")
        ax.set_ylabel("β (direction 2)")
        ax_3d = fig.add_subplot(2, len(grids), len(grids) + column + 1, projection="3d")
        a, b = np.meshgrid(alphas, betas)
        ax_3d.plot_surface(a, b, values, cmap="viridis", vmin=low, vmax=high, linewidth=0)
        ax_3d.set_xlabel("α")
        ax_3d.set_ylabel("β")
        ax_3d.set_zlabel("log10 loss")
    fig.colorbar(filled, ax=fig.axes[0::2] if len(grids) > 1 else fig.axes[0], label="log10 loss",
                 shrink=0.6)
    fig.suptitle(title, fontsize=10)
    return fig


def comparison_figure(x, series, xlabel, ylabel, title="", logx=True, logy=True):
    """One line per series over the same x (e.g. final loss against weight scale, with and
    without BN); NaN (a run that diverged) leaves a gap, and the legend says how many."""
    fig = LectureFigure(figsize=(6.5, 3.8), layout="constrained")
    ax = fig.add_subplot()
    for label, values in series.items():
        values = np.asarray(values, dtype=np.float64)
        gaps = int(np.sum(~np.isfinite(values)))
        ax.plot(x, values, "o-", label=label + (f" ({gaps} diverged)" if gaps else ""))
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
