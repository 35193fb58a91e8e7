"""Notebook 03's claim: on XOR, the hidden layer helps only with a bias.

Without biases every hidden unit computes σ(vᵀx) = ½ + (an odd function of x), so the net's
output is a constant plus an odd function: z(−x) = 2c − z(x). XOR gives x and −x the same class,
and for one of the two classes that pair cannot both be right: on balanced XOR data the slides'
bias-free net is right on at most about 75 % of the points. A single layer draws one straight
line, which also gets at most three of the four corners.
"""

import numpy as np

from ..experiments import xor_nets
from . import Outcome, claim, share, spread


def accuracy(net, X, Y):
    return float(np.mean(net.forward(X).argmax(axis=1) == Y.argmax(axis=1)))


@claim("xor-needs-bias", "03",
       zh="XOR 上（80 點，300 步）：沒有隱藏層、或是投影片那種沒有 bias 的 2-3-2 網路，"
          "每個種子的正確率都不超過 75%；加上 bias 的 2-3-2 網路至少在 8 個種子中的 6 個"
          "達到 95% 以上（門檻留給卡住的小網路；這個設定下還沒看過）。",
       en="On XOR (80 points, 300 steps), no hidden layer and the slides' bias-free 2-3-2 net stay at or "
          "below 75 % accuracy in every seed; the 2-3-2 net with biases reaches ≥ 95 % in at least 6 of "
          "8 seeds (the margin is for a small net that gets stuck; none has in this setting).")
def _(seeds):
    numbers = {}
    for seed in seeds:
        X, Y, nets = xor_nets(seed)
        numbers[seed] = {name: accuracy(net, X, Y) for name, net in nets.items()}
    column = {name: np.array([numbers[s][name] for s in seeds]) for name in numbers[seeds[0]]}
    linear, no_bias, bias = column.values()
    capped = (linear <= 0.75) & (no_bias <= 0.75)
    solved = bias >= 0.95
    passed = bool(capped.all()) and solved.sum() >= len(seeds) * 3 / 4
    return Outcome(numbers, passed,
                   f"≤ 75 % without a hidden layer or bias in {share(capped)} seeds "
                   f"(no hidden layer {spread(linear, 2)}, no bias {spread(no_bias, 2)}); "
                   f"with bias ≥ 95 % in {share(solved)} ({spread(bias, 2)})")
