"""The slides' 3-layer MLP (2 inputs, 3 hidden units, 2 outputs) in the slides' own names.

Slides "下圖為一個三層的MLP", "Forward propagation" ×3 and "Back-propagation" ×8:

    s = vᵀx,  h = f₁(s),  z = wᵀh,  ŷ = f₂(z),  loss = ½ (y − ŷ)ᵀ(y − ŷ)

x (2,), v (2×3), s and h (3,), w (3×2), z and ŷ (2,). One example at a time, as on the slides;
the other sizes work too (v: n_in×n_hidden, w: n_hidden×n_out).

Backward, in matrix form and with the sign that descends (errata 1–3):

    δ_z = ∂loss/∂z = (ŷ − y) ⊙ f₂′(z)          slide: (y − ŷ) f₂′(z)
    Δw  = ∂loss/∂w = h δ_zᵀ          (3×2)    slide: Δw = (y − ŷ) f₂′(z) h
    δ_s = ∂loss/∂s = (w δ_z) ⊙ f₁′(s)          slide: [(y − ŷ) f₂′(z)][wᵀ f₁′(s)]
    Δv  = ∂loss/∂v = x δ_sᵀ          (2×3)    slide: Δv = [(y − ŷ) f₂′(z)][wᵀ f₁′(s)] x

δ_sᵀ as a product of one factor per layer (slide: 前面層的gradient 會是由後面所有層的gradient和現在這層的
壘乘) is `diagnostics.chain_factors(net.as_sequential(), x, y)`, in these names.
"""

from dataclasses import dataclass

import numpy as np

from .activations import NAMES as ACTIVATION_NAMES
from .activations import ActivationFunction, get_activation
from .checks import (
    Diverged,
    as_float_array,
    blew_up,
    check_choice,
    check_generator,
    check_number,
    check_positive_int,
    check_rows,
    check_same_shape,
    check_seed,
)
from .init import NAMES as INIT_NAMES
from .init import init_weights
from .layers import Activation, Linear, Sequential


@dataclass
class SlideForward:
    """Every intermediate of one forward pass, named as on the slides."""

    x: np.ndarray
    s: np.ndarray
    h: np.ndarray
    z: np.ndarray
    y_hat: np.ndarray


@dataclass
class SlideGradients:
    """The backward pass: the two deltas and the two weight gradients."""

    delta_z: np.ndarray
    grad_w: np.ndarray
    delta_s: np.ndarray
    grad_v: np.ndarray


def output_delta(y_hat, y, z, f2):
    """δ_z = ∂loss/∂z = (ŷ − y) ⊙ f₂′(z).

    The slide writes (y − ŷ) f₂′(z), which is −∂loss/∂z: stepping w ← w − αΔw with it would climb
    the loss (erratum 1).
    """
    return (y_hat - y) * f2.derivative(z, y_hat)


def weight_gradient(inputs, delta):
    """∂loss/∂(weights) = inputs δᵀ, the outer product, shaped like the weights.

    Δw = h δ_zᵀ (3×2) and Δv = x δ_sᵀ (2×3): the slides' "(…) h" and "(…) x" (erratum 3).
    """
    return np.multiply.outer(inputs, delta)


def hidden_delta(w, delta_z, s, h, f1):
    """δ_s = ∂loss/∂s = (w δ_z) ⊙ f₁′(s): the slides' [wᵀ f₁′(s)] written with shapes that fit."""
    return (w @ delta_z) * f1.derivative(s, h)


def example_net(f1="sigmoid", f2="sigmoid"):
    """The fixed 2-3-2 net the notebooks print numbers for (weights rounded for reading)."""
    v = np.array([[0.5, -0.3, 0.8], [0.2, 0.7, -0.6]])
    w = np.array([[0.4, -0.5], [0.9, 0.3], [-0.7, 0.6]])
    return SlideNet(v, w, f1, f2)


#: The example input and target of the notebooks: x = (1.0, 0.5), y = (1, 0).
EXAMPLE_X = np.array([1.0, 0.5])
EXAMPLE_Y = np.array([1.0, 0.0])


@dataclass
class Fit:
    """What SlideNet.fit saw: the mean loss of each epoch completed, and where it diverged."""

    loss: np.ndarray  # (epochs completed,)
    diverged_at: int | None  # the step (one example each, 1-based) that blew up, or None
    message: str


class SlideNet:
    """The 2-3-2 MLP of the slides: parameters v (2×3) and w (3×2), no biases."""

    def __init__(self, v, w, f1="sigmoid", f2="sigmoid"):
        v = as_float_array(v, "SlideNet", "v")
        w = as_float_array(w, "SlideNet", "w")
        if v.ndim != 2 or w.ndim != 2 or v.shape[1] != w.shape[0] or v.size == 0 or w.size == 0:
            raise ValueError(
                "SlideNet: v must be (n_in, n_hidden) and w (n_hidden, n_out), "
                f"got v {v.shape} and w {w.shape}"
            )
        self.v, self.w = v.copy(), w.copy()
        for name, f in (("f1", f1), ("f2", f2)):
            if not isinstance(f, ActivationFunction):
                check_choice(f, name, ACTIVATION_NAMES, "SlideNet")
        self.steps_taken = 0  # gradient-descent steps, for reporting where a run diverged
        self.f1, self.f2 = get_activation(f1), get_activation(f2)

    @classmethod
    def random(cls, rng, n_in=2, n_hidden=3, n_out=2, f1="sigmoid", f2="sigmoid", init="xavier"):
        """A SlideNet with weights drawn from `rng` by the initializer `init`."""
        check_generator(rng)
        n_in, n_hidden, n_out = (check_positive_int(n, name, "SlideNet.random") for n, name in
                                 ((n_in, "n_in"), (n_hidden, "n_hidden"), (n_out, "n_out")))
        for name, f in (("f1", f1), ("f2", f2)):  # before drawing: a refused call leaves rng as it was
            if not isinstance(f, ActivationFunction):
                check_choice(f, name, ACTIVATION_NAMES, "SlideNet.random")
        check_choice(init, "init", INIT_NAMES, "SlideNet.random")
        v = init_weights(init, n_in, n_hidden, rng)
        w = init_weights(init, n_hidden, n_out, rng)
        return cls(v, w, f1, f2)

    def __repr__(self):
        (n_in, n_hidden), n_out = self.v.shape, self.w.shape[1]
        return f"SlideNet({n_in}-{n_hidden}-{n_out}, f1={self.f1.name}, f2={self.f2.name})"

    def forward(self, x):
        """s = vᵀx, h = f₁(s), z = wᵀh, ŷ = f₂(z); returns all of them."""
        x = as_float_array(x, "SlideNet.forward", "x")
        check_same_shape(x, (self.v.shape[0],), "x (one example)", "SlideNet.forward")
        s = self.v.T @ x
        h = self.f1.f(s)
        z = self.w.T @ h
        y_hat = self.f2.f(z)
        return SlideForward(x=x, s=s, h=h, z=z, y_hat=y_hat)

    def predict(self, X):
        """ŷ for every row of X (n, n_in) at once: the same net as a batch of layers."""
        return self.as_sequential().forward(X)

    def loss(self, y_hat, y):
        """loss(y, ŷ) = ½ (y − ŷ)ᵀ(y − ŷ), for one example (lecturekit.sse does batches)."""
        y_hat = as_float_array(y_hat, "SlideNet.loss", "y_hat")
        y = as_float_array(y, "SlideNet.loss", "y")
        check_same_shape(y, y_hat.shape, "y (the target)", f"SlideNet.loss with y_hat of shape {y_hat.shape}")
        with np.errstate(over="ignore"):  # a loss too large for a float is inf
            error = y - y_hat
            return 0.5 * float(error @ error)

    def backward(self, forward, y):
        """Δw and Δv of the slides, for the intermediates of `forward` and the target y."""
        if not isinstance(forward, SlideForward):
            raise TypeError(f"SlideNet.backward: forward must be what SlideNet.forward returns, got "
                            f"{type(forward).__name__}")
        y = as_float_array(y, "SlideNet.backward", "y")
        check_same_shape(y, forward.y_hat.shape, "y (the target)", "SlideNet.backward")
        delta_z = output_delta(forward.y_hat, y, forward.z, self.f2)
        delta_s = hidden_delta(self.w, delta_z, forward.s, forward.h, self.f1)
        return SlideGradients(
            delta_z=delta_z,
            grad_w=weight_gradient(forward.h, delta_z),
            delta_s=delta_s,
            grad_v=weight_gradient(forward.x, delta_s),
        )

    def step(self, x, y, learning_rate):
        """One gradient-descent step w ← w − αΔw, v ← v − αΔv; returns the loss before it.

        A step whose loss, Δw, Δv or new weights are not finite is not taken: it raises Diverged,
        with the number of the step (counting every step this net has taken), and w and v stay.
        """
        learning_rate = check_number(learning_rate, "learning_rate", "SlideNet.step", above=0)
        with np.errstate(over="ignore", invalid="ignore", under="ignore"):  # checked just below
            forward = self.forward(x)
            grads = self.backward(forward, y)
            error = forward.y_hat - np.asarray(y, dtype=float)  # y was checked by backward
            loss = 0.5 * float(error @ error)  # SlideNet.loss, without refusing an ŷ that blew up
            w = self.w - learning_rate * grads.grad_w
            v = self.v - learning_rate * grads.grad_v
        self.steps_taken += 1
        if not all(np.isfinite(a).all() for a in (loss, w, v)):
            raise Diverged(f"SlideNet.step: diverged at step {self.steps_taken}: the loss, Δw, Δv or "
                           f"the new weights became inf or NaN (learning rate {learning_rate:g})")
        self.w, self.v = w, v
        return loss

    def fit(self, X, Y, learning_rate, epochs, seed=0, progress=False):
        """Gradient descent one example at a time, as on the slides: `epochs` passes over the rows
        of X (n, n_in) and Y (n, n_out) in a seeded random order; `progress` shows a progress bar.

        Returns a Fit: the mean loss of each epoch, and, as `train` does, the step at which the
        numbers blew up (then w and v are those before that step) or None.
        """
        X = check_rows(X, "X", "SlideNet.fit", n_features=self.v.shape[0])
        Y = check_rows(Y, "Y", "SlideNet.fit", n_features=self.w.shape[1])
        if len(Y) != len(X):
            raise ValueError(f"SlideNet.fit: Y must have one row per row of X ({len(X)}), got {len(Y)}")
        learning_rate = check_number(learning_rate, "learning_rate", "SlideNet.fit", above=0)
        epochs = check_positive_int(epochs, "epochs", "SlideNet.fit")
        from tqdm.auto import trange  # loaded on first use: `import lecturekit` needs numpy only

        rng = np.random.default_rng(check_seed(seed, where="SlideNet.fit"))
        losses, first = [], None
        for epoch in trange(1, epochs + 1, disable=not progress, desc="epochs"):
            order = rng.permutation(len(X))
            try:
                epoch_losses = [self.step(X[i], Y[i], learning_rate) for i in order]
            except Diverged as error:
                return Fit(np.array(losses), self.steps_taken, f"{error} (epoch {epoch})")
            losses.append(np.mean(epoch_losses))
            first = losses[0] if first is None else first
        # The last update is checked too: the loss on all of X after it.
        after = np.mean([self.loss(self.forward(x).y_hat, y) for x, y in zip(X, Y, strict=True)])
        why = blew_up(after, first)
        if why:
            return Fit(np.array(losses), self.steps_taken, f"diverged after the last update: {why}")
        return Fit(np.array(losses), None, f"trained {epochs} epochs: loss {losses[0]:.3g} → {after:.3g}")

    def as_sequential(self):
        """The same net built from the generic layers (copies of v and w), for comparison."""
        return Sequential(
            Linear.from_weights(self.v),
            Activation(self.f1),
            Linear.from_weights(self.w),
            Activation(self.f2),
        )
