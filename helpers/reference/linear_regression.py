"""Reference implementations for notebook 01 (linear regression and gradient descent).

Reused by later notebooks and by the checks; tested in ``tests/test_reference.py``.
"""

from __future__ import annotations

import numpy as np


def add_bias(X: np.ndarray) -> np.ndarray:
    """Append a column of ones as the last column.

    Parameters
    ----------
    X : ndarray, shape (n, d)

    Returns
    -------
    ndarray, shape (n, d + 1)
    """
    return np.hstack([X, np.ones((X.shape[0], 1))])


def predict(X: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Linear model ``X @ w``: ``X`` (n, d), ``w`` (d,) to predictions (n,)."""
    return X @ w


def mse_loss(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    """Mean squared error ``mean((X @ w - y) ** 2)``: ``X`` (n, d), ``y`` (n,), ``w`` (d,)."""
    residual = X @ w - y
    return float(np.mean(residual**2))


def mse_gradient(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Gradient of :func:`mse_loss` with respect to ``w``: ``2 / n * X.T @ (X @ w - y)``, (d,)."""
    return 2.0 / X.shape[0] * (X.T @ (X @ w - y))


def gradient_descent(X: np.ndarray, y: np.ndarray, w0: np.ndarray, learning_rate: float,
                     n_iter: int) -> tuple[np.ndarray, list[float]]:
    """Full-batch gradient descent on the MSE.

    Returns
    -------
    w : ndarray, shape (d,)
        The weights after ``n_iter`` updates (``w0`` is not modified).
    losses : list of float, length n_iter
        ``losses[k]`` is the MSE before update ``k``.
    """
    w = np.array(w0, dtype=float)
    losses = []
    for _ in range(n_iter):
        losses.append(mse_loss(X, y, w))
        w = w - learning_rate * mse_gradient(X, y, w)
    return w, losses


def normal_equation(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Least-squares weights solving ``X.T @ X @ w = X.T @ y`` (``X`` (n, d), ``y`` (n,)), (d,)."""
    return np.linalg.solve(X.T @ X, X.T @ y)


def polynomial_features(x: np.ndarray, degree: int) -> np.ndarray:
    """Columns ``x, x**2, ..., x**degree, 1`` of a 1-D input ``x`` (n,), shape (n, degree + 1)."""
    powers = np.arange(1, degree + 1)
    return add_bias(x[:, None] ** powers)


def standardize(X: np.ndarray, mean: np.ndarray | None = None,
                std: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Scale each column to mean 0 and standard deviation 1.

    Pass the training set's ``mean`` and ``std`` to transform validation or test data the same
    way. Constant columns (such as a bias column) are left unscaled.

    Returns
    -------
    X_scaled : ndarray, shape (n, d)
    mean, std : ndarray, shape (d,)
    """
    if mean is None or std is None:
        std = X.std(axis=0)
        # constant columns (a bias column) keep their values: shift 0, scale 1
        mean = np.where(std > 0, X.mean(axis=0), 0.0)
        std = np.where(std > 0, std, 1.0)
    return (X - mean) / std, mean, std


# --------------------------------------------------------------------------- extras (not exercises)
def gradient_descent_path(X: np.ndarray, y: np.ndarray, w0: np.ndarray, learning_rate: float,
                          n_iter: int, max_loss: float = 1e12) -> tuple[np.ndarray, np.ndarray]:
    """Gradient descent keeping every ``w``, stopping (silently) when the loss diverges.

    Meant for figures and the learning-rate explorer: a too large learning rate makes the loss
    explode, so the run stops (silently, no overflow warning) as soon as the loss exceeds
    ``max_loss`` or stops being finite.

    Parameters
    ----------
    X : ndarray, shape (n, d)
    y : ndarray, shape (n,)
    w0 : ndarray, shape (d,)
        Starting point (not modified).
    learning_rate : float
    n_iter : int
        Largest number of updates.
    max_loss : float
        The run stops before an update whose loss is above this (or not finite).

    Returns
    -------
    path : ndarray, shape (k + 1, d)
        ``path[0] = w0`` and ``path[j]`` the weights after update ``j``; ``k = n_iter`` unless
        the run diverged, in which case ``k < n_iter``.
    losses : ndarray, shape (k + 1,)
        ``losses[j]`` is the MSE at ``path[j]``; only the last one may exceed ``max_loss``.
    """
    w = np.array(w0, dtype=float)
    path, losses = [w], []
    with np.errstate(over="ignore", invalid="ignore"):
        for step in range(n_iter + 1):
            loss = mse_loss(X, y, w)
            losses.append(loss)
            if step == n_iter or not np.isfinite(loss) or loss > max_loss:
                break
            w = w - learning_rate * mse_gradient(X, y, w)
            path.append(w)
    return np.array(path), np.array(losses)


def mse_loss_grid(X: np.ndarray, y: np.ndarray, w_first: np.ndarray,
                  w_second: np.ndarray) -> np.ndarray:
    """The MSE of a two-weight model on a grid of weights, for contour plots of the loss surface.

    Parameters
    ----------
    X : ndarray, shape (n, 2)
    y : ndarray, shape (n,)
    w_first, w_second : ndarray, any shape (the same)
        Values of the first and second weight, e.g. from ``np.meshgrid``.

    Returns
    -------
    ndarray, shape of ``w_first``
        ``mse_loss(X, y, [w_first[i], w_second[i]])`` at every grid point.
    """
    W = np.stack([np.ravel(w_first), np.ravel(w_second)])  # (2, m): one column per grid point
    residuals = X @ W - y[:, None]  # (n, m)
    return np.mean(residuals**2, axis=0).reshape(np.shape(w_first))


# --------------------------------------------------------------------------- challenges
def momentum_descent(X: np.ndarray, y: np.ndarray, w0: np.ndarray, learning_rate: float,
                     beta: float, n_iter: int) -> tuple[np.ndarray, list[float]]:
    """Gradient descent with momentum (the heavy ball) on the MSE.

    The velocity starts at zero; each update is ``v = beta * v - learning_rate * gradient``,
    then ``w = w + v``.

    Parameters
    ----------
    X : ndarray, shape (n, d)
    y : ndarray, shape (n,)
    w0 : ndarray, shape (d,)
        Starting weights (left unchanged; may hold integers).
    learning_rate : float
    beta : float
        How much of the previous velocity is kept, in [0, 1); 0 is plain gradient descent.
    n_iter : int

    Returns
    -------
    w : ndarray, shape (d,)
    losses : list of float, length n_iter
        ``losses[k]`` is the MSE before update ``k``.
    """
    w = np.array(w0, dtype=float)
    velocity = np.zeros_like(w)
    losses = []
    for _ in range(n_iter):
        losses.append(mse_loss(X, y, w))
        velocity = beta * velocity - learning_rate * mse_gradient(X, y, w)
        w = w + velocity
    return w, losses


def line_search_step(X: np.ndarray, y: np.ndarray, w: np.ndarray, learning_rate: float,
                     max_halvings: int = 30) -> tuple[np.ndarray, float]:
    """One gradient step on the MSE whose size is found by halving (a backtracking line search).

    The steps ``learning_rate``, ``learning_rate / 2``, ..., ``learning_rate / 2**max_halvings``
    are tried in turn; the first whose new weights have a lower MSE than ``w`` is taken.

    Parameters
    ----------
    X : ndarray, shape (n, d)
    y : ndarray, shape (n,)
    w : ndarray, shape (d,)
        Current weights (left unchanged).
    learning_rate : float
        The first step size tried.
    max_halvings : int
        How many times the step may be halved.

    Returns
    -------
    w_new : ndarray, shape (d,)
        ``w - step * gradient``; a float copy of ``w`` when no step lowers the loss.
    step : float
        The step size taken, 0.0 when none lowered the loss (at the minimum, for instance).
    """
    w = np.array(w, dtype=float)
    loss, gradient = mse_loss(X, y, w), mse_gradient(X, y, w)
    step = float(learning_rate)
    with np.errstate(over="ignore", invalid="ignore"):  # a huge first step may overflow
        for _ in range(max_halvings + 1):
            candidate = w - step * gradient
            if mse_loss(X, y, candidate) < loss:
                return candidate, step
            step /= 2
    return w, 0.0


def mae_loss(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    """Mean absolute error ``mean(|X @ w - y|)``: ``X`` (n, d), ``y`` (n,), ``w`` (d,)."""
    return float(np.mean(np.abs(X @ w - y)))


def mae_gradient(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """A (sub)gradient of :func:`mae_loss`: ``X.T @ sign(X @ w - y) / n``, shape (d,).

    Where a residual is exactly 0 the MAE has a kink; ``sign(0) = 0`` picks a valid subgradient.
    """
    return X.T @ np.sign(X @ w - y) / X.shape[0]


def mae_descent(X: np.ndarray, y: np.ndarray, w0: np.ndarray, learning_rate: float,
                n_iter: int, gradient=mae_gradient) -> tuple[np.ndarray, list[float]]:
    """Subgradient descent on the MAE with a decaying step ``learning_rate / sqrt(k + 1)``.

    A fixed step would end up bouncing across the kinks of the MAE; the decaying one settles.

    Parameters
    ----------
    X : ndarray, shape (n, d)
    y : ndarray, shape (n,)
    w0 : ndarray, shape (d,)
    learning_rate : float
    n_iter : int
    gradient : callable
        ``gradient(X, y, w)``, a subgradient of the MAE (yours, in the challenge).

    Returns
    -------
    w : ndarray, shape (d,)
        The weights with the lowest MAE seen (subgradient steps need not lower the loss).
    losses : list of float, length n_iter
        ``losses[k]`` is the MAE before update ``k``.
    """
    w = np.array(w0, dtype=float)
    best, best_loss, losses = w, np.inf, []
    for k in range(n_iter):
        loss = mae_loss(X, y, w)
        losses.append(loss)
        if loss < best_loss:
            best, best_loss = w, loss
        w = w - learning_rate / np.sqrt(k + 1) * gradient(X, y, w)
    return best, losses
