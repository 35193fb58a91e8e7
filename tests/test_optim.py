import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import scales, seeds

from lecturekit.gradcheck import numerical_gradient, relative_error
from lecturekit.optim import SGD, clip_by_norm, clip_by_value, global_norm, l1_penalty, l2_penalty


def random_grads(seed, scale):
    rng = np.random.default_rng(seed)
    return {"0.W": scale * rng.standard_normal((3, 4)), "0.b": scale * rng.standard_normal(4),
            "2.W": scale * rng.standard_normal((4, 1))}


def flat(grads):
    return np.concatenate([g.ravel() for g in grads.values()])


def test_global_norm_is_the_norm_of_all_entries_together():
    assert global_norm({"a": np.array([3.0]), "b": np.array([[0.0, 4.0]])}) == 5.0  # √(9 + 16)


@given(seed=seeds, scale=scales, max_norm=st.floats(0.01, 100))
def test_clip_by_norm_bounds_the_norm_and_keeps_the_direction(seed, scale, max_norm):
    grads = random_grads(seed, scale)
    clipped = clip_by_norm(grads, max_norm)
    assert clipped.keys() == grads.keys()
    norm, clipped_norm = np.linalg.norm(flat(grads)), np.linalg.norm(flat(clipped))
    cosine = flat(grads) @ flat(clipped) / (norm * clipped_norm)
    assert cosine == pytest.approx(1.0, abs=1e-12)
    if norm <= max_norm:  # below the threshold nothing changes
        for name in grads:
            np.testing.assert_array_equal(clipped[name], grads[name])
    else:  # above it, the length becomes the threshold: not shorter, not longer
        assert clipped_norm == pytest.approx(max_norm, rel=1e-12)


@given(seed=seeds, scale=scales, max_value=st.floats(0.01, 100))
def test_clip_by_value_bounds_every_entry(seed, scale, max_value):
    grads = random_grads(seed, scale)
    clipped = clip_by_value(grads, max_value)
    assert clipped.keys() == grads.keys()
    for name, g in grads.items():
        inside = np.abs(g) <= max_value
        np.testing.assert_array_equal(clipped[name][inside], g[inside])
        # an entry beyond ±max_value is set to it, keeping its sign
        np.testing.assert_array_equal(clipped[name][~inside], max_value * np.sign(g[~inside]))


def test_clip_by_value_can_turn_the_direction():
    g = {"W": np.array([3.0, 0.5])}
    clipped = clip_by_value(g, 1.0)["W"]
    np.testing.assert_array_equal(clipped, [1.0, 0.5])
    assert clip_by_norm(g, 1.0)["W"] == pytest.approx(np.array([3.0, 0.5]) / np.hypot(3.0, 0.5))


@pytest.mark.parametrize(("penalty", "degree"), [(l1_penalty, 1), (l2_penalty, 2)])
@given(seed=seeds)
def test_penalty_gradients_pass_the_gradient_check(penalty, degree, seed):
    rng = np.random.default_rng(seed)
    params = {"0.W": rng.standard_normal((3, 4)), "0.b": rng.standard_normal(4)}
    value, grads = penalty(params, 0.3)
    assert set(grads) == {"0.W"}  # biases are not regularized …
    params["0.b"] += 1.0
    assert penalty(params, 0.3)[0] == value  # … and do not count in the value
    numeric = numerical_gradient(lambda: penalty(params, 0.3)[0], params["0.W"])
    assert relative_error(grads["0.W"], numeric) < 1e-7
    # Euler: λΣ|w| is homogeneous of degree 1 and (λ/2)Σw² of degree 2, so Σ w·∂P/∂w = degree·P.
    assert float(np.sum(params["0.W"] * grads["0.W"])) == pytest.approx(degree * value, rel=1e-12)


def test_penalty_values():
    params = {"W": np.array([[1.0, -2.0]]), "b": np.array([5.0])}
    value, grads = l1_penalty(params, 0.5)
    assert value == pytest.approx(1.5)  # 0.5 · (1 + 2)
    np.testing.assert_allclose(grads["W"], [[0.5, -0.5]])
    value, grads = l2_penalty(params, 0.5)
    assert value == pytest.approx(1.25)  # 0.5/2 · (1 + 4)
    np.testing.assert_allclose(grads["W"], [[0.5, -1.0]])


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
