"""Notebooks 01 and 03: the network drawing, the training figure and the class planes, in the house
style; what a slider changes moves, the rest stays put."""

import itertools

import numpy as np
import pytest
from figure_checks import problems
from matplotlib.text import Text

from lecturekit.plots import boundaries_figure, network_figure, training_figure
from lecturekit.plots.training import LOSS_RANGE
from lecturekit.slide_net import SlideNet, example_net
from lecturekit.widgets import forward_view, training_view


def shown_texts(figure):
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    return [(text.get_text(), (text.get_bbox_patch() or text).get_window_extent(renderer))
            for text in figure.findobj(Text) if text.get_visible() and text.get_text().strip()]


@pytest.mark.parametrize(("x1", "x2", "f1", "f2"), [(1.0, 0.5, "sigmoid", "sigmoid"),
                                                  (-3.0, -3.0, "identity", "identity"),
                                                  (3.0, -3.0, "tanh", "leaky_relu")])
def test_the_network_drawing_is_readable_and_nothing_overlaps(x1, x2, f1, f2):
    net = example_net(f1, f2)
    figure = network_figure(net, net.forward(np.array([x1, x2]))).figure
    assert not problems(figure)
    texts = shown_texts(figure)
    assert len(texts) == 12 + 7 * 2 + 3  # edge labels, node names and values, column titles
    for (a, box_a), (b, box_b) in itertools.combinations(texts, 2):
        assert not box_a.overlaps(box_b), (a, b)
    for text, box in texts:
        assert figure.bbox.contains(box.x0, box.y0) and figure.bbox.contains(box.x1, box.y1), text


def test_every_node_value_fits_in_its_circle_at_the_sliders_extremes():
    net = example_net("identity", "identity")  # the largest values the explorer shows
    plot = network_figure(net, net.forward(np.array([-3.0, -3.0])))
    plot.png()
    circle = plot.ax.lines[-1]
    radius = circle.get_markersize() / 2 * plot.figure.dpi / 72
    renderer = plot.figure.canvas.get_renderer()
    centres = plot.ax.transData.transform(circle.get_xydata())
    for artist in plot.values.values():
        box = artist.get_window_extent(renderer)
        centre = centres[np.argmin(np.linalg.norm(centres - box.get_points().mean(axis=0), axis=1))]
        corners = np.array([[x, y] for x in box.intervalx for y in box.intervaly])
        assert np.linalg.norm(corners - centre, axis=1).max() < radius, artist.get_text()


def test_a_slider_step_redraws_only_the_node_values():
    plot = forward_view()
    plot.png()
    forward_view(plot, x1=-2.0, x2=1.5)
    assert not plot.figure.stale  # png() blits the moving values over the saved picture
    assert {a.get_text() for a in plot.values.values()} >= {"−2.00", "1.50"}
    forward_view(plot, x1=-2.0, x2=1.5, f1="relu")  # a new activation retitles a column
    assert plot.figure.stale
    assert "f₁ = relu" in plot.titles[1].get_text()


def test_edges_show_the_sign_and_size_of_each_weight():
    v = np.array([[1.0, -0.5, 0.0], [0.25, -1.0, 0.5]])
    w = np.array([[0.5, -0.5], [1.0, 0.0], [-0.25, 0.75]])
    net = SlideNet(v, w)
    plot = network_figure(net, net.forward(np.array([1.0, 1.0])))
    widths = [line.get_linewidth() for line in plot.edges]
    assert widths[0] == max(widths) and widths[2] == min(widths)
    assert plot.edges[1].get_color() != plot.edges[0].get_color()
    assert plot.edge_labels[1].get_text() == "v₁₂=−0.50"
    with pytest.raises(ValueError, match="2-3-2"):
        network_figure(SlideNet(np.ones((2, 4)), np.ones((4, 2))), None)


def moons():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, 2))
    Y = np.eye(2)[(X[:, 0] > 0).astype(int)]
    return X, Y


def predict(X):
    return np.column_stack([X[:, 0] < 0, X[:, 0] >= 0]).astype(float)


def test_the_training_figure_keeps_its_loss_axis_and_says_where_values_leave_it():
    X, Y = moons()
    losses = np.geomspace(0.5, 1e-4, 30)  # ends below the fixed range
    plot = training_figure(predict, X, Y, losses, "a run")
    assert not problems(plot.figure)
    assert plot.ax_loss.get_ylim() == pytest.approx(LOSS_RANGE)
    assert plot.loss.get_ydata().min() == pytest.approx(LOSS_RANGE[0])  # on the edge, not dropped
    first_below = int(np.argmax(losses < LOSS_RANGE[0])) + 1
    assert plot.beyond.get_text() == f"below {LOSS_RANGE[0]:g} from epoch {first_below}"
    assert plot.summary == "a run: mean loss of epoch 1 0.5 → of epoch 30 0.0001, training accuracy 100%"
    plot.update(predict, np.full(5, 0.2), "inside")
    assert plot.beyond.get_text() == ""


def test_the_class_planes_share_one_colour_key():
    X, Y = moons()
    plot = boundaries_figure({"right": predict, "wrong": lambda X: predict(X)[:, ::-1]}, X, Y, "two")
    assert not problems(plot.figure)
    assert [ax.get_title() for ax in plot.figure.axes[:2]] == ["right\naccuracy 100%", "wrong\naccuracy 0%"]
    assert plot.summary == "two"


def test_the_training_explorer_computes_each_setting_once_and_keeps_its_axes():
    plot = training_view(epochs=1)
    plot.png()
    limits = plot.ax_loss.get_xlim(), plot.ax_loss.get_ylim()
    training_view(plot, epochs=2, learning_rate=0.1)
    assert not plot.figure.stale
    assert (plot.ax_loss.get_xlim(), plot.ax_loss.get_ylim()) == limits
    from lecturekit.widgets.training import _trained

    hits = _trained.cache_info().hits
    training_view(plot, epochs=1)
    assert _trained.cache_info().hits == hits + 1
