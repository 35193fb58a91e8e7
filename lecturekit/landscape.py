"""The loss landscape around trained weights, as Li et al. (2018) draw it.

Slide "題外話:有Residual block的loss space" shows their Fig. 1: ResNet-56's loss surface with and
without skip connections. The method (Li et al. 2018, §4):

1. pick two random directions d₁, d₂ with the shape of every parameter;
2. filter-normalize them: each filter of d gets the norm of the same filter of the trained
   weights θ*, so that the picture does not depend on how the weights happen to be scaled. For a
   fully connected layer a filter is the incoming weights of one unit (a column of W); biases
   and normalization parameters get direction 0;
3. plot L(θ* + α d₁ + β d₂) on a grid of (α, β).

A net with BatchNorm is evaluated by default as it was trained (full batch, training mode): each
BN normalizes with the statistics of the 64 points at that grid point's weights, so it re-normalizes
every perturbed layer. Li et al.'s code (tomgoldstein/loss-landscape, evaluation.py) calls
net.eval(): fixed running statistics at every grid point; `loss_grid(..., batch_statistics=False)`
does that.
"""

import numbers
from typing import NamedTuple

import numpy as np

from .batchnorm import BatchNoise, BatchNorm
from .checks import as_float_array, check_examples, check_generator, check_net, check_number, check_same_shape
from .layers import Activation, Linear, Residual, Sequential, leaves
from .losses import get_loss
from .optim import is_weight


def filter_normalized_direction(net, rng):
    """A random direction {name: array} for every parameter of `net`, filter-normalized."""
    check_net(net, "filter_normalized_direction")
    check_generator(rng)
    direction = {}
    for name, weights in net.params.items():
        if not is_weight(name):
            direction[name] = np.zeros_like(weights)
            continue
        d = rng.standard_normal(weights.shape)
        # column j holds the incoming weights of unit j: rescale it to that unit's norm in θ*
        d *= np.linalg.norm(weights, axis=0) / np.maximum(np.linalg.norm(d, axis=0), 1e-12)
        direction[name] = d
    return direction


def forward_settings(layer, params, x, batch_statistics=True, prefix=""):
    """`layer`'s output on x with the weights in `params` instead of its own, for K weight
    settings at once: one row of a loss_grid in one pass, with no weight of the net touched.

    params holds every parameter of the net by its name in `net.params` ("3.0.W": Sequential
    names a layer's arrays "<index>.<name>", a Residual its block's the same); an array is either
    one setting, with the parameter's shape, or K of them along a new first axis: (K, n_in, n_out)
    for a W, (K, 1, n) for a vector. x is (batch, n_in), or (K, batch, n_in) once the settings
    have split it; the output has a leading K axis once any weight before it has one.
    The layers compute as in evaluation, except that a BatchNorm with batch_statistics normalizes
    each setting with its own batch's statistics, as in training; BatchNoise is the identity.
    """
    if isinstance(layer, Sequential):
        for i, inner in enumerate(layer):
            x = forward_settings(inner, params, x, batch_statistics, f"{prefix}{i}.")
        return x
    if isinstance(layer, Residual):  # H(x) = F(x) + x
        return forward_settings(layer.block, params, x, batch_statistics, prefix) + x
    if isinstance(layer, Linear):  # s = x W + b
        s = x @ params[prefix + "W"]
        if "b" in layer.params:
            s += params[prefix + "b"]  # in place: a new array of K batches costs more than the add
        return s
    if isinstance(layer, Activation):  # h = f(s)
        return layer.function.f(x)
    if isinstance(layer, BatchNorm):  # y = γ x̂ + β, x̂ = (x − μ) / √(σ² + ε)
        if batch_statistics:  # over the batch axis of each setting
            mean, var = x.mean(axis=-2, keepdims=True), x.var(axis=-2, keepdims=True)
        else:
            mean, var = layer.running_mean, layer.running_var
        x_hat = (x - mean) / np.sqrt(var + layer.eps)
        return params[prefix + "gamma"] * x_hat + params[prefix + "beta"]
    if isinstance(layer, BatchNoise):  # the identity, as in evaluation
        return x
    raise TypeError(f"forward_settings: layer must be a Sequential, Residual, Linear, Activation, "
                    f"BatchNorm or BatchNoise, got {type(layer).__name__}")


def _check_directions(net, directions):
    """The two directions as {name: float array}, each with exactly the names and shapes of
    net.params."""
    if not isinstance(directions, (tuple, list)) or len(directions) != 2:
        raise TypeError(f"loss_grid: directions must be a pair (d₁, d₂) of {{name: array}} dicts, got "
                        f"{type(directions).__name__}")
    params, checked = net.params, []
    for k, direction in enumerate(directions):
        if not isinstance(direction, dict) or direction.keys() != params.keys():
            names = sorted(direction) if isinstance(direction, dict) else type(direction).__name__
            raise ValueError(f"loss_grid: directions[{k}] must have the net's parameter names "
                             f"{sorted(params)}, got {names}")
        d = {name: as_float_array(array, "loss_grid", f"directions[{k}][{name!r}]")
             for name, array in direction.items()}
        for name, array in d.items():
            check_same_shape(array, params[name].shape, f"directions[{k}][{name!r}]", "loss_grid")
        checked.append(d)
    return checked


def loss_grid(net, X, Y, directions, span=1.0, resolution=51, loss="mse", batch_statistics=True):
    """L(θ* + α d₁ + β d₂) for α, β on a resolution × resolution grid over [−span, span].

    Returns (alphas, betas, losses) with losses[i, j] at (alphas[j], betas[i]). One row of the
    grid is one forward pass (`forward_settings`): each moving parameter becomes the stack of its
    `resolution` settings along the row. A BatchNorm normalizes each setting with its own batch
    statistics, as in training (it must be in training mode), or with batch_statistics=False with
    its fixed running statistics (eval mode, as Li et al.'s code). The net is not changed.
    """
    if isinstance(resolution, (bool, np.bool_)) or not isinstance(resolution, numbers.Integral):
        raise TypeError(f"loss_grid: resolution must be an integer ≥ 3, got {resolution!r}")
    if not 3 <= resolution <= 1001:  # curvatures need a point with neighbours on every side
        raise ValueError(f"loss_grid: resolution must be an integer from 3 to 1001, got {resolution}")
    span = check_number(span, "span", "loss_grid", above=0, at_most=1e6)
    if not isinstance(batch_statistics, (bool, np.bool_)):
        raise TypeError(f"loss_grid: batch_statistics must be True or False, got {batch_statistics!r}")
    loss_fn = get_loss(loss)
    X, Y, _ = check_examples(net, X, Y, loss, "loss_grid")
    first, second = _check_directions(net, directions)
    for layer in leaves(net):
        if batch_statistics and isinstance(layer, BatchNorm) and not layer.training:
            raise ValueError(f"loss_grid: batch_statistics=True needs every BatchNorm in training mode, "
                             f"got {layer!r} in eval mode (batch_statistics=False uses its running "
                             "statistics)")
    trained = net.params
    # Only parameters with a nonzero direction move (not biases, whose direction is 0).
    moving = [name for name in trained if np.any(first[name]) or np.any(second[name])]
    alphas = betas = np.linspace(-span, span, resolution)
    # One α per setting: W (n_in, n_out) becomes (K, n_in, n_out), a vector (K, 1, n).
    along_row = alphas.reshape(-1, 1, 1)
    losses = np.empty((resolution, resolution))
    with np.errstate(over="ignore", invalid="ignore"):
        for i, beta in enumerate(betas):
            row = dict(trained)
            for name in moving:
                row[name] = (trained[name] + beta * second[name]) + along_row * first[name]
            outputs = forward_settings(net, row, X, batch_statistics)
            outputs = np.broadcast_to(outputs, (resolution, *outputs.shape[-2:]))  # even if none moves
            losses[i] = [loss_fn(output, Y)[0] for output in outputs]
    return alphas, betas, losses


def _check_grid(losses, alphas, betas, where):
    """(losses, alphas, betas) as float arrays: losses a grid of at least 3 × 3 points (NaN and inf
    allowed: a point where the loss blew up), one finite, increasing α per column, β per row."""
    try:
        grid = np.asarray(losses)
    except ValueError:  # a ragged list
        raise ValueError(f"{where}: losses must be a rectangular grid, got rows of different "
                         "lengths") from None
    if grid.dtype.kind not in "fiu":
        raise TypeError(f"{where}: losses must be a grid of numbers, got dtype {grid.dtype}")
    grid = grid.astype(float)
    if grid.ndim != 2 or min(grid.shape) < 3:
        raise ValueError(f"{where}: losses must be a grid of at least 3 × 3 points (the curvature "
                         f"at a point needs its neighbours), got shape {grid.shape}")
    axes = []
    for name, axis, values in (("alphas", 1, alphas), ("betas", 0, betas)):
        values = as_float_array(values, where, name)
        check_same_shape(values, (grid.shape[axis],), name, f"{where} with losses of shape {grid.shape}")
        if not np.all(np.diff(values) > 0):
            raise ValueError(f"{where}: {name} must increase from one grid point to the next")
        axes.append(values)
    return grid, *axes


def curvatures(losses, alphas, betas):
    """(smallest, largest): at each interior grid point, the smaller eigenvalue of the drawn
    surface's 2×2 Hessian (by finite differences) and the size |mean| + radius of the larger one."""
    L, alphas, betas = _check_grid(losses, alphas, betas, "curvatures")
    ha, hb = alphas[1] - alphas[0], betas[1] - betas[0]
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):  # a blown-up point: NaN there
        d_aa = (L[1:-1, 2:] - 2 * L[1:-1, 1:-1] + L[1:-1, :-2]) / ha**2
        d_bb = (L[2:, 1:-1] - 2 * L[1:-1, 1:-1] + L[:-2, 1:-1]) / hb**2
        d_ab = (L[2:, 2:] - L[2:, :-2] - L[:-2, 2:] + L[:-2, :-2]) / (4 * ha * hb)
        mean, radius = (d_aa + d_bb) / 2, np.hypot((d_aa - d_bb) / 2, d_ab)
        return mean - radius, np.abs(mean) + radius


def nonconvexity(losses, alphas, betas):
    """The share of interior grid points where the surface curves down in some direction.

    At each point the 2×2 Hessian of the drawn surface is taken by finite differences
    (`curvatures`); the point counts when its smaller eigenvalue is negative (beyond 1e-6 of the
    larger one's size). A convex bowl scores 0; so does nothing else: a smooth saddle scores 1.
    """
    smallest, largest = curvatures(*_check_grid(losses, alphas, betas, "nonconvexity"))
    with np.errstate(invalid="ignore"):
        return float(np.mean(smallest < -1e-6 * largest))


def gradient_in_plane(net, X, Y, directions, loss="mse"):
    """(‖∇L‖, ‖its projection onto the plane of the two directions‖) at the net's weights θ*.

    The slope a slice shows at its centre is the second number: for random directions among
    thousands of parameters it is a small part of the first.
    """
    X, Y, _ = check_examples(net, X, Y, loss, "gradient_in_plane")
    directions = _check_directions(net, directions)
    _, grad = get_loss(loss)(net.forward(X), Y)
    net.backward(grad)
    names = list(net.params)
    g = np.concatenate([net.grads[name].ravel() for name in names])
    D = np.stack([np.concatenate([d[name].ravel() for name in names]) for d in directions], axis=1)
    basis, _ = np.linalg.qr(D)  # an orthonormal basis of the plane
    return float(np.linalg.norm(g)), float(np.linalg.norm(basis.T @ g))


def slopes_along(net, X, Y, directions, loss="mse"):
    """(dL/dα, dL/dβ) at the centre of the slice: the slopes the drawn surface has there, per unit
    of α and β. A step of 1 in α moves the weights by ‖d₁‖ (filter-normalized: ‖d₁‖ ≈ ‖θ*‖
    without the biases), so this is ‖d₁‖ times a slope per unit of parameter length."""
    X, Y, _ = check_examples(net, X, Y, loss, "slopes_along")
    directions = _check_directions(net, directions)
    _, grad = get_loss(loss)(net.forward(X), Y)
    net.backward(grad)
    return tuple(float(sum(np.sum(net.grads[name] * d[name]) for name in d)) for d in directions)


def branch_scale(net, X):
    """The median over a net's residual blocks of ‖F(x)‖ / ‖x‖ on the inputs X (NaN without
    blocks): how large each branch's output is next to the shortcut's, x itself."""
    check_net(net, "branch_scale", sequential=True)
    X = as_float_array(X, "branch_scale", "X")
    ratios, h = [], X
    for layer in net:
        out = layer.forward(h)
        if isinstance(layer, Residual):
            with np.errstate(invalid="ignore", divide="ignore"):  # x = 0: no ratio (NaN or inf)
                ratios.append(np.linalg.norm(out - h) / np.linalg.norm(h))
        h = out
    return float(np.median(ratios)) if ratios else float("nan")


class Landscape(NamedTuple):
    """A drawn loss surface: losses[i, j] = L(θ* + alphas[j] d₁ + betas[i] d₂)."""

    alphas: np.ndarray
    betas: np.ndarray
    losses: np.ndarray
    share: float  # nonconvexity(losses, alphas, betas): share of points curving down
    trained_loss: float  # L(θ*), the loss of the trained net at the centre (α, β) = (0, 0)
    gradient: float = float("nan")  # ‖∇L(θ*)‖
    gradient_in_plane: float = float("nan")  # its projection onto the slice's plane
    branch: float = float("nan")  # branch_scale: median ‖F(x)‖ / ‖x‖ over the residual blocks
    slopes: tuple = (float("nan"), float("nan"))  # slopes_along: (dL/dα, dL/dβ) at the centre
    direction_norms: tuple = (float("nan"), float("nan"))  # (‖d₁‖, ‖d₂‖)

    def lowest(self):
        """(loss, α, β) of the lowest grid point of the slice."""
        if np.isnan(self.losses).all():
            raise ValueError("Landscape.lowest: losses must hold at least one number, got all NaN")
        i, j = np.unravel_index(np.nanargmin(self.losses), self.losses.shape)
        return float(self.losses[i, j]), float(self.alphas[j]), float(self.betas[i])
