"""loss_grid's own forward pass over a row of weight settings, and the landscape's input checks."""

import copy

import numpy as np
import pytest

from lecturekit.batchnorm import BatchNoise, BatchNorm
from lecturekit.landscape import (
    curvatures,
    filter_normalized_direction,
    forward_settings,
    loss_grid,
    nonconvexity,
)
from lecturekit.layers import Layer, Sequential, leaves
from lecturekit.losses import mse
from lecturekit.nets import build_mlp

NETS = {
    "plain": {},
    "residual": {"residual": True},
    "BN": {"batchnorm": True},
    "residual BN": {"residual": True, "batchnorm": True},
    "BN + noise": {"batchnorm": True, "batch_noise": 0.3},
}


def small_net(kind, seed=0):
    """A trained-looking small net: one forward pass in training mode gives BN running statistics."""
    rng = np.random.default_rng(seed)
    net = build_mlp(6, 5, "tanh", "xavier", rng, **NETS[kind])
    for layer in leaves(net):
        if isinstance(layer, BatchNorm):
            layer.params["gamma"][:] = rng.uniform(0.5, 2.0, layer.features)
            layer.params["beta"][:] = rng.standard_normal(layer.features)
    net.forward(rng.standard_normal((16, 2)))
    return net


def by_hand(net, setting, x, batch_statistics):
    """The net's own forward pass with `setting` put into a copy of it (BN in training mode with
    batch statistics, else in evaluation; BatchNoise always in evaluation)."""
    other = copy.deepcopy(net)
    for name, array in other.params.items():
        array[...] = setting[name]
    for layer in leaves(other):
        layer.train(batch_statistics and isinstance(layer, BatchNorm))
    return other.forward(x)


@pytest.mark.parametrize("kind", list(NETS))
@pytest.mark.parametrize("batch_statistics", [True, False])
def test_forward_settings_is_each_settings_forward_pass(kind, batch_statistics):
    net = small_net(kind)
    rng = np.random.default_rng(1)
    x = rng.standard_normal((8, 2))
    K = 3
    # every parameter moves, biases, γ and β too: each gets K settings along a new first axis
    settings = {name: p + 0.3 * rng.standard_normal((K, *p.shape)) for name, p in net.params.items()}
    stacked = {name: s if s.ndim == 3 else s[:, None, :] for name, s in settings.items()}
    out = forward_settings(net, stacked, x, batch_statistics)
    assert out.shape == (K, 8, 1)
    for k in range(K):
        setting = {name: s[k] for name, s in settings.items()}
        np.testing.assert_allclose(out[k], by_hand(net, setting, x, batch_statistics), rtol=1e-12)


def test_forward_settings_with_no_stack_is_the_nets_own_forward():
    net = small_net("residual BN")
    x = np.random.default_rng(2).standard_normal((8, 2))
    np.testing.assert_allclose(forward_settings(net, net.params, x, batch_statistics=False),
                               by_hand(net, net.params, x, batch_statistics=False), rtol=1e-13)


def test_forward_settings_refuses_a_layer_it_does_not_know():
    class Doubler(Layer):
        def forward(self, x):
            return 2 * x

    with pytest.raises(TypeError, match="Doubler"):
        forward_settings(Sequential(Doubler()), {}, np.ones((2, 2)))


@pytest.mark.parametrize("kind", ["BN", "BN + noise", "residual BN"])
@pytest.mark.parametrize("batch_statistics", [True, False])
def test_a_small_grid_is_a_loop_over_its_points_and_changes_nothing(kind, batch_statistics):
    net = small_net(kind)
    rng = np.random.default_rng(3)
    X, Y = rng.standard_normal((10, 2)), rng.standard_normal((10, 1))
    directions = (filter_normalized_direction(net, rng), filter_normalized_direction(net, rng))
    arrays = {name: (p, p.copy()) for name, p in net.params.items()}
    norms = [(layer, layer.running_mean.copy(), layer.running_var.copy())
             for layer in leaves(net) if isinstance(layer, BatchNorm)]
    noises = [(layer, layer.rng.bit_generator.state)
              for layer in leaves(net) if isinstance(layer, BatchNoise)]
    alphas, betas, losses = loss_grid(net, X, Y, directions, span=0.5, resolution=3,
                                      batch_statistics=batch_statistics)
    np.testing.assert_array_equal(alphas, [-0.5, 0.0, 0.5])
    for i, beta in enumerate(betas):
        for j, alpha in enumerate(alphas):
            setting = {name: p + alpha * directions[0][name] + beta * directions[1][name]
                       for name, p in net.params.items()}
            expected = mse(by_hand(net, setting, X, batch_statistics), Y)[0]
            assert losses[i, j] == pytest.approx(expected, rel=1e-12)
    # the net is as it was: its own arrays, values, running statistics and noise streams
    for name, (array, values) in arrays.items():
        assert net.params[name] is array
        np.testing.assert_array_equal(array, values)
    for layer, mean, var in norms:
        np.testing.assert_array_equal(layer.running_mean, mean)
        np.testing.assert_array_equal(layer.running_var, var)
        assert "forward" not in vars(layer)
    for layer, state in noises:
        assert layer.rng.bit_generator.state == state


def test_directions_without_any_movement_give_a_flat_grid():
    net = small_net("plain")
    X, Y = np.ones((4, 2)), np.zeros((4, 1))
    zero = {name: np.zeros_like(p) for name, p in net.params.items()}
    *_, losses = loss_grid(net, X, Y, (zero, zero), resolution=3)
    np.testing.assert_array_equal(losses, mse(net.forward(X), Y)[0])


def _setup():
    net = small_net("BN")
    rng = np.random.default_rng(4)
    X, Y = rng.standard_normal((6, 2)), rng.standard_normal((6, 1))
    return net, X, Y, (filter_normalized_direction(net, rng), filter_normalized_direction(net, rng))


@pytest.mark.parametrize(
    ("resolution", "error"),
    [(2, ValueError), (1, ValueError), (0, ValueError), (-3, ValueError), (2.0, TypeError),
     (5.0, TypeError), (True, TypeError), (None, TypeError), ("11", TypeError)],
)
def test_the_grid_needs_at_least_3_points_per_side(resolution, error):
    # A 2 × 2 grid has no inside point: its share of curving-down points would be nan%.
    net, X, Y, directions = _setup()
    with pytest.raises(error, match="loss_grid: resolution"):
        loss_grid(net, X, Y, directions, resolution=resolution)


@pytest.mark.parametrize(
    ("span", "error"),
    [(0.0, ValueError), (-1.0, ValueError), (np.nan, ValueError), (np.inf, ValueError),
     (None, TypeError), ("1", TypeError)],
)
def test_the_span_is_a_finite_positive_number(span, error):
    net, X, Y, directions = _setup()
    with pytest.raises(error, match="loss_grid: span"):
        loss_grid(net, X, Y, directions, span=span, resolution=3)


def test_numpy_scalars_are_numbers_for_the_grid():
    net, X, Y, directions = _setup()
    alphas, _, losses = loss_grid(net, X, Y, directions, span=np.float32(0.5), resolution=np.int64(3))
    assert losses.shape == (3, 3) and alphas[-1] == 0.5


def test_directions_must_match_the_nets_parameters():
    net, X, Y, (d1, d2) = _setup()
    missing = {name: d for name, d in d1.items() if name != "0.W"}
    extra = {**d1, "99.W": np.ones((2, 2))}
    reshaped = {**d1, "0.W": d1["0.W"].T}
    broken = {**d1, "0.W": np.full(d1["0.W"].shape, np.nan)}
    cases = [
        ((missing, d2), ValueError, r"directions\[0\].*names"),
        ((d1, extra), ValueError, r"directions\[1\].*names"),
        ((reshaped, d2), ValueError, r"directions\[0\]\['0.W'\] must have shape"),
        ((broken, d2), ValueError, r"directions\[0\]\['0.W'\]"),
        ((d1,), TypeError, "directions"),
        ((d1, d2, d1), TypeError, "directions"),
        (d1, TypeError, "directions"),
        ((d1, list(d2.values())), ValueError, r"directions\[1\]"),
    ]
    for directions, error, words in cases:
        with pytest.raises(error, match=words):
            loss_grid(net, X, Y, directions, resolution=3)


def test_batch_statistics_need_bn_in_training_mode():
    net, X, Y, directions = _setup()
    net.eval()
    with pytest.raises(ValueError, match="eval mode"):
        loss_grid(net, X, Y, directions, resolution=3)
    *_, losses = loss_grid(net, X, Y, directions, resolution=3, batch_statistics=False)
    assert losses[1, 1] == pytest.approx(mse(net.forward(X), Y)[0], rel=1e-12)
    with pytest.raises(TypeError, match="batch_statistics"):
        loss_grid(net, X, Y, directions, resolution=3, batch_statistics="no")


@pytest.mark.parametrize("shape", [(2, 2), (1, 1), (3, 2), (2, 5), (9,), (3, 3, 3)])
@pytest.mark.parametrize("measure", [nonconvexity, curvatures])
def test_curvature_needs_a_grid_of_at_least_3_by_3(measure, shape):
    losses = np.zeros(shape)
    alphas = np.linspace(-1, 1, shape[-1])
    betas = np.linspace(-1, 1, shape[0])
    with pytest.raises(ValueError, match=f"{measure.__name__}: losses"):
        measure(losses, alphas, betas)


def test_curvature_on_the_smallest_grid_and_mismatched_axes():
    t = np.linspace(-1, 1, 3)
    a, b = np.meshgrid(t, t)
    assert nonconvexity(a**2 + b**2, t, t) == 0.0  # a bowl: one inside point, curving up
    assert nonconvexity(a**2 - b**2, t, t) == 1.0  # a saddle
    smallest, largest = curvatures(a**2 - 3 * b**2, t, t)
    np.testing.assert_allclose([smallest[0, 0], largest[0, 0]], [-6.0, 6.0])  # eigenvalues 2, −6
    with pytest.raises(ValueError, match="alphas"):
        nonconvexity(np.zeros((3, 4)), t, t)
    with pytest.raises(ValueError, match="betas"):
        curvatures(np.zeros((4, 3)), t, t)
