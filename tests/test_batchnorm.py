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
    steps, ranges, changes, smoothness = gradient_predictiveness(setup, checkpoints=3, every=20)
    assert list(steps) == [0, 20, 40] and ranges.shape == changes.shape == smoothness.shape == (3,)
    assert np.all(ranges >= 0) and np.all(changes > 0) and np.all(smoothness > 0)


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
