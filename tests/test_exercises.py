"""The 動手做 checkers: a right answer passes; every known mistake is named, in zh-TW and in
English, first WHERE it is, then (on the second try, or with hint=True) how to FIX it; a stub that
raises NotImplementedError gets where to START. The notebooks' exercise cells pass as committed
(the teacher's edition) and say where to start once their solutions are cleared."""

import ast
import json
import re
from pathlib import Path

import numpy as np
import pytest

from lecturekit import exercises
from lecturekit.activations import sigmoid
from lecturekit.batchnorm import BatchNorm
from lecturekit.exercises import (
    Mistake,
    Verdict,
    check_backward,
    check_batchnorm_backward,
    check_batchnorm_staged,
    check_central_difference,
    check_clip_by_norm,
    check_filter_normalization,
    check_forward,
    check_grad_v,
    check_grad_w,
    check_gradient_step,
    check_output_delta,
    check_relu_backward,
    check_shortcut_gradient,
    check_sigmoid_derivative,
    compare,
    set_language,
)

ROOT = Path(__file__).resolve().parent.parent
CJK = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")


@pytest.fixture(autouse=True)
def fresh_checkers():
    exercises._failed_tries.clear()
    yield
    exercises._failed_tries.clear()
    set_language("zh-TW")


def sigmoid_prime(a):
    return sigmoid(a) * (1 - sigmoid(a))


def delta_s(w, delta_z, s):
    return (w @ delta_z) * sigmoid_prime(s)


def backward(x, y, v, w, f2_prime=lambda z, y_hat: y_hat * (1 - y_hat), f1_prime=lambda s, h: h * (1 - h),
             loss_factor=1.0, sign=1.0):
    """The 2-3-2 net's (Δv, Δw), with hooks to make a student's mistakes."""
    s = v.T @ x
    h = sigmoid(s)
    z = w.T @ h
    y_hat = sigmoid(z)
    delta_z = sign * loss_factor * (y_hat - y) * f2_prime(z, y_hat)
    return np.outer(x, (w @ delta_z) * f1_prime(s, h)), np.outer(h, delta_z)


def central_difference(f, w, eps):
    grad = np.zeros_like(w)
    for index in np.ndindex(w.shape):
        plus, minus = w.copy(), w.copy()
        plus[index] += eps
        minus[index] -= eps
        grad[index] = (f(plus) - f(minus)) / (2 * eps)
    return grad


def one_sided(f, w, eps):
    grad = np.zeros_like(w)
    for index in np.ndindex(w.shape):
        plus = w.copy()
        plus[index] += eps
        grad[index] = (f(plus) - f(w)) / eps
    return grad


def nudging_in_place(f, w, eps):
    """Central differences that forget to put w[index] back."""
    grad = np.zeros_like(w)
    for index in np.ndindex(w.shape):
        w[index] += eps
        plus = f(w)
        w[index] -= 2 * eps
        grad[index] = (plus - f(w)) / (2 * eps)
    return grad


def staged(grad_out, x, gamma, eps, change=None):
    """BatchNorm's backward node by node, written out here on its own; `change` = (node,
    function of the forward values and the gradients so far) puts a student's mistake in one node."""
    m = len(x)
    f = {"grad_out": grad_out, "x": x, "mu": x.mean(axis=0)}
    f["x_mu"] = x - f["mu"]
    f["var"] = (f["x_mu"] * f["x_mu"]).sum(axis=0) / m
    f["inv_std"] = (f["var"] + eps) ** -0.5
    f["x_hat"] = f["x_mu"] * f["inv_std"]
    g = {}

    def node(key, value):
        g[key] = change[1](f, g) if change and change[0] == key else value

    node("beta", grad_out.sum(axis=0))
    node("gamma", (grad_out * f["x_hat"]).sum(axis=0))
    node("x_hat", grad_out * gamma)
    node("inv_std", (g["x_hat"] * f["x_mu"]).sum(axis=0))
    node("var", g["inv_std"] * -0.5 * (f["var"] + eps) ** -1.5)
    node("x_mu", g["x_hat"] * f["inv_std"] + g["var"] * 2 * f["x_mu"] / m)
    node("mu", -g["x_mu"].sum(axis=0))
    node("x", g["x_mu"] + g["mu"] / m)
    return g


def staged_mistake(key, wrong):
    return lambda g, x, gamma, eps: staged(g, x, gamma, eps, change=(key, wrong))


def batchnorm_right(grad_out, x_hat, gamma, inv_std):
    g = grad_out * gamma
    return inv_std * (g - g.mean(axis=0) - x_hat * (g * x_hat).mean(axis=0))


RIGHT = {
    check_forward: lambda x, v, w: sigmoid(w.T @ sigmoid(v.T @ x)),
    check_gradient_step: lambda w, g, a: w - a * g,
    check_output_delta: lambda y_hat, y, z: (y_hat - y) * y_hat * (1 - y_hat),
    check_grad_w: lambda h, d: np.outer(h, d),
    check_grad_v: lambda x, w, d, s: np.outer(x, delta_s(w, d, s)),
    check_backward: backward,
    check_central_difference: central_difference,
    check_sigmoid_derivative: sigmoid_prime,
    check_relu_backward: lambda s, g: g * (s > 0),
    check_clip_by_norm: lambda g, c: g * min(1.0, c / np.linalg.norm(g)),
    check_shortcut_gradient: lambda w, x, y: 2 * (w * x - y) * x + 2 * x**2,
    check_filter_normalization: lambda d, W: d / np.linalg.norm(d, axis=0) * np.linalg.norm(W, axis=0),
    check_batchnorm_backward: batchnorm_right,
    check_batchnorm_staged: staged,
}

# name: (checker, a wrong answer, a word of its WHERE in zh-TW, the same in English). The cases
# marked "notebook NN" are the deliberate mistakes the notebooks showed before they held solutions.
MISTAKES = {
    "notebook 01: ŷ = z": (check_forward, lambda x, v, w: w.T @ sigmoid(v.T @ x),
                           "輸出層少了激勵函數", "output activation is missing"),
    "forward: no hidden activation": (check_forward, lambda x, v, w: sigmoid(w.T @ (v.T @ x)),
                                      "隱藏層少了激勵函數", "hidden activation is missing"),
    "forward: no activation": (check_forward, lambda x, v, w: w.T @ (v.T @ x),
                               "兩個激勵函數", "both activations are missing"),
    "forward: shape": (check_forward, lambda x, v, w: sigmoid(w.T @ sigmoid(v.T @ x))[:1],
                       "形狀 (shape) 是 (1,)", "has shape (1,)"),
    "notebook 02: uphill": (check_gradient_step, lambda w, g, a: w + a * g, "往上坡", "uphill"),
    "step: no α": (check_gradient_step, lambda w, g, a: w - g, "少了學習率 (learning rate) α",
                   "learning rate α is missing"),
    "step: the change only": (check_gradient_step, lambda w, g, a: -a * g, "變化量 −α∇w", "the change −α∇w"),
    "step: shape": (check_gradient_step, lambda w, g, a: np.append(w - a * g, 0.0), "形狀", "has shape"),
    "notebook 03: δ_z with the slide's sign": (
        check_output_delta, lambda y_hat, y, z: (y - y_hat) * y_hat * (1 - y_hat),
        "δ_z 的符號 (sign) 錯了", "δ_z has the wrong sign"),
    "δ_z: no f₂′": (check_output_delta, lambda y_hat, y, z: y_hat - y, "少了 f₂′(z)", "f₂′(z) is missing"),
    "δ_z: f₂′(ŷ)": (check_output_delta, lambda y_hat, y, z: (y_hat - y) * sigmoid_prime(y_hat),
                    "f₂′ 代錯了值：你算的是 f₂′(ŷ)", "computed f₂′(ŷ)"),
    "δ_z: z(1 − z)": (check_output_delta, lambda y_hat, y, z: (y_hat - y) * z * (1 - z),
                      "成了 z(1 − z)", "making z(1 − z)"),
    "δ_z: forgotten ½": (check_output_delta, lambda y_hat, y, z: 2 * (y_hat - y) * y_hat * (1 - y_hat),
                         "δ_z 的每個元素都是正確值的 2 倍", "δ_z is off by a factor of 2"),
    "δ_z: shape": (check_output_delta, lambda y_hat, y, z: np.outer(y_hat - y, y_hat * (1 - y_hat)),
                   "形狀 (shape) 是 (2, 2)", "has shape (2, 2)"),
    "notebook 03: Δw transposed": (check_grad_w, lambda h, d: np.outer(d, h), "Δw 轉置 (transposed)",
                                   "Δw is transposed"),
    "Δw: sign": (check_grad_w, lambda h, d: -np.outer(h, d), "Δw 的符號 (sign) 錯了",
                 "Δw has the wrong sign"),
    "Δw: forgotten ½": (check_grad_w, lambda h, d: 2 * np.outer(h, d), "是正確值的 2 倍", "factor of 2"),
    "Δw: shape": (check_grad_w, lambda h, d: h * d.sum(), "形狀 (shape) 是 (3,)", "has shape (3,)"),
    "notebook 03: no f₁′": (check_grad_v, lambda x, w, d, s: np.outer(x, w @ d), "少了 f₁′(s)",
                            "f₁′(s) is missing"),
    "Δv: f₁′(h)": (check_grad_v, lambda x, w, d, s: np.outer(x, (w @ d) * sigmoid_prime(sigmoid(s))),
                   "你算的是 f₁′(h)", "computed f₁′(h)"),
    "Δv: s(1 − s)": (check_grad_v, lambda x, w, d, s: np.outer(x, (w @ d) * s * (1 - s)),
                     "成了 s(1 − s)", "making s(1 − s)"),
    "Δv: transposed": (check_grad_v, lambda x, w, d, s: np.outer(delta_s(w, d, s), x), "Δv 轉置",
                       "Δv is transposed"),
    "Δv: sign": (check_grad_v, lambda x, w, d, s: -np.outer(x, delta_s(w, d, s)), "Δv 的符號",
                 "Δv has the wrong sign"),
    "Δv: shape": (check_grad_v, lambda x, w, d, s: delta_s(w, d, s), "形狀 (shape) 是 (3,)",
                  "has shape (3,)"),
    "backward: swapped": (check_backward, lambda *a: backward(*a)[::-1], "順序反了", "swapped"),
    "backward: not a pair": (check_backward, lambda *a: backward(*a)[1], "要回傳兩個陣列 (Δv, Δw)",
                             "return two arrays (Δv, Δw)"),
    "backward: the slide's sign": (check_backward, lambda *a: backward(*a, sign=-1.0),
                                   "Δw 的符號 (sign) 錯了", "Δw has the wrong sign"),
    "backward: forgotten ½": (check_backward, lambda *a: backward(*a, loss_factor=2.0),
                              "Δw 的每個元素都是正確值的 2 倍", "Δw is off by a factor of 2"),
    "backward: Δw transposed": (check_backward, lambda *a: (backward(*a)[0], backward(*a)[1].T),
                                "Δw 轉置", "Δw is transposed"),
    "backward: Δv transposed": (check_backward, lambda *a: (backward(*a)[0].T, backward(*a)[1]),
                                "Δv 轉置 (transposed) 了", "Δv is transposed"),
    "backward: f₂′(ŷ)": (check_backward,
                         lambda *a: backward(*a, f2_prime=lambda z, y_hat: sigmoid_prime(y_hat)),
                         "Δw：f₂′ 代錯了值：你算的是 f₂′(ŷ)", "Δw: f₂′ is taken at the wrong value"),
    "backward: z(1 − z)": (check_backward, lambda *a: backward(*a, f2_prime=lambda z, y_hat: z * (1 - z)),
                           "Δw：f₂′ 代錯了值", "making z(1 − z)"),
    "backward: no f₂′": (check_backward, lambda *a: backward(*a, f2_prime=lambda z, y_hat: 1.0),
                         "Δw：少了 f₂′(z)", "Δw: the factor f₂′(z) is missing"),
    "backward: f₁′(h)": (check_backward, lambda *a: backward(*a, f1_prime=lambda s, h: sigmoid_prime(h)),
                         "Δv：f₁′ 代錯了值：你算的是 f₁′(h)", "Δv: f₁′ is taken at the wrong value"),
    "backward: s(1 − s)": (check_backward, lambda *a: backward(*a, f1_prime=lambda s, h: s * (1 - s)),
                           "成了 s(1 − s)（Δw 是對的）", "making s(1 − s) (Δw is right)"),
    "backward: no f₁′": (check_backward, lambda *a: backward(*a, f1_prime=lambda s, h: 1.0),
                         "Δv：少了 f₁′(s)", "Δv: the factor f₁′(s) is missing"),
    "central difference: one-sided": (check_central_difference, one_sided, "單邊差分 (one-sided difference)",
                                      "one-sided difference"),
    "central difference: backward one-sided": (
        check_central_difference, lambda f, w, eps: one_sided(f, w, -eps), "(f(w) − f(w − εeᵢ)) / ε",
        "(f(w) − f(w − εeᵢ)) / ε"),
    "central difference: ÷ε": (check_central_difference, lambda f, w, eps: 2 * central_difference(f, w, eps),
                               "是正確值的 2 倍", "factor of 2"),
    "central difference: w changed": (check_central_difference, nudging_in_place, "呼叫之後 w 變了",
                                      "w has changed after the call"),
    "central difference: shape": (check_central_difference,
                                  lambda f, w, eps: central_difference(f, w, eps).ravel(),
                                  "形狀 (shape) 是 (6,)", "has shape (6,)"),
    "staged BN: ∂β a mean": (check_batchnorm_staged,
                             staged_mistake("beta", lambda f, g: f["grad_out"].mean(axis=0)),
                             "∂L/∂β：取了平均 (mean)", "∂L/∂β: a mean, where a sum"),
    "staged BN: ∂γ with x": (check_batchnorm_staged,
                             staged_mistake("gamma", lambda f, g: (f["grad_out"] * f["x"]).sum(axis=0)),
                             "∂L/∂γ：乘的是 x，應該是 x̂；它之前的 ∂L/∂β 都對",
                             "∂L/∂γ: multiplied by x, not by x̂"),
    "staged BN: ∂x̂ without γ": (check_batchnorm_staged, staged_mistake("x_hat", lambda f, g: f["grad_out"]),
                                "∂L/∂x̂：少了 γ", "∂L/∂x̂: γ is missing"),
    "staged BN: ∂inv_std not summed": (check_batchnorm_staged,
                                       staged_mistake("inv_std", lambda f, g: g["x_hat"] * f["x_mu"]),
                                       "∂L/∂inv_std 的形狀 (shape) 是 (6, 3)",
                                       "∂L/∂inv_std has shape (6, 3)"),
    "staged BN: ∂inv_std with x̂": (check_batchnorm_staged,
                                   staged_mistake("inv_std",
                                                  lambda f, g: (g["x_hat"] * f["x_hat"]).sum(axis=0)),
                                   "∂L/∂inv_std：乘的是 x̂", "∂L/∂inv_std: multiplied by x̂"),
    "staged BN: ∂σ² sign": (check_batchnorm_staged, staged_mistake("var", lambda f, g: g["inv_std"] * 0.5 *
                                                                    f["inv_std"] ** 3),
                            "；它之前的 ∂L/∂β, ∂L/∂γ, ∂L/∂x̂, ∂L/∂inv_std 都對",
                            "the nodes before it, ∂L/∂β, ∂L/∂γ, ∂L/∂x̂, ∂L/∂inv_std, are right"),
    "staged BN: ∂σ² without ½": (check_batchnorm_staged, staged_mistake("var", lambda f, g: -g["inv_std"] *
                                                                        f["inv_std"] ** 3),
                                 "∂L/∂σ² 的每個元素都是正確值的 2 倍", "∂L/∂σ² is off by a factor of 2"),
    "staged BN: ∂σ² wrong power": (check_batchnorm_staged,
                                   staged_mistake("var", lambda f, g: -0.5 * g["inv_std"] * f["inv_std"]),
                                   "∂L/∂σ²：inv_std 的次方錯了", "∂L/∂σ²: the wrong power of inv_std"),
    "staged BN: ∂x_μ without the σ² path": (
        check_batchnorm_staged, staged_mistake("x_mu", lambda f, g: g["x_hat"] * f["inv_std"]),
        "∂L/∂x_μ：少了經過 σ² 的那條路", "∂L/∂x_μ: the path through σ² is missing"),
    "staged BN: ∂x_μ without /m": (
        check_batchnorm_staged,
        staged_mistake("x_mu", lambda f, g: g["x_hat"] * f["inv_std"] + g["var"] * 2 * f["x_mu"]),
        "∂L/∂x_μ：經過 σ² 的那一項少了 /m", "∂L/∂x_μ: the term through σ² lacks the /m"),
    "staged BN: ∂μ sign": (check_batchnorm_staged, staged_mistake("mu", lambda f, g: g["x_mu"].sum(axis=0)),
                           "∂L/∂μ 的符號 (sign) 錯了", "∂L/∂μ has the wrong sign"),
    "staged BN: ∂μ a mean": (check_batchnorm_staged,
                             staged_mistake("mu", lambda f, g: -g["x_mu"].mean(axis=0)),
                             "∂L/∂μ：取了平均", "∂L/∂μ: a mean"),
    "staged BN: ∂x without the μ path": (check_batchnorm_staged, staged_mistake("x", lambda f, g: g["x_mu"]),
                                         "∂L/∂x：少了經過 μ 的那一項",
                                         "∂L/∂x: the term through μ is missing"),
    "staged BN: ∂x without /m": (check_batchnorm_staged,
                                 staged_mistake("x", lambda f, g: g["x_mu"] + g["mu"]),
                                 "∂L/∂x：經過 μ 的那一項少了 /m", "∂L/∂x: the term through μ lacks the /m"),
    "staged BN: keys missing": (check_batchnorm_staged,
                                lambda *a: {k: v for k, v in staged(*a).items() if k not in ("var", "mu")},
                                "回傳的 dict 少了 'var', 'mu'", "lacks 'var', 'mu'"),
    "staged BN: not a dict": (check_batchnorm_staged, lambda *a: list(staged(*a).values()),
                              "要回傳一個 dict", "return a dict"),
    "notebook 04: a plus": (check_sigmoid_derivative, lambda s: sigmoid(s) * (1 + sigmoid(s)),
                            "有一個正負號 (sign) 錯了", "one sign is wrong"),
    "σ′: σ itself": (check_sigmoid_derivative, sigmoid, "σ(s) 本身", "σ(s) itself"),
    "σ′: s(1 − s)": (check_sigmoid_derivative, lambda s: s * (1 - s), "你算的是 s(1 − s)",
                     "computed s(1 − s)"),
    "notebook 05: times ReLU(s)": (check_relu_backward, lambda s, g: g * np.maximum(s, 0),
                                   "乘的是 ReLU(s)", "multiplied by ReLU(s)"),
    "ReLU: no ReLU′": (check_relu_backward, lambda s, g: g, "沒有乘上 ReLU′(s)", "ReLU′(s) is missing"),
    "ReLU: no ∂L/∂h": (check_relu_backward, lambda s, g: (s > 0).astype(float), "少了從後面傳來的 ∂L/∂h",
                       "the incoming ∂L/∂h is missing"),
    "ReLU: shape": (check_relu_backward, lambda s, g: (g * (s > 0)).sum(axis=0), "形狀", "has shape"),
    "notebook 06: clip by value": (check_clip_by_norm, lambda g, c: np.clip(g, -c, c),
                                   "按值剪 (clip by value)", "clipping by value"),
    "clip: always": (check_clip_by_norm, lambda g, c: g * c / np.linalg.norm(g), "比 c 短的時候也縮放了",
                     "shorter than c was rescaled"),
    "notebook 07: no shortcut": (check_shortcut_gradient, lambda w, x, y: 2 * (w * x - y) * x,
                                 "沒有 shortcut 的梯度", "without the shortcut"),
    "shortcut: no ∂ŷ/∂w": (check_shortcut_gradient, lambda w, x, y: 2 * (w * x + x - y),
                           "少了 ∂ŷ/∂w = x", "∂ŷ/∂w = x is missing"),
    "shortcut: a ½ that is not there": (check_shortcut_gradient, lambda w, x, y: (w * x - y) * x + x**2,
                                        "是正確值的 ½ 倍", "every entry is ½ × the right one"),
    "notebook 08: the whole matrix": (check_filter_normalization,
                                      lambda d, W: d / np.linalg.norm(d) * np.linalg.norm(W),
                                      "整個矩陣一起正規化", "whole matrix at once"),
    "filter: rows": (check_filter_normalization,
                     lambda d, W: d / np.linalg.norm(d, axis=1, keepdims=True) * np.linalg.norm(W, axis=1,
                                                                                                 keepdims=True),
                     "正規化的是每一個 row", "you normalized rows"),
    "notebook 09: μ_B, σ²_B constants": (check_batchnorm_backward,
                                         lambda g, x_hat, gamma, inv_std: g * gamma * inv_std,
                                         "當成常數 (constants)", "treats μ_B and σ²_B as constants"),
    "BN: no variance term": (check_batchnorm_backward,
                             lambda g, x_hat, gamma, inv_std: (g * gamma - (g * gamma).mean(axis=0))
                             * inv_std,
                             "少了變異數那一項", "variance term −x̂·mean(∂x̂·x̂) is missing"),
    "BN: no mean term": (check_batchnorm_backward,
                         lambda g, x_hat, gamma, inv_std: (g * gamma - x_hat * (g * gamma * x_hat)
                                                           .mean(axis=0)) * inv_std,
                         "少了平均那一項", "the mean term −mean(∂x̂) is missing"),
}

# Mistakes whose FIX is the exercise's own, not compare's generic text: (name, a word of the FIX).
OWN_FIXES = {
    "δ_z: forgotten ½": ("½ 會消掉平方微分出來的 2", "cancels the 2"),
    "Δw: forgotten ½": ("½ 已經在 δ_z 裡和 2 消掉了", "already cancelled the 2"),
    "backward: forgotten ½": ("½ 會消掉", "cancels the 2"),
    "notebook 03: δ_z with the slide's sign": ("不是投影片上的 y − ŷ", "not the slide's y − ŷ"),
    "notebook 03: Δw transposed": ("np.outer(h, delta_z)", "np.outer(h, delta_z)"),
    "central difference: ÷ε": ("要除以 2ε", "divide by 2ε"),
    "shortcut: a ½ that is not there": ("沒有 ½", "has no ½"),
    "staged BN: ∂σ² without ½": ("−½·inv_std³", "−½·inv_std³"),
    "staged BN: ∂inv_std not summed": ("沿 batch 加總", "sum over the batch"),
}


def ids(table):
    return list(table)


@pytest.mark.parametrize("language", exercises.LANGUAGES)
@pytest.mark.parametrize("check", RIGHT, ids=lambda check: check.__name__)
def test_a_right_answer_passes(check, language):
    set_language(language)
    verdict = check(RIGHT[check])
    assert verdict.ok, verdict.message
    assert repr(verdict).startswith("✓") and ("對了" if language == "zh-TW" else "is right") in repr(verdict)


def test_every_checker_has_a_right_answer_here():
    checkers = {getattr(exercises, name) for name in dir(exercises) if name.startswith("check_")}
    assert checkers == set(RIGHT)


@pytest.mark.parametrize("language", exercises.LANGUAGES)
@pytest.mark.parametrize("name", ids(MISTAKES))
def test_a_mistake_is_named_first_then_fixed(name, language):
    check, wrong, zh, en = MISTAKES[name]
    set_language(language)
    first = check(wrong)
    assert not first and first.message.startswith("✗"), first.message
    assert (zh if language == "zh-TW" else en) in first.where, first.message
    assert first.where in first.message and first.fix and first.fix not in first.message
    assert "hint=True" in first.message
    second = check(wrong)  # a second ✗ in a row: WHERE and FIX
    assert second.where == first.where and second.fix in second.message
    assert check(RIGHT[check]).ok  # a ✓ starts the count again ...
    again = check(wrong)
    assert again.where in again.message and again.fix not in again.message
    assert check(RIGHT[check]).ok
    hinted = check(wrong, hint=True)  # ... and hint=True shows the FIX at the first ✗
    assert hinted.where in hinted.message and hinted.fix in hinted.message
    if language == "en":
        assert not CJK.search(second.message), second.message
    else:
        assert CJK.search(first.where) and CJK.search(first.fix)


@pytest.mark.parametrize("name", OWN_FIXES)
def test_the_generic_mistakes_carry_the_exercise_s_own_fix(name):
    check, wrong, _, _ = MISTAKES[name]
    for language, word in zip(exercises.LANGUAGES, OWN_FIXES[name], strict=True):
        set_language(language)
        assert word in check(wrong, hint=True).fix


def test_the_count_is_per_checker():
    assert not check_grad_w(MISTAKES["Δw: sign"][1])
    verdict = check_grad_v(MISTAKES["Δv: sign"][1])
    assert verdict.fix not in verdict.message


@pytest.mark.parametrize("language", exercises.LANGUAGES)
@pytest.mark.parametrize("check", RIGHT, ids=lambda check: check.__name__)
def test_a_stub_is_told_where_to_start(check, language):
    def my_answer(*args):
        raise NotImplementedError()

    set_language(language)
    verdict = check(my_answer)
    assert not verdict.ok
    first, start = verdict.message.split("\n")
    if language == "zh-TW":
        assert first == "✗ my_answer：還沒寫 (not implemented)。"
        assert start.startswith("  從這裡開始 (start)：")
    else:
        assert first == "✗ my_answer: not implemented yet." and start.startswith("  Where to start: ")
        assert not CJK.search(verdict.message)
    assert len(start.split("：" if language == "zh-TW" else ": ", 1)[1]) > 10


def test_each_checker_has_its_own_start_line():
    def stub(*args):
        raise NotImplementedError()

    starts = {check(stub).message.split("\n")[1] for check in RIGHT}
    assert len(starts) == len(RIGHT)


def test_set_language_switches_and_refuses_other_values():
    wrong = MISTAKES["notebook 01: ŷ = z"][1]
    set_language("en")
    assert "output activation is missing" in check_forward(wrong).message
    set_language("zh-TW")
    assert "輸出層少了激勵函數" in check_forward(wrong).message
    for bad in ("fr", "zh", "EN", None, ["en"]):
        with pytest.raises(ValueError, match="'zh-TW', 'en'"):
            set_language(bad)


def test_the_math_symbols_are_the_same_in_both_languages():
    wrong = MISTAKES["δ_z: f₂′(ŷ)"][1]
    messages = []
    for language in exercises.LANGUAGES:
        set_language(language)
        messages.append(check_output_delta(wrong, hint=True).message)
    for symbol in ("δ_z", "f₂′(ŷ) = σ(ŷ)(1 − σ(ŷ))", "f₂′(z) = σ(z)(1 − σ(z))", "ŷ(1 − ŷ)"):
        assert all(symbol in message for message in messages), symbol


def test_wrong_values_say_where_and_how_far():
    def my_grad_w(h, d):
        return np.outer(h, d) + np.array([[0, 0], [0, 0.5], [0, 0]])

    verdict = check_grad_w(my_grad_w)
    assert not verdict.ok
    assert "Δw[1, 1]" in verdict.message and "差了 0.5" in verdict.message
    assert "6 個元素中有 1 個錯了" in verdict.message
    set_language("en")
    verdict = check_grad_w(my_grad_w)
    assert "off by 0.5" in verdict.message and "1 of 6 entries" in verdict.message
    assert "How to fix it" in verdict.message and verdict.fix


def test_exceptions_and_none_are_reported_not_raised():
    verdict = check_forward(lambda x, v, w: v @ x)
    assert not verdict.ok and "丟出了 (raised) ValueError" in verdict.message
    assert "v (2, 3)" in verdict.message and "hint=True" not in verdict.message
    assert "return" in check_grad_w(lambda h, d: None).message
    set_language("en")
    assert "raised ValueError" in check_forward(lambda x, v, w: v @ x).message


def test_hint_must_be_true_or_false():
    with pytest.raises(TypeError, match="hint"):
        check_forward(RIGHT[check_forward], hint="yes")


def test_compare_finds_a_factor_of_two_and_takes_the_exercise_s_fix():
    expected = np.array([1.0, -2.0, 3.0])
    generic = compare("a", 2 * expected, expected)
    assert not generic.ok and "2 倍" in generic.where and "2" in generic.fix
    half = compare("a", expected / 2, expected, fixes={"factor": "E has no ½"})
    assert "½ 倍" in half.where and half.fix == "E has no ½"
    own = compare("a", -expected, expected, [(-expected, Mistake("WHERE", "FIX"))])
    assert own.where == "✗ a：WHERE" and own.fix == "FIX"
    with pytest.raises(TypeError, match="fixes"):
        compare("a", expected, expected, fixes={"off": "?"})
    with pytest.raises(TypeError, match="Mistake"):
        compare("a", expected, expected, [(expected, "a hint")])


def test_the_staged_reference_is_batchnorm_s_backward():
    rng = np.random.default_rng(3)
    x, grad_out = 1 + 2 * rng.standard_normal((5, 4)), rng.standard_normal((5, 4))
    gamma = rng.uniform(0.5, 2, 4)
    layer = BatchNorm(4)
    layer.params["gamma"][:] = gamma
    layer.forward(x)
    forward, grads = exercises.batchnorm_stages(grad_out, x, gamma, layer.eps)
    assert np.allclose(grads["x"], layer.backward(grad_out), rtol=1e-10, atol=1e-12)
    assert np.allclose(grads["gamma"], layer.grads["gamma"])
    assert np.allclose(grads["beta"], layer.grads["beta"])
    assert np.allclose(forward["x_hat"], layer.x_hat)
    assert list(grads) == list(exercises.BATCHNORM_STAGES)


def test_the_central_difference_check_accepts_nudging_in_place_when_w_is_put_back():
    def in_place(f, w, eps):
        grad = np.zeros_like(w)
        for index in np.ndindex(w.shape):
            original = w[index]
            w[index] = original + eps
            plus = f(w)
            w[index] = original - eps
            minus = f(w)
            w[index] = original
            grad[index] = (plus - minus) / (2 * eps)
        return grad

    assert check_central_difference(in_place).ok


# The notebooks: the committed cells are the teacher's edition; the student edition replaces each
# solution region by `raise NotImplementedError()`.

NOTEBOOKS = sorted((ROOT / "notebooks").glob("0[1-9]_*.ipynb"))
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"


def code_cells(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "code"]


def exercise_cells(path):
    return [source for source in code_cells(path) if BEGIN in source]


def student_edition(source):
    lines, inside = [], False
    for line in source.split("\n"):
        if line.strip() == BEGIN:
            inside = True
            lines.append(line[: len(line) - len(line.lstrip())] + "raise NotImplementedError()")
        elif line.strip() == END:
            inside = False
        elif not inside:
            lines.append(line)
    return "\n".join(lines)


def run_cell(source, namespace):
    """Execute a cell; return the value of its last line, as the notebook shows it."""
    tree = ast.parse(source)
    last = tree.body.pop()
    assert isinstance(last, ast.Expr), "an exercise cell ends with its checker call"
    exec(compile(tree, "<cell>", "exec"), namespace)
    return eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace)


def notebook_namespace(path):
    imports = "\n".join(line for line in code_cells(path)[0].split("\n") if not line.startswith("%"))
    namespace = {}
    exec(imports, namespace)
    return namespace


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_the_teacher_s_solutions_pass(path):
    cells = exercise_cells(path)
    assert cells, f"{path.name} has no exercise with a solution region"
    namespace = notebook_namespace(path)
    for source in cells:
        verdict = run_cell(source, namespace)
        assert isinstance(verdict, Verdict) and verdict.ok, verdict


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_the_student_edition_says_where_to_start(path):
    namespace = notebook_namespace(path)
    for source in exercise_cells(path):
        stub = student_edition(source)
        assert "raise NotImplementedError()" in stub and BEGIN not in stub and END not in stub
        verdict = run_cell(stub, namespace)
        assert isinstance(verdict, Verdict) and not verdict.ok
        assert "還沒寫 (not implemented)" in verdict.message and "從這裡開始 (start)：" in verdict.message


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_each_solution_region_is_a_function_body_under_a_todo_line(path):
    for source in exercise_cells(path):
        lines = source.split("\n")
        begin = next(i for i, line in enumerate(lines) if line.strip() == BEGIN)
        end = next(i for i, line in enumerate(lines) if line.strip() == END)
        assert lines[begin - 1].strip().startswith("# TODO："), lines[begin - 1]
        assert lines[begin].startswith("    ") and begin < end
        assert "check_" not in "\n".join(lines[begin:end]), "the checker call stays outside the solution"
        assert lines[-1].startswith("lk.exercises.check_")


def right_backward(x, y, v, w):
    s = v.T @ x
    h = sigmoid(s)
    y_hat = sigmoid(w.T @ h)
    delta_z = (y_hat - y) * y_hat * (1 - y_hat)
    return np.outer(x, (w @ delta_z) * h * (1 - h)), np.outer(h, delta_z)


def stub(*args):
    raise NotImplementedError()


def test_a_stub_or_a_crash_uses_up_no_hint():
    """Run All shows the stub's ✗ first; the student's first real answer still gets WHERE only."""
    def crash(h, delta_z):
        return h @ delta_z.T  # 1-D .T: the shapes (3,) and (2,) do not fit

    def transposed(h, delta_z):
        return np.outer(delta_z, h)

    assert "還沒寫" in check_grad_w(stub).message
    crashed = check_grad_w(crash)
    assert "np.outer" in crashed.message, crashed.message  # a crash gets its hint at once
    first = check_grad_w(transposed)
    assert "怎麼改 (fix)" not in first.message and "再執行一次" in first.message, first.message
    assert "怎麼改 (fix)" in check_grad_w(transposed).message


def test_a_missing_import_gets_a_hint():
    def uses_undefined(y_hat, y, z):
        return (y_hat - y) * undefined_sigmoid(z)  # noqa: F821

    message = check_output_delta(uses_undefined).message
    assert "NameError" in message and "import" in message, message


def test_backward_names_swapped_outputs_even_with_another_mistake():
    def swapped_and_signed(x, y, v, w):
        grad_v, grad_w = right_backward(x, y, v, w)
        return -grad_w, -grad_v

    message = check_backward(swapped_and_signed).message
    assert "順序反了" in message, message


@pytest.mark.parametrize("answer, words", [
    (lambda x, y, v, w: (*right_backward(x, y, v, w), 0.0), "3 個值"),
    (lambda x, y, v, w: (None, right_backward(x, y, v, w)[1]), "Δv 是 None"),
])
def test_backward_says_what_was_returned(answer, words):
    message = check_backward(answer).message
    assert words in message, message


def test_an_extra_axis_of_length_one_is_named():
    verdict = compare("∂L/∂β", np.ones((1, 3)), np.ones(3))
    assert "數值對" in verdict.where and "keepdims" in verdict.fix, verdict


def test_values_that_agree_to_six_digits_are_shown_with_more():
    verdict = compare("g", np.array([1.000002]), np.array([1.0]))  # 2e-6 apart: a wrong answer
    assert "g[0] = 1.000002，應該是 1（" in verdict.where, verdict.where


def test_more_batchnorm_and_central_difference_mistakes_are_named():
    def no_gamma(grad_out, x_hat, gamma, inv_std):
        return (grad_out - grad_out.mean(0) - x_hat * (grad_out * x_hat).mean(0)) * inv_std

    def sums(grad_out, x_hat, gamma, inv_std):
        d = grad_out * gamma
        return (d - d.sum(0) - x_hat * (d * x_hat).sum(0)) * inv_std

    def aliased(f, w, eps):
        grad = np.zeros_like(w)
        for index in np.ndindex(w.shape):
            w_plus, w_minus = w, w
            w_plus[index] += eps
            w_minus[index] -= eps
            grad[index] = (f(w_plus) - f(w_minus)) / (2 * eps)
        return grad

    assert "少了 γ" in check_batchnorm_backward(no_gamma).message
    assert "加總 (sum)" in check_batchnorm_backward(sums).message
    assert "全是 0" in check_central_difference(aliased).message


def test_an_unclipped_gradient_is_not_called_clipping_by_value():
    message = check_clip_by_norm(lambda g, c: g).message
    assert "沒有被剪" in message and "按值" not in message, message
    assert "按值剪" in check_clip_by_norm(lambda g, c: np.clip(g, -c, c)).message
