"""Checks for notebook 02: logistic regression, cross-entropy and mini-batch SGD.

Each ``check_<name>`` is declared on :mod:`helpers.checks.engine`: hand-made and random cases,
expected values from :mod:`helpers.reference.logistic_regression`, and a catalogue of the usual
mistakes (each a tiny wrong implementation with the hint shown when the attendee's output equals
its output).

Beyond exact mistakes, some checks use the engine's ``diagnoses`` (properties of a wrong result,
e.g. "a sample appears twice in one epoch", for mistakes with many spellings) and
``warning_hints`` (exercise-specific hints for numpy warnings); a mistake is also recognised by
the exception it raises (``math.exp`` on an array raises a ``TypeError``).
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np

from helpers.checks.compare import Tolerance
from helpers.checks.engine import Case, Diagnosis, Exercise, Mistake, make_check
from helpers.reference import logistic_regression as ref


def _stable_log_sigmoid(z: np.ndarray) -> np.ndarray:
    """log(sigmoid(z)) without overflow: ``-logaddexp(0, -z)``."""
    return -np.logaddexp(0.0, -z)


# --------------------------------------------------------------------------------- sigmoid
def _sigmoid_cases(rng: np.random.Generator) -> list[Case]:
    return [
        Case("a scalar: z = 0.0", (0.0,)),
        Case("a scalar: z = 2.0", (2.0,)),
        Case("hand-made vector", (np.array([-3.0, -1.0, 0.0, 0.5, 4.0]),)),
        Case("random 2-D array (3, 4)", (rng.normal(0.0, 3.0, (3, 4)),)),
        Case("large |z| (overflow test)",
             (np.array([-1e4, -800.0, -50.0, -1.0, 0.0, 1.0, 50.0, 800.0, 1e4]),)),
        Case("a large negative scalar: z = -1000.0", (-1000.0,)),
    ]


def _sigmoid_sign_flipped(z):
    return ref.sigmoid(-np.asarray(z, dtype=float))


def _sigmoid_math_exp(z):
    return 1.0 / (1.0 + math.exp(-z))


check_sigmoid = make_check(Exercise(
    name="sigmoid",
    reference=ref.sigmoid,
    cases=_sigmoid_cases,
    mistakes=[
        Mistake("sign flipped", _sigmoid_sign_flipped,
                "the sign in the exponent is flipped: sigmoid(z) = 1 / (1 + exp(-z)), so "
                "sigmoid(2) is about 0.88 (large z gives a probability near 1)."),
        Mistake("math.exp", _sigmoid_math_exp,
                "`math.exp` only works on single numbers; use `np.exp`, which works elementwise "
                "on arrays (and on scalars too)."),
    ],
    warning_hints={"overflow": (
        "np.exp(-z) overflows for large negative z (exp(1000) is inf). Use the stable form: "
        "exp(-|z|) never overflows, then 1 / (1 + e) where z >= 0 and e / (1 + e) where z < 0. "
        "Careful: `np.where(cond, a, b)` computes BOTH a and b for every entry, so each branch "
        "must be safe on its own (that is why it uses exp(-|z|)).")},
    hints=("sigmoid(z) = 1 / (1 + exp(-z)), elementwise; sigmoid(0) = 0.5.",),
))


# --------------------------------------------------------------------------------- predict_proba
def _predict_cases(rng: np.random.Generator) -> list[Case]:
    return [
        Case("hand-made: 3 samples, 2 features",
             (np.array([[1.0, 2.0], [-1.0, 0.5], [0.0, -3.0]]), np.array([0.5, -1.0]))),
        Case("random: 20 samples, 3 features",
             (rng.normal(size=(20, 3)), rng.normal(size=3))),
        Case("confident predictions (|X @ w| up to 1000)",
             (np.array([[10.0, 1.0], [-10.0, 1.0], [0.1, 1.0], [-0.1, 0.0]]),
              np.array([100.0, 0.0]))),
    ]


check_predict_proba = make_check(Exercise(
    name="predict_proba",
    uses=("sigmoid",),
    reference=ref.predict_proba,
    cases=_predict_cases,
    mistakes=[
        Mistake("no sigmoid", lambda X, w: X @ w,
                "you return the linear output X @ w, which is not a probability (it can be "
                "negative or above 1): pass it through your `sigmoid`."),
        Mistake("hard labels", lambda X, w: (X @ w >= 0).astype(float),
                "you return hard 0/1 labels; predict_proba returns the probability "
                "sigmoid(X @ w) itself. Thresholding at 0.5 is `accuracy`'s job."),
        Mistake("probability of class 0", lambda X, w: 1.0 - ref.sigmoid(X @ w),
                "you return P(y = 0) = 1 - sigmoid(X @ w); return P(y = 1) = sigmoid(X @ w)."),
    ],
    hints=("predict_proba(X, w) = sigmoid(X @ w), one probability per row of X, shape (n,).",),
))


# --------------------------------------------------------------------------------- cross-entropy
def _logistic_inputs(rng: np.random.Generator) -> list[tuple]:
    """(X, y, w) for the loss and gradient checks: hand-made, random, saturated predictions."""
    return [
        (np.array([[1.0, 2.0], [-1.0, 0.5], [0.0, -3.0], [2.0, 1.0]]),
         np.array([1.0, 0.0, 0.0, 1.0]), np.array([0.5, -0.25])),
        (rng.normal(size=(30, 3)), rng.integers(0, 2, 30).astype(float), rng.normal(size=3)),
        # Confident AND correct predictions: p rounds to exactly 1.0 or 0.0 in float64, so the
        # formula as written takes log(0). Misclassified points stay at |z| <= 15, where
        # clipping p to [1e-15, 1 - 1e-15] (a correct answer) changes nothing measurable.
        (np.array([[40.0, 1.0], [-800.0, 1.0], [2.0, 0.0], [-3.0, 1.0], [800.0, 0.0]]),
         np.array([1.0, 0.0, 0.0, 1.0, 1.0]), np.array([1.0, 0.5])),
    ]


def _loss_cases(rng: np.random.Generator) -> list[Case]:
    labels = ("hand-made: 4 samples, 2 features", "random: 30 samples, 3 features",
              "saturated predictions: sigmoid(X @ w) is exactly 0.0 or 1.0 for some samples")
    return [Case(label, args) for label, args in zip(labels, _logistic_inputs(rng), strict=True)]


_LOG0_HINT = (
    "for confident predictions p = sigmoid(z) rounds to exactly 1.0 (z > 37) or 0.0 "
    "(z < -745), and then log(1 - p) or log(p) is log(0) = -inf (and 0 * -inf is nan). Either "
    "clip p into [1e-15, 1 - 1e-15] before the logs, or use the stable form "
    "mean(np.logaddexp(0, z) - y * z) with z = X @ w.")


def _p(X, w):
    return ref.sigmoid(X @ w)


def _ce_terms(X, y, w):
    """Per-sample -y log p and -(1 - y) log(1 - p), computed stably."""
    z = X @ w
    return -y * _stable_log_sigmoid(z), -(1 - y) * _stable_log_sigmoid(-z)


check_cross_entropy_loss = make_check(Exercise(
    name="cross_entropy_loss",
    uses=("predict_proba", "sigmoid"),
    reference=ref.cross_entropy_loss,
    cases=_loss_cases,
    mistakes=[
        Mistake("no minus", lambda X, y, w: -ref.cross_entropy_loss(X, y, w),
                "the minus sign is missing: log p <= 0, so the loss -[y log p + (1 - y) "
                "log(1 - p)] is >= 0."),
        Mistake("summed", lambda X, y, w: len(y) * ref.cross_entropy_loss(X, y, w),
                "you sum over the samples; the loss is the mean (np.mean, or divide by n)."),
        Mistake("only the y = 1 term", lambda X, y, w: float(np.mean(_ce_terms(X, y, w)[0])),
                "only the y log p term is there: add -(1 - y) log(1 - p), the term for samples "
                "of class 0."),
        Mistake("only the y = 0 term", lambda X, y, w: float(np.mean(_ce_terms(X, y, w)[1])),
                "only the (1 - y) log(1 - p) term is there: add -y log p, the term for samples "
                "of class 1."),
        Mistake("MSE of probabilities", lambda X, y, w: float(np.mean((_p(X, w) - y) ** 2)),
                "that is the mean squared error of the probabilities, not the cross-entropy: "
                "use -[y log p + (1 - y) log(1 - p)]."),
        Mistake("MSE of the linear output", lambda X, y, w: float(np.mean((X @ w - y) ** 2)),
                "that is notebook 01's MSE on X @ w: use the cross-entropy of p = sigmoid(X @ w), "
                "-[y log p + (1 - y) log(1 - p)]."),
        Mistake("log10", lambda X, y, w: ref.cross_entropy_loss(X, y, w) / np.log(10),
                "use the natural logarithm np.log, not np.log10 (the gradient X.T (p - y) / n "
                "belongs to the natural log)."),
        Mistake("labels swapped",
                lambda X, y, w: float(np.mean(
                    -y * _stable_log_sigmoid(-(X @ w)) - (1 - y) * _stable_log_sigmoid(X @ w))),
                "y and 1 - y are swapped: y log p is the term for class 1 (p is P(y = 1))."),
    ],
    warning_hints={
        "overflow": ("exp(z) overflows for large z: log(1 + exp(z)) is `np.logaddexp(0, z)`, "
                     "which never overflows; or compute p with your stable `sigmoid`."),
        "divide by zero": _LOG0_HINT,
        "invalid value": _LOG0_HINT,
    },
    hints=("mean over the samples of -[y log p + (1 - y) log(1 - p)] with p = sigmoid(X @ w), "
          "one number.",),
))


# --------------------------------------------------------------------------------- its gradient
def _gradient_cases(rng: np.random.Generator) -> list[Case]:
    labels = ("hand-made: 4 samples, 2 features", "random: 30 samples, 3 features",
              "saturated predictions")
    return [Case(label, args) for label, args in zip(labels, _logistic_inputs(rng), strict=True)]


check_cross_entropy_gradient = make_check(Exercise(
    name="cross_entropy_gradient",
    uses=("predict_proba", "sigmoid"),
    reference=ref.cross_entropy_gradient,
    cases=_gradient_cases,
    mistakes=[
        Mistake("y - p (the slide's sign)", lambda X, y, w: X.T @ (y - _p(X, w)) / len(y),
                "you use y - p, as on the talk's slide; the gradient of the loss as written "
                "(with its minus sign) is X.T @ (p - y) / n. With y - p, a descent step would "
                "climb the loss."),
        Mistake("no 1/n", lambda X, y, w: X.T @ (_p(X, w) - y),
                "divide by n: the loss is a mean over the samples, so its gradient is too."),
        Mistake("no sigmoid", lambda X, y, w: X.T @ (X @ w - y) / len(y),
                "p is sigmoid(X @ w), not X @ w: apply the sigmoid before subtracting y."),
        Mistake("MSE gradient", lambda X, y, w: 2 / len(y) * X.T @ (X @ w - y),
                "that is notebook 01's MSE gradient: here it is X.T @ (sigmoid(X @ w) - y) / n."),
        Mistake("extra sigmoid derivative",
                lambda X, y, w: X.T @ ((_p(X, w) - y) * _p(X, w) * (1 - _p(X, w))) / len(y),
                "the factor p (1 - p) from the sigmoid's derivative cancels against the "
                "cross-entropy's 1 / (p (1 - p)): the gradient is just X.T @ (p - y) / n."),
    ],
    hints=("X.T @ (sigmoid(X @ w) - y) / n, shape (d,) like w.",),
))


# --------------------------------------------------------------------------------- features
def _quadratic_cases(rng: np.random.Generator) -> list[Case]:
    return [
        Case("hand-made: 3 points", (np.array([[1.0, 2.0], [3.0, -1.0], [0.5, 0.0]]),)),
        Case("random: 10 points", (rng.normal(size=(10, 2)),)),
    ]


def _columns(X, *names):
    x1, x2 = X[:, 0], X[:, 1]
    table = {"x1": x1, "x2": x2, "x1^2": x1**2, "x2^2": x2**2, "x1x2": x1 * x2,
             "1": np.ones(len(X)), "2x1": 2 * x1, "2x2": 2 * x2}
    return np.column_stack([table[name] for name in names])


check_quadratic_features = make_check(Exercise(
    name="quadratic_features",
    reference=ref.quadratic_features,
    cases=_quadratic_cases,
    mistakes=[
        Mistake("bias first",
                lambda X: _columns(X, "1", "x1", "x2", "x1^2", "x2^2", "x1x2"),
                "the column of ones goes LAST (the workshop's convention: the last weight is the "
                "bias): x1, x2, x1**2, x2**2, x1*x2, 1."),
        Mistake("cross term missing", lambda X: _columns(X, "x1", "x2", "x1^2", "x2^2", "1"),
                "the cross term x1 * x2 is missing: six columns x1, x2, x1**2, x2**2, x1*x2, 1."),
        Mistake("bias missing", lambda X: _columns(X, "x1", "x2", "x1^2", "x2^2", "x1x2"),
                "the column of ones (the bias) is missing at the end."),
        Mistake("a square missing (x1)", lambda X: _columns(X, "x1", "x2", "x2^2", "x1x2", "1"),
                "x1**2 is missing: six columns x1, x2, x1**2, x2**2, x1*x2, 1."),
        Mistake("a square missing (x2)", lambda X: _columns(X, "x1", "x2", "x1^2", "x1x2", "1"),
                "x2**2 is missing: six columns x1, x2, x1**2, x2**2, x1*x2, 1."),
        Mistake("cross term before squares",
                lambda X: _columns(X, "x1", "x2", "x1x2", "x1^2", "x2^2", "1"),
                "right columns, wrong order: x1, x2, x1**2, x2**2, x1*x2, 1 (cross term after "
                "the squares)."),
        Mistake("times 2 instead of squared",
                lambda X: _columns(X, "x1", "x2", "2x1", "2x2", "x1x2", "1"),
                "`x * 2` doubles; squaring is `x ** 2`."),
    ],
    hints=("columns x1, x2, x1**2, x2**2, x1*x2, 1 (np.column_stack), shape (n, 6).",),
))


# --------------------------------------------------------------------------------- minibatches
def _minibatch_cases(rng: np.random.Generator) -> list[Case]:
    # y holds each sample's index (and X's first column too), so pairs can be followed.
    def data(n, d):
        X = np.column_stack([np.arange(n, dtype=float), rng.normal(size=(n, d - 1))])
        return X, np.arange(n, dtype=float)

    return [
        Case("10 samples, batch_size 3 (the last batch has 1 sample)",
             (*data(10, 2), 3, np.random.default_rng(1))),
        Case("8 samples, batch_size 4", (*data(8, 3), 4, np.random.default_rng(2))),
        Case("5 samples, batch_size 10 (one batch of everything)",
             (*data(5, 2), 10, np.random.default_rng(3))),
        Case("7 samples, batch_size 1", (*data(7, 2), 1, np.random.default_rng(4))),
    ]


def _chunks(X, y, order, batch_size):
    return [(X[order[s:s + batch_size]], y[order[s:s + batch_size]])
            for s in range(0, len(order), batch_size)]


def _mb_in_order(X, y, batch_size, rng):
    return _chunks(X, y, np.arange(len(X)), batch_size)


def _mb_drop_last(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    full = len(X) // batch_size * batch_size
    return _chunks(X, y, order[:full], batch_size)


def _mb_separate(X, y, batch_size, rng):
    X_shuffled = X[rng.permutation(len(X))]
    y_shuffled = y[rng.permutation(len(y))]
    return _chunks(X_shuffled, y_shuffled, np.arange(len(X)), batch_size)


def _mb_choice(X, y, batch_size, rng):
    return _chunks(X, y, rng.choice(len(X), len(X)), batch_size)


def _mb_per_batch_choice(X, y, batch_size, rng):
    n = len(X)
    sizes = [min(batch_size, n - s) for s in range(0, n, batch_size)]
    batches = []
    for size in sizes:
        chosen = rng.choice(n, size)
        batches.append((X[chosen], y[chosen]))
    return batches


def _batches_ok(got) -> bool:
    return isinstance(got, list | tuple) and all(
        isinstance(b, list | tuple) and len(b) == 2 and all(isinstance(a, np.ndarray) for a in b)
        for b in got)


def _pairs_broken(got, X, y, batch_size, rng) -> bool:
    # X[:, 0] and y both hold the sample's index: a correct batch has them equal row by row.
    return _batches_ok(got) and any(
        b[0].shape[0] == b[1].shape[0] and not np.array_equal(b[0][:, 0], b[1]) for b in got)


def _wrong_sizes(got, X, y, batch_size, rng) -> bool:
    n = len(X)
    sizes = [min(batch_size, n - s) for s in range(0, n, batch_size)]
    return _batches_ok(got) and [len(b[1]) for b in got] != sizes


def _repeats(got, X, y, batch_size, rng) -> bool:
    if not _batches_ok(got):
        return False
    seen = np.concatenate([np.asarray(b[1]).ravel() for b in got])
    return len(np.unique(seen)) < len(seen)


_MB_REPLACEMENT = (
    "some sample appears twice in one epoch: that is sampling WITH replacement (rng.choice, "
    "rng.integers). An epoch visits every sample exactly once: shuffle the indices once with "
    "`order = rng.permutation(n)` and cut `order` into consecutive chunks.")

# More batches than any case needs: a generator that never stops (a `while True` loop without
# its exit) must become feedback, not a hung kernel.
_MAX_BATCHES = 100


def _first_batches(batches: Any) -> list:
    """The batches as a list, at most ``_MAX_BATCHES`` of them."""
    return list(itertools.islice(batches, _MAX_BATCHES))


check_minibatches = make_check(Exercise(
    name="minibatches",
    reference=ref.minibatches,
    cases=_minibatch_cases,
    prepare=_first_batches,
    mistakes=[
        Mistake("not shuffled", _mb_in_order,
                "the batches come in the original order: shuffle first, with "
                "`order = rng.permutation(n)`, then take consecutive chunks of `order`."),
        Mistake("last partial batch dropped", _mb_drop_last,
                "the last, smaller batch is missing: when n is not a multiple of batch_size, "
                "the leftover samples form one more batch (`range(0, n, batch_size)` does it)."),
        Mistake("X and y shuffled separately", _mb_separate,
                "X and y were shuffled with two different permutations, so x_i no longer goes "
                "with its label y_i: draw ONE `order = rng.permutation(n)` and index both "
                "X[order] and y[order] with it."),
        Mistake("sampled with replacement", _mb_choice, _MB_REPLACEMENT),
        Mistake("sampled with replacement per batch", _mb_per_batch_choice, _MB_REPLACEMENT),
    ],
    diagnoses=[
        Diagnosis("endless generator", lambda got, *args: len(got) == _MAX_BATCHES,
         "your generator does not stop: after the last batch (start >= n) it must end, e.g. "
         "`for start in range(0, n, batch_size):` rather than a `while True:` loop."),
        Diagnosis("pairs broken", _pairs_broken,
         "some batch pairs rows of X with labels of other samples: index X and y with the same "
         "indices (one `order = rng.permutation(n)` for both)."),
        Diagnosis("repeated samples", _repeats, _MB_REPLACEMENT),
        Diagnosis("wrong batch sizes", _wrong_sizes,
         "every batch has batch_size samples, except the last, which holds what is left "
         "(slice `order[s:s + batch_size]` for s in range(0, n, batch_size))."),
    ],
    mutation_hint=("do not shuffle X or y in place (`rng.shuffle(X)` changes the caller's data): "
                   "shuffle indices, `order = rng.permutation(n)`, and index with them."),
    hints=("call `order = rng.permutation(n)` once (no other use of rng), then yield "
          "(X[order[s:s + batch_size]], y[order[s:s + batch_size]]) for s in "
          "range(0, n, batch_size).",),
))


# --------------------------------------------------------------------------------- sgd
def _sgd_data(rng: np.random.Generator, n: int, d: int) -> tuple[np.ndarray, np.ndarray]:
    X = np.column_stack([rng.normal(size=(n, d - 1)), np.ones(n)])
    y = (X[:, 0] + 0.5 * rng.normal(size=n) > 0).astype(float)
    return X, y


def _sgd_cases(rng: np.random.Generator) -> list[Case]:
    X1, y1 = _sgd_data(rng, 10, 3)
    X2, y2 = _sgd_data(rng, 24, 3)
    X3, y3 = _sgd_data(rng, 7, 2)
    return [
        Case("10 samples, batch_size 3, 3 epochs",
             (X1, y1, np.array([0.1, -0.2, 0.0]), 0.5, 3, 3, np.random.default_rng(5))),
        Case("24 samples, batch_size 8, 4 epochs",
             (X2, y2, np.zeros(3), 1.0, 8, 4, np.random.default_rng(6))),
        Case("7 samples, batch_size 1, 2 epochs",
             (X3, y3, np.array([0.3, 0.1]), 0.2, 1, 2, np.random.default_rng(7))),
        Case("7 samples, full batch (batch_size 7), 5 epochs",
             (X3, y3, np.zeros(2), 0.5, 7, 5, np.random.default_rng(8))),
    ]


def _sgd_generic(X, y, w0, learning_rate, batch_size, n_epochs, rng, *, step=None,
                 record=None, batches=None):
    """A configurable SGD loop to write its usual mistakes compactly."""
    w = np.array(w0, dtype=float)
    losses = []
    fixed = list(ref.minibatches(X, y, batch_size, rng)) if batches == "once" else None
    shared = ref.minibatches(X, y, batch_size, rng) if batches == "generator once" else None
    for _ in range(n_epochs):
        if record == "before":
            losses.append(ref.cross_entropy_loss(X, y, w))
        epoch = fixed or shared or ref.minibatches(X, y, batch_size, rng)
        batch_losses = []
        for X_batch, y_batch in epoch:
            w = (step or _plain_step)(w, X_batch, y_batch, learning_rate, X, y)
            batch_losses.append(ref.cross_entropy_loss(X_batch, y_batch, w))
        if record == "last batch":
            losses.append(batch_losses[-1] if batch_losses else float("nan"))
        elif record == "mean of batches":
            losses.append(float(np.mean(batch_losses)) if batch_losses else float("nan"))
        elif record != "before":
            losses.append(ref.cross_entropy_loss(X, y, w))
    return w, losses


def _plain_step(w, X_batch, y_batch, learning_rate, X, y):
    return w - learning_rate * ref.cross_entropy_gradient(X_batch, y_batch, w)


def _sgd_one_full_step(X, y, w0, learning_rate, batch_size, n_epochs, rng):
    return ref.sgd(X, y, w0, learning_rate, len(X), n_epochs, rng)


def _full_data_step(w, X_batch, y_batch, learning_rate, X, y):
    return w - learning_rate * ref.cross_entropy_gradient(X, y, w)


def _sgd_full_gradient_per_batch(X, y, w0, learning_rate, batch_size, n_epochs, rng):
    return _sgd_generic(X, y, w0, learning_rate, batch_size, n_epochs, rng,
                        step=_full_data_step)


def _sgd_batch_size_one(X, y, w0, learning_rate, batch_size, n_epochs, rng):
    return ref.sgd(X, y, w0, learning_rate, 1, n_epochs, rng)


_SGD_IGNORES_BATCH = (
    "the result does not depend on batch_size the way it should: call "
    "`minibatches(X, y, batch_size, rng)` every epoch and take one step per batch, with the "
    "gradient of that batch only: `cross_entropy_gradient(X_batch, y_batch, w)`.")
_SGD_BATCH_LOSS = (
    "losses[e] must be the loss on ALL the data after epoch e, `cross_entropy_loss(X, y, w)`, "
    "not the loss of a batch (too noisy to compare epochs).")

check_sgd = make_check(Exercise(
    name="sgd",
    uses=("minibatches", "cross_entropy_gradient", "cross_entropy_loss", "predict_proba",
          "sigmoid"),
    reference=ref.sgd,
    cases=_sgd_cases,
    outputs=("w", "losses"),
    mistakes=[
        Mistake("one full-batch step per epoch", _sgd_one_full_step, _SGD_IGNORES_BATCH),
        Mistake("full-data gradient for every batch", _sgd_full_gradient_per_batch,
                _SGD_IGNORES_BATCH),
        Mistake("always batch size 1", _sgd_batch_size_one, _SGD_IGNORES_BATCH),
        Mistake("records the last batch's loss",
                lambda *a: _sgd_generic(*a, record="last batch"), _SGD_BATCH_LOSS),
        Mistake("records the mean batch loss",
                lambda *a: _sgd_generic(*a, record="mean of batches"), _SGD_BATCH_LOSS),
        Mistake("records the loss before the epoch",
                lambda *a: _sgd_generic(*a, record="before"),
                "record the loss AFTER each epoch (here losses[e] is the loss after epoch e, "
                "unlike notebook 01's gradient_descent)."),
        Mistake("minibatches generator made once",
                lambda *a: _sgd_generic(*a, batches="generator once"),
                "only the first epoch trained: a generator can be iterated only once, so call "
                "`minibatches(X, y, batch_size, rng)` anew inside the epoch loop."),
        Mistake("batches shuffled once for all epochs",
                lambda *a: _sgd_generic(*a, batches="once"),
                "every epoch uses the same batches: call `minibatches(X, y, batch_size, rng)` "
                "inside the epoch loop, so each epoch is shuffled anew."),
        Mistake("step uphill",
                lambda *a: _sgd_generic(*a, step=lambda w, Xb, yb, lr, X, y:
                                        w + lr * ref.cross_entropy_gradient(Xb, yb, w)),
                "the step goes uphill: w = w - learning_rate * gradient."),
    ],
    tolerance=Tolerance(rtol=1e-6, atol=1e-9),
    hints=("for each epoch: for each (X_batch, y_batch) in minibatches(X, y, batch_size, rng): "
          "w = w - learning_rate * cross_entropy_gradient(X_batch, y_batch, w); then append "
          "cross_entropy_loss(X, y, w). Use the rng you are given (no new generator).",),
    mutation_hint="start with `w = w0.copy()` and update with `w = w - ...`, not `w -= ...`.",
))


# --------------------------------------------------------------------------------- accuracy
def _accuracy_cases(rng: np.random.Generator) -> list[Case]:
    y = rng.integers(0, 2, 50).astype(float)
    return [
        Case("hand-made: 4 samples", (np.array([1.0, 0.0, 1.0, 0.0]),
                                      np.array([0.9, 0.2, 0.4, 0.3]))),
        Case("random: 50 samples", (y, np.clip(0.3 * y + rng.uniform(0, 0.7, 50), 0, 1))),
        Case("p exactly 0.5 (counts as class 1)",
             (np.array([1.0, 1.0, 0.0, 0.0, 1.0, 0.0]), np.array([0.5, 0.5, 0.5, 0.1, 0.9, 0.3]))),
    ]


check_accuracy = make_check(Exercise(
    name="accuracy",
    reference=ref.accuracy,
    cases=_accuracy_cases,
    mistakes=[
        Mistake("threshold the wrong way", lambda y, p: float(np.mean((p < 0.5) == (y == 1))),
                "the threshold goes the wrong way: predict class 1 where p >= 0.5 (p is "
                "P(y = 1))."),
        Mistake("a count", lambda y, p: float(np.sum((p >= 0.5) == (y == 1))),
                "you return the number of correct predictions; accuracy is the fraction "
                "(np.mean of the matches), between 0 and 1."),
        Mistake("a percentage", lambda y, p: 100 * ref.accuracy(y, p),
                "return a fraction between 0 and 1, not a percentage."),
        Mistake("strictly greater", lambda y, p: float(np.mean((p > 0.5) == (y == 1))),
                "p = 0.5 counts as class 1: use p >= 0.5, not p > 0.5 (np.round also rounds "
                "0.5 down)."),
        Mistake("no threshold", lambda y, p: float(np.mean(p == y)),
                "compare labels with labels: threshold the probabilities first, (p >= 0.5)."),
    ],
    hints=("np.mean((p >= 0.5) == y): the fraction of samples where the thresholded p matches y.",),
))

