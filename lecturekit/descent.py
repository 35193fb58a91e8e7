"""Gradient descent on small loss surfaces whose minimum we know.

Slide "梯度下降法" and "Back-propagation": w(t+1) = w(t) − α ∇w(t).

On a quadratic loss L(w) = ½ (w − w*)ᵀ A (w − w*) one step multiplies the distance to the
minimum along each eigenvector of A (eigenvalue λ) by (1 − αλ). So the learning rate α decides:

    α < 1/λ_max          every direction shrinks without changing sign: converges (slow if α ≪ 1/λ)
    1/λ_max < α < 2/λ_max  the steepest direction flips sign each step: oscillates, still converges
    α > 2/λ_max          |1 − αλ_max| > 1: the distance grows every step: diverges
"""

from dataclasses import dataclass

import numpy as np

from .checks import as_float_array, check_positive_int


@dataclass(frozen=True)
class Quadratic:
    """L(w) = ½ (w − w*)ᵀ A (w − w*) + floor, for w of any dimension (A symmetric, positive)."""

    curvature: np.ndarray  # A, (d, d)
    minimum: np.ndarray  # w*, (d,)
    floor: float = 0.0

    def loss(self, w):
        d = np.asarray(w, dtype=np.float64) - self.minimum
        return 0.5 * float(d @ self.curvature @ d) + self.floor

    def gradient(self, w):
        """∇L(w) = A (w − w*)."""
        return self.curvature @ (np.asarray(w, dtype=np.float64) - self.minimum)

    @property
    def critical_learning_rates(self):
        """(1/λ_max, 2/λ_max): above the first GD oscillates, above the second it diverges."""
        top = float(np.linalg.eigvalsh(self.curvature).max())
        return 1.0 / top, 2.0 / top


def bowl_1d(curvature=2.0):
    """L(w) = (λ/2)(w − 3)² + 1 with λ = `curvature`: one weight, minimum at w* = 3.

    The default λ = 2 is L(w) = (w − 3)² + 1: it oscillates for α > 0.5 and diverges for α > 1.
    """
    return Quadratic(np.array([[float(curvature)]]), np.array([3.0]), floor=1.0)


def bowl_2d(steepness=10.0):
    """A tilted valley: curvatures 1 and `steepness` along axes rotated by 30°, minimum at (1, −1).

    With the default 10, GD zig-zags across the steep direction while it crawls along the flat
    one, and it diverges for α > 2/10 = 0.2; steepness 1 is a round bowl.
    """
    angle = np.deg2rad(30.0)
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    curvature = rotation @ np.diag([1.0, float(steepness)]) @ rotation.T
    return Quadratic(curvature, np.array([1.0, -1.0]))


@dataclass
class DescentPath:
    """The weights and losses visited by gradient descent, and what became of the run."""

    weights: np.ndarray  # (steps + 1, d), w(0) … w(T); shorter if it diverged
    losses: np.ndarray  # (steps + 1,)
    learning_rate: float
    verdict: str  # "converged", "oscillating", "slow" or "diverged"
    message: str  # the verdict in one sentence, with the step it happened


def gradient_descent(problem, w0, learning_rate, steps, tolerance=1e-6, blow_up=1e6):
    """Run w(t+1) = w(t) − α ∇L(w(t)) for `steps` steps from w0 on `problem` (a Quadratic).

    Stops early when the gradient norm falls below `tolerance` (converged) or the loss grows past
    `blow_up` times its start or stops being finite (diverged); either way the path says so.
    """
    w = as_float_array(w0, "gradient_descent (w0)").astype(np.float64).ravel()
    steps = check_positive_int(steps, "steps")
    if not (np.isfinite(learning_rate) and learning_rate > 0):
        raise ValueError(f"learning_rate must be a positive number, got {learning_rate!r}")
    weights, losses = [w.copy()], [problem.loss(w)]
    limit = blow_up * max(abs(losses[0]), 1.0)
    for step in range(1, steps + 1):
        gradient = problem.gradient(w)
        if np.linalg.norm(gradient) < tolerance:
            return _finish(weights, losses, learning_rate, "converged", step - 1, problem)
        w = w - learning_rate * gradient
        loss = problem.loss(w)
        if not np.isfinite(loss) or abs(loss) > limit:
            path = _finish(weights, losses, learning_rate, "diverged", step, problem)
            path.message = f"diverged at step {step}: the loss jumped to {loss:.3g}"
            return path
        weights.append(w.copy())
        losses.append(loss)
    return _finish(weights, losses, learning_rate, None, steps, problem)


def _finish(weights, losses, learning_rate, verdict, step, problem):
    weights, losses = np.array(weights), np.array(losses)
    distances = np.linalg.norm(weights - problem.minimum, axis=1)
    if verdict is None:
        # The distance along the steepest direction flips sign each step when α > 1/λ_max.
        steep = (weights - problem.minimum) @ np.linalg.eigh(problem.curvature)[1][:, -1]
        steep = steep[np.abs(steep) > 1e-12]
        flips = np.sum(np.sign(steep[1:]) != np.sign(steep[:-1]))
        if distances[-1] > 1.001 * distances[0]:
            verdict = "diverged"
        elif flips >= max(len(steep) // 2, 1):
            verdict = "oscillating"
        elif np.linalg.norm(problem.gradient(weights[-1])) < 1e-3:
            verdict = "converged"
        else:
            verdict = "slow"
    steps = f"{step} step{'s' if step != 1 else ''}"
    messages = {
        "converged": f"converged: |∇L| < tolerance after {steps}",
        "oscillating": (
            f"oscillating: w jumps across the valley every step; after {steps} it is "
            f"{distances[-1]:.2g} from the minimum w* (it started {distances[0]:.2g} away)"
        ),
        "slow": f"too slow: after {steps} w is still {distances[-1]:.2g} from the minimum w*",
        "diverged": (
            f"diverged: each step lands farther from w*; after {steps} the loss is "
            f"{losses[-1]:.3g} (it started at {losses[0]:.3g})"
        ),
    }
    return DescentPath(weights, losses, float(learning_rate), verdict, messages[verdict])
