"""Notebook 09's figures in the house style, on small made-up runs (no training: fast)."""

import numpy as np
import pytest
from figure_checks import content, problems
from matplotlib.colors import to_hex

from lecturekit import style
from lecturekit.plots import batchnorm_figure, comparison_figure, drift_figure
from lecturekit.plots.batchnorm import NOISY_BN, BatchNormPlot
from lecturekit.train import History


def history(loss, watched, diverged_at=None):
    loss = np.asarray(loss, dtype=np.float64)
    watched = np.asarray(watched, dtype=np.float64)
    message = f"diverged at step {diverged_at}" if diverged_at else f"loss {loss[0]:.3g} → {loss[-1]:.3g}"
    return History(loss, np.ones((len(loss), 3)), np.zeros((len(loss), 2)), watched, diverged_at, message)


def calm(steps=30, level=0.25):
    """A run that stays inside both panels' ranges."""
    t = np.arange(steps)
    return history(level * np.exp(-0.05 * t), np.column_stack([-1 + 0 * t, 0.1 * np.sin(t), 1 + 0 * t]))


def wild(steps=12, diverged_at=13):
    """A run whose loss leaves the top of its panel at step 5 and whose s leaves at step 8."""
    t = np.arange(steps)
    loss = 0.3 * 10.0 ** (0.5 * t)  # 0.3, 0.95, 3, 9.5, 30 (step 5), …
    s = np.where(t < 7, 0.0, -10.0 * t)
    return history(loss, np.column_stack([s - 1, s, s + 1]), diverged_at)


def test_batchnorm_figure_is_in_the_house_style_with_one_colour_per_kind_of_run():
    plot = batchnorm_figure({"no BN": calm(), "BN + noise 0.5": calm(level=0.5)}, title="made up",
                            guess=0.244)
    assert not problems(plot.figure)
    assert plot.summary.startswith("made up — no BN: ")
    assert [to_hex(line.get_color()) for line in plot.lines] == [
        to_hex(style.COLORS["no BN"]), to_hex(NOISY_BN)]
    plot.update({"no BN": calm(), "BN": calm()})
    assert to_hex(plot.lines[1].get_color()) == to_hex(style.COLORS["BN"])
    assert [t.get_text() for t in plot.legend.get_texts()] == ["no BN", "BN", "constant guess 0.244"]


def test_values_beyond_the_fixed_ranges_sit_on_the_edge_and_are_named():
    plot = BatchNormPlot(guess=0.244).update({"no BN": wild(), "BN": calm()}, steps=30)
    plot.png()
    assert not problems(plot.figure)
    assert plot.ax_loss.get_ylim() == BatchNormPlot.LOSS_RANGE
    assert plot.ax_s.get_ylim() == BatchNormPlot.S_RANGE
    loss_y = plot.lines[0].get_ydata()
    assert loss_y.max() == BatchNormPlot.LOSS_RANGE[1] and np.sum(loss_y == 10.0) == 8
    assert plot.medians[0].get_ydata().min() == BatchNormPlot.S_RANGE[0]
    assert list(plot.crosses[0].get_xdata()) == [13]  # the ✕ where it diverged, on the edge
    notes = [text.get_text().replace("\u00a0", " ") for text in plot.figure.findobj(
        lambda a: hasattr(a, "get_text") and a.get_visible() and "no BN" in str(a.get_text()))]
    joined = " ".join(notes).replace("\n", " ")
    assert "diverged at step 13" in joined
    assert "above 10 at 8 steps, from step 5" in joined
    assert "outside ±3 at 5 steps, from step 8" in joined


def test_an_update_redraws_only_the_moving_artists_and_shows_what_a_new_plot_shows():
    """The fast path of an explorer: the same run names, new data, nothing static touched; a new
    name redraws the legend too, and the reused plot ends up showing what a new one shows."""
    reused = BatchNormPlot(guess=0.244).update({"no BN": calm(), "BN": calm()}, steps=30)
    reused.png()
    reused.update({"no BN": wild(), "BN": wild(diverged_at=None)}, steps=30)
    assert not reused.figure.stale
    reused.png()
    last = {"no BN": calm(), "BN + noise 1": calm(level=0.1)}
    reused.update(last, steps=30)
    assert reused.figure.stale
    reused.png()
    fresh = BatchNormPlot(guess=0.244).update(last, steps=30)
    fresh.png()
    assert content(reused.figure) == content(fresh.figure)


def test_a_slot_without_a_run_is_hidden():
    plot = BatchNormPlot().update({"BN": calm()})
    assert not plot.lines[1].get_visible() and not plot.legend.get_texts()[1].get_visible()
    with pytest.raises(ValueError, match="at most 2 runs"):
        plot.update({"a": calm(), "b": calm(), "c": calm()})


@pytest.mark.parametrize(("x", "logx"), [(np.arange(1, 11), False), (np.geomspace(0.1, 10, 9), True)])
def test_comparison_figure_is_in_the_house_style(x, logx):
    values = np.geomspace(1e-6, 3.0, len(x))
    gappy = values.copy()
    gappy[-3:] = np.nan
    series = {"no BN: train": gappy, "no BN: validation": gappy * 1.2, "BN: train": values,
              "BN: validation": values * 2}
    fig = comparison_figure(x, series, "layer l" if not logx else "factor c", "loss", title="made up",
                            logx=logx)
    assert not problems(fig)
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert labels[0] == "no BN: train (no point at 3 of 9 x)".replace("9", str(len(x)))
    lines = fig.axes[0].get_lines()
    assert to_hex(lines[2].get_color()) == to_hex(style.COLORS["BN"]) and lines[3].get_linestyle() == "--"


def test_comparison_figure_labels_only_major_log_ticks():
    """Less than a decade on a log axis: no '3×10⁰4×10⁰' (issue 13)."""
    series = {"no BN": [21, 5.3, 4.4, 4.1, 4.6], "BN": [20, 25, 33, 30, 39]}
    fig = comparison_figure([0, 8, 16, 24, 32], series, "training step", "β", logx=False)
    assert not problems(fig)
    assert all(t.label1.get_text() == "" for t in fig.axes[0].yaxis.get_minor_ticks())


def test_drift_figure_is_in_the_house_style():
    rng = np.random.default_rng(0)
    curves = {"no BN": [np.abs(rng.normal(size=100)).cumsum() / 100 for _ in range(3)],
              "BN": [np.abs(rng.normal(size=100)).cumsum() / 1000 for _ in range(3)]}
    fig = drift_figure(curves, title="made up")
    assert not problems(fig)
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["no BN (3 seeds)", "BN (3 seeds)"]
