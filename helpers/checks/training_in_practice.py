"""Checks for notebook 05, training in practice (declared on :mod:`helpers.checks.engine`).

Exercises: ``train_validation_split``, ``xavier_init``, ``he_init``, ``l2_penalty``,
``l2_penalty_gradient``, ``softmax``, ``one_hot``, ``softmax_cross_entropy`` and
``softmax_cross_entropy_gradient`` (see ``../shared/CURRICULUM.md``).

The initialisations are random, so their checks test statistics of a large layer (shape, bias
row exactly zero, bounds, mean, standard deviation, tails) rather than exact values; every other
check compares with :mod:`helpers.reference.training_in_practice` and names the usual mistakes.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from helpers.checks.engine import Case, Exercise, Mistake, make_check
from helpers.feedback import format_value, short_type
from helpers.reference import training_in_practice as ref


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
    return [
        Case("hand-made: 10 samples, 30% for validation", (X1, y1, 0.3, _gen(1))),
        Case("hand-made: 10 samples, 0.29 * 10 = 2.9 rounds to 3", (X1, y1, 0.29, _gen(2))),
        Case("hand-made: 10 samples, 0.21 * 10 = 2.1 rounds to 2", (X1, y1, 0.21, _gen(4))),
        Case("random: 50 samples, 3 features, 20% for validation", (X2, y2, 0.2, _gen(3))),
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
    ],
    hints=("use the generator you are given, once: `order = rng.permutation(n)`; the first "
          "`round(validation_fraction * n)` indices are validation, the rest training.",),
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
            Case("the same seed twice, then another seed", (20, 10, _gen(7)),
                 verify=_uses_the_rng),
        ]
    return cases


check_xavier_init = make_check(Exercise(
    name="xavier_init",
    reference=ref.xavier_init,
    cases=_init_cases(_verify_xavier),
    hints=("W = rng.uniform(-a, a, size=(n_in + 1, n_out)) with a = np.sqrt(6 / (n_in + n_out)), "
          "then W[-1] = 0.",),
))

check_he_init = make_check(Exercise(
    name="he_init",
    reference=ref.he_init,
    cases=_init_cases(_verify_he),
    hints=("W = rng.normal(0, np.sqrt(2 / n_in), size=(n_in + 1, n_out)), then W[-1] = 0.",),
))


# --------------------------------------------------------------------- L2 penalty
def _weights_cases(rng: np.random.Generator) -> list[Case]:
    W1 = np.array([[1.0, -2.0], [3.0, 0.5], [10.0, 20.0]])  # large bias row: easy to spot
    W2 = np.array([[0.5], [-1.0], [4.0]])
    shapes = [(5, 4), (5, 3), (4, 2)]
    random = [rng.normal(size=s) for s in shapes]
    return [
        Case("hand-made: a 2-2-1 network, lam = 0.1", ([W1, W2], 0.1)),
        Case("random: a 4-4-3-2 network, lam = 0.01", (random, 0.01)),
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
    ],
    hints=("lam / 2 * (sum over the matrices of np.sum(W[:-1] ** 2)).",),
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
    ],
    hints=("for each W: G = lam * W (a new array), then G[-1] = 0.",),
    mutation_hint=("you changed the caller's weights: `G = W` does not copy, so `G[-1] = 0` "
                   "or `G *= lam` modifies W itself. Start from a new array: `G = lam * W`."),
))


# --------------------------------------------------------------------- softmax and friends
def _logits_cases(rng: np.random.Generator) -> list[Case]:
    Z1 = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0], [-1.0, 4.0, 0.5]])
    Z2 = np.array([[1000.0, 1001.0, 999.0, 1002.0], [-1000.0, -999.0, -1001.0, -998.0]])
    Z3 = np.array([[0.0, 1.0, 2.0], [-1000.0, -999.0, -998.0]])
    Z4 = 3 * rng.normal(size=(5, 4))
    return [
        Case("hand-made: 3 rows, 3 classes", (Z1,)),
        Case("large logits, +-1000 (exp would overflow)", (Z2,)),
        Case("rows on very different scales", (Z3,)),
        Case("random: 5 rows, 4 classes", (Z4,)),
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
    ],
    hints=("subtract each row's maximum before exp (`Z - Z.max(axis=1, keepdims=True)`), then "
          "divide by each row's sum (`axis=1, keepdims=True`).",),
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
    ],
    hints=("Y = np.zeros((n, n_classes)); Y[np.arange(n), y] = 1 (or `np.eye(n_classes)[y]`).",),
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
    return [
        Case("hand-made: 3 samples, 3 classes", (Z1, Y1)),
        Case("large logits, the true class far below the max", (Z2, Y2), hint=_LSE_HINT),
        Case("random: 6 samples, 4 classes", (2 * rng.normal(size=(6, 4)),
                                              ref.one_hot(labels, 4))),
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
    hints=("with m = Z.max(axis=1, keepdims=True): log_p = (Z - m) - np.log(np.sum(np.exp(Z - m), "
          "axis=1, keepdims=True)); loss = -np.sum(Y * log_p) / n.",),
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
    hints=("(softmax(Z) - Y) / n, with a stable softmax.",),
    warning_hints=_on_any_warning(
        "exp overflowed: use a stable softmax (subtract each row's max before exp) "
        "inside the gradient."),
))
