"""Checks for notebook 01, linear regression and gradient descent.

Each checker is a declaration on :mod:`helpers.checks.engine`: hand-made cases (small enough to
verify by hand, sized so that the usual mistakes give different results: n != d, d != 2),
realistic inputs (integer arrays, one sample, one feature), random cases drawn from a seeded
generator, and the usual mistakes of the exercise, each written as a tiny wrong implementation
with the hint that gets an attendee unstuck. Expected values come from
:mod:`helpers.reference.linear_regression`.
"""

from __future__ import annotations

import numpy as np

from helpers.checks.compare import Tolerance
from helpers.checks.engine import Case, Diagnosis, Exercise, Mistake, Note, make_check
from helpers.checks.source import calls, has_loop
from helpers.reference import linear_regression as ref

# Section 6 of the notebook times a Python loop against the vectorised gradient on 10,000
# samples; tests/test_checks_linear_regression.py asserts the factor stated here.
LOOP_NOTE = Note(
    "python loop",
    has_loop,
    "a Python loop gives the right numbers, but the notebook asks for the vectorised form "
    "(whole-array operations, no loop over samples): section 6 times a loop over 10,000 "
    "samples against the vectorised gradient, and the loop is more than 100 times slower.",
)


def _ones(n: int) -> np.ndarray:
    return np.ones((n, 1))


def _integer_result(got, *args) -> bool:
    """The result holds integers although the expected one does not (a dtype inherited)."""
    return isinstance(got, np.ndarray) and got.dtype.kind in "iu"


# --------------------------------------------------------------------------- add_bias
def _add_bias_cases(rng: np.random.Generator) -> list[Case]:
    return [
        Case("hand-made: 3 samples, 2 features", (np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]),)),
        Case("hand-made: 1 sample, 1 feature", (np.array([[7.0]]),)),
        Case("integer X: 4 nights, 1 feature (people)", (np.array([[4], [6], [3], [8]]),)),
        Case("random: 5 samples, 1 feature", (rng.normal(size=(5, 1)),)),
        Case("random: 4 samples, 3 features", (rng.normal(size=(4, 3)),)),
    ]


check_add_bias = make_check(Exercise(
    name="add_bias",
    reference=ref.add_bias,
    cases=_add_bias_cases,
    mistakes=[
        Mistake("ones first", lambda X: np.hstack([_ones(X.shape[0]), X]),
                "the column of ones goes LAST (`np.hstack([X, ones])`), so that the last weight "
                "is the bias: the ones are in the first column here."),
        Mistake("zeros", lambda X: np.hstack([X, np.zeros((X.shape[0], 1))]),
                "the bias column is made of ones (`np.ones((n, 1))`), not zeros: a column of "
                "zeros would multiply the bias by 0."),
        Mistake("row of ones", lambda X: np.vstack([X, np.ones((1, X.shape[1]))]),
                "you appended a ROW of ones (a new sample); append a COLUMN instead: "
                "`np.hstack([X, np.ones((X.shape[0], 1))])`."),
        Mistake("replace last column", lambda X: np.hstack([X[:, :-1], _ones(X.shape[0])]),
                "the ones must be an extra column (d + 1 columns in all), not replace the last "
                "feature."),
        Mistake("ones per feature", lambda X: np.hstack([X, np.ones((X.shape[1], 1))]),
                "the column of ones needs one entry per SAMPLE, `X.shape[0]` of them (you used "
                "`X.shape[1]`, the number of features): `np.ones((X.shape[0], 1))`."),
        Mistake("1-D ones", lambda X: np.hstack([X, np.ones(X.shape[0])]),
                "`np.ones(n)` is 1-D and cannot stand beside the 2-D X: make it a column, "
                "`np.ones((n, 1))`, or use `np.column_stack`."),
    ],
    hints=(
        "the bias is one more weight whose input is always 1: every sample (row) gets one "
        "extra feature equal to 1, placed after the others.",
        "the result has shape (n, d + 1): the d columns of X, then a column of n ones (shape "
        "(n, 1)); numpy stacks 2-D arrays side by side horizontally. Build a new array rather "
        "than writing into X.",
    ),
    mutation_hint="build a new array (`np.hstack([X, ones])`) instead of writing into X.",
))


# --------------------------------------------------------------------------- predict
def _predict_cases(rng: np.random.Generator) -> list[Case]:
    return [
        Case("hand-made: 3 samples, 2 weights (x and the bias)",
             (np.array([[1.0, 1.0], [2.0, 1.0], [4.0, 1.0]]), np.array([2.0, 0.5]))),
        Case("integer X (people and the bias), float weights",
             (np.array([[4, 1], [6, 1], [3, 1], [8, 1]]), np.array([-1.5, 25.0]))),
        Case("hand-made: 1 sample, 3 weights", (np.array([[1.0, -2.0, 1.0]]),
                                                np.array([0.5, 0.25, 3.0]))),
        Case("random: square X, 3 samples, 3 weights", (rng.normal(size=(3, 3)),
                                                        rng.normal(size=3))),
        Case("random: 6 samples, 4 weights", (rng.normal(size=(6, 4)), rng.normal(size=4))),
    ]


check_predict = make_check(Exercise(
    name="predict",
    reference=ref.predict,
    cases=_predict_cases,
    mistakes=[
        Mistake("w @ X", lambda X, w: w @ X,
                "`w @ X` computes `X.T @ w` (it only runs when X is square): write `X @ w`, "
                "one row of X per sample."),
        Mistake("elementwise", lambda X, w: X * w,
                "`X * w` multiplies elementwise and leaves an (n, d) array: the prediction is "
                "the matrix product `X @ w` (the sum over features), shape (n,)."),
        Mistake("column", lambda X, w: X @ w.reshape(-1, 1),
                "`w` has shape (d,), so `X @ w` is already (n,): do not reshape w into a column."),
        Mistake("sum of everything", lambda X, w: np.sum(X @ w),
                "return one prediction per sample, shape (n,), not their sum."),
    ],
    notes=[LOOP_NOTE],
    hints=(
        "each prediction is the dot product of one sample (a row of X) with the weights: one "
        "number per sample.",
        "one matrix-vector product gives all n predictions at once: (n, d + 1) times (d + 1,) is "
        "(n,). "
        "numpy has an operator for the matrix product.",
    ),
))


# --------------------------------------------------------------------------- mse_loss
def _mse_loss_cases(rng: np.random.Generator) -> list[Case]:
    X = rng.normal(size=(8, 3))
    return [
        # residuals 1, -1, 2: MSE = (1 + 1 + 4) / 3 = 2
        Case("hand-made: residuals 1, -1, 2 (MSE 2)",
             (np.array([[1.0, 1.0], [2.0, 1.0], [3.0, 1.0]]), np.array([2.0, 5.0, 3.0]),
              np.array([1.0, 2.0]))),
        Case("hand-made: perfect fit (MSE 0)",
             (np.array([[1.0, 1.0], [2.0, 1.0]]), np.array([3.0, 5.0]), np.array([2.0, 1.0]))),
        # residuals 1, -2, 4, 0: MSE = 21 / 4
        Case("integer X, y and w (MSE 5.25)",
             (np.array([[4, 1], [6, 1], [3, 1], [8, 1]]), np.array([20, 15, 21, 12]),
              np.array([-1, 25]))),
        Case("hand-made: 1 sample (residual 3, MSE 9)",
             (np.array([[2.0, 1.0]]), np.array([1.0]), np.array([1.0, 2.0]))),
        Case("random: 8 samples, 3 weights", (X, X @ rng.normal(size=3) + rng.normal(size=8),
                                              rng.normal(size=3))),
    ]


check_mse_loss = make_check(Exercise(
    name="mse_loss",
    uses=("predict",),
    reference=ref.mse_loss,
    cases=_mse_loss_cases,
    mistakes=[
        Mistake("sum", lambda X, y, w: float(np.sum((X @ w - y) ** 2)),
                "you summed the squared errors; the MSE is their MEAN (`np.mean`, or divide the "
                "sum by n)."),
        Mistake("rmse", lambda X, y, w: float(np.sqrt(np.mean((X @ w - y) ** 2))),
                "you returned the root of the MSE (RMSE): drop the `np.sqrt`."),
        # (X @ w)[:, None] - y and X @ w - y[:, None] give transposed matrices, the same mean
        Mistake("(n, n) broadcast", lambda X, y, w: float(np.mean((X @ w[:, None] - y) ** 2)),
                "an (n, 1) column minus an (n,) vector (or the other way round) broadcasts to "
                "an (n, n) matrix, so the mean runs over n * n differences: keep predictions "
                "and y both 1-D, shape (n,) (`X @ w` with w of shape (d,), or `.ravel()`)."),
        Mistake("half", lambda X, y, w: float(np.mean((X @ w - y) ** 2) / 2),
                "you divided by 2 (a convention some books use): this workshop's MSE is "
                "`mean((X @ w - y) ** 2)`, without 1/2."),
        Mistake("not squared", lambda X, y, w: float(np.mean(X @ w - y)),
                "square the errors before averaging: positive and negative errors must not "
                "cancel."),
        Mistake("square of the mean", lambda X, y, w: float(np.mean(X @ w - y) ** 2),
                "you squared the MEAN residual: square each residual first, then average "
                "(`np.mean((X @ w - y) ** 2)`), or positive and negative errors cancel."),
        Mistake("absolute", lambda X, y, w: float(np.mean(np.abs(X @ w - y))),
                "that is the mean ABSOLUTE error: square the errors instead of `np.abs`."),
        Mistake("divided by d", lambda X, y, w: float(np.sum((X @ w - y) ** 2) / X.shape[1]),
                "n is the number of SAMPLES, `X.shape[0]` (or `len(y)`): you divided by the "
                "number of weights, `X.shape[1]`."),
    ],
    notes=[LOOP_NOTE],
    hints=(
        "the loss is one number: for every sample the residual (prediction minus target), "
        "squared, then the average over the n samples.",
        "shapes: predictions (n,) minus y (n,) gives n residuals; square them elementwise, then "
        "take their mean, a single float.",
    ),
))


# --------------------------------------------------------------------------- normal_equation
def _normal_equation_cases(rng: np.random.Generator) -> list[Case]:
    X = ref.add_bias(rng.normal(size=(12, 2)))
    return [
        # y = 2 x + 1 exactly: the solution is w = [2, 1]
        Case("hand-made: points on the line y = 2x + 1",
             (np.array([[0.0, 1.0], [1.0, 1.0], [2.0, 1.0], [3.0, 1.0]]),
              np.array([1.0, 3.0, 5.0, 7.0]))),
        # (0, 0), (1, 2), (2, 1): slope 0.5 and intercept 0.5 minimise the MSE
        Case("hand-made: 3 points not on a line",
             (np.array([[0.0, 1.0], [1.0, 1.0], [2.0, 1.0]]), np.array([0.0, 2.0, 1.0]))),
        Case("integer X and y: 5 nights (people, the bias) and whole euros",
             (np.array([[4, 1], [6, 1], [3, 1], [6, 1], [8, 1]]), np.array([20, 14, 24, 14, 13]))),
        # one weight, no bias: w = sum(x y) / sum(x x) = (2 + 8 + 18) / (1 + 4 + 9) = 2
        Case("hand-made: 1 feature, no bias (a line through 0)",
             (np.array([[1.0], [2.0], [3.0]]), np.array([2.0, 4.0, 6.0]))),
        Case("random: 12 samples, 3 weights", (X, X @ np.array([0.5, -1.0, 2.0])
                                               + 0.3 * rng.normal(size=12))),
    ]


check_normal_equation = make_check(Exercise(
    name="normal_equation",
    reference=ref.normal_equation,
    cases=_normal_equation_cases,
    mistakes=[
        Mistake("solved X w = y", lambda X, y: np.linalg.solve(X, y),
                "you solved (or inverted) X itself, but X is (n, d + 1), with more samples than "
                "weights: not square, so X w = y has no exact solution. The normal equation is "
                "the square (d + 1) x (d + 1) system you get by multiplying both sides by X^T: "
                "`np.linalg.solve(X.T @ X, X.T @ y)`."),
        Mistake("right-hand side y", lambda X, y: np.linalg.solve(X.T @ X, y),
                "the left-hand side X^T X is right, but the right-hand side must be multiplied "
                "by X^T too: `X.T @ y` (one entry per weight), not y (one entry per sample)."),
        Mistake("X X^T", lambda X, y: np.linalg.solve(X @ X.T, X.T @ y),
                "`X @ X.T` is (n, n); the normal equation needs the (d + 1, d + 1) matrix "
                "`X.T @ X`, one row per weight."),
        Mistake("forgot y", lambda X, y: np.linalg.inv(X.T @ X) @ X.T,
                "you return the matrix (X^T X)^-1 X^T: apply it to y, or better, "
                "`np.linalg.solve(X.T @ X, X.T @ y)`."),
        Mistake("elementwise division", lambda X, y: (X.T @ y) / (X.T @ X),
                "dividing by a matrix elementwise is not solving a system: use "
                "`np.linalg.solve(X.T @ X, X.T @ y)`."),
        Mistake("diagonal only", lambda X, y: (X.T @ y) / np.diag(X.T @ X),
                "dividing by the diagonal of X^T X ignores how features interact: solve the "
                "whole system with `np.linalg.solve(X.T @ X, X.T @ y)`."),
    ],
    hints=(
        "X w = y has n equations (one per sample) for d + 1 unknowns (one per weight) and in "
        "general no exact solution. Multiplying both sides by the transpose of X gives a square "
        "system, one equation per weight, whose solution minimises the MSE: the normal equation.",
        "build the (d + 1, d + 1) matrix X^T X and the (d + 1,) vector X^T y, then let numpy's "
        "linear solver find w: np.linalg.solve(A, b) returns the w with A w = b, without "
        "inverting A.",
    ),
    tolerance=Tolerance(rtol=1e-6, atol=1e-8),
    notes=[
        Note("inverse", lambda fn: calls(fn, "np.linalg.inv"),
             "`np.linalg.inv` passes on these small, well-conditioned systems, but solving is "
             "preferred: `np.linalg.solve(X.T @ X, X.T @ y)` never forms the inverse. Section 5 "
             "measures the difference on a badly conditioned X^T X: the inverse's answer "
             "satisfies the equations far less accurately."),
    ],
))


# --------------------------------------------------------------------------- mse_gradient
def _mse_gradient_cases(rng: np.random.Generator) -> list[Case]:
    X = rng.normal(size=(7, 3))
    return [
        # residuals 1, -1, 2, 0: gradient = 2/4 * X.T @ [1, -1, 2, 0] = [2.5, 0.5, 1]
        # (4 samples and 3 weights, so that 2 / n, 2 / d and a missing factor all differ)
        Case("hand-made: 4 samples, 3 weights",
             (np.array([[1.0, 0.0, 1.0], [2.0, 1.0, 1.0], [3.0, 1.0, 1.0], [0.0, 2.0, 1.0]]),
              np.array([1.0, 6.0, 4.0, 5.0]), np.array([1.0, 2.0, 1.0]))),
        # residuals 1, 0, 4: gradient = 2/3 * [17, 5], floats although every input is an integer
        Case("integer X, y and w: 3 samples, 2 weights",
             (np.array([[1, 1], [2, 1], [4, 1]]), np.array([2, 5, 5]), np.array([2, 1]))),
        Case("hand-made: 1 sample, 2 weights", (np.array([[3.0, 1.0]]), np.array([2.0]),
                                                np.array([1.0, 0.5]))),
        Case("random: 5 samples, 1 weight (no bias)", (rng.normal(size=(5, 1)),
                                                       rng.normal(size=5), rng.normal(size=1))),
        Case("random: 7 samples, 3 weights", (X, rng.normal(size=7), rng.normal(size=3))),
        Case("random: 4 samples, 4 weights", (rng.normal(size=(4, 4)), rng.normal(size=4),
                                              rng.normal(size=4))),
    ]


def _residual(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    return X @ w - y


def _gradient_into_zeros_like(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """An accumulator made with ``np.zeros_like(w)``: with integer w, ``+=`` of floats raises."""
    gradient = np.zeros_like(w)
    for i in range(X.shape[0]):
        gradient += 2 / X.shape[0] * (X[i] @ w - y[i]) * X[i]
    return gradient


check_mse_gradient = make_check(Exercise(
    name="mse_gradient",
    uses=("predict",),
    reference=ref.mse_gradient,
    cases=_mse_gradient_cases,
    mistakes=[
        Mistake("no 2/n", lambda X, y, w: X.T @ _residual(X, y, w),
                "the factor 2 / n is missing: the slide drops it (the learning rate absorbs "
                "it), but the exact gradient of the MSE is `2 / n * X.T @ (X @ w - y)`."),
        Mistake("no 2", lambda X, y, w: X.T @ _residual(X, y, w) / X.shape[0],
                "the factor 2 from differentiating the square is missing: "
                "`2 / n * X.T @ (X @ w - y)`."),
        Mistake("no 1/n", lambda X, y, w: 2 * X.T @ _residual(X, y, w),
                "divide by n: the loss is a mean, so its gradient is one too "
                "(`2 / n * ...`)."),
        Mistake("2/d", lambda X, y, w: 2 / X.shape[1] * X.T @ _residual(X, y, w),
                "you have the factor 2 / n, but with the wrong n: n is the number of SAMPLES, "
                "`X.shape[0]` (or `len(y)`); `X.shape[1]` is the number of weights."),
        Mistake("flipped sign", lambda X, y, w: 2 / X.shape[0] * X.T @ (y - X @ w),
                "the sign is flipped: with the residual `y - X @ w` the gradient needs a minus "
                "sign; use `X @ w - y` (prediction minus target)."),
        Mistake("(n, n) broadcast", lambda X, y, w: 2 / X.shape[0] * X.T @ (X @ w[:, None] - y),
                "the residual became an (n, n) matrix ((n, 1) minus (n,) broadcasts): keep "
                "`X @ w - y` 1-D, shape (n,)."),
        Mistake("zeros_like(w) accumulator", _gradient_into_zeros_like,
                "`np.zeros_like(w)` copies w's dtype: with integer weights the accumulator holds "
                "integers and cannot take float steps. Start from floats (`np.zeros(len(w))`), "
                "or compute the whole gradient at once, `2 / n * X.T @ (X @ w - y)`."),
    ],
    diagnoses=[
        Diagnosis("integer result", _integer_result,
                  "your result holds integers: something took w's (integer) dtype, e.g. an "
                  "accumulator from `np.zeros_like(w)` or `np.empty_like(w)`, and truncated "
                  "the float values. Start from a float array (`np.zeros(len(w))`)."),
    ],
    notes=[LOOP_NOTE],
    hints=(
        "differentiate one squared residual with the chain rule, then average over the "
        "samples; the result has one entry per weight, shape (d,).",
        "entry j is 2/n times the sum over samples of (residual of sample i) times (feature j "
        "of sample i), the residual being prediction minus target. A sum over samples of "
        "sample-times-feature products is one matrix-vector product with the transpose of X.",
    ),
    mutation_hint=("mse_gradient only computes the gradient: it must not change w (no "
                   "`w -= ...` here; the update belongs in gradient_descent)."),
))


# --------------------------------------------------------------------------- gradient_descent
def _descent(X, y, w0, learning_rate, n_iter, *, record_after=False, sign=-1.0, factor=None,
             iterations=None, use_rate=True, store=True):
    """A configurable gradient descent used to write the mistakes below."""
    w = np.array(w0, dtype=float)
    losses = []
    for _ in range(n_iter if iterations is None else iterations(n_iter)):
        if not record_after:
            losses.append(ref.mse_loss(X, y, w))
        gradient = ref.mse_gradient(X, y, w) if factor is None else factor(X) * (X.T @ (X @ w - y))
        step = (learning_rate if use_rate else 1.0) * gradient
        new_w = w + sign * step
        if store:
            w = new_w
        if record_after:
            losses.append(ref.mse_loss(X, y, w))
    return w, losses


def _descent_in_place_on_copy(X, y, w0, learning_rate, n_iter):
    """``w = w0.copy()`` then ``w -= ...``: fine for float w0, raises for integer w0."""
    w = np.copy(w0)
    losses = []
    for _ in range(n_iter):
        losses.append(ref.mse_loss(X, y, w))
        w -= learning_rate * ref.mse_gradient(X, y, w)
    return w, losses


def _gradient_descent_cases(rng: np.random.Generator) -> list[Case]:
    X = ref.add_bias(rng.uniform(-1, 1, size=(20, 2)))
    y = X @ np.array([1.5, -2.0, 0.5]) + 0.1 * rng.normal(size=20)
    return [
        Case("hand-made: 3 samples, 2 weights, 5 iterations",
             (np.array([[1.0, 1.0], [2.0, 1.0], [3.0, 1.0]]), np.array([2.0, 4.0, 3.0]),
              np.array([0.0, 0.0]), 0.05, 5)),
        Case("hand-made: a single iteration",
             (np.array([[1.0, 1.0], [2.0, 1.0]]), np.array([1.0, 2.0]), np.array([0.5, 0.5]),
              0.1, 1)),
        Case("integer w0 = [0, 15] (as a notebook cell might write it), 4 iterations",
             (np.array([[4.0, 1.0], [6.0, 1.0], [3.0, 1.0], [8.0, 1.0]]),
              np.array([20.40, 13.50, 24.13, 13.12]), np.array([0, 15]), 0.01, 4)),
        Case("random: 20 samples, 3 weights, 30 iterations",
             (X, y, rng.normal(size=3), 0.2, 30)),
    ]


check_gradient_descent = make_check(Exercise(
    name="gradient_descent",
    uses=("mse_loss", "mse_gradient", "predict"),
    reference=ref.gradient_descent,
    cases=_gradient_descent_cases,
    outputs=("w", "losses"),
    mistakes=[
        Mistake("climbing", lambda *a: _descent(*a, sign=1.0),
                "you ADD the gradient, so w climbs uphill: gradient descent steps against it, "
                "`w = w - learning_rate * gradient`."),
        Mistake("loss after update", lambda *a: _descent(*a, record_after=True),
                "`losses[k]` must be the loss BEFORE update k (so `losses[0]` is the loss at "
                "w0): compute the loss first, then update w."),
        Mistake("one iteration too few", lambda *a: _descent(*a, iterations=lambda n: n - 1),
                "you make n_iter - 1 updates (and record too few losses): loop "
                "`for _ in range(n_iter)`, one loss and one update per iteration."),
        Mistake("one iteration too many", lambda *a: _descent(*a, iterations=lambda n: n + 1),
                "you make n_iter + 1 updates: loop `for _ in range(n_iter)`."),
        Mistake("no learning rate", lambda *a: _descent(*a, use_rate=False),
                "multiply the gradient by the learning rate: `w = w - learning_rate * gradient`."),
        Mistake("update not stored", lambda *a: _descent(*a, store=False),
                "w never changes: the new weights must be assigned, "
                "`w = w - learning_rate * gradient`."),
        Mistake("gradient without 2/n", lambda *a: _descent(*a, factor=lambda X: 1.0),
                "your steps use the gradient without 2 / n: check `mse_gradient` above first."),
        Mistake("gradient without 2", lambda *a: _descent(*a, factor=lambda X: 1 / X.shape[0]),
                "your steps use the gradient without its factor 2: check `mse_gradient` above "
                "first."),
        Mistake("in place on an integer copy", _descent_in_place_on_copy,
                "w0 holds integers here, so your copy does too, and `w -= ...` cannot store "
                "float steps in it: start from a float copy, `w = np.array(w0, dtype=float)` "
                "(or `w0.astype(float)`), or write `w = w - ...`."),
    ],
    hints=(
        "n_iter times: first record the loss at the current weights, then take one step "
        "against the gradient, scaled by the learning rate. Work on a float copy of w0, never "
        "on w0 itself.",
        "use your mse_loss and mse_gradient; each update replaces w by w minus learning_rate "
        "times the gradient at w. Return a tuple: the final w, shape (d,), and the list of the "
        "n_iter losses.",
    ),
    mutation_hint=("start from a copy, `w = np.array(w0, dtype=float)`, and update with "
                   "`w = w - ...`: `w = w0` followed by `w -= ...` changes the caller's w0."),
))


# --------------------------------------------------------------------------- polynomial_features
def _powers(x: np.ndarray, exponents) -> np.ndarray:
    return np.column_stack([x**p for p in exponents]) if len(exponents) else np.empty((len(x), 0))


def _polynomial_features_cases(rng: np.random.Generator) -> list[Case]:
    return [
        Case("hand-made: x = [1, 2, 3], degree 2", (np.array([1.0, 2.0, 3.0]), 2)),
        Case("hand-made: x = [-1, 0.5, 2], degree 1 (a straight line)",
             (np.array([-1.0, 0.5, 2.0]), 1)),
        Case("integer x (people): x = [4, 6, 3, 8], degree 3", (np.array([4, 6, 3, 8]), 3)),
        Case("hand-made: 1 sample, x = [2], degree 3", (np.array([2.0]), 3)),
        Case("random: 6 samples, degree 4", (rng.uniform(-2, 2, size=6), 4)),
    ]


check_polynomial_features = make_check(Exercise(
    name="polynomial_features",
    uses=("add_bias",),
    reference=ref.polynomial_features,
    cases=_polynomial_features_cases,
    mistakes=[
        Mistake("range(degree)", lambda x, d: ref.add_bias(_powers(x, range(d))),
                "off by one: `range(degree)` gives the powers 0, 1, ..., degree - 1, so your "
                "first column is x ** 0 (ones) and x ** degree is missing. The powers run from "
                "1 to degree included: `range(1, degree + 1)` (the ones come from add_bias)."),
        Mistake("range(degree), no bias", lambda x, d: _powers(x, range(d)),
                "off by one: `range(degree)` gives the powers 0, 1, ..., degree - 1: x ** degree "
                "is missing, and the x ** 0 column of ones comes first instead of last. Use the "
                "powers `range(1, degree + 1)`, then append the ones (add_bias)."),
        Mistake("degree - 1", lambda x, d: ref.add_bias(_powers(x, range(1, d))),
                "off by one: the powers go from 1 up to AND INCLUDING degree, "
                "`range(1, degree + 1)`."),
        Mistake("degree + 1", lambda x, d: ref.add_bias(_powers(x, range(1, d + 2))),
                "off by one: the highest power is x ** degree, `range(1, degree + 1)`."),
        Mistake("powers shifted", lambda x, d: ref.add_bias(_powers(x, range(2, d + 2))),
                "off by one: the first column is x itself (x ** 1) and the last power is "
                "x ** degree, `range(1, degree + 1)`."),
        Mistake("bias first", lambda x, d: _powers(x, range(d + 1)),
                "the column of ones (x ** 0) goes LAST, as in add_bias: columns x, x**2, ..., "
                "x**degree, 1."),
        Mistake("two bias columns", lambda x, d: ref.add_bias(_powers(x, range(d + 1))),
                "x ** 0 is already a column of ones: start the powers at 1 when you call "
                "add_bias afterwards."),
        Mistake("decreasing powers", lambda x, d: np.vander(x, d + 1),
                "the powers go up: x, x**2, ..., x**degree, then the ones (np.vander's "
                "default order is decreasing)."),
        Mistake("multiplied", lambda x, d: ref.add_bias(x[:, None] * np.arange(1, d + 1)),
                "`x * p` multiplies; the power is `x ** p`."),
    ],
    hints=(
        "each column is one power of x, from the first power up to the degree itself, and the "
        "bias column of ones comes last, as in add_bias.",
        "shape (n, degree + 1). Raise the column x, shape (n, 1), to the exponents 1, 2, ..., "
        "degree all at once (broadcasting against a 1-D array of exponents gives (n, degree)), "
        "then append the ones.",
    ),
))


# --------------------------------------------------------------------------- challenges
def _momentum(X, y, w0, learning_rate, beta, n_iter, *, order="velocity first", ema=False,
              sign=-1.0, record_after=False, keep=True):
    """A configurable momentum descent used to write the challenge's mistakes."""
    w = np.array(w0, dtype=float)
    v = np.zeros_like(w)
    losses = []
    for _ in range(n_iter):
        if not record_after:
            losses.append(ref.mse_loss(X, y, w))
        if order == "position first":
            w = w + v
        g = ref.mse_gradient(X, y, w)
        if ema:
            v = beta * v + (1 - beta) * g
            w = w - learning_rate * v
        else:
            v = (beta * v if keep else 0.0) + sign * learning_rate * g
            if order == "velocity first":
                w = w + v
        if record_after:
            losses.append(ref.mse_loss(X, y, w))
    return w, losses


def _momentum_cases(rng: np.random.Generator) -> list[Case]:
    X = ref.add_bias(rng.uniform(-1, 1, size=(20, 2)))
    y = X @ np.array([1.5, -2.0, 0.5]) + 0.1 * rng.normal(size=20)
    small = (np.array([[1.0, 1.0], [2.0, 1.0], [3.0, 1.0]]), np.array([2.0, 4.0, 3.0]))
    return [
        Case("hand-made: 3 samples, beta 0.9, 6 iterations", (*small, np.zeros(2), 0.05, 0.9, 6)),
        Case("beta 0 is plain gradient descent", (*small, np.array([1.0, -1.0]), 0.05, 0.0, 4)),
        Case("integer w0 = [0, 15], beta 0.5, 3 iterations",
             (np.array([[4.0, 1.0], [6.0, 1.0], [3.0, 1.0], [8.0, 1.0]]),
              np.array([20.40, 13.50, 24.13, 13.12]), np.array([0, 15]), 0.01, 0.5, 3)),
        Case("random: 20 samples, 3 weights, beta 0.8, 25 iterations",
             (X, y, rng.normal(size=3), 0.1, 0.8, 25)),
    ]


check_momentum_descent = make_check(Exercise(
    name="momentum_descent",
    uses=("mse_loss", "mse_gradient"),
    reference=ref.momentum_descent,
    cases=_momentum_cases,
    outputs=("w", "losses"),
    challenge=True,
    mistakes=[
        Mistake("no memory", lambda *a: _momentum(*a, keep=False),
                "your velocity forgets the previous one, so this is plain gradient descent: "
                "keep a fraction beta of it, `v = beta * v - learning_rate * gradient`."),
        Mistake("position first", lambda *a: _momentum(*a, order="position first"),
                "you move w with the OLD velocity before updating it (the first update does "
                "nothing): update `v` first, then `w = w + v`."),
        Mistake("damped (1 - beta)", lambda *a: _momentum(*a, ema=True),
                "that is the damped convention, `v = beta * v + (1 - beta) * gradient`: this "
                "challenge's momentum adds the whole step, `v = beta * v - learning_rate * "
                "gradient`, then `w = w + v`."),
        Mistake("climbing", lambda *a: _momentum(*a, sign=1.0),
                "the velocity must point downhill: `v = beta * v - learning_rate * gradient` "
                "(minus), then `w = w + v`."),
        Mistake("loss after update", lambda *a: _momentum(*a, record_after=True),
                "`losses[k]` is the loss BEFORE update k: record it first, then update."),
    ],
    hints=(
        "momentum keeps a velocity v (same shape as w, zero at the start): each update adds "
        "a step against the gradient to a fraction beta of the previous velocity, and w moves "
        "by the whole velocity.",
        "per update: record the loss at w; new v = beta times v minus learning_rate times the "
        "gradient at w; new w = w plus the new v. With beta = 0 it is your gradient_descent.",
    ),
))


def _line_search(X, y, w, learning_rate, max_halvings=30, *, strict=True, tries=None,
                 extra_halving=False, halve=True):
    """A configurable backtracking line search used to write the challenge's mistakes."""
    w = np.array(w, dtype=float)
    loss, g = ref.mse_loss(X, y, w), ref.mse_gradient(X, y, w)
    step = float(learning_rate)
    for _ in range(max_halvings + 1 if tries is None else tries(max_halvings)):
        new_loss = ref.mse_loss(X, y, w - step * g)
        if (new_loss < loss) if strict else (new_loss <= loss):
            if extra_halving:
                step /= 2
            return w - step * g, step
        if not halve:
            return w - step * g, step
        step /= 2
    return w, 0.0


_LINE = (np.array([[1.0, 1.0], [2.0, 1.0], [3.0, 1.0]]), np.array([2.0, 4.0, 3.0]))


def _line_search_cases(rng: np.random.Generator) -> list[Case]:
    X = ref.add_bias(rng.uniform(-1, 1, size=(15, 2)))
    y = X @ np.array([1.0, 2.0, -1.0]) + 0.1 * rng.normal(size=15)
    return [
        Case("hand-made: a small rate, accepted at once", (*_LINE, np.zeros(2), 0.05)),
        Case("hand-made: rate 4, halved 5 times until the loss goes down",
             (*_LINE, np.zeros(2), 4.0)),
        # steps 1, 0.5 and 0.25 raise the loss, 0.125 lowers it: exactly 3 halvings
        Case("hand-made: rate 1, the last allowed halving (max_halvings=3)",
             (*_LINE, np.zeros(2), 1.0), {"max_halvings": 3}),
        Case("hand-made: rate 1, max_halvings=2 is not enough (no step: step 0.0)",
             (*_LINE, np.zeros(2), 1.0), {"max_halvings": 2}),
        # a perfect fit: the gradient is exactly 0, so no step lowers the loss
        Case("hand-made: at the minimum (gradient 0): no step",
             (np.array([[1.0, 1.0], [2.0, 1.0]]), np.array([3.0, 5.0]), np.array([2.0, 1.0]),
              1.0)),
        Case("random: 15 samples, 3 weights, rate 10", (X, y, rng.normal(size=3), 10.0)),
    ]


check_line_search_step = make_check(Exercise(
    name="line_search_step",
    uses=("mse_loss", "mse_gradient"),
    reference=ref.line_search_step,
    cases=_line_search_cases,
    outputs=("w_new", "step"),
    challenge=True,
    mistakes=[
        Mistake("accepts an equal loss", lambda *a, **k: _line_search(*a, **k, strict=False),
                "a step is taken only when it LOWERS the loss (`new_loss < loss`): at the "
                "minimum no step does, and the answer is `(w, 0.0)`."),
        Mistake("never halves", lambda *a, **k: _line_search(*a, **k, halve=False),
                "you take the first step even when it raises the loss: compare the loss at "
                "`w - step * gradient` with the loss at w, and halve the step while it is not "
                "lower."),
        Mistake("one try too few", lambda *a, **k: _line_search(*a, **k, tries=lambda m: m),
                "you try max_halvings steps; with the first one that makes max_halvings + 1: "
                "learning_rate, learning_rate / 2, ..., learning_rate / 2 ** max_halvings."),
        Mistake("halved once more", lambda *a, **k: _line_search(*a, **k, extra_halving=True),
                "you halve once more after finding a good step: return the step that lowered "
                "the loss, and `w - step * gradient` with that same step."),
    ],
    hints=(
        "try the step learning_rate first; while the loss at the new weights is not lower than "
        "the loss at w, halve the step and try again, at most max_halvings times.",
        "compute the loss and the gradient at w once; for each step size in turn (learning_rate, "
        "then halved, up to max_halvings halvings) compare the loss at w minus step times the "
        "gradient with it. Return (new weights, step) for the first that is lower, else "
        "(a float copy of w, 0.0).",
    ),
    mutation_hint="work on new arrays: the step must not change the caller's w.",
))


def _mae_gradient_cases(rng: np.random.Generator) -> list[Case]:
    X = rng.normal(size=(9, 3))
    return [
        # residuals 1, -1, 2, -3: gradient = X.T @ [1, -1, 1, -1] / 4 = [0.5, -0.5, 0]
        Case("hand-made: 4 samples, 3 weights",
             (np.array([[1.0, 0.0, 1.0], [2.0, 1.0, 1.0], [3.0, 1.0, 1.0], [0.0, 2.0, 1.0]]),
              np.array([1.0, 6.0, 4.0, 8.0]), np.array([1.0, 2.0, 1.0]))),
        # residuals 0, 1, -1: the first is on the kink, sign(0) = 0
        Case("hand-made: a residual exactly 0 (sign(0) = 0)",
             (np.array([[1.0, 1.0], [2.0, 1.0], [3.0, 1.0]]), np.array([3.0, 4.0, 8.0]),
              np.array([2.0, 1.0]))),
        Case("integer X, y and w: 5 trips (days, the bias)",
             (np.array([[2, 1], [1, 1], [6, 1], [6, 1], [5, 1]]), np.array([10, 7, 24, 14, 45]),
              np.array([3, 4]))),
        Case("random: 9 samples, 3 weights", (X, rng.normal(size=9), rng.normal(size=3))),
    ]


check_mae_gradient = make_check(Exercise(
    name="mae_gradient",
    reference=ref.mae_gradient,
    cases=_mae_gradient_cases,
    challenge=True,
    mistakes=[
        Mistake("the MSE's gradient", lambda X, y, w: ref.mse_gradient(X, y, w),
                "that is the MSE's gradient: the derivative of |r| is sign(r) (+1 or -1), not "
                "2 r, so every sample pulls with the same strength: `X.T @ np.sign(X @ w - y) "
                "/ n`."),
        Mistake("factor 2", lambda X, y, w: 2 * X.T @ np.sign(X @ w - y) / X.shape[0],
                "no factor 2 here: it came from differentiating a square, and |r| is not "
                "squared."),
        Mistake("no 1/n", lambda X, y, w: X.T @ np.sign(X @ w - y),
                "divide by n: the MAE is a mean, so its (sub)gradient is one too."),
        Mistake("1/d", lambda X, y, w: X.T @ np.sign(X @ w - y) / X.shape[1],
                "n is the number of SAMPLES, `X.shape[0]`: you divided by the number of "
                "weights, `X.shape[1]`."),
        Mistake("flipped sign", lambda X, y, w: X.T @ np.sign(y - X @ w) / X.shape[0],
                "the sign is flipped: use the residual prediction minus target, "
                "`np.sign(X @ w - y)`."),
        Mistake("abs instead of sign", lambda X, y, w: X.T @ np.abs(X @ w - y) / X.shape[0],
                "the derivative of |r| is sign(r), not |r|: `np.sign(X @ w - y)`."),
        Mistake("sign(0) = 1", lambda X, y, w: X.T @ np.where(X @ w - y >= 0, 1.0, -1.0)
                / X.shape[0],
                "at a residual of exactly 0 the MAE has a kink; this challenge takes sign(0) = 0 "
                "(what `np.sign` does): `np.where(r >= 0, 1, -1)` gives 1 there."),
    ],
    hints=(
        "the derivative of |r| is +1 where r > 0 and -1 where r < 0 (at r = 0 take 0); chain "
        "it with the derivative of the residual with respect to w, then average over samples.",
        "entry j is 1/n times the sum over samples of sign(residual of sample i) times feature "
        "j of sample i: the same matrix-vector product as the MSE's gradient, with the signs "
        "of the residuals in place of 2 times the residuals.",
    ),
))
