import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import seeds, shapes

from lecturekit.gradcheck import numerical_gradient, relative_error
from lecturekit.losses import get_loss, mse, softmax, softmax_cross_entropy, sse


@given(shape=shapes, seed=seeds, loss=st.sampled_from([sse, mse]))
def test_regression_losses_gradient(shape, seed, loss):
    rng = np.random.default_rng(seed)
    y_hat, y = rng.standard_normal(shape), rng.standard_normal(shape)
    _, grad = loss(y_hat, y)
    numeric = numerical_gradient(lambda: loss(y_hat, y)[0], y_hat)
    assert relative_error(grad, numeric) < 1e-7


# Larger logits saturate the softmax: gradients of e^-100 are below what central differences
# resolve (test_softmax_cross_entropy_is_stable_at_extremes covers that range).
@given(shape=shapes, seed=seeds, scale=st.sampled_from([0.5, 1.0, 3.0]))
def test_softmax_cross_entropy_gradient(shape, seed, scale):
    rng = np.random.default_rng(seed)
    logits = scale * rng.standard_normal(shape)
    labels = rng.integers(0, shape[1], size=shape[0])
    _, grad = softmax_cross_entropy(logits, labels)
    numeric = numerical_gradient(lambda: softmax_cross_entropy(logits, labels)[0], logits)
    assert relative_error(grad, numeric) < 1e-7


def test_sse_is_the_slides_formula():
    y, y_hat = np.array([1.0, 0.0]), np.array([0.25, 0.5])
    value, grad = sse(y_hat, y)
    assert value == pytest.approx(0.40625)  # ½ (0.75² + 0.5²)
    np.testing.assert_array_equal(grad, [-0.75, 0.5])  # ŷ − y
    value, grad = mse(y_hat, y)
    assert value == pytest.approx(0.40625)  # (0.75² + 0.5²) / 2 entries
    np.testing.assert_allclose(grad, [-0.75, 0.5])  # 2 (ŷ − y) / 2


def test_softmax_cross_entropy_by_hand():
    # logits [0, ln 3]: softmax [1/4, 3/4]; the loss of label 0 is −ln ¼, its gradient p − e₀.
    value, grad = softmax_cross_entropy(np.array([[0.0, np.log(3.0)]]), np.array([0]))
    assert value == pytest.approx(np.log(4.0), rel=1e-12)
    np.testing.assert_allclose(grad, [[-0.75, 0.75]], rtol=1e-12)


def test_softmax_cross_entropy_is_stable_at_extremes():
    logits = np.array([[1e4, 0.0, -1e4], [-1e4, -1e4, -1e4], [800.0, 799.0, 0.0]])
    labels = np.array([0, 1, 1])
    # e^−20000 underflowing to 0 is the right answer; overflow or NaN would be a bug.
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        value, grad = softmax_cross_entropy(logits, labels)
        probabilities = softmax(logits)
    assert np.isfinite(value) and np.all(np.isfinite(grad))
    expected = (0.0 + np.log(3) + (np.log1p(np.exp(-1.0)) + 1.0)) / 3
    assert value == pytest.approx(expected, rel=1e-12)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0)
    assert probabilities[0, 0] == 1.0


def test_shapes_are_never_broadcast():
    with pytest.raises(ValueError, match=r"\(3, 1\).*\(3,\)|\(3,\).*\(3, 1\)"):
        sse(np.ones((3, 1)), np.ones(3))
    with pytest.raises(ValueError, match="labels"):
        softmax_cross_entropy(np.zeros((3, 2)), np.array([0, 1]))
    with pytest.raises(ValueError, match=r"\[0, 2\)"):
        softmax_cross_entropy(np.zeros((2, 2)), np.array([0, 2]))
    with pytest.raises(TypeError, match="integer"):
        softmax_cross_entropy(np.zeros((2, 2)), np.array([0.0, 1.0]))


def test_get_loss_lists_names():
    with pytest.raises(ValueError, match="'l2'") as info:
        get_loss("l2")
    for name in ("sse", "mse", "softmax_cross_entropy"):
        assert name in str(info.value)
    assert get_loss("sse") is sse and get_loss("mse") is mse
