"""Checkers for the notebooks' 動手做 (hands-on) cells.

A student writes a function; `check_…(student_function)` calls it on a few random cases, compares
with the reference implementation in lecturekit, and says right, or what is wrong and where: which
array, which entry, how far off, and a hint when the mistake is a known one (a flipped sign, a
transpose, a wrong shape, a forgotten f′). It never raises: a student's exception is reported too.
"""

from dataclasses import dataclass

import numpy as np

from .activations import get_activation
from .slide_net import SlideNet, hidden_delta, output_delta, weight_gradient

SIGMOID = get_activation("sigmoid")
CASES = 3  # random cases per check: one coincidence cannot pass


@dataclass
class Verdict:
    """The answer of a checker; shown in a notebook as its message."""

    ok: bool
    message: str

    def __repr__(self):
        return self.message

    def __bool__(self):
        return self.ok


def _close(a, b):
    """Same shape and equal to ~6 significant digits."""
    return np.shape(a) == np.shape(b) and np.allclose(a, b, rtol=1e-6, atol=1e-9)


def compare(name, got, expected, known_mistakes=()):
    """Verdict on one answer: `known_mistakes` is a list of (wrong_answer, hint) to recognise."""
    try:
        expected = np.asarray(expected)
    except ValueError:  # a ragged list
        expected = np.asarray(None)
    if expected.dtype.kind not in "fiu":
        raise TypeError(f"compare: expected must be an array of real numbers, got dtype {expected.dtype}")
    expected = expected.astype(np.float64)
    if not (isinstance(known_mistakes, (list, tuple))
            and all(isinstance(pair, tuple) and len(pair) == 2 for pair in known_mistakes)):
        raise TypeError("compare: known_mistakes must be a list of (wrong answer, hint) pairs")
    if got is None:
        return Verdict(False, f"✗ {name}: your function returned None — did you forget `return`?")
    try:
        raw = np.asarray(got)
        if raw.dtype.kind == "c":
            return Verdict(False, f"✗ {name}: expected real numbers, got complex ones ({raw.dtype})")
        with np.errstate(over="ignore"):  # a number beyond float64 (a longdouble 1e400) becomes inf
            got = raw.astype(np.float64)
    except (TypeError, ValueError, OverflowError):
        return Verdict(False, f"✗ {name}: expected an array of float numbers, got {type(got).__name__}")
    for wrong, hint in known_mistakes:
        if _close(got, wrong) and not _close(wrong, expected):
            return Verdict(False, f"✗ {name}: {hint}")
    if got.shape != expected.shape:
        if _close(got.T, expected):
            return Verdict(False, f"✗ {name} is transposed: shape {got.shape}, expected "
                                  f"{expected.shape}; the right values in the wrong layout")
        return Verdict(False, f"✗ {name} has shape {got.shape}, expected {expected.shape}")
    if _close(got, expected):
        return Verdict(True, f"✓ {name} is right")
    if _close(got, -expected):
        return Verdict(False, f"✗ {name} has the wrong sign: every entry is −1 × the right one")
    if got.ndim == 2 and _close(got.T, expected):
        return Verdict(False, f"✗ {name} is transposed: entry [i, j] belongs at [j, i]")
    diff = np.abs(got - expected)
    where = np.unravel_index(np.argmax(diff), diff.shape)
    wrong = int(np.sum(~np.isclose(got, expected, rtol=1e-6, atol=1e-9)))
    index = f"[{', '.join(str(int(i)) for i in where)}]" if where else ""
    return Verdict(False, f"✗ {name}{index} = {got[where]:.6g}, expected "
                          f"{expected[where]:.6g} (off by {diff[where]:.3g}); "
                          f"{wrong} of {expected.size} entries are wrong")


def _run(name, student_function, make_case, arg_names):
    """Call the student's function on CASES random cases; the first failure is the verdict."""
    for seed in range(CASES):
        args, expected, known = make_case(np.random.default_rng(seed))
        try:
            got = student_function(*args)
        except Exception as error:
            shapes = ", ".join(f"{arg} {np.shape(a)}" for arg, a in zip(arg_names, args, strict=True))
            return Verdict(False, f"✗ {name}: your function raised {type(error).__name__}: "
                                  f"{_said(error)}\n  (it was called with the shapes {shapes})")
        try:
            verdict = compare(name, got, expected, known)
        except Exception as error:  # an answer so odd that reading it fails: the checker never raises
            return Verdict(False, f"✗ {name}: your function returned something that is not an array of "
                                  f"numbers ({type(got).__name__}; reading it raised {type(error).__name__})")
        if not verdict.ok:
            return verdict
    return Verdict(True, f"✓ {name} is right on {CASES} random cases")


def _said(error):
    """What an exception says, even if its own __str__ fails."""
    try:
        return str(error)
    except Exception:
        return "(its message cannot be shown)"


def _slide_case(rng):
    net = SlideNet.random(rng)
    x, y = rng.standard_normal(2), rng.uniform(size=2)
    return net, net.forward(x), y


def check_forward(student_function):
    """student_function(x, v, w) → ŷ of the 2-3-2 net with f₁ = f₂ = sigmoid (slide 01)."""

    def case(rng):
        net, fw, _ = _slide_case(rng)
        known = [
            (net.w.T @ (net.v.T @ fw.x), "you forgot both activations: h = f₁(s), ŷ = f₂(z)"),
            (net.w.T @ fw.h, "ŷ = f₂(z): the output activation is missing"),
            (SIGMOID.f(net.w.T @ (net.v.T @ fw.x)), "h = f₁(s): the hidden activation is missing"),
        ]
        return (fw.x, net.v.copy(), net.w.copy()), fw.y_hat, known

    return _run("ŷ", student_function, case, ("x", "v", "w"))


def check_gradient_step(student_function):
    """student_function(w, gradient, learning_rate) → w(t+1) = w(t) − α∇w (slide 02)."""

    def case(rng):
        w, gradient, rate = rng.standard_normal(3), rng.standard_normal(3), rng.uniform(0.05, 0.5)
        known = [(w + rate * gradient, "you stepped uphill: w + α∇w climbs the loss; use w − α∇w"),
                 (w - gradient, "the learning rate α is missing: w − α∇w")]
        return (w.copy(), gradient.copy(), rate), w - rate * gradient, known

    return _run("w(t+1)", student_function, case, ("w", "gradient", "learning_rate"))


def check_output_delta(student_function):
    """student_function(y_hat, y, z) → δ_z = ∂loss/∂z = (ŷ − y) ⊙ f₂′(z), f₂ = sigmoid (slide 03)."""

    def case(rng):
        net, fw, y = _slide_case(rng)
        expected = output_delta(fw.y_hat, y, fw.z, net.f2)
        known = [(-expected, "the sign is flipped: ∂loss/∂ŷ = ŷ − y, not the slide's y − ŷ "
                             "(with y − ŷ, w − αΔw would climb the loss)"),
                 (fw.y_hat - y, "f₂′(z) is missing: for the sigmoid f₂′(z) = ŷ(1 − ŷ)")]
        return (fw.y_hat, y, fw.z), expected, known

    return _run("δ_z", student_function, case, ("y_hat", "y", "z"))


def check_grad_w(student_function):
    """student_function(h, delta_z) → Δw = h δ_zᵀ, shape (3, 2) like w (slide 03)."""

    def case(rng):
        net, fw, y = _slide_case(rng)
        delta_z = output_delta(fw.y_hat, y, fw.z, net.f2)
        expected = weight_gradient(fw.h, delta_z)
        known = [(expected.T, "transposed: Δw must have w's shape (3, 2); use np.outer(h, delta_z)"),
                 (-expected, "the sign is flipped (see δ_z: ŷ − y, not y − ŷ)")]
        return (fw.h, delta_z), expected, known

    return _run("Δw", student_function, case, ("h", "delta_z"))


def check_grad_v(student_function):
    """student_function(x, w, delta_z, s) → Δv = x δ_sᵀ with δ_s = (w δ_z) ⊙ f₁′(s),
    f₁ = sigmoid, shape (2, 3) like v (slide 03)."""

    def case(rng):
        net, fw, y = _slide_case(rng)
        delta_z = output_delta(fw.y_hat, y, fw.z, net.f2)
        delta_s = hidden_delta(net.w, delta_z, fw.s, fw.h, net.f1)
        expected = weight_gradient(fw.x, delta_s)
        known = [(expected.T, "transposed: Δv must have v's shape (2, 3); use np.outer(x, delta_s)"),
                 (-expected, "the sign is flipped (see δ_z: ŷ − y, not y − ŷ)"),
                 (weight_gradient(fw.x, net.w @ delta_z),
                  "f₁′(s) is missing: δ_s = (w δ_z) ⊙ f₁′(s), and f₁′(s) = h(1 − h) for the sigmoid")]
        return (fw.x, net.w.copy(), delta_z, fw.s), expected, known

    return _run("Δv", student_function, case, ("x", "w", "delta_z", "s"))


def check_sigmoid_derivative(student_function):
    """student_function(s) → σ′(s) = σ(s)(1 − σ(s)), elementwise (notebook 04)."""

    def case(rng):
        s = 3 * rng.standard_normal(6)
        h = SIGMOID.f(s)
        known = [(h, "that is σ(s) itself; the derivative is σ(s)(1 − σ(s))"),
                 (s * (1 - s), "use σ(s), not s: σ′(s) = σ(s)(1 − σ(s))"),
                 (h * (1 + h), "σ′(s) = σ(s)(1 − σ(s)): a minus, not a plus")]
        return (s,), h * (1 - h), known

    return _run("σ′(s)", student_function, case, ("s",))


def check_relu_backward(student_function):
    """student_function(s, grad_h) → ∂L/∂s = ∂L/∂h ⊙ 1[s > 0] for h = ReLU(s) (notebook 05)."""

    def case(rng):
        s, grad_h = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
        known = [(grad_h, "ReLU′ is 0 where s ≤ 0: multiply by (s > 0)"),
                 (grad_h * np.maximum(s, 0), "multiply by ReLU′(s) = 1[s > 0], not by ReLU(s)"),
                 ((s > 0).astype(float), "multiply the incoming gradient ∂L/∂h by (s > 0)")]
        return (s, grad_h), grad_h * (s > 0), known

    return _run("∂L/∂s", student_function, case, ("s", "grad_h"))


def check_clip_by_norm(student_function):
    """student_function(g, c) → g · min(1, c/‖g‖): length at most c, direction kept (notebook 06)."""

    def case(rng):
        g = rng.standard_normal(5)
        norm = np.linalg.norm(g)
        c = norm * (0.5, 2.0, 0.8)[int(rng.integers(3))]  # some gradients longer than c, some shorter
        expected = g * min(1.0, c / norm)
        known = [(np.clip(g, -c, c), "that is clipping by value: it can turn the direction"),
                 (g * c / norm, "scale only when ‖g‖ > c: a short gradient stays as it is")]
        return (g, c), expected, known

    return _run("clipped g", student_function, case, ("g", "c"))


def check_shortcut_gradient(student_function):
    """student_function(w, x, y) → ∂E/∂w for E = (wx + x − y)², the residual one-weight layer of
    the slides: 2(wx − y)x + 2x² (notebook 07)."""
    from . import scalar_resnet

    def case(rng):
        w, x, y = rng.standard_normal(3)
        known = [(scalar_resnet.gradient(w, x, y, shortcut=False),
                  "that is the gradient without the shortcut; ŷ = wx + x adds 2x²"),
                 (2 * (w * x + x - y), "the chain rule needs ∂ŷ/∂w = x as well")]
        return (w, x, y), np.asarray(scalar_resnet.gradient(w, x, y, shortcut=True)), known

    return _run("∂E/∂w", student_function, case, ("w", "x", "y"))


def check_filter_normalization(student_function):
    """student_function(d, W) → d with each column (one unit's incoming weights, its "filter")
    rescaled to the norm of the same column of W (Li et al. 2018; notebook 08)."""

    def case(rng):
        d, W = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
        expected = d / np.linalg.norm(d, axis=0) * np.linalg.norm(W, axis=0)
        known = [(d / np.linalg.norm(d, axis=1, keepdims=True) * np.linalg.norm(W, axis=1, keepdims=True),
                  "you normalized rows; a unit's filter is a column of W (its incoming weights)"),
                 (d / np.linalg.norm(d) * np.linalg.norm(W),
                  "that normalizes the whole matrix at once; normalize each column (filter) on its own")]
        return (d, W), expected, known

    return _run("filter-normalized d", student_function, case, ("d", "W"))


def check_batchnorm_backward(student_function):
    """student_function(grad_out, x_hat, gamma, inv_std) → ∂L/∂x of BatchNorm in training mode,
    for a (batch, features) input (notebook 09)."""
    from .batchnorm import BatchNorm

    def case(rng):
        x, grad_out = 2 + 3 * rng.standard_normal((6, 3)), rng.standard_normal((6, 3))
        layer = BatchNorm(3)
        layer.params["gamma"][:] = rng.uniform(0.5, 2.0, 3)
        layer.forward(x)
        expected = layer.backward(grad_out)
        gamma = layer.params["gamma"].copy()
        known = [(grad_out * gamma * layer.inv_std,
                  "that treats μ_B and σ²_B as constants (evaluation mode); in training they depend "
                  "on every x, which adds −Σ∂x̂ and −x̂ Σ(∂x̂ x̂) terms"),
                 (grad_out * gamma * layer.inv_std - (grad_out * gamma).mean(axis=0) * layer.inv_std,
                  "the mean term is there; the variance term −x̂ · mean(∂x̂ · x̂) is missing")]
        return (grad_out, layer.x_hat.copy(), gamma, layer.inv_std.copy()), expected, known

    return _run("∂L/∂x", student_function, case, ("grad_out", "x_hat", "gamma", "inv_std"))
