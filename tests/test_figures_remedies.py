"""Notebook 06's figures (and 05's use of histories_figure) in the house style, on small made-up
inputs: nothing is trained here."""

import io

import numpy as np
import pytest
from figure_checks import problems
from PIL import Image

from lecturekit import style
from lecturekit.experiments import remedies
from lecturekit.optim import clip_by_norm, clip_by_value
from lecturekit.plots import REMEDY_COLORS, REMEDY_DASHES, clip_figure, histories_figure, weights_figure
from lecturekit.plots.remedies import REMEDY_GRAD_RANGE, REMEDY_LOSS_RANGE, HistoriesPlot
from lecturekit.train import History

OKABE_ITO = {style.BLACK, style.ORANGE, style.SKY_BLUE, style.GREEN, style.YELLOW, style.BLUE,
             style.VERMILLION, style.PURPLE, style.GREY}


def history(loss, grad, diverged_at=None):
    loss, grad = np.asarray(loss, dtype=float), np.asarray(grad, dtype=float)
    return History(loss, np.column_stack([grad, grad]), np.zeros((len(loss), 1)), np.zeros((len(loss), 0)),
                   diverged_at, "made up")


FLAT = history(np.full(20, 0.244), np.full(20, 1e-5))
FALLING = history(np.geomspace(1.0, 0.05, 20), np.geomspace(0.5, 0.1, 20))


def legend_texts(plot):
    return [text.get_text() for text in plot.legend.get_texts() if text.get_text()]


def test_every_remedy_has_a_colour_blind_safe_colour_and_relu_is_relus():
    assert set(REMEDY_COLORS) == set(remedies()) == set(REMEDY_DASHES)
    assert set(REMEDY_COLORS.values()) <= OKABE_ITO
    assert REMEDY_COLORS["2. ReLU + He init"] == style.COLORS["relu"]
    assert REMEDY_COLORS["baseline"] == style.COLORS["reference"]
    # Two remedies that share a colour differ in their dashes.
    styles = [(REMEDY_COLORS[name], REMEDY_DASHES[name]) for name in REMEDY_COLORS]
    assert len(set(styles)) == len(styles)


def test_histories_figure_keeps_notebook_05s_call_and_the_house_style():
    plot = histories_figure({"xavier": FLAT, "he": FALLING}, title="30-layer ReLU net, seed 0")
    assert plot.summary == "30-layer ReLU net, seed 0"
    assert not problems(plot.figure)
    assert legend_texts(plot) == ["xavier", "he"]  # nothing diverged or left the axes: no key


def test_coinciding_runs_are_all_visible_and_named():
    """06's vanishing figure: baseline, clipping and L2 lie on one line. Each is drawn narrower
    than the one below it, and the legend says whose loss curve it shares."""
    runs = {"baseline": FLAT, "3. clip norm 1": FLAT, "2. ReLU + He init": FALLING, "4. L2 λ = 0.3": FLAT}
    plot = histories_figure(runs, colors=REMEDY_COLORS, dashes=REMEDY_DASHES)
    assert not problems(plot.figure)
    widths = [slot["loss"].get_linewidth() for slot in plot.slots]
    assert widths[0] > widths[1] > widths[3] and widths[2] == widths[3]
    orders = [slot["loss"].get_zorder() for slot in plot.slots]
    assert orders == sorted(orders)  # later (narrower) lines above earlier ones
    assert legend_texts(plot) == ["baseline", "3. clip norm 1 (loss ≈ baseline)", "2. ReLU + He init",
                                  "4. L2 λ = 0.3 (loss ≈ baseline)"]


def test_divergence_and_values_beyond_the_axes_are_marked_on_the_edges():
    exploded = history([2e3, 5e5], [3e3, 0.0], diverged_at=3)
    plot = histories_figure({"baseline": exploded, "2. ReLU + He init": FALLING}, loss_top=1e4)
    assert not problems(plot.figure)
    top = plot.ax_loss.get_ylim()[1]
    assert top == 1e4
    slot = plot.slots[0]
    np.testing.assert_array_equal(slot["diverged"].get_xydata(), [[3, top]])
    np.testing.assert_array_equal(slot["loss above"].get_xydata(), [[2, top]])  # 5e5 > 1e4
    assert slot["grad below"].get_xydata()[:, 0].tolist() == [2]  # a zero gradient
    assert slot["grad below"].get_xydata()[0, 1] == plot.ax_grad.get_ylim()[0]
    assert "diverged (on the top edge)" in legend_texts(plot)
    assert "off the axis: ▲ above, ▼ below" in legend_texts(plot)


def test_the_remedy_explorers_axes_stay_fixed_and_hold_a_diverged_run():
    plot = HistoriesPlot(2, 20, REMEDY_LOSS_RANGE, REMEDY_GRAD_RANGE, live=True)
    for runs in ({"baseline": FLAT, "x": FALLING}, {"baseline": history([1e6], [1e40], diverged_at=2)}):
        plot.update(runs)
        assert plot.ax_loss.get_ylim() == REMEDY_LOSS_RANGE and plot.ax_grad.get_ylim() == REMEDY_GRAD_RANGE
        assert not problems(plot.figure)
    assert not plot.slots[1]["loss"].get_visible()  # one run: the second slot is hidden
    assert plot.slots[0]["grad above"].get_xydata().tolist() == [[1, REMEDY_GRAD_RANGE[1]]]


@pytest.mark.parametrize(("gradient", "threshold"), [((3.0, 1.0), 1.0), ((-5.0, 5.0), 0.1), ((3.0, 1.0), 5.0),
                                                      ((0.0, 0.0), 1.0)])
def test_clip_figure_draws_what_optim_computes(gradient, threshold):
    plot = clip_figure(gradient, threshold)
    assert not problems(plot.figure)
    g = np.array(gradient)
    expected = {"g": g, "norm": clip_by_norm({"g": g}, threshold)["g"],
                "value": clip_by_value({"g": g}, threshold)["g"]}
    for key, vector in expected.items():
        np.testing.assert_array_equal(plot.arrows[key].xy, vector)
        assert plot.arrows[key].get_visible() == bool(np.any(vector))
    reach = plot.REACH
    assert plot.ax.get_xlim() == (-reach, reach) and plot.ax.get_ylim() == (-reach, reach)


def test_clip_figure_says_when_a_clipping_changes_nothing():
    assert "clip by norm = g" in clip_figure([3.0, 1.0], 5.0).summary
    assert "turned 26.6°" in clip_figure([3.0, 1.0], 1.0).summary


class Net:
    def __init__(self, *weights):
        self.params = {f"{k}.W": np.asarray(w, dtype=float) for k, w in enumerate(weights)}
        self.params["0.b"] = np.full(3, 99.0)  # biases are not weights


def test_weights_figure_marks_full_bins_and_weights_beyond_the_axis():
    spread = np.random.default_rng(0).normal(0, 0.3, 300)
    nets = {"no penalty": Net(spread), "L1, λ = 1e-2": Net(np.r_[np.zeros(250), [3.0, -4.0, 0.5]]),
            "L2, λ = 1e-2": Net(spread * 0.5)}
    plot = weights_figure(nets, title="the same λ")
    assert not problems(plot.figure)
    assert plot.summary == "the same λ"
    panel = plot.panels[1]
    assert panel["peak"].get_visible() and panel["peak"].get_text() == "▲ 250"
    assert panel["over"].get_xydata().tolist() == [[0.0, plot.COUNT_TOP]]
    assert panel["left"].get_text().startswith("◀ 1 below")
    assert panel["right"].get_text().startswith("1 above")
    assert "|w| < 0.001: 99%" in panel["title"].get_text()
    assert not plot.panels[0]["peak"].get_visible() and not plot.panels[0]["left"].get_text()
    for ax in plot.axes:
        assert ax.get_ylim() == (0, plot.COUNT_TOP) and ax.get_xlim() == (plot.EDGES[0], plot.EDGES[-1])


def pixels(plot):
    return np.asarray(Image.open(io.BytesIO(plot.png())))


@pytest.mark.parametrize("live", [True, False])
def test_a_reused_histories_plot_draws_the_pixels_of_a_new_one(live):
    """The runs' names change with the remedy: a reused plot must show the new ones (live, its
    legend moves; otherwise the legend is in the background, which must be drawn anew)."""
    def plot():
        return HistoriesPlot(2, 20, REMEDY_LOSS_RANGE, REMEDY_GRAD_RANGE, live=live)

    reused = plot()
    reused.update({"baseline": FLAT, "2. ReLU + He init": FALLING}, REMEDY_COLORS, REMEDY_DASHES).png()
    runs = {"baseline": FLAT, "3. clip norm 1": FLAT}
    reused.update(runs, REMEDY_COLORS, REMEDY_DASHES)
    np.testing.assert_array_equal(pixels(reused), pixels(plot().update(runs, REMEDY_COLORS, REMEDY_DASHES)))
