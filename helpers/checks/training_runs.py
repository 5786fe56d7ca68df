"""How ``check_train_classifier`` judges a training run (notebook 05).

The attendee's ``train_classifier`` draws its initial weights with their own ``he_init``, which may
consume the generator differently from the reference (a correct ``he_init`` may draw only the
``n_in`` weight rows). So the check does not compare with the reference from the same seed: it asks
the function for its initial weights (``n_epochs=0``, which leaves the generator as the training
would find it), runs the workshop's training loop (:func:`run`) from those weights and that
generator state, and compares the whole result. When they differ, :data:`FLAWS` names the usual
slip: each is the same loop with one step swapped, run the same way, and the first that reproduces
the attendee's result gives its hint. :func:`training_result_problem` (the form of a result) also
guards the digits project (:mod:`helpers.interactive.training_in_practice`).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import numpy as np

from helpers.checks.compare import Tolerance, compare
from helpers.feedback import format_value, short_type
from helpers.reference import training_in_practice as ref
from helpers.reference.logistic_regression import minibatches
from helpers.reference.neural_networks import mlp_forward

__all__ = ["relu", "relu_derivative", "total_loss", "run", "flawed_classifier", "FLAWS",
           "training_result_problem", "layer_shapes", "verify_training", "verify_seeds",
           "verify_callback"]


def relu(z_lin):
    """ReLU (notebook 04), elementwise ``max(z_lin, 0)``."""
    return np.maximum(z_lin, 0.0)


def relu_derivative(z_lin):
    """ReLU's derivative: 1 where ``z_lin > 0``, else 0."""
    return (np.asarray(z_lin) > 0).astype(float)


def total_loss(X, y, weights, lam) -> float:
    """softmax_cross_entropy(Z, one_hot(y, k)) + l2_penalty(weights, lam), Z the logits of the
    ReLU network: the loss whose gradient softmax_mlp_backprop returns."""
    Z = mlp_forward(X, weights, relu)[1][-1]
    return ref.softmax_cross_entropy(Z, ref.one_hot(y, Z.shape[1])) + ref.l2_penalty(weights, lam)


# --------------------------------------------------------------------- the training loop
_HISTORY_KEYS = ("train_loss", "val_loss", "val_accuracy")
_CLOSE = Tolerance(rtol=1e-7, atol=1e-10)

_LAST_WEIGHTS_HINT = (
    "with `patience`, return the weights of the epoch with the LOWEST validation loss, not the "
    "last ones: keep them aside (`best_weights = weights`, with `weights` rebuilt by "
    "`[W - ... for ...]`, or a copy if you update in place) each time the validation loss "
    "improves.")
_LATE_HINT = (
    "training stopped one epoch late: stop as soon as `patience` epochs in a row brought no "
    "lower validation loss, i.e. when `epoch - best_epoch == patience` (so `>=`, not `>`).")
_EARLY_HINT = (
    "training stopped one epoch early: wait for `patience` epochs in a row without a lower "
    "validation loss, i.e. stop when `epoch - best_epoch >= patience` (not `patience - 1`).")
_SEED_HINT = ("two calls with generators seeded alike gave different results: draw every random "
              "number from `rng` (the initial weights with he_init(..., rng), the batches with "
              "minibatches(..., rng)), never from np.random directly.")
_PERCENT_HINT = ("`val_accuracy` holds fractions between 0 and 1 (0.95, not 95): the mean of "
                 "`predicted == y_val`.")


def _data_loss(X, y, weights) -> float:
    return total_loss(X, y, weights, 0.0)


def _accuracy(X, y, weights) -> float:
    return float(np.mean(mlp_forward(X, weights, relu)[1][-1].argmax(axis=1) == y))


def run(start, rng, X, y, X_val, y_val, learning_rate, batch_size, n_epochs, lam=0.0,
         patience=None, callback=None, flaw=None):
    """The training of ``train_classifier`` from the weights ``start`` and the generator ``rng``
    as it is after the initialisation; ``flaw`` swaps one step for a usual slip."""
    weights = [np.array(W, dtype=float) for W in start]
    history: dict = {key: [] for key in _HISTORY_KEYS}
    best_loss, best_epoch, best_weights = np.inf, 0, weights
    fixed = None  # the "one permutation" slip: the batches of the first epoch, replayed

    def record(weights, batch_losses=None):
        penalty = ref.l2_penalty(weights, lam) if flaw == "penalty in the losses" else 0.0
        train = (float(np.mean(batch_losses)) if flaw == "mean of the batch losses"
                 else _data_loss(X, y, weights))
        X_v, y_v = (X, y) if flaw == "validation on the training data" else (X_val, y_val)
        history["train_loss"].append(train + penalty)
        history["val_loss"].append(_data_loss(X_v, y_v, weights) + penalty)
        scale = 100.0 if flaw == "accuracy in percent" else 1.0
        history["val_accuracy"].append(scale * _accuracy(X_v, y_v, weights))

    for epoch in range(n_epochs):
        if flaw == "losses before the epoch":
            record(weights)
        if flaw == "full batch":
            batches: Any = [(X, y)]
        elif flaw == "no shuffle":
            batches = [(X[i:i + batch_size], y[i:i + batch_size])
                       for i in range(0, len(X), batch_size)]
        elif flaw == "one permutation":
            fixed = fixed if fixed is not None else list(minibatches(X, y, batch_size, rng))
            batches = fixed
        else:
            batches = minibatches(X, y, batch_size, rng)
        batch_losses = []
        for X_batch, y_batch in batches:
            batch_losses.append(_data_loss(X_batch, y_batch, weights))
            grads = ref.softmax_mlp_backprop(X_batch, y_batch, weights,
                                             0.0 if flaw == "penalty not passed on" else lam)
            sign = 1.0 if flaw == "gradient ascent" else -1.0
            weights = [W + sign * learning_rate * G for W, G in zip(weights, grads, strict=True)]
        if flaw != "losses before the epoch":
            record(weights, batch_losses)
        if callback is not None:
            callback(epoch, weights, history)
        val_loss = history["val_loss"][-1]
        stop_at = {"stops one epoch late": patience + 1 if patience else None,
                   "stops one epoch early": patience - 1 if patience else None}.get(
                       flaw, patience)
        if val_loss < best_loss:
            best_loss, best_epoch, best_weights = val_loss, epoch, weights
        elif patience is not None and epoch - best_epoch >= stop_at:
            break
    keep_best = patience is not None and flaw != "last weights returned"
    return (best_weights if keep_best else weights), history


def flawed_classifier(flaw: str) -> Callable[..., Any]:
    """A whole ``train_classifier`` (reference initialisation, then :func:`run`) with one of the
    :data:`FLAWS`: the catalogue's wrong implementations."""
    def train(X_train, y_train, X_val, y_val, hidden_sizes, learning_rate, batch_size, n_epochs,
              rng, lam=0.0, patience=None, callback=None):
        k = int(max(np.max(y_train), np.max(y_val))) + 1
        sizes = [X_train.shape[1], *hidden_sizes, k]
        start = [ref.he_init(a, b, rng) for a, b in zip(sizes[:-1], sizes[1:], strict=True)]
        return run(start, rng, X_train, y_train, X_val, y_val, learning_rate, batch_size,
                    n_epochs, lam, patience, callback, flaw)

    return train


FLAWS = {
    "gradient ascent": "step AGAINST the gradient: `W - learning_rate * G`, not `+`.",
    "penalty not passed on": "pass `lam` on to `softmax_mlp_backprop(X_batch, y_batch, weights, "
                             "lam)`: the penalty is part of the gradient.",
    "losses before the epoch": "record the losses AFTER each epoch's updates (the weights the "
                               "epoch produced), not before them.",
    "mean of the batch losses": "`train_loss` is the loss on the WHOLE training set with the "
                                "weights at the end of the epoch (`evaluate(X_train, y_train, "
                                "weights)`), not the mean of the batch losses seen during it.",
    "penalty in the losses": "record the losses WITHOUT the penalty (the mean cross-entropy, as "
                             "`evaluate` returns it): the penalty is for the gradient, and "
                             "losses stay comparable across lambdas.",
    "validation on the training data": "`val_loss` and `val_accuracy` are measured on the "
                                       "VALIDATION data, `X_val` and `y_val`.",
    "one permutation": "call `minibatches(X_train, y_train, batch_size, rng)` again in EVERY "
                       "epoch: each epoch draws a new permutation (a list built once replays "
                       "the same batches).",
    "full batch": "loop over `minibatches(X_train, y_train, batch_size, rng)`: one step per "
                  "mini-batch, not one per epoch on the whole training set.",
    "no shuffle": "use `minibatches(X_train, y_train, batch_size, rng)`, which shuffles; "
                  "consecutive slices of the data in their original order are not shuffled.",
    "accuracy in percent": _PERCENT_HINT,
    "last weights returned": _LAST_WEIGHTS_HINT,
    "stops one epoch late": _LATE_HINT,
    "stops one epoch early": _EARLY_HINT,
}


def _as_history(value: Any) -> dict | None:
    """The history as a dict of float arrays, or None when it is not shaped like one."""
    if not isinstance(value, dict) or any(key not in value for key in _HISTORY_KEYS):
        return None
    try:
        return {key: np.asarray(value[key], dtype=float).reshape(-1) for key in _HISTORY_KEYS}
    except (TypeError, ValueError):
        return None


def training_result_problem(got: Any, shapes: list[tuple[int, int]], n_epochs: int,
                      patience: int | None) -> str | None:
    """What is wrong with the form of a ``train_classifier`` result, or None.

    Also used by the digits project (:mod:`helpers.interactive.training_in_practice`) before it
    uses an attendee's result.

    Parameters
    ----------
    got : Any
        The result: it should be ``(weights, history)``.
    shapes : list of (int, int)
        The weight matrices' shapes.
    n_epochs : int
        The largest number of epochs (``history`` has one entry per epoch run).
    patience : int or None
        Without patience, exactly ``n_epochs`` entries.
    """
    if not isinstance(got, tuple | list) or len(got) != 2:
        return f"train_classifier should return a tuple (weights, history), got {short_type(got)}."
    weights, history = got
    if not isinstance(weights, list | tuple) or len(weights) != len(shapes):
        return (f"weights should be a list of {len(shapes)} matrices (shapes {shapes}), got "
                f"{short_type(weights)}.")
    for index, (W, shape) in enumerate(zip(weights, shapes, strict=True)):
        if not isinstance(W, np.ndarray) or W.shape != shape:
            return (f"weights[{index}] should be an array of shape {shape} (inputs + 1 bias row, "
                    f"outputs), got {short_type(W)}.")
        if not np.all(np.isfinite(W)):
            return (f"weights[{index}] contains NaN or inf: the training diverged (a gradient "
                    f"step going the wrong way, or a wrong gradient).")
    values = _as_history(history)
    if values is None:
        return (f"history should be a dict with the lists {', '.join(map(repr, _HISTORY_KEYS))} "
                f"(one number per epoch), got {format_value(history)}.")
    lengths = {key: len(v) for key, v in values.items()}
    if len(set(lengths.values())) != 1:
        return f"the lists of history should all have one entry per epoch, got lengths {lengths}."
    length = next(iter(lengths.values()))
    if length > n_epochs or (patience is None and length != n_epochs):
        return (f"history has {length} entries per list for n_epochs = {n_epochs}: one entry "
                f"per epoch run (`for epoch in range(n_epochs)`, record once after each epoch).")
    if length == 0 and n_epochs > 0:
        return "history is empty: record the losses and the accuracy after every epoch."
    if any(not np.all(np.isfinite(v)) for v in values.values()):
        return "history contains NaN or inf."
    if np.any(values["val_accuracy"] > 1.0):
        return f"val_accuracy has values above 1 ({format_value(values['val_accuracy'])}). " + \
            _PERCENT_HINT
    return None


def layer_shapes(X, y, X_val, y_val, hidden_sizes) -> list[tuple[int, int]]:
    """The weight matrices' shapes ``train_classifier`` must return for this data."""
    k = int(max(np.max(y), np.max(y_val))) + 1
    sizes = [X.shape[1], *hidden_sizes, k]
    return [(a + 1, b) for a, b in zip(sizes[:-1], sizes[1:], strict=True)]


def _initial_weights(fn, X, y, X_val, y_val, hidden_sizes, learning_rate, batch_size, rng,
                     shapes) -> tuple[list[np.ndarray] | None, str | None]:
    """Your weights before any epoch, from ``fn(..., n_epochs=0, rng)`` (which advances rng)."""
    twin = copy.deepcopy(rng)
    start = fn(X, y, X_val, y_val, hidden_sizes, learning_rate, batch_size, 0, rng)
    problem = training_result_problem(start, shapes, 0, None)
    if problem:
        return None, (f"with n_epochs = 0 your function should return the initial weights and "
                      f"empty history lists; {problem}")
    again = fn(X, y, X_val, y_val, hidden_sizes, learning_rate, batch_size, 0, twin)
    if not _same_run(again, start, Tolerance(rtol=0, atol=0)):
        return None, _SEED_HINT
    return [np.array(W, dtype=float) for W in start[0]], None


def _same_run(got, expected, tolerance: Tolerance = _CLOSE) -> bool:
    """Whether two ``(weights, history)`` results agree (weights and the three lists)."""
    try:
        got_weights, got_history = got
        expected_weights, expected_history = expected
    except (TypeError, ValueError):
        return False
    values, wanted = _as_history(got_history), _as_history(expected_history)
    return (values is not None and wanted is not None
            and isinstance(got_weights, list | tuple)
            and compare(list(got_weights), list(expected_weights), tolerance) is None
            and all(compare(values[key], wanted[key], tolerance) is None
                    for key in _HISTORY_KEYS))


def _first_difference(got, expected) -> str:
    values = _as_history(got[1])
    for key in _HISTORY_KEYS:
        mine, theirs = values[key], np.asarray(expected[1][key], dtype=float)
        if len(mine) != len(theirs):
            return (f"history[{key!r}] has {len(mine)} entries where the reference training from "
                    f"your initial weights has {len(theirs)}.")
        for epoch, (a, b) in enumerate(zip(mine, theirs, strict=True)):
            if compare(a, b, _CLOSE) is not None:
                return (f"history[{key!r}] after epoch {epoch + 1}: got {a:.6g}, expected "
                        f"{b:.6g} (the reference training, from your initial weights and the "
                        f"same generator).")
    return ("the returned weights differ from those of the reference training from your initial "
            "weights (the history matches).")


def _patience_problem(got, X_val, y_val, n_epochs, patience) -> str | None:
    """Early stopping judged on your own history: when it stopped, and which weights it kept."""
    values = _as_history(got[1])["val_loss"]
    best = int(np.argmin(values))
    length = len(values)
    if length < n_epochs or best + patience + 1 < n_epochs:
        if length == best + patience + 2:
            return f"the lowest validation loss was after epoch {best + 1}. " + _LATE_HINT
        if length == best + patience:
            return f"the lowest validation loss was after epoch {best + 1}. " + _EARLY_HINT
        if length != best + patience + 1:
            return (f"the lowest validation loss was after epoch {best + 1} and patience is "
                    f"{patience}, so training should stop after epoch {best + patience + 1}; it "
                    f"ran {length} epochs. Stop when `epoch - best_epoch >= patience`.")
    kept = _data_loss(X_val, y_val, list(got[0]))
    if compare(kept, values[best], _CLOSE) is not None:
        if compare(kept, values[-1], _CLOSE) is None:
            return f"the returned weights are the last epoch's ({length}). " + _LAST_WEIGHTS_HINT
        return (f"the returned weights have validation loss {kept:.6g}, but the best epoch's "
                f"was {values[best]:.6g}. " + _LAST_WEIGHTS_HINT)
    return None


def verify_training(got, fn, X, y, X_val, y_val, hidden_sizes, learning_rate, batch_size,
                    n_epochs, rng, lam=0.0, patience=None) -> str | None:
    """Compare with the reference training run from YOUR initial weights and generator state."""
    shapes = layer_shapes(X, y, X_val, y_val, hidden_sizes)
    problem = training_result_problem(got, shapes, n_epochs, patience)
    if problem:
        return problem
    if patience is not None:
        problem = _patience_problem(got, X_val, y_val, n_epochs, patience)
        if problem:
            return problem
    start, problem = _initial_weights(fn, X, y, X_val, y_val, hidden_sizes, learning_rate,
                                      batch_size, rng, shapes)
    if problem:
        return problem
    after_init = copy.deepcopy(rng)  # as your initialisation left it, before the first epoch
    settings = (X, y, X_val, y_val, learning_rate, batch_size, n_epochs, lam, patience)

    def replay(flaw=None):
        return run(start, copy.deepcopy(after_init), *settings, flaw=flaw)

    if _same_run(got, replay()):
        return None
    for flaw, hint in FLAWS.items():
        try:
            if _same_run(got, replay(flaw)):
                return f"{_first_difference(got, replay())}\n    hint: {hint}"
        except Exception:  # a flaw that cannot run on this case does not explain it
            continue
    return _first_difference(got, replay())


def verify_seeds(got, fn, X, y, X_val, y_val, hidden_sizes, learning_rate, batch_size, n_epochs,
                 rng, **kwargs) -> str | None:
    """A case's ``verify``: the same seed gives the same result, another seed another one."""
    shapes = layer_shapes(X, y, X_val, y_val, hidden_sizes)
    problem = training_result_problem(got, shapes, n_epochs, None)
    if problem:
        return problem
    settings = (X, y, X_val, y_val, hidden_sizes, learning_rate, batch_size, n_epochs)
    again = fn(*settings, rng, **kwargs)  # a generator in the same state as for your result
    other = fn(*settings, np.random.default_rng(12), **kwargs)
    exact = Tolerance(rtol=0, atol=0)
    if not _same_run(again, got, exact):
        return _SEED_HINT
    if _same_run(other, got, exact):
        return ("two different seeds gave exactly the same result: use the `rng` you are given "
                "(for the initial weights and the batches) instead of a generator of your own.")
    return None


def verify_callback(got, fn, X, y, X_val, y_val, hidden_sizes, learning_rate, batch_size,
                    n_epochs, rng, **kwargs) -> str | None:
    """A case's ``verify``: ``callback(epoch, weights, history)`` after each epoch's record,
    with the current weights."""
    calls: list[tuple[Any, int, list[np.ndarray]]] = []

    def callback(epoch, weights, history):
        values = _as_history(history)
        length = -1 if values is None else len(values["val_loss"])
        calls.append((epoch, length, [np.array(W, dtype=float) for W in weights]))

    fn(X, y, X_val, y_val, hidden_sizes, learning_rate, batch_size, n_epochs,
       np.random.default_rng(5), callback=callback)
    epochs = [epoch for epoch, _, _ in calls]
    if epochs != list(range(n_epochs)):
        return (f"callback should be called once after each epoch, with epochs 0 to "
                f"{n_epochs - 1}; it was called with epochs {epochs}.")
    if [length for _, length, _ in calls] != list(range(1, n_epochs + 1)):
        return ("call `callback(epoch, weights, history)` after recording the epoch's losses "
                "(so that history already holds that epoch).")
    result = fn(X, y, X_val, y_val, hidden_sizes, learning_rate, batch_size, n_epochs,
                np.random.default_rng(5))
    if compare(calls[-1][2], list(result[0]), _CLOSE) is not None:
        return ("the weights passed to the last callback are not the weights returned: pass the "
                "current weights, `callback(epoch, weights, history)`.")
    return None
