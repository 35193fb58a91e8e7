"""The 動手做 checkers pass a right answer and name the usual mistakes."""

import numpy as np
import pytest

from lecturekit.activations import sigmoid
from lecturekit.exercises import (
    check_clip_by_norm,
    check_forward,
    check_grad_v,
    check_grad_w,
    check_gradient_step,
    check_output_delta,
    check_relu_backward,
    check_sigmoid_derivative,
)


def sigmoid_prime(s):
    return sigmoid(s) * (1 - sigmoid(s))


def right_delta_s(w, delta_z, s):
    return (w @ delta_z) * sigmoid_prime(s)


CASES = {
    "forward": (
        check_forward,
        lambda x, v, w: sigmoid(w.T @ sigmoid(v.T @ x)),
        {
            "shape": lambda x, v, w: sigmoid(w.T @ sigmoid(v.T @ x))[:1],
            "missing": lambda x, v, w: w.T @ sigmoid(v.T @ x),
        },
    ),
    "step": (
        check_gradient_step,
        lambda w, g, a: w - a * g,
        {"sign": lambda w, g, a: w + a * g, "shape": lambda w, g, a: np.append(w - a * g, 0.0)},
    ),
    "delta_z": (
        check_output_delta,
        lambda y_hat, y, z: (y_hat - y) * y_hat * (1 - y_hat),
        {
            "sign": lambda y_hat, y, z: (y - y_hat) * y_hat * (1 - y_hat),
            "shape": lambda y_hat, y, z: np.outer(y_hat - y, y_hat * (1 - y_hat)),
            "missing": lambda y_hat, y, z: y_hat - y,
        },
    ),
    "grad_w": (
        check_grad_w,
        lambda h, d: np.outer(h, d),
        {
            "sign": lambda h, d: -np.outer(h, d),
            "transpose": lambda h, d: np.outer(d, h),
            "shape": lambda h, d: h * d.sum(),
        },
    ),
    "grad_v": (
        check_grad_v,
        lambda x, w, d, s: np.outer(x, right_delta_s(w, d, s)),
        {
            "sign": lambda x, w, d, s: np.outer(x, -right_delta_s(w, d, s)),
            "transpose": lambda x, w, d, s: np.outer(right_delta_s(w, d, s), x),
            "shape": lambda x, w, d, s: right_delta_s(w, d, s),
            "missing": lambda x, w, d, s: np.outer(x, w @ d),
        },
    ),
    "sigmoid_derivative": (
        check_sigmoid_derivative,
        lambda s: sigmoid_prime(s),
        {"sigma itself": lambda s: sigmoid(s), "plus": lambda s: sigmoid(s) * (1 + sigmoid(s))},
    ),
    "relu_backward": (
        check_relu_backward,
        lambda s, g: g * (s > 0),
        {"no relu′": lambda s, g: g, "shape": lambda s, g: (g * (s > 0)).sum(axis=0)},
    ),
    "clip_by_norm": (
        check_clip_by_norm,
        lambda g, c: g * min(1.0, c / np.linalg.norm(g)),
        {"value": lambda g, c: np.clip(g, -c, c), "always": lambda g, c: g * c / np.linalg.norm(g)},
    ),
}

EXPECTED_WORDS = {
    "sign": ("sign", "uphill"),
    "transpose": ("transposed",),
    "shape": ("shape",),
    "missing": ("missing",),
    "sigma itself": ("σ(s) itself",),
    "no relu′": ("ReLU′",),
    "plus": ("minus",),
    "value": ("by value",),
    "always": ("only when",),
}


@pytest.mark.parametrize("name", CASES)
def test_right_answer_passes(name):
    check, right, _ = CASES[name]
    verdict = check(right)
    assert verdict.ok, verdict.message
    assert repr(verdict).startswith("✓")


@pytest.mark.parametrize(
    ("name", "mistake"), [(name, mistake) for name, (_, _, wrongs) in CASES.items() for mistake in wrongs]
)
def test_mistake_is_named(name, mistake):
    check, _, wrongs = CASES[name]
    verdict = check(wrongs[mistake])
    assert not verdict.ok
    assert verdict.message.startswith("✗")
    assert any(word in verdict.message for word in EXPECTED_WORDS[mistake]), verdict.message


def test_wrong_values_say_where_and_how_far():
    verdict = check_grad_w(lambda h, d: np.outer(h, d) + np.array([[0, 0], [0, 0.5], [0, 0]]))
    assert not verdict.ok
    assert "Δw[1, 1]" in verdict.message and "off by 0.5" in verdict.message
    assert "1 of 6 entries" in verdict.message


def test_exceptions_and_none_are_reported_not_raised():
    verdict = check_forward(lambda x, v, w: v @ x)
    assert not verdict.ok and "raised ValueError" in verdict.message
    assert "v (2, 3)" in verdict.message
    assert "return" in check_grad_w(lambda h, d: None).message

