"""Checks for notebook 05, training in practice (declared on :mod:`helpers.checks.engine`).

Exercises: ``train_validation_split``, ``xavier_init``, ``he_init``, ``l2_penalty``,
``l2_penalty_gradient``, ``softmax``, ``one_hot``, ``softmax_cross_entropy``,
``softmax_cross_entropy_gradient``, ``softmax_mlp_backprop`` and ``train_classifier``; the
challenges ``decayed_learning_rate``, ``momentum_step`` and ``dropout_backprop``.

The initialisations are random, so their checks test statistics of a large layer (shape, bias
row exactly zero, bounds, mean, standard deviation, tails) rather than exact values.
``softmax_mlp_backprop`` is compared with numerical gradients of the loss it differentiates.
``train_classifier`` starts from weights drawn by the attendee's own initialisation, so its check
first asks it for those (``n_epochs=0``), then compares the whole training with the reference loop
run from the same weights and the same generator state, and names the usual slips by running
them the same way (:mod:`helpers.checks.training_runs`). Every other check compares with
:mod:`helpers.reference.training_in_practice` and names the usual mistakes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from helpers.checks.compare import Tolerance
from helpers.checks.engine import Case, Exercise, Mistake, Note, make_check
from helpers.checks.source import has_loop
from helpers.checks.training_runs import (
    FLAWS,
    flawed_classifier,
    layer_shapes,
    relu,
    relu_derivative,
    total_loss,
    training_result_problem,
    verify_callback,
    verify_seeds,
    verify_training,
)
from helpers.feedback import format_value, short_type
from helpers.gradcheck import numerical_gradient
from helpers.reference import training_in_practice as ref
from helpers.reference.backpropagation import hidden_delta, tanh_derivative, weight_gradient
from helpers.reference.linear_regression import add_bias
from helpers.reference.neural_networks import mlp_forward


def _on_any_warning(hint: str) -> dict[str, str]:
    """``warning_hints`` giving the same hint for overflow, log(0) and 0 / 0 warnings."""
    return dict.fromkeys(("overflow", "divide by zero", "invalid value"), hint)


def _gen(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


# --------------------------------------------------------------------- train_validation_split
def _canonical_split(value: Any) -> Any:
    """Sort the training part by its rows, so any order of the training samples is accepted.

    The contract fixes the validation part (the first indices of the permutation, in order) but
    not the order of the training part. Anything that is not a well-formed split is left as it
    is, so the engine can describe it.
    """
    try:
        X_train, y_train, X_val, y_val = value
        arrays = (X_train, y_train, X_val, y_val)
        if (all(isinstance(a, np.ndarray) for a in arrays) and X_train.ndim == 2
                and y_train.ndim == 1 and len(X_train) == len(y_train)):
            order = np.lexsort(X_train.T[::-1])
            return (X_train[order], y_train[order], X_val, y_val)
    except Exception:  # not a 4-tuple of arrays: let the comparison explain
        pass
    return value


def _n_val(X, fraction):
    return round(fraction * X.shape[0])


def _split_no_shuffle(X, y, validation_fraction, rng):
    n_val = _n_val(X, validation_fraction)
    return X[n_val:], y[n_val:], X[:n_val], y[:n_val]


def _split_no_shuffle_last(X, y, validation_fraction, rng):
    n_val = _n_val(X, validation_fraction)
    return X[:-n_val], y[:-n_val], X[-n_val:], y[-n_val:]


def _split_train_is_everything(X, y, validation_fraction, rng):
    order = rng.permutation(X.shape[0])
    val = order[:_n_val(X, validation_fraction)]
    return X[order], y[order], X[val], y[val]


def _split_overlap_by_one(X, y, validation_fraction, rng):
    order = rng.permutation(X.shape[0])
    n_val = _n_val(X, validation_fraction)
    return X[order[n_val - 1:]], y[order[n_val - 1:]], X[order[:n_val]], y[order[:n_val]]


def _split_validation_last(X, y, validation_fraction, rng):
    order = rng.permutation(X.shape[0])
    n_val = _n_val(X, validation_fraction)
    return X[order[:-n_val]], y[order[:-n_val]], X[order[-n_val:]], y[order[-n_val:]]


def _split_two_permutations(X, y, validation_fraction, rng):
    n_val = _n_val(X, validation_fraction)
    Xs, ys = X[rng.permutation(X.shape[0])], y[rng.permutation(X.shape[0])]
    return Xs[n_val:], ys[n_val:], Xs[:n_val], ys[:n_val]


def _split_truncated(X, y, validation_fraction, rng):
    order = rng.permutation(X.shape[0])
    n_val = int(validation_fraction * X.shape[0])
    return X[order[n_val:]], y[order[n_val:]], X[order[:n_val]], y[order[:n_val]]


def _split_ceil(X, y, validation_fraction, rng):
    order = rng.permutation(X.shape[0])
    n_val = int(np.ceil(validation_fraction * X.shape[0]))
    return X[order[n_val:]], y[order[n_val:]], X[order[:n_val]], y[order[:n_val]]


def _split_fraction_for_training(X, y, validation_fraction, rng):
    order = rng.permutation(X.shape[0])
    n_val = round((1 - validation_fraction) * X.shape[0])
    return X[order[n_val:]], y[order[n_val:]], X[order[:n_val]], y[order[:n_val]]


def _split_features_for_samples(X, y, validation_fraction, rng):
    n = X.shape[1]
    order = rng.permutation(n)
    n_val = round(validation_fraction * n)
    return X[order[n_val:]], y[order[n_val:]], X[order[:n_val]], y[order[:n_val]]


def _split_outputs_order(X, y, validation_fraction, rng):
    X_train, y_train, X_val, y_val = ref.train_validation_split(X, y, validation_fraction, rng)
    return X_train, X_val, y_train, y_val


def _split_cases(rng: np.random.Generator) -> list[Case]:
    def ids(n, d):  # unique first column, so every sample can be recognised
        return np.column_stack([np.arange(n, dtype=float), np.arange(n * (d - 1),
                                dtype=float).reshape(n, d - 1) * 0.5 - 3.0])

    X1 = ids(10, 2)
    y1 = np.array([0.0, 1.0, 1.0, 0.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0])
    X2 = np.column_stack([np.arange(50.0), rng.normal(size=(50, 2))])
    y2 = rng.integers(0, 3, 50)
    X3 = np.arange(12).reshape(12, 1) * 3  # integer pixels, one feature
    X4 = np.column_stack([np.arange(7.0), rng.normal(size=(7, 4))])
    return [
        Case("hand-made: 10 samples, 30% for validation", (X1, y1, 0.3, _gen(1))),
        Case("hand-made: 10 samples, 0.29 * 10 = 2.9 rounds to 3", (X1, y1, 0.29, _gen(2))),
        Case("hand-made: 10 samples, 0.21 * 10 = 2.1 rounds to 2", (X1, y1, 0.21, _gen(4))),
        Case("random: 50 samples, 3 features, 20% for validation", (X2, y2, 0.2, _gen(3))),
        Case("integer data: 12 samples of one feature, integer labels, 25%",
             (X3, np.arange(12) % 3, 0.25, _gen(5))),
        Case("a non-contiguous view X[:, ::2] (7 samples, 3 features), 40%",
             (X4[:, ::2], np.arange(7.0), 0.4, _gen(6))),
    ]


check_train_validation_split = make_check(Exercise(
    name="train_validation_split",
    reference=ref.train_validation_split,
    cases=_split_cases,
    outputs=("X_train", "y_train", "X_val", "y_val"),
    prepare=_canonical_split,
    mistakes=[
        Mistake("no shuffle", _split_no_shuffle,
                "the split is not shuffled: data files are often sorted (by class, by date), so "
                "shuffle first with `order = rng.permutation(n)`, then take `X[order[:n_val]]` "
                "for validation."),
        Mistake("no shuffle, validation last", _split_no_shuffle_last,
                "the split is not shuffled: data files are often sorted (by class, by date), so "
                "shuffle first with `order = rng.permutation(n)`, then take `X[order[:n_val]]` "
                "for validation."),
        Mistake("training set is everything", _split_train_is_everything,
                "the training and validation sets overlap: validation samples must NOT be in "
                "the training set (`order[n_val:]` for training, `order[:n_val]` for "
                "validation)."),
        Mistake("overlap by one", _split_overlap_by_one,
                "the training and validation sets overlap by one sample: training is "
                "`order[n_val:]`, not `order[n_val - 1:]`."),
        Mistake("validation last", _split_validation_last,
                "the FIRST `n_val` indices of the permutation go to validation, the rest to "
                "training (the check reproduces your permutation with the same generator)."),
        Mistake("two permutations", _split_two_permutations,
                "X and y were shuffled with different permutations, so samples lost their "
                "labels: draw ONE `order = rng.permutation(n)` and index both X and y with it."),
        Mistake("int truncates", _split_truncated,
                "the validation set has one sample too few: `int(0.29 * 10)` truncates 2.9 to "
                "2; use `round(validation_fraction * n)`."),
        Mistake("ceil rounds up", _split_ceil,
                "the validation set has one sample too many: `ceil(0.21 * 10)` rounds 2.1 up to "
                "3; use `round(validation_fraction * n)`."),
        Mistake("fraction for training", _split_fraction_for_training,
                "`validation_fraction` is the share of samples held out for VALIDATION, not "
                "for training."),
        Mistake("outputs in another order", _split_outputs_order,
                "return the four arrays in the order `X_train, y_train, X_val, y_val`."),
        Mistake("features for samples", _split_features_for_samples,
                "n is the number of SAMPLES, the rows: `X.shape[0]` (`X.shape[1]` counts the "
                "features)."),
    ],
    hints=("shuffle the sample indices once, with the generator you are given, then cut the "
           "shuffled indices in two: the first part validates, the rest trains.",
           "n = the number of rows; one `rng.permutation` of 0..n-1; n_val = round(fraction * "
           "n); the first n_val shuffled indices select the validation rows of X AND y, the "
           "other indices the training rows (index both arrays with the same index arrays)."),
    mutation_hint=("`rng.shuffle(X)` shuffles the caller's array in place: index with a "
                   "permutation instead (`X[order]` makes a new array)."),
))


# --------------------------------------------------------------------- initialisations
_TALK_HINT = ("These look like the talk's U[-0.5, 0.5]: that range ignores the layer's size, so "
              "large layers saturate. Use the scaled formula above.")


def _init_basics(got: Any, n_in: int, n_out: int) -> str | None:
    """Problems every initialisation shares: type, shape, finiteness, zeros, the bias row."""
    if got is None:
        return "your function returned None: did you forget `return W`?"
    if not isinstance(got, np.ndarray):
        return f"the result should be a numpy array, got {short_type(got)}."
    expected = (n_in + 1, n_out)
    if got.shape != expected:
        text = f"the result has shape {got.shape}, expected {expected} (n_in + 1, n_out)."
        if got.shape == (n_in, n_out):
            return text + (" The bias row is missing: stack a row of zeros below the weights "
                           "(shape (n_in + 1, n_out)).")
        if got.shape == expected[::-1]:
            return text + " It is transposed: rows are inputs (plus the bias), columns outputs."
        return text
    if got.dtype.kind != "f":
        return f"the result has dtype {got.dtype}; weights are float64."
    if not np.all(np.isfinite(got)):
        return "the result contains NaN or inf."
    if np.all(got == 0):
        return ("every weight is zero: then every hidden unit computes the same thing and gets "
                "the same update, forever (the symmetry problem). Draw random weights; only the "
                "bias row is zero.")
    if np.any(got[-1] != 0):
        if np.all(got[0] == 0):
            return ("the FIRST row is zero but the bias is the LAST row (`add_bias` appends the "
                    "ones last): set `W[-1] = 0`.")
        return (f"the last row (the bias) should be exactly zero, got {format_value(got[-1])}: "
                f"draw the weights, then set `W[-1] = 0`.")
    body = got[:-1]
    if body.shape[1] > 1 and np.allclose(body, body[:, :1]):
        return ("every column is the same: draw the whole (n_in, n_out) matrix at once, so each "
                "unit gets its own weights.")
    return None


def _verify_xavier(got: Any, fn: Any, n_in: int, n_out: int, rng: Any = None) -> str | None:
    problem = _init_basics(got, n_in, n_out)
    if problem:
        return problem
    W = got[:-1]
    N = W.size
    a = np.sqrt(6.0 / (n_in + n_out))
    lo, hi, mean, std = W.min(), W.max(), W.mean(), W.std()
    stats = (f"(n_in={n_in}, n_out={n_out}: weights in [{lo:.4f}, {hi:.4f}], mean {mean:.4f}, "
             f"std {std:.4f}; expected U[-{a:.4f}, {a:.4f}], std a/sqrt(3) = {a / np.sqrt(3):.4f})")
    spread = max(-lo, hi)
    if abs(spread - 0.5) < 0.01 and abs(a - 0.5) > 0.05:
        return f"{stats}. " + _TALK_HINT
    if spread > a * (1 + 1e-9):
        if np.mean(np.abs(W - mean) > 2 * std) > 0.02:
            return (f"{stats}: values go beyond a and the tails look normal. Xavier here is "
                    f"UNIFORM: `rng.uniform(-a, a, size=...)`, not `rng.normal`.")
        return (f"{stats}: the range is too wide. a = sqrt(6 / (n_in + n_out)): check the 6, the "
                f"square root and the sum n_in + n_out.")
    tol = 20.0 / N
    if hi < a * (1 - tol) or lo > -a * (1 - tol):
        return (f"{stats}: the range is too narrow (or shifted). a = sqrt(6 / (n_in + n_out)): "
                f"check the 6, the square root and the sum n_in + n_out.")
    if abs(mean) > 5 * a / np.sqrt(3 * N):
        return f"{stats}: the weights are not centred on 0."
    if abs(std / (a / np.sqrt(3)) - 1) > 5 / np.sqrt(N):
        return f"{stats}: the spread is not that of a uniform distribution on [-a, a]."
    return None


def _verify_he(got: Any, fn: Any, n_in: int, n_out: int, rng: Any = None) -> str | None:
    problem = _init_basics(got, n_in, n_out)
    if problem:
        return problem
    W = got[:-1]
    N = W.size
    s = np.sqrt(2.0 / n_in)
    lo, hi, mean, std = W.min(), W.max(), W.mean(), W.std()
    stats = (f"(n_in={n_in}, n_out={n_out}: weights in [{lo:.4f}, {hi:.4f}], mean {mean:.4f}, "
             f"std {std:.4f}; expected a normal with mean 0 and std sqrt(2 / n_in) = {s:.4f})")
    spread = max(-lo, hi)
    if abs(spread - 0.5) < 0.01 and np.mean(np.abs(W) > 2 * std) < 0.01:
        return f"{stats}. " + _TALK_HINT
    close = 5 / np.sqrt(N)  # relative accuracy of a standard deviation estimated from N draws
    if abs(std / (2.0 / n_in) - 1) < close:
        return (f"{stats}: you used the variance 2 / n_in as the standard deviation; the "
                f"standard deviation is its square root, `np.sqrt(2 / n_in)`.")
    for wrong, why in ((np.sqrt(2.0 / n_out), "use n_in (the number of inputs of each unit, the "
                        "fan-in), not n_out"),
                       (np.sqrt(1.0 / n_in), "He uses 2 / n_in, not 1 / n_in: ReLU zeroes about "
                        "half of its inputs, the 2 makes up for it"),
                       (np.sqrt(2.0 / (n_in + n_out)), "that is Xavier's variance "
                        "2 / (n_in + n_out); He's is 2 / n_in")):
        if abs(std / wrong - 1) < close and abs(wrong / s - 1) > 3 * close:
            return f"{stats}: {why}."
    if abs(std / s - 1) > close:
        return f"{stats}: the standard deviation should be sqrt(2 / n_in)."
    if abs(mean) > 5 * s / np.sqrt(N):
        return f"{stats}: the weights are not centred on 0."
    tails = np.mean(np.abs(W - mean) > 2 * std)
    if tails < 0.02:
        return (f"{stats}: the values have no tails (only {tails:.1%} beyond 2 standard "
                f"deviations, a normal has 4.6%): draw from a NORMAL distribution, "
                f"`rng.normal(0, std, size=...)`, not a uniform one.")
    return None


def _uses_the_rng(got: Any, fn: Any, n_in: int, n_out: int, rng: Any) -> str | None:
    """The same seed must give the same weights, another seed other weights."""
    again = fn(n_in, n_out, np.random.default_rng(7))
    other = fn(n_in, n_out, np.random.default_rng(8))
    if not isinstance(got, np.ndarray) or not isinstance(again, np.ndarray):
        return f"expected a numpy array, got {short_type(got)}"
    if got.shape != again.shape or not np.array_equal(got, again):
        return ("the same seed gave different weights: draw every random number from the `rng` "
                "argument (`rng.uniform(...)`, `rng.normal(...)`), not from `np.random`.")
    if isinstance(other, np.ndarray) and other.shape == got.shape and np.array_equal(got, other):
        return ("two different seeds gave the same weights: use the `rng` you are given instead of "
                "creating your own generator with a fixed seed.")
    return None


def _init_cases(verify):
    def cases(rng: np.random.Generator) -> list[Case]:
        return [
            Case("a large layer, 400 inputs and 300 outputs (statistics)", (400, 300, _gen(5)),
                 verify=verify),
            Case("a layer with 64 inputs and 128 outputs (statistics)", (64, 128, _gen(6)),
                 verify=verify),
            Case("one input, 3000 outputs (statistics)", (1, 3000, _gen(9)), verify=verify),
            Case("the same seed twice, then another seed", (20, 10, _gen(7)),
                 verify=_uses_the_rng),
        ]
    return cases


check_xavier_init = make_check(Exercise(
    name="xavier_init",
    reference=ref.xavier_init,
    cases=_init_cases(_verify_xavier),
    hints=("every weight is drawn uniformly from a symmetric range [-a, a] whose width depends on "
           "the layer's size; the bias row (the last) is exactly zero.",
           "a = sqrt(6 / (n_in + n_out)); draw an (n_in + 1, n_out) array with the generator's "
           "`uniform` method between -a and a, then set the last row to 0."),
))

check_he_init = make_check(Exercise(
    name="he_init",
    reference=ref.he_init,
    cases=_init_cases(_verify_he),
    hints=("every weight is drawn from a normal distribution centred on 0 whose spread depends on "
           "the number of inputs; the bias row (the last) is exactly zero.",
           "standard deviation sqrt(2 / n_in) (the variance is 2 / n_in); draw an (n_in + 1, "
           "n_out) array with the generator's `normal` method (its second argument is the "
           "standard deviation), then set the last row to 0."),
))


# --------------------------------------------------------------------- L2 penalty
def _weights_cases(rng: np.random.Generator) -> list[Case]:
    W1 = np.array([[1.0, -2.0], [3.0, 0.5], [10.0, 20.0]])  # large bias row: easy to spot
    W2 = np.array([[0.5], [-1.0], [4.0]])
    shapes = [(5, 4), (5, 3), (4, 2)]
    random = [rng.normal(size=s) for s in shapes]
    integers = [np.array([[1, -2, 0], [3, 1, 2], [5, 7, -4]]), np.array([[2], [-1], [1], [6]])]
    wide = rng.normal(size=(4, 6))
    return [
        Case("hand-made: a 2-2-1 network, lam = 0.1", ([W1, W2], 0.1)),
        Case("random: a 4-4-3-2 network, lam = 0.01", (random, 0.01)),
        Case("integer weights of a 2-3-1 network, lam = 0.5", (integers, 0.5)),
        Case("one layer (softmax regression, 3-2), non-contiguous W[:, ::3], lam = 1 (a Python "
             "int)", ([wide[:, ::3]], 1)),
    ]


def _l2_with_bias(weights, lam):
    return lam / 2 * sum(float(np.sum(W ** 2)) for W in weights)


def _l2_no_half(weights, lam):
    return lam * sum(float(np.sum(W[:-1] ** 2)) for W in weights)


def _l2_with_bias_no_half(weights, lam):
    return lam * sum(float(np.sum(W ** 2)) for W in weights)


def _l2_first_row(weights, lam):
    return lam / 2 * sum(float(np.sum(W[1:] ** 2)) for W in weights)


def _l2_abs(weights, lam):
    return lam / 2 * sum(float(np.sum(np.abs(W[:-1]))) for W in weights)


def _l2_norm(weights, lam):
    return lam / 2 * sum(float(np.linalg.norm(W[:-1])) for W in weights)


def _l2_no_lam(weights, lam):
    return 0.5 * sum(float(np.sum(W[:-1] ** 2)) for W in weights)


def _l2_last_only(weights, lam):
    return lam / 2 * float(np.sum(weights[-1][:-1] ** 2))


def _l2_first_only(weights, lam):
    return lam / 2 * float(np.sum(weights[0][:-1] ** 2))


def _l2_square_of_sum(weights, lam):
    return lam / 2 * sum(float(np.sum(W[:-1]) ** 2) for W in weights)


def _l2_mean(weights, lam):
    return lam / 2 * sum(float(np.mean(W[:-1] ** 2)) for W in weights)


_BIAS_HINT = ("leave the bias out: penalise `W[:-1]` (every row but the last). A bias only "
              "shifts a unit, it does not make the model wiggle, and it may need to be large.")
_HALF_HINT = ("the penalty is `lam / 2 * sum of squares`: the 1/2 is there so that its gradient "
              "is simply `lam * W`.")

check_l2_penalty = make_check(Exercise(
    name="l2_penalty",
    reference=ref.l2_penalty,
    cases=_weights_cases,
    mistakes=[
        Mistake("bias included", _l2_with_bias, _BIAS_HINT),
        Mistake("missing 1/2", _l2_no_half, _HALF_HINT),
        Mistake("bias included and missing 1/2", _l2_with_bias_no_half,
                "two things: leave the bias row out (`W[:-1]`), and multiply by `lam / 2`, not "
                "`lam`."),
        Mistake("first row dropped", _l2_first_row,
                "the bias is the LAST row of each matrix (`add_bias` appends the ones last): "
                "use `W[:-1]`, not `W[1:]`."),
        Mistake("absolute values", _l2_abs,
                "L2 sums the SQUARES of the weights (`W ** 2`); absolute values would be L1."),
        Mistake("norm not squared", _l2_norm,
                "`np.linalg.norm` is the square root of the sum of squares: square it, or use "
                "`np.sum(W[:-1] ** 2)`."),
        Mistake("lam forgotten", _l2_no_lam, "multiply by `lam / 2`: `lam` sets the strength."),
        Mistake("last layer only", _l2_last_only,
                "add up the penalty of EVERY matrix in `weights` (loop over the list)."),
        Mistake("first layer only", _l2_first_only,
                "add up the penalty of EVERY matrix in `weights` (loop over the list); is your "
                "`return` inside the loop?"),
        Mistake("mean instead of sum", _l2_mean,
                "use the SUM of squares (`np.sum`), not the mean."),
        Mistake("square of the sum", _l2_square_of_sum,
                "square each weight, then add the squares: `np.sum(W[:-1] ** 2)`, not "
                "`np.sum(W[:-1]) ** 2` (positive and negative weights must not cancel)."),
    ],
    hints=("every weight of every matrix pays its square, except the bias rows; lambda / 2 "
           "scales the total.",
           "for each matrix, the sum of the squares of all its rows but the last; add these up "
           "over the list, multiply by lam / 2 and return a float."),
))


def _l2g_bias(weights, lam):
    return [lam * W for W in weights]


def _l2g_double(weights, lam):
    grads = [2 * lam * W for W in weights]
    for G in grads:
        G[-1] = 0.0
    return grads


def _l2g_half(weights, lam):
    grads = [lam / 2 * W for W in weights]
    for G in grads:
        G[-1] = 0.0
    return grads


def _l2g_first_row(weights, lam):
    grads = [lam * W for W in weights]
    for G in grads:
        G[0] = 0.0
    return grads


def _l2g_dropped_row(weights, lam):
    return [lam * W[:-1] for W in weights]


def _l2g_zeros_like(weights, lam):
    grads = []
    for W in weights:
        G = np.zeros_like(W)
        G[:-1] = lam * W[:-1]
        grads.append(G)
    return grads


check_l2_penalty_gradient = make_check(Exercise(
    name="l2_penalty_gradient",
    reference=ref.l2_penalty_gradient,
    cases=_weights_cases,
    mistakes=[
        Mistake("bias penalised", _l2g_bias,
                "the bias row is not penalised, so its gradient is zero: set the last row of "
                "each gradient to 0 (`G[-1] = 0`)."),
        Mistake("factor 2", _l2g_double,
                "the derivative of `lam / 2 * w ** 2` is `lam * w`: the 2 of the square cancels "
                "the 1/2."),
        Mistake("factor 1/2", _l2g_half,
                "the derivative of `lam / 2 * w ** 2` is `lam * w`, not `lam / 2 * w`."),
        Mistake("first row zeroed", _l2g_first_row,
                "the bias is the LAST row (`G[-1] = 0`), not the first."),
        Mistake("bias row removed", _l2g_dropped_row,
                "keep each gradient shaped like its W, (d_in + 1, d_out): set the bias row to 0 "
                "instead of removing it."),
        Mistake("zeros_like of integer weights", _l2g_zeros_like,
                "`np.zeros_like(W)` (like `empty_like`) copies W's dtype: for integer weights "
                "it is an integer array, and `lam * W[:-1]` is truncated when stored in it. "
                "Start from a float array: `np.zeros(W.shape)`, or `lam * W`."),
    ],
    hints=("differentiate lam / 2 * w ** 2 for one weight; the bias rows are not in the "
           "penalty, so their gradient is 0. One gradient per matrix, each shaped like it.",
           "for each W: a NEW float array equal to lam times W, with its last row set to 0; "
           "return the list of them (never change the caller's W)."),
    mutation_hint=("you changed the caller's weights: `G = W` does not copy, so `G[-1] = 0` "
                   "or `G *= lam` modifies W itself. Start from a new array: `G = lam * W`."),
))


# --------------------------------------------------------------------- softmax and friends
def _logits_cases(rng: np.random.Generator) -> list[Case]:
    Z1 = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0], [-1.0, 4.0, 0.5]])
    Z2 = np.array([[1000.0, 1001.0, 999.0, 1002.0], [-1000.0, -999.0, -1001.0, -998.0]])
    Z3 = np.array([[0.0, 1.0, 2.0], [-1000.0, -999.0, -998.0]])
    Z4 = 3 * rng.normal(size=(5, 4))
    Z5 = np.array([[2, 0, 1, 5], [1, 1, 1, 1], [-3, 4, 0, 2]])
    Z6 = 2 * rng.normal(size=(4, 7))
    return [
        Case("hand-made: 3 rows, 3 classes", (Z1,)),
        Case("large logits, +-1000 (exp would overflow)", (Z2,)),
        Case("rows on very different scales", (Z3,)),
        Case("random: 5 rows, 4 classes", (Z4,)),
        Case("integer logits, 3 rows, 4 classes", (Z5,)),
        Case("one sample: a single row of 5 logits", (np.array([[0.5, -1.0, 3.0, 2.0, 0.0]]),)),
        Case("a non-contiguous view Z[:, ::2] (4 rows, 4 classes)", (Z6[:, ::2],)),
    ]


def _stable_exp(Z):
    return np.exp(Z - Z.max(axis=1, keepdims=True))


def _softmax_columns(Z):
    e = np.exp(Z - Z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def _softmax_columns_sum(Z):
    e = _stable_exp(Z)
    return e / e.sum(axis=0, keepdims=True)


def _softmax_total(Z):
    e = _stable_exp(Z)
    return e / e.sum()


def _softmax_no_keepdims(Z):
    e = _stable_exp(Z)
    return e / e.sum(axis=1)


def _softmax_column_max(Z):
    e = np.exp(Z - Z.max(axis=0, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _softmax_zeros_like(Z):
    out = np.zeros_like(Z)
    for i in range(Z.shape[0]):
        e = np.exp(Z[i] - Z[i].max())
        out[i] = e / e.sum()
    return out


def _softmax_math_exp(Z):
    return math.exp(Z) / sum(math.exp(z) for z in Z)


_ROW_HINT = ("normalise each ROW (one row per sample): `e / e.sum(axis=1, keepdims=True)`, so "
             "that every row sums to 1.")

check_softmax = make_check(Exercise(
    name="softmax",
    reference=ref.softmax,
    cases=_logits_cases,
    mistakes=[
        Mistake("normalised over columns", _softmax_columns, _ROW_HINT),
        Mistake("columns summed", _softmax_columns_sum, _ROW_HINT),
        Mistake("normalised over the whole matrix", _softmax_total,
                "`e.sum()` adds up the whole matrix: sum each row, `e.sum(axis=1, "
                "keepdims=True)`, so that every row sums to 1."),
        Mistake("keepdims missing", _softmax_no_keepdims,
                "`e.sum(axis=1)` has shape (n,), which lines up with the COLUMNS of e: write "
                "`e.sum(axis=1, keepdims=True)` (shape (n, 1))."),
        Mistake("column max", _softmax_column_max,
                "subtract each ROW's own maximum, `Z.max(axis=1, keepdims=True)`: only a "
                "constant per row leaves the softmax unchanged."),
        Mistake("zeros_like of integer logits", _softmax_zeros_like,
                "`np.zeros_like(Z)` (like `empty_like`) copies Z's dtype: for integer logits the "
                "probabilities are truncated to 0 when stored in it. Start from a float array "
                "(`np.zeros(Z.shape)`) or, simpler, compute the whole matrix at once."),
        Mistake("math.exp on an array", _softmax_math_exp,
                "`math.exp` works on one number only: use `np.exp`, which works on a whole "
                "array at once."),
    ],
    notes=[Note("loop", has_loop,
                "a loop over the rows works; numpy can do all rows at once with `axis=1` and "
                "`keepdims=True`, which is much faster on a large batch.")],
    hints=("every row is one sample: exponentiate its logits and divide by their sum; to keep "
           "exp from overflowing, first subtract from each row a number that does not change "
           "the result.",
           "subtract each row's maximum, take np.exp, then divide by each row's sum; "
           "reductions with axis=1 and keepdims=True keep the shape (n, 1) so that they "
           "broadcast across the row."),
    warning_hints=_on_any_warning(
        "exp overflowed (or a row became 0 / 0): softmax does not change when a "
        "constant is subtracted from a row, so compute `np.exp(Z - Z.max(axis=1, "
        "keepdims=True))`: exp then only sees numbers <= 0."),
))


def _one_hot_cases(rng: np.random.Generator) -> list[Case]:
    return [
        Case("hand-made: 4 labels, 3 classes", (np.array([0, 2, 1, 2]), 3)),
        Case("labels 0 and 1 only, 4 classes", (np.array([1, 1, 0]), 4)),
        Case("random: 20 labels, 10 classes", (rng.integers(0, 10, 20), 10)),
        Case("one label", (np.array([2]), 5)),
        Case("int32 labels, a non-contiguous view y[::2]",
             (np.array([3, 0, 1, 1, 0, 2, 3], dtype=np.int32)[::2], 4)),
    ]


def _one_hot_minus_one(y, n_classes):
    return np.eye(n_classes)[np.asarray(y) - 1]


def _one_hot_plus_one(y, n_classes):
    Y = np.zeros((len(y), n_classes + 1))
    Y[np.arange(len(y)), y] = 1.0
    return Y


def _one_hot_plus_one_shifted(y, n_classes):
    return np.eye(n_classes + 1)[np.asarray(y) + 1]


def _one_hot_from_max(y, n_classes):
    return np.eye(int(np.max(y)) + 1)[y]


def _one_hot_columns(y, n_classes):
    Y = np.zeros((len(y), n_classes))
    Y[:, y] = 1.0
    return Y


check_one_hot = make_check(Exercise(
    name="one_hot",
    reference=ref.one_hot,
    cases=_one_hot_cases,
    mistakes=[
        Mistake("off by one (y - 1)", _one_hot_minus_one,
                "off by one: label 0 goes in column 0 and label k - 1 in the last column "
                "(labels already start at 0, do not subtract 1)."),
        Mistake("one column too many", _one_hot_plus_one,
                "off by one: labels 0..n_classes-1 need exactly `n_classes` columns."),
        Mistake("off by one (y + 1)", _one_hot_plus_one_shifted,
                "off by one: label 0 goes in column 0 (do not add 1), with exactly `n_classes` "
                "columns."),
        Mistake("classes from the labels", _one_hot_from_max,
                "use `n_classes` for the number of columns, not `y.max() + 1`: a batch may "
                "not contain the last class."),
        Mistake("whole columns set", _one_hot_columns,
                "`Y[:, y] = 1` sets whole COLUMNS to 1: pair each row with its own label, "
                "`Y[np.arange(n), y] = 1` (row i, column y[i])."),
    ],
    notes=[Note("loop", has_loop,
                "a loop over the labels works; one fancy-indexing assignment (row indices paired "
                "with the labels), or indexing the rows of an identity matrix, does it at once.")],
    hints=("start from an (n, n_classes) array of zeros, then put one 1 in each row: in row i, "
           "the column given by the label y[i].",
           "numpy sets many single entries at once when you index with two arrays of the same "
           "length: one of row numbers 0..n-1, one of column numbers (the labels). Another way: "
           "the rows of an n_classes x n_classes identity matrix, picked by the labels."),
))


_LSE_HINT = ("on large logits a probability underflows to 0; clipping it (or adding an epsilon) "
             "keeps the log finite but the loss wrong: use log-sum-exp, `log softmax(Z) = "
             "(Z - m) - log(sum(exp(Z - m)))` with m each row's max.")


def _cross_entropy_cases(rng: np.random.Generator) -> list[Case]:
    Z1 = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3], [0.0, 0.0, 0.0]])
    Y1 = ref.one_hot(np.array([0, 1, 2]), 3)
    Z2 = np.array([[1000.0, 0.0, -1000.0], [-500.0, 500.0, 0.0]])
    Y2 = ref.one_hot(np.array([1, 2]), 3)
    labels = rng.integers(0, 4, 6)
    Z4 = np.array([[3, 1, 0, 2], [0, 5, 1, 1], [2, 2, 2, 2]])  # integers, as are the targets
    Y4 = np.array([[1, 0, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]])
    return [
        Case("hand-made: 3 samples, 3 classes", (Z1, Y1)),
        Case("large logits, the true class far below the max", (Z2, Y2), hint=_LSE_HINT),
        Case("random: 6 samples, 4 classes", (2 * rng.normal(size=(6, 4)),
                                              ref.one_hot(labels, 4))),
        Case("integer logits and integer one-hot targets, 3 samples, 4 classes", (Z4, Y4)),
        Case("one sample, 5 classes", (np.array([[1.5, -0.5, 0.0, 2.5, 1.0]]),
                                       ref.one_hot(np.array([1]), 5))),
    ]


def _log_softmax(Z):
    shifted = Z - Z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def _ce_sum(Z, Y):
    return float(-np.sum(Y * _log_softmax(Z)))


def _ce_mean_all(Z, Y):
    return float(-np.mean(Y * _log_softmax(Z)))


def _ce_clipped(Z, Y):
    return float(-np.mean(np.sum(Y * np.log(np.clip(ref.softmax(Z), 1e-12, 1.0)), axis=1)))


def _ce_clipped_eps(Z, Y):
    return float(-np.mean(np.sum(Y * np.log(ref.softmax(Z) + 1e-12), axis=1)))


def _ce_positive(Z, Y):
    return float(np.mean(np.sum(Y * _log_softmax(Z), axis=1)))


check_softmax_cross_entropy = make_check(Exercise(
    name="softmax_cross_entropy",
    uses=("softmax", "one_hot"),
    reference=ref.softmax_cross_entropy,
    cases=_cross_entropy_cases,
    mistakes=[
        Mistake("sum over the batch", _ce_sum,
                "you summed over the batch: the loss is the MEAN over the rows (divide by n), "
                "so it does not grow with the batch size."),
        Mistake("mean over every entry", _ce_mean_all,
                "`np.mean` over the whole (n, k) matrix divides by n * k: SUM over the classes "
                "(axis=1), then take the mean over the rows."),
        Mistake("clipped probabilities", _ce_clipped,
                "clipping (or adding a small epsilon to) the probabilities avoids log(0) but "
                "gives a wrong loss for large logits: use log-sum-exp, "
                "`log softmax(Z) = (Z - m) - log(sum(exp(Z - m)))` with m each row's max."),
        Mistake("epsilon in the log", _ce_clipped_eps,
                "clipping (or adding a small epsilon to) the probabilities avoids log(0) but "
                "gives a wrong loss for large logits: use log-sum-exp, "
                "`log softmax(Z) = (Z - m) - log(sum(exp(Z - m)))` with m each row's max."),
        Mistake("minus sign missing", _ce_positive,
                "the loss is MINUS the mean log-probability of the true class: it must be >= 0."),
    ],
    hints=("work with log-probabilities directly: log softmax(Z) has a closed form that never "
           "takes the log of a number that underflowed to 0; then average, over the rows, minus "
           "the log-probability of each row's true class.",
           "with m_i the maximum of row i: log softmax(Z)_ij = (Z_ij - m_i) - log(sum_c "
           "exp(Z_ic - m_i)) (reductions with axis=1, keepdims=True); the loss is minus the sum "
           "of Y times these, divided by n (the number of rows); return a float."),
    warning_hints=_on_any_warning(
        "on large logits `np.log(softmax(Z))` takes log(0) = -inf and 0 * inf = nan "
        "(or exp overflows): compute log softmax directly with log-sum-exp, "
        "`(Z - m) - np.log(np.sum(np.exp(Z - m), axis=1, keepdims=True))` with m each "
        "row's max."),
))


def _ceg_no_mean(Z, Y):
    return ref.softmax(Z) - Y


def _ceg_flipped(Z, Y):
    return (Y - ref.softmax(Z)) / Z.shape[0]


def _ceg_flipped_no_mean(Z, Y):
    return Y - ref.softmax(Z)


def _ceg_no_softmax(Z, Y):
    return (Z - Y) / Z.shape[0]


def _ceg_columns(Z, Y):
    return (_softmax_columns(Z) - Y) / Z.shape[0]


def _gradient_cases(rng: np.random.Generator) -> list[Case]:
    return [replace(case, hint=None) for case in _cross_entropy_cases(rng)]


check_softmax_cross_entropy_gradient = make_check(Exercise(
    name="softmax_cross_entropy_gradient",
    uses=("softmax", "one_hot"),
    reference=ref.softmax_cross_entropy_gradient,
    cases=_gradient_cases,
    mistakes=[
        Mistake("no 1/n", _ceg_no_mean,
                "divide by n: the loss is a mean over the rows, so its gradient has a 1/n."),
        Mistake("sign flipped", _ceg_flipped,
                "the sign is flipped: dL/dZ = (softmax(Z) - Y) / n. (`Y - p` is the direction "
                "of the update, i.e. minus the gradient.)"),
        Mistake("sign flipped and no 1/n", _ceg_flipped_no_mean,
                "two things: the gradient is (softmax(Z) - Y), not (Y - softmax(Z)), and it is "
                "divided by n (the loss is a mean)."),
        Mistake("softmax forgotten", _ceg_no_softmax,
                "use the probabilities: (softmax(Z) - Y) / n, not (Z - Y) / n."),
        Mistake("softmax over columns", _ceg_columns,
                "softmax normalises each ROW (axis=1, keepdims=True)."),
    ],
    hints=("the derivative of minus log softmax(z)_y with respect to z_j is "
           "softmax(z)_j - [j = y]: predicted probability minus target, one row per sample; "
           "the loss is a mean over the rows.",
           "the probabilities (your stable softmax of Z) minus the one-hot targets Y, divided by "
           "n = the number of rows; shape (n, k), like Z."),
    warning_hints=_on_any_warning(
        "exp overflowed: use a stable softmax (subtract each row's max before exp) "
        "inside the gradient."),
))


# --------------------------------------------------------------------- softmax_mlp_backprop
def _numerical_backprop(X, y, weights, lam) -> list[np.ndarray]:
    """Central differences of :func:`total_loss`, one weight matrix at a time."""
    copies = [np.array(W, dtype=float) for W in weights]
    return numerical_gradient(lambda trial: total_loss(X, y, trial, lam), copies)


def _network(rng: np.random.Generator, sizes: Sequence[int]) -> list[np.ndarray]:
    """Random weights with non-zero bias rows (so that a penalised bias shows)."""
    return [rng.normal(0.0, 0.8, size=(a + 1, b)) for a, b in zip(sizes[:-1], sizes[1:],
                                                                   strict=True)]


def _backprop_case(label: str, X, y, weights, lam) -> Case:
    return Case(label, (X, y, weights), {"lam": lam} if lam is not None else {},
                expected=_numerical_backprop(X, y, weights, 0.0 if lam is None else lam))


def _softmax_backprop_cases(rng: np.random.Generator) -> list[Case]:
    def data(n, d, k):
        return rng.normal(size=(n, d)), rng.integers(0, k, n)

    X1, y1 = data(5, 3, 4)
    X2, y2 = data(6, 3, 4)
    X3, y3 = data(7, 4, 3)
    X4 = rng.integers(0, 4, size=(6, 2))  # integer pixels
    y4 = rng.integers(0, 3, 6)
    X5, _ = data(1, 3, 3)
    X6 = rng.normal(size=(5, 3))
    X7 = rng.normal(size=(6, 8))
    return [
        _backprop_case("random: 3-4 network (no hidden layer: softmax regression), 5 samples, "
                       "lam left at its default", X1, y1, _network(rng, [3, 4]), None),
        _backprop_case("random: 3-5-4 network, 6 samples, lam = 0.1", X2, y2,
                       _network(rng, [3, 5, 4]), 0.1),
        _backprop_case("random: 4-6-5-3 network (two hidden layers), 7 samples, lam = 0.05", X3,
                       y3, _network(rng, [4, 6, 5, 3]), 0.05),
        _backprop_case("integer pixels X (0 to 3), 2-4-3 network, lam = 0 (a Python int)", X4,
                       y4, _network(rng, [2, 4, 3]), 0),
        _backprop_case("one sample, 3-4-3 network, lam = 0.2", X5, np.array([2]),
                       _network(rng, [3, 4, 3]), 0.2),
        _backprop_case("labels 0 and 1 only, 3 classes (the batch lacks class 2), 3-4-3 network",
                       X6, np.array([0, 1, 1, 0, 1]), _network(rng, [3, 4, 3]), 0.1),
        _backprop_case("a non-contiguous view X[:, ::2], 4-5-3 network, lam = 0.3", X7[:, ::2],
                       rng.integers(0, 3, 6), _network(rng, [4, 5, 3]), 0.3),
    ]


def _wrong_softmax_backprop(X, y, weights, lam=0.0, *, output="softmax", per_sample_mean=True,
                            extra_n=False, sign=1.0, penalty="lam W", derivative=relu_derivative,
                            classes="weights", early=False):
    """A configurable wrong softmax_mlp_backprop: each keyword swaps one step for a slip."""
    zs, z_lins = mlp_forward(X, weights, relu)
    Z = zs[-1] if output == "sigmoid output" else z_lins[-1]
    k = weights[-1].shape[1] if classes == "weights" else int(np.max(y)) + 1
    delta = sign * (ref.softmax(Z) - ref.one_hot(y, k))
    n = X.shape[0]
    if extra_n:
        delta = delta / n
    grads: list[Any] = [None] * len(weights)
    for layer in range(len(weights) - 1, -1, -1):
        if early and layer > 0:
            delta = hidden_delta(z_lins[layer - 1], weights[layer], delta, derivative)
        W = weights[layer]
        data = add_bias(zs[layer]).T @ delta
        grads[layer] = data / n if per_sample_mean else data
        if penalty == "lam W":
            grads[layer] = grads[layer] + np.vstack([lam * W[:-1], np.zeros((1, W.shape[1]))])
        elif penalty == "bias too":
            grads[layer] = grads[layer] + lam * W
        elif penalty == "lam / 2":
            grads[layer] = grads[layer] + np.vstack([lam / 2 * W[:-1], np.zeros((1, W.shape[1]))])
        if not early and layer > 0:
            delta = hidden_delta(z_lins[layer - 1], weights[layer], delta, derivative)
    return grads


def _softmax_backprop_mistake(**how) -> Callable[..., list]:
    return lambda X, y, weights, lam=0.0: _wrong_softmax_backprop(X, y, weights, lam, **how)


check_softmax_mlp_backprop = make_check(Exercise(
    name="softmax_mlp_backprop",
    uses=("softmax", "one_hot", "softmax_cross_entropy_gradient", "l2_penalty_gradient"),
    reference=ref.softmax_mlp_backprop,  # the expected values are numerical gradients
    arg_names=("X", "y", "weights"),
    cases=_softmax_backprop_cases,
    tolerance=Tolerance(rtol=1e-5, atol=1e-8),  # central differences are accurate to ~1e-10
    mistakes=[
        Mistake("sign flipped", _softmax_backprop_mistake(sign=-1.0),
                "every data gradient has the opposite sign: the output delta is "
                "`softmax(Z) - Y` (prediction minus target), not `Y - softmax(Z)`."),
        Mistake("sum instead of mean", _softmax_backprop_mistake(per_sample_mean=False),
                "the loss is a MEAN over the samples: divide each data gradient by n "
                "(`weight_gradient` does it for you)."),
        Mistake("1/n twice", _softmax_backprop_mistake(extra_n=True),
                "the data gradients are n times too small: 1/n is applied twice. "
                "`softmax_cross_entropy_gradient` already divides by n, and so does "
                "`weight_gradient`: use the per-sample delta `softmax(Z) - Y` with "
                "`weight_gradient`."),
        Mistake("penalty forgotten", _softmax_backprop_mistake(penalty=None),
                "add the penalty's gradient to each layer's gradient: `l2_penalty_gradient("
                "weights, lam)` (lam W, bias row 0)."),
        Mistake("bias penalised", _softmax_backprop_mistake(penalty="bias too"),
                "the bias rows are not penalised: their part of the penalty's gradient is 0 "
                "(use `l2_penalty_gradient`, which zeroes the last row)."),
        Mistake("half the penalty", _softmax_backprop_mistake(penalty="lam / 2"),
                "the derivative of lam / 2 * w ** 2 is lam * w: add `lam * W` (bias row 0), "
                "not `lam / 2 * W`."),
        Mistake("softmax of the sigmoid output", _softmax_backprop_mistake(
                    output="sigmoid output"),
                "`mlp_forward` puts a sigmoid on its last layer, so `zs[-1]` are sigmoids, not "
                "logits: the logits are the last linear combinations, `z_lins[-1]`."),
        Mistake("no ReLU derivative", _softmax_backprop_mistake(
                    derivative=lambda z: np.ones_like(z, dtype=float)),
                "the hidden deltas need ReLU's derivative: `relu'(z_lin)` is 1 where "
                "z_lin > 0 and 0 elsewhere; pass `relu_derivative` to `hidden_delta`."),
        Mistake("tanh's derivative", _softmax_backprop_mistake(derivative=tanh_derivative),
                "the hidden units are ReLUs: pass `relu_derivative` to `hidden_delta`, not "
                "notebook 04's `tanh_derivative`."),
        Mistake("delta moved down too early", _softmax_backprop_mistake(early=True),
                "layer l's gradient uses the delta of layer l's OUTPUTS: compute the gradient "
                "of `weights[l]` first, and only then move the delta down one layer."),
        Mistake("classes from the labels", _softmax_backprop_mistake(classes="labels"),
                "the number of classes is the number of logits, `weights[-1].shape[1]`, not "
                "`y.max() + 1`: a batch may not contain the last class."),
    ],
    hints=("notebook 04's backpropagation with two changes: the output delta of a softmax with "
           "cross-entropy (prediction minus target, one row per sample), and the penalty's "
           "gradient added to each layer's gradient. Hidden layers are ReLUs.",
           "the forward pass (notebook 03's mlp_forward with relu) gives the activations and the "
           "linear combinations; the logits Z are the LAST linear combinations (its last "
           "activation went through a sigmoid). Output delta, shape (n, k): softmax of Z minus "
           "the one-hot targets, k = the number of columns of the last matrix. From the last "
           "layer down: notebook 04's weight gradient of the layer's input and the delta, plus "
           "the L2 gradient of that matrix; then the delta of the layer below, with notebook "
           "04's hidden delta and ReLU's derivative."),
    mutation_hint="backprop must not change the weights: compute new arrays (no `W -= ...`, "
                  "no `G = W` followed by in-place changes).",
    warning_hints=_on_any_warning(
        "exp overflowed (or a row became 0 / 0): use your stable softmax (the row maximum "
        "subtracted) on the logits."),
))


def _verify_initial_weights(got, fn, X, y, X_val, y_val, hidden_sizes, learning_rate,
                            batch_size, n_epochs, rng, **kwargs) -> str | None:
    shapes = layer_shapes(X, y, X_val, y_val, hidden_sizes)
    problem = training_result_problem(got, shapes, 0, None)
    if problem:
        return problem
    weights = got[0]
    problem = _verify_he(weights[0], None, shapes[0][0] - 1, shapes[0][1])
    if problem:
        return f"the first layer's initial weights: {problem}"
    for index, W in enumerate(weights[1:], start=1):
        if np.any(W[-1] != 0) or np.all(W == 0):
            return (f"the initial weights[{index}] should come from `he_init` too (random "
                    f"weights, bias row zero).")
    return None


def _blobs(rng: np.random.Generator, n: int, noise: float = 0.7,
           d: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """Three labelled clusters (labels 0, 1, 2, each present)."""
    centres = np.array([[0.0, 2.0], [2.0, -1.5], [-2.0, -1.5]])
    y = np.arange(n) % 3
    X = centres[y] + noise * rng.normal(size=(n, 2))
    if d > 2:
        X = np.column_stack([X, rng.normal(size=(n, d - 2))])
    return X, y


def _classifier_cases(rng: np.random.Generator) -> list[Case]:
    X, y = _blobs(rng, 24)
    X_val, y_val = _blobs(rng, 12)
    pixels = rng.integers(0, 4, size=(20, 3))  # integer inputs, like the digits' pixels
    labels = (pixels.sum(axis=1) + rng.integers(0, 2, 20)) % 3
    pixels_val = rng.integers(0, 4, size=(9, 3))
    labels_val = np.arange(9) % 3
    X_noisy, y_noisy = _blobs(rng, 15, noise=1.5)  # a big network overfits these quickly
    X_noisy_val, y_noisy_val = _blobs(rng, 15, noise=1.5)
    X_wide, y_wide = _blobs(rng, 9, d=60)
    X_wide_val, y_wide_val = _blobs(rng, 6, d=60)
    return [
        Case("full batch (batch_size = n), 4 epochs, lam = 0.01: gradient descent from your "
             "initial weights", (X, y, X_val, y_val, (5,), 0.3, 24, 4, _gen(1)), {"lam": 0.01},
             verify=verify_training),
        Case("mini-batches of 8 (the last one smaller), integer inputs, 3 epochs, patience 10 "
             "(more than n_epochs)", (pixels, labels, pixels_val, labels_val, (6,), 0.2, 8, 3,
                                      _gen(2)), {"lam": 0.001, "patience": 10},
             verify=verify_training),
        Case("early stopping: patience 3, a 2-32-3 network on noisy data", (
            X_noisy, y_noisy, X_noisy_val, y_noisy_val, (32,), 0.1, 5, 60, _gen(3)),
            {"patience": 3}, verify=verify_training),
        Case("n_epochs = 0: the He-initialised weights of a 60-50-3 network", (
            X_wide, y_wide, X_wide_val, y_wide_val, (50,), 0.1, 4, 0, _gen(4)),
            verify=_verify_initial_weights,
            hint="draw the weights first, with your he_init for each pair of consecutive layer "
                 "sizes (d, the hidden sizes, then k); with no epoch they are returned as "
                 "drawn."),
        Case("the same seed twice, then another seed (2 epochs, mini-batches of 6)",
             (X, y, X_val, y_val, (4,), 0.2, 6, 2, _gen(6)), verify=verify_seeds),
        Case("callback(epoch, weights, history) after each epoch (3 epochs)",
             (X, y, X_val, y_val, (4,), 0.2, 12, 3, _gen(7)), verify=verify_callback,
             hint="keep the `callback=None` parameter and, at the end of each epoch, once the "
                  "history holds that epoch, call the callback (when one is given) with the "
                  "epoch, the current weights and the history."),
    ]


check_train_classifier = make_check(Exercise(
    name="train_classifier",
    uses=("softmax_mlp_backprop", "he_init"),
    reference=ref.train_classifier,
    cases=_classifier_cases,
    mistakes=[Mistake(flaw, flawed_classifier(flaw), hint) for flaw, hint in FLAWS.items()],
    outputs=("weights", "history"),
    hints=("draw the initial weights first (He, one matrix per layer, from rng), then loop over "
           "the epochs: one pass of minibatches with a gradient step per batch, then record the "
           "losses and the validation accuracy; with patience, remember the best epoch and stop "
           "when it is `patience` epochs old.",
           "k is 1 + the largest label; the layer sizes are d, the hidden sizes, then k. Per "
           "batch: your softmax_mlp_backprop on the batch (with lam), then each matrix minus the "
           "learning rate times its gradient. Per epoch: evaluate on the training and on the "
           "validation data, append to the three lists, then call the callback if there is one; "
           "remember the loss, the epoch and the weights of the lowest validation loss so far. "
           "Return the best weights with patience, the last ones without."),
    mutation_hint="your function changed its inputs (the data or a list it was given): "
                  "training must leave X_train, y_train, X_val and y_val as they were.",
))


# --------------------------------------------------------------------- challenges
def _decay_cases(rng: np.random.Generator) -> list[Case]:
    return [
        Case("hand-made: learning_rate 0.5, epoch 0 (the first), decay 0.1", (0.5, 0, 0.1)),
        Case("hand-made: learning_rate 0.3, epoch 4, decay 0.5", (0.3, 4, 0.5)),
        Case("Python ints: learning_rate 1, epoch 3, decay 1", (1, 3, 1)),
        Case("an array of epochs 0..5, learning_rate 0.2, decay 0.25", (0.2, np.arange(6), 0.25)),
    ]


check_decayed_learning_rate = make_check(Exercise(
    name="decayed_learning_rate",
    reference=ref.decayed_learning_rate,
    cases=_decay_cases,
    challenge=True,
    mistakes=[
        Mistake("linear decay", lambda lr, epoch, decay: lr * (1 - decay * epoch),
                "that is a linear decay, which becomes negative: divide, "
                "`learning_rate / (1 + decay * epoch)`."),
        Mistake("exponential decay", lambda lr, epoch, decay: lr * decay ** epoch,
                "that is an exponential decay; this exercise's is inverse-time, "
                "`learning_rate / (1 + decay * epoch)`."),
        Mistake("precedence", lambda lr, epoch, decay: lr / 1 + decay * epoch,
                "division comes before addition: put the denominator in parentheses, "
                "`learning_rate / (1 + decay * epoch)`."),
        Mistake("epochs from 1", lambda lr, epoch, decay: lr / (1 + decay * (epoch + 1)),
                "epochs are counted from 0: at epoch 0 the rate is the initial one, so use "
                "`epoch`, not `epoch + 1`."),
        Mistake("integer division", lambda lr, epoch, decay: lr // (1 + decay * epoch),
                "`//` rounds down to a whole number: use the true division `/`."),
        Mistake("multiplied", lambda lr, epoch, decay: lr * (1 + decay * epoch),
                "the rate must SHRINK with the epochs: divide by `(1 + decay * epoch)`."),
    ],
    hints=("at epoch 0 the rate is the initial one; later it shrinks like 1 / epoch, with decay "
           "setting how fast.",
           "the initial rate divided by (1 + decay times the epoch); an array of epochs gives "
           "an array of rates with the same formula."),
))


def _momentum_cases(rng: np.random.Generator) -> list[Case]:
    W = [np.array([[1.0, -2.0], [0.5, 3.0]])]
    G = [np.array([[0.2, -0.4], [1.0, 0.0]])]
    V = [np.array([[0.1, 0.0], [-0.3, 0.2]])]
    shapes = [(4, 4), (5, 2)]
    random = [[rng.normal(size=s) for s in shapes] for _ in range(3)]
    integers = ([np.array([[2, -1], [0, 3]])], [np.array([[1, 1], [-2, 0]])],
                [np.array([[0, 1], [1, 0]])])
    return [
        Case("hand-made: one matrix, zero velocity (the first step), alpha 0.1, beta 0.9",
             (W, G, [np.zeros((2, 2))], 0.1, 0.9)),
        Case("hand-made: one matrix, a velocity from earlier steps, alpha 0.1, beta 0.9",
             (W, G, V, 0.1, 0.9)),
        Case("random: a 3-4-2 network, alpha 0.05, beta 0.5", (*random, 0.05, 0.5)),
        Case("beta = 0: plain gradient descent", (W, G, V, 0.2, 0.0)),
        Case("integer weights, gradients and velocities, alpha 0.5, beta 0.9",
             (*integers, 0.5, 0.9)),
    ]


def _momentum_old_velocity(weights, grads, velocities, learning_rate, beta):
    new_weights = [W + V for W, V in zip(weights, velocities, strict=True)]
    new_velocities = [beta * V - learning_rate * G
                      for V, G in zip(velocities, grads, strict=True)]
    return new_weights, new_velocities


def _momentum_pytorch(weights, grads, velocities, learning_rate, beta):
    new_velocities = [beta * V + G for V, G in zip(velocities, grads, strict=True)]
    return [W - learning_rate * V for W, V in zip(weights, new_velocities, strict=True)], \
        new_velocities


def _momentum_average(weights, grads, velocities, learning_rate, beta):
    new_velocities = [beta * V + (1 - beta) * G for V, G in zip(velocities, grads, strict=True)]
    return [W - learning_rate * V for W, V in zip(weights, new_velocities, strict=True)], \
        new_velocities


def _momentum_ascent(weights, grads, velocities, learning_rate, beta):
    new_velocities = [beta * V + learning_rate * G for V, G in zip(velocities, grads,
                                                                   strict=True)]
    return [W + V for W, V in zip(weights, new_velocities, strict=True)], new_velocities


def _momentum_swapped(weights, grads, velocities, learning_rate, beta):
    return ref.momentum_step(weights, grads, velocities, beta, learning_rate)


check_momentum_step = make_check(Exercise(
    name="momentum_step",
    reference=ref.momentum_step,
    cases=_momentum_cases,
    challenge=True,
    outputs=("weights", "velocities"),
    mistakes=[
        Mistake("old velocity", _momentum_old_velocity,
                "update the velocity FIRST, then move the weights by the NEW velocity: "
                "`V = beta * V - learning_rate * G`, then `W = W + V`."),
        Mistake("PyTorch's form", _momentum_pytorch,
                "that is PyTorch's form (v = beta v + G, then W - alpha v): the weights agree, "
                "but this exercise's velocity includes the learning rate and the sign, "
                "`V = beta * V - learning_rate * G`, then `W = W + V`."),
        Mistake("moving average", _momentum_average,
                "that is an exponential moving average of the gradients (with 1 - beta): here "
                "the velocity is `beta * V - learning_rate * G`, then `W = W + V`."),
        Mistake("ascent", _momentum_ascent,
                "the velocity points DOWNHILL: `V = beta * V - learning_rate * G` (minus the "
                "gradient)."),
        Mistake("beta and learning rate swapped", _momentum_swapped,
                "beta multiplies the old velocity and the learning rate the gradient: "
                "`beta * V - learning_rate * G`."),
    ],
    hints=("the velocity remembers past steps: it keeps a fraction beta of itself and adds the "
           "usual gradient step; the weights then move by the new velocity.",
           "for each layer: V_new = beta V - alpha G, then W_new = W + V_new; return the two "
           "lists (new arrays; the inputs stay as they are)."),
    mutation_hint="your function changed the weights or velocities it was given (`+=` or `-=` "
                  "on them): build new arrays, `W = W + V`.",
))


def _dropout_cases(rng: np.random.Generator) -> list[Case]:
    def data(n, d, k):
        return rng.normal(size=(n, d)), rng.integers(0, k, n)

    X1, y1 = data(5, 3, 3)
    X2, y2 = data(8, 3, 3)
    X3, y3 = data(7, 4, 3)
    X4 = rng.integers(0, 4, size=(6, 2))
    return [
        Case("p = 0 (nothing dropped: the plain gradient), 3-4-3 network, 5 samples",
             (X1, y1, _network(rng, [3, 4, 3]), 0.0, _gen(1))),
        Case("p = 0.5, 3-6-3 network, 8 samples", (X2, y2, _network(rng, [3, 6, 3]), 0.5,
                                                   _gen(2))),
        Case("p = 0.25, two hidden layers (4-6-5-3), 7 samples",
             (X3, y3, _network(rng, [4, 6, 5, 3]), 0.25, _gen(3))),
        Case("integer inputs, p = 0.5, 2-5-3 network", (X4, rng.integers(0, 3, 6),
                                                       _network(rng, [2, 5, 3]), 0.5, _gen(4))),
    ]


def _wrong_dropout(X, y, weights, p, rng, *, scale="divide", keep="ge", backward=True,
                   forward=True, per_unit=False, inputs=False):
    """A configurable wrong dropout_backprop: each keyword swaps one step for a slip."""
    if inputs:
        X = X * (rng.random(X.shape) >= p) / (1.0 - p)
    zs, z_lins, masks = [X], [], []
    for W in weights[:-1]:
        z_lin = add_bias(zs[-1]) @ W
        shape = z_lin.shape[1] if per_unit else z_lin.shape
        draws = rng.random(shape)
        kept = draws >= p if keep == "ge" else draws < p
        mask = {"divide": kept / (1.0 - p), "none": kept.astype(float),
                "multiply": kept * (1.0 - p)}[scale]
        z_lins.append(z_lin)
        masks.append(mask)
        zs.append(relu(z_lin) * mask if forward else relu(z_lin))
    Z = add_bias(zs[-1]) @ weights[-1]
    delta = ref.softmax(Z) - ref.one_hot(y, Z.shape[1])
    grads: list[Any] = [None] * len(weights)
    for layer in range(len(weights) - 1, -1, -1):
        grads[layer] = weight_gradient(zs[layer], delta)
        if layer > 0:
            delta = hidden_delta(z_lins[layer - 1], weights[layer], delta, relu_derivative)
            if backward:
                delta = delta * masks[layer - 1]
    return grads


def _dropout_mistake(**how) -> Callable[..., list]:
    return lambda X, y, weights, p, rng: _wrong_dropout(X, y, weights, p, rng, **how)


check_dropout_backprop = make_check(Exercise(
    name="dropout_backprop",
    reference=ref.dropout_backprop,
    cases=_dropout_cases,
    challenge=True,
    tolerance=Tolerance(rtol=1e-7, atol=1e-10),
    mistakes=[
        Mistake("not scaled", _dropout_mistake(scale="none"),
                "scale the kept units up: the mask is `keep / (1 - p)`, so that each unit's "
                "expected output is unchanged (\"inverted\" dropout)."),
        Mistake("scaled down", _dropout_mistake(scale="multiply"),
                "DIVIDE the kept units by (1 - p) (inverted dropout scales up during training), "
                "do not multiply."),
        Mistake("keeps with probability p", _dropout_mistake(keep="lt"),
                "p is the probability of DROPPING a unit: keep it when `rng.random(...) >= p`."),
        Mistake("mask only forward", _dropout_mistake(backward=False),
                "a dropped unit passes no gradient back either: multiply each hidden delta by "
                "the same mask as the forward pass."),
        Mistake("mask only backward", _dropout_mistake(forward=False),
                "apply the mask in the forward pass too: the hidden layer's output is "
                "`relu(z_lin) * mask`."),
        Mistake("one mask per unit", _dropout_mistake(per_unit=True),
                "draw one number per unit AND per sample, `rng.random(z_lin.shape)`: each sample "
                "drops its own units."),
        Mistake("inputs dropped too", _dropout_mistake(inputs=True),
                "this exercise drops hidden units only: no mask on X (and none on the logits)."),
    ],
    hints=("the forward pass multiplies each hidden layer's output by a random 0/1 mask, "
           "scaled so that the expected output stays the same; the backward pass sends each "
           "delta back through the same mask, since a dropped unit contributed nothing.",
           "per hidden layer, first to last: the linear combination, then a mask that keeps a "
           "unit where a draw of the generator's `random` (one per sample and unit) is at least "
           "p, divided by 1 - p, then the ReLU output times the mask. Output delta: softmax of "
           "the logits minus the one-hot targets. Going down: the weight gradient of each "
           "layer's (masked) input and the delta; the hidden delta with ReLU's derivative, "
           "times the same mask."),
    mutation_hint="your function changed its inputs: compute new arrays.",
))
