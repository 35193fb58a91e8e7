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

from .checks import as_float_array, check_examples, check_net, check_number, check_positive_int, check_seed
from .data import two_moons, xor
from .diagnostics import hidden_activations
from .landscape import (
    Landscape,
    branch_scale,
    filter_normalized_direction,
    gradient_in_plane,
    loss_grid,
    nonconvexity,
    slopes_along,
)
from .layers import Linear, Residual, leaves
from .losses import get_loss
from .nets import build_mlp, linear_layers
from .train import History, train


def _check_setup(setup, where):
    """Refuse anything but a Setup."""
    if not isinstance(setup, Setup):
        raise TypeError(f"{where}: setup must be a Setup, e.g. Setup(depth=8), got {type(setup).__name__}")


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
        check_seed(self.seed, where="Setup")
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


#: Notebook 04's deep sigmoid net: 20 layers of 32 units, Xavier init (the depth explorer's default).
SIGMOID_20 = Setup(depth=20, width=32, activation="sigmoid", init="xavier")

#: Notebook 04's weight-scale explosion: the same net with tanh; only the init's scale changes.
TANH_20 = SIGMOID_20.but(activation="tanh")

#: Notebook 07: the same net with ReLU and He init (05's recommendation), without BN.
RELU_20 = SIGMOID_20.but(activation="relu", init="he")

#: Notebook 05's depth comparison: 50 layers of 32 units, the notebook 04 task (the claims set the
#: activation and the init).
DEPTH_50 = Setup(depth=50, width=32)

#: Notebook 05's dead-ReLU net: 4 ReLU layers of 32 units, He init (05's recommendation for ReLU),
#: α = 0.1, 100 full-batch steps; its Leaky ReLU variant has slope 0.1. The sweep, the claims and the
#: explorer change the initial bias, α, the steps and the activation, never the net.
DEAD_RELU = Setup(depth=4, width=32, activation="relu", init="he", slope=0.1, learning_rate=0.1, steps=100)

#: The dead-ReLU sweep's grid (`dead_relu_sweep`): initial biases × learning rates.
DEAD_RELU_BIASES = (0.0, -0.5, -1.0)
DEAD_RELU_RATES = (0.01, 0.1)

#: Which dead units come back: initial bias −0.5 (some units of every layer start dead), 200 steps.
REVIVAL = DEAD_RELU.but(bias_init=-0.5, steps=200)

#: Leaky ReLU against ReLU where most units start off: the sweep's cell of initial bias −1, α = 0.1,
#: 100 steps (same seed, same initial weights; only the activation differs).
LEAKY = DEAD_RELU.but(bias_init=-1.0)

#: Erratum 7: the sparsity of ReLU activations in a He-initialized net, untrained and trained.
SPARSE = Setup(depth=5, width=32, activation="relu", init="he", learning_rate=0.05, steps=100)

#: Notebook 06's vanishing setup: 8 sigmoid layers of 16 units, Xavier init, α = 0.03, 50 steps
#: (small, so that every remedy runs on 8 seeds in seconds). The first layer's gradient is ~1e-5
#: of the last one's, and the loss stays where a constant guess puts it.
VANISHING = Setup(depth=8, width=16, activation="sigmoid", init="xavier", learning_rate=0.03, steps=50)

#: How many times He's std the exploding setup's weights have.
EXPLODING_SCALE = 2.0

#: Notebook 06's exploding setup, the same shape, learning rate and steps: 8 ReLU layers whose
#: weights are drawn with EXPLODING_SCALE × He's std (√(2/16) ≈ 0.35 here). Each layer multiplies
#: the back-propagated gradient ∂L/∂s_l by about 2 (weight × derivative > 1), so at
#: initialization it grows ~2⁷ towards the input, and the output is ~2⁸ too large. The same net
#: with He init (its only difference) trains at this α and at 3α; this one diverges even at α/10:
#: the weights, not the step size, are the trouble.
EXPLODING = VANISHING.but(activation="relu", init="normal", std=EXPLODING_SCALE * float(np.sqrt(2 / 16)))

#: Notebook 06's L1 vs L2 comparison (and its explorer): a 3-layer ReLU net, He init, α = 0.1,
#: 150 steps; the penalty is the knob.
PENALTY_BASE = Setup(depth=3, activation="relu", init="he", steps=150)


@functools.lru_cache(maxsize=64)
def _trained(setup):
    return setup.run()


def forget():
    """Drop every remembered run and landscape (a benchmark's first call computes them again)."""
    _trained.cache_clear()
    _landscape_run.cache_clear()
    loss_landscape.cache_clear()
    _dead_relu_sweep.cache_clear()


def trained(setup):
    """setup.run(), remembered: a widget that comes back to a setup does not train it again.
    Returns copies, so changing the net you get does not change the remembered one."""
    _check_setup(setup, "trained")
    return copy.deepcopy(_trained(setup))


#: He et al. 2015 (Fig. 3) at a small scale: 30 ReLU layers of 32 units; compare init="xavier" and
#: "he". α = 0.05 for 40 steps, the gradient clipped to norm 1 for both inits (He et al. did not
#: clip). The clip uses the global norm, biases included, and acts on both inits. Xavier: its weight
#: gradients are ~1e-5, but its output bias's is 2·mean(ŷ − y) ≈ −1.16 at init, so its first 4–6 steps
#: are clipped. He: at width 32 a 30-layer ReLU net's output scale
#: varies a lot from seed to seed (a finite-width effect), so some He nets start with a gradient norm of
#: ~50, and it is clipped in most of its 40 steps; without clipping 1 of 32 seeds diverges even at
#: α = 0.01 (10 of 32 at α = 0.05).
DEEP_RELU = Setup(depth=30, width=32, activation="relu", learning_rate=0.05, steps=40, clip_norm=1.0)


#: He et al. 2016 (Fig. 1 and 4), the degradation problem, at a small scale and as they did it:
#: ReLU with He init and a BatchNorm after every hidden Linear layer in both nets; the same budget
#: (20 full-batch steps, α = 0.1) at every depth. Plain vs residual differ only in the shortcuts
#: (see build_mlp). Vary `depth` and `residual`.
DEGRADATION = Setup(depth=24, width=16, activation="relu", init="he", batchnorm=True,
                    learning_rate=0.1, steps=20)


#: Notebook 08: Li et al. (2018), Fig. 1 and 5, at a small scale. ReLU nets of 16 units with He
#: init (05's recommendation for ReLU), α = 0.05, 80 full-batch steps on the moons task; the knobs
#: are the depth, the shortcuts and BN. Without BN the residual net has one more difference,
#: stated in `landscape_start`: its blocks start as the identity.
LANDSCAPE = Setup(depth=20, width=16, activation="relu", init="he", learning_rate=0.05, steps=80)


def start_blocks_as_identity(net):
    """Set the last weight matrix of every residual branch to 0, so each block starts as H(x) = x
    (Fixup, Zhang et al. 2019; with BN, Goyal et al. 2017 set the last γ of each block to 0).
    Li et al.'s ResNets have BN: it rescales the input of each of a branch's layers to mean β and
    variance γ², so a branch's output stays on a fixed scale however large x has grown. Without BN
    (and without this) the branches add up, and a deep residual net starts with a huge loss."""
    check_net(net, "start_blocks_as_identity", sequential=True)
    for layer in net:
        if isinstance(layer, Residual):
            last = [inner for inner in leaves(layer) if isinstance(inner, Linear)][-1]
            last.params["W"][:] = 0.0
    return net


def landscape_start(setup, identity_blocks=True):
    """The net `landscape_run` trains, before training: setup.build(), and for a residual net
    with identity_blocks every block set to start as the identity (`start_blocks_as_identity`);
    identity_blocks=False keeps the blocks as built (He init), as Li et al.'s ResNets with BN."""
    _check_setup(setup, "landscape_start")
    net = setup.build()
    return start_blocks_as_identity(net) if setup.residual and identity_blocks else net


@functools.lru_cache(maxsize=128)
def _landscape_run(setup, identity_blocks=True):
    net = landscape_start(setup, identity_blocks)
    X, y = moons_task()
    history = train(net, X, y, loss="mse", learning_rate=setup.learning_rate, steps=setup.steps,
                    seed=setup.seed)
    return net, history


def landscape_run(setup, identity_blocks=True):
    """Train `landscape_start(setup, identity_blocks)` like `setup.run()` (full batch, its
    learning rate and steps); remembered like `trained`, returns copies. Returns (net, History)."""
    _check_setup(setup, "landscape_run")
    return copy.deepcopy(_landscape_run(setup, identity_blocks))


def constant_guess_loss():
    """The loss of the best constant prediction (the mean class): a net that learned nothing."""
    _, y = moons_task()
    return float(np.mean((y - y.mean()) ** 2))


@functools.lru_cache(maxsize=128)
def loss_landscape(setup, direction_seed=1, resolution=51, identity_blocks=True, batch_statistics=True):
    """The loss around the trained weights of `landscape_run(setup, identity_blocks)` as Li et al.
    (2018) draw it: on a resolution² grid over [−1, 1]² along two filter-normalized random
    directions. Also measures, at the centre, ‖∇L‖ and its part in the slice's plane, the slopes
    dL/dα, dL/dβ, the directions' lengths ‖d₁‖, ‖d₂‖, and the residual branches' size
    (`branch_scale`). With BN, batch_statistics=False evaluates the grid with BN's fixed running
    statistics (eval mode, as Li et al.'s code) instead of each grid point's batch statistics.

    The directions come from np.random.default_rng([direction_seed, 2018]), a stream apart from
    the one that drew the net's weights (default_rng(seed)): with the same number for both, d₁
    would repeat the first layer's initial weights. Returns a read-only `Landscape`. Remembered:
    a widget that comes back to a setting does not compute it again.
    """
    _check_setup(setup, "loss_landscape")
    net, _ = landscape_run(setup, identity_blocks)
    X, y = moons_task()
    rng = np.random.default_rng([direction_seed, 2018])
    directions = (filter_normalized_direction(net, rng), filter_normalized_direction(net, rng))
    with np.errstate(over="ignore", invalid="ignore"):
        alphas, betas, losses = loss_grid(net, X, y, directions, resolution=resolution,
                                          batch_statistics=batch_statistics)
        trained_loss = float(get_loss("mse")(net.forward(X), y)[0])  # as trained (BN: batch statistics)
        gradient, in_plane = gradient_in_plane(net, X, y, directions)
        slopes = slopes_along(net, X, y, directions)
    for array in (alphas, betas, losses):
        array.flags.writeable = False
    norms = tuple(float(np.sqrt(sum(np.sum(d[name] ** 2) for name in d))) for d in directions)
    return Landscape(alphas, betas, losses, nonconvexity(losses, alphas, betas), trained_loss,
                     gradient, in_plane, branch_scale(net, X), slopes, norms)


def degradation_sweep(depths=(8, 24), setup=DEGRADATION):
    """Final training loss by depth for the plain and the residual net (setup's seed and budget).

    Returns {"depths": …, "plain": [(loss, diverged_at)], "residual": [(loss, diverged_at)]}.
    """
    result = {"depths": tuple(depths), "plain": [], "residual": []}
    for depth in depths:
        for kind, residual in (("plain", False), ("residual", True)):
            _, history = trained(setup.but(depth=depth, residual=residual))
            result[kind].append((history.final_loss, history.diverged_at))
    return result


def remedies(setup=VANISHING):
    """The slide's four remedies (如何舒緩Gradient造成的問題), each one knob changed in `setup`,
    except "2. ReLU + He init", which also sets the init to the one 05 recommends for ReLU (for
    EXPLODING, a ReLU net already, that is its only change). Clipping by norm at three thresholds
    and by value at one. Penalties at doses that matter for the setups' α = 0.03 and 50 steps:
    L2 alone would shrink every weight to (1 − αλ)^50 ≈ 0.64 of its size; L1 alone would move
    every weight up to αλ·50 = 0.15 towards 0 (He's std here is 0.35)."""
    _check_setup(setup, "remedies")
    return {
        "baseline": setup,
        "1. fewer layers (3)": setup.but(depth=3),
        "2. ReLU + He init": setup.but(activation="relu", init="he", std=None),
        "3. clip norm 0.1": setup.but(clip_norm=0.1),
        "3. clip norm 1": setup.but(clip_norm=1.0),
        "3. clip norm 10": setup.but(clip_norm=10.0),
        "3. clip value 0.5": setup.but(clip_value=0.5),
        "4. L2 λ = 0.3": setup.but(l2=0.3),
        "4. L1 λ = 0.1": setup.but(l1=0.1),
    }


def backprop_norms(net, X, y, loss="mse"):
    """‖∂L/∂s_l‖ of every Linear layer's output s_l (Frobenius norm over the batch), first to last,
    after one forward and backward pass: the back-propagated gradient, the product of weights ×
    derivatives (04) before it meets the layer's input. ‖∂L/∂W_l‖ = ‖h_{l−1}ᵀ ∂L/∂s_l‖ also has
    the layer's input in it."""
    X, y, _ = check_examples(net, X, y, loss, "backprop_norms", y_name="y")
    with np.errstate(over="ignore", invalid="ignore"):
        _, grad = get_loss(loss)(net.forward(X), y)
        norms = []
        for layer in reversed(list(leaves(net))):
            if isinstance(layer, Linear):
                norms.append(float(np.linalg.norm(grad)))
            grad = layer.backward(grad)
    return np.array(norms[::-1])


def dead_relu_sweep(activation=DEAD_RELU.activation, learning_rates=DEAD_RELU_RATES,
                    bias_inits=DEAD_RELU_BIASES, seeds=(0,), depth=DEAD_RELU.depth, slope=DEAD_RELU.slope,
                    steps=DEAD_RELU.steps):
    """Train DEAD_RELU (4 layers of 32 units, He init; `depth` layers, if given) for every
    (bias init, learning rate) pair and every seed: only the two knobs differ between the runs of
    one seed.

    Returns a dict of (len(seeds), len(bias_inits), len(learning_rates)) arrays: "dead" (share
    of hidden units off on every input after training, NaN where the run diverged), "loss" (final
    loss, NaN where it diverged) and "diverged" (bool); "dead_by_layer" (the same shape plus one
    axis of hidden layers: each layer's share); "dead_by_step" (the same shape plus one axis of
    steps: the share of all hidden units dead before each step, NaN after a divergence); plus the
    knob lists and the seeds.
    Remembered: the notebook's claim and its figure train each run once.
    """
    if check_positive_int(depth, "depth", "dead_relu_sweep") < 2:
        raise ValueError(f"dead_relu_sweep: depth must be at least 2 (a hidden layer to die), got {depth}")
    try:
        seeds = tuple(check_seed(seed, "seeds (each)", where="dead_relu_sweep") for seed in seeds)
    except TypeError:
        raise TypeError(f"dead_relu_sweep: seeds must be a tuple of integers ≥ 0, got {seeds!r}") from None
    return _dead_relu_sweep(activation, tuple(learning_rates), tuple(bias_inits),
                            tuple(int(seed) for seed in seeds), depth, slope, steps)


@functools.lru_cache(maxsize=8)
def _dead_relu_sweep(activation, learning_rates, bias_inits, seeds, depth, slope, steps):
    shape = (len(seeds), len(bias_inits), len(learning_rates))
    dead, loss, diverged = np.full(shape, np.nan), np.full(shape, np.nan), np.zeros(shape, dtype=bool)
    by_layer = np.full((*shape, depth - 1), np.nan)
    by_step = np.full((*shape, steps), np.nan)
    for k, seed in enumerate(seeds):
        base = DEAD_RELU.but(depth=depth, activation=activation, steps=steps, seed=seed, slope=slope)
        for i, bias in enumerate(bias_inits):
            for j, rate in enumerate(learning_rates):
                _, history = base.but(bias_init=bias, learning_rate=rate).run()
                diverged[k, i, j] = history.diverged_at is not None
                if len(history.loss):  # a run that diverged at step 1 recorded nothing
                    by_step[k, i, j, :len(history.loss)] = history.dead_fraction.mean(axis=1)
                if not diverged[k, i, j]:
                    dead[k, i, j] = history.dead_fraction[-1].mean()
                    by_layer[k, i, j] = history.dead_fraction[-1]
                    loss[k, i, j] = history.final_loss
    for array in (dead, loss, diverged, by_layer, by_step):
        array.flags.writeable = False
    return {"dead": dead, "loss": loss, "diverged": diverged, "dead_by_layer": by_layer,
            "dead_by_step": by_step,
            "learning_rates": learning_rates,
            "bias_inits": bias_inits, "seeds": seeds}


def dead_units(setup):
    """Train `setup` on the moons task (full batch, one `train` step at a time) and record, before
    every step, which hidden units are off on every input (s ≤ 0 on all 64 points: a dead ReLU
    unit).

    Returns (losses, dead, diverged_at): the loss before every step taken, a (steps taken, hidden
    layers, width) bool array, and the step at which the run diverged (it stops there) or None.
    A unit that is dead before step t and alive before step t + 1 has come back (see `revivals`).
    """
    _check_setup(setup, "dead_units")
    net = setup.build()
    X, y = moons_task()
    activations = hidden_activations(net)
    losses, dead, diverged_at = [], [], None
    net.forward(X)  # the s before step 1; after that, train's check of each update leaves them
    for step in range(1, setup.steps + 1):
        dead.append([layer.s.max(axis=0) <= 0 for layer in activations])
        history = train(net, X, y, loss="mse", learning_rate=setup.learning_rate, steps=1,
                        seed=setup.seed)
        if len(history.loss):
            losses.append(history.loss[0])
        if history.diverged_at is not None:
            diverged_at = step + history.diverged_at - 1  # 2: the update of this step blew up
            break
    dead = dead[:len(losses)]
    dead = np.array(dead, dtype=bool).reshape(len(losses), len(activations), setup.width)
    return np.array(losses), dead, diverged_at


def revivals(dead):
    """Per hidden layer, how many times a unit came back: dead before step t, alive before t + 1."""
    dead = np.asarray(dead) if isinstance(dead, np.ndarray) else np.asarray(dead, dtype=object)
    if dead.dtype != bool or dead.ndim != 3:
        raise TypeError(f"revivals: dead must be a (steps, layers, units) bool array as dead_units "
                        f"returns, got {dead.dtype} of shape {dead.shape}")
    return np.count_nonzero(dead[:-1] & ~dead[1:], axis=(0, 2))


def off_unit_gradients(net, X, y):
    """For the units of each hidden layer that are off on every input (s ≤ 0 on all of X), the
    norm of the gradient of their incoming weights and bias, ‖∂L/∂(W[:, k], b[k])‖, after one
    forward and backward pass. A dead ReLU unit gets exactly 0; a Leaky ReLU unit does not.
    Returns one array per hidden layer (empty where no unit is off)."""
    X, y, _ = check_examples(net, X, y, "mse", "off_unit_gradients", y_name="y")
    _, grad = get_loss("mse")(net.forward(X), y)
    net.backward(grad)
    norms = []
    for linear, act in zip(linear_layers(net), hidden_activations(net), strict=False):
        off = act.s.max(axis=0) <= 0
        bias = linear.grads["b"][off] ** 2 if "b" in linear.grads else 0.0  # BN's β replaces the bias
        norms.append(np.sqrt((linear.grads["W"][:, off] ** 2).sum(axis=0) + bias))
    return norms


def evaluate(net, X, y, loss="mse"):
    """The loss on all of (X, y) in evaluation mode (BN uses its running statistics)."""
    X, y, _ = check_examples(net, X, y, loss, "evaluate", y_name="y")
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

#: A deep sigmoid net that does not train without BN: 10 layers of 16 units, Xavier init,
#: α = 0.1, 60 full-batch steps.
DEEP_SIGMOID = Setup(depth=10, width=16, activation="sigmoid", learning_rate=0.1, steps=60)

#: A net that trains with and without BN: 6 ReLU layers of 32 units, He init, 40 steps (the
#: experiments set the learning rate).
RELU_6 = Setup(depth=6, activation="relu", init="he", steps=40)

#: Both nets learn here: 6 ReLU layers, He init, α = 0.03, 100 steps; records the last hidden
#: layer's input (Ioffe & Szegedy 2015, Fig. 1).
DRIFT = RELU_6.but(learning_rate=0.03, steps=100, watch=-1)

#: The batch-size experiment: DRIFT's net and budget, 100 steps of `batch_size` points (the same
#: number of steps: batches of 4 see 16 times fewer examples than batches of 64).
BATCHES = DRIFT.but(watch=None)

#: The weight-scale sweep's run: 4 ReLU layers, He init times a factor, α = 0.05, 25 steps. At
#: c = 1 both nets train at α = 0.05 on every seed tried (no-BN diverges at c ≥ 1.8 even at 0.03), so the
#: sweep measures tolerance of the weight scale, not of a learning rate near its edge.
SWEEP = RELU_6.but(depth=4, learning_rate=0.05, steps=25)

#: Santurkar et al. (2018, Fig. 4): along the training path, how much the loss and its gradient
#: change when one steps along the gradient by 0.05 … 0.4. Both nets train at α = 0.03.
PREDICTIVENESS = RELU_6.but(learning_rate=0.03)


def with_and_without_bn(setup, **knob):
    """{"no BN": history, "BN": history} for `setup` with one knob changed (same seed)."""
    _check_setup(setup, "with_and_without_bn")
    return {name: trained(setup.but(batchnorm=bn, **knob))[1]
            for name, bn in (("no BN", False), ("BN", True))}


def is_stable(setup):
    """Whether `setup` trains without diverging and ends below its first loss."""
    _check_setup(setup, "is_stable")
    _, history = setup.run()
    return history.diverged_at is None and history.loss[-1] < history.loss[0]


def largest_stable_rate(setup, low=0.02, high=2.0, halvings=7):
    """The largest stable learning rate of `setup` (see `is_stable`), by bisection on a log scale
    between `low` (must be stable) and `high`: after 7 halvings of log(high/low) it is known to
    within a factor (high/low)^(1/128), 4 % for the default range. Returns `high` if that is
    stable, None if even `low` is not."""
    _check_setup(setup, "largest_stable_rate")
    if not is_stable(setup.but(learning_rate=low)):
        return None
    if is_stable(setup.but(learning_rate=high)):
        return high
    for _ in range(halvings):
        middle = float(np.sqrt(low * high))
        low, high = (middle, high) if is_stable(setup.but(learning_rate=middle)) else (low, middle)
    return low


def distribution_movement(history):
    """How much the watched layer's input distribution moves during training (Ioffe & Szegedy
    2015, Fig. 1). Returns (change per step: the median over steps of the mean |change| of its
    15th/50th/85th percentiles from one step to the next; drift: the largest mean |change| of
    those percentiles away from their values at step 1, divided by step 1's width p85 − p15)."""
    _check_watched(history, "distribution_movement")
    per_step = float(np.median(np.abs(np.diff(history.watched, axis=0)).mean(axis=1)))
    return per_step, float(drift_curve(history).max())


def _check_watched(history, where):
    """Refuse a History that recorded no watched layer (train's `watch`) on at least two steps."""
    if not isinstance(history, History) or np.shape(history.watched)[1:] != (3,) or len(history.watched) < 2:
        raise ValueError(f"{where}: history must be a train.History recorded with watch=<a hidden layer> "
                         f"over at least 2 steps, got {type(history).__name__}")


def drift_curve(history):
    """At every step, the mean |change| of the watched layer's 15th/50th/85th percentiles since
    step 1, in units of step 1's width p85 − p15."""
    _check_watched(history, "drift_curve")
    first = history.watched[0]
    return np.abs(history.watched - first).mean(axis=1) / (first[2] - first[0])


def scaled_run(setup, scale, validation):
    """Train `setup` with every hidden layer's initial weights multiplied by `scale` (the output
    layer keeps its init); returns (training loss, validation loss) in evaluation mode, NaN if it
    diverged. `validation` is (X, y) of other points."""
    _check_setup(setup, "scaled_run")
    scale = check_number(scale, "scale", "scaled_run", at_least=0, at_most=1e3)
    if not (isinstance(validation, tuple) and len(validation) == 2):
        raise TypeError(f"scaled_run: validation must be a pair (X, y), got {type(validation).__name__}")
    net = setup.build()
    for linear in linear_layers(net)[:-1]:
        linear.params["W"] *= scale
    X, y = moons_task()
    history = train(net, X, y, loss="mse", learning_rate=setup.learning_rate, steps=setup.steps,
                    batch_size=setup.batch_size, seed=setup.seed)
    if history.diverged_at is not None:
        return float("nan"), float("nan")
    return float(evaluate(net, X, y)), float(evaluate(net, *validation))


def loss_along_gradient(net, X, y, rates):
    """Step from the net's weights θ along −g = −∇L(θ) by each step size η (the net is not
    changed; BN's running statistics do not move either). Returns (L(θ − ηg) for each η, the
    gradient's change max over η of ‖∇L(θ − ηg) − g‖ ("gradient predictiveness", Santurkar et
    al. 2018, Fig. 4b), the effective β-smoothness max over η of ‖∇L(θ − ηg) − g‖ / ‖ηg‖ (their
    Fig. 4c)): how far one can trust the gradient (Fig. 4a: the loss along it)."""
    X, y, _ = check_examples(net, X, y, "mse", "loss_along_gradient", y_name="y")
    rates = as_float_array(rates, "loss_along_gradient", "rates")
    if rates.ndim != 1 or not len(rates) or (rates <= 0).any() or (rates > 1e3).any():
        raise ValueError(f"loss_along_gradient: rates must be step sizes in (0, 1000], got {rates}")
    probe = copy.deepcopy(net)
    params = probe.params
    start = {name: p.copy() for name, p in params.items()}

    def loss_and_gradient():
        value, grad = get_loss("mse")(probe.forward(X), y)
        probe.backward(grad)
        return value, {name: g.copy() for name, g in probe.grads.items()}

    def norm(grads):
        return np.sqrt(sum(np.sum(g * g) for g in grads.values()))

    _, g = loss_and_gradient()
    losses, change, smoothness = [], 0.0, 0.0
    with np.errstate(over="ignore", invalid="ignore"):
        for rate in rates:
            for name, p in params.items():
                p[...] = start[name] - rate * g[name]
            value, moved = loss_and_gradient()
            losses.append(value)
            difference = norm({n: moved[n] - g[n] for n in g})
            change = max(change, difference)
            smoothness = max(smoothness, difference / (rate * norm(g)))
    return np.array(losses), float(change), float(smoothness)


def gradient_predictiveness(setup, checkpoints=5, every=8, rates=(0.05, 0.1, 0.2, 0.4)):
    """At `checkpoints` points of training (every `every` steps of gradient descent at the
    setup's learning rate), look along the gradient with `loss_along_gradient`. Returns (steps,
    the loss range max − min over the step sizes, the gradient's change, the effective
    smoothness), one number per checkpoint: small means a smooth, predictable landscape."""
    _check_setup(setup, "gradient_predictiveness")
    net = setup.build()
    X, y = moons_task()
    ranges, changes, smoothness = [], [], []
    for checkpoint in range(checkpoints):
        along, change, beta = loss_along_gradient(net, X, y, rates)
        ranges.append(float(np.ptp(along)) if np.all(np.isfinite(along)) else np.inf)
        changes.append(change)
        smoothness.append(beta)
        if checkpoint < checkpoints - 1:
            train(net, X, y, learning_rate=setup.learning_rate, steps=every, seed=setup.seed)
    return np.arange(checkpoints) * every, np.array(ranges), np.array(changes), np.array(smoothness)


def loss_with_batch_statistics(net, X, y, batch_size):
    """The mean loss when every batch of `batch_size` consecutive examples is normalized with its
    own statistics (training mode) — what goes wrong if evaluation used batch statistics."""
    X, y, _ = check_examples(net, X, y, "mse", "loss_with_batch_statistics", y_name="y")
    batch_size = check_positive_int(batch_size, "batch_size", "loss_with_batch_statistics")
    if batch_size > len(X):
        raise ValueError(f"loss_with_batch_statistics: batch_size must be at most the {len(X)} "
                         f"examples of X, got {batch_size}")
    probe = copy.deepcopy(net).train()
    with np.errstate(over="ignore", invalid="ignore"):
        losses = [get_loss("mse")(probe.forward(X[i:i + batch_size]), y[i:i + batch_size])[0]
                  for i in range(0, len(X) - batch_size + 1, batch_size)]
    return float(np.mean(losses))


def with_fresh_statistics(net, X):
    """A copy of `net` whose BN running statistics are replaced by the statistics of one
    training-mode pass over all of X (with its final weights; BatchNoise off): what the running
    averages would be if they held no earlier steps. Evaluate it with `evaluate`."""
    check_net(net, "with_fresh_statistics")
    from .batchnorm import BatchNoise, BatchNorm

    probe = copy.deepcopy(net).train()
    norms = [layer for layer in leaves(probe) if isinstance(layer, BatchNorm)]
    momenta = [layer.momentum for layer in norms]
    for layer in leaves(probe):
        if isinstance(layer, BatchNoise):
            layer.scale = 0.0
    for layer in norms:
        layer.momentum = 1.0  # running statistics ← this pass's (variance × m/(m − 1), as always)
    with np.errstate(over="ignore", invalid="ignore"):
        probe.forward(X)
    for layer, momentum in zip(norms, momenta, strict=True):
        layer.momentum = momentum
    return probe.eval()
