"""The series' fast numpy network: a softmax MLP trained with in-place steps.

Notebook 05's exercises build this network plainly (``softmax_mlp_backprop`` and
``train_classifier`` in :mod:`helpers.reference.training_in_practice` are the reference answers).
This module is the same network written for speed, for the demos that train many networks (the
overfitting, regularisation and vanishing-gradient figures of notebook 05, later notebooks) and
for the benchmarks (``benchmarks/mlp.py``). It computes the same numbers as the plain version,
up to rounding, and draws the same random numbers from the same generator
(``tests/test_nn.py`` checks both).

* :func:`init_network`: He, Xavier, all-zero or uniform initial weights;
* :func:`forward`, :func:`loss`, :func:`backprop`: the network, its loss and its gradient, for
  ReLU, tanh or sigmoid hidden layers and a softmax output;
* :func:`sgd_step`: one gradient step, in place, with a reusable :class:`Workspace`;
* :func:`predict_classes`, :func:`evaluate`, :func:`train_classifier`.

Notes on speed
--------------
A step stays close to the cost of its matrix products (``benchmarks/mlp.py`` measures it):

* each layer's input carries a column of ones (the input batch is copied once into an array with
  that column, every hidden layer writes its activations beside its own column), so
  ``add_bias(a) @ W`` is one matrix product that adds the bias row, and ``add_bias(a).T @ delta``
  one that also sums the bias row's gradient: no separate passes for either;
* activations, the softmax and the deltas are computed in place, into a :class:`Workspace` that
  keeps its arrays from one step to the next (no allocation per step);
* the learning rate and ``1 / n`` are folded into the output delta once, so every weight gradient
  comes out already scaled, and L2 becomes a decay of the weights, ``W *= 1 - alpha * lam``, before
  the in-place update ``W -= step``.

Arrays stay float64 (the series' convention, and what gradient checking needs). ReLU is notebook
04's; this module has its own in-place version.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from helpers.reference.logistic_regression import minibatches
from helpers.reference.training_in_practice import he_init, xavier_init

__all__ = [
    "ACTIVATIONS", "Workspace", "init_network", "forward", "loss", "backprop", "sgd_step",
    "predict_classes", "evaluate", "train_classifier",
]

InPlace = Callable[[np.ndarray], None]
Backward = Callable[[np.ndarray, np.ndarray], None]


# --------------------------------------------------------------------------- activations
def _relu_forward(a: np.ndarray) -> None:
    np.maximum(a, 0.0, out=a)


def _tanh_forward(a: np.ndarray) -> None:
    np.tanh(a, out=a)


def _sigmoid_forward(a: np.ndarray) -> None:
    # sigmoid(z) = (1 + tanh(z / 2)) / 2: stable for any z, and computable in place.
    a *= 0.5
    np.tanh(a, out=a)
    a += 1.0
    a *= 0.5


def _relu_backward(delta: np.ndarray, a: np.ndarray) -> None:
    delta *= a > 0  # relu'(z_lin) from the output a = relu(z_lin): 1 where a > 0


def _tanh_backward(delta: np.ndarray, a: np.ndarray) -> None:
    delta *= 1.0 - a * a  # tanh'(z_lin) = 1 - tanh(z_lin)^2


def _sigmoid_backward(delta: np.ndarray, a: np.ndarray) -> None:
    delta *= a * (1.0 - a)  # sigmoid'(z_lin) = s (1 - s)


#: Hidden activations by name: (in-place forward, in-place backward from the layer's output).
ACTIVATIONS: dict[str, tuple[InPlace, Backward]] = {
    "relu": (_relu_forward, _relu_backward),
    "tanh": (_tanh_forward, _tanh_backward),
    "sigmoid": (_sigmoid_forward, _sigmoid_backward),
}


def _activation(name: str) -> tuple[InPlace, Backward]:
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, got {name!r}") from None


def init_network(layer_sizes: Sequence[int], rng: np.random.Generator,
                 init: str | float = "he") -> list[np.ndarray]:
    """Initial weights of an MLP with the given layer sizes (inputs first, outputs last).

    Parameters
    ----------
    layer_sizes : sequence of int
        e.g. ``(64, 128, 10)``.
    rng : numpy.random.Generator
        Layers are drawn in order, each with one call (as ``train_classifier`` does).
    init : {"he", "xavier", "zeros"} or float
        ``he_init``, ``xavier_init`` (notebook 05), all zeros (to show the symmetry problem), or
        a float ``s``: every weight, bias included, uniform in ``[-s, s]`` (the talk's 0.5).

    Returns
    -------
    list of ndarray, shapes ``(layer_sizes[l] + 1, layer_sizes[l + 1])``
    """
    schemes = {"he": he_init, "xavier": xavier_init,
               "zeros": lambda n_in, n_out, rng: np.zeros((n_in + 1, n_out))}
    if isinstance(init, str) and init in schemes:
        draw = schemes[init]
    elif isinstance(init, int | float) and not isinstance(init, bool) and init >= 0:
        def draw(n_in: int, n_out: int, rng: np.random.Generator) -> np.ndarray:
            return rng.uniform(-init, init, size=(n_in + 1, n_out))
    else:
        raise ValueError(f"init must be 'he', 'xavier', 'zeros' or a number >= 0, got {init!r}")
    return [draw(n_in, n_out, rng)
            for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:], strict=True)]


# --------------------------------------------------------------------------- workspace
class Workspace:
    """Arrays reused from one training step to the next, so that a step allocates nothing large.

    Fresh arrays of a few hundred kilobytes per step cost page faults and memory traffic that the
    matrix products themselves do not need; :func:`train_classifier` keeps one workspace for all
    its steps. Arrays are keyed by name and shape (the last batch of an epoch may be smaller).
    """

    def __init__(self) -> None:
        self._arrays: dict[tuple, np.ndarray] = {}

    def array(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """An uninitialised float64 array for ``name`` of this shape, the same on every call."""
        key = (name, shape)
        found = self._arrays.get(key)
        if found is None:
            found = self._arrays[key] = np.empty(shape)
        return found

    def with_ones(self, name: str, rows: int, columns: int) -> np.ndarray:
        """A ``(rows, columns + 1)`` array whose last column holds ones (the bias input); write
        the layer's values into ``[:, :-1]`` and leave the ones alone."""
        key = (name, (rows, columns + 1))
        found = self._arrays.get(key)
        if found is None:
            found = self._arrays[key] = np.empty((rows, columns + 1))
            found[:, -1] = 1.0
        return found

    def with_ones_row(self, name: str, rows: int, columns: int) -> np.ndarray:
        """A ``(rows + 1, columns)`` array whose last row holds ones; write into ``[:-1]``."""
        key = (name, (rows + 1, columns))
        found = self._arrays.get(key)
        if found is None:
            found = self._arrays[key] = np.empty((rows + 1, columns))
            found[-1] = 1.0
        return found

    def rows(self, n: int) -> np.ndarray:
        """``np.arange(n)``, kept (it indexes each row's label in the output delta)."""
        key = ("rows", (n,))
        found = self._arrays.get(key)
        if found is None:
            found = self._arrays[key] = np.arange(n)
        return found


# --------------------------------------------------------------------------- the network
def _labels(y: np.ndarray) -> np.ndarray:
    y = np.asarray(y)
    return y if y.dtype.kind in "iu" else y.astype(np.int64)


def forward(X: np.ndarray, weights: Sequence[np.ndarray],
            activation: str = "relu") -> tuple[list[np.ndarray], np.ndarray]:
    """Feedforward pass of an MLP with a linear output layer (the logits of a softmax).

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
        ``activations[0] = X`` and ``activations[l]`` (n, d_l), each hidden layer's output z.
    Z : ndarray, shape (n, k)
        The output layer's linear combinations (logits); ``softmax(Z)`` are the probabilities.
    """
    forward_fn, _ = _activation(activation)
    activations = [X]
    for W in weights[:-1]:
        a = activations[-1] @ W[:-1]  # == add_bias(input) @ W, without copying the input
        a += W[-1]
        forward_fn(a)
        activations.append(a)
    Z = activations[-1] @ weights[-1][:-1]
    Z += weights[-1][-1]
    return activations, Z


def evaluate(X: np.ndarray, y: np.ndarray, weights: Sequence[np.ndarray],
             activation: str = "relu") -> tuple[float, float]:
    """Mean softmax cross-entropy (no penalty) and accuracy of the network on ``X``, ``y``.

    Returns
    -------
    (loss, accuracy) : (float, float)
    """
    _, Z = forward(X, weights, activation)
    labels = _labels(y)
    correct = float(np.mean(Z.argmax(axis=1) == labels))
    Z -= Z.max(axis=1, keepdims=True)  # log-sum-exp: the shift cancels in the difference below
    rows = np.arange(Z.shape[0])
    return float(np.mean(np.log(np.exp(Z).sum(axis=1)) - Z[rows, labels])), correct


def loss(X: np.ndarray, y: np.ndarray, weights: Sequence[np.ndarray], activation: str = "relu",
         lam: float = 0.0) -> float:
    """Mean softmax cross-entropy on integer labels ``y`` (n,), plus the L2 penalty.

    ``mean_i(logsumexp(Z_i) - Z_i[y_i]) + lam / 2 * sum_l ||W_l[:-1]||^2`` (bias rows excluded).
    """
    data, _ = evaluate(X, y, weights, activation)
    return data + lam / 2.0 * sum(float(np.sum(W[:-1] ** 2)) for W in weights)


def _gradients(X: np.ndarray, y: np.ndarray, weights: Sequence[np.ndarray], activation: str,
               scale: float, workspace: Workspace) -> list[np.ndarray]:
    """``scale * n`` times the gradient of the mean cross-entropy (no penalty), per matrix.

    With ``scale = 1 / n`` it is the gradient; with ``scale = learning_rate / n`` the step. The
    returned arrays belong to ``workspace``.

    Inside, a layer's values are stored one row per unit and one column per sample (the
    transpose of the notebooks' layout), with a last row of ones: then every elementwise pass
    (activation, softmax, derivative mask) runs over contiguous memory, one product
    ``W.T @ inputs`` adds the bias, and one product ``inputs @ delta.T`` gives a weight gradient
    with its bias row's sum.
    """
    forward_fn, backward_fn = _activation(activation)
    n = X.shape[0]
    batch = workspace.with_ones("input", n, X.shape[1])
    batch[:, :-1] = X
    inputs = [batch.T]  # (d + 1, n): add_bias(X).T
    for layer, W in enumerate(weights[:-1]):
        a = workspace.with_ones_row(f"hidden {layer}", W.shape[1], n)
        np.matmul(W.T, inputs[-1], out=a[:-1])  # z_lin.T = (add_bias(z) @ W).T
        forward_fn(a[:-1])
        inputs.append(a)
    # Output delta, scale * (softmax(Z) - Y), transposed (k, n), in place in the logits' array.
    delta = workspace.array("logits", (weights[-1].shape[1], n))
    np.matmul(weights[-1].T, inputs[-1], out=delta)
    delta -= delta.max(axis=0)
    np.exp(delta, out=delta)
    delta *= scale / delta.sum(axis=0)
    delta[_labels(y), workspace.rows(n)] -= scale
    grads: list[np.ndarray] = [delta] * len(weights)  # placeholders, all replaced below
    for layer in range(len(weights) - 1, -1, -1):
        W = weights[layer]
        # add_bias(z).T @ delta: the weights' gradient, with the bias row's sum
        grads[layer] = np.matmul(inputs[layer], delta.T,
                                 out=workspace.array(f"gradient {layer}", W.shape))
        if layer > 0:
            # (delta @ W[:-1].T).T: the bias row feeds no earlier unit, it is dropped
            below = np.matmul(W[:-1], delta,
                              out=workspace.array(f"delta {layer - 1}", (W.shape[0] - 1, n)))
            backward_fn(below, inputs[layer][:-1])
            delta = below
    return grads


def backprop(X: np.ndarray, y: np.ndarray, weights: Sequence[np.ndarray],
             activation: str = "relu", lam: float = 0.0) -> list[np.ndarray]:
    """Gradient of :func:`loss` (L2 included) with respect to every weight matrix.

    The output delta is ``(softmax(Z) - one_hot(y)) / n``; hidden deltas follow notebook 04,
    ``activation'(z_lin) * (delta_next @ W_next[:-1].T)``; each layer's gradient is
    ``add_bias(z).T @ delta`` plus ``lam * W`` outside the bias row.

    Returns
    -------
    list of ndarray
        Shaped like ``weights``; new arrays.
    """
    grads = _gradients(X, y, weights, activation, 1.0 / X.shape[0], Workspace())
    if lam:
        for G, W in zip(grads, weights, strict=True):
            G[:-1] += lam * W[:-1]
    return grads


def sgd_step(X: np.ndarray, y: np.ndarray, weights: list[np.ndarray], learning_rate: float,
             activation: str = "relu", lam: float = 0.0,
             workspace: Workspace | None = None) -> None:
    """One gradient-descent step on a (mini-)batch, updating ``weights`` IN PLACE.

    The same as ``W -= learning_rate * G`` for each ``W`` and the matching ``G`` of
    :func:`backprop`: the learning rate is folded into the output delta, and L2 becomes the decay
    ``W[:-1] *= 1 - learning_rate * lam`` (after every gradient is computed).

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
    steps = _gradients(X, y, weights, activation, learning_rate / X.shape[0],
                       workspace if workspace is not None else Workspace())
    decay = 1.0 - learning_rate * lam
    for W, step in zip(weights, steps, strict=True):
        if lam:
            W[:-1] *= decay
        W -= step


def predict_classes(X: np.ndarray, weights: Sequence[np.ndarray],
                    activation: str = "relu") -> np.ndarray:
    """The most probable class of each row of ``X`` (n, d): ``argmax`` of the logits, (n,) int."""
    return forward(X, weights, activation)[1].argmax(axis=1)


# --------------------------------------------------------------------------- training
def train_classifier(X_train: np.ndarray, y_train: np.ndarray, X_val: np.ndarray | None,
                     y_val: np.ndarray | None, hidden_sizes: Sequence[int], learning_rate: float,
                     batch_size: int, n_epochs: int, rng: np.random.Generator, lam: float = 0.0,
                     patience: int | None = None,
                     callback: Callable[[int, list[np.ndarray], dict], None] | None = None, *,
                     activation: str = "relu", init: str | float = "he",
                     n_classes: int | None = None, weights: Sequence[np.ndarray] | None = None,
                     ) -> tuple[list[np.ndarray], dict]:
    """Train a softmax MLP with mini-batch gradient descent, L2 and early stopping: notebook
    05's ``train_classifier``, fast, with more choices (activation, initialisation).

    The weights are drawn from ``rng`` first (:func:`init_network`), then each epoch is one pass
    of ``minibatches`` (one ``rng.permutation``) with an :func:`sgd_step` per batch; after it, the
    losses (without the penalty) and accuracies are recorded. With the defaults it gives the
    reference ``train_classifier``'s results, up to rounding.

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
        For the initial weights, then the shuffling.
    lam : float
        L2 strength (bias rows excluded).
    patience : int, optional
        Stop after ``patience`` epochs without a lower validation loss, and return the weights of
        the best epoch. None trains for ``n_epochs`` and returns the last weights.
    callback : callable, optional
        ``callback(epoch, weights, history)`` after each epoch (progress bars, live figures).
    activation : {"relu", "tanh", "sigmoid"}
    init : {"he", "xavier", "zeros"} or float
        See :func:`init_network`.
    n_classes : int, optional
        Default: 1 + the largest label of ``y_train`` and ``y_val``.
    weights : list of ndarray, optional
        Start from these (copied) instead of drawing initial weights.

    Returns
    -------
    weights : list of ndarray
        The best epoch's weights when ``patience`` is given, else the last ones.
    history : dict
        ``"train_loss"``, ``"val_loss"``, ``"train_accuracy"``, ``"val_accuracy"``: lists with one
        value per epoch run (the validation ones are empty without validation data);
        ``"best_epoch"``: the epoch whose weights are returned; ``"stopped_early"``: whether
        patience ran out.
    """
    _activation(activation)  # an unknown name fails before any work
    if not isinstance(batch_size, int | np.integer) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    y_train = _labels(y_train)
    has_val = X_val is not None and y_val is not None
    if has_val:
        y_val = _labels(y_val)
    if patience is not None and not has_val:
        raise ValueError("early stopping (patience) needs validation data (X_val, y_val)")
    if weights is None:
        k = n_classes or int(max(y_train.max(), y_val.max() if has_val else 0)) + 1
        weights = init_network([X_train.shape[1], *hidden_sizes, k], rng, init)
    weights = [np.array(W, dtype=np.float64) for W in weights]  # ours to update in place
    history: dict = {"train_loss": [], "val_loss": [], "train_accuracy": [], "val_accuracy": [],
                     "best_epoch": 0, "stopped_early": False}
    best_loss, best_weights = np.inf, None
    workspace = Workspace()  # one set of arrays for every step of the training
    for epoch in range(n_epochs):
        for X_batch, y_batch in minibatches(X_train, y_train, batch_size, rng):
            sgd_step(X_batch, y_batch, weights, learning_rate, activation, lam, workspace)
        train_loss, train_accuracy = evaluate(X_train, y_train, weights, activation)
        history["train_loss"].append(train_loss)
        history["train_accuracy"].append(train_accuracy)
        if has_val:
            val_loss, val_accuracy = evaluate(X_val, y_val, weights, activation)
            history["val_loss"].append(val_loss)
            history["val_accuracy"].append(val_accuracy)
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
    return (best_weights if best_weights is not None else weights), history
