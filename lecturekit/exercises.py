"""Checkers for the notebooks' 動手做 (hands-on) cells.

A student writes a function; `check_…(student_function)` calls it on a few random cases, compares
with the reference implementation in lecturekit, and answers ✓, or ✗ and where the answer is wrong:
which array, which entry, how far off, or which known mistake it is (a flipped sign, a transpose,
a forgotten ½ or f′, f′ taken at the wrong value). It never raises: a student's exception is
reported too.

Hints come in two steps, so that a student first looks for the mistake. The first ✗ says WHERE;
running the cell again (a second ✗ in a row of the same checker), or `check_…(f, hint=True)`, adds
how to FIX it. A ✓ starts the count again. A function that still raises NotImplementedError (the
student edition's stub) gets one line on where to START.

Messages are in Traditional Chinese, with the English term in parentheses the first time, as in
the notebooks; `set_language("en")` switches them to English.
"""

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np

from .activations import get_activation
from .slide_net import SlideNet, hidden_delta, output_delta, weight_gradient

SIGMOID = get_activation("sigmoid")
CASES = 3  # random cases per check: one coincidence cannot pass
LANGUAGES = ("zh-TW", "en")

_settings = {"language": "zh-TW"}
_failed_tries = {}  # checker name → how many ✗ in a row; a ✓ sets it back to 0


def set_language(language):
    """Checker messages in "zh-TW" (the default) or "en"."""
    if not (isinstance(language, str) and language in LANGUAGES):
        raise ValueError(f"set_language: language must be one of {', '.join(map(repr, LANGUAGES))}, "
                         f"got {language!r}")
    _settings["language"] = language


def _t(zh, en):
    """The text in the language chosen by set_language."""
    return zh if _settings["language"] == "zh-TW" else en


@dataclass
class Verdict:
    """The answer of a checker; shown in a notebook as its message.

    `where` says what is wrong and `fix` how to correct it; the message holds the fix only from the
    second ✗ in a row on (or with hint=True).
    """

    ok: bool
    message: str
    where: str = ""
    fix: str = ""
    counts: bool = True  # a wrong answer; a stub or an exception is not one (no hint is used up)

    def __repr__(self):
        return self.message

    def __bool__(self):
        return self.ok


@dataclass(frozen=True)
class Mistake:
    """The two hints for one known wrong answer: WHERE it is wrong, how to FIX it."""

    where: str
    fix: str


def _mistake(where, fix):
    """A Mistake from two (zh-TW, English) pairs, in the current language."""
    return Mistake(_t(*where), _t(*fix))


def _wrong(where, fix=""):
    return Verdict(False, where, where, fix)


def _right(message):
    return Verdict(True, message)


#: The mistakes `compare` finds in any answer; a checker may give its own FIX for each.
GENERIC = ("transpose", "shape", "sign", "factor", "entry")


def _generic_fix(kind, shape):
    return {
        "transpose": _t(f"答案要是 {shape} 的形狀：對調外積 (outer product) 或矩陣乘法兩邊的順序",
                        f"the answer must have shape {shape}: swap the two sides of the outer or "
                        f"matrix product"),
        "shape": _t("把每一步的 .shape 印出來：@ 是矩陣乘法，* 是逐元素相乘，np.outer 是外積 (outer product)",
                    "print the .shape of each step: @ is the matrix product, * multiplies entry by "
                    "entry, np.outer is the outer product"),
        "sign": _t("找出正負號寫反的那一項，例如 y − ŷ 和 ŷ − y",
                   "find the term whose sign is flipped, e.g. y − ŷ instead of ŷ − y"),
        "factor": _t("找出多乘或少乘的那個 2（或 ½）", "find the 2 (or ½) that is extra or missing"),
        "entry": _t("把中間值一個一個印出來，和公式逐項比對，找出第一個算錯的",
                    "print the intermediate values one by one and compare each with the formula to "
                    "find the first that goes wrong"),
    }[kind]


def _close(a, b):
    """Same shape and equal to ~6 significant digits."""
    return np.shape(a) == np.shape(b) and np.allclose(a, b, rtol=1e-6, atol=1e-9)


def _as_floats(name, got):
    """(the answer as a float64 array, None), or (None, the Verdict on why it is not one)."""
    if got is None:
        return None, _wrong(_t(f"✗ {name}：你的函式回傳了 None，是不是忘了寫 return？",
                               f"✗ {name}: your function returned None — did you forget `return`?"),
                            _t("在函式最後加上 return 和你算出的答案",
                               "end the function with `return` and your answer"))
    try:
        raw = np.asarray(got)
        if raw.dtype.kind == "c":
            return None, _wrong(_t(f"✗ {name}：答案應該是實數，你回傳了複數 (complex, {raw.dtype})",
                                   f"✗ {name}: expected real numbers, got complex ones ({raw.dtype})"),
                                _t("找出哪一步產生了虛數（例如 1j，或對負數開根號）",
                                   "find the step that made an imaginary part (a 1j, or a root of a "
                                   "negative number)"))
        with np.errstate(over="ignore"):  # a number beyond float64 (a longdouble 1e400) becomes inf
            return raw.astype(np.float64), None
    except (TypeError, ValueError, OverflowError):
        return None, _wrong(_t(f"✗ {name}：答案應該是數字的陣列 (array)，你回傳了 {type(got).__name__}",
                               f"✗ {name}: expected an array of float numbers, got {type(got).__name__}"),
                            _t("回傳 numpy 陣列，例如 np.array(…) 或 numpy 運算的結果",
                               "return a numpy array, e.g. np.array(…) or the result of numpy operations"))


def compare(name, got, expected, known_mistakes=(), fixes=None):
    """Verdict on one answer `got` for the array `expected`.

    known_mistakes: (wrong answer, Mistake) pairs to recognise first. Then the generic mistakes
    (GENERIC): transposed, wrong shape, wrong sign, a factor of 2 or ½, some entries off; `fixes`
    maps any of them to the exercise's own FIX text (a forgotten ½ is a factor of 2).
    """
    try:
        expected = np.asarray(expected)
    except ValueError:  # a ragged list
        expected = np.asarray(None)
    if expected.dtype.kind not in "fiu":
        raise TypeError(f"compare: expected must be an array of real numbers, got dtype {expected.dtype}")
    expected = expected.astype(np.float64)
    if not (isinstance(known_mistakes, (list, tuple))
            and all(isinstance(pair, tuple) and len(pair) == 2 and isinstance(pair[1], Mistake)
                    for pair in known_mistakes)):
        raise TypeError("compare: known_mistakes must be a list of (wrong answer, Mistake) pairs")
    fixes = {} if fixes is None else fixes
    if not (isinstance(fixes, dict) and set(fixes) <= set(GENERIC)):
        raise TypeError(f"compare: fixes must be a dict whose keys are among {', '.join(GENERIC)}")
    got, refused = _as_floats(name, got)
    if refused is not None:
        return refused
    colon = _t("：", ": ")
    for wrong, mistake in known_mistakes:
        if _close(got, wrong) and not _close(wrong, expected):
            return _wrong(f"✗ {name}{colon}{mistake.where}", mistake.fix)

    def fix(kind):
        return fixes.get(kind) or _generic_fix(kind, expected.shape)

    if got.shape != expected.shape:
        if _close(got.T, expected):
            return _wrong(_t(f"✗ {name} 轉置 (transposed) 了：形狀是 {got.shape}，應該是 {expected.shape}；"
                             f"數值對，排列錯",
                             f"✗ {name} is transposed: shape {got.shape}, expected {expected.shape}; "
                             f"the right values in the wrong layout"), fix("transpose"))
        only_axes_of_one = np.squeeze(got).shape == np.squeeze(expected).shape
        if only_axes_of_one and _close(got.reshape(expected.shape), expected):
            return _wrong(_t(f"✗ {name} 的數值對，形狀 (shape) 是 {got.shape}，應該是 {expected.shape}",
                             f"✗ {name} has the right values in shape {got.shape}, expected "
                             f"{expected.shape}"),
                          _t("去掉多出來的長度 1 的維度：加總或平均時不要寫 keepdims=True，或在最後 .reshape"
                             f"{expected.shape}",
                             f"drop the extra axis of length 1: no keepdims=True in the sum or mean, "
                             f"or .reshape{expected.shape} at the end"))
        return _wrong(_t(f"✗ {name} 的形狀 (shape) 是 {got.shape}，應該是 {expected.shape}",
                         f"✗ {name} has shape {got.shape}, expected {expected.shape}"), fix("shape"))
    if _close(got, expected):
        return _right(_t(f"✓ {name} 對了", f"✓ {name} is right"))
    if _close(got, -expected):
        return _wrong(_t(f"✗ {name} 的符號 (sign) 錯了：每個元素都是正確值的 −1 倍",
                         f"✗ {name} has the wrong sign: every entry is −1 × the right one"), fix("sign"))
    for factor, word in ((2.0, "2"), (0.5, "½")):
        if _close(got, factor * expected):
            return _wrong(_t(f"✗ {name} 的每個元素都是正確值的 {word} 倍：差了 2 倍 (a factor of 2)",
                             f"✗ {name} is off by a factor of 2: every entry is {word} × the right one"),
                          fix("factor"))
    if got.ndim == 2 and _close(got.T, expected):
        return _wrong(_t(f"✗ {name} 轉置 (transposed) 了：[i, j] 的值應該放在 [j, i]",
                         f"✗ {name} is transposed: entry [i, j] belongs at [j, i]"), fix("transpose"))
    diff = np.abs(got - expected)
    where = np.unravel_index(np.argmax(diff), diff.shape)
    wrong = int(np.sum(~np.isclose(got, expected, rtol=1e-6, atol=1e-9)))
    index = f"[{', '.join(str(int(i)) for i in where)}]" if where else ""
    digits = 6 if f"{got[where]:.6g}" != f"{expected[where]:.6g}" else 12  # show where they differ
    got_text, expected_text = f"{got[where]:.{digits}g}", f"{expected[where]:.{digits}g}"
    return _wrong(_t(f"✗ {name}{index} = {got_text}，應該是 {expected_text}"
                     f"（差了 {diff[where]:.3g}）；{expected.size} 個元素中有 {wrong} 個錯了",
                     f"✗ {name}{index} = {got_text}, expected {expected_text} "
                     f"(off by {diff[where]:.3g}); {wrong} of {expected.size} entries are wrong"),
                  fix("entry"))


def _expect(name, expected, known=(), fixes=None):
    """A judge of one answer: the student's result → Verdict."""
    return lambda got: compare(name, got, expected, known, fixes)


def _run(checker, name, student_function, make_case, arg_names, start, hint):
    """Call the student's function on CASES random cases; the first ✗ is the verdict, shown with
    the hints this try deserves. make_case(rng) → (arguments, judge of the result)."""
    if not isinstance(hint, (bool, np.bool_)):
        raise TypeError(f"{checker}: hint must be True or False, got {hint!r}")
    function_name = getattr(student_function, "__name__", "")
    function_name = function_name if function_name.isidentifier() else "f"
    verdict = _first_failure(name, student_function, make_case, arg_names, start, function_name)
    if verdict.ok:
        _failed_tries[checker] = 0
        return verdict
    if not verdict.counts:  # a stub or a crash: the student has not answered yet
        return verdict
    _failed_tries[checker] = _failed_tries.get(checker, 0) + 1
    if not verdict.fix:
        return verdict
    if hint or _failed_tries[checker] >= 2:
        more = _t(f"  怎麼改 (fix)：{verdict.fix}", f"  How to fix it: {verdict.fix}")
    else:
        call = f"{checker}({function_name}, hint=True)"
        more = _t(f"  再執行一次這一格（或 {call}）會告訴你怎麼改。",
                  f"  Run this cell again (or {call}) to see how to fix it.")
    return replace(verdict, message=f"{verdict.where}\n{more}")


def _first_failure(name, student_function, make_case, arg_names, start, function_name):
    """The first ✗ over the random cases (WHERE and FIX, no hint line yet), or the ✓."""
    for seed in range(CASES):
        args, judge = make_case(np.random.default_rng(seed))
        try:
            got = student_function(*args)
        except NotImplementedError:
            message = _t(f"✗ {function_name}：還沒寫 (not implemented)。\n  從這裡開始 (start)：{start}",
                         f"✗ {function_name}: not implemented yet.\n  Where to start: {start}")
            return Verdict(False, message, message, counts=False)
        except Exception as error:
            shapes = ", ".join(f"{arg} {np.shape(a)}" for arg, a in zip(arg_names, args, strict=True))
            message = _t(f"✗ {name}：你的函式丟出了 (raised) {type(error).__name__}：{_said(error)}\n"
                         f"  （呼叫時各引數的形狀：{shapes}）",
                         f"✗ {name}: your function raised {type(error).__name__}: {_said(error)}\n"
                         f"  (it was called with the shapes {shapes})")
            advice = _exception_advice(error)
            if advice:
                message += "\n" + _t(f"  提示 (hint)：{advice}", f"  Hint: {advice}")
            return Verdict(False, message, message, counts=False)
        try:
            verdict = judge(got)
        except Exception as error:  # an answer so odd that reading it fails: the checker never raises
            return _wrong(_t(f"✗ {name}：你的函式回傳的不是數字的陣列（{type(got).__name__}；"
                             f"讀它時發生 {type(error).__name__}）",
                             f"✗ {name}: your function returned something that is not an array of "
                             f"numbers ({type(got).__name__}; reading it raised {type(error).__name__})"))
        if not verdict.ok:
            return verdict
    return _right(_t(f"✓ {name} 對了：{CASES} 個隨機例子都通過",
                     f"✓ {name} is right on {CASES} random cases"))


def _exception_advice(error):
    """One line for the exceptions students meet most: a name not imported, shapes that do not fit."""
    said = _said(error)
    if isinstance(error, NameError):
        return _t("這個名字在這一格還沒有定義：是不是少了 import（例如 from lecturekit.activations import "
                  "sigmoid），或拼錯了？",
                  "that name is not defined in this cell: a missing import (e.g. from "
                  "lecturekit.activations import sigmoid), or a typo?")
    if isinstance(error, ValueError) and ("mismatch" in said or "broadcast" in said or "aligned" in said):
        return _t("形狀對不上：把每一步的 .shape 印出來。一維陣列的 .T 不會變成直行；兩個向量的外積 "
                  "(outer product) 用 np.outer(a, b)",
                  "the shapes do not fit: print each step's .shape. The .T of a 1-D array is the same "
                  "array; the outer product of two vectors is np.outer(a, b)")
    return ""


def _said(error):
    """What an exception says, even if its own __str__ fails."""
    try:
        return str(error)
    except Exception:
        return _t("（它的訊息無法顯示）", "(its message cannot be shown)")


def _slide_case(rng):
    net = SlideNet.random(rng)
    x, y = rng.standard_normal(2), rng.uniform(size=2)
    return net, net.forward(x), y


def _sigmoid_prime(a):
    return SIGMOID.f(a) * (1 - SIGMOID.f(a))


def _wrong_derivatives(f, before, after, before_value, after_value):
    """What a student may use in place of f′(before) for a sigmoid layer `after` = f(`before`),
    with its hints: f′(after), the formula after(1 − after) fed `before`, and no f′ at all.
    f, before, after are names as printed (f₂, z, ŷ or f₁, s, h); returns (values, Mistake) pairs."""
    return [
        (_sigmoid_prime(after_value), _mistake(
            (f"{f}′ 代錯了值：你算的是 {f}′({after}) = σ({after})(1 − σ({after}))，應該是 {f}′({before})",
             f"{f}′ is taken at the wrong value: you computed {f}′({after}) = σ({after})(1 − σ({after})), "
             f"not {f}′({before})"),
            (f"{f}′ 要代激勵前的值 {before}：{f}′({before}) = σ({before})(1 − σ({before}))，也就是 "
             f"{after}(1 − {after})",
             f"{f}′ takes the value before the activation, {before}: {f}′({before}) = "
             f"σ({before})(1 − σ({before})), which is {after}(1 − {after})"))),
        (before_value * (1 - before_value), _mistake(
            (f"{f}′ 代錯了值：{after}(1 − {after}) 這個式子裡放的是 {before}，成了 {before}(1 − {before})",
             f"{f}′ is taken at the wrong value: the formula {after}(1 − {after}) was given {before}, "
             f"making {before}(1 − {before})"),
            (f"{f}′({before}) = {after}(1 − {after}) 是用輸出 {after} 寫的；用 {before} 寫是 "
             f"σ({before})(1 − σ({before}))",
             f"{f}′({before}) = {after}(1 − {after}) is written with the output {after}; in terms of "
             f"{before} it is σ({before})(1 − σ({before}))"))),
        (np.ones_like(before_value), _mistake(
            (f"少了 {f}′({before}) 這一項",
             f"the factor {f}′({before}) is missing"),
            (f"{after} = {f}({before})，連鎖律 (chain rule) 還要乘上 ∂{after}/∂{before} = {f}′({before})；"
             f"sigmoid 的 {f}′({before}) = {after}(1 − {after})",
             f"{after} = {f}({before}), so the chain rule multiplies by ∂{after}/∂{before} = {f}′({before}); "
             f"for the sigmoid {f}′({before}) = {after}(1 − {after})"))),
    ]


def _slide_sign_fix():
    return _t("∂loss/∂ŷ = ŷ − y，不是投影片上的 y − ŷ；用 y − ŷ 的話，w − αΔw 會讓 loss 變大",
              "∂loss/∂ŷ = ŷ − y, not the slide's y − ŷ; with y − ŷ, w − αΔw would make the loss grow")


def _half_fix():
    return _t("loss = ½(y − ŷ)ᵀ(y − ŷ) 的 ½ 會消掉平方微分出來的 2：∂loss/∂ŷ = ŷ − y，前面沒有係數",
              "the ½ of loss = ½(y − ŷ)ᵀ(y − ŷ) cancels the 2 from differentiating the square: "
              "∂loss/∂ŷ = ŷ − y, with no factor in front")


def check_forward(student_function, hint=False):
    """student_function(x, v, w) → ŷ of the 2-3-2 net with f₁ = f₂ = sigmoid (slide 01)."""

    def case(rng):
        net, fw, _ = _slide_case(rng)
        known = [
            (net.w.T @ (net.v.T @ fw.x), _mistake(
                ("兩個激勵函數 (activation) 都沒有套：h = f₁(s) 和 ŷ = f₂(z) 都少了",
                 "both activations are missing: h = f₁(s) and ŷ = f₂(z)"),
                ("s = vᵀx 之後取 h = sigmoid(s)，z = wᵀh 之後取 ŷ = sigmoid(z)",
                 "after s = vᵀx take h = sigmoid(s); after z = wᵀh take ŷ = sigmoid(z)"))),
            (net.w.T @ fw.h, _mistake(
                ("輸出層少了激勵函數 (activation)：你回傳的是 z，不是 ŷ = f₂(z)",
                 "the output activation is missing: you returned z, not ŷ = f₂(z)"),
                ("最後一步是 ŷ = f₂(z) = sigmoid(z)", "the last step is ŷ = f₂(z) = sigmoid(z)"))),
            (SIGMOID.f(net.w.T @ (net.v.T @ fw.x)), _mistake(
                ("隱藏層少了激勵函數 (activation)：z 是用 s 算的，不是用 h = f₁(s)",
                 "the hidden activation is missing: z was computed from s, not from h = f₁(s)"),
                ("先取 h = sigmoid(s)，再算 z = wᵀh", "take h = sigmoid(s) first, then z = wᵀh"))),
        ]
        return (fw.x, net.v.copy(), net.w.copy()), _expect("ŷ", fw.y_hat, known)

    start = _t("先算 s = vᵀx（numpy 寫成 v.T @ x），再算 h = f₁(s) = sigmoid(s)",
               "compute s = vᵀx first (in numpy v.T @ x), then h = f₁(s) = sigmoid(s)")
    return _run("check_forward", "ŷ", student_function, case, ("x", "v", "w"), start, hint)


def check_gradient_step(student_function, hint=False):
    """student_function(w, gradient, learning_rate) → w(t+1) = w(t) − α∇w (slide 02)."""

    def case(rng):
        w, gradient, rate = rng.standard_normal(3), rng.standard_normal(3), rng.uniform(0.05, 0.5)
        known = [
            (w + rate * gradient, _mistake(
                ("往上坡走了：你算的是 w + α∇w", "you stepped uphill: you computed w + α∇w"),
                ("梯度 (gradient) 指向 loss 增加最快的方向，要往反方向走：w − α∇w",
                 "the gradient points where the loss grows fastest; step the other way: w − α∇w"))),
            (w - gradient, _mistake(
                ("少了學習率 (learning rate) α：你算的是 w − ∇w",
                 "the learning rate α is missing: you computed w − ∇w"),
                ("梯度先乘上 learning_rate 再減：w − α∇w",
                 "multiply the gradient by learning_rate before subtracting: w − α∇w"))),
            (-rate * gradient, _mistake(
                ("你回傳的是這一步的變化量 −α∇w，不是新的 w", "you returned the change −α∇w, not the new w"),
                ("把它加到原來的 w 上：w − α∇w", "add it to the old w: w − α∇w"))),
        ]
        return (w.copy(), gradient.copy(), rate), _expect("w(t+1)", w - rate * gradient, known)

    start = _t("新的 w 是從舊的 w 往梯度 (gradient) 的反方向走一步，步長是 learning_rate 倍的梯度",
               "the new w is the old w moved against the gradient, by learning_rate times the gradient")
    return _run("check_gradient_step", "w(t+1)", student_function, case,
                ("w", "gradient", "learning_rate"), start, hint)


def check_output_delta(student_function, hint=False):
    """student_function(y_hat, y, z) → δ_z = ∂loss/∂z = (ŷ − y) ⊙ f₂′(z), f₂ = sigmoid (slide 03)."""

    def case(rng):
        net, fw, y = _slide_case(rng)
        expected = output_delta(fw.y_hat, y, fw.z, net.f2)
        known = [((fw.y_hat - y) * wrong, mistake)
                 for wrong, mistake in _wrong_derivatives("f₂", "z", "ŷ", fw.z, fw.y_hat)]
        known.append((y - fw.y_hat, _mistake(
            ("少了 f₂′(z) 這一項，符號 (sign) 也錯了：你回傳的是 y − ŷ",
             "the factor f₂′(z) is missing and the sign is wrong: you returned y − ŷ"),
            ("δ_z = (ŷ − y) ⊙ f₂′(z)：先 ŷ − y（不是投影片上的 y − ŷ），再乘 f₂′(z) = ŷ(1 − ŷ)",
             "δ_z = (ŷ − y) ⊙ f₂′(z): first ŷ − y (not the slide's y − ŷ), then times f₂′(z) = ŷ(1 − ŷ)"))))
        fixes = {"sign": _slide_sign_fix(), "factor": _half_fix()}
        return (fw.y_hat, y, fw.z), _expect("δ_z", expected, known, fixes)

    start = _t("先算 ∂loss/∂ŷ = ŷ − y，再逐元素乘上 f₂′(z)",
               "compute ∂loss/∂ŷ = ŷ − y first, then multiply it entry by entry by f₂′(z)")
    return _run("check_output_delta", "δ_z", student_function, case, ("y_hat", "y", "z"), start, hint)


def check_grad_w(student_function, hint=False):
    """student_function(h, delta_z) → Δw = h δ_zᵀ, shape (3, 2) like w (slide 03)."""

    def case(rng):
        net, fw, y = _slide_case(rng)
        delta_z = output_delta(fw.y_hat, y, fw.z, net.f2)
        fixes = {
            "transpose": _t("Δw 要和 w 一樣是 (3, 2)：np.outer(h, delta_z)，h 在前",
                            "Δw must have w's shape (3, 2): np.outer(h, delta_z), h first"),
            "sign": _t("δ_z 已經帶著正確的符號：Δw = h δ_zᵀ，不用再加負號",
                       "δ_z already carries the right sign: Δw = h δ_zᵀ, with no extra minus"),
            "factor": _t("½ 已經在 δ_z 裡和 2 消掉了：Δw = h δ_zᵀ，前面沒有係數",
                         "the ½ already cancelled the 2 inside δ_z: Δw = h δ_zᵀ, with no factor in front"),
        }
        return (fw.h, delta_z), _expect("Δw", weight_gradient(fw.h, delta_z), fixes=fixes)

    start = _t("Δw 的第 [i, j] 個元素是 h[i]·δ_z[j]：h 和 δ_z 的外積 (outer product)",
               "entry [i, j] of Δw is h[i]·δ_z[j]: the outer product of h and δ_z")
    return _run("check_grad_w", "Δw", student_function, case, ("h", "delta_z"), start, hint)


def _hidden_fixes():
    return {
        "transpose": _t("Δv 要和 v 一樣是 (2, 3)：np.outer(x, delta_s)，x 在前",
                        "Δv must have v's shape (2, 3): np.outer(x, delta_s), x first"),
        "sign": _t("δ_z 已經帶著正確的符號：δ_s = (w δ_z) ⊙ f₁′(s) 和 Δv = x δ_sᵀ 都不用再加負號",
                   "δ_z already carries the right sign: δ_s = (w δ_z) ⊙ f₁′(s) and Δv = x δ_sᵀ need "
                   "no extra minus"),
        "factor": _t("½ 已經在 δ_z 裡和 2 消掉了：δ_s = (w δ_z) ⊙ f₁′(s)、Δv = x δ_sᵀ，前面都沒有係數",
                     "the ½ already cancelled the 2 inside δ_z: δ_s = (w δ_z) ⊙ f₁′(s) and "
                     "Δv = x δ_sᵀ have no factor in front"),
    }


def check_grad_v(student_function, hint=False):
    """student_function(x, w, delta_z, s) → Δv = x δ_sᵀ with δ_s = (w δ_z) ⊙ f₁′(s),
    f₁ = sigmoid, shape (2, 3) like v (slide 03)."""

    def case(rng):
        net, fw, y = _slide_case(rng)
        delta_z = output_delta(fw.y_hat, y, fw.z, net.f2)
        delta_s = hidden_delta(net.w, delta_z, fw.s, fw.h, net.f1)
        known = [(weight_gradient(fw.x, (net.w @ delta_z) * wrong), mistake)
                 for wrong, mistake in _wrong_derivatives("f₁", "s", "h", fw.s, fw.h)]
        return ((fw.x, net.w.copy(), delta_z, fw.s),
                _expect("Δv", weight_gradient(fw.x, delta_s), known, _hidden_fixes()))

    start = _t("先算 δ_s = (w δ_z) ⊙ f₁′(s)，再取 x 和 δ_s 的外積 (outer product)",
               "compute δ_s = (w δ_z) ⊙ f₁′(s) first, then the outer product of x and δ_s")
    return _run("check_grad_v", "Δv", student_function, case, ("x", "w", "delta_z", "s"), start, hint)


def check_backward(student_function, hint=False):
    """student_function(x, y, v, w) → (Δv, Δw) of the 2-3-2 net, f₁ = f₂ = sigmoid, loss
    ½(y − ŷ)ᵀ(y − ŷ): the whole backward pass of the slides (SlideNet.backward). Δw is checked
    first, as backward computes it first."""

    def case(rng):
        net, fw, y = _slide_case(rng)
        grads = net.backward(fw, y)
        known_w = [(weight_gradient(fw.h, (fw.y_hat - y) * wrong), mistake)
                   for wrong, mistake in _wrong_derivatives("f₂", "z", "ŷ", fw.z, fw.y_hat)]
        known_v = [(weight_gradient(fw.x, (net.w @ grads.delta_z) * wrong), mistake)
                   for wrong, mistake in _wrong_derivatives("f₁", "s", "h", fw.s, fw.h)]
        fixes_w = {"sign": _slide_sign_fix(), "factor": _half_fix(),
                   "transpose": _t("Δw 要和 w 一樣是 (3, 2)：np.outer(h, delta_z)，h 在前",
                                   "Δw must have w's shape (3, 2): np.outer(h, delta_z), h first")}

        def judge(got):
            if not (isinstance(got, (tuple, list)) and len(got) == 2):
                what = (_t(f"{len(got)} 個值", f"{len(got)} values") if isinstance(got, (tuple, list))
                        else type(got).__name__)
                return _wrong(_t(f"✗ 要回傳兩個陣列 (Δv, Δw)，你回傳的是 {what}",
                                 f"✗ return two arrays (Δv, Δw); you returned {what}"),
                              _t("最後一行寫 return grad_v, grad_w", "end with return grad_v, grad_w"))
            for label, answer in zip(("Δv", "Δw"), got, strict=True):
                if answer is None:
                    return _wrong(_t(f"✗ 你回傳的 {label} 是 None", f"✗ the {label} you returned is None"),
                                  _t(f"檢查算 {label} 的那一行有沒有把結果存起來",
                                     f"check that the line computing {label} keeps its result"))
            got_v, got_w = (_as_floats("", a)[0] for a in got)
            if (np.shape(got_v) == grads.grad_w.shape != grads.grad_v.shape
                    and np.shape(got_w) == grads.grad_v.shape):
                return _wrong(_t("✗ 回傳的順序反了：形狀看起來是 (Δw, Δv)，應該是 (Δv, Δw)",
                                 "✗ the two look swapped: their shapes are (Δw, Δv)'s, not (Δv, Δw)'s"),
                              _t("照 (Δv, Δw) 的順序回傳：return grad_v, grad_w",
                                 "return them in the order (Δv, Δw): return grad_v, grad_w"))
            verdict = compare("Δw", got[1], grads.grad_w, known_w, fixes_w)
            if not verdict.ok:
                return verdict
            verdict = compare("Δv", got[0], grads.grad_v, known_v, _hidden_fixes())
            if not verdict.ok:
                where = verdict.where + _t("（Δw 是對的）", " (Δw is right)")
                return replace(verdict, where=where, message=where)
            return _right(_t("✓ Δw 和 Δv 都對了", "✓ Δw and Δv are right"))

        return (fw.x, y, net.v.copy(), net.w.copy()), judge

    start = _t("照 forward 算出 s、h、z、ŷ，再倒著算：δ_z、Δw、δ_s、Δv",
               "run the forward pass for s, h, z and ŷ, then go backward: δ_z, Δw, δ_s, Δv")
    return _run("check_backward", "(Δv, Δw)", student_function, case, ("x", "y", "v", "w"), start, hint)


def _bumpy(a, b):
    """A smooth f(w) that is not quadratic, so a one-sided difference is visibly off for it."""

    def f(w):
        return float(np.sum(np.sin(a * w)) + np.sum(b * w) ** 3 / 6)

    return f


def check_central_difference(student_function, hint=False):
    """student_function(f, w, eps) → an array shaped like w whose entry i is the central
    difference (f(w + ε eᵢ) − f(w − ε eᵢ)) / 2ε; f takes an array like w and returns a number.
    After the call, w must be as it was (notebook 03)."""
    from .gradcheck import numerical_gradient

    def case(rng):
        a, b, w = rng.uniform(0.5, 2.0, (2, 3)), rng.standard_normal((2, 3)), rng.standard_normal((2, 3))
        f, eps = _bumpy(a, b), 1e-3
        nudged, given = w.copy(), w.copy()
        expected = numerical_gradient(lambda: f(nudged), nudged, eps)
        one_sided = np.zeros_like(w)
        back_sided = np.zeros_like(w)
        for index in np.ndindex(w.shape):
            step = np.zeros_like(w)
            step[index] = eps
            one_sided[index] = (f(w + step) - f(w)) / eps
            back_sided[index] = (f(w) - f(w - step)) / eps
        central_fix = ("中央差分 (central difference) 兩邊都要走：(f(w + εeᵢ) − f(w − εeᵢ)) / 2ε，"
                       "誤差只有 O(ε²)",
                       "step both ways: the central difference (f(w + εeᵢ) − f(w − εeᵢ)) / 2ε has an "
                       "error of only O(ε²)")
        known = [
            (one_sided, _mistake(("這是單邊差分 (one-sided difference) (f(w + εeᵢ) − f(w)) / ε，誤差是 O(ε)",
                                  "that is the one-sided difference (f(w + εeᵢ) − f(w)) / ε, whose error "
                                  "is O(ε)"), central_fix)),
            (back_sided, _mistake(("這是單邊差分 (one-sided difference) (f(w) − f(w − εeᵢ)) / ε，誤差是 O(ε)",
                                   "that is the one-sided difference (f(w) − f(w − εeᵢ)) / ε, whose error "
                                   "is O(ε)"), central_fix)),
        ]
        fixes = {
            "factor": _t("從 w − εeᵢ 到 w + εeᵢ 相差 2ε：要除以 2ε，不是 ε",
                         "from w − εeᵢ to w + εeᵢ is a distance of 2ε: divide by 2ε, not by ε"),
            "sign": _t("先 f(w + εeᵢ)，再減 f(w − εeᵢ)", "take f(w + εeᵢ) minus f(w − εeᵢ), in that order"),
            "shape": _t("答案要和 w 同形狀：grad = np.zeros_like(w)，用 np.ndindex(w.shape) 走過每個元素",
                        "the answer has w's shape: grad = np.zeros_like(w), and np.ndindex(w.shape) "
                        "visits every entry"),
        }

        def judge(got):
            if not (given.shape == w.shape and np.allclose(given, w, rtol=1e-12, atol=1e-15)):
                return _wrong(_t("✗ 呼叫之後 w 變了：你的函式改了 w，卻沒有改回來",
                                 "✗ w has changed after the call: your function nudged w and did not "
                                 "put it back"),
                              _t("先記下 original = w[index]，兩次 f 都算完後寫 w[index] = original"
                                 "（或在 w.copy() 上改）",
                                 "keep original = w[index] and set w[index] = original after both calls "
                                 "of f (or nudge a w.copy())"))
            if np.shape(got) == w.shape and not np.any(got):
                return _wrong(_t("✗ ∂f/∂w 全是 0：f(w + εeᵢ) 和 f(w − εeᵢ) 算出來一樣",
                                 "✗ ∂f/∂w is all zeros: f(w + εeᵢ) and f(w − εeᵢ) came out equal"),
                              _t("w_plus = w 不會複製，兩個名字指向同一個陣列：用 w.copy()，或在改 w[index] "
                                 "之後立刻算 f(w)",
                                 "w_plus = w copies nothing, both names are the same array: use w.copy(), "
                                 "or call f(w) right after changing w[index]"))
            return compare("∂f/∂w", got, expected, known, fixes)

        return (f, given, eps), judge

    start = _t("建一個 grad = np.zeros_like(w)；對每一個 index（np.ndindex(w.shape)），把 w[index] 加 ε "
               "算一次 f、減 ε 再算一次 f",
               "make grad = np.zeros_like(w); for each index (np.ndindex(w.shape)) evaluate f with "
               "w[index] raised by ε, and again with it lowered by ε")
    return _run("check_central_difference", "∂f/∂w", student_function, case, ("f", "w", "eps"), start, hint)


def check_sigmoid_derivative(student_function, hint=False):
    """student_function(s) → σ′(s) = σ(s)(1 − σ(s)), elementwise (notebook 04)."""

    def case(rng):
        s = 3 * rng.standard_normal(6)
        h = SIGMOID.f(s)
        known = [
            (h, _mistake(("這是 σ(s) 本身，不是它的導數 (derivative)",
                          "that is σ(s) itself, not its derivative"),
                         ("它的導數是 σ′(s) = σ(s)(1 − σ(s))", "its derivative is σ′(s) = σ(s)(1 − σ(s))"))),
            (s * (1 - s), _mistake(("公式代錯了值：你算的是 s(1 − s)",
                                    "the formula was given the wrong value: you computed s(1 − s)"),
                                   ("h(1 − h) 裡的 h 是 σ(s)，不是 s：σ′(s) = σ(s)(1 − σ(s))",
                                    "the h of h(1 − h) is σ(s), not s: σ′(s) = σ(s)(1 − σ(s))"))),
            (h * (1 + h), _mistake(("你算的是 σ(s)(1 + σ(s))：有一個正負號 (sign) 錯了",
                                    "you computed σ(s)(1 + σ(s)): one sign is wrong"),
                                   ("σ′(s) = σ(s)(1 − σ(s))：是減號，不是加號",
                                    "σ′(s) = σ(s)(1 − σ(s)): a minus, not a plus"))),
        ]
        return (s,), _expect("σ′(s)", h * (1 - h), known)

    start = _t("先算 h = σ(s)，再把導數寫成 h 的式子",
               "compute h = σ(s) first, then write the derivative with h")
    return _run("check_sigmoid_derivative", "σ′(s)", student_function, case, ("s",), start, hint)


def check_relu_backward(student_function, hint=False):
    """student_function(s, grad_h) → ∂L/∂s = ∂L/∂h ⊙ 1[s > 0] for h = ReLU(s) (notebook 05)."""

    def case(rng):
        s, grad_h = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
        known = [
            (grad_h, _mistake(("∂L/∂h 原封不動地傳下去了：沒有乘上 ReLU′(s)",
                               "∂L/∂h was passed on unchanged: ReLU′(s) is missing"),
                              ("s ≤ 0 的地方 ReLU′ 是 0：grad_h * (s > 0)",
                               "ReLU′ is 0 where s ≤ 0: grad_h * (s > 0)"))),
            (grad_h * np.maximum(s, 0), _mistake(("乘的是 ReLU(s)，不是 ReLU′(s)",
                                                  "you multiplied by ReLU(s), not by ReLU′(s)"),
                                                 ("ReLU′(s) = 1[s > 0]：grad_h * (s > 0)",
                                                  "ReLU′(s) = 1[s > 0]: grad_h * (s > 0)"))),
            ((s > 0).astype(float), _mistake(("只有 ReLU′(s)，少了從後面傳來的 ∂L/∂h",
                                              "that is ReLU′(s) alone: the incoming ∂L/∂h is missing"),
                                             ("連鎖律 (chain rule)：∂L/∂s = ∂L/∂h ⊙ ReLU′(s)",
                                              "chain rule: ∂L/∂s = ∂L/∂h ⊙ ReLU′(s)"))),
        ]
        return (s, grad_h), _expect("∂L/∂s", grad_h * (s > 0), known)

    start = _t("ReLU′(s) 在 s > 0 的地方是 1、其他地方是 0：(s > 0) 就是它",
               "ReLU′(s) is 1 where s > 0 and 0 elsewhere: (s > 0) is exactly that")
    return _run("check_relu_backward", "∂L/∂s", student_function, case, ("s", "grad_h"), start, hint)


def check_clip_by_norm(student_function, hint=False):
    """student_function(g, c) → g · min(1, c/‖g‖): length at most c, direction kept (notebook 06)."""

    def case(rng):
        g = rng.standard_normal(5)
        norm = np.linalg.norm(g)
        # Some gradients shorter than c, some longer; at c = 0.3‖g‖ some entry exceeds c (the
        # largest |gᵢ| is at least ‖g‖/√5), so clipping by value differs from leaving g alone.
        c = norm * (0.5, 2.0, 0.3)[int(rng.integers(3))]
        expected = g * min(1.0, c / norm)
        known = [
            (g, _mistake(("g 沒有被剪：‖g‖ 比 c 長，答案卻和 g 一樣", "g was not clipped: ‖g‖ is longer "
                          "than c, yet the answer equals g"),
                         ("‖g‖ > c 時把整個向量縮到長度 c：g · c/‖g‖",
                          "when ‖g‖ > c, scale the whole vector to length c: g · c/‖g‖"))),
            (np.clip(g, -c, c), _mistake(("這是按值剪 (clip by value)：每個元素各自剪到 [−c, c]，方向會變",
                                          "that is clipping by value: each entry cut to [−c, c], which can "
                                          "turn the direction"),
                                         ("整個向量一起縮放：g · min(1, c/‖g‖)",
                                          "scale the whole vector at once: g · min(1, c/‖g‖)"))),
            (g * c / norm, _mistake(("‖g‖ 比 c 短的時候也縮放了（被拉長到 c）",
                                     "a gradient shorter than c was rescaled too (stretched to length c)"),
                                    ("只有 ‖g‖ > c 才縮：g · min(1, c/‖g‖)",
                                     "scale only when ‖g‖ > c: g · min(1, c/‖g‖)"))),
        ]
        return (g, c), _expect("clipped g", expected, known)

    start = _t("先算長度 ‖g‖ = np.linalg.norm(g)，再和 c 比較",
               "compute the length ‖g‖ = np.linalg.norm(g), then compare it with c")
    return _run("check_clip_by_norm", "clipped g", student_function, case, ("g", "c"), start, hint)


def check_shortcut_gradient(student_function, hint=False):
    """student_function(w, x, y) → ∂E/∂w for E = (wx + x − y)², the residual one-weight layer of
    the slides: 2(wx − y)x + 2x² (notebook 07)."""
    from . import scalar_resnet

    def case(rng):
        w, x, y = rng.standard_normal(3)
        known = [
            (scalar_resnet.gradient(w, x, y, shortcut=False), _mistake(
                ("這是沒有 shortcut 的梯度 2(wx − y)x",
                 "that is the gradient without the shortcut, 2(wx − y)x"),
                ("ŷ = wx + x 多了一個 x：2(wx + x − y)x = 2(wx − y)x + 2x²",
                 "ŷ = wx + x has an extra x: 2(wx + x − y)x = 2(wx − y)x + 2x²"))),
            (2 * (w * x + x - y), _mistake(("少了 ∂ŷ/∂w = x 這個因子", "the factor ∂ŷ/∂w = x is missing"),
                                           ("連鎖律 (chain rule)：∂E/∂w = 2(ŷ − y)·∂ŷ/∂w，而 ∂ŷ/∂w = x",
                                            "chain rule: ∂E/∂w = 2(ŷ − y)·∂ŷ/∂w, and ∂ŷ/∂w = x"))),
        ]
        fixes = {"factor": _t("E = (wx + x − y)² 沒有 ½：平方微分出來的 2 要留著",
                              "E = (wx + x − y)² has no ½: keep the 2 from differentiating the square")}
        expected = np.asarray(scalar_resnet.gradient(w, x, y, shortcut=True))
        return (w, x, y), _expect("∂E/∂w", expected, known, fixes)

    start = _t("ŷ = wx + x，E = (ŷ − y)²；連鎖律 (chain rule)：∂E/∂w = ∂E/∂ŷ · ∂ŷ/∂w",
               "ŷ = wx + x and E = (ŷ − y)²; chain rule: ∂E/∂w = ∂E/∂ŷ · ∂ŷ/∂w")
    return _run("check_shortcut_gradient", "∂E/∂w", student_function, case, ("w", "x", "y"), start, hint)


def check_filter_normalization(student_function, hint=False):
    """student_function(d, W) → d with each column (one unit's incoming weights, its "filter")
    rescaled to the norm of the same column of W (Li et al. 2018; notebook 08)."""

    def case(rng):
        d, W = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
        expected = d / np.linalg.norm(d, axis=0) * np.linalg.norm(W, axis=0)
        by_rows = d / np.linalg.norm(d, axis=1, keepdims=True) * np.linalg.norm(W, axis=1, keepdims=True)
        known = [
            (by_rows, _mistake(
                ("你正規化的是每一個 row；一個單元的 filter 是 W 的一個 column（它的輸入權重）",
                 "you normalized rows; a unit's filter is a column of W (its incoming weights)"),
                ("用 axis=0：np.linalg.norm(d, axis=0) 是每一個 column 的長度",
                 "use axis=0: np.linalg.norm(d, axis=0) is the length of each column"))),
            (d / np.linalg.norm(d) * np.linalg.norm(W), _mistake(
                ("這是把整個矩陣一起正規化", "that normalizes the whole matrix at once"),
                ("每一個 column（filter）各自正規化：np.linalg.norm(…, axis=0)",
                 "normalize each column (filter) on its own: np.linalg.norm(…, axis=0)"))),
        ]
        return (d, W), _expect("filter-normalized d", expected, known)

    start = _t("np.linalg.norm(d, axis=0) 是 d 每一個 column（filter）的長度",
               "np.linalg.norm(d, axis=0) is the length of each column (filter) of d")
    return _run("check_filter_normalization", "filter-normalized d", student_function, case, ("d", "W"),
                start, hint)


def _batchnorm_training_case(rng):
    """A BatchNorm in training mode after one forward pass, its input, and a grad_out."""
    from .batchnorm import BatchNorm

    x, grad_out = 2 + 3 * rng.standard_normal((6, 3)), rng.standard_normal((6, 3))
    layer = BatchNorm(3)
    layer.params["gamma"][:] = rng.uniform(0.5, 2.0, 3)
    layer.forward(x)
    return layer, x, grad_out


def check_batchnorm_backward(student_function, hint=False):
    """student_function(grad_out, x_hat, gamma, inv_std) → ∂L/∂x of BatchNorm in training mode,
    for a (batch, features) input (notebook 09)."""

    def case(rng):
        layer, _, grad_out = _batchnorm_training_case(rng)
        expected = layer.backward(grad_out)
        gamma, x_hat, inv_std = layer.params["gamma"].copy(), layer.x_hat.copy(), layer.inv_std.copy()
        d_x_hat = grad_out * gamma
        known = [
            (d_x_hat * inv_std, _mistake(
                ("∂L/∂x 把 μ_B 和 σ²_B 當成常數 (constants)：這是評估模式 (evaluation mode) 的梯度",
                 "∂L/∂x treats μ_B and σ²_B as constants: that is the evaluation-mode gradient"),
                ("訓練時 μ_B、σ²_B 隨每個 x 改變：∂x̂ 要再減去 mean(∂x̂) 和 x̂·mean(∂x̂·x̂)，再乘 inv_std",
                 "in training μ_B and σ²_B change with every x: subtract mean(∂x̂) and x̂·mean(∂x̂·x̂) "
                 "from ∂x̂, then multiply by inv_std"))),
            ((d_x_hat - d_x_hat.mean(axis=0)) * inv_std, _mistake(
                ("平均那一項有了，少了變異數那一項 −x̂·mean(∂x̂·x̂)",
                 "the mean term is there; the variance term −x̂·mean(∂x̂·x̂) is missing"),
                ("σ²_B 也隨 x 改變：再減去 x̂·mean(∂x̂·x̂)",
                 "σ²_B changes with x too: also subtract x̂·mean(∂x̂·x̂)"))),
            ((d_x_hat - x_hat * (d_x_hat * x_hat).mean(axis=0)) * inv_std, _mistake(
                ("變異數那一項有了，少了平均那一項 −mean(∂x̂)",
                 "the variance term is there; the mean term −mean(∂x̂) is missing"),
                ("μ_B 也隨 x 改變：再減去 mean(∂x̂)", "μ_B changes with x too: also subtract mean(∂x̂)"))),
            (expected / gamma, _mistake(
                ("少了 γ：∂L/∂x̂ = grad_out·γ，不是 grad_out",
                 "γ is missing: ∂L/∂x̂ = grad_out·γ, not grad_out"),
                ("y = γx̂ + β，所以 ∂L/∂x̂ 要乘上 γ", "y = γx̂ + β, so ∂L/∂x̂ carries a factor γ"))),
            ((d_x_hat - d_x_hat.sum(axis=0) - x_hat * (d_x_hat * x_hat).sum(axis=0)) * inv_std, _mistake(
                ("兩個修正項用了加總 (sum)，應該是平均 (mean)：差了 batch 大小 m 倍",
                 "the two correction terms use sums, not means: off by the batch size m"),
                ("μ_B 和 σ²_B 是平均，梯度也帶著 1/m：用 .mean(axis=0)",
                 "μ_B and σ²_B are means, so their gradients carry 1/m: use .mean(axis=0)"))),
        ]
        return (grad_out, x_hat, gamma, inv_std), _expect("∂L/∂x", expected, known)

    start = _t("先算 ∂x̂ = grad_out·γ；再想 μ_B 和 σ²_B 隨 x 改變時，∂x̂ 要減去哪兩項",
               "compute ∂x̂ = grad_out·γ first; then ask which two terms μ_B and σ²_B, which change "
               "with x, take away from it")
    return _run("check_batchnorm_backward", "∂L/∂x", student_function, case,
                ("grad_out", "x_hat", "gamma", "inv_std"), start, hint)


#: The nodes of BatchNorm's graph in backward order, with how a message names their gradients.
BATCHNORM_STAGES = {"beta": "∂L/∂β", "gamma": "∂L/∂γ", "x_hat": "∂L/∂x̂", "inv_std": "∂L/∂inv_std",
                    "var": "∂L/∂σ²", "x_mu": "∂L/∂x_μ", "mu": "∂L/∂μ", "x": "∂L/∂x"}


def batchnorm_stages(grad_out, x, gamma, eps):
    """BatchNorm's forward one node at a time, and the gradient of every node, back to front:

        μ = mean(x)   x_μ = x − μ   σ² = mean(x_μ²)   inv_std = 1/√(σ² + ε)   x̂ = x_μ·inv_std
        y = γx̂ + β    (means over the batch, axis 0)

    Returns (forward values, gradients), two dicts keyed by node name."""
    m = len(x)
    mu = x.mean(axis=0)
    x_mu = x - mu
    var = (x_mu**2).mean(axis=0)
    inv_std = 1 / np.sqrt(var + eps)
    x_hat = x_mu * inv_std
    grads = {"beta": grad_out.sum(axis=0), "gamma": (grad_out * x_hat).sum(axis=0), "x_hat": grad_out * gamma}
    grads["inv_std"] = (grads["x_hat"] * x_mu).sum(axis=0)
    grads["var"] = grads["inv_std"] * -0.5 * inv_std**3
    grads["x_mu"] = grads["x_hat"] * inv_std + grads["var"] * 2 * x_mu / m  # x_μ feeds x̂ and σ²
    grads["mu"] = -grads["x_mu"].sum(axis=0)
    grads["x"] = grads["x_mu"] + grads["mu"] / m  # x feeds x_μ and μ
    return {"mu": mu, "x_mu": x_mu, "var": var, "inv_std": inv_std, "x_hat": x_hat}, grads


def _batchnorm_stage_mistakes(grad_out, forward, grads, gamma, m):
    """Known wrong answers for each node of the staged BatchNorm backward, and the FIX texts of
    generic mistakes where a node has its own, both keyed by node."""

    def sum_not_mean(total):
        return (total / m, _mistake(("取了平均 (mean)，應該是加總 (sum)", "a mean, where a sum is needed"),
                                    ("batch 裡每一筆的梯度都要加進來：沿 axis=0 加總，不是平均",
                                     "every example of the batch adds its gradient: sum over axis 0, "
                                     "do not average")))

    variance_rule = ("inv_std = (σ² + ε)^(−½)，所以 d inv_std/dσ² = −½(σ² + ε)^(−3/2) = −½·inv_std³",
                     "inv_std = (σ² + ε)^(−½), so d inv_std/dσ² = −½(σ² + ε)^(−3/2) = −½·inv_std³")
    fixes = {"var": {"sign": _t(*variance_rule), "factor": _t(*variance_rule)},
             "mu": {"sign": _t("x_μ = x − μ，∂x_μ/∂μ = −1", "x_μ = x − μ, so ∂x_μ/∂μ = −1")}}
    known = {
        "beta": [sum_not_mean(grads["beta"])],
        "gamma": [sum_not_mean(grads["gamma"]),
                  ((grad_out * (forward["x_mu"] + forward["mu"])).sum(axis=0), _mistake(
                      ("乘的是 x，應該是 x̂", "multiplied by x, not by x̂"),
                      ("y = γx̂ + β，∂y/∂γ = x̂", "y = γx̂ + β, so ∂y/∂γ = x̂")))],
        "x_hat": [(grad_out, _mistake(("少了 γ", "γ is missing"),
                                      ("y = γx̂ + β，∂y/∂x̂ = γ：grad_out * gamma",
                                       "y = γx̂ + β, so ∂y/∂x̂ = γ: grad_out * gamma")))],
        "inv_std": [((grads["x_hat"] * forward["x_hat"]).sum(axis=0), _mistake(
            ("乘的是 x̂，應該是 x_μ", "multiplied by x̂, not by x_μ"),
            ("x̂ = x_μ·inv_std，∂x̂/∂inv_std = x_μ；再沿 batch 加總",
             "x̂ = x_μ·inv_std, so ∂x̂/∂inv_std = x_μ; then sum over the batch")))],
        "var": [(grads["inv_std"] * -0.5 * forward["inv_std"], _mistake(
            ("inv_std 的次方錯了：應該是 inv_std³", "the wrong power of inv_std: it is inv_std³"),
            variance_rule))],
        "x_mu": [(grads["x_hat"] * forward["inv_std"], _mistake(
                     ("少了經過 σ² 的那條路", "the path through σ² is missing"),
                     ("x_μ 用了兩次（x̂ = x_μ·inv_std 和 σ² = mean(x_μ²)），兩條路要加起來："
                      "∂x̂·inv_std + ∂σ²·2x_μ/m",
                      "x_μ is used twice (x̂ = x_μ·inv_std and σ² = mean(x_μ²)); add both paths: "
                      "∂x̂·inv_std + ∂σ²·2x_μ/m"))),
                 (grads["x_hat"] * forward["inv_std"] + grads["var"] * 2 * forward["x_mu"], _mistake(
                     ("經過 σ² 的那一項少了 /m", "the term through σ² lacks the /m"),
                     ("σ² = mean(x_μ²) = (1/m)Σx_μ²，所以 ∂σ²/∂x_μ = 2x_μ/m",
                      "σ² = mean(x_μ²) = (1/m)Σx_μ², so ∂σ²/∂x_μ = 2x_μ/m")))],
        "mu": [sum_not_mean(grads["mu"])],
        "x": [(grads["x_mu"], _mistake(("少了經過 μ 的那一項", "the term through μ is missing"),
                                       ("x 用了兩次（x_μ = x − μ 和 μ = mean(x)）：∂x = ∂x_μ + ∂μ/m",
                                        "x is used twice (x_μ = x − μ and μ = mean(x)): ∂x = ∂x_μ + ∂μ/m"))),
              (grads["x_mu"] + grads["mu"], _mistake(
                  ("經過 μ 的那一項少了 /m", "the term through μ lacks the /m"),
                  ("μ = mean(x)，∂μ/∂xᵢ = 1/m", "μ = mean(x), so ∂μ/∂xᵢ = 1/m")))],
    }
    return known, fixes


def check_batchnorm_staged(student_function, hint=False):
    """student_function(grad_out, x, gamma, eps) → dict of the gradients of every node of
    BatchNorm's graph (batchnorm_stages): "beta", "gamma", "x_hat", "inv_std", "var", "x_mu", "mu",
    "x". They are checked in backward order; the first wrong node is named (notebook 09)."""

    def case(rng):
        layer, x, grad_out = _batchnorm_training_case(rng)
        gamma = layer.params["gamma"].copy()
        forward, expected = batchnorm_stages(grad_out, x, gamma, layer.eps)
        expected["x"] = layer.backward(grad_out)  # the reference layer for x, γ and β
        expected["gamma"], expected["beta"] = layer.grads["gamma"].copy(), layer.grads["beta"].copy()
        known, fixes = _batchnorm_stage_mistakes(grad_out, forward, expected, gamma, len(x))
        per_feature = _t("β、γ、inv_std、σ² 和 μ 都是每個特徵一個數：沿 batch 加總（axis=0）",
                         "β, γ, inv_std, σ² and μ hold one number per feature: sum over the batch (axis=0)")

        def judge(got):
            keys = "'" + "', '".join(BATCHNORM_STAGES) + "'"
            if not isinstance(got, Mapping):
                return _wrong(_t(f"✗ 要回傳一個 dict（鍵是 {keys}），你回傳的是 {type(got).__name__}",
                                 f"✗ return a dict (keys {keys}); you returned {type(got).__name__}"),
                              _t("grads = {}，每一站算完就放進去：grads['beta'] = …，最後 return grads",
                                 "grads = {}; store each node as you go, grads['beta'] = …; end with "
                                 "return grads"))
            missing = [key for key in BATCHNORM_STAGES if key not in got]
            if missing:
                listed = "'" + "', '".join(missing) + "'"
                return _wrong(_t(f"✗ 回傳的 dict 少了 {listed}", f"✗ the dict you returned lacks {listed}"),
                              _t(f"每一站的梯度都要放進 dict：{keys}",
                                 f"put the gradient of every node in the dict: {keys}"))
            for number, (key, name) in enumerate(BATCHNORM_STAGES.items()):
                node_fixes = {"shape": per_feature, **fixes.get(key, {})}
                verdict = compare(name, got[key], expected[key], known.get(key, []), node_fixes)
                if not verdict.ok:
                    before = ", ".join(list(BATCHNORM_STAGES.values())[:number])
                    if before:
                        tail = _t(f"；它之前的 {before} 都對", f"; the nodes before it, {before}, are right")
                        verdict = replace(verdict, where=verdict.where + tail, message=verdict.where + tail)
                    return verdict
            return _right(_t("✓ 計算圖 (computational graph) 每一站的梯度都對了",
                             "✓ the gradient of every node of the graph is right"))

        return (grad_out, x, gamma, layer.eps), judge

    start = _t("從最後一站 y = γx̂ + β 往回走：∂β = Σ grad_out、∂γ = Σ grad_out·x̂（沿 batch，axis=0）、"
               "∂x̂ = grad_out·γ",
               "walk back from the last node, y = γx̂ + β: ∂β = Σ grad_out and ∂γ = Σ grad_out·x̂ (over the "
               "batch, axis=0), ∂x̂ = grad_out·γ")
    return _run("check_batchnorm_staged", "BatchNorm backward", student_function, case,
                ("grad_out", "x", "gamma", "eps"), start, hint)
