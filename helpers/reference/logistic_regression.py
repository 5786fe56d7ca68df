"""Reference implementations for notebook 02 (logistic regression, cross-entropy, SGD).

Reused by later notebooks and by the checks; tested in ``tests/test_reference.py``.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

__all__ = [
    "sigmoid", "predict_proba", "cross_entropy_loss", "cross_entropy_gradient",
    "quadratic_features", "minibatches", "sgd", "accuracy",
]


def sigmoid(z: np.ndarray | float) -> np.ndarray | float:
    """The logistic function ``1 / (1 + exp(-z))``, same shape as ``z`` (scalars too).

    Written so that ``exp`` only ever sees non-positive numbers: no overflow for any ``z``.
    """
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))  # in (0, 1]: cannot overflow
    result = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return result if result.ndim else float(result)


def predict_proba(X: np.ndarray, w: np.ndarray) -> np.ndarray:
    """P(y = 1 | x; w) for each row: ``sigmoid(X @ w)``, shape (n,)."""
    return sigmoid(X @ w)


def cross_entropy_loss(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    """Mean binary cross-entropy of ``sigmoid(X @ w)`` against labels ``y`` in {0, 1}.

    Uses ``-y log p - (1 - y) log(1 - p) = log(1 + exp(z)) - y z`` with ``z = X @ w``, computed
    by ``np.logaddexp``: finite even when ``p`` saturates to 0 or 1.
    """
    z = X @ w
    return float(np.mean(np.logaddexp(0.0, z) - y * z))


def cross_entropy_gradient(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Gradient of :func:`cross_entropy_loss`: ``X.T @ (sigmoid(X @ w) - y) / n``, shape (d,)."""
    return X.T @ (sigmoid(X @ w) - y) / X.shape[0]


def quadratic_features(X: np.ndarray) -> np.ndarray:
    """Columns ``x1, x2, x1**2, x2**2, x1*x2, 1`` of a 2-D input ``X`` (n, 2), shape (n, 6)."""
    x1, x2 = X[:, 0], X[:, 1]
    return np.column_stack([x1, x2, x1**2, x2**2, x1 * x2, np.ones(len(X))])


def minibatches(X: np.ndarray, y: np.ndarray, batch_size: int,
                rng: np.random.Generator) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Shuffled mini-batches: consecutive chunks of one ``rng.permutation(n)``.

    Yields
    ------
    X_batch : ndarray, shape (b, d)
    y_batch : ndarray, shape (b,)
        ``b = batch_size``, except possibly for the last, smaller batch.
    """
    order = rng.permutation(X.shape[0])
    for start in range(0, len(order), batch_size):
        chosen = order[start:start + batch_size]
        yield X[chosen], y[chosen]


def sgd(X: np.ndarray, y: np.ndarray, w0: np.ndarray, learning_rate: float, batch_size: int,
        n_epochs: int, rng: np.random.Generator) -> tuple[np.ndarray, list[float]]:
    """Mini-batch stochastic gradient descent on the cross-entropy.

    Returns
    -------
    w : ndarray, shape (d,)
        Final weights (``w0`` is not modified).
    losses : list of float, length n_epochs
        ``losses[e]`` is the full-data loss after epoch ``e``.
    """
    w = np.array(w0, dtype=float)
    losses = []
    for _ in range(n_epochs):
        for X_batch, y_batch in minibatches(X, y, batch_size, rng):
            w = w - learning_rate * cross_entropy_gradient(X_batch, y_batch, w)
        losses.append(cross_entropy_loss(X, y, w))
    return w, losses


def accuracy(y: np.ndarray, p: np.ndarray) -> float:
    """Fraction of samples where ``(p >= 0.5) == y``; ``y`` and ``p`` shape (n,)."""
    return float(np.mean((p >= 0.5) == (y == 1)))
