"""Checks for notebook 01, linear regression and gradient descent.

Each checker is a declaration on :mod:`helpers.checks.engine`: hand-made cases (small enough to
verify by hand), random cases drawn from a seeded generator, and the usual mistakes of the
exercise, each written as a tiny wrong implementation with the hint that gets an attendee unstuck.
Expected values come from :mod:`helpers.reference.linear_regression`.
"""

from __future__ import annotations

import numpy as np

from helpers.checks.compare import Tolerance
from helpers.checks.engine import Case, Exercise, Mistake, Note, make_check
from helpers.checks.source import calls
from helpers.reference import linear_regression as ref


def _ones(n: int) -> np.ndarray:
    return np.ones((n, 1))


# --------------------------------------------------------------------------- add_bias
def _add_bias_cases(rng: np.random.Generator) -> list[Case]:
    return [
        Case("hand-made: 3 samples, 2 features", (np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]),)),
        Case("hand-made: 1 sample, 1 feature", (np.array([[7.0]]),)),
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
    ],
    hints=("return X with one extra last column of ones: shape (n, d + 1).",),
    mutation_hint="build a new array (`np.hstack([X, ones])`) instead of writing into X.",
))


# --------------------------------------------------------------------------- predict
def _predict_cases(rng: np.random.Generator) -> list[Case]:
    return [
        Case("hand-made: 3 samples, 2 weights (x and the bias)",
             (np.array([[1.0, 1.0], [2.0, 1.0], [4.0, 1.0]]), np.array([2.0, 0.5]))),
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
    hints=("the prediction for sample i is the dot product of row i of X with w: `X @ w`.",),
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
        Mistake("absolute", lambda X, y, w: float(np.mean(np.abs(X @ w - y))),
                "that is the mean ABSOLUTE error: square the errors instead of `np.abs`."),
    ],
    hints=("MSE = mean over samples of (prediction - target) ** 2, a single number.",),
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
        Case("random: 7 samples, 3 weights", (X, rng.normal(size=7), rng.normal(size=3))),
        Case("random: 4 samples, 4 weights", (rng.normal(size=(4, 4)), rng.normal(size=4),
                                              rng.normal(size=4))),
    ]


def _residual(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    return X @ w - y


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
                "n is the number of SAMPLES, `X.shape[0]` (you divided by the number of "
                "weights, `X.shape[1]`)."),
        Mistake("flipped sign", lambda X, y, w: 2 / X.shape[0] * X.T @ (y - X @ w),
                "the sign is flipped: with the residual `y - X @ w` the gradient needs a minus "
                "sign; use `X @ w - y` (prediction minus target)."),
        Mistake("(n, n) broadcast", lambda X, y, w: 2 / X.shape[0] * X.T @ (X @ w[:, None] - y),
                "the residual became an (n, n) matrix ((n, 1) minus (n,) broadcasts): keep "
                "`X @ w - y` 1-D, shape (n,)."),
    ],
    hints=("the gradient has one entry per weight: `2 / n * X.T @ (X @ w - y)`, shape (d,).",),
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
    ],
    hints=("start from a copy of w0; then n_iter times: record `mse_loss(X, y, w)`, then "
          "`w = w - learning_rate * mse_gradient(X, y, w)`. Return `(w, losses)`.",),
    mutation_hint=("start from a copy, `w = w0.copy()`, and update with `w = w - ...`: `w = w0` "
                   "followed by `w -= ...` changes the caller's w0."),
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
        Case("random: 12 samples, 3 weights", (X, X @ np.array([0.5, -1.0, 2.0])
                                               + 0.3 * rng.normal(size=12))),
    ]


check_normal_equation = make_check(Exercise(
    name="normal_equation",
    reference=ref.normal_equation,
    cases=_normal_equation_cases,
    mistakes=[
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
    hints=("solve the d x d system X^T X w = X^T y: `np.linalg.solve(X.T @ X, X.T @ y)`.",),
    tolerance=Tolerance(rtol=1e-6, atol=1e-8),
    notes=[
        Note("inverse", lambda fn: calls(fn, "np.linalg.inv"),
             "`np.linalg.inv` gives the right answer here, but `np.linalg.solve(A, b)` is "
             "preferred: it never forms the inverse, so it is faster and more accurate when "
             "X^T X is badly conditioned (section 5 measures it)."),
    ],
))


# --------------------------------------------------------------------------- polynomial_features
def _powers(x: np.ndarray, exponents) -> np.ndarray:
    return np.column_stack([x**p for p in exponents]) if len(exponents) else np.empty((len(x), 0))


def _polynomial_features_cases(rng: np.random.Generator) -> list[Case]:
    return [
        Case("hand-made: x = [1, 2, 3], degree 2", (np.array([1.0, 2.0, 3.0]), 2)),
        Case("hand-made: x = [-1, 0.5, 2], degree 1 (a straight line)",
             (np.array([-1.0, 0.5, 2.0]), 1)),
        Case("random: 6 samples, degree 4", (rng.uniform(-2, 2, size=6), 4)),
    ]


check_polynomial_features = make_check(Exercise(
    name="polynomial_features",
    uses=("add_bias",),
    reference=ref.polynomial_features,
    cases=_polynomial_features_cases,
    mistakes=[
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
    hints=("columns x, x**2, ..., x**degree, then a column of ones: shape (n, degree + 1).",),
))
