"""Training a small net: loss by epoch and the classes it predicts (notebook 03)."""

import numpy as np

from ..style import NEGATIVE, POSITIVE
from .base import LectureFigure


def training_figure(predict, X, Y, losses, title=""):
    """Left: the training loss by epoch. Right: the class the net predicts over the plane
    (shaded) and the training points (coloured by their true class).

    predict maps a batch of points (n, 2) to the net's outputs (n, classes), e.g. SlideNet.predict.
    """
    fig = LectureFigure(figsize=(10, 3.8), layout="constrained")
    ax_loss, ax_plane = fig.subplots(1, 2)
    ax_loss.semilogy(np.arange(1, len(losses) + 1), losses)
    ax_loss.set_xlabel("epoch")
    ax_loss.set_ylabel("mean SSE loss (log scale)")
    ax_loss.grid(True, which="both", alpha=0.3)
    accuracy = _class_plane(ax_plane, predict, X, Y)
    ax_plane.legend(loc="upper right", fontsize=8)
    ax_plane.set_title(f"predicted class (shaded); training accuracy {accuracy:.0%}", fontsize=10)
    fig.suptitle(title, fontsize=10)
    return fig


def _class_plane(ax, predict, X, Y):
    """The class `predict` gives each point of the plane (shaded), the training points coloured by
    their true class; returns the training accuracy."""
    lo, hi = X.min(axis=0) - 0.5, X.max(axis=0) + 0.5
    g1, g2 = np.meshgrid(np.linspace(lo[0], hi[0], 80), np.linspace(lo[1], hi[1], 80))
    grid = np.column_stack([g1.ravel(), g2.ravel()])
    predicted = predict(grid).argmax(axis=1).reshape(g1.shape)
    ax.contourf(g1, g2, predicted, levels=[-0.5, 0.5, 1.5], colors=["#cfe2f3", "#f4cccc"])
    labels = Y.argmax(axis=1)
    for label, color in ((0, POSITIVE), (1, NEGATIVE)):
        ax.scatter(*X[labels == label].T, s=14, color=color, label=f"class {label}")
    ax.set_xlabel("x₁")
    ax.set_ylabel("x₂")
    return np.mean(predict(X).argmax(axis=1) == labels)


def boundaries_figure(predictors, X, Y, title=""):
    """One panel per model: the class each predictor ({name: predict}) gives the plane, and the
    training points; each panel's title gives the training accuracy."""
    fig = LectureFigure(figsize=(4 * len(predictors), 4), layout="constrained")
    for ax, (name, predict) in zip(fig.subplots(1, len(predictors), squeeze=False)[0], predictors.items(),
                                   strict=True):
        accuracy = _class_plane(ax, predict, X, Y)
        ax.set_title(f"{name}: accuracy {accuracy:.0%}", fontsize=10)
        ax.set_aspect("equal")
    fig.axes[0].legend(loc="upper right", fontsize=8)
    fig.suptitle(title, fontsize=10)
    return fig

