import numpy as np
import pytest

from lecturekit.descent import bowl_1d, bowl_2d, gradient_descent


@pytest.mark.parametrize(
    ("rate", "verdict"),
    [(0.02, "slow"), (0.3, "converged"), (0.9, "oscillating"), (1.1, "diverged"), (1.5, "diverged")],
)
def test_learning_rate_regimes_in_1d(rate, verdict):
    # L(w) = (w − 3)² + 1 has λ = 2: oscillation above α = 0.5, divergence above α = 1.
    path = gradient_descent(bowl_1d(), [0.0], rate, 30)
    assert path.verdict == verdict, path.message
    assert path.message.startswith(verdict if verdict != "slow" else "too slow")


def test_each_step_is_w_minus_alpha_gradient():
    problem = bowl_2d()
    path = gradient_descent(problem, [-2.0, 2.0], 0.05, 5)
    for before, after in zip(path.weights, path.weights[1:], strict=False):
        np.testing.assert_allclose(after, before - 0.05 * problem.gradient(before))
    np.testing.assert_allclose(path.losses, [problem.loss(w) for w in path.weights])


def test_divergence_reports_the_step_and_stops():
    path = gradient_descent(bowl_1d(), [0.0], 1.5, 100)
    assert path.verdict == "diverged"
    assert "diverged at step 11" in path.message
    assert len(path.losses) == 11 and np.all(np.isfinite(path.losses))


def test_critical_rates_of_the_valley():
    slow, fast = bowl_2d().critical_learning_rates
    assert slow == pytest.approx(0.1) and fast == pytest.approx(0.2)
    assert gradient_descent(bowl_2d(), [-2.0, 2.0], 0.19, 200).verdict in {"oscillating", "converged"}
    assert gradient_descent(bowl_2d(), [-2.0, 2.0], 0.21, 200).verdict == "diverged"


@pytest.mark.parametrize("rate", [0.0, -0.1, np.nan])
def test_bad_learning_rate(rate):
    with pytest.raises(ValueError, match="learning_rate"):
        gradient_descent(bowl_1d(), [0.0], rate, 10)
