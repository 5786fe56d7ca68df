"""Reference implementations for notebook 05 (training in practice): the exercises' answers.

Validation split, Xavier and He initialisation, the L2 penalty and its gradient, softmax, one-hot
targets, softmax cross-entropy and its gradient, the backpropagation of a ReLU network with a
softmax output (``softmax_mlp_backprop``) and its training loop (``train_classifier``), plus the
three challenges (``decayed_learning_rate``, ``momentum_step``, ``dropout_backprop``). They are
written as an attendee would write them, from the earlier notebooks' pieces; the fast version of
the same network, used by demos and benchmarks, is :mod:`helpers.nn`.

Reused by the checks; tested (against numerical gradients where they are gradients) in
``tests/test_reference.py`` and ``tests/test_reference_training.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from helpers.reference.backpropagation import hidden_delta, weight_gradient
from helpers.reference.linear_regression import add_bias
from helpers.reference.logistic_regression import minibatches
from helpers.reference.neural_networks import mlp_forward


def train_validation_split(X: np.ndarray, y: np.ndarray, validation_fraction: float,
                           rng: np.random.Generator
                           ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Shuffle, then hold out ``round(validation_fraction * n)`` samples for validation.

    The first ``n_val`` indices of ``rng.permutation(n)`` go to validation, the rest (in the
    permuted order) to training.

    Returns
    -------
    X_train (n - n_val, d), y_train (n - n_val,), X_val (n_val, d), y_val (n_val,)
    """
    order = rng.permutation(X.shape[0])
    n_val = round(validation_fraction * X.shape[0])
    val, train = order[:n_val], order[n_val:]
    return X[train], y[train], X[val], y[val]


def xavier_init(n_in: int, n_out: int, rng: np.random.Generator) -> np.ndarray:
    """Xavier/Glorot uniform weights ``U[-a, a]``, ``a = sqrt(6 / (n_in + n_out))``, bias row 0.

    Returns
    -------
    ndarray, shape (n_in + 1, n_out)
    """
    limit = np.sqrt(6.0 / (n_in + n_out))
    W = rng.uniform(-limit, limit, size=(n_in + 1, n_out))
    W[-1] = 0.0
    return W


def he_init(n_in: int, n_out: int, rng: np.random.Generator) -> np.ndarray:
    """He normal weights with standard deviation ``sqrt(2 / n_in)``, bias row 0.

    Returns
    -------
    ndarray, shape (n_in + 1, n_out)
    """
    W = rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_in + 1, n_out))
    W[-1] = 0.0
    return W


def l2_penalty(weights: Sequence[np.ndarray], lam: float) -> float:
    """``lam / 2 * sum of squares`` of every weight matrix without its bias row."""
    return float(lam / 2.0 * sum(np.sum(W[:-1] ** 2) for W in weights))


def l2_penalty_gradient(weights: Sequence[np.ndarray], lam: float) -> list[np.ndarray]:
    """Gradient of :func:`l2_penalty`: ``lam * W`` with the bias row zeroed, per matrix."""
    grads = []
    for W in weights:
        G = lam * W  # a new array: the caller's weights are untouched
        G[-1] = 0.0
        grads.append(G)
    return grads


def softmax(Z: np.ndarray) -> np.ndarray:
    """Row-wise softmax of ``Z`` (n, k); subtracting each row's max keeps ``exp`` from overflow."""
    shifted = Z - Z.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=1, keepdims=True)


def one_hot(y: np.ndarray, n_classes: int) -> np.ndarray:
    """Integer labels ``y`` (n,) in ``0..n_classes-1`` to 0/1 rows, shape (n, n_classes), float."""
    Y = np.zeros((len(y), n_classes))
    Y[np.arange(len(y)), np.asarray(y, dtype=int)] = 1.0
    return Y


def softmax_cross_entropy(Z: np.ndarray, Y: np.ndarray) -> float:
    """Mean over rows of ``-sum(Y * log softmax(Z))``, via log-sum-exp (finite for any ``Z``).

    ``Z`` logits (n, k), ``Y`` one-hot targets (n, k).
    """
    shifted = Z - Z.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-np.sum(Y * log_probs) / Z.shape[0])


def softmax_cross_entropy_gradient(Z: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """Gradient of :func:`softmax_cross_entropy` with respect to ``Z``: ``(softmax(Z) - Y) / n``."""
    return (softmax(Z) - Y) / Z.shape[0]


# --------------------------------------------------------------------------- the network
def _relu(z_lin: np.ndarray) -> np.ndarray:
    """ReLU, notebook 04's: ``max(z_lin, 0)`` elementwise."""
    return np.maximum(z_lin, 0.0)


def _relu_derivative(z_lin: np.ndarray) -> np.ndarray:
    """ReLU's derivative: 1 where ``z_lin > 0``, else 0 (0 at the kink)."""
    return (np.asarray(z_lin) > 0).astype(float)


def softmax_mlp_backprop(X: np.ndarray, y: np.ndarray, weights: Sequence[np.ndarray],
                         lam: float = 0.0) -> list[np.ndarray]:
    """Gradient of ``softmax_cross_entropy(Z, one_hot(y, k)) + l2_penalty(weights, lam)``.

    The network has ReLU hidden layers and a linear output layer of ``k = weights[-1].shape[1]``
    logits ``Z``. Notebook 04's backpropagation with two changes: the output delta is
    ``softmax(Z) - one_hot(y, k)`` (per sample, as notebook 04's ``p - y``), and each layer's
    gradient gets the penalty's ``lam * W`` (bias row 0).

    Parameters
    ----------
    X : ndarray, shape (n, d)
    y : ndarray of int, shape (n,)
        Labels ``0..k-1``.
    weights : list of ndarray
        ``weights[l]`` of shape ``(d_l + 1, d_{l+1})``, bias last.
    lam : float

    Returns
    -------
    list of ndarray
        Shaped like ``weights``.
    """
    zs, z_lins = mlp_forward(X, weights, _relu)  # z_lins[-1] are the logits Z
    delta = softmax(z_lins[-1]) - one_hot(y, weights[-1].shape[1])
    grads = l2_penalty_gradient(weights, lam)
    for layer in range(len(weights) - 1, -1, -1):
        grads[layer] = grads[layer] + weight_gradient(zs[layer], delta)
        if layer > 0:
            delta = hidden_delta(z_lins[layer - 1], weights[layer], delta, _relu_derivative)
    return grads


def _evaluate(X: np.ndarray, y: np.ndarray, weights: Sequence[np.ndarray]) -> tuple[float, float]:
    """(mean softmax cross-entropy, accuracy) of the ReLU network on ``X``, ``y``."""
    Z = mlp_forward(X, weights, _relu)[1][-1]
    loss = softmax_cross_entropy(Z, one_hot(y, Z.shape[1]))
    return loss, float(np.mean(Z.argmax(axis=1) == y))


def train_classifier(X_train: np.ndarray, y_train: np.ndarray, X_val: np.ndarray,
                     y_val: np.ndarray, hidden_sizes: Sequence[int], learning_rate: float,
                     batch_size: int, n_epochs: int, rng: np.random.Generator, lam: float = 0.0,
                     patience: int | None = None,
                     callback: Callable[[int, list[np.ndarray], dict], None] | None = None,
                     ) -> tuple[list[np.ndarray], dict]:
    """Train a He-initialised ReLU network with a softmax output by mini-batch gradient descent.

    The weights are drawn from ``rng`` first (``he_init``, layer by layer), for ``k = 1 +`` the
    largest label of ``y_train`` and ``y_val`` outputs. Each epoch is one pass of ``minibatches``
    with a step ``W - learning_rate * G`` per batch (``G`` from :func:`softmax_mlp_backprop`,
    ``lam`` included); then the training loss, the validation loss (mean cross-entropy, without
    the penalty) and the validation accuracy are recorded, and ``callback(epoch, weights,
    history)`` is called. With ``patience``, training stops after ``patience`` epochs without a
    lower validation loss, and the best epoch's weights are returned.

    Returns
    -------
    weights : list of ndarray
        The best epoch's weights with ``patience``, else the last ones (with ``n_epochs = 0``,
        the initial weights).
    history : dict
        Lists ``"train_loss"``, ``"val_loss"``, ``"val_accuracy"``, one value per epoch run.
    """
    n_classes = int(max(np.max(y_train), np.max(y_val))) + 1
    sizes = [X_train.shape[1], *hidden_sizes, n_classes]
    weights = [he_init(n_in, n_out, rng) for n_in, n_out in zip(sizes[:-1], sizes[1:],
                                                                strict=True)]
    history: dict = {"train_loss": [], "val_loss": [], "val_accuracy": []}
    best_loss, best_epoch, best_weights = np.inf, 0, weights
    for epoch in range(n_epochs):
        for X_batch, y_batch in minibatches(X_train, y_train, batch_size, rng):
            grads = softmax_mlp_backprop(X_batch, y_batch, weights, lam)
            weights = [W - learning_rate * G for W, G in zip(weights, grads, strict=True)]
        train_loss, _ = _evaluate(X_train, y_train, weights)
        val_loss, val_accuracy = _evaluate(X_val, y_val, weights)
        history["train_loss"].append(train_loss)
        history["val_loss"].append(val_loss)
        history["val_accuracy"].append(val_accuracy)
        if callback is not None:
            callback(epoch, weights, history)
        if val_loss < best_loss:
            best_loss, best_epoch, best_weights = val_loss, epoch, weights
        elif patience is not None and epoch - best_epoch >= patience:
            break
    return (best_weights if patience is not None else weights), history


# --------------------------------------------------------------------------- challenges
def decayed_learning_rate(learning_rate: float, epoch: int | np.ndarray,
                          decay: float) -> float | np.ndarray:
    """Inverse-time decay: ``learning_rate / (1 + decay * epoch)`` (epochs from 0).

    ``epoch`` may be an array of epochs; the result then has its shape.
    """
    return learning_rate / (1.0 + decay * epoch)


def momentum_step(weights: Sequence[np.ndarray], grads: Sequence[np.ndarray],
                  velocities: Sequence[np.ndarray], learning_rate: float,
                  beta: float) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """One step of gradient descent with momentum, for every matrix of a network.

    ``V <- beta * V - learning_rate * G``, then ``W <- W + V`` (with the new ``V``).

    Returns
    -------
    weights, velocities : lists of ndarray
        New arrays, shaped like the inputs (which are not modified).
    """
    velocities = [beta * V - learning_rate * G for V, G in zip(velocities, grads, strict=True)]
    weights = [W + V for W, V in zip(weights, velocities, strict=True)]
    return weights, velocities


def dropout_backprop(X: np.ndarray, y: np.ndarray, weights: Sequence[np.ndarray], p: float,
                     rng: np.random.Generator) -> list[np.ndarray]:
    """Gradient of the mean softmax cross-entropy of a ReLU network with (inverted) dropout.

    In the forward pass, each hidden layer's output ``z = relu(z_lin)`` is multiplied by a mask
    ``m / (1 - p)`` with ``m = rng.random(z_lin.shape) >= p`` (drawn layer after layer, from the
    first hidden layer): each unit is dropped with probability ``p`` and the kept ones are scaled
    up, so that the expected activation does not change. The backward pass multiplies each
    hidden delta by the same mask. No L2.

    Returns
    -------
    list of ndarray
        Shaped like ``weights``: the gradient of the loss with these masks held fixed.
    """
    zs, z_lins, masks = [X], [], []
    for W in weights[:-1]:
        z_lin = add_bias(zs[-1]) @ W
        mask = (rng.random(z_lin.shape) >= p) / (1.0 - p)
        z_lins.append(z_lin)
        masks.append(mask)
        zs.append(_relu(z_lin) * mask)
    Z = add_bias(zs[-1]) @ weights[-1]
    delta = softmax(Z) - one_hot(y, Z.shape[1])
    grads: list[np.ndarray] = [delta] * len(weights)  # placeholders, all replaced below
    for layer in range(len(weights) - 1, -1, -1):
        grads[layer] = weight_gradient(zs[layer], delta)
        if layer > 0:
            delta = hidden_delta(z_lins[layer - 1], weights[layer], delta,
                                 _relu_derivative) * masks[layer - 1]
    return grads
