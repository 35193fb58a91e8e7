"""Notebook 02's claims: the learning-rate regimes of gradient descent on a quadratic loss.

The seed draws where gradient descent starts (and, for the slope, the learning rate): the regimes
are a property of α and the curvature, so they must hold from every start.
"""

import numpy as np

from ..descent import bowl_1d, bowl_2d, gradient_descent
from . import Outcome, claim, share, spread

RATES_1D = {0.02: "slow", 0.3: "converged", 0.6: "oscillating", 0.9: "oscillating",
            1.1: "diverged", 1.5: "diverged"}


@claim("descent-regimes-1d", "02",
       zh="在 L(w) = (w−3)² + 1 上跑 30 步，從離 w* 1 到 5 的任何起點：α = 0.02 太慢、0.3 收斂、"
          "0.6 與 0.9 震盪、1.1 與 1.5 發散。",
       en="On L(w) = (w−3)² + 1, 30 steps from any start 1 to 5 away from w*: α = 0.02 is too slow, "
          "0.3 converges, 0.6 and 0.9 oscillate, 1.1 and 1.5 diverge.")
def _(seeds):
    numbers, ok = {}, []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        w0 = 3.0 + rng.choice([-1.0, 1.0]) * rng.uniform(1.0, 5.0)
        verdicts = {rate: gradient_descent(bowl_1d(), [w0], rate, 30).verdict for rate in RATES_1D}
        numbers[seed] = {"w(0)": w0, **{f"α={rate:g}": verdict for rate, verdict in verdicts.items()}}
        ok.append(verdicts == RATES_1D)
    return Outcome(numbers, all(ok), f"{share(ok)} starts give exactly the expected verdict at all 6 rates")


@claim("descent-log-slope", "02",
       zh="不發散時（0 < α < 1），log₁₀(L − L*) 每步下降 2·log₁₀|1 − 2α|（不是 log₁₀|1 − 2α|）："
          "L − L* = (w − 3)²。",
       en="For 0 < α < 1 (converging or oscillating), log₁₀(L − L*) changes by 2·log₁₀|1 − 2α| per step "
          "(not log₁₀|1 − 2α|), since L − L* = (w − 3)².")
def _(seeds):
    numbers, errors = {}, []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        # |1 − 2α| ≥ 0.1, so L − L* stays far above rounding (1e-9) for the 5 steps fitted.
        rate = rng.choice([-1, 1]) * rng.uniform(0.05, 0.45) + 0.5
        w0 = 3.0 + rng.uniform(1.0, 5.0)
        path = gradient_descent(bowl_1d(), [w0], rate, 5, tolerance=0.0)
        measured = np.polyfit(np.arange(len(path.losses)), np.log10(path.losses - 1.0), 1)[0]
        predicted = 2 * np.log10(abs(1 - 2 * rate))
        errors.append(abs(measured - predicted) if np.isfinite(measured) else np.inf)
        numbers[seed] = {"α": rate, "measured slope": measured, "2·log|1−2α|": predicted,
                         "log|1−2α|": predicted / 2}
    return Outcome(numbers, max(errors) < 1e-6,
                   f"largest |measured − 2·log₁₀|1−2α|| over {len(seeds)} seeds: {max(errors):.1g}")


RATES_2D = {0.05: "slow", 0.15: "oscillating", 0.19: "oscillating", 0.21: "diverged"}


@claim("valley-regimes", "02",
       zh="在 1:10 的山谷裡跑 50 步（1/λ_max = 0.1、2/λ_max = 0.2），從離最小值 3 到 5、偏離谷底 15°–45° 的"
          "任何起點：α = 0.05 太慢、0.15 與 0.19 在兩壁間震盪、0.21 發散。",
       en="In the 1:10 valley (1/λ_max = 0.1, 2/λ_max = 0.2), 50 steps from any start 3 to 5 away "
          "and 15°–45° off the valley floor: α = 0.05 is too slow, 0.15 and 0.19 zig-zag, 0.21 diverges.")
def _(seeds):
    valley = bowl_2d()
    floor = np.linalg.eigh(valley.curvature)[1][:, 0]  # the flat direction
    numbers, ok = {}, []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        angle = np.arctan2(floor[1], floor[0]) + rng.choice([-1, 1]) * np.deg2rad(rng.uniform(15, 45))
        distance = rng.choice([-1, 1]) * rng.uniform(3, 5)
        start = valley.minimum + distance * np.array([np.cos(angle), np.sin(angle)])
        verdicts = {rate: gradient_descent(valley, start, rate, 50).verdict for rate in RATES_2D}
        numbers[seed] = {"w₁(0)": start[0], "w₂(0)": start[1],
                         **{f"α={rate:g}": verdict for rate, verdict in verdicts.items()}}
        ok.append(verdicts == RATES_2D)
    distances = [np.hypot(numbers[s]["w₁(0)"] - 1, numbers[s]["w₂(0)"] + 1) for s in seeds]
    return Outcome(numbers, all(ok),
                   f"{share(ok)} starts give exactly the expected verdict at all 4 rates; "
                   f"start distance {spread(distances, 2)}")
