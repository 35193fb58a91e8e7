"""The lecture's deep-net experiments, as settings you can change one knob at a time.

A `Setup` is every knob of one training run (depth, width, activation, init, learning rate, …,
seed). `setup.but(activation="relu")` changes one knob and keeps the rest, including the seed, so
two runs differ only in what you changed: an A/B comparison (notebooks 04–06).

The task is small on purpose: 64 points of two moons, the target is the class (0 or 1), loss MSE.
A net that learns nothing predicts the mean class and stays at loss ≈ 0.24.
"""

import copy
import functools
from dataclasses import dataclass, replace

import numpy as np

from .data import two_moons, xor
from .landscape import filter_normalized_direction, loss_grid, nonconvexity
from .losses import get_loss
from .nets import build_mlp
from .train import train


def moons_task(n=64, seed=0):
    """(X, y): two moons in 2-D and the class of each point as a (n, 1) target."""
    X, Y = two_moons(n=n, seed=seed)
    return X, Y[:, 1:]


@dataclass(frozen=True)
class Setup:
    """Every knob of a training run; `run()` builds the net from `seed` and trains it."""

    depth: int = 20
    width: int = 32
    activation: str = "sigmoid"
    init: str = "xavier"
    std: float | None = None  # for init="normal"
    learning_rate: float = 0.1
    steps: int = 300
    seed: int = 0
    bias_init: float = 0.0
    slope: float = 0.01
    clip_norm: float | None = None
    clip_value: float | None = None
    l1: float = 0.0
    l2: float = 0.0
    residual: bool = False
    batchnorm: bool = False
    batch_noise: float = 0.0
    batch_size: int | None = None
    watch: int | None = None  # record this hidden layer's input percentiles (see train)

    def but(self, **changes):
        """The same setup with some knobs changed."""
        return replace(self, **changes)

    def build(self):
        return build_mlp(self.depth, self.width, self.activation, self.init,
                         np.random.default_rng(self.seed), n_in=2, n_out=1, std=self.std,
                         bias_init=self.bias_init, slope=self.slope, residual=self.residual,
                         batchnorm=self.batchnorm, batch_noise=self.batch_noise)

    def run(self, progress=False):
        """Train on the moons task; returns (net, History)."""
        net = self.build()
        X, y = moons_task()
        history = train(net, X, y, loss="mse", learning_rate=self.learning_rate, steps=self.steps,
                        batch_size=self.batch_size,
                        clip_norm=self.clip_norm, clip_value=self.clip_value, l1=self.l1, l2=self.l2,
                        watch=self.watch,
                        seed=self.seed, progress=progress)
        return net, history


#: Notebook 06's shared failing setup: 20 sigmoid layers, Xavier init. The first layer's gradient
#: is ~1e-12 of the last one's, and the loss stays where a constant guess puts it.
VANISHING = Setup()

#: The exploding run: 20 ReLU layers with He init and the same learning rate diverge in a few steps.
EXPLODING = Setup(activation="relu", init="he")


@functools.lru_cache(maxsize=64)
def _trained(setup):
    return setup.run()


def forget():
    """Drop every remembered run and landscape (a benchmark's first call computes them again)."""
    _trained.cache_clear()
    loss_landscape.cache_clear()


def trained(setup):
    """setup.run(), remembered: a widget that comes back to a setup does not train it again.
    Returns copies, so changing the net you get does not change the remembered one."""
    return copy.deepcopy(_trained(setup))


#: He et al. 2015 (Fig. 3) at a small scale: a 30-layer ReLU net; compare init="xavier" and "he".
DEEP_RELU = Setup(depth=30, activation="relu", learning_rate=0.05)


#: He et al. 2016 (Fig. 1), the degradation problem, at a small scale: ReLU nets, Xavier init,
#: the same learning rate and number of steps at every depth, plain vs residual.
DEGRADATION = Setup(activation="relu", learning_rate=0.02)


@functools.lru_cache(maxsize=16)
def loss_landscape(setup, direction_seed=1, resolution=51):
    """The loss around `setup`'s trained weights as Li et al. (2018) draw it: on a resolution²
    grid along two filter-normalized random directions drawn from `direction_seed`.

    Returns (alphas, betas, losses, share of grid points with negative curvature), read-only.
    Remembered like `trained`: a widget that comes back to a setting does not compute it again.
    """
    net, _ = trained(setup)
    X, y = moons_task()
    rng = np.random.default_rng(direction_seed)
    directions = (filter_normalized_direction(net, rng), filter_normalized_direction(net, rng))
    alphas, betas, losses = loss_grid(net, X, y, directions, resolution=resolution)
    for array in (alphas, betas, losses):
        array.flags.writeable = False
    return alphas, betas, losses, nonconvexity(losses, alphas, betas)


def degradation_sweep(depths=(4, 8, 16, 32), setup=DEGRADATION):
    """Final training loss by depth for the plain and the residual net (same seed, same budget).

    Returns {"depths": …, "plain": [(loss, diverged_at)], "residual": [(loss, diverged_at)]}.
    """
    result = {"depths": tuple(depths), "plain": [], "residual": []}
    for depth in depths:
        for kind, residual in (("plain", False), ("residual", True)):
            _, history = trained(setup.but(depth=depth, residual=residual))
            result[kind].append((history.final_loss, history.diverged_at))
    return result


def remedies(setup=VANISHING):
    """The slide's four remedies (如何舒緩Gradient造成的問題), each one knob changed in `setup`."""
    return {
        "baseline": setup,
        "1. fewer layers (3)": setup.but(depth=3),
        "2. ReLU": setup.but(activation="relu"),
        "3. clip norm 1.0": setup.but(clip_norm=1.0),
        "4. L2 λ = 1e-3": setup.but(l2=1e-3),
    }


def dead_relu_sweep(activation="relu", learning_rates=(0.03, 0.1, 0.2, 0.3),
                    bias_inits=(0.0, -0.5, -1.0), depth=4, slope=0.1, steps=300, seed=0):
    """Train a 4-layer net for every (bias init, learning rate) pair.

    Returns a dict of (len(bias_inits), len(learning_rates)) arrays: "dead" (share of hidden
    units off on every input after training), "loss" (final loss) and "diverged" (bool), plus the
    two knob lists. Same seed everywhere: only the two knobs differ.
    """
    shape = (len(bias_inits), len(learning_rates))
    dead, loss, diverged = np.zeros(shape), np.zeros(shape), np.zeros(shape, dtype=bool)
    base = Setup(depth=depth, activation=activation, init="he", steps=steps, seed=seed, slope=slope)
    for i, bias in enumerate(bias_inits):
        for j, rate in enumerate(learning_rates):
            _, history = trained(base.but(bias_init=bias, learning_rate=rate))
            dead[i, j] = history.dead_fraction[-1].mean()
            loss[i, j] = history.final_loss
            diverged[i, j] = history.diverged_at is not None
    return {"dead": dead, "loss": loss, "diverged": diverged,
            "learning_rates": tuple(learning_rates), "bias_inits": tuple(bias_inits)}


def sweep_table(sweep):
    """A dead_relu_sweep as text: a row per initial bias, a column per learning rate, each cell
    "dead share / final loss" (or "diverged")."""
    header = "initial bias │ " + " │ ".join(f"α = {rate:<11g}" for rate in sweep["learning_rates"])
    rows = [header, "─" * len(header)]
    for i, bias in enumerate(sweep["bias_inits"]):
        cells = ["diverged".ljust(15) if sweep["diverged"][i, j]
                 else f"{sweep['dead'][i, j]:4.0%} / {sweep['loss'][i, j]:<8.3g}"
                 for j in range(len(sweep["learning_rates"]))]
        rows.append(f"{bias:>12g} │ " + " │ ".join(cells))
    return "\n".join(rows)


def evaluate(net, X, y, loss="mse"):
    """The loss on all of (X, y) in evaluation mode (BN uses its running statistics)."""
    net.eval()
    try:
        with np.errstate(over="ignore", invalid="ignore"):
            return get_loss(loss)(net.forward(X), y)[0]
    finally:
        net.train()


# Notebook 03: what the hidden layer and the bias buy, on XOR.

#: The three nets of notebook 03's XOR comparison, by name: (depth, bias).
XOR_NETS = {"no hidden layer": (1, True), "2-3-2, no bias (slides)": (2, False), "2-3-2 with bias": (2, True)}


@functools.lru_cache(maxsize=32)
def _xor_nets(seed):
    X, Y = xor(n=80, seed=seed)
    nets = {}
    for name, (depth, bias) in XOR_NETS.items():
        net = build_mlp(depth, 3, "sigmoid", "xavier", np.random.default_rng(seed), n_out=2,
                        output_activation="sigmoid", bias=bias)
        train(net, X, Y, loss="mse", learning_rate=2.0, steps=300, momentum=0.9, seed=seed)
        nets[name] = net
    return X, Y, nets


def xor_nets(seed=0):
    """(X, Y, {name: trained net}): 80 XOR points drawn from `seed`, and the three nets of
    XOR_NETS (sigmoid, Xavier init from `seed`, 300 steps of full-batch GD with momentum 0.9,
    α = 2, MSE on the one-hot targets). Remembered per seed; returns copies."""
    return copy.deepcopy(_xor_nets(seed))


# Notebook 09: Batch Normalization. One knob at a time, with and without BN.

#: (a)(b)(e)(f): a 10-layer sigmoid net, Xavier init, α = 0.1, 200 steps.
DEEP_SIGMOID = Setup(depth=10, activation="sigmoid", learning_rate=0.1, steps=200)

#: (c)(d): a 6-layer ReLU net, He init, 200 steps.
RELU_6 = Setup(depth=6, activation="relu", init="he", steps=200)


def with_and_without_bn(setup, **knob):
    """{"no BN": history, "BN": history} for `setup` with one knob changed (same seed)."""
    return {name: trained(setup.but(batchnorm=bn, **knob))[1]
            for name, bn in (("no BN", False), ("BN", True))}


def largest_stable_rate(setup, rates):
    """The largest learning rate in `rates` whose run does not diverge, or None."""
    stable = [rate for rate in rates if trained(setup.but(learning_rate=float(rate)))[1].diverged_at is None]
    return max(stable) if stable else None


def loss_along_gradient(net, X, y, rates):
    """L(θ − η ∇L(θ)) for each step size η (the net is not changed): how far one can trust the
    gradient (Santurkar et al. 2018, Fig. 4)."""
    probe = copy.deepcopy(net)  # BN's running statistics must not move either
    _, grad = get_loss("mse")(probe.forward(X), y)
    probe.backward(grad)
    params, grads = probe.params, {name: g.copy() for name, g in probe.grads.items()}
    start = {name: p.copy() for name, p in params.items()}
    losses = []
    with np.errstate(over="ignore", invalid="ignore"):
        for rate in rates:
            for name, p in params.items():
                p[...] = start[name] - rate * grads[name]
            losses.append(get_loss("mse")(probe.forward(X), y)[0])
    return np.array(losses)


def gradient_predictiveness(setup, checkpoints=10, every=20, rates=(0.05, 0.1, 0.2, 0.4)):
    """At `checkpoints` points of training (every `every` steps), the spread max − min of the loss
    along the gradient for step sizes `rates`: small means a smooth, predictable landscape."""
    net = setup.build()
    X, y = moons_task()
    spreads = []
    for _ in range(checkpoints):
        along = loss_along_gradient(net, X, y, rates)
        spreads.append(float(np.nanmax(along) - np.nanmin(along)) if np.all(np.isfinite(along)) else np.inf)
        train(net, X, y, learning_rate=setup.learning_rate, steps=every, seed=setup.seed)
    return np.arange(checkpoints) * every, np.array(spreads)


def loss_with_batch_statistics(net, X, y, batch_size):
    """The mean loss when every batch of `batch_size` consecutive examples is normalized with its
    own statistics (training mode) — what goes wrong if evaluation used batch statistics."""
    probe = copy.deepcopy(net).train()
    with np.errstate(over="ignore", invalid="ignore"):
        losses = [get_loss("mse")(probe.forward(X[i:i + batch_size]), y[i:i + batch_size])[0]
                  for i in range(0, len(X) - batch_size + 1, batch_size)]
    return float(np.mean(losses))
