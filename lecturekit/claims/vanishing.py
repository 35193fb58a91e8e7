"""Notebook 04's claims: vanishing and exploding gradients at initialization, the forward signal
forgetting its input, and Glorot & Bengio (2010)'s top hidden layer saturating during training."""

import numpy as np

from .. import glorot
from ..diagnostics import snapshot
from ..experiments import SIGMOID_20, TANH_20, backprop_norms, moons_task
from . import Outcome, claim, columns, share, spread

#: The depths of 04's depth series.
DEPTHS = (5, 10, 20, 50, 100)


def _norms(setup):
    return snapshot(setup.build(), *moons_task()).grad_norms


def _first_over_last(setup):
    norms = _norms(setup)
    return norms[0] / norms[-1]


@claim("sigmoid-vanishing-grows-with-depth", "04",
       zh="sigmoid、Xavier 初始化，深度 5、10、20、50、100：在每個 seed 裡，"
          "第一層與最後一層的梯度比 ‖∂L/∂W_1‖ / ‖∂L/∂W_L‖ 隨深度一路變小，"
          "100 層時低於 10⁻⁵⁵。",
       en="Sigmoid, Xavier init, depths 5, 10, 20, 50, 100: in every seed the ratio "
          "‖∂L/∂W_1‖ / ‖∂L/∂W_L‖ falls with every step in depth, and at depth 100 it is below 1e-55.")
def _(seeds):
    numbers, ok = {}, []
    for seed in seeds:
        ratios = [_first_over_last(SIGMOID_20.but(depth=depth, seed=seed)) for depth in DEPTHS]
        numbers[seed] = {f"L={depth}": ratio for depth, ratio in zip(DEPTHS, ratios, strict=True)}
        ok.append(bool(np.all(np.diff(np.log(ratios)) < 0) and ratios[-1] < 1e-55))
    below = [share([numbers[s][f"L={d}"] < 0.25 ** (d - 1) for s in seeds]) for d in DEPTHS]
    return Outcome(numbers, passed=all(ok),
                   summary=f"{share(ok)} seeds; depth 20 {spread([numbers[s]['L=20'] for s in seeds], 2)}, "
                           f"depth 100 {spread([numbers[s]['L=100'] for s in seeds], 2)}; "
                           f"below 0.25^(L−1) at depth {'/'.join(map(str, DEPTHS))}: "
                           f"{', '.join(below)} seeds")


@claim("sigmoid-gradient-shrinks-every-layer", "04",
       zh="20 層 sigmoid、Xavier 初始化：在每個 seed 裡，‖∂L/∂W_l‖ "
          "每往輸入走一層都變小（19 步全部），第一層只有最後一層的 10⁻⁹ 以下"
          "（Xavier 假設 f′(0) = 1，sigmoid 的 f′(0) 只有 0.25）。",
       en="20 sigmoid layers, Xavier init: in every seed ‖∂L/∂W_l‖ shrinks at each of the 19 steps "
          "towards the input, and the first layer's is below 1e-9 of the last one's (Xavier assumes "
          "f′(0) = 1; sigmoid's f′(0) is 0.25).")
def _(seeds):
    numbers, ok = {}, []
    for seed in seeds:
        norms = _norms(SIGMOID_20.but(seed=seed))
        shrink = norms[:-1] / norms[1:]  # ‖∂L/∂W_l‖ / ‖∂L/∂W_{l+1}‖, < 1 where it shrinks
        depth = len(norms)
        # the f′-only line 0.25^(L−l) ‖∂L/∂W_L‖: how many layers lie above it (the weights' share)
        line = 0.25 ** (depth - np.arange(1, depth + 1)) * norms[-1]
        above = int(np.sum(norms > line * (1 + 1e-12)))
        ratio = norms[0] / norms[-1]
        numbers[seed] = {"first/last": ratio, "layers shrinking": int(np.sum(shrink < 1)),
                         "median factor l/l+1": float(np.median(shrink)),
                         "largest factor l/l+1": shrink.max(), "layers above 0.25 line": above}
        ok.append(bool(np.all(shrink < 1) and ratio < 1e-9))
    column = columns(numbers)
    return Outcome(numbers, passed=all(ok),
                   summary=f"{share(ok)} seeds shrink at every layer; "
                           f"first/last {spread(column['first/last'], 2)}; "
                           f"median one-layer factor {spread(column['median factor l/l+1'], 2)}; "
                           f"largest one-layer factor {spread(column['largest factor l/l+1'], 2)}")


def gradient_parts(setup):
    """The two parts of ‖∂L/∂W_l‖ = ‖h_{l−1}ᵀ ∂L/∂s_l‖ for every Linear layer l, first to last,
    after one forward and backward pass on the moons task: "input" (the mean over the points of
    ‖h_{l−1}‖, the layer's input, h_0 = x), "delta" (‖∂L/∂s_l‖, the back-propagated gradient) and
    "weight" (‖∂L/∂W_l‖)."""
    X, y = moons_task()
    shot = snapshot(setup.build(), X, y)
    inputs = [X, *shot.activations]
    return {"input": np.array([np.linalg.norm(h, axis=1).mean() for h in inputs]),
            "delta": backprop_norms(setup.build(), X, y), "weight": shot.grad_norms}


def input_spread(setup):
    """For each hidden layer, how much its outputs still depend on the input: the std over the
    64 moons points of each unit's output, averaged over the units (one forward pass)."""
    activations = snapshot(setup.build(), *moons_task()).activations
    return np.array([h.std(axis=0).mean() for h in activations])


@claim("sigmoid-forward-forgets-input", "04",
       zh="20 層 sigmoid、Xavier 初始化：在每個 seed 裡，隱藏層輸出隨輸入的變化"
          "（64 個輸入上的標準差，各單元平均）每往上一層都變小（18 步全部），"
          "第 19 層只剩第 1 層的 10⁻⁹ 以下：最上面幾層對每個輸入給出幾乎一樣的值。",
       en="20 sigmoid layers, Xavier init: in every seed the hidden outputs' dependence on the input "
          "(std over the 64 inputs, averaged over units) shrinks at each of the 18 steps up the net, and "
          "at layer 19 it is below 1e-9 of layer 1's: the top layers give almost the same output for "
          "every input.")
def _(seeds):
    numbers, ok = {}, []
    for seed in seeds:
        spreads = input_spread(SIGMOID_20.but(seed=seed))
        factor = spreads[1:] / spreads[:-1]
        numbers[seed] = {"layer 1 std": spreads[0], "layer 3 / layer 1": spreads[2] / spreads[0],
                         "layer 19 / layer 1": spreads[-1] / spreads[0],
                         "median factor l+1/l": float(np.median(factor)),
                         "largest factor l+1/l": factor.max()}
        ok.append(bool(np.all(factor < 1) and spreads[-1] / spreads[0] < 1e-9))
    column = columns(numbers)
    return Outcome(numbers, passed=all(ok),
                   summary=f"{share(ok)} seeds shrink at every layer; layer 1 std "
                           f"{spread(column['layer 1 std'], 2)}; layer 3 / layer 1 "
                           f"{spread(column['layer 3 / layer 1'], 2)}; layer 19 / layer 1 "
                           f"{spread(column['layer 19 / layer 1'], 2)}; median one-layer factor "
                           f"{spread(column['median factor l+1/l'], 2)}")


def mean_sigmoid_slope(setup):
    """The mean of f′ = h(1 − h) over every hidden unit and input (one forward pass)."""
    activations = snapshot(setup.build(), *moons_task()).activations
    return float(np.mean([np.mean(h * (1 - h)) for h in activations]))


@claim("large-init-sigmoid-vanishes-less", "04",
       zh="20 層 sigmoid，只改初始化的大小：std 1 的大權重時，平均的 f′ 比 Xavier 時小，"
          "第一層與最後一層的梯度比卻是 Xavier 時的 10⁴ 倍以上（但仍低於 0.1，還是消失）"
          "——每個 seed 都如此：權重的因子變大，蓋過了 f′ 變小。",
       en="20 sigmoid layers, only the init's scale changed: with std-1 weights the mean f′ is smaller "
          "than with Xavier, yet the first/last gradient ratio is over 1e4 times Xavier's (still below "
          "0.1: it still vanishes), in every seed: the larger weight factors outweigh the smaller f′.")
def _(seeds):
    numbers, ok = {}, []
    for seed in seeds:
        xavier, large = SIGMOID_20.but(seed=seed), SIGMOID_20.but(seed=seed, init="large")
        numbers[seed] = {"Xavier first/last": _first_over_last(xavier),
                         "std 1 first/last": _first_over_last(large),
                         "Xavier mean f′": mean_sigmoid_slope(xavier),
                         "std 1 mean f′": mean_sigmoid_slope(large)}
        row = numbers[seed]
        ok.append(bool(row["std 1 mean f′"] < row["Xavier mean f′"]
                       and row["std 1 first/last"] > 1e4 * row["Xavier first/last"]
                       and row["std 1 first/last"] < 0.1))
    column = columns(numbers)
    return Outcome(numbers, passed=all(ok),
                   summary=f"{share(ok)} seeds; first/last: Xavier {spread(column['Xavier first/last'], 2)}, "
                           f"std 1 {spread(column['std 1 first/last'], 2)}; mean f′: Xavier "
                           f"{spread(column['Xavier mean f′'], 2)}, "
                           f"std 1 {spread(column['std 1 mean f′'], 2)}")


@claim("large-init-explodes-tanh", "04",
       zh="20 層 tanh，只改初始化的大小：Xavier 時第一層與最後一層的梯度比值在 0.1 與 10 之間；"
          "std 1 的大權重時第一層的梯度是最後一層的 1000 倍以上，而且越往輸入越大"
          "（19 層中至少 15 層比後一層大）——每個 seed 都如此。",
       en="20 tanh layers, only the init's scale changed: with Xavier the first and last layers' "
          "gradients are within a factor 10 of each other; with std-1 weights the first layer's is over "
          "1000× the last one's and grows towards the input (at ≥ 15 of 19 layers), in every seed.")
def _(seeds):
    numbers, ok = {}, []
    for seed in seeds:
        xavier = _norms(TANH_20.but(seed=seed))
        shot = snapshot(TANH_20.but(seed=seed, init="large").build(), *moons_task())
        large = shot.grad_norms
        grows = int(np.sum(large[:-1] > large[1:]))
        # how many hidden outputs sit near ±1, where tanh′ = 1 − h² < 0.02
        near_one = float(np.mean([np.mean(np.abs(h) > 0.99) for h in shot.activations]))
        numbers[seed] = {"Xavier first/last": xavier[0] / xavier[-1],
                         "large first/last": large[0] / large[-1], "large: layers growing": grows,
                         "large: share |h| > 0.99": near_one}
        ok.append(bool(0.1 < xavier[0] / xavier[-1] < 10 and large[0] / large[-1] > 1e3
                       and grows >= 15))
    column = columns(numbers)
    return Outcome(numbers, passed=all(ok),
                   summary=f"{share(ok)} seeds; first/last: Xavier {spread(column['Xavier first/last'], 2)}, "
                           f"std 1 {spread(column['large first/last'], 2)}; grows at "
                           f"{spread(column['large: layers growing'], 2)} of 19 layers; |h| > 0.99: "
                           f"{spread(column['large: share |h| > 0.99'], 2)}")


def _saturated_loss(run):
    """The lowest loss at a checkpoint where ≥ 90 % of the top layer's outputs are saturated."""
    saturated = run["saturated"] >= 0.9
    return float(run["loss"][saturated].min()) if saturated.any() else float("nan")


def _first_step(run):
    """The first checkpoint's step with ≥ 90 % of the top layer's outputs saturated (−1: never)."""
    reached = run["saturated"] >= 0.9
    return int(run["step"][np.argmax(reached)]) if reached.any() else -1


@claim("top-layer-saturates-at-0", "04",
       zh="Glorot & Bengio (2010) 圖 2 的小版本（4 個 32 單元的 sigmoid 隱藏層、softmax、"
          "α = 2）：每個 seed 裡，前 150 步內最上面隱藏層有 90% 以上的輸出低於 0.05"
          "（飽和在 0）——standard 與 normalized (Xavier) 初始化都一樣；飽和期間 loss 都在 "
          "0.6 以上（沒學到東西），第一個隱藏層的平均一直在 0.5 ± 0.05。α = 0.5 時"
          "方向相同但慢：150 步時平均已低於 0.4，低於 0.05 的輸出卻不到 10%。",
       en="Glorot & Bengio (2010) Fig. 2, small (4 sigmoid hidden layers of 32, softmax, α = 2): in "
          "every seed, within 150 steps over 90% of the top hidden layer's outputs fall below 0.05 "
          "(saturated at 0), with the standard and with the normalized (Xavier) init alike; while "
          "saturated the loss stays above 0.6 (nothing learned), and the first hidden layer's mean stays "
          "within 0.5 ± 0.05. With α = 0.5 it goes the same way, slower: at step 150 the top layer's "
          "mean is below 0.4, yet under 10% of its outputs are below 0.05.")
def _(seeds):
    numbers, ok = {}, []
    for seed in seeds:
        standard = glorot.trajectory(seed, "standard")
        normalized = glorot.trajectory(seed, "normalized")
        slow = glorot.trajectory(seed, "standard", learning_rate=0.5)
        numbers[seed] = {
            "top<0.05 peak (std)": standard["saturated"].max(),
            "step ≥90% (std)": _first_step(standard),
            "top<0.05 peak (norm)": normalized["saturated"].max(),
            "step ≥90% (norm)": _first_step(normalized),
            "loss max": max(standard["loss"].max(), normalized["loss"].max()),
            "loss saturated": min(_saturated_loss(standard), _saturated_loss(normalized)),
            "|first−0.5| max": max(np.abs(run["means"][:, 0] - 0.5).max() for run in (standard, normalized)),
            "α0.5 top mean@150": slow["means"][-1, -1],
            "α0.5 top<0.05@150": slow["saturated"][-1],
        }
        row = numbers[seed]
        ok.append(bool(row["top<0.05 peak (std)"] >= 0.9 and row["top<0.05 peak (norm)"] >= 0.9
                       and row["loss saturated"] > 0.6 and row["|first−0.5| max"] < 0.05
                       and row["α0.5 top mean@150"] < 0.4 and row["α0.5 top<0.05@150"] < 0.1))
    column = columns(numbers)
    return Outcome(numbers, passed=all(ok),
                   summary=f"{share(ok)} seeds; top layer < 0.05 at its peak: standard "
                           f"{spread(column['top<0.05 peak (std)'], 2)}, normalized "
                           f"{spread(column['top<0.05 peak (norm)'], 2)}, ≥ 90% from step "
                           f"{spread(column['step ≥90% (std)'], 2)} (standard), "
                           f"{spread(column['step ≥90% (norm)'], 2)} (normalized); loss while saturated "
                           f"{spread(column['loss saturated'], 2)}, highest {spread(column['loss max'], 2)}; "
                           f"α 0.5: top mean at step 150 "
                           f"{spread(column['α0.5 top mean@150'], 2)}")
