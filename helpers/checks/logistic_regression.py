"""Checks for notebook 02: logistic regression, cross-entropy and mini-batch SGD.

Each checker is a declaration on :mod:`helpers.checks.engine`: hand-made cases (small enough to
follow by hand), realistic inputs (integer arrays and Python numbers where the contract allows
floats, one sample, one feature, non-contiguous views ``X[:, ::2]``, predictions that round to
exactly 0 or 1 wherever a log or an exp appears), random cases drawn from a seeded generator, and
the usual mistakes of the exercise, each written as a tiny wrong implementation (or one that
raises the same error) with the hint that gets an attendee unstuck. Expected values come from
:mod:`helpers.reference.logistic_regression`.

Sizes are chosen so that the catalogued mistakes give different results from each other: the
hand-made loss and gradient data have n = 5 samples and d = 3 columns, so a sum (factor 5), a
division by n - 1 (factor 5/4) and a division by d (factor 5/3) are told apart.

The last three exercises are the notebook's challenges: mini-batch SGD with momentum (★), a
one-vs-rest classifier for several classes (★★) and one step of Newton's method (★★★).
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np

from helpers.checks.compare import Tolerance
from helpers.checks.engine import Case, Diagnosis, Exercise, Mistake, Note, make_check
from helpers.checks.source import calls, has_loop
from helpers.reference import logistic_regression as ref


def _stable_log_sigmoid(z: np.ndarray) -> np.ndarray:
    """log(sigmoid(z)) without overflow: ``-logaddexp(0, -z)``."""
    return -np.logaddexp(0.0, -z)


def _view(rng: np.random.Generator, n: int, columns: int, bias: bool = False) -> np.ndarray:
    """A non-contiguous (n, columns) view: every other column of a wider array (its last column
    of ones when ``bias``), as ``X[:, ::2]`` gives."""
    wide = rng.normal(size=(n, 2 * columns - 1))
    if bias:
        wide[:, -1] = 1.0
    view = wide[:, ::2]
    assert not view.flags.c_contiguous
    return view


_LOOP_NOTE = ("a Python loop over the entries works, but numpy computes the whole array in one "
              "vectorised expression, much faster on large data.")

# The same TypeError for math.exp, math.log and float() given an array: one hint for all three.
_MATH_ON_ARRAYS = (
    "a function made for single numbers (`math.exp`, `math.log`, `float(...)`) received an "
    "array: use numpy's elementwise functions (np.exp, np.log), which work on arrays of any "
    "shape and on single numbers too.")


# --------------------------------------------------------------------------------- sigmoid
def _sigmoid_cases(rng: np.random.Generator) -> list[Case]:
    return [
        Case("a Python float: z = 0.0", (0.0,)),
        Case("a Python float: z = 2.0", (2.0,)),
        Case("hand-made vector: z = -3, -1, 0, 0.5, 4", (np.array([-3.0, -1.0, 0.0, 0.5, 4.0]),)),
        Case("an integer array: z = [-2, 0, 3]", (np.array([-2, 0, 3]),)),
        Case("a Python int: z = 3", (3,)),
        Case("random 2-D array (3, 4)", (rng.normal(0.0, 3.0, (3, 4)),)),
        Case("a non-contiguous view Z[:, ::2], shape (3, 3)", (3.0 * _view(rng, 3, 3),)),
        Case("large |z| (overflow test): -1e4 ... 1e4",
             (np.array([-1e4, -800.0, -50.0, -1.0, 0.0, 1.0, 50.0, 800.0, 1e4]),)),
        Case("a large negative Python float: z = -1000.0", (-1000.0,)),
    ]


def _sigmoid_sign_flipped(z):
    return ref.sigmoid(-np.asarray(z, dtype=float))


def _sigmoid_math_exp(z):
    return 1.0 / (1.0 + math.exp(-z))


def _sigmoid_loop(z):
    return [1.0 / (1.0 + math.exp(-v)) for v in z]  # fails on a single number: not iterable


def _sigmoid_empty_like(z):
    z = np.asarray(z)
    result = np.empty_like(z)  # integer z: an integer array, every value cut to a whole number
    result[...] = ref.sigmoid(z)
    return result if result.ndim else result[()]


_INTEGER_RESULT = (
    "your result holds integers: np.empty_like(z) (like np.zeros_like(z), or writing into z "
    "itself) keeps z's dtype, so for integer input every probability is cut to 0 (or 1). Work "
    "on floats: convert z with np.asarray(z, dtype=float) first.")


def _integer_result(got, z) -> bool:
    return isinstance(got, np.ndarray | np.integer) and np.asarray(got).dtype.kind in "iub" \
        and np.asarray(z).dtype.kind in "iub"


_SIGMOID_OVERFLOW = (
    "np.exp(-z) overflows for large negative z (exp(1000) is inf). Use the stable form: "
    "exp(-|z|) never overflows, then 1 / (1 + e) where z >= 0 and e / (1 + e) where z < 0. "
    "Careful: `np.where(cond, a, b)` computes BOTH a and b for every entry, so each branch "
    "must be safe on its own (that is why it uses exp(-|z|)).")

check_sigmoid = make_check(Exercise(
    name="sigmoid",
    reference=ref.sigmoid,
    cases=_sigmoid_cases,
    mistakes=[
        Mistake("sign flipped", _sigmoid_sign_flipped,
                "the sign in the exponent is flipped: sigmoid(z) = 1 / (1 + exp(-z)), so "
                "sigmoid(2) is about 0.88 (large z gives a probability near 1)."),
        Mistake("loop over the entries", _sigmoid_loop,
                "you loop over the entries of z in Python: a single number cannot be iterated, "
                "and an array gives back a list. numpy's elementwise functions (np.exp...) "
                "handle a number and an array of any shape in one expression, no loop."),
        Mistake("math.exp", _sigmoid_math_exp, _MATH_ON_ARRAYS),
        Mistake("empty_like on integers", _sigmoid_empty_like, _INTEGER_RESULT),
    ],
    diagnoses=[Diagnosis("integer result", _integer_result, _INTEGER_RESULT)],
    notes=[Note("clipping", lambda fn: calls(fn, "np.clip"),
                "clipping z works here (exp no longer overflows); the e^(-|z|) form of the text "
                "needs no arbitrary bound and is exact for every z.")],
    warning_hints={"overflow": _SIGMOID_OVERFLOW, "invalid value": _SIGMOID_OVERFLOW},
    hints=(
        "the logistic function 1 / (1 + e^(-z)), applied to every entry: sigmoid(0) = 0.5, "
        "large positive z gives values near 1, large negative z values near 0. numpy's np.exp "
        "works on whole arrays and on single numbers alike, so no loop is needed.",
        "no overflow: only ever take exp of a number <= 0. With e = exp(-|z|), sigmoid(z) is "
        "one over (1 + e) where z >= 0, and e over (1 + e) where z < 0; np.where picks, entry "
        "by entry, between two arrays computed for every entry. Convert z to floats first, and "
        "give back a float for a single number.",
    ),
))


# --------------------------------------------------------------------------------- predict_proba
def _predict_cases(rng: np.random.Generator) -> list[Case]:
    X_int = np.array([[1, 2, 1], [-1, 0, 1], [0, -3, 1], [2, 1, 1], [3, -2, 1]])
    return [
        Case("hand-made: 4 samples, 3 columns (x1, x2, 1)",
             (np.array([[1.0, 2.0, 1.0], [-1.0, 0.5, 1.0], [0.0, -3.0, 1.0], [2.0, 1.0, 1.0]]),
              np.array([0.5, -1.0, 0.25]))),
        Case("hand-made: integer X and integer w, 5 samples", (X_int, np.array([1, -1, 0]))),
        Case("hand-made: one sample", (np.array([[2.0, -1.0, 1.0]]), np.array([0.5, 1.0, -2.0]))),
        Case("random: one feature (no bias column), 6 samples",
             (rng.normal(size=(6, 1)), rng.normal(size=1))),
        Case("random: a non-contiguous view X[:, ::2], 7 samples",
             (_view(rng, 7, 3, bias=True), rng.normal(size=3))),
        Case("random: 20 samples, 4 columns", (rng.normal(size=(20, 4)), rng.normal(size=4))),
        Case("confident predictions (|X @ w| up to 1000: p rounds to exactly 0 or 1)",
             (np.array([[10.0, 1.0], [-10.0, 1.0], [0.1, 1.0], [-0.1, 0.0]]),
              np.array([100.0, 0.0]))),
    ]


def _predict_math_exp(X, w):
    return 1.0 / (1.0 + math.exp(-(X @ w)))


def _predict_list(X, w):
    return [float(ref.sigmoid(x @ w)) for x in X]


_PREDICT_OVERFLOW = (
    "exp overflowed for a large score (this case has |X @ w| up to 1000). predict_proba should "
    "pass the scores to your stable `sigmoid` rather than write 1 / (1 + np.exp(-...)) again; "
    "if it already does, the overflow is in your `sigmoid`: `check_sigmoid(sigmoid)` says how "
    "to make it stable.")
_SAMPLES_ARE_ROWS = ("each ROW of X is a sample (n rows, d columns) and w has one weight per "
                     "column: the n scores are X @ w, shape (n,).")

_PREDICT_INTEGERS = (
    "your probabilities came back as integers (X and w hold integers here, and so does X @ w). "
    "If predict_proba only calls your sigmoid, the cause is there: a sigmoid that fills "
    "np.empty_like(z) keeps z's integer dtype (`check_sigmoid(sigmoid)` says how to fix it).")


def _integer_probabilities(got, X, w) -> bool:
    return isinstance(got, np.ndarray) and got.dtype.kind in "iub" and \
        np.asarray(X).dtype.kind in "iu" and np.asarray(w).dtype.kind in "iu"


check_predict_proba = make_check(Exercise(
    name="predict_proba",
    uses=("sigmoid",),
    reference=ref.predict_proba,
    cases=_predict_cases,
    mistakes=[
        Mistake("no sigmoid", lambda X, w: X @ w,
                "you return the scores X @ w, which are not probabilities (they can be "
                "negative or above 1): pass them through your `sigmoid`."),
        Mistake("hard labels", lambda X, w: (X @ w >= 0).astype(float),
                "you return hard 0/1 labels; predict_proba returns the probabilities "
                "themselves. Thresholding at 0.5 is `accuracy`'s job."),
        Mistake("probability of class 0", lambda X, w: 1.0 - ref.sigmoid(X @ w),
                "you return P(y = 0) = 1 - sigmoid(X @ w); return P(y = 1) = sigmoid(X @ w)."),
        Mistake("sigmoid before the product", lambda X, w: ref.sigmoid(X) @ w,
                "the sigmoid comes AFTER the product: first the scores X @ w (one per sample), "
                "then sigmoid of the scores."),
        Mistake("X.T @ w", lambda X, w: ref.sigmoid(X.T @ w), _SAMPLES_ARE_ROWS),
        Mistake("w @ X", lambda X, w: ref.sigmoid(w @ X), _SAMPLES_ARE_ROWS),
        Mistake("np.dot(X.T, w)", lambda X, w: ref.sigmoid(np.dot(X.T, w)), _SAMPLES_ARE_ROWS),
        Mistake("np.dot(w, X)", lambda X, w: ref.sigmoid(np.dot(w, X)), _SAMPLES_ARE_ROWS),
        Mistake("math.exp", _predict_math_exp, _MATH_ON_ARRAYS),
        Mistake("a list", _predict_list,
                "you return a Python list; return a numpy array of shape (n,). No loop is "
                "needed: X @ w gives every score at once and your sigmoid works elementwise."),
    ],
    diagnoses=[Diagnosis("integer probabilities", _integer_probabilities, _PREDICT_INTEGERS)],
    notes=[Note("loop", has_loop, _LOOP_NOTE)],
    warning_hints={"overflow": _PREDICT_OVERFLOW, "invalid value": _PREDICT_OVERFLOW},
    hints=(
        "one probability per sample: first each sample's linear score (one matrix product of "
        "the data and the weights gives all n of them), then squash the scores into (0, 1) "
        "with your sigmoid.",
        "shapes: X (n, d) times w (d,) gives the n scores, shape (n,); sigmoid works "
        "elementwise on the whole array, so no loop is needed. Return the probabilities "
        "themselves (floats), not 0/1 labels.",
    ),
))


# --------------------------------------------------------------------------------- cross-entropy
def _logistic_inputs(rng: np.random.Generator) -> list[tuple[str, tuple]]:
    """(label, (X, y, w)) for the loss and gradient checks."""
    X_hand = np.array([[1.0, 2.0, 1.0], [-1.0, 0.5, 1.0], [0.0, -3.0, 1.0], [2.0, 1.0, 1.0],
                       [0.5, -1.0, 1.0]])
    X_int = np.array([[1, 2, 1], [-1, 0, 1], [0, -3, 1], [2, 1, 1], [3, -2, 1], [-2, 2, 1]])
    X_view = _view(rng, 8, 3, bias=True)
    return [
        ("hand-made: 5 samples, 3 columns (x1, x2, 1)",
         (X_hand, np.array([1.0, 0.0, 0.0, 1.0, 1.0]), np.array([0.5, -0.25, 0.1]))),
        ("random: 30 samples, 4 columns",
         (rng.normal(size=(30, 4)), rng.integers(0, 2, 30).astype(float), rng.normal(size=4))),
        ("hand-made: integer X, integer labels and integer w, 6 samples",
         (X_int, np.array([1, 0, 0, 1, 1, 0]), np.array([1, -1, 0]))),
        ("hand-made: one sample", (np.array([[2.0, -1.0, 1.0]]), np.array([0.0]),
                                   np.array([0.5, 1.0, -0.5]))),
        ("random: one feature (no bias column), 7 samples",
         (rng.normal(size=(7, 1)), rng.integers(0, 2, 7).astype(float), rng.normal(size=1))),
        ("random: a non-contiguous view X[:, ::2], 8 samples",
         (X_view, rng.integers(0, 2, 8).astype(float), rng.normal(size=3))),
        # Confident AND correct predictions: p rounds to exactly 1.0 or 0.0 in float64, so the
        # formula as written takes log(0). Misclassified points stay at |z_lin| <= 15, where
        # clipping p to [1e-15, 1 - 1e-15] (a correct answer) changes nothing measurable.
        ("saturated predictions: sigmoid(X @ w) is exactly 0.0 or 1.0 for some samples",
         (np.array([[40.0, 1.0], [-800.0, 1.0], [2.0, 0.0], [-3.0, 1.0], [800.0, 0.0]]),
          np.array([1.0, 0.0, 0.0, 1.0, 1.0]), np.array([1.0, 0.5]))),
    ]


def _loss_cases(rng: np.random.Generator) -> list[Case]:
    return [Case(label, args) for label, args in _logistic_inputs(rng)]


_LOG0_HINT = (
    "for confident predictions p = sigmoid(z_lin) rounds to exactly 1.0 (z_lin above about 37) "
    "or 0.0 (below about -745), and then log(1 - p) or log(p) is log(0) = -inf (and 0 * -inf "
    "is nan). Either clip p into [1e-15, 1 - 1e-15] before taking logs (np.clip), or use the "
    "form of the loss in terms of z_lin derived in the text, where np.logaddexp(0, t) computes "
    "log(1 + e^t) without overflow.")


def _p(X, w):
    return ref.sigmoid(X @ w)


def _ce_terms(X, y, w):
    """Per-sample -y log p and -(1 - y) log(1 - p), computed stably."""
    z_lin = X @ w
    return -y * _stable_log_sigmoid(z_lin), -(1 - y) * _stable_log_sigmoid(-z_lin)


def _loss_per_sample(X, y, w):
    terms = _ce_terms(X, y, w)
    return terms[0] + terms[1]


def _loss_math_log(X, y, w):
    p = _p(X, w)
    return -np.mean(y * math.log(p) + (1 - y) * math.log(1 - p))


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
        Mistake("divided by n - 1",
                lambda X, y, w: float(np.sum(_loss_per_sample(X, y, w)) / (len(y) - 1)),
                "you divide by n - 1: the loss is the plain mean over the n samples, "
                "np.mean(...) (n - 1 belongs to the sample variance, not here)."),
        Mistake("divided by the number of features",
                lambda X, y, w: float(np.sum(_loss_per_sample(X, y, w)) / X.shape[1]),
                "you divide by X.shape[1], the number of features d; the number of samples n "
                "is X.shape[0] (or len(y)). np.mean over the per-sample losses does it for "
                "you."),
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
        Mistake("math.log", _loss_math_log, _MATH_ON_ARRAYS),
    ],
    notes=[
        Note("clipping", lambda fn: calls(fn, "np.clip"),
             "clipping p works; it caps a confidently wrong sample's loss at about 34.5, where "
             "the z_lin form with np.logaddexp is exact for every z_lin."),
        Note("loop", has_loop, _LOOP_NOTE),
    ],
    warning_hints={
        "overflow": ("exp overflowed for a large |z_lin|: log(1 + e^t) is np.logaddexp(0, t), "
                     "which never overflows; or compute p with your stable `sigmoid`."),
        "divide by zero": _LOG0_HINT,
        "invalid value": _LOG0_HINT,
    },
    hints=(
        "for each sample, the loss is minus the log of the probability the model gave to the "
        "TRUE class: -log p where y = 1, -log(1 - p) where y = 0. The loss is the mean of these "
        "numbers over the n samples: one float.",
        "with p = sigmoid(z_lin) and z_lin the sample's score, -[y log p + (1 - y) log(1 - p)] "
        "covers both classes at once. To stay finite when p rounds to exactly 0 or 1, clip p "
        "into [1e-15, 1 - 1e-15] before the logs, or use the form in terms of z_lin derived in "
        "the text.",
    ),
))


# --------------------------------------------------------------------------------- its gradient
def _gradient_cases(rng: np.random.Generator) -> list[Case]:
    return [Case(label, args) for label, args in _logistic_inputs(rng)]


def _gradient_math_exp(X, y, w):
    return X.T @ (1.0 / (1.0 + math.exp(-(X @ w))) - y) / len(y)


_GRADIENT_OVERFLOW = (
    "exp overflowed for a large |z_lin| (the saturated case): compute p with your stable "
    "`sigmoid` (or your predict_proba) instead of writing 1 / (1 + np.exp(-...)) again.")

check_cross_entropy_gradient = make_check(Exercise(
    name="cross_entropy_gradient",
    uses=("predict_proba", "sigmoid"),
    reference=ref.cross_entropy_gradient,
    cases=_gradient_cases,
    mistakes=[
        Mistake("y - p", lambda X, y, w: X.T @ (y - _p(X, w)) / len(y),
                "you use y - p, which is MINUS the gradient: X.T (y - p) / n is the gradient of "
                "the log-likelihood, the quantity gradient ASCENT climbs. The loss carries a "
                "minus sign, so its gradient is X.T @ (p - y) / n; with y - p, a descent step "
                "would climb the loss."),
        Mistake("no 1/n", lambda X, y, w: X.T @ (_p(X, w) - y),
                "divide by n: the loss is a mean over the samples, so its gradient is too."),
        Mistake("divided by n - 1", lambda X, y, w: X.T @ (_p(X, w) - y) / (len(y) - 1),
                "you divide by n - 1: the loss is the plain mean over the n samples, so its "
                "gradient is divided by n."),
        Mistake("divided by the number of features",
                lambda X, y, w: X.T @ (_p(X, w) - y) / X.shape[1],
                "you divide by X.shape[1], the number of features d; the number of samples n "
                "is X.shape[0] (or len(y))."),
        Mistake("no sigmoid", lambda X, y, w: X.T @ (X @ w - y) / len(y),
                "p is sigmoid(X @ w), not X @ w: apply the sigmoid before subtracting y."),
        Mistake("MSE gradient", lambda X, y, w: 2 / len(y) * X.T @ (X @ w - y),
                "that is notebook 01's MSE gradient: here it is X.T @ (sigmoid(X @ w) - y) / n."),
        Mistake("extra sigmoid derivative",
                lambda X, y, w: X.T @ ((_p(X, w) - y) * _p(X, w) * (1 - _p(X, w))) / len(y),
                "the factor p (1 - p) from the sigmoid's derivative cancels against the "
                "cross-entropy's 1 / (p (1 - p)): the gradient is just X.T @ (p - y) / n."),
        Mistake("X @ (p - y)", lambda X, y, w: X @ (_p(X, w) - y) / len(y),
                "X @ (p - y) pairs the samples' errors with the columns of X: the errors have "
                "one entry per sample (per ROW of X), so it is X.T @ (p - y), shape (d,)."),
        Mistake("math.exp", _gradient_math_exp, _MATH_ON_ARRAYS),
    ],
    notes=[Note("loop", has_loop, _LOOP_NOTE)],
    warning_hints={"overflow": _GRADIENT_OVERFLOW, "invalid value": _GRADIENT_OVERFLOW},
    hints=(
        "chain rule: differentiate one sample's loss log(1 + e^z) - y z with respect to its "
        "score z = z_lin (a simple expression in p and y), then the score x_i . w with respect "
        "to w (it is x_i). The gradient is the mean over the samples of their product.",
        "the derivative of a sample's loss with respect to its score is p_i - y_i (not "
        "y_i - p_i), so the gradient is (1/n) times the sum of (p_i - y_i) x_i: in matrix form, "
        "the transpose of X times the vector of errors, divided by n. Shape (d,), like w.",
    ),
))


# --------------------------------------------------------------------------------- accuracy
def _accuracy_cases(rng: np.random.Generator) -> list[Case]:
    y = rng.integers(0, 2, 50).astype(float)
    return [
        Case("hand-made: 4 samples", (np.array([1.0, 0.0, 1.0, 0.0]),
                                      np.array([0.9, 0.2, 0.4, 0.3]))),
        Case("hand-made: integer labels, 6 samples",
             (np.array([1, 0, 0, 1, 1, 0]), np.array([0.8, 0.6, 0.1, 0.45, 0.7, 0.2]))),
        Case("p exactly 0.5 (counts as class 1)",
             (np.array([1.0, 1.0, 0.0, 0.0, 1.0, 0.0]), np.array([0.5, 0.5, 0.5, 0.1, 0.9, 0.3]))),
        Case("hand-made: one sample", (np.array([0.0]), np.array([0.7]))),
        Case("random: 50 samples", (y, np.clip(0.3 * y + rng.uniform(0, 0.7, 50), 0, 1))),
    ]


def _accuracy_chained(y, p):
    return float(np.mean(p >= 0.5 == y))  # Python reads it as (p >= 0.5) and (0.5 == y)


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
        Mistake("chained comparison", _accuracy_chained,
                "Python chains comparisons: `p >= 0.5 == y` means `(p >= 0.5) and (0.5 == y)`, "
                "which numpy cannot decide for a whole array. Put parentheses around the "
                "threshold: `(p >= 0.5) == y`."),
        Mistake("divided by n - 1",
                lambda y, p: float(np.sum((p >= 0.5) == (y == 1)) / (len(y) - 1)),
                "you divide by n - 1: the accuracy is the number of correct predictions divided "
                "by n, the plain mean of the matches."),
    ],
    notes=[Note("loop", has_loop, _LOOP_NOTE)],
    hints=(
        "accuracy = (number of samples whose predicted class equals their label) / n, a "
        "fraction between 0 and 1. A sample's predicted class is 1 where its probability is at "
        "least 0.5, else 0.",
        "compare two arrays of the same shape elementwise (the thresholded probabilities and "
        "the labels, with parentheses around each comparison) and take the mean of the result: "
        "True counts as 1, False as 0. Return a float.",
    ),
))


# --------------------------------------------------------------------------------- features
def _quadratic_cases(rng: np.random.Generator) -> list[Case]:
    return [
        Case("hand-made: 3 points", (np.array([[1.0, 2.0], [3.0, -1.0], [0.5, 0.0]]),)),
        Case("hand-made: integer coordinates, 4 points",
             (np.array([[1, 2], [3, -1], [0, 4], [-2, -2]]),)),
        Case("hand-made: one point", (np.array([[2.0, -3.0]]),)),
        Case("random: a non-contiguous view X[:, ::2], 5 points", (_view(rng, 5, 2),)),
        Case("random: 10 points", (rng.normal(size=(10, 2)),)),
    ]


def _columns(X, *names):
    x1, x2 = X[:, 0], X[:, 1]
    table = {"x1": x1, "x2": x2, "x1^2": x1**2, "x2^2": x2**2, "x1x2": x1 * x2,
             "1": np.ones(len(X)), "2x1": 2 * x1, "2x2": 2 * x2}
    return np.column_stack([table[name] for name in names])


def _quadratic_ones_per_feature(X):
    x1, x2 = X[:, 0], X[:, 1]
    return np.column_stack([x1, x2, x1**2, x2**2, x1 * x2, np.ones(X.shape[1])])


def _quadratic_hstack(X):
    x1, x2 = X[:, 0], X[:, 1]
    return np.hstack([x1, x2, x1**2, x2**2, x1 * x2, np.ones(len(X))])


def _quadratic_rows(X):
    return [[a, b, a * a, b * b, a * b, 1.0] for a, b in X]


_SIX_COLUMNS = "six columns, in this order: x1, x2, x1**2, x2**2, x1*x2, 1."

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
                "the cross term x1 * x2 is missing: " + _SIX_COLUMNS),
        Mistake("bias missing", lambda X: _columns(X, "x1", "x2", "x1^2", "x2^2", "x1x2"),
                "the column of ones (the bias) is missing at the end."),
        Mistake("a square missing (x1)", lambda X: _columns(X, "x1", "x2", "x2^2", "x1x2", "1"),
                "x1**2 is missing: " + _SIX_COLUMNS),
        Mistake("a square missing (x2)", lambda X: _columns(X, "x1", "x2", "x1^2", "x1x2", "1"),
                "x2**2 is missing: " + _SIX_COLUMNS),
        Mistake("cross term before squares",
                lambda X: _columns(X, "x1", "x2", "x1x2", "x1^2", "x2^2", "1"),
                "right columns, wrong order: x1, x2, x1**2, x2**2, x1*x2, 1 (cross term after "
                "the squares)."),
        Mistake("times 2 instead of squared",
                lambda X: _columns(X, "x1", "x2", "2x1", "2x2", "x1x2", "1"),
                "`x * 2` doubles; squaring is `x ** 2`."),
        Mistake("ones per feature", _quadratic_ones_per_feature,
                "the column of ones needs one entry per SAMPLE: np.ones(len(X)) (or "
                "X.shape[0]); X.shape[1] is the number of features (2)."),
        Mistake("np.hstack of 1-D columns", _quadratic_hstack,
                "np.hstack puts 1-D arrays end to end into one long vector: use "
                "np.column_stack, which makes each 1-D array a column, to get shape (n, 6)."),
        Mistake("a list of rows", _quadratic_rows,
                "you return a Python list of rows; return a numpy array of shape (n, 6) "
                "(np.array(rows) converts it, but computing whole columns at once needs no "
                "loop)."),
    ],
    notes=[Note("loop", has_loop, _LOOP_NOTE)],
    hints=(
        "one row per point and six columns: the two inputs, their squares, their product, and "
        "a column of ones for the bias, in that order (bias last, as everywhere in the "
        "workshop).",
        "take the two input columns (each of shape (n,)), compute the three new columns "
        "elementwise, make a column of n ones, and stack the six side by side into shape "
        "(n, 6): np.column_stack takes a list of 1-D columns.",
    ),
))


# --------------------------------------------------------------------------------- minibatches
def _minibatch_cases(rng: np.random.Generator) -> list[Case]:
    # y holds each sample's index (and X's first column too), so pairs can be followed.
    def data(n, d):
        X = np.column_stack([np.arange(n, dtype=float), rng.normal(size=(n, d - 1))])
        return X, np.arange(n, dtype=float)

    wide = np.column_stack([np.arange(9, dtype=float), rng.normal(size=(9, 4))])
    return [
        Case("11 samples, batch_size 3 (the last batch has 2 samples)",
             (*data(11, 2), 3, np.random.default_rng(1))),
        Case("8 samples, batch_size 4", (*data(8, 3), 4, np.random.default_rng(2))),
        Case("5 samples, batch_size 10 (one batch of everything)",
             (*data(5, 2), 10, np.random.default_rng(3))),
        Case("7 samples, batch_size 1", (*data(7, 2), 1, np.random.default_rng(4))),
        Case("a non-contiguous view X[:, ::2], 9 samples, batch_size 4",
             (wide[:, ::2], np.arange(9, dtype=float), 4, np.random.default_rng(5))),
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


def _mb_stop_at_n_minus_1(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    return [(X[order[s:s + batch_size]], y[order[s:s + batch_size]])
            for s in range(0, len(X) - 1, batch_size)]


def _mb_features(X, y, batch_size, rng):
    return _chunks(X, y, rng.permutation(X.shape[1]), batch_size)


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
        Mistake("loop stops at n - 1", _mb_stop_at_n_minus_1,
                "the loop over the batch starts stops one sample early: with "
                "`range(0, n - 1, batch_size)` a last batch holding a single sample is lost. "
                "`range(0, n, batch_size)` visits every start."),
        Mistake("permutation of the features", _mb_features,
                "rng.permutation(X.shape[1]) shuffles the d FEATURES (columns); the samples are "
                "the rows: n = X.shape[0] (or len(X))."),
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
    hints=(
        "an epoch visits every sample exactly once, in a random order: shuffle the sample "
        "INDICES once (a single permutation of 0 ... n-1), then cut that order into consecutive "
        "chunks of batch_size; the last chunk may be smaller.",
        "rng.permutation(n) gives the shuffled indices (use rng for nothing else); the chunks "
        "start at 0, batch_size, 2 batch_size, ... while below n, and each chunk of indices "
        "selects rows of X and the same entries of y. Yield each (X_batch, y_batch) pair, or "
        "return a list of pairs.",
    ),
))


# --------------------------------------------------------------------------------- sgd
def _sgd_data(rng: np.random.Generator, n: int, d: int) -> tuple[np.ndarray, np.ndarray]:
    X = np.column_stack([rng.normal(size=(n, d - 1)), np.ones(n)])
    y = (X[:, 0] + 0.5 * rng.normal(size=n) > 0).astype(float)
    return X, y


_X_SGD_INT = np.array([[1, 2, 1], [-1, 0, 1], [0, -3, 1], [2, 1, 1], [3, -2, 1], [-2, 2, 1]])
_Y_SGD_INT = np.array([1, 0, 0, 1, 1, 0])


def _sgd_cases(rng: np.random.Generator) -> list[Case]:
    X1, y1 = _sgd_data(rng, 10, 3)
    X2, y2 = _sgd_data(rng, 24, 3)
    X3, y3 = _sgd_data(rng, 7, 2)
    X_view = _view(rng, 9, 3, bias=True)
    y_view = (X_view[:, 0] > 0).astype(float)
    return [
        Case("10 samples, batch_size 3, 3 epochs",
             (X1, y1, np.array([0.1, -0.2, 0.0]), 0.5, 3, 3, np.random.default_rng(5))),
        Case("24 samples, batch_size 8, 4 epochs",
             (X2, y2, np.zeros(3), 1.0, 8, 4, np.random.default_rng(6))),
        Case("7 samples, batch_size 1, 2 epochs",
             (X3, y3, np.array([0.3, 0.1]), 0.2, 1, 2, np.random.default_rng(7))),
        Case("7 samples, full batch (batch_size 7), 5 epochs",
             (X3, y3, np.zeros(2), 0.5, 7, 5, np.random.default_rng(8))),
        Case("integer X, labels and w0, 6 samples, batch_size 2, 2 epochs",
             (_X_SGD_INT, _Y_SGD_INT, np.array([0, 1, 0]), 0.5, 2, 2, np.random.default_rng(9))),
        Case("a non-contiguous view X[:, ::2], 9 samples, batch_size 4, 3 epochs",
             (X_view, y_view, np.zeros(3), 0.5, 4, 3, np.random.default_rng(10))),
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


def _sgd_in_place_on_copy(X, y, w0, learning_rate, batch_size, n_epochs, rng):
    # `w = w0.copy()` then `w -= ...`: an integer w0 raises numpy's casting error
    return _momentum(X, y, w0, learning_rate, batch_size, n_epochs, rng, 0.0,
                     update="sgd in place", in_place=True)


_SGD_IGNORES_BATCH = (
    "the result does not depend on batch_size the way it should: call "
    "`minibatches(X, y, batch_size, rng)` every epoch and take one step per batch, with the "
    "gradient of that batch only: `cross_entropy_gradient(X_batch, y_batch, w)`.")
_SGD_BATCH_LOSS = (
    "losses[e] must be the loss on ALL the data after epoch e, `cross_entropy_loss(X, y, w)`, "
    "not the loss of a batch (too noisy to compare epochs).")
_INTEGER_W0 = (
    "w0 holds integers here, and `w -= ...` writes floats into an integer array, which numpy "
    "refuses: start from a float copy, `w = np.array(w0, dtype=float)` (or w0.astype(float)), "
    "then `w = w - ...` or `w -= ...` both work.")

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
        Mistake("in-place step on an integer w0", _sgd_in_place_on_copy, _INTEGER_W0),
    ],
    tolerance=Tolerance(rtol=1e-6, atol=1e-9),
    hints=(
        "two nested loops: the epochs outside; inside, a fresh pass of your minibatches over "
        "the data (with the rng you are given: no new generator) and one gradient step per "
        "batch, with that batch's gradient only. After each epoch, record the loss on ALL the "
        "data.",
        "start from a float copy of w0 (never modify w0 itself); each step is w <- w - alpha "
        "times your cross_entropy_gradient on (X_batch, y_batch); after each epoch append "
        "cross_entropy_loss on the full X and y. Return the pair (w, losses), losses of length "
        "n_epochs.",
    ),
    mutation_hint="start with `w = np.array(w0, dtype=float)` (a float copy) and never write "
                  "into w0.",
))


# =========================================================================== challenges
# --------------------------------------------------------------------------------- momentum ★
def _momentum_cases(rng: np.random.Generator) -> list[Case]:
    X1, y1 = _sgd_data(rng, 10, 3)
    X2, y2 = _sgd_data(rng, 16, 3)
    return [
        Case("10 samples, batch_size 3, 3 epochs, beta 0.9",
             (X1, y1, np.array([0.1, -0.2, 0.0]), 0.3, 3, 3, np.random.default_rng(5), 0.9)),
        Case("16 samples, batch_size 4, 2 epochs, beta 0.5",
             (X2, y2, np.zeros(3), 0.5, 4, 2, np.random.default_rng(6), 0.5)),
        Case("beta 0 (plain SGD), 10 samples, batch_size 5, 2 epochs",
             (X1, y1, np.zeros(3), 0.5, 5, 2, np.random.default_rng(7), 0.0)),
        Case("integer X, labels and w0, 6 samples, batch_size 2, 2 epochs, beta 0.8",
             (_X_SGD_INT, _Y_SGD_INT, np.array([0, 1, 0]), 0.2, 2, 2, np.random.default_rng(8),
              0.8)),
    ]


def _momentum(X, y, w0, learning_rate, batch_size, n_epochs, rng, beta, *, update="classic",
              reset=None, in_place=False):
    """Momentum SGD with one piece changed: the usual mistakes are built from it.

    ``in_place``: ``w = w0.copy()`` (keeping an integer w0's dtype), then ``w += v``."""
    w = w0.copy() if in_place else np.array(w0, dtype=float)
    v = np.zeros(np.shape(w0))
    losses = []
    for _ in range(n_epochs):
        if reset == "epoch":
            v = np.zeros(np.shape(w0))
        for X_batch, y_batch in ref.minibatches(X, y, batch_size, rng):
            g = ref.cross_entropy_gradient(X_batch, y_batch, w)
            if update == "classic" and in_place:
                v = beta * v - learning_rate * g
                w += v
            elif update == "classic":
                v = beta * v - learning_rate * g
                w = w + v
            elif update == "average":  # v <- beta v + (1 - beta) g, w <- w - alpha v
                v = beta * v + (1 - beta) * g
                w = w - learning_rate * v
            elif update == "uphill":
                v = beta * v + learning_rate * g
                w = w + v
            elif update == "sgd in place":  # no velocity: plain SGD written with -=
                w -= learning_rate * g
            elif update == "old velocity":
                w = w + v
                v = beta * v - learning_rate * g
        losses.append(ref.cross_entropy_loss(X, y, w))
    return w, losses


_MOMENTUM_PLAIN = (
    "your result is plain SGD: the velocity must carry over from batch to batch (and from "
    "epoch to epoch), so create v = zeros once, before the epoch loop, and update it with "
    "v = beta * v - learning_rate * gradient at every batch.")

check_sgd_momentum = make_check(Exercise(
    name="sgd_momentum",
    challenge=True,
    uses=("minibatches", "cross_entropy_gradient", "cross_entropy_loss", "predict_proba",
          "sigmoid"),
    reference=ref.sgd_momentum,
    cases=_momentum_cases,
    outputs=("w", "losses"),
    mistakes=[
        Mistake("plain SGD", lambda X, y, w0, a, b, e, rng, beta: ref.sgd(X, y, w0, a, b, e, rng),
                _MOMENTUM_PLAIN),
        Mistake("velocity reset every epoch", lambda *a: _momentum(*a, reset="epoch"),
                "the velocity is reset at every epoch: create it once, before the epoch loop, "
                "so that it carries over from the last batch of one epoch to the next."),
        Mistake("average of the gradients", lambda *a: _momentum(*a, update="average"),
                "that is the 'moving average' form, v = beta v + (1 - beta) g and w = w - "
                "alpha v; this exercise (like notebook 05) uses v = beta * v - learning_rate * "
                "g, then w = w + v."),
        Mistake("velocity uphill", lambda *a: _momentum(*a, update="uphill"),
                "the velocity points uphill: v = beta * v - learning_rate * gradient (minus), "
                "then w = w + v."),
        Mistake("step with the old velocity", lambda *a: _momentum(*a, update="old velocity"),
                "update the velocity first, then move w with the NEW velocity: "
                "v = beta * v - learning_rate * g, then w = w + v."),
        Mistake("in-place step on an integer w0", lambda *a: _momentum(*a, in_place=True),
                _INTEGER_W0),
    ],
    hints=(
        "keep a velocity v (zeros shaped like w) that lives across every batch and every "
        "epoch: at each batch, first update v from its old value and the batch's gradient, "
        "then move w by v. After each epoch, record the loss on all the data, as in sgd.",
        "per batch: v <- beta v - alpha g (g the batch's gradient from your "
        "cross_entropy_gradient), then add v to w. Start v at zero once, before the epoch loop; "
        "with beta = 0 the result must be exactly your sgd's.",
    ),
    mutation_hint="start with `w = np.array(w0, dtype=float)` and never write into w0.",
))


# --------------------------------------------------------------------------------- one-vs-rest ★★
def _three_blobs(rng: np.random.Generator, n_per_class: int, n_classes: int = 3):
    centres = np.array([[0.0, 2.0], [-2.0, -1.0], [2.0, -1.0], [0.0, -3.0]])[:n_classes]
    X = np.concatenate([c + rng.normal(size=(n_per_class, 2)) for c in centres])
    y = np.repeat(np.arange(n_classes), n_per_class)
    return np.column_stack([X, np.ones(len(X))]), y


def _one_vs_rest_cases(rng: np.random.Generator) -> list[Case]:
    X_hand = np.array([[0.0, 2.0, 1.0], [0.5, 1.5, 1.0], [-2.0, -1.0, 1.0], [-1.5, -0.5, 1.0],
                       [2.0, -1.0, 1.0], [1.5, -1.5, 1.0]])
    y_hand = np.array([0, 0, 1, 1, 2, 2])
    X_r, y_r = _three_blobs(rng, 10)
    X_4, y_4 = _three_blobs(rng, 5, n_classes=4)
    return [
        Case("hand-made: 6 samples, 3 classes, 5 iterations", (X_hand, y_hand, 3, 0.5, 5)),
        Case("random: 30 samples, 3 classes, 20 iterations", (X_r, y_r, 3, 0.5, 20)),
        Case("random: 20 samples, 4 classes, labels as floats, 10 iterations",
             (X_4, y_4.astype(float), 4, 1.0, 10)),
        Case("hand-made: 0 iterations (the starting weights)", (X_hand, y_hand, 3, 0.5, 0)),
    ]


def _ovr(X, y, n_classes, learning_rate, n_iter, *, labels=lambda y, k: (y == k).astype(float),
         reset=True, extra=0):
    W = np.zeros((X.shape[1], n_classes))
    w = np.zeros(X.shape[1])
    for k in range(n_classes):
        if reset:
            w = np.zeros(X.shape[1])
        y_k = labels(np.asarray(y), k)
        for _ in range(n_iter + extra):
            w = w - learning_rate * ref.cross_entropy_gradient(X, y_k, w)
        W[:, k] = w
    return W


check_one_vs_rest = make_check(Exercise(
    name="one_vs_rest",
    challenge=True,
    uses=("cross_entropy_gradient", "predict_proba", "sigmoid"),
    reference=ref.one_vs_rest,
    cases=_one_vs_rest_cases,
    mistakes=[
        Mistake("labels not made binary",
                lambda *a: _ovr(*a, labels=lambda y, k: y.astype(float)),
                "each binary problem needs 0/1 labels: 1 for the samples of class k, 0 for all "
                "the others, `(y == k).astype(float)`. Training on y itself (0, 1, 2, ...) gives "
                "every column the same weights."),
        Mistake("weights not reset per class", lambda *a: _ovr(*a, reset=False),
                "every class starts from zero weights: create `w = np.zeros(d)` inside the loop "
                "over the classes, not once before it."),
        Mistake("classes off by one", lambda *a: _ovr(*a, labels=lambda y, k: (y == k + 1)
                                                      .astype(float)),
                "the classes are numbered from 0: column k is trained on (y == k) for k in "
                "range(n_classes)."),
        Mistake("one step too many", lambda *a: _ovr(*a, extra=1),
                "take exactly n_iter gradient steps per class (`for _ in range(n_iter)`)."),
        Mistake("(n_classes, d)", lambda *a: ref.one_vs_rest(*a).T,
                "W has one COLUMN per class, shape (d, n_classes): a sample's scores for every "
                "class are then x @ W. Stack the weight vectors as columns (W[:, k] = w)."),
        Mistake("labels inverted",
                lambda *a: _ovr(*a, labels=lambda y, k: (y != k).astype(float)),
                "the labels are inverted: class k is the positive class (1) of its own binary "
                "problem, every other class is 0."),
    ],
    hints=(
        "K separate binary problems: for class k, relabel the samples (1 for class k, 0 for "
        "every other class) and train one logistic regression on those labels from zero "
        "weights; its weights become column k of W.",
        "for each class k: 0/1 labels from the comparison of y with k (as floats), w from "
        "zeros, then n_iter steps of w <- w - alpha times your cross_entropy_gradient on ALL of "
        "X with those labels; store w as column k. W has shape (d, n_classes).",
    ),
))


# --------------------------------------------------------------------------------- Newton ★★★
def _newton_cases(rng: np.random.Generator) -> list[Case]:
    X_hand = np.array([[1.0, 2.0, 1.0], [-1.0, 0.5, 1.0], [0.0, -3.0, 1.0], [2.0, 1.0, 1.0],
                       [0.5, -1.0, 1.0], [-2.0, -0.5, 1.0]])
    y_hand = np.array([1.0, 1.0, 0.0, 0.0, 1.0, 0.0])  # no line separates them
    X_int = np.array([[1, 2, 1], [-1, 0, 1], [0, -3, 1], [2, 1, 1], [3, -2, 1], [-2, 2, 1],
                      [1, -1, 1]])
    y_int = np.array([1, 0, 1, 0, 1, 1, 0])
    X_view = _view(rng, 12, 3, bias=True)
    X_rand = rng.normal(size=(40, 4))
    return [
        Case("hand-made: 6 samples, 3 columns, from w = (0.5, -0.5, 0.2)",
             (X_hand, y_hand, np.array([0.5, -0.5, 0.2]))),
        Case("hand-made: the same 6 samples, from w = 0", (X_hand, y_hand, np.zeros(3))),
        Case("hand-made: integer X and labels, 7 samples, integer w = 0",
             (X_int, y_int, np.zeros(3, dtype=int))),
        Case("random: one feature and the bias column, 9 samples",
             (np.column_stack([rng.normal(size=9), np.ones(9)]),
              np.array([1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 0.0, 1.0]), np.array([0.3, -0.1]))),
        Case("random: a non-contiguous view X[:, ::2], 12 samples",
             (X_view, rng.integers(0, 2, 12).astype(float), 0.1 * rng.normal(size=3))),
        Case("random: 40 samples, 4 columns", (X_rand, rng.integers(0, 2, 40).astype(float),
                                               0.2 * rng.normal(size=4))),
    ]


def _newton(X, y, w, *, weights=lambda p: p * (1 - p), h_scale=None, g_scale=None, sign=-1.0,
            step_only=False):
    """A Newton step with one piece changed: the usual mistakes are built from it."""
    n = X.shape[0]
    p = ref.sigmoid(X @ w)
    g = X.T @ (p - y) / (n if g_scale is None else g_scale)
    H = (X.T * weights(p)) @ X / (n if h_scale is None else h_scale)
    step = np.linalg.solve(H, g)
    return step if step_only else w + sign * step


def _newton_row_scaling(X, y, w):
    p = ref.sigmoid(X @ w)
    H = (X * (p * (1 - p))).T @ X / len(y)  # (n, d) * (n,): broadcasts only if d == n
    return w - np.linalg.solve(H, X.T @ (p - y) / len(y))


check_newton_step = make_check(Exercise(
    name="newton_step",
    challenge=True,
    uses=("cross_entropy_gradient", "predict_proba", "sigmoid"),
    reference=ref.newton_step,
    cases=_newton_cases,
    mistakes=[
        Mistake("step uphill", lambda X, y, w: _newton(X, y, w, sign=1.0),
                "the step goes the wrong way: w_new = w - H^-1 g (solve H s = g, then "
                "subtract s)."),
        Mistake("the step only", lambda X, y, w: _newton(X, y, w, step_only=True),
                "you return the step s = H^-1 g itself; return the new weights w - s."),
        Mistake("no p (1 - p)", lambda X, y, w: _newton(X, y, w, weights=lambda p: np.ones_like(p)),
                "the Hessian weighs each sample by p_i (1 - p_i), the derivative of the "
                "sigmoid: H = X.T @ (X * (p * (1 - p))[:, None]) / n, not X.T @ X / n."),
        Mistake("p instead of p (1 - p)", lambda X, y, w: _newton(X, y, w, weights=lambda p: p),
                "the derivative of p_i = sigmoid(z_i) with respect to z_i is p_i (1 - p_i), "
                "not p_i: weigh each sample's x_i x_i^T by p_i (1 - p_i)."),
        Mistake("1/n only in the gradient", lambda X, y, w: _newton(X, y, w, h_scale=1.0),
                "the gradient and the Hessian are both means over the samples: divide both by "
                "n (or neither: the n then cancels in H^-1 g)."),
        Mistake("1/n only in the Hessian", lambda X, y, w: _newton(X, y, w, g_scale=1.0),
                "the gradient and the Hessian are both means over the samples: divide both by "
                "n (or neither: the n then cancels in H^-1 g)."),
        Mistake("a gradient step", lambda X, y, w: w - ref.cross_entropy_gradient(X, y, w),
                "that is a gradient-descent step (learning rate 1): Newton's step multiplies the "
                "gradient by the INVERSE Hessian, w - H^-1 g (np.linalg.solve(H, g))."),
        Mistake("rows scaled by broadcasting (n, d) * (n,)", _newton_row_scaling,
                "p (1 - p) has one entry per sample, i.e. per ROW of X: scale the rows with "
                "X * s[:, None] (a column), or the columns of X.T with X.T * s. X * s tries to "
                "pair s with the d columns."),
    ],
    notes=[
        Note("inverse", lambda fn: calls(fn, "np.linalg.inv"),
             "np.linalg.inv works; np.linalg.solve(H, g) is faster and more accurate (notebook "
             "01): prefer it."),
        Note("np.diag", lambda fn: calls(fn, "np.diag"),
             "np.diag(s) builds an n x n matrix that is almost all zeros: fine for small n, but "
             "X.T * s (or X * s[:, None]) scales the rows without it."),
    ],
    hints=(
        "Newton's method fits a quadratic to the loss around w and jumps to its minimum: "
        "w_new = w - H^-1 g, with g the gradient and H the Hessian, the matrix of second "
        "derivatives. Differentiate the gradient (1/n) sum (p_i - y_i) x_i once more with "
        "respect to w.",
        "d p_i / d w = p_i (1 - p_i) x_i, so H = (1/n) sum p_i (1 - p_i) x_i x_i^T, shape "
        "(d, d): X transposed, times X with each row scaled by p_i (1 - p_i), divided by n. "
        "Solve H s = g with np.linalg.solve (no inverse) and return w - s.",
    ),
))
