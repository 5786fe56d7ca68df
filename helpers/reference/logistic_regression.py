"""Reference implementations for notebook 02 (logistic regression, cross-entropy, SGD).

The core exercises (``sigmoid`` to ``accuracy``) are reused by later notebooks and by the checks;
the last three are the notebook's challenges: mini-batch SGD with momentum, a one-vs-rest
classifier for several classes, and one step of Newton's method. Tested in
``tests/test_reference.py`` and ``tests/test_reference_logistic_regression.py``.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np


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

    Uses ``-y log p - (1 - y) log(1 - p) = log(1 + exp(z_lin)) - y z_lin`` with
    ``z_lin = X @ w``, computed by ``np.logaddexp``: exact and finite even when ``p`` rounds to
    0 or 1.

    Parameters
    ----------
    X : ndarray, shape (n, d)
    y : ndarray, shape (n,)
    w : ndarray, shape (d,)

    Returns
    -------
    float
    """
    z_lin = X @ w
    return float(np.mean(np.logaddexp(0.0, z_lin) - y * z_lin))


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


def sgd_momentum(X: np.ndarray, y: np.ndarray, w0: np.ndarray, learning_rate: float,
                 batch_size: int, n_epochs: int, rng: np.random.Generator,
                 beta: float = 0.9) -> tuple[np.ndarray, list[float]]:
    """Mini-batch SGD with momentum on the cross-entropy (notebook 05's convention).

    A velocity ``v`` starts at zero and lives through every batch and epoch; for each batch,
    ``v <- beta * v - learning_rate * gradient(batch)``, then ``w <- w + v``. ``beta = 0`` is
    plain :func:`sgd`.

    Returns
    -------
    w : ndarray, shape (d,)
        Final weights (``w0`` is not modified).
    losses : list of float, length n_epochs
        ``losses[e]`` is the full-data loss after epoch ``e``.
    """
    w = np.array(w0, dtype=float)
    v = np.zeros_like(w)
    losses = []
    for _ in range(n_epochs):
        for X_batch, y_batch in minibatches(X, y, batch_size, rng):
            v = beta * v - learning_rate * cross_entropy_gradient(X_batch, y_batch, w)
            w = w + v
        losses.append(cross_entropy_loss(X, y, w))
    return w, losses


def one_vs_rest(X: np.ndarray, y: np.ndarray, n_classes: int, learning_rate: float,
                n_iter: int) -> np.ndarray:
    """One binary logistic regression per class, each against all the others.

    Column ``k`` of the result is ``n_iter`` steps of full-batch gradient descent from zero
    weights on the labels ``(y == k)`` (1 for class ``k``, 0 for every other class).

    Parameters
    ----------
    X : ndarray, shape (n, d)
        Inputs, bias column included.
    y : ndarray, shape (n,)
        Class labels 0, 1, ..., n_classes - 1.

    Returns
    -------
    ndarray, shape (d, n_classes)
        A new sample's class is the column with the largest score ``x @ W[:, k]``.
    """
    W = np.zeros((X.shape[1], n_classes))
    for k in range(n_classes):
        y_k = (np.asarray(y) == k).astype(float)
        w = np.zeros(X.shape[1])
        for _ in range(n_iter):
            w = w - learning_rate * cross_entropy_gradient(X, y_k, w)
        W[:, k] = w
    return W


def newton_step(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """One step of Newton's method on the mean cross-entropy: ``w - H^{-1} g``.

    ``g = X.T @ (p - y) / n`` is the gradient and ``H = X.T @ diag(p (1 - p)) @ X / n`` the
    Hessian at ``w``, with ``p = sigmoid(X @ w)``; the step solves ``H s = g`` rather than
    inverting ``H``.

    Returns
    -------
    ndarray, shape (d,)
    """
    p = sigmoid(X @ w)
    gradient = X.T @ (p - y) / X.shape[0]
    hessian = (X.T * (p * (1.0 - p))) @ X / X.shape[0]
    return w - np.linalg.solve(hessian, gradient)
