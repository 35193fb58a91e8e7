"""Residual blocks, the slides' one-weight example, filter-normalized landscapes."""

import copy

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import seeds

from lecturekit import scalar_resnet
from lecturekit.exercises import check_filter_normalization, check_shortcut_gradient
from lecturekit.experiments import DEGRADATION, Setup, degradation_sweep, moons_task, trained
from lecturekit.gradcheck import check_layer, numerical_gradient
from lecturekit.landscape import filter_normalized_direction, loss_grid, nonconvexity
from lecturekit.layers import Activation, Linear, Residual, Sequential, leaves
from lecturekit.losses import mse
from lecturekit.nets import build_mlp, linear_layers
from lecturekit.shortcut import block_gradient_factors, block_gradient_ratios, input_jacobian

#: Small ReLU nets for the landscape tests (a landscape row stacks weights; loss_grid gives each
#: BN a stack of batches, tested on its own).
RELU_NET = Setup(activation="relu", init="he", learning_rate=0.02)


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


@pytest.mark.parametrize("batchnorm", [False, True])
def test_residual_net_is_the_plain_net_plus_shortcuts(batchnorm):
    # The only difference is the shortcuts: the same layers in the same order (as many
    # activations and BNs), the same weights (not rescaled).
    plain = build_mlp(9, 8, "relu", "he", np.random.default_rng(3), batchnorm=batchnorm)
    residual = build_mlp(9, 8, "relu", "he", np.random.default_rng(3), residual=True, batchnorm=batchnorm)
    blocks = [layer for layer in residual if isinstance(layer, Residual)]
    assert len(blocks) == 3  # 7 hidden width→width layers: 3 blocks and one plain layer
    assert [repr(layer) for layer in leaves(plain)] == [repr(layer) for layer in leaves(residual)]
    assert len(linear_layers(plain)) == len(linear_layers(residual)) == 9
    for p, r in zip(linear_layers(plain), linear_layers(residual), strict=True):
        np.testing.assert_array_equal(r.params["W"], p.params["W"])
    for block in blocks:  # pre-activation: f (after BN) first, a Linear layer last
        assert isinstance(block.block[1 if batchnorm else 0], Activation)
        assert isinstance(block.block[-1], Linear)
    # Removing the shortcuts gives the plain net's function back.
    x = np.random.default_rng(4).standard_normal((5, 2))
    unwrapped = Sequential([inner for layer in residual
                            for inner in (layer.block if isinstance(layer, Residual) else [layer])])
    np.testing.assert_allclose(unwrapped.forward(x), plain.forward(x))
    assert not np.allclose(residual.forward(x), plain.forward(x))


def test_the_input_jacobian_of_a_block_is_identity_plus_the_branchs():
    rng = np.random.default_rng(1)
    branch = Sequential(Linear(4, 4, rng), Activation("tanh"), Linear(4, 4, rng))
    x = rng.standard_normal(4)
    jacobian = input_jacobian(Residual(branch), x)
    np.testing.assert_allclose(jacobian, np.eye(4) + input_jacobian(branch, x), atol=1e-8)
    # and the branch's is W₂ᵀ diag(tanh′) W₁ᵀ in the (out, in) layout
    s = x @ branch[0].params["W"] + branch[0].params["b"]
    expected = branch[2].params["W"].T @ np.diag(1 - np.tanh(s) ** 2) @ branch[0].params["W"].T
    np.testing.assert_allclose(input_jacobian(branch, x), expected, atol=1e-8)


def test_block_gradient_ratios_divide_each_blocks_second_gradient_by_its_first():
    net = build_mlp(6, 4, "sigmoid", "xavier", np.random.default_rng(2), residual=True)
    x, y = np.random.default_rng(3).standard_normal((5, 2)), np.zeros((5, 1))
    net.backward(mse(net.forward(x), y)[1])
    blocks = [layer for layer in net if isinstance(layer, Residual)]
    assert len(blocks) == 2
    # ∂L/∂W of each block's two Linear layers by central differences, not by the backward pass
    expected = []
    for block in blocks:
        first, second = (numerical_gradient(lambda: mse(net.forward(x), y)[0], layer.params["W"])
                         for layer in linear_layers(block.block))
        expected.append(np.linalg.norm(second) / np.linalg.norm(first))
    np.testing.assert_allclose(block_gradient_ratios(net), expected, rtol=1e-6)


def test_residual_rejects_a_block_that_changes_shape():
    with pytest.raises(ValueError, match="same width"):  # refused when built
        Residual(Linear(3, 2, np.random.default_rng(0)))
    block = Residual(Linear(3, 3, np.random.default_rng(0)))
    with pytest.raises(ValueError, match="x"):  # a block of the right width, an x of the wrong one
        block.forward(np.ones((1, 2)))
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
    net, _ = trained(RELU_NET.but(depth=4, steps=50))
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
    net, _ = trained(RELU_NET.but(depth=6, steps=20, residual=residual))
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


@pytest.mark.parametrize("residual", [False, True])
def test_a_grid_with_batchnorm_normalizes_each_point_with_its_own_batch(residual):
    # BN is evaluated as the net was trained (full batch, training mode): each grid point's loss is
    # that of the net with those weights, its BNs using the batch statistics at those weights.
    X, y = moons_task()
    net, _ = trained(RELU_NET.but(depth=6, steps=20, residual=residual, batchnorm=True))
    rng = np.random.default_rng(4)
    directions = (filter_normalized_direction(net, rng), filter_normalized_direction(net, rng))
    alphas, betas, losses = loss_grid(net, X, y, directions, resolution=5)
    for i, j in ((0, 0), (1, 4), (2, 2), (4, 3)):
        by_hand = copy.deepcopy(net)
        for name, w in by_hand.params.items():
            w += alphas[j] * directions[0][name] + betas[i] * directions[1][name]
        assert losses[i, j] == pytest.approx(mse(by_hand.forward(X), y)[0], rel=1e-10)
    norms = [layer for layer in leaves(net) if type(layer).__name__ == "BatchNorm"]
    assert norms and all("forward" not in vars(layer) for layer in norms)  # the method is back
    norms[0].train(False)
    with pytest.raises(ValueError, match="eval mode"):
        loss_grid(net, X, y, directions, resolution=3)


def test_a_grid_with_batchnorm_in_eval_mode_uses_the_running_statistics():
    # As Li et al.'s code (net.eval()): every grid point normalizes with the fixed running statistics.
    X, y = moons_task()
    net, _ = trained(RELU_NET.but(depth=6, steps=20, residual=True, batchnorm=True))
    rng = np.random.default_rng(4)
    directions = (filter_normalized_direction(net, rng), filter_normalized_direction(net, rng))
    alphas, betas, losses = loss_grid(net, X, y, directions, resolution=5, batch_statistics=False)
    _, _, batch_losses = loss_grid(net, X, y, directions, resolution=5)
    assert not np.allclose(losses, batch_losses)
    for i, j in ((0, 0), (1, 4), (2, 2)):
        by_hand = copy.deepcopy(net)
        for name, w in by_hand.params.items():
            w += alphas[j] * directions[0][name] + betas[i] * directions[1][name]
        for layer in leaves(by_hand):
            layer.train(False)
        assert losses[i, j] == pytest.approx(mse(by_hand.forward(X), y)[0], rel=1e-10)


def test_slopes_along_the_directions_match_finite_differences():
    from lecturekit.landscape import slopes_along
    X, y = moons_task()
    net, _ = trained(RELU_NET.but(depth=6, steps=20))
    rng = np.random.default_rng(5)
    directions = (filter_normalized_direction(net, rng), filter_normalized_direction(net, rng))
    h = 1e-5
    *_, losses = loss_grid(net, X, y, directions, span=h, resolution=3)
    slope_a, slope_b = slopes_along(net, X, y, directions)
    assert slope_a == pytest.approx((losses[1, 2] - losses[1, 0]) / (2 * h), rel=1e-4, abs=1e-9)
    assert slope_b == pytest.approx((losses[2, 1] - losses[0, 1]) / (2 * h), rel=1e-4, abs=1e-9)


def test_gradient_in_plane_and_branch_scale():
    from lecturekit.experiments import LANDSCAPE, landscape_start
    from lecturekit.landscape import branch_scale, gradient_in_plane
    X, y = moons_task()
    net, _ = trained(RELU_NET.but(depth=6, steps=20))
    rng = np.random.default_rng(5)
    d1, d2 = filter_normalized_direction(net, rng), filter_normalized_direction(net, rng)
    gradient, in_plane = gradient_in_plane(net, X, y, (d1, d2))
    _, grad = mse(net.forward(X), y)
    net.backward(grad)
    g = np.concatenate([net.grads[name].ravel() for name in net.params])
    flat = np.concatenate([d1[name].ravel() for name in net.params])
    assert gradient == pytest.approx(np.linalg.norm(g))
    assert abs(g @ flat) / np.linalg.norm(flat) <= in_plane * (1 + 1e-9) and in_plane <= gradient
    assert np.isnan(branch_scale(net, X))  # a plain net has no branches
    assert branch_scale(landscape_start(LANDSCAPE.but(depth=6, residual=True)), X) == 0.0  # H(x) = x + 0
    assert branch_scale(LANDSCAPE.but(depth=6, residual=True).build(), X) > 0.0


def test_nonconvexity_of_known_surfaces():
    t = np.linspace(-1, 1, 21)
    a, b = np.meshgrid(t, t)
    assert nonconvexity(a**2 + 3 * b**2, t, t) == 0.0  # a bowl
    assert nonconvexity(a**2 - b**2, t, t) == 1.0  # a saddle everywhere
    assert nonconvexity(np.cos(3 * a), t, t) == pytest.approx(
        np.mean(np.cos(3 * a[1:-1, 1:-1]) > 0), abs=0.06)  # curves down where cos > 0


def test_degradation_at_a_small_scale():
    # He et al. 2016, Fig. 1: the deeper plain net trains worse; the residual one does not. As
    # they did it: ReLU with He init and BN in both nets (the claim checks it over seeds).
    assert (DEGRADATION.activation, DEGRADATION.init, DEGRADATION.batchnorm) == ("relu", "he", True)
    sweep = degradation_sweep(depths=(8, 24))
    (plain_shallow, plain_diverged), (plain_deep, _) = sweep["plain"]
    (res_shallow, _), (res_deep, res_diverged) = sweep["residual"]
    assert plain_diverged is None and res_diverged is None
    assert plain_deep > 2 * plain_shallow
    assert res_deep < 2 * res_shallow and res_deep < plain_deep / 5


def test_exercise_checkers():
    assert check_shortcut_gradient(lambda w, x, y: 2 * (w * x - y) * x + 2 * x**2).ok
    assert "沒有 shortcut" in check_shortcut_gradient(lambda w, x, y: 2 * (w * x - y) * x).message
    right = lambda d, W: d / np.linalg.norm(d, axis=0) * np.linalg.norm(W, axis=0)  # noqa: E731
    assert check_filter_normalization(right).ok
    rows = check_filter_normalization(
        lambda d, W: d / np.linalg.norm(d, axis=1, keepdims=True) * np.linalg.norm(W, axis=1, keepdims=True))
    assert "每一個 row" in rows.message
    whole = check_filter_normalization(lambda d, W: d / np.linalg.norm(d) * np.linalg.norm(W))
    assert "整個矩陣" in whole.message


def test_landscape_nets_blocks_start_as_the_identity_and_the_centre_is_the_trained_loss():
    from lecturekit.experiments import LANDSCAPE, landscape_run, landscape_start, loss_landscape
    from lecturekit.layers import Residual
    X, y = moons_task()
    setup = LANDSCAPE.but(depth=8, steps=5)
    plain, residual = setup.build(), landscape_start(setup.but(residual=True))
    for name, weights in landscape_start(setup).params.items():  # a plain net stays as built
        np.testing.assert_array_equal(weights, plain.params[name])
    x = next(iter(residual)).forward(X)  # the first Linear's output, the first block's input
    for block in (layer for layer in residual if isinstance(layer, Residual)):
        np.testing.assert_array_equal(block.forward(x), x)  # H(x) = x + 0
    net, _ = landscape_run(setup.but(residual=True))
    grid = loss_landscape(setup.but(residual=True), direction_seed=0, resolution=5)
    assert grid.losses[2, 2] == pytest.approx(grid.trained_loss, rel=1e-12)
    assert grid.trained_loss == pytest.approx(mse(net.forward(X), y)[0], rel=1e-12)
    assert grid.lowest()[0] == grid.losses.min() and 0.0 <= grid.share <= 1.0


def test_block_gradient_factors_multiply_to_the_ratio_and_the_sigmoid_part_is_at_least_4():
    X, y = moons_task()
    net = build_mlp(8, 6, "sigmoid", "xavier", np.random.default_rng(2), residual=True)
    parts = block_gradient_factors(net, X, y)
    np.testing.assert_allclose(parts["ratio"], block_gradient_ratios(net))  # after the same backward
    np.testing.assert_allclose(parts["f′"] * parts["W₂ᵀ"] * parts["inputs"], parts["ratio"])
    assert np.all(parts["f′"] >= 4)  # σ′ ≤ 0.25 elementwise
