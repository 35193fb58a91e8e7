"""The loss landscape around trained weights, as Li et al. (2018) draw it.

Slide "題外話:有Residual block的loss space" shows their Fig. 1: ResNet-56's loss surface with and
without skip connections. The method (Li et al. 2018, §4):

1. pick two random directions d₁, d₂ with the shape of every parameter;
2. filter-normalize them: each filter of d gets the norm of the same filter of the trained
   weights θ*, so that the picture does not depend on how the weights happen to be scaled. For a
   fully connected layer a filter is the incoming weights of one unit (a column of W); biases
   and normalization parameters get direction 0;
3. plot L(θ* + α d₁ + β d₂) on a grid of (α, β).
"""

import numpy as np

from .checks import check_generator, check_positive_int
from .layers import leaves
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


def loss_grid(net, X, Y, directions, span=1.0, resolution=51, loss="mse"):
    """L(θ* + α d₁ + β d₂) for α, β on a resolution × resolution grid over [−span, span].

    Returns (alphas, betas, losses) with losses[i, j] at (alphas[j], betas[i]). One row of the
    grid is one forward pass: each moving weight matrix becomes the stack of its `resolution`
    settings along the row (see Linear). The net's own arrays are put back afterwards.
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
    try:
        with np.errstate(over="ignore", invalid="ignore"):
            for i, beta in enumerate(betas):
                for name in moving:
                    params, key = slot[id(trained[name])]
                    params[key] = (trained[name] + beta * second[name]) + along_row * first[name]
                outputs = net.forward(X)  # (resolution, batch, outputs)
                losses[i] = [loss_fn(output, Y)[0] for output in outputs]
    finally:
        for name in moving:
            params, key = slot[id(trained[name])]
            params[key] = trained[name]
    return alphas, betas, losses


def nonconvexity(losses, alphas, betas):
    """The share of interior grid points where the surface curves down in some direction.

    At each point the 2×2 Hessian of the drawn surface is taken by finite differences; the point
    counts when its smaller eigenvalue is negative (beyond 1e-6 of the larger one's size). A convex
    bowl scores 0.
    """
    ha, hb = alphas[1] - alphas[0], betas[1] - betas[0]
    L = losses
    d_aa = (L[1:-1, 2:] - 2 * L[1:-1, 1:-1] + L[1:-1, :-2]) / ha**2
    d_bb = (L[2:, 1:-1] - 2 * L[1:-1, 1:-1] + L[:-2, 1:-1]) / hb**2
    d_ab = (L[2:, 2:] - L[2:, :-2] - L[:-2, 2:] + L[:-2, :-2]) / (4 * ha * hb)
    mean, radius = (d_aa + d_bb) / 2, np.hypot((d_aa - d_bb) / 2, d_ab)
    smallest, largest = mean - radius, np.abs(mean) + radius
    return float(np.mean(smallest < -1e-6 * largest))
