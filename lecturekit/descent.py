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

from .checks import as_float_array, check_number, check_positive_int


@dataclass(frozen=True)
class Quadratic:
    """L(w) = ½ (w − w*)ᵀ A (w − w*) + floor, for w of any dimension (A symmetric, positive)."""

    curvature: np.ndarray  # A, (d, d)
    minimum: np.ndarray  # w*, (d,)
    floor: float = 0.0

    def __post_init__(self):
        A = as_float_array(self.curvature, "Quadratic", "curvature")
        minimum = as_float_array(self.minimum, "Quadratic", "minimum")
        if minimum.ndim != 1 or A.shape != (len(minimum), len(minimum)) or not np.allclose(A, A.T):
            raise ValueError(f"Quadratic: curvature must be a symmetric (d, d) matrix for a minimum of "
                             f"shape (d,), got {A.shape} and {minimum.shape}")
        if np.linalg.eigvalsh(A).min() <= 0:
            raise ValueError("Quadratic: curvature must be positive definite (every eigenvalue > 0)")
        check_number(self.floor, "floor", "Quadratic")

    def _point(self, w, where):
        w = as_float_array(w, where, "w").astype(np.float64).ravel()
        if w.size != len(self.minimum):
            raise ValueError(f"{where}: w must have {len(self.minimum)} entries, got {w.size}")
        return w

    def loss(self, w):
        d = self._point(w, "Quadratic.loss") - self.minimum
        with np.errstate(over="ignore"):  # a loss too large for a float is inf: a run that diverged
            return 0.5 * float(d @ self.curvature @ d) + self.floor

    def gradient(self, w):
        """∇L(w) = A (w − w*)."""
        with np.errstate(over="ignore"):
            return self.curvature @ (self._point(w, "Quadratic.gradient") - self.minimum)

    @property
    def critical_learning_rates(self):
        """(1/λ_max, 2/λ_max): above the first GD oscillates, above the second it diverges."""
        top = float(np.linalg.eigvalsh(self.curvature).max())
        return 1.0 / top, 2.0 / top


def bowl_1d(curvature=2.0):
    """L(w) = (λ/2)(w − 3)² + 1 with λ = `curvature`: one weight, minimum at w* = 3.

    The default λ = 2 is L(w) = (w − 3)² + 1: it oscillates for α > 0.5 and diverges for α > 1.
    """
    curvature = check_number(curvature, "curvature", "bowl_1d", at_least=1e-6, at_most=1e6)
    return Quadratic(np.array([[curvature]]), np.array([3.0]), floor=1.0)


def bowl_2d(steepness=10.0):
    """A tilted valley: curvatures 1 and `steepness` along axes rotated by 30°, minimum at (1, −1).

    With the default 10, GD zig-zags across the steep direction while it crawls along the flat
    one, and it diverges for α > 2/10 = 0.2; steepness 1 is a round bowl.
    """
    steepness = check_number(steepness, "steepness", "bowl_2d", at_least=1e-6, at_most=1e6)
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
    stopped_at: tuple | None = None  # (step, loss) where the loss blew up and the run stopped


def gradient_descent(problem, w0, learning_rate, steps, tolerance=1e-6, blow_up=1e6):
    """Run w(t+1) = w(t) − α ∇L(w(t)) for `steps` steps from w0 on `problem` (a Quadratic).

    Stops early when the gradient norm falls below `tolerance`, or when the loss grows past
    `blow_up` times its start or stops being finite. The verdict, from the path it took:

        diverged     w ends farther from w* than it started (or the loss blew up)
        oscillating  otherwise, if w jumps across the minimum along the steepest direction on at
                     least half of its steps (whether or not it also converges)
        converged    otherwise, if |∇L| fell below `tolerance`
        slow         none of these: after `steps` steps w is still on its way
    """
    if not isinstance(problem, Quadratic):
        raise TypeError(f"gradient_descent: problem must be a Quadratic, e.g. bowl_1d(), got "
                        f"{type(problem).__name__}")
    w = as_float_array(w0, "gradient_descent", "w0").astype(np.float64)
    if w.size != len(problem.minimum):
        raise ValueError(f"gradient_descent: w0 must have {len(problem.minimum)} entries (the "
                         f"problem's dimension), got shape {w.shape}")
    w = w.ravel()
    steps = check_positive_int(steps, "steps", "gradient_descent")
    learning_rate = check_number(learning_rate, "learning_rate", "gradient_descent", above=0)
    tolerance = check_number(tolerance, "tolerance", "gradient_descent", at_least=0)
    blow_up = check_number(blow_up, "blow_up", "gradient_descent", above=1)
    weights, losses = [w.copy()], [problem.loss(w)]
    if not np.isfinite(losses[0]):
        raise ValueError(f"gradient_descent: w0 must have a finite loss, got w0 = {w} whose loss overflows")
    limit = blow_up * max(abs(losses[0]), 1.0)
    for step in range(1, steps + 1):
        gradient = problem.gradient(w)
        with np.errstate(over="ignore"):  # |∇L| beyond the float range is inf: not below tolerance
            small = np.linalg.norm(gradient) < tolerance
        if small:
            return _finish(weights, losses, learning_rate, problem, blown_up=None, converged=True)
        with np.errstate(over="ignore", invalid="ignore"):  # a blow-up is reported just below
            w = w - learning_rate * gradient
            loss = problem.loss(w) if np.isfinite(w).all() else np.inf
        if not np.isfinite(loss) or abs(loss) > limit:
            return _finish(weights, losses, learning_rate, problem, blown_up=(step, loss), converged=False)
        weights.append(w.copy())
        losses.append(loss)
    return _finish(weights, losses, learning_rate, problem, blown_up=None, converged=False)


def _plural(count, word):
    return f"{count} {word}{'s' if count != 1 else ''}"


def _finish(weights, losses, learning_rate, problem, blown_up, converged):
    weights, losses = np.array(weights), np.array(losses)
    steps = len(weights) - 1
    distances = np.linalg.norm(weights - problem.minimum, axis=1)
    # The component along the steepest direction flips sign at every step when α > 1/λ_max.
    steep = (weights - problem.minimum) @ np.linalg.eigh(problem.curvature)[1][:, -1]
    steep = steep[np.abs(steep) > 1e-12]
    flips = int(np.sum(np.sign(steep[1:]) != np.sign(steep[:-1])))
    all_losses = np.append(losses, blown_up[1]) if blown_up else losses

    if blown_up or distances[-1] > distances[0]:
        verdict = "diverged"
        # The step since which the loss has grown at every step (1 if it never went down).
        falls = np.flatnonzero(np.diff(all_losses) <= 0)
        since = int(falls[-1]) + 2 if len(falls) else 1
        growth = f"the loss has grown at every step since step {since}"
        if blown_up:
            message = (f"diverged: {growth}; at step {blown_up[0]} it reached {blown_up[1]:.3g}, over "
                       f"10⁶ times its start ({losses[0]:.3g}), and the run stopped")
        else:
            message = (f"diverged: {growth}; after {_plural(steps, 'step')} it is {losses[-1]:.3g} "
                       f"(it started at {losses[0]:.3g})")
    elif flips >= max(len(steep) // 2, 1):
        verdict = "oscillating"
        top = float(np.linalg.eigvalsh(problem.curvature).max())
        message = (f"oscillating: w jumped across the minimum on {flips} of {_plural(steps, 'step')}, "
                   f"each jump |1 − αλ_max| = {abs(1 - learning_rate * top):.2g} times the last; "
                   + (f"it still converged (|∇L| < tolerance after {_plural(steps, 'step')})" if converged
                      else f"it is now {distances[-1]:.2g} from w* (it started {distances[0]:.2g} away)"))
    elif converged:
        verdict = "converged"
        message = f"converged: |∇L| < tolerance after {_plural(steps, 'step')}"
    else:
        verdict = "slow"
        message = (f"too slow: after {_plural(steps, 'step')} w is still {distances[-1]:.2g} "
                   "from the minimum w*")
    return DescentPath(weights, losses, float(learning_rate), verdict, message, blown_up)
