"""Reference implementations for notebook 05 (validation, initialisation, L2, softmax).

Besides the exercises, this module holds the multi-class MLP that notebook 05 trains on the digits
(and that the benchmarks time): a softmax output layer on top of ReLU, tanh or sigmoid hidden
layers, trained by mini-batch gradient descent with L2 regularisation and early stopping.

Reused by the checks; tested (against numerical gradients where they are gradients) in
``tests/test_reference.py`` and ``tests/test_reference_training.py``.

Notes on speed
--------------
The training step (:func:`sgd_step`) is written to stay close to the cost of its matrix products:
a layer computes ``X @ W[:-1] + W[-1]``, which equals ``add_bias(X) @ W`` without building the
``(n, d + 1)`` copy of ``X``; activations, the softmax and the deltas are updated in place; the
learning rate and ``1 / n`` are folded into the output delta once, so every weight gradient comes
out already scaled and the update is a single in-place subtraction. Arrays stay float64 (the
series' convention, and what gradient checking needs); float32 would roughly halve the time of the
matrix products on most CPUs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from helpers.reference.logistic_regression import minibatches

__all__ = [
    "train_validation_split", "xavier_init", "he_init", "l2_penalty", "l2_penalty_gradient",
    "softmax", "one_hot", "softmax_cross_entropy", "softmax_cross_entropy_gradient",
    "relu", "relu_derivative", "ACTIVATIONS", "init_network", "softmax_mlp_forward",
    "softmax_mlp_loss", "softmax_mlp_backprop", "sgd_step", "predict_classes",
    "classification_accuracy", "train_classifier", "Workspace",
]


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


# --------------------------------------------------------------------------- the multi-class MLP
def relu(z: np.ndarray) -> np.ndarray:
    """Rectified linear unit ``max(z, 0)``, same shape as ``z``."""
    return np.maximum(z, 0.0)


def relu_derivative(z: np.ndarray) -> np.ndarray:
    """Derivative of :func:`relu` at ``z``: 1 where ``z > 0``, else 0 (0 at the kink)."""
    return (np.asarray(z) > 0).astype(float)


def _relu_inplace(a: np.ndarray) -> None:
    np.maximum(a, 0.0, out=a)


def _tanh_inplace(a: np.ndarray) -> None:
    np.tanh(a, out=a)


def _sigmoid_inplace(a: np.ndarray) -> None:
    # sigmoid(z) = (1 + tanh(z / 2)) / 2: stable for any z, and computable in place.
    a *= 0.5
    np.tanh(a, out=a)
    a += 1.0
    a *= 0.5


def _relu_backward(delta: np.ndarray, a: np.ndarray) -> None:
    delta *= a > 0  # relu'(z) from the output a = relu(z)


def _tanh_backward(delta: np.ndarray, a: np.ndarray) -> None:
    delta *= 1.0 - a * a  # tanh'(z) = 1 - tanh(z)^2


def _sigmoid_backward(delta: np.ndarray, a: np.ndarray) -> None:
    delta *= a * (1.0 - a)  # sigmoid'(z) = s (1 - s)


#: Hidden activations by name: (in-place forward, in-place backward from the layer's output).
ACTIVATIONS: dict[str, tuple[Callable[[np.ndarray], None],
                             Callable[[np.ndarray, np.ndarray], None]]] = {
    "relu": (_relu_inplace, _relu_backward),
    "tanh": (_tanh_inplace, _tanh_backward),
    "sigmoid": (_sigmoid_inplace, _sigmoid_backward),
}


def _activation(name: str):
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, got {name!r}") from None


def init_network(layer_sizes: Sequence[int], rng: np.random.Generator,
                 init: str | float = "he") -> list[np.ndarray]:
    """Initial weights of an MLP with the given layer sizes (inputs first, outputs last).

    Parameters
    ----------
    layer_sizes : sequence of int
        e.g. ``(64, 128, 10)``.
    rng : numpy.random.Generator
    init : {"he", "xavier", "zeros"} or float
        :func:`he_init`, :func:`xavier_init`, all zeros (to show the symmetry problem), or a
        float ``s``: every weight, bias included, uniform in ``[-s, s]`` (the talk's 0.5).

    Returns
    -------
    list of ndarray, shapes ``(layer_sizes[l] + 1, layer_sizes[l + 1])``
    """
    weights = []
    for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:], strict=True):
        if init == "he":
            weights.append(he_init(n_in, n_out, rng))
        elif init == "xavier":
            weights.append(xavier_init(n_in, n_out, rng))
        elif init == "zeros":
            weights.append(np.zeros((n_in + 1, n_out)))
        elif isinstance(init, int | float) and not isinstance(init, bool):
            weights.append(rng.uniform(-init, init, size=(n_in + 1, n_out)))
        else:
            raise ValueError(f"init must be 'he', 'xavier', 'zeros' or a number, got {init!r}")
    return weights


class Workspace:
    """Arrays reused from one training step to the next, so a step allocates nothing large.

    Fresh arrays of a few hundred kilobytes per step cost page faults and memory traffic that
    the matrix products themselves do not need; :func:`train_classifier` keeps one workspace
    for all its steps. Arrays are keyed by name and shape (the last batch of an epoch may be
    smaller).
    """

    def __init__(self) -> None:
        self._arrays: dict[tuple, np.ndarray] = {}

    def array(self, name: str, shape: tuple[int, ...], dtype: type = np.float64) -> np.ndarray:
        """An uninitialised array for ``name`` of this shape, the same one on every call."""
        key = (name, shape, dtype)
        found = self._arrays.get(key)
        if found is None:
            found = self._arrays[key] = np.empty(shape, dtype=dtype)
        return found


def _matmul(a: np.ndarray, b: np.ndarray, workspace: Workspace | None, name: str) -> np.ndarray:
    """``a @ b``, into the workspace's array ``name`` when there is a workspace."""
    if workspace is None:
        return a @ b
    return np.matmul(a, b, out=workspace.array(name, (a.shape[0], b.shape[1])))


def _hidden_forward(X: np.ndarray, weights: Sequence[np.ndarray],
                    forward: Callable[[np.ndarray], None],
                    workspace: Workspace | None = None) -> list[np.ndarray]:
    """``[X, a_1, ..., a_{L-1}]``: the input and every hidden layer's activations."""
    activations = [X]
    for layer, W in enumerate(weights[:-1]):
        # == add_bias(input) @ W, without copying the input
        a = _matmul(activations[-1], W[:-1], workspace, f"activation {layer}")
        a += W[-1]
        forward(a)
        activations.append(a)
    return activations


def softmax_mlp_forward(X: np.ndarray, weights: Sequence[np.ndarray],
                        activation: str = "relu") -> tuple[list[np.ndarray], np.ndarray]:
    """Feedforward pass of an MLP with a softmax output layer.

    Parameters
    ----------
    X : ndarray, shape (n, d)
    weights : list of ndarray
        ``weights[l]`` has shape ``(d_l + 1, d_{l+1})``, bias last; the last layer has one
        column per class.
    activation : {"relu", "tanh", "sigmoid"}
        Activation of the hidden layers.

    Returns
    -------
    activations : list of ndarray
        ``activations[0] = X`` and ``activations[l]`` (n, d_l) for each hidden layer.
    Z : ndarray, shape (n, k)
        The output layer's linear combinations (logits); ``softmax(Z)`` are the probabilities.
    """
    forward, _ = _activation(activation)
    activations = _hidden_forward(X, weights, forward)
    Z = activations[-1] @ weights[-1][:-1]
    Z += weights[-1][-1]
    return activations, Z


def _labels(y: np.ndarray) -> np.ndarray:
    return y if y.dtype.kind in "iu" else y.astype(np.int64)


def softmax_mlp_loss(X: np.ndarray, y: np.ndarray, weights: Sequence[np.ndarray],
                     activation: str = "relu", lam: float = 0.0) -> float:
    """Mean softmax cross-entropy of the network on integer labels, plus ``l2_penalty``.

    Parameters
    ----------
    X : ndarray, shape (n, d)
    y : ndarray, shape (n,)
        Integer class labels ``0..k-1`` (floats holding whole numbers are accepted).
    weights : list of ndarray
    activation : {"relu", "tanh", "sigmoid"}
    lam : float
        L2 strength; 0 for the data loss alone.

    Returns
    -------
    float
        ``mean_i(logsumexp(Z_i) - Z_i[y_i]) + lam / 2 * sum ||W[:-1]||^2``.
    """
    loss, _ = _evaluate(X, y, weights, activation)
    return loss + (l2_penalty(weights, lam) if lam else 0.0)


def _backward(X: np.ndarray, y: np.ndarray, weights: Sequence[np.ndarray], activation: str,
              lam: float, scale: float, workspace: Workspace | None = None) -> list[np.ndarray]:
    """``scale * n`` times the gradient of the mean loss (plus ``scale * n * lam * W`` terms).

    With ``scale = 1 / n`` this is the gradient of :func:`softmax_mlp_loss`; with
    ``scale = learning_rate / n`` it is the gradient step itself.
    """
    forward, backward = _activation(activation)
    activations = _hidden_forward(X, weights, forward, workspace)
    n = X.shape[0]
    # Output delta (softmax(Z) - Y) * scale, computed in place in the logits' array.
    delta = _matmul(activations[-1], weights[-1][:-1], workspace, "logits")
    delta += weights[-1][-1]
    delta -= delta.max(axis=1, keepdims=True)
    np.exp(delta, out=delta)
    delta *= scale / delta.sum(axis=1, keepdims=True)
    delta[np.arange(n), _labels(y)] -= scale
    l2 = lam * scale * n
    grads: list[np.ndarray] = [None] * len(weights)  # type: ignore[list-item]
    for layer in range(len(weights) - 1, -1, -1):
        W, a = weights[layer], activations[layer]
        G = np.empty_like(W) if workspace is None else workspace.array(f"gradient {layer}",
                                                                         W.shape)
        np.matmul(a.T, delta, out=G[:-1])  # == add_bias(a).T @ delta, bias row apart
        np.sum(delta, axis=0, out=G[-1])
        if l2:
            G[:-1] += l2 * W[:-1]
        grads[layer] = G
        if layer > 0:
            # the bias row feeds no earlier unit: it is dropped
            delta = _matmul(delta, W[:-1].T, workspace, f"delta {layer - 1}")
            backward(delta, a)
    return grads


def softmax_mlp_backprop(X: np.ndarray, y: np.ndarray, weights: Sequence[np.ndarray],
                         activation: str = "relu", lam: float = 0.0) -> list[np.ndarray]:
    """Gradient of :func:`softmax_mlp_loss` (L2 included) with respect to every weight matrix.

    The output delta is ``(softmax(Z) - one_hot(y)) / n``; hidden deltas follow notebook 04's
    ``activation'(z_lin) * (delta_next @ W_next[:-1].T)``; each layer's gradient is
    ``add_bias(a).T @ delta`` plus ``lam * W`` outside the bias row.

    Returns
    -------
    list of ndarray
        Shaped like ``weights``.
    """
    return _backward(X, y, weights, activation, lam, 1.0 / X.shape[0])


def sgd_step(X: np.ndarray, y: np.ndarray, weights: list[np.ndarray], learning_rate: float,
             activation: str = "relu", lam: float = 0.0,
             workspace: Workspace | None = None) -> None:
    """One gradient-descent step on a (mini-)batch, updating ``weights`` IN PLACE.

    Equivalent to ``W -= learning_rate * G`` for each ``W`` and the matching ``G`` of
    :func:`softmax_mlp_backprop`, but with the scaling folded into the output delta.

    Parameters
    ----------
    X : ndarray, shape (b, d)
    y : ndarray, shape (b,), integer labels
    weights : list of ndarray
        Modified in place.
    learning_rate : float
    activation : {"relu", "tanh", "sigmoid"}
    lam : float
    workspace : Workspace, optional
        Reuse its arrays instead of allocating new ones (pass the same one to every step).
    """
    steps = _backward(X, y, weights, activation, lam, learning_rate / X.shape[0], workspace)
    for W, step in zip(weights, steps, strict=True):
        W -= step


def predict_classes(X: np.ndarray, weights: Sequence[np.ndarray],
                    activation: str = "relu") -> np.ndarray:
    """The most probable class of each row of ``X`` (n, d): ``argmax`` of the logits, (n,) int."""
    return softmax_mlp_forward(X, weights, activation)[1].argmax(axis=1)


def classification_accuracy(y: np.ndarray, predicted: np.ndarray) -> float:
    """Fraction of samples whose predicted class equals the label; both (n,)."""
    return float(np.mean(np.asarray(predicted) == np.asarray(y)))


def _evaluate(X: np.ndarray, y: np.ndarray, weights: Sequence[np.ndarray],
              activation: str) -> tuple[float, float]:
    """(mean cross-entropy without the penalty, accuracy) of the network on ``X``, ``y``."""
    _, Z = softmax_mlp_forward(X, weights, activation)
    labels = _labels(np.asarray(y))
    rows = np.arange(Z.shape[0])
    correct = float(np.mean(Z.argmax(axis=1) == labels))
    Z -= Z.max(axis=1, keepdims=True)  # log-sum-exp: the shift cancels in the difference below
    loss = float(np.mean(np.log(np.exp(Z).sum(axis=1)) - Z[rows, labels]))
    return loss, correct


def train_classifier(X_train: np.ndarray, y_train: np.ndarray, X_val: np.ndarray | None,
                     y_val: np.ndarray | None, hidden_sizes: Sequence[int], learning_rate: float,
                     batch_size: int, n_epochs: int, rng: np.random.Generator, lam: float = 0.0,
                     init: str | float = "he", patience: int | None = None,
                     callback: Callable[[int, list[np.ndarray], dict], None] | None = None,
                     activation: str = "relu", n_classes: int | None = None,
                     weights: Sequence[np.ndarray] | None = None,
                     ) -> tuple[list[np.ndarray], dict]:
    """Train a softmax MLP with mini-batch gradient descent, L2 and early stopping.

    Each epoch is one pass of :func:`~helpers.reference.logistic_regression.minibatches` (one
    ``rng.permutation`` per epoch) with an :func:`sgd_step` per batch; after it, the loss and
    accuracy on the training and validation sets are recorded.

    Parameters
    ----------
    X_train : ndarray, shape (n, d)
    y_train : ndarray, shape (n,)
        Integer labels ``0..k-1``.
    X_val, y_val : ndarray, shapes (m, d) and (m,), or None
        Validation data; needed for early stopping.
    hidden_sizes : sequence of int
        e.g. ``(128,)`` for a d-128-k network.
    learning_rate : float
    batch_size : int
        ``len(X_train)`` gives full-batch gradient descent.
    n_epochs : int
        Largest number of epochs.
    rng : numpy.random.Generator
        For the initial weights and the shuffling.
    lam : float
        L2 strength (:func:`l2_penalty`, bias rows excluded).
    init : {"he", "xavier", "zeros"} or float
        See :func:`init_network`.
    patience : int, optional
        Stop when the validation loss has not improved for ``patience`` epochs, and return the
        weights of the best epoch. None trains for ``n_epochs`` and returns the last weights.
    callback : callable, optional
        ``callback(epoch, weights, history)`` after each epoch (progress bars, live figures).
    activation : {"relu", "tanh", "sigmoid"}
    n_classes : int, optional
        Default: ``max(y_train) + 1``.
    weights : list of ndarray, optional
        Start from these (copied) instead of a random initialisation.

    Returns
    -------
    weights : list of ndarray
        The best epoch's weights when ``patience`` is given, else the last ones.
    history : dict
        ``"train_loss"``, ``"val_loss"``, ``"train_accuracy"``, ``"val_accuracy"``: lists with one
        value per epoch (losses without the penalty; the validation ones are empty without
        validation data); ``"best_epoch"``: the epoch whose weights are returned;
        ``"stopped_early"``: whether patience ran out.
    """
    y_train = _labels(np.asarray(y_train))
    has_val = X_val is not None and y_val is not None
    if has_val:
        y_val = _labels(np.asarray(y_val))
    if patience is not None and not has_val:
        raise ValueError("early stopping (patience) needs validation data")
    if weights is None:
        k = n_classes or int(max(y_train.max(), y_val.max() if has_val else 0)) + 1
        weights = init_network([X_train.shape[1], *hidden_sizes, k], rng, init)
    weights = [np.array(W, dtype=np.float64) for W in weights]  # ours to update in place
    history: dict = {"train_loss": [], "val_loss": [], "train_accuracy": [],
                     "val_accuracy": [], "best_epoch": 0, "stopped_early": False}
    best_loss, best_weights = np.inf, None
    workspace = Workspace()  # one set of arrays for every step of the training
    for epoch in range(n_epochs):
        for X_batch, y_batch in minibatches(X_train, y_train, batch_size, rng):
            sgd_step(X_batch, y_batch, weights, learning_rate, activation, lam, workspace)
        loss, acc = _evaluate(X_train, y_train, weights, activation)
        history["train_loss"].append(loss)
        history["train_accuracy"].append(acc)
        if has_val:
            val_loss, val_acc = _evaluate(X_val, y_val, weights, activation)
            history["val_loss"].append(val_loss)
            history["val_accuracy"].append(val_acc)
            if patience is not None and val_loss < best_loss:
                best_loss, history["best_epoch"] = val_loss, epoch
                best_weights = [W.copy() for W in weights]
        if patience is None:
            history["best_epoch"] = epoch
        if callback is not None:
            callback(epoch, weights, history)
        if patience is not None and epoch - history["best_epoch"] >= patience:
            history["stopped_early"] = True
            break
    if best_weights is not None:
        weights = best_weights
    return weights, history
