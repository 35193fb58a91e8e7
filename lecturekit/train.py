"""The training loop: gradient descent on a net, recording what the notebooks plot.

Per step it records the loss, ‖∂L/∂W_l‖ of every layer and every hidden layer's share of dead
units; optional momentum, gradient clipping (by norm or by value) and L1/L2 weight
regularization (slide: 如何舒緩Gradient造成的問題). When the numbers blow up (NaN or inf:
exploding gradients) it stops and says at which step, instead of plotting nothing.
Bad input (NaN in the data, a negative penalty, …) is refused before the first step: a refused
call changes nothing, and divergence is only ever reported for a run that started.
"""

from dataclasses import dataclass

import numpy as np

from .batchnorm import BatchNoise, BatchNorm
from .checks import (
    Diverged,
    NonFiniteError,
    blew_up,
    check_examples,
    check_number,
    check_positive_int,
    check_seed,
)
from .diagnostics import dead_fraction, hidden_activations, weight_gradient_norms
from .layers import leaves
from .nets import linear_layers
from .optim import SGD, clip_by_norm, clip_by_value, l1_penalty, l2_penalty


@dataclass
class History:
    """What `train` saw, one row per step taken (fewer than asked if it diverged)."""

    loss: np.ndarray  # (steps,) the data loss (without any penalty), before the step's update
    grad_norms: np.ndarray  # (steps, L) ‖∂L/∂W_l‖ of each Linear layer, before clipping
    dead_fraction: np.ndarray  # (steps, hidden layers) units that are 0 on the whole batch
    watched: np.ndarray  # (steps, 3) 15th/50th/85th percentile of the watched layer's input s
    diverged_at: int | None  # the step (1-based) whose loss or gradient blew up, or None
    message: str
    loss_after: float = float("nan")  # the loss on all of X after the last update (NaN: diverged)

    @property
    def final_loss(self):
        """The loss after training: after the last update (NaN if the run diverged)."""
        return self.loss_after

    @property
    def loss_curve(self):
        """What a loss curve draws at steps 1, 2, …: the loss before each step and, at step
        steps + 1, the loss after the last update (left out if the run diverged)."""
        return self.loss if np.isnan(self.loss_after) else np.append(self.loss, self.loss_after)

    def steps_to(self, target):
        """The first step whose loss is below `target` (1-based), or None if none was."""
        target = check_number(target, "target", "History.steps_to")
        below = np.flatnonzero(self.loss < target)
        return int(below[0]) + 1 if len(below) else None


def train(net, X, Y, loss="mse", learning_rate=0.1, steps=200, batch_size=None, momentum=0.0,
          clip_norm=None, clip_value=None, l1=0.0, l2=0.0, watch=None, seed=0, progress=False):
    """Train `net` on (X, Y) with gradient descent for `steps` updates; returns a History.

    batch_size None uses all of X every step (full-batch gradient descent); otherwise each step
    draws a minibatch in a seeded random order. clip_norm / clip_value clip the gradient before
    the update; l1 / l2 add λΣ|w| / (λ/2)Σw² over the weight matrices to the loss. `watch`, the
    index of a hidden layer, records the 15th, 50th and 85th percentile of the input s of that
    layer's activation at every step (Ioffe & Szegedy 2015, Fig. 1).

    Every update is checked, the last one too: after the last step the loss on all of X is
    measured once more (History.loss_after).
    """
    X, Y, loss_fn = check_examples(net, X, Y, loss, "train")
    steps = check_positive_int(steps, "steps", "train")
    batch_size = len(X) if batch_size is None else check_positive_int(batch_size, "batch_size", "train")
    if batch_size > len(X):
        raise ValueError(f"train: batch_size must be at most the {len(X)} examples of X, got {batch_size}")
    learning_rate = check_number(learning_rate, "learning_rate", "train", above=0)
    momentum = check_number(momentum, "momentum", "train", at_least=0, below=1)
    optimizer = SGD(learning_rate, momentum)
    for name, value in (("clip_norm", clip_norm), ("clip_value", clip_value)):
        if value is not None:
            check_number(value, name, "train", above=0)
    l1, l2 = check_number(l1, "l1", "train", at_least=0), check_number(l2, "l2", "train", at_least=0)
    activations = hidden_activations(net)
    if watch is not None and (isinstance(watch, bool) or not isinstance(watch, (int, np.integer))
                              or not -len(activations) <= watch < len(activations)):
        raise ValueError(f"train: watch must be the index of a hidden layer, from "
                         f"{-len(activations)} to {len(activations) - 1}, got {watch!r}")
    seed = check_seed(seed, where="train")
    if not isinstance(progress, (bool, np.bool_)):
        raise TypeError(f"train: progress must be True or False, got {progress!r}")

    from tqdm.auto import trange  # loaded on first use: `import lecturekit` needs numpy only

    rng = np.random.default_rng(seed)
    linears = linear_layers(net)  # the layers to measure, found once: a net keeps its layers
    records, diverged_at, message = [], None, ""

    for step in trange(1, steps + 1, disable=not progress, desc="training steps"):
        rows = rng.choice(len(X), batch_size, replace=False) if batch_size < len(X) else slice(None)
        try:
            value, norms = gradient_step(net, X[rows], Y[rows], loss_fn, optimizer,
                                         records[0][0] if records else None, l1, l2, clip_norm,
                                         clip_value, linears)
        except Diverged as why:
            diverged_at, message = step, f"diverged at step {step}: {why}"
            break
        # The activations are this step's forward pass: the update changed only the weights.
        watched = np.percentile(activations[watch].s, [15, 50, 85]) if watch is not None else []
        records.append((value, norms, dead_fraction(activations), watched))

    loss_after = float("nan")
    if diverged_at is None:
        loss_after = _loss_now(net, X, Y, loss_fn)
        why = blew_up(loss_after, records[0][0])
        if why:
            diverged_at = steps + 1
            message = f"diverged after the last update (step {steps}): {why}"
            loss_after = float("nan")
        else:
            message = f"trained {steps} steps: loss {records[0][0]:.3g} → {loss_after:.3g}"
    columns = list(zip(*records, strict=True)) if records else [[]] * 4
    return History(*(np.array(column, dtype=np.float64) for column in columns), diverged_at, message,
                   loss_after)


def gradient_step(net, X, Y, loss_fn, optimizer, first_loss=None, l1=0.0, l2=0.0, clip_norm=None,
                  clip_value=None, linears=None):
    """One update of gradient descent on the batch (X, Y): forward, backward, the L1/L2 penalties,
    the divergence check, clipping (by norm, then by value), then `optimizer.step`.

    Returns (the loss, ‖∂L/∂W_l‖ per layer before clipping). Raises Diverged, saying why, when the
    numbers blew up (`first_loss` is the run's first loss, for `blew_up`); the weights then stay as
    they were. `linears` are the layers to measure (found from `net` if not given)."""
    params = net.params  # the layers' own arrays: updating them in place trains the net
    # Overflow is expected when a run diverges: it is detected here and reported, not warned.
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        try:
            value, grad = loss_fn(net.forward(X), Y)
        except NonFiniteError as error:
            raise Diverged(str(error)) from None
        net.backward(grad)
        grads = net.grads
        if l1:
            _add_penalty(grads, l1_penalty(params, l1)[1])
        if l2:
            _add_penalty(grads, l2_penalty(params, l2)[1])
        norms = weight_gradient_norms(linear_layers(net) if linears is None else linears)
        why = blew_up(value, value if first_loss is None else first_loss)
        if why or not all(np.isfinite(g).all() for g in grads.values()):
            raise Diverged(why or "a gradient became inf or NaN")
        if clip_norm is not None:
            grads = clip_by_norm(grads, clip_norm)
        if clip_value is not None:
            grads = clip_by_value(grads, clip_value)
        optimizer.step(params, grads)
    return value, norms


def _loss_now(net, X, Y, loss_fn):
    """The loss on all of (X, Y) at the net's weights, as it trains (BN with batch statistics),
    leaving everything as it was: BatchNorm's running statistics and BatchNoise's random draws."""
    layers = list(leaves(net))
    saved = [(layer.running_mean.copy(), layer.running_var.copy()) for layer in layers
             if isinstance(layer, BatchNorm)]
    noise = [layer.rng.bit_generator.state for layer in layers if isinstance(layer, BatchNoise)]
    try:
        with np.errstate(over="ignore", invalid="ignore", under="ignore"):
            return loss_fn(net.forward(X), Y)[0]
    except NonFiniteError:
        return float("inf")
    finally:
        norms = (layer for layer in layers if isinstance(layer, BatchNorm))
        for layer, (mean, var) in zip(norms, saved, strict=True):
            layer.running_mean, layer.running_var = mean, var
        noises = (layer for layer in layers if isinstance(layer, BatchNoise))
        for layer, state in zip(noises, noise, strict=True):
            layer.rng.bit_generator.state = state


def _add_penalty(grads, penalty_grads):
    """Add a regularizer's gradient into `grads` (new arrays: the layers' grads stay as computed)."""
    for name, g in penalty_grads.items():
        grads[name] = grads[name] + g
