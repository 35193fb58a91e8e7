"""Notebook 03's stepper: the backward pass one node at a time ends at SlideNet.backward's Δw and Δv,
every step is local × upstream, the forward pass ends at SlideNet.forward's ŷ, and the view draws
every step in the house style, fast to redraw."""

import io
import itertools

import numpy as np
import pytest
from figure_checks import problems
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.colors import to_rgba
from PIL import Image
from strategies import seeds

from lecturekit import ACTIVATION_NAMES
from lecturekit.plots.network import LIGHT_ORANGE
from lecturekit.slide_net import EXAMPLE_X, EXAMPLE_Y, SlideNet, example_net
from lecturekit.stepper import BACKWARD_ORDER, FORWARD_ORDER, backward_steps, forward_steps
from lecturekit.widgets import STEPPER, stepper_view

activations = st.sampled_from(ACTIVATION_NAMES)


def pixels(png):
    return np.array(Image.open(io.BytesIO(png)))


def random_case(seed, f1, f2):
    rng = np.random.default_rng(seed)
    net = SlideNet.random(rng, f1=f1, f2=f2)
    return net, rng.normal(size=2), rng.uniform(size=2)


@given(seeds, activations, activations)
def test_the_last_backward_step_holds_the_slides_delta_w_and_delta_v(seed, f1, f2):
    net, x, y = random_case(seed, f1, f2)
    steps = backward_steps(net, x, y)
    grads = net.backward(net.forward(x), y)
    np.testing.assert_allclose(steps[-1].grad_w, grads.grad_w, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(steps[-1].grad_v, grads.grad_v, rtol=1e-12, atol=1e-15)


def test_delta_w_appears_at_step_w_and_delta_v_only_at_the_last_step():
    steps = backward_steps(example_net(), EXAMPLE_X, EXAMPLE_Y)
    assert tuple(step.name for step in steps) == BACKWARD_ORDER == ("ŷ", "z", "w", "h", "s", "v")
    filled = [(step.grad_w is not None, step.grad_v is not None) for step in steps]
    assert filled == [(False, False)] * 2 + [(True, False)] * 3 + [(True, True)]


def combine(step):
    """local × upstream, written out here by the rule the step names."""
    if step.rule == "⊙":
        return step.local * step.upstream
    if step.rule == "outer":
        return np.outer(step.local, step.upstream)
    if step.rule == "jacobian":
        return step.upstream @ step.local
    raise AssertionError(f"unknown rule {step.rule!r}")


@given(seeds, activations, activations)
def test_every_backward_step_is_local_times_upstream(seed, f1, f2):
    net, x, y = random_case(seed, f1, f2)
    steps = backward_steps(net, x, y)
    for step in steps:
        np.testing.assert_allclose(step.product, combine(step), rtol=1e-12, atol=1e-15, err_msg=step.name)
    node = None  # each upstream is the product of the last node before it (a weight is a leaf)
    for step in steps:
        if node is not None:
            np.testing.assert_array_equal(step.upstream, node.product, err_msg=step.name)
        if step.name not in ("w", "v"):
            node = step


def test_the_chain_is_the_slides_chain():
    steps = {step.name: step for step in backward_steps(example_net(), EXAMPLE_X, EXAMPLE_Y)}
    np.testing.assert_array_equal(steps["h"].upstream, steps["z"].product)  # δ_z feeds both w and h
    np.testing.assert_array_equal(steps["w"].upstream, steps["z"].product)
    np.testing.assert_array_equal(steps["v"].upstream, steps["s"].product)
    assert steps["ŷ"].product[0] == pytest.approx(0.5705 - 1, abs=1e-4)  # ŷ − y, not y − ŷ


@given(seeds, activations, activations)
def test_the_forward_steps_end_at_the_slide_nets_prediction(seed, f1, f2):
    net, x, y = random_case(seed, f1, f2)
    steps = forward_steps(net, x, y)
    assert tuple(step.name for step in steps) == FORWARD_ORDER
    forward = net.forward(x)
    np.testing.assert_array_equal(steps[-1].known["ŷ"], forward.y_hat)
    np.testing.assert_array_equal(steps[FORWARD_ORDER.index("ŷ")].value, forward.y_hat)
    assert float(steps[-1].value) == net.loss(forward.y_hat, y)
    for number, step in enumerate(steps, 1):  # each step adds exactly its own node
        assert list(step.known) == list(FORWARD_ORDER[:number])


def test_the_formulas_carry_the_numbers():
    steps = backward_steps(example_net(), EXAMPLE_X, EXAMPLE_Y)
    assert steps[1].lines[-1] == "δ_z = ((−0.43)×0.245, 0.551×0.247) = (−0.105, 0.136)"
    forward = forward_steps(example_net(), EXAMPLE_X, EXAMPLE_Y)
    assert forward[1].lines[1] == "s₁ = v₁₁x₁ + v₂₁x₂ = 0.5×1 + 0.2×0.5 = 0.6"


@pytest.mark.parametrize("direction", ["backward", "forward"])
def test_the_view_draws_every_step_in_the_house_style(direction):
    plot = stepper_view()
    plot.png()
    for step in range(7):
        stepper_view(plot, direction=direction, step=step)
        assert plot.png().startswith(b"\x89PNG")
        assert not plot.figure.stale, "a step must redraw only the moving parts"
        assert not problems(plot.figure)
        renderer = plot.figure.canvas.get_renderer()
        for text in plot.formula + plot.edge_labels:
            box = text.get_window_extent(renderer)
            assert plot.figure.bbox.contains(box.x0, box.y0) and plot.figure.bbox.contains(box.x1, box.y1), (
                text.get_text())
        boxes = [(t.get_text(), t.get_bbox_patch().get_window_extent(renderer)) for t in plot.edge_labels]
        for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
            assert not box_a.overlaps(box_b), (a, b)


def test_a_step_draws_again_only_what_changed_and_shows_what_a_new_plot_shows(monkeypatch):
    """Every step from many others, in both passes: the reused figure equals a new one drawn at
    that step, pixel for pixel. Walking the backward pass draws under half of the moving artists."""
    plot = stepper_view()
    plot.png()
    states = [(direction, step) for direction in ("backward", "forward") for step in range(7)]
    for previous, (direction, step) in itertools.pairwise(states + states[::-3] + states[1::2]):
        reused = pixels(stepper_view(plot, direction=direction, step=step).png())
        np.testing.assert_array_equal(reused, pixels(stepper_view(direction=direction, step=step).png()),
                                      err_msg=f"from {previous} to {direction} {step}")
    drawn = []
    draw = plot.figure.draw_artist
    monkeypatch.setattr(plot.figure, "draw_artist", lambda artist: drawn.append(artist) or draw(artist))
    stepper_view(plot, direction="backward", step=0).png()
    drawn.clear()
    for step in range(1, 7):
        stepper_view(plot, direction="backward", step=step).png()
    assert 0 < len(drawn) < 6 * len(plot.moving) / 2


def filled(label):
    """Whether an edge label is filled in the current step's light orange."""
    return to_rgba(label.get_bbox_patch().get_facecolor()) == to_rgba(LIGHT_ORANGE)


def test_the_view_shows_what_each_step_did():
    plot = stepper_view(direction="backward", step=0)
    assert not len(plot.ring.get_xdata()) and plot.edge_labels[0].get_text() == "v₁₁=0.50"
    stepper_view(plot, direction="backward", step=2)  # z: the output nodes ringed
    assert sorted(plot.ring.get_xdata()) == [2.0, 2.0]
    assert "δ_z" in plot.formula[0].get_text()
    stepper_view(plot, direction="backward", step=3)  # w: Δw under w on the w edges, v keeps its weights
    w11, v11 = plot.edge_labels[6], plot.edge_labels[0]
    assert w11.get_text() == "w₁₁=0.40\nΔw₁₁=−0.068" and v11.get_text() == "v₁₁=0.50"
    assert filled(w11) and not filled(v11)
    stepper_view(plot, direction="backward", step=4)  # h: its local derivative is w, so w is filled
    assert w11.get_text().startswith("w₁₁=0.40") and filled(w11)
    stepper_view(plot, direction="backward", step=5)  # s: nothing filled
    assert not filled(w11) and not filled(v11)
    stepper_view(plot, direction="backward", step=6)
    assert plot.edge_labels[0].get_text() == "v₁₁=0.50\nΔv₁₁=−0.025"
    assert plot.summary == "backward step 6 of 6 (v): Δw and Δv are complete"
    stepper_view(plot, direction="forward", step=2)  # s known, h not yet
    assert plot.values["h", 0].get_text() == "0.60\n?" and plot.values["y", 1].get_text() == "?\n?"


def test_the_explorer_offers_both_passes_and_every_step():
    assert STEPPER.controls["step"].extremes == (0, 6) and STEPPER.controls["step"].integer
    assert set(STEPPER.controls["direction"].extremes) == {"backward", "forward"}
    with pytest.raises(ValueError, match="step"):
        stepper_view(step=7)
