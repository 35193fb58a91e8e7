import warnings

import numpy as np
import pytest

from lecturekit.activations import NAMES, get_activation, sigmoid, sigmoid_derivative
from lecturekit.gradcheck import relative_error


@pytest.mark.parametrize("name", NAMES)
def test_derivative_matches_central_differences(name):
    # Away from ReLU's kink at 0, where the derivative is only a sub-gradient.
    s = np.random.default_rng(0).standard_normal(50)
    s = s[np.abs(s) > 1e-3]
    act = get_activation(name)
    eps = 1e-6
    numeric = (act.f(s + eps) - act.f(s - eps)) / (2 * eps)  # elementwise, so all at once
    assert relative_error(act.derivative(s, act.f(s)), numeric) < 1e-8


def test_known_values():
    s = np.array([-2.0, 0.0, 3.0])
    np.testing.assert_allclose(get_activation("sigmoid").f(s), 1 / (1 + np.exp(-s)))
    np.testing.assert_array_equal(get_activation("relu").f(s), [0.0, 0.0, 3.0])
    np.testing.assert_array_equal(get_activation("relu").derivative(s, None), [0.0, 0.0, 1.0])
    leaky = get_activation("leaky_relu", slope=0.1)
    np.testing.assert_allclose(leaky.f(s), [-0.2, 0.0, 3.0])
    np.testing.assert_allclose(leaky.derivative(s, None), [0.1, 0.1, 1.0])
    np.testing.assert_allclose(get_activation("tanh").f(s), np.tanh(s))
    np.testing.assert_array_equal(get_activation("identity").derivative(s, s), [1.0, 1.0, 1.0])


def test_sigmoid_derivative_peaks_at_a_quarter():
    s = np.linspace(-10, 10, 20001)
    d = sigmoid_derivative(s, sigmoid(s))
    assert d.max() == 0.25
    assert s[d.argmax()] == 0.0


def test_sigmoid_is_stable_and_exact_at_extremes():
    s = np.array([-1e4, -800.0, -745.0, -40.0, 0.0, 40.0, 800.0, 1e4])
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        h = sigmoid(s)
    assert np.all(np.isfinite(h))
    assert h[0] == 0.0 and h[-1] == 1.0
    assert h[4] == 0.5
    # Far tails keep full relative precision: σ(−40) = e^−40 / (1 + e^−40).
    assert h[3] == pytest.approx(np.exp(-40.0) / (1 + np.exp(-40.0)), rel=1e-15)
    assert h[2] > 0  # e^−745 is still a (subnormal) positive number


def test_float32_stays_float32():
    s = np.linspace(-3, 3, 7, dtype=np.float32)
    for name in NAMES:
        act = get_activation(name)
        h = act.f(s)
        assert h.dtype == np.float32, name
        assert act.derivative(s, h).dtype == np.float32, name


def test_unknown_name_lists_the_valid_ones():
    with pytest.raises(ValueError) as info:
        get_activation("sigmod")
    message = str(info.value)
    assert "'sigmod'" in message
    for name in NAMES:
        assert name in message


def test_bad_leaky_slope():
    with pytest.raises(ValueError, match="slope"):
        get_activation("leaky_relu", slope=-1)


@pytest.mark.parametrize("slope", [np.float32(0.1), np.float64(0.1), 0.1, 0, np.int64(0)])
def test_numpy_scalars_are_numbers_for_the_leaky_slope(slope):
    leaky = get_activation("leaky_relu", slope=slope)
    assert leaky.name == f"leaky_relu({float(slope):g})"
    np.testing.assert_allclose(leaky.f(np.array([-2.0, 3.0])), [-2.0 * float(slope), 3.0])
    np.testing.assert_allclose(leaky.derivative(np.array([-2.0, 3.0]), None), [float(slope), 1.0])


@pytest.mark.parametrize(
    ("slope", "error"),
    [(np.nan, ValueError), (np.inf, ValueError), (1, ValueError), (-0.01, ValueError),
     (True, TypeError), (np.bool_(False), TypeError), (None, TypeError), ("0.1", TypeError),
     (np.array([0.1]), TypeError)],
)
def test_bad_leaky_slopes_are_refused_by_name(slope, error):
    with pytest.raises(error, match="leaky_relu: slope"):
        get_activation("leaky_relu", slope=slope)
