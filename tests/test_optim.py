import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lecturekit.gradcheck import numerical_gradient, relative_error
from lecturekit.optim import SGD, clip_by_norm, clip_by_value, global_norm, l1_penalty, l2_penalty

seeds = st.integers(0, 2**32 - 1)
scales = st.sampled_from([1e-3, 0.5, 3.0, 1e3])


def random_grads(seed, scale):
    rng = np.random.default_rng(seed)
    return {"0.W": scale * rng.standard_normal((3, 4)), "0.b": scale * rng.standard_normal(4),
            "2.W": scale * rng.standard_normal((4, 1))}


@given(seed=seeds, scale=scales, max_norm=st.floats(0.01, 100))
def test_clip_by_norm_bounds_the_norm_and_keeps_the_direction(seed, scale, max_norm):
    grads = random_grads(seed, scale)
    clipped = clip_by_norm(grads, max_norm)
    assert global_norm(clipped) <= max_norm * (1 + 1e-12)
    flat = np.concatenate([g.ravel() for g in grads.values()])
    flat_clipped = np.concatenate([g.ravel() for g in clipped.values()])
    cosine = flat @ flat_clipped / (np.linalg.norm(flat) * np.linalg.norm(flat_clipped))
    assert cosine == pytest.approx(1.0, abs=1e-12)
    if global_norm(grads) <= max_norm:  # below the threshold nothing changes
        for name in grads:
            np.testing.assert_array_equal(clipped[name], grads[name])


@given(seed=seeds, scale=scales, max_value=st.floats(0.01, 100))
def test_clip_by_value_bounds_every_entry(seed, scale, max_value):
    grads = random_grads(seed, scale)
    clipped = clip_by_value(grads, max_value)
    for name, g in grads.items():
        assert np.all(np.abs(clipped[name]) <= max_value)
        inside = np.abs(g) <= max_value
        np.testing.assert_array_equal(clipped[name][inside], g[inside])


def test_clip_by_value_can_turn_the_direction():
    g = {"W": np.array([3.0, 0.5])}
    clipped = clip_by_value(g, 1.0)["W"]
    np.testing.assert_array_equal(clipped, [1.0, 0.5])
    assert clip_by_norm(g, 1.0)["W"] == pytest.approx(np.array([3.0, 0.5]) / np.hypot(3.0, 0.5))


@pytest.mark.parametrize("penalty", [l1_penalty, l2_penalty])
@given(seed=seeds)
def test_penalty_gradients_pass_the_gradient_check(penalty, seed):
    rng = np.random.default_rng(seed)
    params = {"0.W": rng.standard_normal((3, 4)), "0.b": rng.standard_normal(4)}
    value, grads = penalty(params, 0.3)
    assert set(grads) == {"0.W"}  # biases are not regularized
    numeric = numerical_gradient(lambda: penalty(params, 0.3)[0], params["0.W"])
    assert relative_error(grads["0.W"], numeric) < 1e-7
    assert value == pytest.approx(penalty(params, 0.3)[0])


def test_penalty_values():
    params = {"W": np.array([[1.0, -2.0]]), "b": np.array([5.0])}
    assert l1_penalty(params, 0.5)[0] == pytest.approx(1.5)
    assert l2_penalty(params, 0.5)[0] == pytest.approx(0.5 * 0.5 * 5.0)


def test_sgd_and_momentum():
    params = {"W": np.array([1.0, 2.0])}
    SGD(0.1).step(params, {"W": np.array([1.0, -1.0])})
    np.testing.assert_allclose(params["W"], [0.9, 2.1])
    momentum = SGD(0.1, momentum=0.9)
    params = {"W": np.zeros(1)}
    for _ in range(2):
        momentum.step(params, {"W": np.ones(1)})
    np.testing.assert_allclose(params["W"], [-0.1 - 0.19])  # velocities 1, then 0.9 + 1


@pytest.mark.parametrize(("kwargs", "text"), [({"learning_rate": 0}, "learning_rate"),
                                              ({"learning_rate": 0.1, "momentum": 1.0}, "momentum")])
def test_sgd_rejects_bad_settings(kwargs, text):
    with pytest.raises(ValueError, match=text):
        SGD(**kwargs)


@pytest.mark.parametrize("clip", [clip_by_norm, clip_by_value])
def test_clip_rejects_a_non_positive_threshold(clip):
    with pytest.raises(ValueError, match="> 0"):
        clip({"W": np.ones(2)}, 0.0)


def test_a_gradient_of_the_wrong_shape_is_refused_not_broadcast():
    params = {"W": np.ones((2, 3))}
    with pytest.raises(ValueError, match=r"'W' has shape \(1,\), its parameter \(2, 3\)"):
        SGD(0.1).step(params, {"W": np.ones(1)})
    np.testing.assert_array_equal(params["W"], np.ones((2, 3)))


def test_the_numerical_gradient_refuses_an_integer_array():
    # Its nudges of ±1e-5 would be truncated to 0 and the gradient come out 1e5 times too large.
    a = np.array([1, 2])
    with pytest.raises(TypeError, match=r"`array` must be a float numpy array.*int64"):
        numerical_gradient(lambda: float(np.sum(a.astype(float) ** 2)), a)
