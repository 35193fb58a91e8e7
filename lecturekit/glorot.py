"""Glorot & Bengio (2010), Fig. 2, small: the top hidden sigmoid layer saturates at 0 early in
training, and the loss stays on a plateau while it does (notebook 04).

The paper trains a net of 4 sigmoid hidden layers (1000 units each) with a softmax output from
its "standard" initialization W ~ U[−1/√n, 1/√n] (n = fan-in) and zero biases, and plots the mean
and the spread of each hidden layer's outputs during training: the top hidden layer is driven to
0 within the first epochs, the lower layers stay near 0.5. Its explanation: sigmoid's outputs have
mean 0.5, the top layer's h carries little about the input at first, so the output layer relies
on its biases and the gradient pushes W h, hence h, towards 0.

Here: 4 hidden layers of 32 units, two moons (128 points, 2 classes), softmax + cross-entropy,
minibatches of 16, α = 2. The seed draws the data, the weights and the minibatch order.
"""

import functools

import numpy as np

from .checks import check_choice, check_number, check_positive_int, check_seed
from .data import two_moons
from .diagnostics import hidden_activations
from .losses import softmax_cross_entropy
from .nets import build_mlp, linear_layers
from .train import train

HIDDEN, WIDTH, POINTS, BATCH, RATE = 4, 32, 128, 16, 2.0

#: An output below this counts as saturated at 0 (sigmoid′ = h(1 − h) < 0.05 there).
SATURATED = 0.05


def uniform_limit(init, fan_in, fan_out):
    """a of W ~ U[−a, a]: "standard" a = 1/√fan_in (the paper's eq. 1), "normalized" (Xavier)
    a = √6 / √(fan_in + fan_out) (its eq. 16)."""
    check_choice(init, "init", ("standard", "normalized"), "uniform_limit")
    fan_in = check_positive_int(fan_in, "fan_in", "uniform_limit")
    fan_out = check_positive_int(fan_out, "fan_out", "uniform_limit")
    if init == "standard":
        return 1 / np.sqrt(fan_in)
    return np.sqrt(6 / (fan_in + fan_out))


def build_net(seed, init="standard"):
    """The 4-hidden-layer sigmoid net with uniform weights drawn from `seed`, biases 0."""
    rng = np.random.default_rng(check_seed(seed, where="build_net"))
    net = build_mlp(HIDDEN + 1, WIDTH, "sigmoid", "xavier", rng, n_out=2)
    for layer in linear_layers(net):  # replace the normal weights by the paper's uniform ones
        fan_in, fan_out = layer.params["W"].shape
        a = uniform_limit(init, fan_in, fan_out)
        layer.params["W"][...] = rng.uniform(-a, a, (fan_in, fan_out))
    return net


def trajectory(seed, init="standard", steps=150, every=10, learning_rate=RATE):
    """Train the net of `seed` for `steps` minibatch steps; every `every` steps measure on all the
    data. Returns a dict of arrays, one row per checkpoint (step 0 included):
    step, loss, saturated (share of the top layer's outputs < SATURATED),
    means (checkpoints, layers): mean output of each hidden layer,
    unit_means (checkpoints, layers, WIDTH): each unit's mean output over the data."""
    steps = check_positive_int(steps, "steps", "trajectory")
    every = check_positive_int(every, "every", "trajectory")
    seed = check_seed(seed, where="trajectory")
    if seed >= 2**32:  # the minibatch seeds are seed · 100 003 + step
        raise ValueError(f"trajectory: seed must be below 2**32, got {seed}")
    check_choice(init, "init", ("standard", "normalized"), "trajectory")
    learning_rate = check_number(learning_rate, "learning_rate", "trajectory", above=0)
    return _trajectory(seed, init, steps, every, learning_rate)


@functools.cache
def _trajectory(seed, init, steps, every, learning_rate):
    """trajectory's run for checked arguments, computed once per setting."""
    X, Y = two_moons(n=POINTS, seed=seed)
    labels = Y.argmax(axis=1)
    net = build_net(seed, init)
    layers = hidden_activations(net)
    rows = []
    for step in range(0, steps + 1, every):
        if step:
            train(net, X, labels, loss="softmax_cross_entropy", learning_rate=learning_rate, steps=every,
                  batch_size=BATCH, seed=seed * 100_003 + step)
        loss, _ = softmax_cross_entropy(net.forward(X), labels)
        unit_means = np.array([layer.h.mean(axis=0) for layer in layers])
        rows.append((step, loss, np.mean(layers[-1].h < SATURATED), unit_means))
    step, loss, saturated, unit_means = zip(*rows, strict=True)
    unit_means = np.array(unit_means)
    return {"step": np.array(step), "loss": np.array(loss), "saturated": np.array(saturated),
            "means": unit_means.mean(axis=2), "unit_means": unit_means}
