"""Notebooks 07 and 08's figures in the house style, on small made-up inputs (fast): the one-weight
explorer's fixed axes and off-axis marks, the landscape plot's fixed loss scale, and the static
degradation and trend figures."""

import functools

import numpy as np
import pytest
from figure_checks import problems

from lecturekit import style
from lecturekit.landscape import Landscape, nonconvexity
from lecturekit.plots import degradation_figure, landscape_figure, landscape_trend_figure
from lecturekit.plots.landscape import LOSS_RANGE
from lecturekit.plots.resnet import ScalarResnetPlot
from lecturekit.widgets import scalar_resnet_view


def bowl(scale, resolution=11, spike=False):
    """A made-up Landscape: a bowl of the given height, optionally with NaN and inf points."""
    alphas = betas = np.linspace(-1, 1, resolution)
    a, b = np.meshgrid(alphas, betas)
    losses = 0.01 + scale * (a**2 + 2 * b**2)
    if spike:
        losses[0, 0], losses[-1, -1] = np.nan, np.inf
    return Landscape(alphas, betas, losses, nonconvexity(losses, alphas, betas), float(losses.min()))


#: The one-weight explorer at its defaults and at two corners where things leave the axes.
CORNERS = {"defaults": {}, "optima beyond w = 4": {"x": 0.5, "y": 3.0, "w_start": 2.0},
           "gradients above 30": {"x": 3.0, "y": -3.0, "w_start": 2.0}}


@functools.cache
def scalar_plot(corner):
    return scalar_resnet_view(**CORNERS[corner])


@pytest.mark.parametrize("corner", CORNERS)
def test_scalar_resnet_draws_in_the_house_style_with_fixed_axes(corner):
    plot = scalar_plot(corner)
    assert not problems(plot.figure)
    assert plot.ax_loss.get_xlim() == ScalarResnetPlot.W_RANGE
    assert plot.ax_grad.get_ylim() == ScalarResnetPlot.G_RANGE
    assert [kind["loss"].get_color() for kind in plot.kinds] == [style.COLORS["plain"],
                                                                  style.COLORS["residual"]]


def test_an_optimum_beyond_the_w_axis_sits_on_its_edge_and_says_where_it_is():
    plot = scalar_plot("optima beyond w = 4")  # best w: 6 and 5, the axis ends at 4
    for kind, best in zip(plot.kinds, ("6", "5"), strict=True):
        assert kind["best"].get_xdata()[0] == ScalarResnetPlot.W_RANGE[1]
        assert kind["best"].get_marker() == ">"
        assert kind["best_note"].get_text() == f"w* = {best} →"


def test_a_gradient_beyond_its_axis_sits_on_the_edge_with_its_value():
    plot = scalar_plot("gradients above 30")  # ∂E/∂w = 54 and 72, the axis ends at 30
    for kind, value in zip(plot.kinds, ("54", "72"), strict=True):
        assert kind["at_start"].get_ydata()[0] == ScalarResnetPlot.G_RANGE[1]
        assert kind["start_note"].get_text() == f"{value} ↑"


def test_the_one_weight_summary_gives_both_optima_and_gradients():
    assert scalar_plot("defaults").summary == (
        "x = 2, target y = 2: the best w is 1 without the shortcut, 0 with it; "
        "∂E/∂w at the start w = 0 is −8 without, 0 with")


def test_landscape_plot_draws_in_the_house_style_on_one_fixed_scale_and_updates_in_place():
    grids = {"plain": bowl(1e4, spike=True), "residual": bowl(1.0)}
    plot = landscape_figure(grids, title="made up")
    assert plot.png().startswith(b"\x89PNG")
    assert not problems(plot.figure)
    assert plot.summary.startswith("made up. Negative curvature: plain ")
    for label in grids:
        panel = plot.panels[label]
        assert panel["image"].norm.vmin == LOSS_RANGE[0] and panel["image"].norm.vmax == LOSS_RANGE[1]
        assert panel["title"].get_color() == style.COLORS[label]
        shown = panel["image"].get_array()
        assert shown.min() >= LOSS_RANGE[0] and shown.max() <= LOSS_RANGE[1]
    # NaN and inf are drawn at the top of the scale, never left out
    assert plot.panels["plain"]["image"].get_array()[0, 0] == LOSS_RANGE[1]
    # Another setting, another grid size: only the moving artists change, so png blits.
    plot.update({"plain": bowl(3.0, resolution=7), "residual": bowl(0.5, resolution=7)}, "second",
                untrained=("plain",))
    assert not plot.figure.stale
    assert plot.panels["plain"]["title"].get_text().startswith("plain (not trained): ")
    assert plot.panels["plain"]["image"].get_array().shape == (7, 7)
    assert plot.png().startswith(b"\x89PNG")


@pytest.mark.parametrize(("connect", "lines"), [(False, True), (True, False)])
def test_degradation_figure(connect, lines):
    rng = np.random.default_rng(0)
    depths = (8, 24) if not connect else (8, 16, 32)
    plain, residual = rng.uniform(0.01, 1, (8, len(depths))), rng.uniform(0.01, 1, (8, len(depths)))
    plain[0, -1] = np.nan  # a diverged run
    figure = degradation_figure(depths, plain, residual, title="made up", connect=connect, lines=lines)
    assert not problems(figure)
    colors = {line.get_color() for line in figure.axes[0].lines}
    assert colors == {style.COLORS["plain"], style.COLORS["residual"]}


def test_landscape_trend_figure():
    rng = np.random.default_rng(0)
    shares = {"plain": rng.uniform(0, 100, (2, 8)), "residual": rng.uniform(0, 100, (2, 8))}
    figure = landscape_trend_figure((4, 20), shares, title="made up")
    assert not problems(figure)
    colors = {line.get_color() for line in figure.axes[0].lines}
    assert colors == {style.COLORS["plain"], style.COLORS["residual"]}
