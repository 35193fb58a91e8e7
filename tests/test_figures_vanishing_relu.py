"""The figures of notebooks 04 and 05 in the house style, and what their fixed ranges promise: a
value beyond an axis sits on its edge and the figure says so, a panel with nothing to draw says
why. Small synthetic inputs, so the file runs in seconds."""

import numpy as np
import pytest
from figure_checks import problems

from lecturekit import glorot, plots
from lecturekit.activations import get_activation
from lecturekit.experiments import dead_relu_sweep
from lecturekit.plots.relu import LOSS_RANGE, DeadReluPlot
from lecturekit.plots.vanishing import (
    BAND,
    H_RANGES,
    LOG_GRAD_RANGE,
    SHARE_RANGE,
    DepthPlot,
    activation_shares,
)


def _visible_text(artist):
    return artist.get_text() if artist.get_visible() else ""


@pytest.mark.parametrize("name", ["sigmoid", "relu"])
def test_activation_figure(name):
    fig = plots.activation_figure(get_activation(name))
    assert not problems(fig)
    assert "max" in fig.axes[1].get_title()


def test_saturation_figure():
    runs = [glorot.trajectory(seed, steps=20, every=10) for seed in (5, 6)]
    fig = plots.saturation_figure(runs, runs, title="small")
    assert not problems(fig)
    assert len(fig.axes) == 3


def test_dead_relu_figure():
    sweep = dead_relu_sweep(seeds=(0, 1), steps=5)
    fig = plots.dead_relu_figure(sweep, title="small")
    assert not problems(fig)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert len(texts) == 6
    if sweep["diverged"].any():  # every cell says how many runs diverged
        assert all("diverged" in t for t in texts)
    else:  # the figure says it once
        assert "no run diverged" in fig.get_supxlabel()


def test_dead_traces_figure_shares_one_range():
    rng = np.random.default_rng(0)
    traces = {"α = 0.01": rng.uniform(0, 0.2, (3, 30)), "α = 0.1": rng.uniform(0, 0.5, (3, 30))}
    fig = plots.dead_traces_figure(traces, title="small")
    assert not problems(fig)
    assert fig.axes[0].get_ylim() == fig.axes[1].get_ylim()


def _depth(norms, activation="sigmoid", layers=None, plot=None):
    depth = len(norms)
    hidden = [np.full((4, 3), 0.5)] * (depth - 1) if layers is None else layers
    plot = plot or DepthPlot()
    plot.update(np.array(norms, dtype=float), activation_shares(hidden, activation), activation,
                summary="test")
    plot.png()
    return plot


def test_depth_gradient_axis_is_fixed_and_marks_what_leaves_it():
    low, high = LOG_GRAD_RANGE
    plot = _depth([1e-30, 0.0, 1e-3, 1.0, 1e20, 2.0])
    assert not problems(plot.figure)
    assert plot.ax_grad.get_ylim() == LOG_GRAD_RANGE
    assert list(plot.below.get_ydata()) == [low] and list(plot.below.get_xdata()) == [1]
    assert list(plot.zero.get_ydata()) == [low] and list(plot.zero.get_xdata()) == [2]
    assert list(plot.above.get_ydata()) == [high] and list(plot.above.get_xdata()) == [5]
    assert "−30.0 (layer 1)" in _visible_text(plot.note_low) and "= 0" in _visible_text(plot.note_low)
    assert "20.0 (layer 5)" in _visible_text(plot.note_high)
    # A flat curve stays flat: the axis does not zoom in on it (issue 13: tanh's −0.6 … −0.1).
    _depth([0.3, 0.5, 0.4, 0.6], activation="tanh", plot=plot)
    assert plot.ax_grad.get_ylim() == LOG_GRAD_RANGE
    assert not plot.note_low.get_visible() and not plot.note_high.get_visible()
    assert not plot.bound.get_visible() and not plot.key.get_visible()


def test_depth_sigmoid_reference_line_is_the_f_prime_bound():
    plot = _depth([1e-3, 1e-2, 1e-1, 1.0])
    assert plot.bound.get_visible()
    assert np.allclose(plot.bound.get_ydata(), [-3 * np.log10(4), -2 * np.log10(4), -np.log10(4), 0])


def test_depth_one_says_why_its_activation_panel_is_empty():
    plot = _depth([0.5])
    assert not problems(plot.figure)
    assert "no hidden layer" in _visible_text(plot.empty)
    assert not plot.image.get_visible()


def test_an_overflow_is_said_in_both_panels():
    plot = DepthPlot().update(np.full(5, np.nan), np.zeros((H_RANGES["relu"][2] + 2, 0)), "relu",
                              overflow="forward pass: inf", summary="test")
    plot.png()
    assert "exploded" in _visible_text(plot.exploded)
    assert "forward pass" in _visible_text(plot.empty)


def test_relu_values_beyond_the_value_axis_are_counted_in_a_band_above_it():
    low, high, bins = H_RANGES["relu"]
    layer = np.array([[0.0, 1.0, 6.0, 5e10]])
    shares = activation_shares([layer], "relu")
    assert shares.shape == (bins + 2, 1)
    assert shares[-1, 0] == 0.5 and shares[1, 0] == 0.25 and shares[0, 0] == 0
    plot = _depth([1.0, 1.0], activation="relu", layers=[layer])
    assert not problems(plot.figure)
    assert plot.ax_h.get_ylim()[1] == pytest.approx(high + BAND * (high - low) / bins)
    assert "> 5" in [t.get_text() for t in plot.ax_h.get_yticklabels()]
    assert (plot.image.norm.vmin, plot.image.norm.vmax) == SHARE_RANGE
    assert plot.image.colorbar is not None


def test_leaky_relu_has_a_band_below_too():
    shares = activation_shares([np.array([[-3.0, -0.2, 1.0, 9.0]])], "leaky_relu")
    assert shares[0, 0] == 0.25 and shares[-1, 0] == 0.25
    plot = _depth([1.0, 1.0], activation="leaky_relu", layers=[np.array([[-3.0, -0.2, 1.0, 9.0]])])
    assert "< −0.5" in [t.get_text() for t in plot.ax_h.get_yticklabels()]


def test_dead_relu_plot_marks_a_divergence_and_the_loss_beyond_its_axis():
    rng = np.random.default_rng(1)
    dead = rng.random((5, 3, 8)) < 0.5
    losses = np.array([0.5, 3.0, 1e3, 1e9, 1e40])
    plot = DeadReluPlot(3, constant_guess=0.244).update(losses, dead, diverged_at=6, summary="test",
                                                        steps=200)
    plot.png()
    assert not problems(plot.figure)
    assert plot.ax_loss.get_ylim() == pytest.approx(LOSS_RANGE)
    assert list(plot.above.get_xdata()) == [3]  # one mark where the loss leaves the axis
    assert "3 steps above 100" in _visible_text(plot.beyond)
    assert all(line.get_visible() and line.get_xdata()[0] == 6 for line in plot.diverged)
    assert "diverged at step 6" in plot.loss_title.get_text()
    counts = [int(np.count_nonzero(dead[:-1, k] & ~dead[1:, k])) for k in range(3)]
    assert plot.dead_title.get_text() == "○ came back: " + ", ".join(map(str, counts)) + " times"
    assert plot.ax_loss.get_xlim()[1] > 200  # the axis spans the steps asked for


def test_training_dead_figure_without_divergence():
    dead = np.zeros((10, 3, 4), dtype=bool)
    plot = plots.training_dead_figure(np.geomspace(0.5, 0.1, 10), dead, summary="test")
    plot.png()
    assert not problems(plot.figure)
    assert not plot.beyond.get_visible() and not plot.diverged[0].get_visible()
