"""The slides' 2-3-2 net walked one node at a time: the forward pass, then the backward pass.

Slides "Forward propagation" and "Back-propagation" ×8. Forward: x → s → h → z → ŷ → loss.
Backward, with the sign that descends (erratum 1): ŷ → z → w → h → s → v. Each backward step
multiplies a local derivative (of this node's own formula) by the upstream gradient (∂loss/∂ the
node after it), and the product is ∂loss/∂ this node:

    step   local                 upstream         product
    ŷ      ∂loss/∂ŷ = ŷ − y      ∂loss/∂loss = 1  ∂loss/∂ŷ = ŷ − y
    z      ∂ŷ/∂z = f₂′(z)        ∂loss/∂ŷ         δ_z = (ŷ − y) ⊙ f₂′(z)          output_delta
    w      ∂z_j/∂w_kj = h_k      δ_z              Δw = h δ_zᵀ                      weight_gradient
    h      ∂z/∂h = wᵀ            δ_z              ∂loss/∂h = w δ_z
    s      ∂h/∂s = f₁′(s)        w δ_z            δ_s = (w δ_z) ⊙ f₁′(s)          hidden_delta
    v      ∂s_k/∂v_ik = x_i      δ_s              Δv = x δ_sᵀ                      weight_gradient

The products come from slide_net's own functions; local and upstream are kept beside them so a
reader (and the tests) can see that product = local × upstream, in the step's `rule`:
"⊙" elementwise, "outer" local upstreamᵀ, "jacobian" upstreamᵀ local.
"""

from dataclasses import dataclass

import numpy as np

from .losses import sse
from .slide_net import hidden_delta, output_delta, weight_gradient

FORWARD_ORDER = ("x", "s", "h", "z", "ŷ", "loss")
BACKWARD_ORDER = ("ŷ", "z", "w", "h", "s", "v")

_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def number(value):
    """A number to 3 significant digits with a real minus sign: −0.105."""
    return f"{value:.3g}".replace("-", "−")


def vector(values):
    """(0.646, 0.513, 0.622)."""
    return "(" + ", ".join(number(v) for v in np.ravel(values)) + ")"


def _times(a, b):
    """a×b, with a negative factor in parentheses: 0.646×(−0.105)."""
    return "×".join(number(v) if v >= 0 else f"({number(v)})" for v in (a, b))


def _i(index):
    return str(index + 1).translate(_SUBSCRIPT)


@dataclass(frozen=True)
class ForwardStep:
    """One step of the forward pass: the node it computes, its formula and its value."""

    name: str  # "x", "s", "h", "z", "ŷ" or "loss"
    lines: tuple  # the slide's formula, then the same with the numbers filled in
    value: np.ndarray
    known: dict  # every value computed so far, by name, this step's included


@dataclass(frozen=True)
class BackwardStep:
    """One step of the backward pass: product = local × upstream, by `rule`."""

    name: str  # the node whose gradient this step gives: "ŷ", "z", "w", "h", "s" or "v"
    rule: str  # "⊙" (elementwise), "outer" (local upstreamᵀ) or "jacobian" (upstreamᵀ local)
    local: np.ndarray  # the derivative of this node's own formula
    upstream: np.ndarray  # ∂loss/∂(the node after this one)
    product: np.ndarray  # ∂loss/∂(this node)
    lines: tuple  # the slide's formula, then local, upstream and product (on 2 lines for h and s)
    grad_w: np.ndarray | None  # Δw once this step or an earlier one has filled it, else None
    grad_v: np.ndarray | None  # Δv likewise (filled at the last step)


def forward_steps(net, x, y):
    """The forward pass of `net` (a SlideNet) for the example x and target y, node by node."""
    fwd = net.forward(x)
    loss = net.loss(fwd.y_hat, y)
    y = np.asarray(y, dtype=float)
    v, w = net.v, net.w
    s1 = " + ".join(f"v{_i(i)}₁x{_i(i)}" for i in range(len(fwd.x)))
    z1 = " + ".join(f"w{_i(k)}₁h{_i(k)}" for k in range(len(fwd.h)))
    lines = {
        "x": ("x: the input", f"x = {vector(fwd.x)}   (target y = {vector(y)})"),
        "s": ("s = vᵀx", f"s₁ = {s1} = " + " + ".join(_times(v[i, 0], fwd.x[i]) for i in range(len(fwd.x)))
              + f" = {number(fwd.s[0])}", f"s = {vector(fwd.s)}"),
        "h": (f"h = f₁(s),  f₁ = {net.f1.name}", f"h = f₁({vector(fwd.s)}) = {vector(fwd.h)}"),
        "z": ("z = wᵀh", f"z₁ = {z1} = " + " + ".join(_times(w[k, 0], fwd.h[k]) for k in range(len(fwd.h)))
              + f" = {number(fwd.z[0])}", f"z = {vector(fwd.z)}"),
        "ŷ": (f"ŷ = f₂(z),  f₂ = {net.f2.name}", f"ŷ = f₂({vector(fwd.z)}) = {vector(fwd.y_hat)}"),
        "loss": ("loss = ½(y − ŷ)ᵀ(y − ŷ)", "loss = ½(" + " + ".join(
            f"({number(t)} − {number(p)})²" for t, p in zip(y, fwd.y_hat, strict=True))
                 + f") = {number(loss)}"),
    }
    values = {"x": fwd.x, "s": fwd.s, "h": fwd.h, "z": fwd.z, "ŷ": fwd.y_hat, "loss": np.array(loss)}
    steps, known = [], {}
    for name in FORWARD_ORDER:
        known = {**known, name: values[name]}
        steps.append(ForwardStep(name, lines[name], values[name], known))
    return steps


def backward_steps(net, x, y):
    """The backward pass of `net` for the example x and target y, node by node: ŷ → z → w → h → s → v.

    The last step's grad_w and grad_v are Δw and Δv of the slides (SlideNet.backward's)."""
    fwd = net.forward(x)
    y = np.asarray(y, dtype=float)
    _, d_y_hat = sse(fwd.y_hat, y)  # ∂loss/∂ŷ = ŷ − y
    f2_prime = net.f2.derivative(fwd.z, fwd.y_hat)
    delta_z = output_delta(fwd.y_hat, y, fwd.z, net.f2)
    grad_w = weight_gradient(fwd.h, delta_z)
    d_h = net.w @ delta_z  # ∂loss/∂h = δ_zᵀ wᵀ, written as a column
    f1_prime = net.f1.derivative(fwd.s, fwd.h)
    delta_s = hidden_delta(net.w, delta_z, fwd.s, fwd.h, net.f1)
    grad_v = weight_gradient(fwd.x, delta_s)
    w = net.w
    h1 = " + ".join(f"w₁{_i(j)}δ{_i(j)}" for j in range(len(delta_z)))
    one = np.array(1.0)
    table = [
        ("ŷ", "⊙", d_y_hat, one, d_y_hat, None, None, (
            "∂loss/∂ŷ = ŷ − y   (the slides write y − ŷ: erratum 1)",
            "∂loss/∂ŷ = ŷ − y = (" + ", ".join(
                f"{number(p)} − {number(t)}" for p, t in zip(fwd.y_hat, y, strict=True))
            + f") = {vector(d_y_hat)}",
            "∂loss/∂loss = 1",
            f"∂loss/∂ŷ = {vector(d_y_hat)}")),
        ("z", "⊙", f2_prime, d_y_hat, delta_z, None, None, (
            "δ_z = ∂loss/∂z = (ŷ − y) ⊙ f₂′(z)",
            f"∂ŷ/∂z = f₂′(z) = {vector(f2_prime)}",
            f"∂loss/∂ŷ = ŷ − y = {vector(d_y_hat)}",
            "δ_z = (" + ", ".join(_times(u, d) for u, d in zip(d_y_hat, f2_prime, strict=True))
            + f") = {vector(delta_z)}")),
        ("w", "outer", fwd.h, delta_z, grad_w, grad_w, None, (
            "Δw = ∂loss/∂w = h δ_zᵀ   (3×2, the shape of w)",
            f"∂z_j/∂w_kj = h_k,  h = {vector(fwd.h)}",
            f"δ_z = {vector(delta_z)}",
            f"Δw₁₁ = h₁δ₁ = {_times(fwd.h[0], delta_z[0])} = {number(grad_w[0, 0])}; "
            "all of Δw on the w edges")),
        ("h", "jacobian", w.T, delta_z, d_h, grad_w, None, (
            "∂loss/∂h = w δ_z   (the slides' wᵀ, with shapes that fit)",
            "∂z/∂h = wᵀ   (the weights w in the filled labels, not Δw)",
            f"δ_z = {vector(delta_z)}",
            f"w δ_z = {vector(d_h)}",
            f"(w δ_z)₁ = {h1} = " + " + ".join(_times(w[0, j], delta_z[j]) for j in range(len(delta_z)))
            + f" = {number(d_h[0])}")),
        ("s", "⊙", f1_prime, d_h, delta_s, grad_w, None, (
            "δ_s = ∂loss/∂s = (w δ_z) ⊙ f₁′(s)",
            f"∂h/∂s = f₁′(s) = {vector(f1_prime)}",
            f"∂loss/∂h = w δ_z = {vector(d_h)}",
            "δ_s = (" + ", ".join(_times(u, d) for u, d in zip(d_h, f1_prime, strict=True)) + ")",
            f"     = {vector(delta_s)}")),
        ("v", "outer", fwd.x, delta_s, grad_v, grad_w, grad_v, (
            "Δv = ∂loss/∂v = x δ_sᵀ   (2×3, the shape of v)",
            f"∂s_k/∂v_ik = x_i,  x = {vector(fwd.x)}",
            f"δ_s = {vector(delta_s)}",
            f"Δv₁₁ = x₁δ_s₁ = {_times(fwd.x[0], delta_s[0])} = {number(grad_v[0, 0])}; "
            "all of Δv on the v edges")),
    ]
    return [BackwardStep(name, rule, local, upstream, product, lines, gw, gv)
            for name, rule, local, upstream, product, gw, gv, lines in table]
