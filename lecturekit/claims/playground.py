"""Notebook 10's claims: what the playground's suggested experiments show, over seeds.

A learning rate that is too large can make training chaotic: a "twin" run whose points are moved
by one part in 10¹² follows the same losses for a while, then parts from them. From then on where
the run goes depends on the last digits of the arithmetic, so a claim about such a run counts
seeds (how many reached the target), never one seed's step numbers.
"""

import numpy as np

from ..playground import Playground, Setting
from . import Outcome, claim, columns, share, spread

STEPS = 300
#: The rates tried, by the name their columns carry, on top of the default moons net.
RATES = {"0.3": "lr=0.3", "3": "lr=3.0", "10": "lr=10.0", "10 clip": "lr=10.0;clip=norm"}
MOONS_TARGET = 0.1
#: A 6-layer net without activations (a straight boundary: 0.1 is out of reach on moons).
IDENTITY = "activation=identity;depth=6"
IDENTITY_TARGET = 0.3
#: Three class-1 points at the top of the upper (class 0) moon.
ADDED = ((-0.55, 0.75), (-0.5, 0.8), (-0.45, 0.72))
ADDED_STEPS = 700
L2_STRENGTH = 0.03


def parts_at(losses, twin):
    """The first step at which two runs' losses differ by more than 0.01 (1 % above a loss of
    1), or NaN if they never do."""
    n = min(len(losses), len(twin))
    a, b = np.asarray(losses[:n]), np.asarray(twin[:n])
    apart = np.flatnonzero(np.abs(a - b) > 0.01 * np.maximum(1, np.maximum(a, b)))
    return float(apart[0] + 1) if len(apart) else float("nan")


def first_below(losses, target):
    """The first step whose loss is below `target`, or NaN."""
    below = np.flatnonzero(np.asarray(losses) < target)
    return float(below[0] + 1) if len(below) else float("nan")


def rate_run(text, seed, target):
    """`text` on `seed` for STEPS steps, and its twin: {first step below target, step the twin
    parts at, step it diverged at, median loss of the last 100 steps}, NaN for what did not happen."""
    run = Playground(Setting.from_text(f"{text};seed={seed}"))
    twin = Playground(run.setting, points=(run.X * (1 + 1e-12), run.labels))
    for pg in (run, twin):
        pg.run(STEPS)
    return {"below": first_below(run.losses, target), "twin": parts_at(run.losses, twin.losses),
            "✗ at": float(run.steps + 1) if run.diverged else float("nan"),
            "last 100": float(np.median(run.losses[-100:]))}


def _table(runs, seeds, target):
    """{seed: {"<rate>: <figure>": value}} for runs {rate: (setting text, [figures to keep])}."""
    numbers = {}
    for seed in seeds:
        numbers[seed] = {}
        for rate, (text, kept) in runs.items():
            figures = rate_run(text, seed, target)
            numbers[seed] |= {f"{rate}: {name}": figures[name] for name in kept}
    return numbers, columns(numbers)


def _steps(values):
    """"k/n, steps a–b" of the seeds where something happened (NaN: it did not)."""
    values = np.asarray(values, dtype=float)
    happened = values[np.isfinite(values)]
    if not len(happened):
        return share(np.isfinite(values))
    low, high = happened.min(), happened.max()
    steps = f"step {low:.0f}" if low == high else f"steps {low:.0f}–{high:.0f}"
    return f"{share(np.isfinite(values))}, {steps}"


@claim("playground-large-rate-chaos", "10",
       zh=f"預設的 moons 網路訓練 {STEPS} 步：lr = 0.3 的雙胞胎（點移動 10⁻¹²）在每個 seed 都不分開；"
          "lr = 3 低於 0.1 的步數中位數比 lr = 0.3 少，雙胞胎分開的 seed 比 lr = 10 少；"
          "lr = 10 在至少四分之三的 seed 和雙胞胎分開（混沌），但沒有一個 seed 發散；"
          "加上 clip=norm 之後也不發散，而且低於 0.1 的 seed 比沒有裁剪時多。",
       en=f"The default moons net over {STEPS} steps: at lr = 0.3 the twin (points moved by 1e-12) never "
          "parts on any seed; lr = 3 gets below 0.1 in fewer steps in the median, and its twin parts on "
          "fewer seeds than at lr = 10; at lr = 10 the twin parts on at least three quarters of the seeds "
          "(chaos), yet no seed diverges; with clip=norm none diverges either, and more seeds get below "
          "0.1 than without clipping.")
def _(seeds):
    numbers, column = _table({"0.3": (RATES["0.3"], ["below", "twin"]), "3": (RATES["3"], ["below", "twin"]),
                              "10": (RATES["10"], ["below", "twin", "✗ at", "last 100"]),
                              "10 clip": (RATES["10 clip"], ["below", "twin", "✗ at", "last 100"])},
                             seeds, MOONS_TARGET)
    parted = {rate: np.isfinite(column[f"{rate}: twin"]) for rate in RATES}
    reached = {rate: np.isfinite(column[f"{rate}: below"]) for rate in RATES}
    diverged = [np.isfinite(column[f"{rate}: ✗ at"]).any() for rate in ("10", "10 clip")]
    steps_to = {rate: np.nan_to_num(column[f"{rate}: below"], nan=STEPS + 1) for rate in ("0.3", "3")}
    passed = (not parted["0.3"].any() and parted["3"].sum() < parted["10"].sum()
              and parted["10"].sum() >= len(seeds) * 3 / 4 and not any(diverged)
              and np.median(steps_to["3"]) < np.median(steps_to["0.3"])
              and reached["10 clip"].sum() > reached["10"].sum())
    summary = "; ".join(f"lr {rate}: below {MOONS_TARGET} in {_steps(column[f'{rate}: below'])}, "
                        f"twin parts in {_steps(column[f'{rate}: twin'])}" for rate in RATES)
    return Outcome(numbers, passed=bool(passed),
                   summary=f"{summary}; {'some' if any(diverged) else 'none'} diverged at lr 10")


@claim("playground-clipping-stops-divergence", "10",
       zh=f"6 層沒有激勵函數的網路在 moons 上訓練 {STEPS} 步：lr = 0.3 不發散，"
          "每個 seed 最後 100 步損失的中位數都低於 1；lr = 10 在每個 seed 5 步內發散；"
          "加上 clip=norm 之後沒有一個 seed 發散，"
          "但每個 seed 最後 100 步損失的中位數都超過 100：裁剪擋住了發散，卻救不了這個學習率。",
       en=f"A 6-layer net without activations on moons, {STEPS} steps: at lr = 0.3 no seed diverges and on "
          "every seed the median loss of the last 100 steps is below 1; at lr = 10 every seed diverges "
          "within 5 steps; with clip=norm no seed diverges, but on every seed the median loss of the last "
          "100 steps is above 100: clipping stops the divergence, not the rate's harm.")
def _(seeds):
    numbers, column = _table({rate: (f"{IDENTITY};{RATES[rate]}", kept) for rate, kept in
                              (("0.3", ["below", "✗ at", "last 100"]), ("10", ["✗ at"]),
                               ("10 clip", ["✗ at", "last 100", "twin"]))}, seeds, IDENTITY_TARGET)
    passed = (np.isnan(column["0.3: ✗ at"]).all() and (column["0.3: last 100"] < 1).all()
              and (column["10: ✗ at"] <= 5).all()
              and np.isnan(column["10 clip: ✗ at"]).all() and (column["10 clip: last 100"] > 100).all())
    return Outcome(numbers, passed=bool(passed),
                   summary=f"lr 0.3: last 100 steps {spread(column['0.3: last 100'], 2)}, "
                           f"below {IDENTITY_TARGET} in {_steps(column['0.3: below'])}; "
                           f"lr 10: diverged in {_steps(column['10: ✗ at'])}; "
                           f"lr 10 + clip: diverged in {share(np.isfinite(column['10 clip: ✗ at']))}, "
                           f"last 100 steps {spread(column['10 clip: last 100'], 2)}, "
                           f"twin parts in {_steps(column['10 clip: twin'])}")


def added_points_run(seed):
    """After ADDED_STEPS steps, without a penalty and with L2, each without and with the ADDED
    points: their mean P(class 1), and the accuracy on the moons' own points without them."""
    plain = Playground(Setting(seed=seed, strength=L2_STRENGTH))
    moons = len(plain.X)
    added = Playground(plain.setting, points=(np.vstack([plain.X, ADDED]),
                                              np.concatenate([plain.labels, [1] * len(ADDED)])))
    runs = {"none": plain, "none + pts": added, "L2": plain.but(penalty="l2"),
            "L2 + pts": added.but(penalty="l2")}
    row = {}
    for name, pg in runs.items():
        pg.run(ADDED_STEPS)
        row[f"P, {name}"] = float(pg.probabilities(np.array(ADDED))[:, 1].mean())
    row["rise, none"] = row["P, none + pts"] - row["P, none"]
    row["rise, L2"] = row["P, L2 + pts"] - row["P, L2"]
    row["> 0.5, none + pts"] = int(np.sum(runs["none + pts"].probabilities(np.array(ADDED))[:, 1] > 0.5))
    for name in ("none", "L2"):
        pg = runs[name]
        row[f"accuracy, {name}"] = float(np.mean(pg.probabilities(pg.X[:moons]).argmax(axis=1)
                                                 == pg.labels[:moons]))
    return row


@claim("playground-added-points", "10",
       zh=f"在上半月（class 0）頂端加 3 個 class 1 的點，訓練 {ADDED_STEPS} 步："
          "沒有 penalty 時，這 3 點是 class 1 的"
          f"機率比沒加點時上升的中位數，是 L2（strength {L2_STRENGTH}）時的 3 倍以上；而 L2 本身（沒加點）"
          "在每個 seed 都讓 120 個 moons 點的準確率低於沒有 penalty 的網路。",
       en=f"Three class-1 points at the top of the upper (class 0) moon, {ADDED_STEPS} steps: the median "
          "rise of their P(class 1) over the same net without them is over 3× larger without a penalty than "
          f"with L2 (strength {L2_STRENGTH}); and L2 alone (no points added) leaves the 120 moons points "
          "less accurate than no penalty on every seed.")
def _(seeds):
    column = columns(numbers := {seed: added_points_run(seed) for seed in seeds})
    rise_none, rise_l2 = column["rise, none"], column["rise, L2"]
    costly = column["accuracy, L2"] < column["accuracy, none"]
    passed = np.median(rise_none) > 3 * np.median(rise_l2) and costly.all()
    above = column["> 0.5, none + pts"]
    return Outcome(numbers, passed=bool(passed),
                   summary=f"rise of P(class 1): none {spread(rise_none, 2)}, L2 {spread(rise_l2, 2)}; "
                           f"above 0.5 without a penalty: {int(above.sum())} of {3 * len(seeds)} points, "
                           f"in {share(above > 0)} seeds; accuracy without the points: "
                           f"none {spread(column['accuracy, none'], 2)}, "
                           f"L2 {spread(column['accuracy, L2'], 2)} (lower in {share(costly)})")


#: Experiment 1: an 8-layer sigmoid net on the default moons, without and with BN.
DEEP_SIGMOID = "depth=8;width=16;activation=sigmoid;lr=0.3"


def spreads(pg):
    """How far apart the points are at each hidden layer's input s before any step: the standard
    deviation over the points, averaged over the layer's units."""
    pg.net.forward(pg.X)
    return [layer.s.std(axis=0).mean() for layer in pg.activations]


def deep_sigmoid_run(seed):
    """The 8-layer sigmoid net on `seed` without BN ("none") and with it, from the same initial
    weights, STEPS steps each: the spread of the last hidden layer's input without BN before
    training (with BN it is 1 by definition), the layers' ‖∂L/∂W‖ at steps 1 and 100, and the
    loss at the last step."""
    none = Playground(Setting.from_text(f"{DEEP_SIGMOID};seed={seed}"))
    bn = none.but(batchnorm=True)
    row = {"none: spread of s₇": float(spreads(none)[-1])}
    for pg in (none, bn):
        pg.run(STEPS)
    norms, norms_bn = none.history[1], bn.history[1]  # (steps, layers)
    return row | {"none: W₁/W₈ at 1": float(norms[0, 0] / norms[0, -1]),
                  "BN: W₁/W₈ at 1": float(norms_bn[0, 0] / norms_bn[0, -1]),
                  "BN: max/min at 1": float(norms_bn[0].max() / norms_bn[0].min()),
                  "none: max at 100": float(norms[99].max()), "BN: min at 100": float(norms_bn[99].min()),
                  "none: loss": float(none.losses[-1]), "BN: loss": float(bn.losses[-1])}


@claim("playground-bn-deep-sigmoid", "10",
       zh=f"8 層 sigmoid 網路（Xavier、lr = 0.3）在 moons 上，沒有 BN 和只加 BN（同樣的初始權重）"
          f"各訓練 {STEPS} 步：沒有 BN 時，每個 seed 第 7 個隱藏層輸入 s 的散布都小於 0.001，"
          "第 1 步第一層的梯度不到最後一層的 1/100，"
          "第 100 步每一層的梯度都小於 0.001，損失停在 ln 2 附近（> 0.65）；加上 BN 時，"
          "第 1 步各層梯度最大和最小的比值，中位數小於 10，第 100 步最小的梯度也比沒有 BN 的最大的大，"
          "除了至多一個 seed，損失低於 0.05。",
       en=f"An 8-layer sigmoid net (Xavier, lr = 0.3) on moons, without BN and with BN only (the same "
          f"initial weights), {STEPS} steps each: without BN, on every seed the spread of the 7th hidden "
          "layer's input s is below 0.001, at step 1 the first layer's gradient is below 1/100 of the "
          "last's, at step 100 every layer's gradient is below 0.001, and the loss stays near ln 2 "
          "(> 0.65); with BN, at step 1 the median over seeds of the largest / "
          "smallest layer's gradient is below 10, at step 100 the smallest is larger than the largest "
          "without BN, and on all seeds but at most one the loss ends below 0.05.")
def _(seeds):
    column = columns(numbers := {seed: deep_sigmoid_run(seed) for seed in seeds})
    trained = column["BN: loss"] < 0.05
    passed = ((column["none: spread of s₇"] < 1e-3).all() and (column["none: W₁/W₈ at 1"] < 1e-2).all()
              and (column["none: max at 100"] < 1e-3).all() and (column["none: loss"] > 0.65).all()
              and np.median(column["BN: max/min at 1"]) < 10
              and (column["BN: min at 100"] > column["none: max at 100"]).all()
              and trained.sum() >= len(seeds) - 1)
    return Outcome(numbers, passed=bool(passed),
                   summary=f"without BN: spread of s₇ {spread(column['none: spread of s₇'], 2)}, "
                           f"W₁/W₈ at step 1 {spread(column['none: W₁/W₈ at 1'], 2)}, "
                           f"largest gradient at step 100 {spread(column['none: max at 100'], 2)}, "
                           f"loss {spread(column['none: loss'], 3)}; with BN: "
                           f"largest/smallest at step 1 {spread(column['BN: max/min at 1'], 2)}, "
                           f"smallest at step 100 {spread(column['BN: min at 100'], 2)}, "
                           f"loss {spread(column['BN: loss'], 2)} (below 0.05 in {share(trained)})")
