import numpy as np
import pytest

from lecturekit.descent import bowl_1d, bowl_2d, gradient_descent
from lecturekit.gradcheck import numerical_gradient


@pytest.mark.parametrize(
    ("rate", "verdict"),
    [(0.02, "slow"), (0.3, "converged"), (0.6, "oscillating"), (0.9, "oscillating"), (1.1, "diverged"),
     (1.5, "diverged")],
)
def test_learning_rate_regimes_in_1d(rate, verdict):
    # L(w) = (w − 3)² + 1 has λ = 2: oscillation above α = 0.5, divergence above α = 1.
    path = gradient_descent(bowl_1d(), [0.0], rate, 30)
    assert path.verdict == verdict, path.message
    assert path.message.startswith(verdict if verdict != "slow" else "too slow")


def test_the_bowls_by_hand():
    # L(w) = (w − 3)² + 1: L(0) = 10, L′(0) = −6; the valley's minimum is (1, −1) with L = 0.
    assert bowl_1d().loss([0.0]) == pytest.approx(10.0)
    np.testing.assert_allclose(bowl_1d().gradient([0.0]), [-6.0])
    assert bowl_2d().loss([1.0, -1.0]) == 0.0
    np.testing.assert_array_equal(bowl_2d().gradient([1.0, -1.0]), [0.0, 0.0])
    np.testing.assert_allclose(np.linalg.eigvalsh(bowl_2d().curvature), [1.0, 10.0])


@pytest.mark.parametrize("problem", [bowl_1d(), bowl_1d(8.0), bowl_2d(), bowl_2d(1.0)])
def test_the_gradient_is_the_central_difference_of_the_loss(problem):
    w = np.linspace(-2.0, 1.5, len(problem.minimum))
    numeric = numerical_gradient(lambda: problem.loss(w), w)
    np.testing.assert_allclose(problem.gradient(w), numeric, rtol=1e-8)


def test_each_step_is_w_minus_alpha_gradient():
    problem = bowl_1d()
    path = gradient_descent(problem, [0.0], 0.25, 2)
    # w ← w − α L′(w) with L′(w) = 2 (w − 3): 0 → 0 + 0.25·6 = 1.5 → 1.5 + 0.25·3 = 2.25
    np.testing.assert_allclose(path.weights, [[0.0], [1.5], [2.25]])
    np.testing.assert_allclose(path.losses, [10.0, 3.25, 1.5625])
    problem = bowl_2d()
    path = gradient_descent(problem, [-2.0, 2.0], 0.05, 5)
    assert len(path.weights) == len(path.losses) == 6
    for before, after in zip(path.weights, path.weights[1:], strict=False):
        np.testing.assert_allclose(after, before - 0.05 * problem.gradient(before))
    np.testing.assert_allclose(path.losses, [problem.loss(w) for w in path.weights])


def test_divergence_reports_the_step_and_stops():
    path = gradient_descent(bowl_1d(), [0.0], 1.5, 100)
    assert path.verdict == "diverged"
    # |1 − 2α| = 2: the loss grows from the first step; it passes 10⁶ × its start at step 11.
    assert "grown at every step since step 1;" in path.message and "at step 11" in path.message
    assert len(path.losses) == 11 and np.all(np.isfinite(path.losses))


def test_divergence_names_the_step_since_which_the_loss_grows():
    # |1 − 2α| = 1.02: the distance to w* grows by 2 % a step, from the first step on.
    path = gradient_descent(bowl_1d(), [2.0], 1.01, 30)
    assert path.verdict == "diverged" and "since step 1;" in path.message
    # In the valley at α = 0.22 only the steep direction grows (|1 − 10α| = 1.2): from a start
    # almost on the valley floor the loss first falls, then grows.
    valley = bowl_2d()
    flat, steep = np.linalg.eigh(valley.curvature)[1].T
    path = gradient_descent(valley, valley.minimum + 3 * flat + 1e-3 * steep, 0.22, 60)
    falls = np.flatnonzero(np.diff(path.losses) <= 0)
    assert path.verdict == "diverged" and len(falls)
    assert f"since step {falls[-1] + 2};" in path.message


def test_an_oscillating_run_that_converges_is_called_oscillating():
    path = gradient_descent(bowl_1d(), [0.0], 0.6, 30)
    assert path.verdict == "oscillating" and "converged" in path.message


@pytest.mark.parametrize("rate", [0.005, 0.1, 0.16, 0.19, 0.2])
def test_every_path_that_does_not_diverge_stays_inside_the_valley_window(rate):
    """Notebook 02: "α ≤ 0.2 的路徑都畫得下"; only diverging paths leave the picture."""
    from lecturekit.plots import descent_2d_figure

    path = gradient_descent(bowl_2d(), [-2.0, 2.0], rate, 200)
    ax = descent_2d_figure(bowl_2d(), path).figure.axes[0]
    (x_low, x_high), (y_low, y_high) = ax.get_xlim(), ax.get_ylim()
    w1, w2 = np.asarray(path.weights).T
    assert x_low < w1.min() and w1.max() < x_high and y_low < w2.min() and w2.max() < y_high
    assert not len(next(line for line in ax.lines if line.get_marker() == "X").get_xydata())


@pytest.mark.parametrize("rate", [0.21, 0.25])
def test_the_valley_figure_draws_every_step_and_marks_where_it_leaves(rate):
    # Every step is drawn: up to the first exit in full, after it faint.
    from lecturekit.plots import descent_2d_figure

    path = gradient_descent(bowl_2d(), [-2.0, 2.0], rate, 50)
    ax = descent_2d_figure(bowl_2d(), path).figure.axes[0]
    before = next(line for line in ax.lines if line.get_label().startswith("w(t)")).get_xydata()
    after = next(line for line in ax.lines if line.get_alpha() == 0.3).get_xydata()  # drawn faint
    np.testing.assert_array_equal(before[-1], after[0])  # the two parts meet at the first exit
    np.testing.assert_array_equal(np.vstack([before, after[1:]]), path.weights)
    exits = next(line for line in ax.lines if line.get_marker() == "X").get_xydata()
    assert len(exits), "w(1) lies outside the window: its exit must be marked"
    (x_low, x_high), (y_low, y_high) = ax.get_xlim(), ax.get_ylim()
    for x, y in exits:
        assert min(abs(x - x_low), abs(x - x_high), abs(y - y_low), abs(y - y_high)) < 1e-9


def test_critical_rates_of_the_valley():
    slow, fast = bowl_2d().critical_learning_rates
    assert slow == pytest.approx(0.1) and fast == pytest.approx(0.2)
    assert gradient_descent(bowl_2d(), [-2.0, 2.0], 0.19, 200).verdict in {"oscillating", "converged"}
    assert gradient_descent(bowl_2d(), [-2.0, 2.0], 0.21, 200).verdict == "diverged"


@pytest.mark.parametrize("rate", [0.0, -0.1, np.nan])
def test_bad_learning_rate(rate):
    with pytest.raises(ValueError, match="learning_rate"):
        gradient_descent(bowl_1d(), [0.0], rate, 10)


def test_the_step_that_blew_up_is_drawn_and_named():
    from lecturekit.plots import descent_1d_figure

    path = gradient_descent(bowl_1d(), [0.0], 1.2, 30)
    step, loss = path.stopped_at
    assert step == len(path.losses) and f"at step {step} it reached {loss:.3g}" in path.message
    plot = descent_1d_figure(bowl_1d(), path)
    np.testing.assert_allclose(plot.stop.get_xydata(), [[step, loss - 1.0]])  # L(w*) = 1
    assert f"t = {step}: {loss - 1.0:.2g}, stopped" in plot.beyond.get_text()
