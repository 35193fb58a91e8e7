"""Notebook 07's claims: what the shortcut does to the gradient, and the degradation problem of
He et al. (2016) at a small scale.

Every comparison is plain vs residual built by `build_mlp` from the same seed: the residual net is
the plain net's layers, in the same order and with the same weights, plus shortcuts (see
build_mlp). Nothing else differs.
"""

import numpy as np

from ..experiments import DEGRADATION, RELU_20, SIGMOID_20, degradation_sweep, moons_task, trained
from ..shortcut import block_gradient_factors, gradient_ratio
from . import Outcome, claim, columns, share, spread

#: The depths at which the BN nets' gradients are compared at initialization.
FLOW_DEPTHS = (8, 16, 24, 32, 48, 64)

#: The depths at which the same nets without BN are measured (the control for BN).
NO_BN_DEPTHS = (24, 64)

#: The depths of the degradation experiment (DEGRADATION's budget at each).
DEGRADATION_DEPTHS = (8, 24)

#: The learning rates tried for the deep plain net (DEGRADATION's α = 0.1 and one either side).
DEEP_PLAIN_RATES = (0.03, 0.1, 0.3)


def _ratio(setup):
    return gradient_ratio(setup.build(), *moons_task())


@claim("resnet-shortcut-keeps-gradient", "07",
       zh="20 層、只差 shortcut：sigmoid + Xavier 時 plain 網路第一層的梯度不到最後一層的 10⁻⁹，"
          "residual 網路的在 10⁻³ 以上；ReLU + He（沒有 BN）時兩個網路都在 10⁻³ 以上——每個 seed 都如此。",
       en="20 layers, only the shortcuts differ: with sigmoid and Xavier init the plain net's first-layer "
          "gradient is below 1e-9 of its last layer's and the residual net's above 1e-3; with ReLU and He "
          "init (no BN) both nets' are above 1e-3, in every seed.")
def _(seeds):
    numbers, ok = {}, []
    for seed in seeds:
        row = {f"{name} {kind}": _ratio(setup.but(seed=seed, residual=residual))
               for name, setup in (("sigmoid", SIGMOID_20), ("relu", RELU_20))
               for kind, residual in (("plain", False), ("residual", True))}
        numbers[seed] = row
        ok.append(bool(row["sigmoid plain"] < 1e-9 and row["sigmoid residual"] > 1e-3
                       and row["relu plain"] > 1e-3 and row["relu residual"] > 1e-3))
    column = columns(numbers)
    return Outcome(numbers, passed=all(ok),
                   summary=f"{share(ok)} seeds; ‖∂L/∂W_1‖/‖∂L/∂W_L‖ sigmoid: plain "
                           f"{spread(column['sigmoid plain'], 2)}, "
                           f"residual {spread(column['sigmoid residual'], 2)}; "
                           f"relu + He: plain {spread(column['relu plain'], 2)}, "
                           f"residual {spread(column['relu residual'], 2)}")


@claim("resnet-block-zigzag", "07",
       zh="20 層 sigmoid residual 網路（Xavier）：每個 seed 的每個 block 裡，"
          "第二個 Linear 層 W₂ 的梯度都比第一個 W₁ 的大（逐層梯度圖裡的鋸齒）。"
          "W₁ 收到的梯度多乘了一個 σ′ ≤ 0.25，這一項對比值的貢獻 1/σ′ 至少是 4；"
          "W₂ᵀ 與兩層的輸入再把比值往上或往下調。",
       en="20-layer sigmoid residual net (Xavier): in every block of every seed the block's second Linear "
          "layer W₂ has a larger gradient than its first, W₁ (the zig-zag of the per-layer gradient plot). "
          "W₁'s gradient has one more factor σ′ ≤ 0.25, whose part of the ratio, 1/σ′, is at least 4; "
          "W₂ᵀ and the two layers' inputs move it up or down.")
def _(seeds):
    numbers, ok = {}, []
    X, y = moons_task()
    for seed in seeds:
        parts = block_gradient_factors(SIGMOID_20.but(seed=seed, residual=True).build(), X, y)
        ratios = parts["ratio"]
        numbers[seed] = {"blocks": len(ratios), "blocks W₂ > W₁": int(np.sum(ratios > 1)),
                         "median W₂/W₁": float(np.median(ratios)), "smallest W₂/W₁": float(ratios.min()),
                         "σ′ part min": float(parts["f′"].min()), "σ′ part max": float(parts["f′"].max()),
                         "W₂ᵀ part min": float(parts["W₂ᵀ"].min()), "W₂ᵀ part max": float(parts["W₂ᵀ"].max()),
                         "inputs part min": float(parts["inputs"].min()),
                         "inputs part max": float(parts["inputs"].max())}
        ok.append(bool(np.all(ratios > 1)))
    column = columns(numbers)
    return Outcome(numbers, passed=all(ok),
                   summary=f"{share(ok)} seeds with W₂ > W₁ in every block; "
                           f"per-seed median W₂/W₁: {spread(column['median W₂/W₁'], 2)}, "
                           f"per-seed smallest: {spread(column['smallest W₂/W₁'], 2)}; "
                           f"{_range(column, 'σ′ part')}, {_range(column, 'W₂ᵀ part')}, "
                           f"{_range(column, 'inputs part')}")


def _range(column, name):
    """"name low–high" over all seeds, from the columns "name min" and "name max"."""
    return f"{name} {min(column[name + ' min']):.2f}–{max(column[name + ' max']):.2f}"


@claim("resnet-bn-plain-gradient-grows", "07",
       zh="He 初始化、兩個網路都有 BN，在初始化時：64 層的 plain 網路第一層的梯度是最後一層的 1000 倍以上，"
          "residual 網路的不到 100 倍；同樣的 64 層 plain 網路拿掉 BN（只差 BN）則不到 100 倍"
          "——每個 seed 都如此"
          "（BN 讓深的 plain 網路梯度往輸入方向爆增，Yang et al. 2019 有理論分析）。",
       en="He init and BN in both nets, at initialization: at depth 64 the plain net's first-layer gradient "
          "is over 1000× its last layer's and the residual net's below 100×; the same 64-layer plain net "
          "without BN (only BN differs) is below 100×, in every seed (with BN a deep plain net's gradient "
          "grows toward the input; Yang et al. 2019 analyse why).")
def _(seeds):
    numbers, ok = {}, []
    deepest = FLOW_DEPTHS[-1]
    for seed in seeds:
        setup = DEGRADATION.but(seed=seed)
        row = {f"{kind} {depth}": _ratio(setup.but(depth=depth, residual=residual))
               for kind, residual in (("plain", False), ("residual", True)) for depth in FLOW_DEPTHS}
        row |= {f"{kind} {depth} no BN": _ratio(setup.but(depth=depth, residual=residual, batchnorm=False))
                for kind, residual in (("plain", False), ("residual", True)) for depth in NO_BN_DEPTHS}
        numbers[seed] = row
        ok.append(bool(row[f"plain {deepest}"] > 1e3 and row[f"residual {deepest}"] < 1e2
                       and row[f"plain {deepest} no BN"] < 1e2))
    def column(name):
        return [numbers[s][name] for s in seeds]
    summary = "; ".join(f"depth {depth}: plain {spread(column(f'plain {depth}'), 2)}, "
                        f"residual {spread(column(f'residual {depth}'), 2)}, "
                        f"plain no BN {spread(column(f'plain {depth} no BN'), 2)}"
                        for depth in NO_BN_DEPTHS)
    return Outcome(numbers, passed=all(ok), summary=f"{share(ok)} seeds; ‖∂L/∂W_1‖/‖∂L/∂W_L‖ {summary}")


@claim("resnet-degradation", "07",
       zh="He 初始化、兩個網路都有 BN、同樣 20 步（α = 0.1）之後："
          "每個 seed 裡 24 層 plain 網路的訓練損失都至少是 8 層 plain 的 2 倍、24 層 residual 的 2 倍；"
          "residual 網路 24 層與 8 層損失比的中位數小於 1"
          "（固定預算下的退化問題，He et al. 2016 Fig. 1、Fig. 6）。",
       en="He init, BN in both nets, after the same 20 steps (α = 0.1): "
          "in every seed the 24-layer plain net's training loss is at least 2× the 8-layer plain net's "
          "and 2× the 24-layer residual net's; the median of the residual net's 24-layer / 8-layer loss "
          "ratio is below 1 (the degradation problem within a fixed budget, He et al. 2016, Fig. 1 and 6).")
def _(seeds):
    shallow, deep = DEGRADATION_DEPTHS
    numbers, ok = {}, []
    for seed in seeds:
        sweep = degradation_sweep(DEGRADATION_DEPTHS, DEGRADATION.but(seed=seed))
        row = {f"{kind} {depth}": loss if diverged is None else float("nan")
               for kind in ("plain", "residual")
               for depth, (loss, diverged) in zip(sweep["depths"], sweep[kind], strict=True)}
        row |= {f"plain {deep}/{shallow}": row[f"plain {deep}"] / row[f"plain {shallow}"],
                f"residual {deep}/{shallow}": row[f"residual {deep}"] / row[f"residual {shallow}"],
                f"plain/residual {deep}": row[f"plain {deep}"] / row[f"residual {deep}"],
                f"residual/plain {shallow}": row[f"residual {shallow}"] / row[f"plain {shallow}"]}
        numbers[seed] = row
        # NaN (a diverged run) makes every comparison false: it never counts as a pass
        ok.append(bool(row[f"plain {deep}/{shallow}"] >= 2 and row[f"plain/residual {deep}"] >= 2))
    column = columns(numbers)
    residual_growth = column[f"residual {deep}/{shallow}"]
    passed = all(ok) and np.median(residual_growth) < 1
    worse = column[f"residual/plain {shallow}"] > 1
    return Outcome(numbers, passed=bool(passed),
                   summary=f"{share(ok)} seeds; loss at {deep} / loss at {shallow}: "
                           f"plain {spread(column[f'plain {deep}/{shallow}'], 2)}, "
                           f"residual {spread(residual_growth, 2)}; "
                           f"plain {deep} / residual {deep}: {spread(column[f'plain/residual {deep}'], 2)}; "
                           f"residual {shallow} above plain {shallow} in {share(worse)} seeds")


@claim("resnet-plain-deep-best-rate", "07",
       zh="同樣 20 步：24 層 plain 網路取 α = 0.03、0.1、0.3 裡最好的那個，"
          "每個 seed 的訓練損失仍然比 8 層 plain 網路（α = 0.1）高，中位數高 5 倍以上。",
       en="The same 20 steps: with the best of α = 0.03, 0.1 and 0.3, the 24-layer plain net still ends "
          "with a higher training loss than the 8-layer plain net at α = 0.1 in every seed, over 5× higher "
          "in the median.")
def _(seeds):
    shallow, deep = DEGRADATION_DEPTHS
    numbers, ok = {}, []
    for seed in seeds:
        row = {}
        for rate in DEEP_PLAIN_RATES:
            _, history = trained(DEGRADATION.but(seed=seed, depth=deep, learning_rate=rate))
            diverged = history.diverged_at is not None
            row[f"plain {deep}, α={rate}"] = float("nan") if diverged else history.final_loss
        losses = np.array(list(row.values()))
        best = float(np.nanmin(losses)) if np.any(np.isfinite(losses)) else float("nan")
        _, history = trained(DEGRADATION.but(seed=seed, depth=shallow))
        row |= {f"best {deep}": best, f"plain {shallow}, α={DEGRADATION.learning_rate}": history.final_loss,
                "best / shallow": best / history.final_loss}
        numbers[seed] = row
        ok.append(bool(row["best / shallow"] > 1))  # NaN never passes
    ratio = [numbers[s]["best / shallow"] for s in seeds]
    best_rates = [DEEP_PLAIN_RATES[int(np.nanargmin([numbers[s][f"plain {deep}, α={rate}"]
                                                     for rate in DEEP_PLAIN_RATES]))] for s in seeds]
    return Outcome(numbers, passed=all(ok) and np.median(ratio) > 5,
                   summary=f"{share(ok)} seeds; best plain {deep} / plain {shallow}: {spread(ratio, 2)}; "
                           f"best α: " + ", ".join(f"{r} in {best_rates.count(r)}" for r in DEEP_PLAIN_RATES))
