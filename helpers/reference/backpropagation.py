"""Reference implementations for notebook 04 (backpropagation and training an MLP).

Reused by later notebooks and by the checks; tested against numerical gradients in
``tests/test_reference.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from helpers.reference.linear_regression import add_bias
from helpers.reference.logistic_regression import sigmoid
from helpers.reference.neural_networks import init_weights, mlp_forward, tanh

__all__ = [
    "sigmoid_derivative", "tanh_derivative", "mlp_loss", "output_delta", "hidden_delta",
    "weight_gradient", "backprop", "train_mlp",
    # helpers added for the notebook (not exercises)
    "flatten_weights", "unflatten_weights", "mlp_predict_proba",
]

Activation = Callable[[np.ndarray], np.ndarray]


def sigmoid_derivative(z: np.ndarray) -> np.ndarray:
    """Derivative of the sigmoid at ``z`` (the linear combination): ``s(z) (1 - s(z))``."""
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh_derivative(z: np.ndarray) -> np.ndarray:
    """Derivative of tanh at ``z``: ``1 - tanh(z) ** 2``."""
    return 1.0 - tanh(z) ** 2


def mlp_loss(X: np.ndarray, y: np.ndarray, weights: Sequence[np.ndarray],
             activation: Activation = sigmoid) -> float:
    """Mean binary cross-entropy of the network's output for labels ``y`` of shape (n,).

    Computed from the output layer's linear combination with ``np.logaddexp`` (as in notebook
    02), so it stays finite when the output saturates.
    """
    _, z_lins = mlp_forward(X, weights, activation)
    z = z_lins[-1][:, 0]
    return float(np.mean(np.logaddexp(0.0, z) - y * z))


def output_delta(p: np.ndarray, y: np.ndarray) -> np.ndarray:
    """dL_i/dz_lin at a sigmoid output with cross-entropy: ``p - y``; ``p``, ``y`` (n, 1)."""
    return p - y


def hidden_delta(z_lin: np.ndarray, W_next: np.ndarray, delta_next: np.ndarray,
                 activation_derivative: Activation) -> np.ndarray:
    """Delta of a hidden layer from the next layer's.

    Parameters
    ----------
    z_lin : ndarray, shape (n, d)
        This layer's linear combinations.
    W_next : ndarray, shape (d + 1, d_next)
        The next layer's weights; its bias row (the last) is dropped, as no input feeds it.
    delta_next : ndarray, shape (n, d_next)

    Returns
    -------
    ndarray, shape (n, d)
    """
    return activation_derivative(z_lin) * (delta_next @ W_next[:-1].T)


def weight_gradient(layer_input: np.ndarray, delta: np.ndarray) -> np.ndarray:
    """Mean gradient of a layer's weights: ``add_bias(layer_input).T @ delta / n``.

    ``layer_input`` (n, d_in), ``delta`` (n, d_out); returns (d_in + 1, d_out).
    """
    return add_bias(layer_input).T @ delta / layer_input.shape[0]


def backprop(X: np.ndarray, y: np.ndarray, weights: Sequence[np.ndarray],
             activation: Activation = sigmoid,
             activation_derivative: Activation = sigmoid_derivative) -> list[np.ndarray]:
    """Gradient of :func:`mlp_loss` with respect to every weight matrix.

    Returns
    -------
    list of ndarray
        Shaped like ``weights``.
    """
    zs, z_lins = mlp_forward(X, weights, activation)
    delta = output_delta(zs[-1], y.reshape(-1, 1))
    grads = [None] * len(weights)
    for layer in range(len(weights) - 1, -1, -1):
        grads[layer] = weight_gradient(zs[layer], delta)
        if layer > 0:
            delta = hidden_delta(z_lins[layer - 1], weights[layer], delta, activation_derivative)
    return grads


def train_mlp(X: np.ndarray, y: np.ndarray, hidden_sizes: Sequence[int], learning_rate: float,
              n_iter: int, rng: np.random.Generator, activation: Activation = sigmoid,
              activation_derivative: Activation = sigmoid_derivative,
              init_scale: float | None = None, weights: Sequence[np.ndarray] | None = None,
              callback: Callable[[int, list[np.ndarray], float], None] | None = None,
              ) -> tuple[list[np.ndarray], list[float]]:
    """Full-batch gradient descent on :func:`mlp_loss` from a random start.

    Parameters
    ----------
    X : ndarray, shape (n, d)
    y : ndarray, shape (n,)
        Labels 0/1.
    hidden_sizes : sequence of int
        e.g. ``(8,)`` for a d-8-1 network.
    learning_rate : float
    n_iter : int
    rng : numpy.random.Generator
        For the initial weights (see :func:`~helpers.reference.neural_networks.init_weights`).
    activation, activation_derivative : callable
        Hidden units' activation and its derivative.
    init_scale : float, optional
        Uniform ``[-init_scale, init_scale]`` start (the talk's 0.5); default Xavier.
    weights : list of ndarray, optional
        Start from these instead (they are copied, not modified).
    callback : callable, optional
        ``callback(iteration, weights, loss)`` after each update, e.g. to draw progress.

    Returns
    -------
    weights : list of ndarray
    losses : list of float, length n_iter
        The loss before each update.
    """
    if weights is None:
        weights = init_weights([X.shape[1], *hidden_sizes, 1], rng, init_scale)
    weights = [np.array(W, dtype=float) for W in weights]
    losses = []
    for iteration in range(n_iter):
        losses.append(mlp_loss(X, y, weights, activation))
        grads = backprop(X, y, weights, activation, activation_derivative)
        weights = [W - learning_rate * G for W, G in zip(weights, grads, strict=True)]
        if callback is not None:
            callback(iteration, weights, losses[-1])
    return weights, losses


# --------------------------------------------------------------------------- notebook helpers
def flatten_weights(weights: Sequence[np.ndarray]) -> np.ndarray:
    """All weight matrices as one vector (row by row, layer after layer).

    Used to gradient-check a whole network with :func:`helpers.gradcheck.check_gradient`, which
    works on a single array.

    Parameters
    ----------
    weights : list of ndarray
        Shapes ``(d_l + 1, d_{l+1})``.

    Returns
    -------
    ndarray, shape (total number of weights,)
    """
    return np.concatenate([np.asarray(W, dtype=float).ravel() for W in weights])


def unflatten_weights(vector: np.ndarray, shapes: Sequence[tuple[int, ...]]) -> list[np.ndarray]:
    """Inverse of :func:`flatten_weights`: cut ``vector`` into matrices of the given shapes.

    Parameters
    ----------
    vector : ndarray, shape (sum of the shapes' sizes,)
    shapes : sequence of tuple
        e.g. ``[W.shape for W in weights]``.

    Returns
    -------
    list of ndarray
        Views into ``vector`` (so a numerical gradient that perturbs ``vector`` perturbs them).
    """
    sizes = [int(np.prod(shape)) for shape in shapes]
    if sum(sizes) != np.size(vector):
        raise ValueError(f"{np.size(vector)} numbers cannot fill matrices of shapes {list(shapes)}")
    ends = np.cumsum(sizes)
    return [vector[end - size:end].reshape(shape)
            for end, size, shape in zip(ends, sizes, shapes, strict=True)]


def mlp_predict_proba(X: np.ndarray, weights: Sequence[np.ndarray],
                      activation: Activation = sigmoid) -> np.ndarray:
    """The network's probability of class 1 for each row of ``X`` (n, d): shape (n,)."""
    zs, _ = mlp_forward(X, weights, activation)
    return zs[-1][:, 0]
