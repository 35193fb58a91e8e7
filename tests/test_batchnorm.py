"""BatchNorm: forward statistics, the compact backward against central differences, modes."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lecturekit.batchnorm import BatchNoise, BatchNorm
from lecturekit.exercises import check_batchnorm_backward
from lecturekit.experiments import (
    DEEP_SIGMOID,
    RELU_6,
    distribution_movement,
    evaluate,
    gradient_predictiveness,
    is_stable,
    largest_stable_rate,
    loss_along_gradient,
    moons_task,
    scaled_run,
    trained,
    with_and_without_bn,
)
from lecturekit.gradcheck import check_layer
from lecturekit.nets import build_mlp, linear_layers
from lecturekit.train import History

seeds = st.integers(0, 2**32 - 1)


# A batch of 2 normalizes any two values to x̂ = ±1 (up to ε): ∂L/∂x is ~0 and the relative error
# of two near-zero numbers says nothing, so the check starts at 3.
@given(batch=st.integers(3, 8), features=st.integers(1, 5), seed=seeds)
def test_train_mode_backward_passes_the_gradient_check(batch, features, seed):
    rng = np.random.default_rng(seed)
    layer = BatchNorm(features)
    layer.params["gamma"][:] = rng.uniform(0.5, 2.0, features)
    layer.params["beta"][:] = rng.standard_normal(features)
    x = 3.0 + 2.0 * rng.standard_normal((batch, features))
    report = check_layer(layer, x, seed=seed)
    assert report.passed(), str(report)
    assert set(report.errors) == {"x", "gamma", "beta"}


@given(seed=seeds)
def test_eval_mode_backward_passes_the_gradient_check(seed):
    rng = np.random.default_rng(seed)
    layer = BatchNorm(3)
    layer.forward(rng.standard_normal((10, 3)))
    layer.eval()
    report = check_layer(layer, rng.standard_normal((4, 3)), seed=seed)
    assert report.passed(), str(report)


@given(depth=st.integers(2, 5), seed=seeds)
def test_net_with_batchnorm_passes_the_gradient_check(depth, seed):
    rng = np.random.default_rng(seed)
    net = build_mlp(depth, 4, "tanh", "xavier", rng, batchnorm=True)
    # BN makes the loss scale-invariant in the weights before it, which curves it strongly along
    # small weights: the central difference's O(ε²) error needs ε = 1e-6 here (1e-5 gives ~1e-6).
    x, y = rng.standard_normal((6, 2)), rng.standard_normal((6, 1))
    report = check_layer(net, x, y=y, loss="mse", eps=1e-6)
    assert report.passed(), str(report)


def test_forward_normalizes_each_feature_of_the_batch():
    rng = np.random.default_rng(0)
    x = np.array([5.0, -3.0]) + np.array([2.0, 0.5]) * rng.standard_normal((50, 2))
    y = BatchNorm(2).forward(x)
    np.testing.assert_allclose(y.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(y.var(axis=0), x.var(axis=0) / (x.var(axis=0) + 1e-5))


def test_running_statistics_follow_the_stated_convention():
    layer = BatchNorm(1, momentum=0.1)
    x = np.array([[1.0], [2.0], [3.0], [6.0]])
    layer.forward(x)
    np.testing.assert_allclose(layer.running_mean, 0.9 * 0 + 0.1 * 3.0)
    np.testing.assert_allclose(layer.running_var, 0.9 * 1 + 0.1 * x.var(ddof=1))
    layer.eval()
    before = layer.running_mean.copy()
    out = layer.forward(np.array([[3.0]]))  # a batch of 1 is fine in evaluation mode
    np.testing.assert_array_equal(layer.running_mean, before)  # eval does not update them
    np.testing.assert_allclose(out[0], (3.0 - layer.running_mean) / np.sqrt(layer.running_var + 1e-5))


def test_a_training_batch_of_one_is_refused():
    with pytest.raises(ValueError, match="at least 2"):
        BatchNorm(3).forward(np.ones((1, 3)))
    with pytest.raises(ValueError, match=r"\(batch, 3\)"):
        BatchNorm(3).forward(np.ones((4, 2)))


def test_batch_noise_is_identity_in_eval_and_shifts_in_training():
    noise = BatchNoise(3, np.random.default_rng(0), scale=0.5)
    x = np.ones((4, 3))
    assert not np.allclose(noise.forward(x), x)
    np.testing.assert_allclose(noise.backward(np.ones((4, 3))), np.broadcast_to(noise.a, (4, 3)))
    noise.eval()
    np.testing.assert_array_equal(noise.forward(x), x)


def test_build_mlp_puts_bn_before_the_activation_with_the_same_weights():
    plain = build_mlp(4, 5, "sigmoid", "xavier", np.random.default_rng(2))
    with_bn = build_mlp(4, 5, "sigmoid", "xavier", np.random.default_rng(2), batchnorm=True)
    names = [type(layer).__name__ for layer in with_bn]
    assert names == ["Linear", "BatchNorm", "Activation"] * 3 + ["Linear", "Activation"]
    for a, b in zip(linear_layers(plain), linear_layers(with_bn), strict=True):
        np.testing.assert_array_equal(a.params["W"], b.params["W"])
    assert "b" not in linear_layers(with_bn)[0].params  # β takes the bias's place


def test_bn_trains_the_deep_sigmoid_net_that_is_stuck_without_it():
    runs = with_and_without_bn(DEEP_SIGMOID.but(watch=-1))
    assert runs["no BN"].steps_to(0.1) is None
    assert runs["BN"].steps_to(0.1) is not None
    # Without BN nothing learns, so the last hidden layer's input does not move either.
    per_step = {name: distribution_movement(h)[0] for name, h in runs.items()}
    assert per_step["no BN"] < 1e-4 < per_step["BN"]


def test_distribution_movement_measures_steps_and_drift_in_units_of_the_first_width():
    watched = np.array([[-1.0, 0.0, 1.0], [-0.5, 0.5, 1.5], [-1.0, 0.0, 1.0]])
    history = History(np.zeros(3), np.zeros((3, 1)), np.zeros((3, 1)), watched, None, "")
    per_step, drift = distribution_movement(history)
    assert per_step == pytest.approx(0.5) and drift == pytest.approx(0.5 / 2)


def test_bn_allows_a_larger_learning_rate():
    assert largest_stable_rate(RELU_6.but(batchnorm=True)) > largest_stable_rate(RELU_6)


def test_largest_stable_rate_bisects_between_the_bounds():
    rate = largest_stable_rate(RELU_6, low=0.02, high=2.0, halvings=3)
    assert 0.02 <= rate < 2.0 and is_stable(RELU_6.but(learning_rate=rate))
    assert not is_stable(RELU_6.but(learning_rate=rate * (2.0 / 0.02) ** (1 / 8)))


def test_a_bn_net_starts_the_same_at_every_weight_scale():
    # BN divides out the scale of the weights before it (up to its ε), so only the output layer's
    # scale matters; without BN the output of 5 ReLU layers scales like c⁵.
    X, _ = moons_task()
    outputs = {}
    for bn in (False, True):
        for scale in (1.0, 10.0):
            net = RELU_6.but(batchnorm=bn).build()
            for linear in linear_layers(net)[:-1]:
                linear.params["W"] *= scale
            outputs[bn, scale] = net.forward(X)
    np.testing.assert_allclose(outputs[True, 1.0], outputs[True, 10.0], atol=1e-3)
    np.testing.assert_allclose(outputs[False, 10.0], 10.0**5 * outputs[False, 1.0], rtol=1e-6, atol=1e-9)
    train_loss, validation_loss = scaled_run(RELU_6.but(steps=5, learning_rate=0.05), 1.0, moons_task(seed=1))
    assert 0 < train_loss < 1 and 0 < validation_loss < 1


def test_evaluate_uses_running_statistics_and_restores_training_mode():
    net, _ = trained(RELU_6.but(batchnorm=True, steps=20))
    X, y = moons_task()
    value = evaluate(net, X, y)
    assert np.isfinite(value) and net.training
    # running statistics: the order (and company) of the examples does not matter
    assert value == pytest.approx(evaluate(net, X[::-1], y[::-1]), rel=1e-12)


def test_gradient_predictiveness_is_measured_per_checkpoint():
    setup = RELU_6.but(learning_rate=0.03, batchnorm=True)
    rates = (0.05, 0.1, 0.2, 0.4)
    steps, ranges, changes, smoothness = gradient_predictiveness(setup, checkpoints=3, every=20, rates=rates)
    assert list(steps) == [0, 20, 40] and ranges.shape == changes.shape == smoothness.shape == (3,)
    # Steps of 0.05 to 0.4 along a nonzero gradient change the loss: a spread of 0 means no step.
    assert np.all(np.isfinite(ranges)) and np.all(ranges > 0)
    assert np.all(changes > 0) and np.all(smoothness > 0)
    # The first checkpoint is the untrained net: its losses along −g spread by max − min.
    losses, _, _ = loss_along_gradient(setup.build(), *moons_task(), rates)
    assert ranges[0] == pytest.approx(losses.max() - losses.min(), rel=1e-12)
    assert not np.allclose(ranges, ranges[0])  # later checkpoints look from the trained weights


def test_loss_along_gradient_leaves_the_net_alone_and_sees_its_curvature():
    net = RELU_6.build()
    X, y = moons_task()
    before = evaluate(net, X, y)
    losses, change, smoothness = loss_along_gradient(net, X, y, rates=(1e-4, 1e-3))
    assert evaluate(net, X, y) == before
    assert np.all(losses < before)  # a small step down the gradient lowers the loss
    assert change > 0 and smoothness > 0


def test_batchnorm_backward_checker():
    def right(grad_out, x_hat, gamma, inv_std):
        g = grad_out * gamma
        return inv_std * (g - g.mean(axis=0) - x_hat * (g * x_hat).mean(axis=0))

    assert check_batchnorm_backward(right).ok
    constants = check_batchnorm_backward(lambda g, x_hat, gamma, inv_std: g * gamma * inv_std)
    assert "constants" in constants.message


# The slides' formulas, stated here independently of the implementation.


def test_forward_is_the_formula_on_a_tiny_batch():
    # Two features of three examples, statistics summed by hand: μ = Σx/m, σ² = Σ(x − μ)²/m.
    x = np.array([[1.0, 10.0], [2.0, 20.0], [6.0, 60.0]])
    layer = BatchNorm(2, eps=1e-3)
    layer.params["gamma"][:] = [2.0, -1.0]
    layer.params["beta"][:] = [0.5, 3.0]
    y = layer.forward(x)
    for j in range(2):
        column = [x[i, j] for i in range(3)]
        mu = sum(column) / 3
        var = sum((v - mu) ** 2 for v in column) / 3
        for i in range(3):
            x_hat = (column[i] - mu) / (var + 1e-3) ** 0.5
            assert y[i, j] == pytest.approx(layer.params["gamma"][j] * x_hat + layer.params["beta"][j],
                                            rel=1e-13)


def _paper_backward(grad_y, x, gamma, eps):
    """Ioffe & Szegedy (2015)'s chain, step by step: ∂x̂, ∂σ², ∂μ, then ∂x."""
    m = len(x)
    mu = x.mean(axis=0)
    var = ((x - mu) ** 2).mean(axis=0)
    x_hat = (x - mu) / np.sqrt(var + eps)
    d_x_hat = grad_y * gamma
    d_var = np.sum(d_x_hat * (x - mu), axis=0) * -0.5 * (var + eps) ** -1.5
    d_mu = np.sum(-d_x_hat / np.sqrt(var + eps), axis=0) + d_var * np.sum(-2 * (x - mu), axis=0) / m
    d_x = d_x_hat / np.sqrt(var + eps) + d_var * 2 * (x - mu) / m + d_mu / m
    return d_x, np.sum(grad_y * x_hat, axis=0), np.sum(grad_y, axis=0)


@given(batch=st.integers(2, 7), features=st.integers(1, 4), seed=seeds)
def test_training_backward_equals_the_papers_chain(batch, features, seed):
    rng = np.random.default_rng(seed)
    x = 2.0 + 3.0 * rng.standard_normal((batch, features))
    grad_y = rng.standard_normal((batch, features))
    layer = BatchNorm(features, eps=1e-2)
    layer.params["gamma"][:] = rng.uniform(-2.0, 2.0, features)
    layer.forward(x)
    d_x = layer.backward(grad_y)
    expected_x, expected_gamma, expected_beta = _paper_backward(grad_y, x, layer.params["gamma"], 1e-2)
    np.testing.assert_allclose(d_x, expected_x, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(layer.grads["gamma"], expected_gamma, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(layer.grads["beta"], expected_beta, rtol=1e-12, atol=1e-12)


def test_eval_backward_is_grad_out_times_gamma_over_the_running_std():
    layer = BatchNorm(2)
    layer.running_mean[:] = [1.0, -1.0]
    layer.running_var[:] = [4.0, 0.25]
    layer.params["gamma"][:] = [3.0, 2.0]
    layer.eval()
    x = np.array([[0.0, 1.0], [2.0, 3.0], [5.0, -2.0]])
    y = layer.forward(x)
    gamma, std = np.array([3.0, 2.0]), np.sqrt(np.array([4.0, 0.25]) + 1e-5)
    np.testing.assert_allclose(y, gamma * (x - [1.0, -1.0]) / std, rtol=1e-14)
    grad_y = np.array([[1.0, 2.0], [-1.0, 0.5], [0.0, 4.0]])
    np.testing.assert_allclose(layer.backward(grad_y), grad_y * gamma / std, rtol=1e-14)
    assert layer.grads["beta"] == pytest.approx(grad_y.sum(axis=0))


def test_backward_differentiates_the_statistics_forward_used():
    # Switching the mode between forward and backward does not change which function is differentiated.
    rng = np.random.default_rng(0)
    x, grad_y = rng.standard_normal((5, 3)), rng.standard_normal((5, 3))
    layer, reference = BatchNorm(3), BatchNorm(3)
    layer.forward(x)
    reference.forward(x)
    layer.eval()
    np.testing.assert_array_equal(layer.backward(grad_y), reference.backward(grad_y))


@pytest.mark.parametrize(
    ("kwargs", "error", "word"),
    [
        ({"eps": 0.0}, ValueError, "eps"), ({"eps": -1e-5}, ValueError, "eps"),
        ({"eps": np.nan}, ValueError, "eps"), ({"eps": np.inf}, ValueError, "eps"),
        ({"eps": None}, TypeError, "eps"), ({"eps": "1e-5"}, TypeError, "eps"),
        ({"momentum": None}, TypeError, "momentum"), ({"momentum": "0.1"}, TypeError, "momentum"),
        ({"momentum": True}, TypeError, "momentum"), ({"momentum": 0.0}, ValueError, "momentum"),
        ({"momentum": 1.5}, ValueError, "momentum"), ({"momentum": np.nan}, ValueError, "momentum"),
        ({"momentum": -0.1}, ValueError, "momentum"),
        ({"features": 0}, ValueError, "features"), ({"features": 2.0}, TypeError, "features"),
        ({"features": True}, TypeError, "features"), ({"features": None}, TypeError, "features"),
    ],
)
def test_bad_batchnorm_arguments_are_refused_by_name(kwargs, error, word):
    arguments = {"features": 3, **kwargs}
    with pytest.raises(error, match=f"BatchNorm: {word}"):
        BatchNorm(**arguments)


def test_numpy_scalars_are_numbers_for_batchnorm_and_batchnoise():
    layer = BatchNorm(np.int64(2), momentum=np.float32(0.5), eps=np.float64(1e-3))
    assert layer.params["gamma"].shape == (2,) and layer.momentum == 0.5 and layer.eps == 1e-3
    layer.forward(np.array([[0.0, 0.0], [2.0, 4.0]]))
    np.testing.assert_allclose(layer.running_mean, [0.5, 1.0])  # momentum 1/2 of the batch mean
    assert BatchNorm(3, momentum=1).momentum == 1.0  # the batch's own statistics only
    noise = BatchNoise(np.int32(2), np.random.default_rng(0), scale=np.float32(0.25))
    assert repr(noise) == "BatchNoise(2, scale=0.25)"


@pytest.mark.parametrize(
    ("scale", "error"),
    [(-0.1, ValueError), (np.nan, ValueError), (np.inf, ValueError), ("a", TypeError),
     (None, TypeError), (True, TypeError)],
)
def test_bad_batchnoise_scales_are_refused_and_repr_never_fails(scale, error):
    with pytest.raises(error, match="BatchNoise: scale"):
        BatchNoise(3, np.random.default_rng(0), scale=scale)
    with pytest.raises((TypeError, ValueError), match="batch_noise"):
        build_mlp(3, 4, batchnorm=True, batch_noise=scale)
    assert repr(BatchNoise(3, np.random.default_rng(0), scale=0)) == "BatchNoise(3, scale=0.0)"


@pytest.mark.parametrize("make", [lambda: BatchNorm(3), lambda: BatchNoise(3, np.random.default_rng(0))])
def test_batchnorm_backward_before_forward_says_call_forward_first(make):
    layer = make()
    with pytest.raises(ValueError, match=r"\.backward: call forward first"):
        layer.backward(np.ones((4, 3)))
    assert not layer.grads


def test_batchnorm_backward_takes_a_list_and_refuses_what_is_not_numbers():
    rng = np.random.default_rng(1)
    x, grad_y = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    layer = BatchNorm(3)
    layer.forward(x)
    from_array = layer.backward(grad_y)
    np.testing.assert_array_equal(layer.backward(grad_y.tolist()), from_array)
    for bad in (None, "grad", [["a"] * 3] * 4):
        with pytest.raises(TypeError, match="grad_out"):
            layer.backward(bad)
    with pytest.raises(ValueError, match=r"grad_out must have shape \(4, 3\)"):
        layer.backward(np.ones((4, 1)))  # would broadcast


def test_a_refused_batchnorm_call_changes_nothing():
    rng = np.random.default_rng(2)
    layer = BatchNorm(3)
    layer.forward(rng.standard_normal((6, 3)))
    layer.backward(rng.standard_normal((6, 3)))
    saved = {"running_mean": layer.running_mean.copy(), "running_var": layer.running_var.copy(),
             **{name: p.copy() for name, p in layer.params.items()},
             **{f"d{name}": g.copy() for name, g in layer.grads.items()}}
    refused = [lambda: layer.forward(np.ones((1, 3))),  # one example in training mode
               lambda: layer.forward(np.ones((6, 2))),
               lambda: layer.forward(np.full((6, 3), np.nan)),
               lambda: layer.backward(np.ones((5, 3))),
               lambda: layer.backward("grad")]
    for call in refused:
        with pytest.raises((ValueError, TypeError)):
            call()
    now = {"running_mean": layer.running_mean, "running_var": layer.running_var, **layer.params,
           **{f"d{name}": g for name, g in layer.grads.items()}}
    for name, array in saved.items():
        np.testing.assert_array_equal(now[name], array)
