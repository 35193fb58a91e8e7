"""Residual blocks, the slides' one-weight example, filter-normalized landscapes."""

import copy

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lecturekit import scalar_resnet
from lecturekit.exercises import check_filter_normalization, check_shortcut_gradient
from lecturekit.experiments import DEGRADATION, degradation_sweep, moons_task, trained
from lecturekit.gradcheck import check_layer, numerical_gradient
from lecturekit.landscape import filter_normalized_direction, loss_grid, nonconvexity
from lecturekit.layers import Activation, Linear, Residual, Sequential
from lecturekit.losses import mse
from lecturekit.nets import build_mlp, linear_layers

seeds = st.integers(0, 2**32 - 1)


@given(width=st.integers(1, 6), batch=st.integers(1, 5), seed=seeds,
       activation=st.sampled_from(["tanh", "sigmoid", "identity"]))
def test_residual_block_passes_the_gradient_check(width, batch, seed, activation):
    rng = np.random.default_rng(seed)
    block = Residual(Sequential(Linear(width, width, rng), Activation(activation), Linear(width, width, rng)))
    report = check_layer(block, rng.standard_normal((batch, width)), seed=seed)
    assert report.passed(), str(report)
    assert set(report.errors) == {"x", "0.W", "0.b", "2.W", "2.b"}


@given(depth=st.integers(2, 8), seed=seeds)
def test_residual_net_passes_the_gradient_check(depth, seed):
    rng = np.random.default_rng(seed)
    net = build_mlp(depth, 4, "tanh", "xavier", rng, residual=True)
    x, y = rng.standard_normal((3, 2)), rng.standard_normal((3, 1))
    assert check_layer(net, x, y=y, loss="mse").passed()


def test_the_shortcut_adds_the_identity_to_the_gradient():
    rng = np.random.default_rng(0)
    block = Sequential(Linear(3, 3, rng), Activation("relu"), Linear(3, 3, rng))
    residual = Residual(block)
    x, g = rng.standard_normal((2, 3)), rng.standard_normal((2, 3))
    np.testing.assert_allclose(residual.forward(x), block.forward(x) + x)
    block.forward(x)
    np.testing.assert_allclose(residual.backward(g), g + block.backward(g))


def test_residual_net_has_the_plain_nets_weights_and_layers():
    plain = build_mlp(9, 8, "relu", "he", np.random.default_rng(3))
    residual = build_mlp(9, 8, "relu", "he", np.random.default_rng(3), residual=True)
    blocks = [layer for layer in residual if isinstance(layer, Residual)]
    assert len(blocks) == 3  # 7 hidden width→width layers: 3 blocks and one plain layer
    assert len(linear_layers(plain)) == len(linear_layers(residual)) == 9
    for p, r in zip(linear_layers(plain), linear_layers(residual), strict=True):
        in_block = any(r is block.block[2] for block in blocks)
        expected = p.params["W"] / np.sqrt(3) if in_block else p.params["W"]  # branch scaling
        np.testing.assert_allclose(r.params["W"], expected)


def test_residual_rejects_a_block_that_changes_shape():
    block = Residual(Linear(3, 2, np.random.default_rng(0)))
    with pytest.raises(ValueError, match="same shape"):
        block.forward(np.ones((1, 3)))
    with pytest.raises(TypeError, match="Layer"):
        Residual(np.ones(3))


@given(w=st.floats(-3, 3), x=st.floats(0.1, 3), y=st.floats(-3, 3), shortcut=st.booleans())
def test_scalar_example_gradient_is_the_slides_formula(w, x, y, shortcut):
    weight = np.array([w])
    numeric = numerical_gradient(lambda: scalar_resnet.loss(weight[0], x, y, shortcut), weight)[0]
    assert scalar_resnet.gradient(w, x, y, shortcut) == pytest.approx(numeric, rel=1e-6, abs=1e-6)
    best = scalar_resnet.best_weight(x, y, shortcut)
    assert scalar_resnet.gradient(best, x, y, shortcut) == pytest.approx(0, abs=1e-9)


def test_scalar_example_optima_for_the_identity_target():
    assert scalar_resnet.best_weight(2.0, 2.0, shortcut=False) == 1.0
    assert scalar_resnet.best_weight(2.0, 2.0, shortcut=True) == 0.0
    assert scalar_resnet.gradient(0.0, 2.0, 2.0, shortcut=True) == 0.0
    assert scalar_resnet.gradient(0.0, 2.0, 2.0, shortcut=False) == -8.0


def test_filter_normalized_direction_has_the_units_norms():
    net = build_mlp(4, 6, "relu", "he", np.random.default_rng(0))
    direction = filter_normalized_direction(net, np.random.default_rng(1))
    for name, weights in net.params.items():
        if name.endswith(".W"):
            np.testing.assert_allclose(np.linalg.norm(direction[name], axis=0),
                                       np.linalg.norm(weights, axis=0))
        else:
            np.testing.assert_array_equal(direction[name], 0.0)


def test_the_grid_centre_is_the_trained_loss_and_weights_are_restored():
    X, y = moons_task()
    net, _ = trained(DEGRADATION.but(depth=4, steps=50))
    before = {name: w.copy() for name, w in net.params.items()}
    trained_loss = mse(net.forward(X), y)[0]
    rng = np.random.default_rng(0)
    directions = (filter_normalized_direction(net, rng), filter_normalized_direction(net, rng))
    alphas, betas, losses = loss_grid(net, X, y, directions, resolution=11)
    assert alphas[5] == betas[5] == 0.0
    assert losses[5, 5] == pytest.approx(trained_loss, rel=1e-12)
    for name, w in net.params.items():
        np.testing.assert_array_equal(w, before[name])


@pytest.mark.parametrize("residual", [False, True])
def test_each_grid_point_is_the_loss_at_those_weights(residual):
    # A row of the grid runs as one forward pass over stacked weights; every point must still be
    # the loss of the net with θ* + α d₁ + β d₂ put in by hand, and the net keeps its own arrays.
    X, y = moons_task()
    net, _ = trained(DEGRADATION.but(depth=6, steps=20, residual=residual))
    arrays = dict(net.params)
    rng = np.random.default_rng(3)
    d1, d2 = filter_normalized_direction(net, rng), filter_normalized_direction(net, rng)
    d1["0.b"] = rng.standard_normal(d1["0.b"].shape)  # a moving bias is stacked too
    alphas, betas, losses = loss_grid(net, X, y, (d1, d2), resolution=5)
    for i, j in ((0, 0), (1, 4), (3, 2), (4, 4)):
        by_hand = copy.deepcopy(net)
        for name, w in by_hand.params.items():
            w += alphas[j] * d1[name] + betas[i] * d2[name]
        assert losses[i, j] == pytest.approx(mse(by_hand.forward(X), y)[0], rel=1e-12)
    assert all(net.params[name] is array for name, array in arrays.items())


def test_a_stack_of_weights_runs_forward_only(rng):
    layer = Linear(3, 2, rng)
    layer.params["W"] = np.stack([layer.params["W"], 2 * layer.params["W"]])
    out = layer.forward(np.ones((4, 3)))
    assert out.shape == (2, 4, 2)
    np.testing.assert_allclose(out[1], 2 * out[0])
    with pytest.raises(ValueError, match="stack"):
        layer.backward(np.ones((2, 4, 2)))


def test_nonconvexity_of_known_surfaces():
    t = np.linspace(-1, 1, 21)
    a, b = np.meshgrid(t, t)
    assert nonconvexity(a**2 + 3 * b**2, t, t) == 0.0  # a bowl
    assert nonconvexity(a**2 - b**2, t, t) == 1.0  # a saddle everywhere
    assert nonconvexity(np.cos(3 * a), t, t) == pytest.approx(
        np.mean(np.cos(3 * a[1:-1, 1:-1]) > 0), abs=0.06)  # curves down where cos > 0


def test_degradation_at_a_small_scale():
    # He et al. 2016, Fig. 1: the deeper plain net trains worse; the residual one does not.
    sweep = degradation_sweep(depths=(4, 32))
    (plain_shallow, _), (plain_deep, _) = sweep["plain"]
    (res_shallow, _), (res_deep, res_diverged) = sweep["residual"]
    assert plain_deep > 2 * plain_shallow
    assert res_diverged is None and res_deep < res_shallow


def test_exercise_checkers():
    assert check_shortcut_gradient(lambda w, x, y: 2 * (w * x - y) * x + 2 * x**2).ok
    assert "without the shortcut" in check_shortcut_gradient(lambda w, x, y: 2 * (w * x - y) * x).message
    right = lambda d, W: d / np.linalg.norm(d, axis=0) * np.linalg.norm(W, axis=0)  # noqa: E731
    assert check_filter_normalization(right).ok
    rows = check_filter_normalization(
        lambda d, W: d / np.linalg.norm(d, axis=1, keepdims=True) * np.linalg.norm(W, axis=1, keepdims=True))
    assert "rows" in rows.message
    whole = check_filter_normalization(lambda d, W: d / np.linalg.norm(d) * np.linalg.norm(W))
    assert "whole matrix" in whole.message
