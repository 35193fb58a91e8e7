"""Notebook 05's claims: ReLU keeps the gradient of a deep net, dead ReLU units (what makes them,
which ones come back), Leaky ReLU, Xavier vs He init (He et al. 2015), sparse activations.

The seed draws the initial weights; the data (64 points of two moons) stay the same.
"""

import itertools

import numpy as np

from ..checks import blew_up
from ..diagnostics import hidden_activations, snapshot
from ..experiments import (
    DEAD_RELU_BIASES,
    DEAD_RELU_RATES,
    DEEP_RELU,
    DEPTH_50,
    LEAKY,
    REVIVAL,
    SPARSE,
    constant_guess_loss,
    dead_relu_sweep,
    dead_units,
    moons_task,
    off_unit_gradients,
    revivals,
)
from ..optim import global_norm
from ..train import History, train
from . import Outcome, claim, columns, share, spread


def _norms(setup):
    return snapshot(setup.build(), *moons_task()).grad_norms


@claim("relu-gradient-reaches-first-layer", "05",
       zh="50 層：sigmoid 配 Xavier 時，第一層的梯度不到最後一層的 10⁻²⁰；ReLU 配 He 初始化時，"
          "兩者相差不到 1000 倍——每個 seed 都如此。",
       en="50 layers: with sigmoid and Xavier init the first layer's gradient is below 1e-20 of the "
          "last layer's; with ReLU and He init they are within a factor 1000, in every seed.")
def _(seeds):
    numbers, ok = {}, []
    for seed in seeds:
        sigmoid = _norms(DEPTH_50.but(activation="sigmoid", init="xavier", seed=seed))
        relu = _norms(DEPTH_50.but(activation="relu", init="he", seed=seed))
        numbers[seed] = {"sigmoid+Xavier first/last": sigmoid[0] / sigmoid[-1],
                         "ReLU+He first/last": relu[0] / relu[-1]}
        ok.append(bool(sigmoid[0] / sigmoid[-1] < 1e-20 and 1e-3 < relu[0] / relu[-1] < 1e3))
    column = columns(numbers)
    return Outcome(numbers, passed=all(ok),
                   summary=f"{share(ok)} seeds; ‖∂L/∂W_1‖ / ‖∂L/∂W_50‖: sigmoid + Xavier "
                           f"{spread(column['sigmoid+Xavier first/last'], 2)}, ReLU + He "
                           f"{spread(column['ReLU+He first/last'], 2)}")


def _rms_last_over_first(setup):
    """RMS of the last hidden layer's activations over the first's, on the 64 inputs, untrained."""
    net = setup.build()
    net.forward(moons_task()[0])
    layers = hidden_activations(net)
    return float(np.sqrt(np.mean(layers[-1].h ** 2)) / np.sqrt(np.mean(layers[0].h ** 2)))


#: 05's signal-scale comparison: 50 ReLU layers, the init (and for He the width) varies.
SIGNAL = {"He w=32": {"init": "he"}, "He w=256": {"init": "he", "width": 256},
          "Xavier w=32": {"init": "xavier"}, "small w=32": {"init": "small"}}


@claim("relu-signal-scale-by-init", "05",
       zh="50 層 ReLU、未訓練：最後一個隱藏層與第一個隱藏層激勵值的 RMS 比值，Xavier 小於 10⁻⁶、"
          "small（std 0.01）小於 10⁻⁵⁰，He 在 10⁻³ 到 100 之間——每個 seed 都如此；He 在寬度 32 時"
          "這個比值在 seed 之間的差距（最大/最小）比寬度 256 時大。",
       en="50 ReLU layers, untrained: the RMS of the last hidden layer's activations over the first's is "
          "below 1e-6 with Xavier, below 1e-50 with small init (std 0.01), and within 1e-3 to 100 with He, "
          "in every seed; with He its spread across seeds (max/min) is larger at width 32 than at width 256.")
def _(seeds):
    numbers = {seed: {name: _rms_last_over_first(DEPTH_50.but(activation="relu", seed=seed, **knobs))
                      for name, knobs in SIGNAL.items()} for seed in seeds}
    column = {name: np.array([numbers[s][name] for s in seeds]) for name in SIGNAL}
    ok = [bool(numbers[s]["Xavier w=32"] < 1e-6 and numbers[s]["small w=32"] < 1e-50
               and 1e-3 < numbers[s]["He w=32"] < 100) for s in seeds]
    ranges = {name: column[name].max() / column[name].min() for name in ("He w=32", "He w=256")}
    narrower = bool(ranges["He w=256"] < ranges["He w=32"])
    return Outcome(numbers, all(ok) and narrower,
                   f"{share(ok)} seeds; last/first RMS: Xavier {spread(column['Xavier w=32'], 2)}, small "
                   f"{spread(column['small w=32'], 2)}, He w=32 {spread(column['He w=32'], 2)} "
                   f"(max/min {ranges['He w=32']:.3g}), He w=256 {spread(column['He w=256'], 2)} "
                   f"(max/min {ranges['He w=256']:.3g})")


@claim("dead-relu-rate-and-bias", "05",
       zh="4 層 ReLU、100 步：初始偏差越負，死掉的單元越多（偏差 0 < −0.5 < −1，每個 seed 都如此）；"
          "偏差 0 時學習率從 0.01 加到 0.1，死掉的單元在至少 5/8 的 seed 裡變多（發散算不成立）。",
       en="4 ReLU layers, 100 steps: the more negative the initial bias, the more units are dead "
          "(bias 0 < −0.5 < −1, in every seed); at bias 0, raising α from 0.01 to 0.1 leaves more "
          "dead units in at least 5 of 8 seeds (a diverged run counts against).")
def _(seeds):
    sweep = dead_relu_sweep("relu", DEAD_RELU_RATES, DEAD_RELU_BIASES, seeds)
    numbers, by_bias, by_rate = {}, [], []
    for k, seed in enumerate(seeds):
        dead = sweep["dead"][k]  # (biases, rates), NaN where diverged
        numbers[seed] = {f"b={bias:g} α={rate:g}": ("diverged" if sweep["diverged"][k, i, j] else dead[i, j])
                         for i, bias in enumerate(DEAD_RELU_BIASES) for j, rate in enumerate(DEAD_RELU_RATES)}
        at_low_rate = dead[:, 0]
        by_bias.append(bool(np.all(np.diff(at_low_rate) > 0)))  # NaN compares False: a divergence fails
        by_rate.append(bool(dead[0, 1] > dead[0, 0]))
    n = len(seeds)
    passed = all(by_bias) and sum(by_rate) >= n - 3 * n // 8
    medians = np.nanmedian(sweep["dead"], axis=0)
    # For the figures: the whole sweep (plots.dead_relu_figure) and, at bias 0, the dead share
    # before every step of each seed's run at each rate (plots.dead_traces_figure).
    series = {**{name: sweep[name] for name in ("dead", "loss", "diverged", "seeds", "bias_inits",
                                                "learning_rates")},
              "dead by step at bias 0": sweep["dead_by_step"][:, DEAD_RELU_BIASES.index(0.0)]}
    return Outcome(numbers, passed,
                   f"bias order holds in {share(by_bias)} seeds (median dead at α = 0.01: "
                   f"{medians[0, 0]:.0%} / {medians[1, 0]:.0%} / {medians[2, 0]:.0%}); α = 0.1 > 0.01 "
                   f"at bias 0 in {share(by_rate)} (median {medians[0, 0]:.0%} → {medians[0, 1]:.0%}, "
                   f"{int(sweep['diverged'][:, 0, 1].sum())} diverged)", series)


@claim("dead-relu-constant-guess", "05",
       zh="同一組實驗，偏差 −1、α = 0.1：最後一個隱藏層全部死掉的 ReLU 網路，損失都停在常數猜測"
          "（差不到 0.001；至少有一個 seed 如此）；停在常數猜測的網路，最後一層至少 80% 的單元是死的。",
       en="The same runs, bias −1, α = 0.1: every ReLU net whose last hidden layer is all dead ends at the "
          "constant guess's loss (within 0.001; at least one seed does), and every net that ends there has "
          "at least 80 % of its last hidden layer dead.")
def _(seeds):
    sweep = dead_relu_sweep("relu", DEAD_RELU_RATES, DEAD_RELU_BIASES, seeds)
    i, j = DEAD_RELU_BIASES.index(-1.0), DEAD_RELU_RATES.index(0.1)
    guess = constant_guess_loss()
    numbers, ok, all_dead_seeds = {}, [], []
    for k, seed in enumerate(seeds):
        layers = sweep["dead_by_layer"][k, i, j]
        loss = sweep["loss"][k, i, j]
        stuck = bool(abs(loss - guess) < 1e-3)
        numbers[seed] = {**{f"dead l{n}": layers[n - 1] for n in range(1, len(layers) + 1)},
                         "final loss": loss, "at constant guess": "yes" if stuck else "no"}
        all_dead = bool(layers[-1] == 1.0)
        agrees = (stuck or not all_dead) and (layers[-1] >= 0.8 or not stuck)
        ok.append(not sweep["diverged"][k, i, j] and agrees)
        all_dead_seeds.append(all_dead)
    stuck = [numbers[s]["at constant guess"] == "yes" for s in seeds]
    last = [numbers[s][f"dead l{sweep['dead_by_layer'].shape[-1]}"] for s in seeds]
    return Outcome(numbers, all(ok) and any(all_dead_seeds),
                   f"{share(ok)} seeds agree; last layer all dead in {share(all_dead_seeds)}, at the "
                   f"constant guess ({guess:.3g}) in {share(stuck)}; last layer dead share {spread(last, 2)}")


@claim("dead-relu-first-layer-stays-dead", "05",
       zh="初始偏差 −0.5、α = 0.1、200 步：第一個隱藏層死掉的單元（輸入 x 固定）一個也沒有回來"
          "（每個 seed；至少一半的 seed 一開始就有）；"
          "第 2、3 層的輸入會隨前面的層改變，在至少 7/8 的 seed 裡有死掉的單元重新活過來。",
       en="Initial bias −0.5, α = 0.1, 200 steps: no dead unit of the first hidden layer (its input x is "
          "fixed) ever comes back, in every seed (at least half of the seeds start with some); in "
          "layers 2–3, whose inputs change as earlier layers train, dead units come back to life in at "
          "least 7 of 8 seeds.")
def _(seeds):
    numbers, first_stays, first_has_dead, deeper_back = {}, [], [], []
    for seed in seeds:
        _, dead, diverged_at = dead_units(REVIVAL.but(seed=seed))
        came_back = revivals(dead)  # per hidden layer
        back_at_end = (dead.any(axis=0) & ~dead[-1]).sum(axis=1)  # dead at some step, alive at the end
        layers = range(1, dead.shape[1] + 1)
        numbers[seed] = {**{f"dead at start l{n}": dead[0, n - 1].mean() for n in layers},
                         "dead at end l1": dead[-1, 0].mean(),
                         "revivals l1": int(came_back[0]), "revivals l2": int(came_back[1]),
                         "revivals l3": int(came_back[2]), "back at end l2–3": int(back_at_end[1:].sum())}
        still_dead = bool(np.all(dead[-1, 0] >= dead[0, 0]))  # every unit dead at the start, at the end
        first_stays.append(diverged_at is None and came_back[0] == 0 and still_dead)
        first_has_dead.append(bool(dead[0, 0].any()))
        deeper_back.append(diverged_at is None and came_back[1:].sum() > 0)
    back = [numbers[s]["revivals l2"] + numbers[s]["revivals l3"] for s in seeds]
    at_end = [numbers[s]["back at end l2–3"] for s in seeds]
    at_start = [numbers[s][f"dead at start l{n}"] for s in seeds for n in (1, 2, 3)]
    passed = all(first_stays) and sum(first_has_dead) >= len(seeds) / 2 and sum(deeper_back) >= len(seeds) - 1
    return Outcome(numbers, passed,
                   f"layer 1: no revival in {share(first_stays)} seeds, dead units at the start in "
                   f"{share(first_has_dead)}; layers "
                   f"2–3: revivals in {share(deeper_back)} ({spread(back, 2)}; alive at the end "
                   f"{spread(at_end, 2)} units); dead at the start, any layer {spread(at_start, 2)}")


def _off_units(net, X):
    """Per hidden unit (all layers in a row), whether s ≤ 0 on every input."""
    net.forward(X)
    return np.concatenate([layer.s.max(axis=0) <= 0 for layer in hidden_activations(net)])


@claim("leaky-relu-off-units-still-learn", "05",
       zh="初始偏差 −1、α = 0.1、100 步：一開始在所有輸入上都是負的 Leaky ReLU（斜率 0.1）單元，"
          "到最後一半以上仍然是（同一批單元）；它們的權重收得到不是 0 的梯度（ReLU 的死單元恰好是 0）；"
          "最後的損失除了至多一個 seed 之外都比 ReLU 低（中位數也較低）。",
       en="Initial bias −1, α = 0.1, 100 steps: of the Leaky ReLU (slope 0.1) units that start negative on "
          "every input, over half still are at the end (the same units); their weights get a nonzero "
          "gradient (exactly 0 for dead ReLU units); the final loss is below ReLU's in all seeds but at "
          "most one (and in the median).")
def _(seeds):
    X, y = moons_task()
    numbers, ok, lower = {}, [], []
    for seed in seeds:
        row = {}
        for name, activation in (("ReLU", "relu"), ("leaky", "leaky_relu")):
            setup = LEAKY.but(activation=activation, seed=seed)
            off_at_start = _off_units(setup.build(), X)
            net, history = setup.run()
            diverged = history.diverged_at is not None
            gradients = [np.nan] if diverged else np.concatenate(off_unit_gradients(net, X, y))
            still_off = (off_at_start & _off_units(net, X)).sum() / max(off_at_start.sum(), 1)
            row[name] = (history, gradients, off_at_start.mean(), still_off)
        (relu, relu_grads, _, _), (leaky, leaky_grads, leaky_off, leaky_still) = row["ReLU"], row["leaky"]
        numbers[seed] = {"ReLU loss": relu.final_loss, "leaky loss": leaky.final_loss,
                         "leaky off at start": leaky_off,
                         "of those, still off at end": leaky_still,
                         "ReLU dead: max ‖grad‖": float(np.max(relu_grads, initial=0.0)),
                         "leaky off: min ‖grad‖": float(np.min(leaky_grads, initial=np.inf))}
        row = numbers[seed]
        ok.append(relu.diverged_at is None and leaky.diverged_at is None
                  and row["ReLU dead: max ‖grad‖"] == 0 and row["leaky off: min ‖grad‖"] > 0
                  and row["of those, still off at end"] > 0.5)
        lower.append(row["leaky loss"] < row["ReLU loss"])
    column = columns(numbers)
    passed = (all(ok) and sum(lower) >= len(seeds) - 1
              and np.median(column["leaky loss"]) < np.median(column["ReLU loss"]))
    return Outcome(numbers, passed,
                   f"{share(ok)} seeds off units keep a gradient; leaky loss lower in {share(lower)}; "
                   f"loss ReLU {spread(column['ReLU loss'], 2)} vs leaky "
                   f"{spread(column['leaky loss'], 2)}; leaky units off on every input at the start "
                   f"{spread(column['leaky off at start'], 2)}, of those still off at the end "
                   f"{spread(column['of those, still off at end'], 2)}; their smallest ‖grad‖ "
                   f"{spread(column['leaky off: min ‖grad‖'], 2)}")


def xavier_over_he_output():
    """The Xavier net's output over the He net's for the same seed, as positive homogeneity predicts:
    a bias-free ReLU layer scales its output by c if its W does, so the ratio is ∏_l c_l with
    c_l = std_Xavier / std_He = √(2 / (n_in + n_out)) / √(2 / n_in) = √(n_in / (n_in + n_out)), for
    DEEP_RELU's layer sizes: 1/√2 for each 32 → 32 layer, so ≈ 2^-(L-1)/2 up to the end layers."""
    sizes = [2] + [DEEP_RELU.width] * (DEEP_RELU.depth - 1) + [1]
    return float(np.prod([np.sqrt(n_in / (n_in + n_out)) for n_in, n_out in itertools.pairwise(sizes)]))


def _clipped_run(setup):
    """setup.run()'s losses, one step at a time (full batch, no momentum: the same trajectory), the
    first layer's ‖∂L/∂W_1‖ before each step's clipping (History.grad_norms[:, 0]), and how many
    of the steps clip_norm clipped: steps whose global gradient norm (biases included) before
    clipping exceeds clip_norm. Returns (losses, first layer's norms, clipped steps, diverged)."""
    net, (X, y) = setup.build(), moons_task()
    losses, first, clipped = [], [], 0
    for _ in range(setup.steps):
        step = train(net, X, y, loss="mse", learning_rate=setup.learning_rate, steps=1,
                     clip_norm=setup.clip_norm, seed=setup.seed)
        if step.diverged_at is not None or (losses and blew_up(step.loss[0], losses[0])):
            return np.array(losses), np.array(first), clipped, True
        losses.append(float(step.loss[0]))
        first.append(float(step.grad_norms[0, 0]))
        clipped += global_norm(net.grads) > setup.clip_norm  # net.grads: this step's, before clipping
    return np.array(losses), np.array(first), clipped, False


def _by_step(values, steps):
    """A run's values by step, NaN-padded to `steps` (after a divergence)."""
    return np.concatenate([values, np.full(steps - len(values), np.nan)])


def deep_relu_histories(result, seed=0):
    """{"xavier": History, "he": History}: seed `seed`'s two runs in `result`, a run of the claim
    "he-init-trains-deep-relu" (the stored one needs no training), with what
    `plots.histories_figure` draws: the loss and the first layer's ‖∂L/∂W_1‖ by step (the only
    column of grad_norms). A run that stopped early diverged at the step after its last."""
    k = result.seeds.index(seed)
    histories = {}
    for init in ("xavier", "he"):
        loss = result.series[f"{init}: loss by step"][k]
        taken = int(np.count_nonzero(np.isfinite(loss)))
        first = result.series[f"{init}: ‖∂L/∂W_1‖ by step"][k][:taken, None]
        diverged_at = taken + 1 if taken < len(loss) else None
        histories[init] = History(loss[:taken], first, np.empty((taken, 0)), np.empty((taken, 0)),
                                  diverged_at, f"seed {seed}, {init} init: {taken} steps")
    return histories


@claim("he-init-trains-deep-relu", "05",
       zh="30 層 ReLU（He et al. 2015；兩邊都把梯度的總範數（含偏差）裁到 1，兩邊都被裁到，He 被裁的步數"
          "比 Xavier 多）：初始時 Xavier 網路的輸出恰好是 He 網路的 ∏c_l ≈ 1.46e-5 倍（正齊次性），"
          "每層權重的梯度（各層中位數）小 1000 倍以上；40 步之內 He 的損失降到 0.2 以下、最後低於 0.24，"
          "Xavier 的損失一直在 0.24 以上——每個 seed 都如此。",
       en="30 ReLU layers (He et al. 2015; both clip the global gradient norm, biases included, to 1; both "
          "get clipped, He in more steps than Xavier): at init the Xavier net's output is exactly "
          "∏c_l ≈ 1.46e-5 times the He net's (positive homogeneity) and its per-layer weight gradient "
          "(median over layers) over 1000× smaller; within 40 steps He's loss falls below 0.2 and ends "
          "below 0.24, while Xavier's never goes below 0.24, in every seed.")
def _(seeds):
    X, _ = moons_task()
    expected = xavier_over_he_output()
    numbers, ok = {}, []
    series = {f"{init}: {name} by step": [] for init in ("xavier", "he") for name in ("loss", "‖∂L/∂W_1‖")}
    for seed in seeds:
        row, outputs, norms = {}, {}, {}
        for init in ("xavier", "he"):
            setup = DEEP_RELU.but(init=init, seed=seed)
            outputs[init] = setup.build().forward(X)
            norms[init] = float(np.median(_norms(setup)))
            losses, first, clipped, diverged = _clipped_run(setup)
            series[f"{init}: loss by step"].append(_by_step(losses, setup.steps))
            series[f"{init}: ‖∂L/∂W_1‖ by step"].append(_by_step(first, setup.steps))
            row[f"{init} lowest loss"] = np.inf if diverged else float(losses.min())
            row[f"{init} loss at step 40"] = np.inf if diverged else float(losses[-1])
            row[f"{init} clipped steps"] = clipped
        ratio = outputs["xavier"] / outputs["he"]
        row = {"output X/He ÷ ∏c": float(np.median(ratio)) / expected,
               "‖grad‖ X/He": norms["xavier"] / norms["he"], "he ‖grad‖ at init": norms["he"], **row}
        numbers[seed] = row
        ok.append(bool(np.allclose(ratio, expected, rtol=1e-9)) and row["‖grad‖ X/He"] < 1e-3
                  and row["he lowest loss"] < 0.2 and row["he loss at step 40"] < 0.24
                  and row["xavier lowest loss"] > 0.24
                  and 0 < row["xavier clipped steps"] < row["he clipped steps"])
    column = columns(numbers)
    return Outcome(numbers, all(ok),
                   f"{share(ok)} seeds; clipped steps of {DEEP_RELU.steps}: Xavier "
                   f"{spread(column['xavier clipped steps'], 2)}, "
                   f"He {spread(column['he clipped steps'], 2)}; "
                   f"output ratio / ∏c {spread(column['output X/He ÷ ∏c'], 6)} "
                   f"(∏c = {expected:.3g}); gradient ratio Xavier/He {spread(column['‖grad‖ X/He'], 2)}; "
                   f"lowest loss Xavier {spread(column['xavier lowest loss'], 3)} vs He "
                   f"{spread(column['he lowest loss'], 2)}; "
                   f"He at step 40 {spread(column['he loss at step 40'], 2)}",
                   # for the figure (deep_relu_histories): every seed's runs, step by step
                   {name: np.array(rows) for name, rows in series.items()})


#: The learning rates tried for the 30-layer Xavier net, beyond DEEP_RELU's 0.05.
XAVIER_RATES = (0.5, 5.0, 50.0)


@claim("xavier-deep-relu-no-rate-helps", "05",
       zh="同樣 30 層、40 步、裁剪：Xavier 把學習率加大 10、100、1000 倍（α = 0.5、5、50）也沒有一個"
          "把損失降到 0.24 以下（α = 50 發散也算在內）——每個 seed 都如此。",
       en="The same 30 layers, 40 steps and clipping: with Xavier, raising α 10, 100 or 1000 times "
          "(0.5, 5, 50) never brings the loss below 0.24 either (a diverged run counts as not below), "
          "in every seed.")
def _(seeds):
    numbers, ok = {}, []
    for seed in seeds:
        row = {}
        for rate in XAVIER_RATES:
            _, history = DEEP_RELU.but(init="xavier", learning_rate=rate, seed=seed).run()
            row[f"α={rate:g} lowest loss"] = ("diverged" if history.diverged_at is not None
                                              else float(history.loss.min()))
        numbers[seed] = row
        ok.append(all(value == "diverged" or value > 0.24 for value in row.values()))
    diverged = {rate: sum(numbers[s][f"α={rate:g} lowest loss"] == "diverged" for s in seeds)
                for rate in XAVIER_RATES}
    lowest = [v for s in seeds for v in numbers[s].values() if v != "diverged"]
    return Outcome(numbers, all(ok),
                   f"{share(ok)} seeds stay above 0.24 at every α; lowest loss of any run that did not "
                   f"diverge {min(lowest, default=np.nan):.3g}; diverged: "
                   + ", ".join(f"α = {rate:g}: {n}/{len(seeds)}" for rate, n in diverged.items()))


@claim("relu-sparse-activations", "05",
       zh="5 層 ReLU、He 初始化：未訓練時每個隱藏層在 64 個輸入上都有 25%–75% 的激勵值恰好是 0；"
          "以 α = 0.05 訓練 100 步之後，每一層仍至少 25% 是 0——每個 seed 都如此。",
       en="5 ReLU layers, He init: untrained, 25–75% of every hidden layer's activations on the 64 inputs "
          "are exactly 0; after 100 steps at α = 0.05 still at least 25% in every layer, in every seed.")
def _(seeds):
    X, _ = moons_task()
    numbers, ok = {}, []
    for seed in seeds:
        net = SPARSE.but(seed=seed).build()
        net.forward(X)
        before = [float(np.mean(layer.h == 0)) for layer in hidden_activations(net)]
        net, history = SPARSE.but(seed=seed).run()
        net.forward(X)
        after = [float(np.mean(layer.h == 0)) for layer in hidden_activations(net)]
        numbers[seed] = {**{f"init l{i}": z for i, z in enumerate(before, start=1)},
                         **{f"trained l{i}": z for i, z in enumerate(after, start=1)}}
        ok.append(history.diverged_at is None and all(0.25 <= z <= 0.75 for z in before)
                  and all(z >= 0.25 for z in after))
    before = [v for row in numbers.values() for k, v in row.items() if k.startswith("init")]
    after = [v for row in numbers.values() for k, v in row.items() if k.startswith("trained")]
    return Outcome(numbers, all(ok), f"{share(ok)} seeds; zeros per layer untrained {spread(before, 2)}, "
                                     f"trained {spread(after, 2)}")
