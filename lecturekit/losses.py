"""Losses: each returns the loss value and its gradient with respect to the prediction.

Slide "Back-propagation": 我們用SSE來當作loss function, loss(y, ŷ) = ½ (y − ŷ)ᵀ(y − ŷ).
Notation (erratum 2): ŷ is the network's output, y the target, throughout.
Shapes are never broadcast: ŷ and y must have the same shape.
"""

import numpy as np

from .checks import as_float_array, check_choice, check_same_shape


def _pair(y_hat, y, where):
    y_hat = as_float_array(y_hat, where, "y_hat")
    y = as_float_array(y, where, "y")
    check_same_shape(y, y_hat.shape, "y (the target)", f"{where} with y_hat of shape {y_hat.shape}")
    if y_hat.size == 0:
        raise ValueError(f"{where}: y_hat must hold at least one prediction, got shape {y_hat.shape}")
    return y_hat, y


def sse(y_hat, y):
    """½ Σ (y − ŷ)², summed over every output of every example; the slides' loss.

    For one example this is ½ (y − ŷ)ᵀ(y − ŷ). Gradient: ∂loss/∂ŷ = ŷ − y (note the sign:
    the slides' (y − ŷ) is −∂loss/∂ŷ, see erratum 1).
    Returns (loss: float, ∂loss/∂ŷ: same shape as ŷ).
    """
    y_hat, y = _pair(y_hat, y, "sse")
    with np.errstate(over="ignore"):  # a loss too large for a float is inf: a run that diverged
        error = y_hat - y
        return 0.5 * float(np.sum(error * error)), error


def mse(y_hat, y):
    """Mean of (y − ŷ)² over all entries; gradient 2(ŷ − y) / number of entries.

    Returns (loss: float, ∂loss/∂ŷ: same shape as ŷ).
    """
    y_hat, y = _pair(y_hat, y, "mse")
    with np.errstate(over="ignore"):  # a loss too large for a float is inf: a run that diverged
        error = y_hat - y
        return float(np.mean(error * error)), (2.0 / error.size) * error


def softmax(logits):
    """Row-wise softmax, stable for any logits: subtracting the row max changes nothing but
    keeps every exponent ≤ 0, so e^x never overflows."""
    shifted = logits - logits.max(axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=-1, keepdims=True)


def softmax_cross_entropy(logits, labels):
    """Mean over the batch of −log softmax(logits)[label].

    logits: (batch, classes) floats; labels: (batch,) integer classes in [0, classes).
    Computed as logsumexp(logits) − logits[label] with the max subtracted, so it is finite for
    logits of any size. Gradient: (softmax(logits) − onehot(labels)) / batch.
    Returns (loss: float, ∂loss/∂logits: (batch, classes)).
    """
    logits = as_float_array(logits, "softmax_cross_entropy", "logits")
    if logits.ndim != 2:
        raise ValueError(
            f"softmax_cross_entropy: logits must have shape (batch, classes), got {logits.shape}"
        )
    try:
        labels = np.asarray(labels)
    except ValueError:  # a ragged list
        raise ValueError("softmax_cross_entropy: labels must be a flat list of class indices") from None
    if labels.dtype.kind not in "iu":
        raise TypeError(
            f"softmax_cross_entropy: labels must be integer class indices, got dtype {labels.dtype}"
        )
    batch, classes = logits.shape
    if batch == 0 or classes == 0:
        raise ValueError(f"softmax_cross_entropy: logits must hold at least one example and one "
                         f"class, got shape {logits.shape}")
    check_same_shape(labels, (batch,), "labels (one per row of logits)", "softmax_cross_entropy")
    if labels.min() < 0 or labels.max() >= classes:
        raise ValueError(
            f"softmax_cross_entropy: labels must lie in [0, {classes}), "
            f"got values from {labels.min()} to {labels.max()}"
        )
    # Logits further apart than the largest float (±1e308 in one row) give an infinite loss.
    with np.errstate(over="ignore"):
        shifted = logits - logits.max(axis=1, keepdims=True)
        log_sum_exp = np.log(np.exp(shifted).sum(axis=1))
        rows = np.arange(batch)
        loss = float(np.mean(log_sum_exp - shifted[rows, labels]))
        grad = softmax(shifted)
    grad[rows, labels] -= 1.0
    return loss, grad / batch


#: Losses by name, for widgets and `train`.
LOSSES = {"sse": sse, "mse": mse, "softmax_cross_entropy": softmax_cross_entropy}


def get_loss(name):
    """The loss function called `name` (one of LOSSES)."""
    if callable(name):
        return name
    return LOSSES[check_choice(name, "the loss name", tuple(LOSSES), "get_loss")]
