"""The training loop: gradient descent on a net, recording what the notebooks plot.

Per step it records the loss, ‖∂L/∂W_l‖ of every layer and every hidden layer's share of dead
units; optional momentum, gradient clipping (by norm or by value) and L1/L2 weight
regularization (slide: 如何舒緩Gradient造成的問題). When the numbers blow up (NaN or inf:
exploding gradients) it stops and says at which step, instead of plotting nothing.
"""

from dataclasses import dataclass

import numpy as np
from tqdm.auto import trange

from .checks import NonFiniteError, as_float_array, check_positive_int
from .diagnostics import dead_fraction, hidden_activations, weight_gradient_norms
from .losses import get_loss
from .nets import linear_layers
from .optim import SGD, clip_by_norm, clip_by_value, l1_penalty, l2_penalty

#: A loss this many times its first value counts as diverged (before it even reaches inf).
BLOW_UP = 1e6


@dataclass
class History:
    """What `train` saw, one row per step taken (fewer than asked if it diverged)."""

    loss: np.ndarray  # (steps,) the data loss (without any penalty), before the step's update
    grad_norms: np.ndarray  # (steps, L) ‖∂L/∂W_l‖ of each Linear layer, before clipping
    dead_fraction: np.ndarray  # (steps, hidden layers) units that are 0 on the whole batch
    watched: np.ndarray  # (steps, 3) 15th/50th/85th percentile of the watched layer's input s
    diverged_at: int | None  # the step (1-based) at which the numbers blew up, or None
    message: str

    @property
    def final_loss(self):
        return float(self.loss[-1]) if len(self.loss) else float("nan")

    def steps_to(self, target):
        """The first step whose loss is below `target` (1-based), or None if none was."""
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
    """
    X = as_float_array(X, "train (X)")
    loss_fn = get_loss(loss)
    steps = check_positive_int(steps, "steps")
    batch_size = len(X) if batch_size is None else check_positive_int(batch_size, "batch_size")
    optimizer = SGD(learning_rate, momentum)
    rng = np.random.default_rng(seed)
    params = net.params  # the layers' own arrays: updating them in place trains the net
    # The layers to measure, found once: a net keeps its layers while it trains.
    linears = linear_layers(net)
    activations = hidden_activations(net)
    records, diverged_at, message = [], None, ""

    for step in trange(1, steps + 1, disable=not progress, desc="training steps"):
        rows = rng.choice(len(X), batch_size, replace=False) if batch_size < len(X) else slice(None)
        with np.errstate(over="ignore", invalid="ignore", under="ignore"):
            try:
                value, grad = loss_fn(net.forward(X[rows]), Y[rows])
            except NonFiniteError as error:
                diverged_at, message = step, f"diverged at step {step}: {error}"
                break
            net.backward(grad)
            grads = net.grads
            if l1:
                _add_penalty(grads, l1_penalty(params, l1)[1])
            if l2:
                _add_penalty(grads, l2_penalty(params, l2)[1])
            norms = weight_gradient_norms(linears)
            if not (np.isfinite(value) and np.all(np.isfinite(norms))):
                diverged_at = step
                message = f"diverged at step {step}: the loss or a gradient became inf or NaN"
                break
            if records and value > BLOW_UP * max(records[0][0], 1e-12):
                diverged_at, message = step, f"diverged at step {step}: the loss grew to {value:.3g}"
                break
        if clip_norm is not None:
            grads = clip_by_norm(grads, clip_norm)
        if clip_value is not None:
            grads = clip_by_value(grads, clip_value)
        watched = np.percentile(activations[watch].s, [15, 50, 85]) if watch is not None else []
        records.append((value, norms, dead_fraction(activations), watched))
        optimizer.step(params, grads)

    if diverged_at is None:
        message = f"trained {steps} steps: loss {records[0][0]:.3g} → {records[-1][0]:.3g}"
    columns = list(zip(*records, strict=True)) if records else [[]] * 4
    return History(*(np.array(column, dtype=np.float64) for column in columns), diverged_at, message)


def _add_penalty(grads, penalty_grads):
    """Add a regularizer's gradient into `grads` (new arrays: the layers' grads stay as computed)."""
    for name, g in penalty_grads.items():
        grads[name] = grads[name] + g
