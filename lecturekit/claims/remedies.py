"""Notebook 06's claims: the slide's four remedies on the same vanishing and the same exploding
setup, and what L1 and L2 do to the weights."""

import numpy as np

from ..diagnostics import snapshot
from ..experiments import (
    EXPLODING,
    EXPLODING_SCALE,
    PENALTY_BASE,
    VANISHING,
    backprop_norms,
    moons_task,
    remedies,
    trained,
)
from . import Outcome, claim, columns, share, spread


def final_loss(history):
    """The last loss of a run, inf if it diverged (the numbers blew up)."""
    return np.inf if history.diverged_at is not None else history.final_loss


def first_over_last(history):
    """‖∂L/∂W_1‖ / ‖∂L/∂W_L‖ at the first step."""
    return history.grad_norms[0, 0] / history.grad_norms[0, -1]


def diverged_at(history):
    """The step at which a run diverged, 0 if it did not."""
    return 0 if history.diverged_at is None else int(history.diverged_at)


#: The runs of each claim's table, by the names of experiments.remedies.
VANISHING_RUNS = ("baseline", "1. fewer layers (3)", "2. ReLU + He init", "3. clip norm 1", "4. L2 λ = 0.3")
EXPLODING_RUNS = ("baseline", "1. fewer layers (3)", "3. clip norm 0.1", "3. clip norm 1", "3. clip norm 10",
                  "3. clip value 0.5", "4. L2 λ = 0.3")
CLIPS = ("3. clip norm 0.1", "3. clip norm 1", "3. clip norm 10", "3. clip value 0.5")


def remedy_runs(setup, names, seed):
    """{name: History} of the named remedies of `setup`, all drawn from `seed` (remembered)."""
    options = remedies(setup.but(seed=seed))
    return {name: trained(options[name])[1] for name in names}


@claim("remedies-vanishing", "06",
       zh="梯度消失的設定（8 層 sigmoid、Xavier、α = 0.03、50 步）：每個 seed 裡，基準停在"
          "常數猜測的損失（差不到 0.005），clip norm 1 與 L2（λ = 0.3）也是，而且 L2 訓練結束時"
          "第一層的梯度比基準更小；更少的層（3 層）的第一層/最後一層梯度比是基準的 30 倍以上，"
          "但損失仍在 0.15 以上；ReLU（+ He）每個 seed 都低於常數猜測，除了至多一個 seed 都降到 0.15 以下。",
       en="Vanishing setup (8 sigmoid layers, Xavier, α = 0.03, 50 steps): in every seed the baseline stays "
          "at the constant guess's loss (within 0.005), and so do clip norm 1 and L2 (λ = 0.3), L2 with a "
          "smaller first-layer gradient at the end than the baseline's; fewer layers (3) has a first/last "
          "gradient ratio over 30× the baseline's but stays above loss 0.15; ReLU (+ He) ends below the "
          "constant guess in every seed and below 0.15 in all seeds but at most one.")
def _(seeds):
    from ..experiments import constant_guess_loss
    guess = constant_guess_loss()
    numbers, ok = {}, []
    for seed in seeds:
        runs = remedy_runs(VANISHING, VANISHING_RUNS, seed)
        row = {name: final_loss(h) for name, h in runs.items()}
        base, three, l2 = runs["baseline"], runs["1. fewer layers (3)"], runs["4. L2 λ = 0.3"]
        row["first/last: 8"] = first_over_last(base)
        row["first/last: 3"] = first_over_last(three)
        row["‖∂L/∂W_1‖ end: base"] = base.grad_norms[-1, 0]
        row["‖∂L/∂W_1‖ end: L2"] = l2.grad_norms[-1, 0]
        numbers[seed] = row
        ok.append(bool(abs(row["baseline"] - guess) < 0.005
                       and abs(row["3. clip norm 1"] - guess) < 0.005
                       and abs(row["4. L2 λ = 0.3"] - guess) < 0.005
                       and row["‖∂L/∂W_1‖ end: L2"] < row["‖∂L/∂W_1‖ end: base"]
                       and row["first/last: 3"] > 30 * row["first/last: 8"]
                       and row["1. fewer layers (3)"] > 0.15
                       and row["2. ReLU + He init"] < guess))
    col = columns(numbers)
    relu_trains = col["2. ReLU + He init"] < 0.15
    return Outcome(numbers, passed=all(ok) and relu_trains.sum() >= len(seeds) - 1,
                   summary=f"{share(ok)} seeds; constant guess {guess:.3g}; final loss: baseline "
                           f"{spread(col['baseline'], 3)}, 3 layers {spread(col['1. fewer layers (3)'], 2)}, "
                           f"ReLU + He {spread(col['2. ReLU + He init'], 2)} "
                           f"(< 0.15 in {share(relu_trains)}), "
                           f"clip {spread(col['3. clip norm 1'], 3)}, "
                           f"L2 {spread(col['4. L2 λ = 0.3'], 3)}; "
                           f"first/last 8 layers {spread(col['first/last: 8'], 2)}, "
                           f"3 layers {spread(col['first/last: 3'], 2)}")


@claim("exploding-from-the-weights", "06",
       zh=f"梯度爆炸的設定（8 層 ReLU、權重 std 是 He 的 {EXPLODING_SCALE:g} 倍）：每個 seed 裡，初始化時"
          "反向傳回的梯度 ‖∂L/∂s_l‖ 從輸出到第一層變大 10 倍以上（He 初始化時不到 5 倍），"
          "每一層權重的梯度 ‖∂L/∂W_l‖ 都是 He 初始化時的 10 倍以上；"
          "同一個網路在 α = 0.03 前 5 步就發散，α/10 除了至多一個 seed 也是；只把初始化換成 He，"
          "在 α = 0.03 每個 seed 都低於常數猜測，除了至多一個 seed 都訓練到 0.15 以下。",
       en=f"Exploding setup (8 ReLU layers, weights of {EXPLODING_SCALE:g}× He's std): in every seed the "
          "back-propagated gradient ‖∂L/∂s_l‖ grows over 10× from the output to the first layer at "
          "initialization (under 5× with He init) and every layer's ‖∂L/∂W_l‖ is over 10× He init's; "
          "the net diverges within 5 steps at α = 0.03, and at α/10 on all seeds but at most one, "
          "while the same net with He init ends below the constant guess at α = 0.03 on every seed and "
          "below 0.15 on all seeds but at most one.")
def _(seeds):
    from ..experiments import constant_guess_loss
    X, y = moons_task()
    guess = constant_guess_loss()
    numbers, ok = {}, []
    for seed in seeds:
        big, he = EXPLODING.but(seed=seed), EXPLODING.but(seed=seed, init="he", std=None)
        signal_big, signal_he = backprop_norms(big.build(), X, y), backprop_norms(he.build(), X, y)
        at_rate, at_tenth = trained(big)[1], trained(big.but(learning_rate=big.learning_rate / 10))[1]
        row = {"‖∂L/∂s‖ first/last": signal_big[0] / signal_big[-1],
               "per layer": (signal_big[0] / signal_big[-1]) ** (1 / (len(signal_big) - 1)),
               "He: first/last": signal_he[0] / signal_he[-1],
               "‖∂L/∂W_l‖ ÷ He, min over l": np.min(snapshot(big.build(), X, y).grad_norms
                                                     / snapshot(he.build(), X, y).grad_norms),
               "loss at step 1": at_rate.loss[0] if len(at_rate.loss) else np.nan,
               "diverged at (α)": diverged_at(at_rate), "diverged at (α/10)": diverged_at(at_tenth),
               "He: final loss": final_loss(trained(he)[1])}
        numbers[seed] = row
        ok.append(bool(row["‖∂L/∂s‖ first/last"] > 10 and row["He: first/last"] < 5
                       and row["‖∂L/∂W_l‖ ÷ He, min over l"] > 10
                       and 0 < row["diverged at (α)"] <= 5 and row["He: final loss"] < guess))
    col = columns(numbers)
    tenth = (col["diverged at (α/10)"] > 0) & (col["diverged at (α/10)"] <= 5)
    he_trains = col["He: final loss"] < 0.15
    passed = all(ok) and tenth.sum() >= len(seeds) - 1 and he_trains.sum() >= len(seeds) - 1
    return Outcome(numbers, passed=bool(passed),
                   summary=f"{share(ok)} seeds; ‖∂L/∂s‖ first/last {spread(col['‖∂L/∂s‖ first/last'], 2)} "
                           f"(He {spread(col['He: first/last'], 2)}); ‖∂L/∂W_l‖ ÷ He, min over l "
                           f"{spread(col['‖∂L/∂W_l‖ ÷ He, min over l'], 2)}; diverged at step "
                           f"{spread(col['diverged at (α)'], 1)} (α), "
                           f"{spread(col['diverged at (α/10)'], 1)} (α/10; within 5 steps in "
                           f"{share(tenth)}); He's final loss {spread(col['He: final loss'], 2)} "
                           f"(< 0.15 in {share(he_trains)})")


@claim("remedies-exploding", "06",
       zh="梯度爆炸的設定上（8 層 ReLU、2 倍 He 的 std、α = 0.03、50 步，"
          "基準每個 seed 都發散）：每個 seed 裡，"
          "更少的層（3 層）訓練到 0.2 以下；按長度剪（c = 0.1、1、10）與按數值剪（0.5）都不再發散，"
          "c = 10 的損失比 c = 1 低，而中位數 c = 0.1 > c = 1 > c = 10；L2（λ = 0.3）在前 5 步就發散。",
       en="On the exploding setup (8 ReLU layers, 2× He's std, α = 0.03, 50 steps; the baseline diverges "
          "in every seed): in every seed fewer layers (3) trains below 0.2; clipping by norm "
          "(c = 0.1, 1, 10) and by value (0.5) no longer diverges, c = 10 ends below c = 1, and the medians "
          "order c = 0.1 > c = 1 > c = 10; L2 (λ = 0.3) diverges within 5 steps.")
def _(seeds):
    numbers, ok = {}, []
    for seed in seeds:
        runs = remedy_runs(EXPLODING, EXPLODING_RUNS, seed)
        row = {"baseline: diverged at": diverged_at(runs["baseline"]),
               "3 layers": final_loss(runs["1. fewer layers (3)"])}
        row.update({name.removeprefix("3. "): final_loss(runs[name]) for name in CLIPS})
        row["L2: diverged at"] = diverged_at(runs["4. L2 λ = 0.3"])
        numbers[seed] = row
        ok.append(bool(row["baseline: diverged at"] > 0 and row["3 layers"] < 0.2
                       and all(np.isfinite(row[name.removeprefix("3. ")]) for name in CLIPS)
                       and row["clip norm 10"] < row["clip norm 1"]
                       and 0 < row["L2: diverged at"] <= 5))
    col = columns(numbers)
    medians = [np.median(col[f"clip norm {c}"]) for c in ("0.1", "1", "10")]
    return Outcome(numbers, passed=all(ok) and medians[0] > medians[1] > medians[2],
                   summary=f"{share(ok)} seeds; final loss: 3 layers {spread(col['3 layers'], 2)}, "
                           f"clip norm 0.1 "
                           f"{spread(col['clip norm 0.1'], 2)}, 1 {spread(col['clip norm 1'], 2)}, 10 "
                           f"{spread(col['clip norm 10'], 2)}, "
                           f"clip value 0.5 {spread(col['clip value 0.5'], 2)}; "
                           f"L2 diverged at step {spread(col['L2: diverged at'], 1)}")


#: 06's L1 vs L2 comparison on PENALTY_BASE (as in the notebook's histograms), with the same λ for
#: both penalties. A weight that only L1 pushes steps by αλ = 1e-3 each step and ends up jumping
#: around 0 within ±αλ (plain subgradient descent, no proximal step that would set it to exactly 0):
#: hence the threshold |w| < 1e-3.
L1_STRENGTH = L2_STRENGTH = 1e-2


def weights_norm(net):
    """‖w‖ over all weight-matrix entries (biases left out)."""
    return float(np.sqrt(sum(np.sum(w ** 2) for name, w in net.params.items() if name.endswith("W"))))


def weights_near_zero(net, tolerance=1e-3):
    """The share of weight-matrix entries with |w| < tolerance."""
    weights = np.concatenate([w.ravel() for name, w in net.params.items() if name.endswith("W")])
    return float(np.mean(np.abs(weights) < tolerance))


@claim("l1-sparser-than-l2", "06",
       zh="3 層 ReLU 網路（He、α = 0.1）訓練 150 步，兩種懲罰用同一個 λ = 1e-2：每個 seed 裡，"
          "L1 讓 |w| < 0.001 的權重比例比 L2 和不加懲罰都高至少 10 倍。",
       en="A 3-layer ReLU net (He, α = 0.1) trained 150 steps, both penalties with the same λ = 1e-2: "
          "in every seed L1 leaves at least 10× the share of weights with |w| < 0.001 that L2 or no penalty "
          "leaves.")
def _(seeds):
    numbers, ok = {}, []
    for seed in seeds:
        base = PENALTY_BASE.but(seed=seed)
        nets = {name: trained(setup)[0] for name, setup in
                (("no penalty", base), ("L1", base.but(l1=L1_STRENGTH)), ("L2", base.but(l2=L2_STRENGTH)))}
        shares = {name: weights_near_zero(net) for name, net in nets.items()}
        numbers[seed] = {f"{name}: |w| < 1e-3": value for name, value in shares.items()}
        numbers[seed].update({f"‖w‖: {name}": weights_norm(net) for name, net in nets.items()})
        ok.append(bool(shares["L1"] >= 10 * max(shares["L2"], shares["no penalty"], 1e-3)))
    col = columns(numbers)
    l1, l2, none = (col[f"{n}: |w| < 1e-3"] for n in ("L1", "L2", "no penalty"))
    return Outcome(numbers, passed=all(ok),
                   summary=f"{share(ok)} seeds; share of |w| < 1e-3: L1 {spread(l1, 2)}, L2 {spread(l2, 2)}, "
                           f"none {spread(none, 2)}; ‖w‖ (not tested): "
                           f"none {spread(col['‖w‖: no penalty'], 3)}, "
                           f"L1 {spread(col['‖w‖: L1'], 3)}, L2 {spread(col['‖w‖: L2'], 3)}")
