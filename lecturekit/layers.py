"""Layers with a hand-written forward and backward pass: Linear, Activation, Sequential.

Slides: "Forward propagation" (s = vᵀx, h = f₁(s), z = wᵀh, ŷ = f₂(z)) and "Back-propagation"
(Δw, Δv by the chain rule). Every layer follows one protocol:

- `forward(x)` computes the output and caches what backward needs;
- `backward(grad_out)` takes ∂L/∂output, fills `grads` (∂L/∂ each array in `params`, same
  names, same shapes) and returns ∂L/∂input. It needs forward's cache: before any forward it
  refuses with a ValueError, and a grad_out of another shape than forward's output is refused too.

Arrays hold one example per row: x has shape (batch, features). So the slide's column-vector
s = vᵀx becomes s = x @ v for a batch, with v of shape (inputs, outputs) exactly as on the slide.
A layer that behaves differently in training and in evaluation reads `self.training`
(set by `train()` / `eval()`); Sequential passes the mode on to its layers.
"""

import numpy as np

from .activations import get_activation
from .checks import (
    as_batch,
    as_float_array,
    check_float_dtype,
    check_generator,
    check_positive_int,
    check_same_shape,
)
from .init import init_weights

#: The most weights one Linear layer may have: 1e8 float64 numbers take 800 MB.
MOST_WEIGHTS = 10**8


class Layer:
    """The protocol: `forward`, `backward`, `params`, `grads`, `train()` / `eval()`."""

    training = True

    def __init__(self):
        self.params = {}
        self.grads = {}

    def forward(self, x):
        raise NotImplementedError

    def backward(self, grad_out):
        raise NotImplementedError

    def train(self, mode=True):
        """Switch to training mode (or evaluation with mode=False); returns self."""
        self.training = bool(mode)
        return self

    def eval(self):
        """Switch to evaluation mode; returns self."""
        return self.train(False)

    def __call__(self, x):
        return self.forward(x)

    def _label(self):
        """The layer's repr for an error message; a container's type name (its repr spans lines)."""
        label = repr(self)
        return type(self).__name__ if "\n" in label else label

    def from_forward(self, name):
        """What forward cached under `name`, for backward: an error if forward has not run yet."""
        cached = getattr(self, name, None)
        if cached is None:
            raise ValueError(f"{self._label()}.backward: call forward first")
        return cached

    def as_grad_out(self, grad_out, shape=None):
        """grad_out (∂L/∂output) as a finite float array, a list converted; with `shape` (forward's
        output's) it must have exactly that shape: nothing is broadcast."""
        array = as_float_array(grad_out, f"{self._label()}.backward", "grad_out")
        if shape is not None:
            check_same_shape(array, shape, "grad_out", f"{self._label()}.backward")
        return array


class Linear(Layer):
    """s = x W + b: every output is a weighted sum of the inputs (slide: s = vᵀx).

    params: W (n_in, n_out) and, if bias, b (n_out,). The slides' net has no bias.
    forward:  x (batch, n_in)  → s (batch, n_out)
    backward: ∂L/∂s (batch, n_out) → ∂L/∂x = ∂L/∂s Wᵀ (batch, n_in),
              ∂L/∂W = xᵀ ∂L/∂s (the slide's Δw = h δᵀ summed over the batch), ∂L/∂b = Σ_batch ∂L/∂s.
    """

    def __init__(self, n_in, n_out, rng, init="xavier", bias=True, std=None, dtype=np.float64):
        super().__init__()
        n_in = check_positive_int(n_in, "n_in", "Linear")
        n_out = check_positive_int(n_out, "n_out", "Linear")
        if n_in * n_out > MOST_WEIGHTS:
            raise ValueError(f"Linear: n_in × n_out must be at most {MOST_WEIGHTS:.0e} weights, got "
                             f"{n_in} × {n_out}")
        rng = check_generator(rng)
        dtype = check_float_dtype(dtype, "Linear")
        if not isinstance(bias, (bool, np.bool_)):
            raise TypeError(f"Linear: bias must be True or False, got {bias!r}")
        self.params["W"] = init_weights(init, n_in, n_out, rng, std=std, dtype=dtype)
        if bias:
            self.params["b"] = np.zeros(n_out, dtype=dtype)
        self.x = None  # forward's input, kept for backward

    @classmethod
    def from_weights(cls, W, b=None):
        """A Linear layer holding a copy of the given weights, e.g. the slide net's v or w."""
        W = as_float_array(W, "Linear.from_weights", "W")
        if W.ndim != 2 or W.size == 0:
            raise ValueError(f"Linear.from_weights: W must be (n_in, n_out), got shape {W.shape}")
        if b is not None:
            b = as_float_array(b, "Linear.from_weights", "b")
        layer = cls(*W.shape, np.random.default_rng(0), bias=b is not None, dtype=W.dtype)
        layer.params["W"][...] = W
        if b is not None:
            check_same_shape(b, (W.shape[1],), "b", "Linear.from_weights")
            layer.params["b"][...] = b
        return layer

    @property
    def n_in(self):
        return self.params["W"].shape[0]

    @property
    def n_out(self):
        return self.params["W"].shape[1]

    def __repr__(self):
        return f"Linear({self.n_in} → {self.n_out}{'' if 'b' in self.params else ', no bias'})"

    def forward(self, x):
        x = as_batch(x, self.n_in, self)
        with np.errstate(over="ignore", invalid="ignore"):  # an overflow is reported just below
            s = x @ self.params["W"]
            if "b" in self.params:
                s += self.params["b"]
        s = as_float_array(s, self, "the output s = x W + b (x or W too large)")
        self.x = x  # kept for backward only once forward has succeeded
        return s

    def backward(self, grad_out):
        x = self.from_forward("x")
        grad_out = self.as_grad_out(grad_out, (len(x), self.n_out))
        with np.errstate(over="ignore", invalid="ignore"):  # too large a gradient is inf: train reports it
            self.grads["W"] = x.T @ grad_out
            if "b" in self.params:
                self.grads["b"] = grad_out.sum(axis=0)
            return grad_out @ self.params["W"].T


class Activation(Layer):
    """h = f(s), elementwise; backward multiplies by f′(s) (the slides' f₁′(s), f₂′(z)).

    forward:  s (any shape) → h (same shape)
    backward: ∂L/∂h → ∂L/∂s = ∂L/∂h ⊙ f′(s)
    """

    def __init__(self, name, slope=0.01):
        super().__init__()
        self.function = get_activation(name, slope=slope)
        self.s = self.h = None  # forward's input and output, kept for backward

    def __repr__(self):
        return f"Activation({self.function.name})"

    def forward(self, s):
        s = as_float_array(s, self, "s")
        if s.size == 0:
            raise ValueError(f"{self}: s must hold at least one number, got shape {s.shape}")
        self.s = s
        self.h = self.function.f(self.s)
        return self.h

    def backward(self, grad_out):
        s = self.from_forward("s")
        grad_out = self.as_grad_out(grad_out, s.shape)
        return grad_out * self.function.derivative(s, self.h)


def leaves(layer):
    """The Linear, Activation, … layers inside `layer` in forward order, looking into Sequential
    and Residual containers."""
    if isinstance(layer, Sequential):
        for inner in layer:
            yield from leaves(inner)
    elif isinstance(layer, Residual):
        yield from leaves(layer.block)
    else:
        yield layer


class Residual(Layer):
    """H(x) = F(x) + x: a block F with a shortcut connection around it (slide "ResNet").

    F is any layer whose output has the input's shape, e.g. Sequential(Linear, Activation("relu"),
    Linear) for the slide's F(x) = w₂ relu(w₁x). Backward adds the two paths:
    ∂L/∂x = ∂L/∂H + F's backward of ∂L/∂H — the "+ 1" that keeps gradients from vanishing.
    params and grads are F's own (same names).
    """

    def __init__(self, block):
        # No Layer.__init__: params and grads are the block's.
        if not isinstance(block, Layer):
            raise TypeError(f"Residual needs a Layer as its block, got {type(block).__name__}")
        linears = [layer for layer in leaves(block) if isinstance(layer, Linear)]
        if linears and linears[0].n_in != linears[-1].n_out:  # known now, not after a forward pass
            raise ValueError(f"Residual: block must map a width to the same width (x + F(x)), got "
                             f"{linears[0].n_in} → {linears[-1].n_out}")
        self.block = block

    def __repr__(self):
        inner = repr(self.block).replace("\n", "\n  ")
        return f"Residual(x + {inner})"

    @property
    def params(self):
        return self.block.params

    @property
    def grads(self):
        return self.block.grads

    def train(self, mode=True):
        self.block.train(mode)
        return super().train(mode)

    def forward(self, x):
        x = as_float_array(x, "Residual", "x")
        out = self.block.forward(x)
        if out.shape != x.shape:
            raise ValueError(f"Residual: the block maps shape {x.shape} to {out.shape}; "
                             "a shortcut needs the same shape in and out")
        return out + x

    def backward(self, grad_out):
        grad_out = self.as_grad_out(grad_out)
        return grad_out + self.block.backward(grad_out)


class Sequential(Layer):
    """Layers applied one after the other; backward visits them in reverse (the chain rule).

    params and grads are named "<index>.<name>", e.g. "0.W" for the first layer's weights; the
    arrays are the layers' own, so updating `params[...]` in place updates the layer.
    """

    def __init__(self, *layers):
        # No Layer.__init__: params and grads are not stored here but read from the layers.
        if len(layers) == 1 and isinstance(layers[0], (list, tuple)):
            layers = tuple(layers[0])
        for i, layer in enumerate(layers):
            if not isinstance(layer, Layer):
                raise TypeError(f"Sequential: item {i} is a {type(layer).__name__}, not a Layer")
        if not layers:
            raise ValueError("Sequential: layers must hold at least one layer, got none")
        self.layers = list(layers)

    def __repr__(self):
        inner = "".join(f"\n  ({i}) {layer!r}" for i, layer in enumerate(self.layers))
        return f"Sequential({inner}\n)"

    def __len__(self):
        return len(self.layers)

    def __getitem__(self, index):
        return self.layers[index]

    def __iter__(self):
        return iter(self.layers)

    @property
    def params(self):
        return self._named("params")

    @property
    def grads(self):
        return self._named("grads")

    def _named(self, attribute):
        """Every layer's params (or grads) in one dict, keyed "<layer index>.<name>"."""
        return {
            f"{i}.{name}": array
            for i, layer in enumerate(self.layers)
            for name, array in getattr(layer, attribute).items()
        }

    def train(self, mode=True):
        for layer in self.layers:
            layer.train(mode)
        return super().train(mode)

    def forward(self, x):
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def backward(self, grad_out):
        grad_out = self.as_grad_out(grad_out)
        for layer in reversed(self.layers):
            grad_out = layer.backward(grad_out)
        return grad_out
