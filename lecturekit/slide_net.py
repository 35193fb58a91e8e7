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
"""

from dataclasses import dataclass

import numpy as np
from tqdm.auto import trange

from .activations import get_activation
from .checks import as_float_array, check_generator, check_positive_int, check_same_shape
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


def chain_rule_factors(net, forward, y):
    """The chain rule for ∂loss/∂s as a product of one Jacobian per layer, last layer first:

        ∂loss/∂s = ∂loss/∂ŷ · ∂ŷ/∂z · ∂z/∂h · ∂h/∂s = (ŷ − y)ᵀ · diag f₂′(z) · wᵀ · diag f₁′(s)

    (slide: 前面層的gradient 會是由後面所有層的gradient和現在這層的壘乘). Returns a list of
    (name, matrix); their product, a (1, n_hidden) row, equals SlideNet.backward's δ_sᵀ.
    """
    y = as_float_array(y, "chain_rule_factors (y)")
    return [
        ("∂loss/∂ŷ = (ŷ − y)ᵀ", (forward.y_hat - y)[None, :]),
        ("∂ŷ/∂z = diag f₂′(z)", np.diag(net.f2.derivative(forward.z, forward.y_hat))),
        ("∂z/∂h = wᵀ", net.w.T),
        ("∂h/∂s = diag f₁′(s)", np.diag(net.f1.derivative(forward.s, forward.h))),
    ]


def example_net(f1="sigmoid", f2="sigmoid"):
    """The fixed 2-3-2 net the notebooks print numbers for (weights rounded for reading)."""
    v = np.array([[0.5, -0.3, 0.8], [0.2, 0.7, -0.6]])
    w = np.array([[0.4, -0.5], [0.9, 0.3], [-0.7, 0.6]])
    return SlideNet(v, w, f1, f2)


#: The example input and target of the notebooks: x = (1.0, 0.5), y = (1, 0).
EXAMPLE_X = np.array([1.0, 0.5])
EXAMPLE_Y = np.array([1.0, 0.0])


class SlideNet:
    """The 2-3-2 MLP of the slides: parameters v (2×3) and w (3×2), no biases."""

    def __init__(self, v, w, f1="sigmoid", f2="sigmoid"):
        v = as_float_array(v, "SlideNet (v)")
        w = as_float_array(w, "SlideNet (w)")
        if v.ndim != 2 or w.ndim != 2 or v.shape[1] != w.shape[0]:
            raise ValueError(
                "SlideNet: v must be (n_in, n_hidden) and w (n_hidden, n_out), "
                f"got v {v.shape} and w {w.shape}"
            )
        self.v, self.w = v.copy(), w.copy()
        self.f1, self.f2 = get_activation(f1), get_activation(f2)

    @classmethod
    def random(cls, rng, n_in=2, n_hidden=3, n_out=2, f1="sigmoid", f2="sigmoid", init="xavier"):
        """A SlideNet with weights drawn from `rng` by the initializer `init`."""
        check_generator(rng)
        v = init_weights(init, n_in, n_hidden, rng)
        w = init_weights(init, n_hidden, n_out, rng)
        return cls(v, w, f1, f2)

    def __repr__(self):
        (n_in, n_hidden), n_out = self.v.shape, self.w.shape[1]
        return f"SlideNet({n_in}-{n_hidden}-{n_out}, f1={self.f1.name}, f2={self.f2.name})"

    def forward(self, x):
        """s = vᵀx, h = f₁(s), z = wᵀh, ŷ = f₂(z); returns all of them."""
        x = as_float_array(x, "SlideNet.forward")
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
        check_same_shape(y, np.shape(y_hat), "y (the target)", "SlideNet.loss")
        error = np.subtract(y, y_hat)
        return 0.5 * float(error @ error)

    def backward(self, forward, y):
        """Δw and Δv of the slides, for the intermediates of `forward` and the target y."""
        y = as_float_array(y, "SlideNet.backward")
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
        """One gradient-descent step w ← w − αΔw, v ← v − αΔv; returns the loss before it."""
        forward = self.forward(x)
        grads = self.backward(forward, y)
        self.w -= learning_rate * grads.grad_w
        self.v -= learning_rate * grads.grad_v
        return self.loss(forward.y_hat, y)

    def fit(self, X, Y, learning_rate, epochs, seed=0, progress=False):
        """Gradient descent one example at a time, as on the slides: `epochs` passes over the rows
        of X (n, n_in) and Y (n, n_out) in a seeded random order. Returns the mean loss of each
        epoch; `progress` shows a progress bar."""
        X = as_float_array(X, "SlideNet.fit (X)")
        Y = as_float_array(Y, "SlideNet.fit (Y)")
        check_same_shape(X, (len(X), self.v.shape[0]), "X", "SlideNet.fit")
        check_same_shape(Y, (len(X), self.w.shape[1]), "Y", "SlideNet.fit")
        rng = np.random.default_rng(seed)
        losses = []
        for _ in trange(check_positive_int(epochs, "epochs"), disable=not progress, desc="epochs"):
            order = rng.permutation(len(X))
            losses.append(np.mean([self.step(X[i], Y[i], learning_rate) for i in order]))
        return np.array(losses)

    def as_sequential(self):
        """The same net built from the generic layers (copies of v and w), for comparison."""
        return Sequential(
            Linear.from_weights(self.v),
            Activation(self.f1),
            Linear.from_weights(self.w),
            Activation(self.f2),
        )
