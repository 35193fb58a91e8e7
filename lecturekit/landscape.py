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

from typing import NamedTuple

import numpy as np

from .batchnorm import BatchNorm
from .checks import check_generator, check_positive_int
from .layers import Residual, leaves
from .losses import get_loss
from .optim import is_weight


def filter_normalized_direction(net, rng):
    """A random direction {name: array} for every parameter of `net`, filter-normalized."""
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


def _stacked_batchnorm(layer):
    """BN's training-mode forward for a stack of batches (K, batch, features): each of the K
    settings is normalized with its own batch statistics (BatchNorm.forward takes one batch)."""

    def forward(x):
        centred = x - x.mean(axis=-2, keepdims=True)
        variance = np.mean(centred * centred, axis=-2, keepdims=True)
        return centred / np.sqrt(variance + layer.eps) * layer.params["gamma"] + layer.params["beta"]

    return forward


def _stacked_running_batchnorm(layer):
    """BN's eval-mode forward for a stack of batches: the fixed running statistics, the same for
    every setting (as net.eval() in Li et al.'s code)."""

    def forward(x):
        scale = layer.params["gamma"] / np.sqrt(layer.running_var + layer.eps)
        return (x - layer.running_mean) * scale + layer.params["beta"]

    return forward


def loss_grid(net, X, Y, directions, span=1.0, resolution=51, loss="mse", batch_statistics=True):
    """L(θ* + α d₁ + β d₂) for α, β on a resolution × resolution grid over [−span, span].

    Returns (alphas, betas, losses) with losses[i, j] at (alphas[j], betas[i]). One row of the
    grid is one forward pass: each moving weight matrix becomes the stack of its `resolution`
    settings along the row (see Linear); a BatchNorm normalizes each setting with its own batch
    statistics (training mode), or with batch_statistics=False with its fixed running statistics
    (eval mode, as Li et al.'s code). The net's own arrays are put back afterwards.
    """
    resolution = check_positive_int(resolution, "resolution")
    loss_fn = get_loss(loss)
    first, second = directions
    # Where each named parameter lives, to swap in stacks: net.params holds the layers' arrays.
    slot = {id(array): (layer.params, key) for layer in leaves(net) for key, array in layer.params.items()}
    trained = net.params
    # Only parameters with a nonzero direction move (not biases, whose direction is 0).
    moving = [name for name in trained if np.any(first[name]) or np.any(second[name])]
    alphas = betas = np.linspace(-span, span, resolution)
    # One α per stacked setting: W (n_in, n_out) becomes (K, n_in, n_out), a bias (K, 1, n_out).
    along_row = alphas.reshape(-1, 1, 1)
    losses = np.empty((resolution, resolution))
    norms = [layer for layer in leaves(net) if isinstance(layer, BatchNorm)]
    for layer in norms:
        if not layer.training:
            raise ValueError(f"loss_grid evaluates BN with batch statistics; {layer!r} is in eval mode")
        stacked = _stacked_batchnorm if batch_statistics else _stacked_running_batchnorm
        layer.forward = stacked(layer)  # shadows the method until `finally`
    try:
        with np.errstate(over="ignore", invalid="ignore"):
            for i, beta in enumerate(betas):
                for name in moving:
                    params, key = slot[id(trained[name])]
                    params[key] = (trained[name] + beta * second[name]) + along_row * first[name]
                outputs = net.forward(X)  # (resolution, batch, outputs)
                losses[i] = [loss_fn(output, Y)[0] for output in outputs]
    finally:
        for layer in norms:
            del layer.forward
        for name in moving:
            params, key = slot[id(trained[name])]
            params[key] = trained[name]
    return alphas, betas, losses


def curvatures(losses, alphas, betas):
    """(smallest, largest): at each interior grid point, the smaller eigenvalue of the drawn
    surface's 2×2 Hessian (by finite differences) and the size |mean| + radius of the larger one."""
    ha, hb = alphas[1] - alphas[0], betas[1] - betas[0]
    L = losses
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
    smallest, largest = curvatures(losses, alphas, betas)
    return float(np.mean(smallest < -1e-6 * largest))


def gradient_in_plane(net, X, Y, directions, loss="mse"):
    """(‖∇L‖, ‖its projection onto the plane of the two directions‖) at the net's weights θ*.

    The slope a slice shows at its centre is the second number: for random directions among
    thousands of parameters it is a small part of the first.
    """
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
    _, grad = get_loss(loss)(net.forward(X), Y)
    net.backward(grad)
    return tuple(float(sum(np.sum(net.grads[name] * d[name]) for name in d)) for d in directions)


def branch_scale(net, X):
    """The median over a net's residual blocks of ‖F(x)‖ / ‖x‖ on the inputs X (NaN without
    blocks): how large each branch's output is next to the shortcut's, x itself."""
    ratios, h = [], X
    for layer in net:
        out = layer.forward(h)
        if isinstance(layer, Residual):
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
        i, j = np.unravel_index(np.nanargmin(self.losses), self.losses.shape)
        return float(self.losses[i, j]), float(self.alphas[j]), float(self.betas[i])
