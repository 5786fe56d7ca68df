"""Reference implementations for notebook 03 (perceptron, neurons, the MLP's forward pass).

Reused by later notebooks and by the checks; tested in ``tests/test_reference.py`` and
``tests/test_reference_neural_networks.py``. The last three are the notebook's challenges: the
pocket perceptron, a hand-set network for XOR and the softplus activation.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from helpers.reference.linear_regression import add_bias
from helpers.reference.logistic_regression import sigmoid

Activation = Callable[[np.ndarray], np.ndarray]


def perceptron_predict(X: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Rosenblatt's perceptron: ``+1`` where ``X @ w >= 0``, else ``-1``; shape (n,)."""
    return np.where(X @ w >= 0, 1.0, -1.0)


def perceptron_train(X: np.ndarray, y: np.ndarray, n_epochs: int) -> np.ndarray:
    """The classic perceptron rule, from zeros.

    Each epoch visits the samples in order and adds ``y_i * x_i`` to ``w`` whenever sample ``i``
    is misclassified (``perceptron_predict`` disagrees with ``y_i``). Labels are +1/-1.

    Returns
    -------
    ndarray, shape (d,)
    """
    w = np.zeros(X.shape[1])
    for _ in range(n_epochs):
        for x_i, y_i in zip(X, y, strict=True):
            if (1.0 if x_i @ w >= 0 else -1.0) != y_i:
                w = w + y_i * x_i
    return w


def tanh(z: np.ndarray) -> np.ndarray:
    """Hyperbolic tangent from the talk's formula ``(e^z - e^-z) / (e^z + e^-z)``.

    Dividing through by ``e^|z|`` gives ``sign(z) (1 - e^(-2|z|)) / (1 + e^(-2|z|))``, where
    ``exp`` only sees non-positive numbers: no overflow for any ``z``. Same shape as ``z``.
    """
    z = np.asarray(z, dtype=float)
    e = np.exp(-2.0 * np.abs(z))
    result = np.sign(z) * (1.0 - e) / (1.0 + e)
    return result if result.ndim else float(result)


def layer_forward(X: np.ndarray, W: np.ndarray,
                  activation: Activation) -> tuple[np.ndarray, np.ndarray]:
    """One layer: ``z_lin = add_bias(X) @ W`` and ``z = activation(z_lin)``.

    Parameters
    ----------
    X : ndarray, shape (n, d_in)
    W : ndarray, shape (d_in + 1, d_out)
        Its last row is the bias.

    Returns
    -------
    z_lin, z : ndarray, shape (n, d_out)
    """
    z_lin = add_bias(X) @ W
    return z_lin, activation(z_lin)


def mlp_forward(X: np.ndarray, weights: Sequence[np.ndarray],
                activation: Activation = sigmoid) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Feedforward pass of a multi-layer perceptron with a sigmoid output layer.

    Parameters
    ----------
    X : ndarray, shape (n, d)
    weights : list of ndarray
        ``weights[l]`` has shape ``(d_l + 1, d_{l+1})``; the last layer's output is the
        probability of class 1.
    activation : callable
        Activation of the hidden layers.

    Returns
    -------
    zs : list of ndarray
        ``zs[0] = X``, ``zs[l + 1]`` the activations of layer ``l`` (length ``len(weights) + 1``).
    z_lins : list of ndarray
        ``z_lins[l] = add_bias(zs[l]) @ weights[l]``.
    """
    zs, z_lins = [X], []
    for index, W in enumerate(weights):
        last = index == len(weights) - 1
        z_lin, z = layer_forward(zs[-1], W, sigmoid if last else activation)
        z_lins.append(z_lin)
        zs.append(z)
    return zs, z_lins


def init_weights(layer_sizes: Sequence[int], rng: np.random.Generator,
                 scale: float | None = None) -> list[np.ndarray]:
    """Random weights for an MLP with the given layer sizes (inputs first, outputs last).

    Parameters
    ----------
    layer_sizes : sequence of int
        e.g. ``(2, 8, 1)``.
    rng : numpy.random.Generator
    scale : float, optional
        Draw every weight (bias included) uniformly from ``[-scale, scale]`` (the talk uses 0.5).
        By default, Xavier/Glorot: ``a = sqrt(6 / (n_in + n_out))`` and a zero bias row
        (notebook 05 explains why).

    Returns
    -------
    list of ndarray, shapes ``(layer_sizes[l] + 1, layer_sizes[l + 1])``
    """
    weights = []
    for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:], strict=True):
        if scale is not None:
            weights.append(rng.uniform(-scale, scale, size=(n_in + 1, n_out)))
        else:
            limit = np.sqrt(6.0 / (n_in + n_out))
            W = rng.uniform(-limit, limit, size=(n_in + 1, n_out))
            W[-1] = 0.0
            weights.append(W)
    return weights


def _training_errors(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> int:
    return int(np.sum(perceptron_predict(X, w) != y))


def perceptron_pocket(X: np.ndarray, y: np.ndarray, n_epochs: int) -> np.ndarray:
    """Gallant's pocket algorithm: the perceptron rule, keeping the best weights seen so far.

    The weights start at zero and go into the pocket with their number of training errors. The
    perceptron rule then runs exactly as in :func:`perceptron_train`; after each update, the new
    weights replace the pocket's when they make strictly fewer training errors.

    Parameters
    ----------
    X : ndarray, shape (n, d)
        Inputs, bias column included.
    y : ndarray, shape (n,)
        Labels, +1 or -1.
    n_epochs : int

    Returns
    -------
    ndarray, shape (d,)
        The pocket's weights.
    """
    w = np.zeros(X.shape[1])
    pocket, pocket_errors = w, _training_errors(X, y, w)
    for _ in range(n_epochs):
        for x_i, y_i in zip(X, y, strict=True):
            if (1.0 if x_i @ w >= 0 else -1.0) != y_i:
                w = w + y_i * x_i
                errors = _training_errors(X, y, w)
                if errors < pocket_errors:
                    pocket, pocket_errors = w, errors
    return pocket


# A 2-2-1 network for XOR (clusters at (+-1, +-1), class 1 where the signs differ): hidden unit 1
# is on where x1 + x2 > -1, hidden unit 2 where x1 + x2 < 1; the output is their AND.
XOR_WEIGHTS = (np.array([[5.0, -5.0], [5.0, -5.0], [5.0, 5.0]]),
               np.array([[10.0], [10.0], [-15.0]]))


def xor_network(X: np.ndarray) -> np.ndarray:
    """The probability of class 1 from a hand-set 2-2-1 sigmoid network that solves XOR.

    Parameters
    ----------
    X : ndarray, shape (n, 2)

    Returns
    -------
    ndarray, shape (n, 1)
        ``p``, at least 0.5 exactly where the signs of ``x1`` and ``x2`` differ (for points near
        the four clusters at (+-1, +-1)).
    """
    return mlp_forward(X, list(XOR_WEIGHTS))[0][-1]


def softplus(z: np.ndarray) -> np.ndarray:
    """``log(1 + e^z)``, a smooth ReLU, written so that it cannot overflow.

    ``log(1 + e^z) = max(z, 0) + log(1 + e^(-|z|))``: ``exp`` only sees non-positive numbers.
    Its derivative is the sigmoid. Same shape as ``z``; a float for a single number.
    """
    z = np.asarray(z, dtype=float)
    result = np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))
    return result if result.ndim else float(result)
