"""The checks of notebook 01 accept correct solutions written many ways and name usual mistakes.

The wrong functions here are written independently of the checker's own mistake catalogue, the
way an attendee would write them.
"""

from __future__ import annotations

import time

import numpy as np
import pytest

from helpers.checks import linear_regression as checks
from helpers.reference import linear_regression as ref

LOOP_NOTE = "more than 100 times slower"


def run(check, fn, capsys):
    """Run a check, return (result, printed text)."""
    result = check(fn)
    printed = capsys.readouterr().out
    assert printed.strip() == result.message.strip()
    return result, printed


def assert_passes(check, fn, capsys):
    result, printed = run(check, fn, capsys)
    assert result, printed
    assert "✅" in printed


def assert_fails(check, fn, phrase, capsys):
    result, printed = run(check, fn, capsys)
    assert not result, printed
    assert phrase in result.message, result.message


# --------------------------------------------------------------------------- add_bias
def add_bias_column_stack(X):
    return np.column_stack([X, np.ones(len(X))])


def add_bias_c_(X):
    return np.c_[X, np.ones(X.shape[0])]


def add_bias_insert(X):
    return np.insert(X, X.shape[1], 1.0, axis=1)


def add_bias_loop(X):
    out = np.empty((X.shape[0], X.shape[1] + 1))
    for i in range(X.shape[0]):
        out[i] = list(X[i]) + [1.0]
    return out


@pytest.mark.parametrize("fn", [add_bias_column_stack, add_bias_c_, add_bias_insert,
                                add_bias_loop])
def test_add_bias_accepts(fn, capsys):
    assert_passes(checks.check_add_bias, fn, capsys)


def add_bias_first(X):
    return np.column_stack([np.ones(len(X)), X])


def add_bias_row(X):
    return np.concatenate([X, np.ones((1, X.shape[1]))], axis=0)


def add_bias_zeros(X):
    return np.c_[X, np.zeros(len(X))]


def add_bias_in_place(X):
    X[:, -1] = 1.0
    return np.c_[X, np.ones(len(X))]


def add_bias_features_count(X):
    return np.hstack([X, np.ones((X.shape[1], 1))])


def add_bias_flat_ones(X):
    n = len(X)
    return np.hstack((X, np.ones(n)))


@pytest.mark.parametrize("fn, phrase", [
    (add_bias_first, "goes LAST"),
    (add_bias_row, "ROW of ones"),
    (add_bias_zeros, "made of ones"),
    (add_bias_in_place, "modified its input X"),
    (add_bias_features_count, "one entry per SAMPLE"),
    (add_bias_flat_ones, "is 1-D"),
])
def test_add_bias_rejects(fn, phrase, capsys):
    assert_fails(checks.check_add_bias, fn, phrase, capsys)


# --------------------------------------------------------------------------- predict
def predict_dot(X, w):
    return np.dot(X, w)


def predict_loop(X, w):
    return np.array([sum(X[i, j] * w[j] for j in range(len(w))) for i in range(len(X))])


def predict_einsum(X, w):
    return np.einsum("nd,d->n", X, w)


@pytest.mark.parametrize("fn", [predict_dot, predict_loop, predict_einsum])
def test_predict_accepts(fn, capsys):
    assert_passes(checks.check_predict, fn, capsys)


def test_a_loop_passes_with_a_note_and_vectorised_code_without(capsys):
    _, printed = run(checks.check_predict, predict_loop, capsys)
    assert LOOP_NOTE in printed and "note:" in printed
    _, printed = run(checks.check_predict, predict_dot, capsys)
    assert LOOP_NOTE not in printed
    _, printed = run(checks.check_mse_loss, mse_loop, capsys)
    assert LOOP_NOTE in printed
    _, printed = run(checks.check_mse_gradient, gradient_loop, capsys)
    assert LOOP_NOTE in printed


@pytest.mark.parametrize("fn, phrase", [
    (lambda X, w: X * w, "multiplies elementwise"),
    (lambda X, w: np.dot(X, w[:, np.newaxis]), "already (n,)"),
    (lambda X, w: np.dot(w, X) if X.shape[0] == X.shape[1] else X @ w, "`w @ X` computes"),
])
def test_predict_rejects(fn, phrase, capsys):
    assert_fails(checks.check_predict, fn, phrase, capsys)


# --------------------------------------------------------------------------- mse_loss
def mse_loop(X, y, w):
    total = 0.0
    for i in range(len(y)):
        total += (X[i] @ w - y[i]) ** 2
    return total / len(y)


def mse_dot(X, y, w):
    r = y - np.dot(X, w)
    return r.dot(r) / len(y)


def mse_norm(X, y, w):
    return np.linalg.norm(X @ w - y) ** 2 / X.shape[0]


@pytest.mark.parametrize("fn", [mse_loop, mse_dot, mse_norm,
                                lambda X, y, w: np.mean(np.square(X @ w - y))])
def test_mse_loss_accepts(fn, capsys):
    assert_passes(checks.check_mse_loss, fn, capsys)


def mse_sum(X, y, w):
    return ((y - X @ w) ** 2).sum()


def mse_rmse(X, y, w):
    return np.sqrt(((y - X @ w) ** 2).mean())


def mse_column_prediction(X, y, w):
    prediction = X @ w.reshape(-1, 1)  # (n, 1)
    return np.mean((prediction - y) ** 2)


def mse_column_target(X, y, w):
    return np.mean((X @ w - y.reshape(-1, 1)) ** 2)


@pytest.mark.parametrize("fn, phrase", [
    (mse_sum, "their MEAN"),
    (mse_rmse, "RMSE"),
    (mse_column_prediction, "(n, n) matrix"),
    (mse_column_target, "(n, n) matrix"),
    (lambda X, y, w: 0.5 * np.mean((X @ w - y) ** 2), "without 1/2"),
    (lambda X, y, w: np.mean(np.abs(X @ w - y)), "ABSOLUTE"),
    (lambda X, y, w: np.mean(X @ w - y) ** 2, "squared the MEAN"),
    (lambda X, y, w: ((X @ w - y) ** 2).sum() / X.shape[1], "number of SAMPLES"),
])
def test_mse_loss_rejects(fn, phrase, capsys):
    assert_fails(checks.check_mse_loss, fn, phrase, capsys)


# --------------------------------------------------------------------------- mse_gradient
def gradient_loop(X, y, w):
    n, d = X.shape
    grad = np.zeros(d)
    for i in range(n):
        error = X[i] @ w - y[i]
        for j in range(d):
            grad[j] += 2 * error * X[i, j] / n
    return grad


def gradient_mean(X, y, w):
    return 2 * np.mean((X @ w - y)[:, None] * X, axis=0)


def gradient_row_vector(X, y, w):
    return 2 * np.dot(X @ w - y, X) / len(y)


@pytest.mark.parametrize("fn", [gradient_loop, gradient_mean,
                                gradient_row_vector])
def test_mse_gradient_accepts(fn, capsys):
    assert_passes(checks.check_mse_gradient, fn, capsys)


def gradient_slide(X, y, w):
    return X.T @ (X @ w - y)  # the slide's form, without 2/n


def gradient_flipped(X, y, w):
    return 2 / len(y) * X.T @ (y - X @ w)


def gradient_in_place(X, y, w):
    w *= 1.0
    w += 0.0
    w[0] = w[0] + 1.0  # "tries" a step on the caller's array
    w[0] = w[0] - 1.0 + 1e-3
    return 2 / len(y) * X.T @ (X @ w - y)


def gradient_features_as_n(X, y, w):
    n = X.shape[1]  # the tester's case: n taken from the wrong axis
    return 2 / n * X.T @ (X @ w - y)


def gradient_zeros_like(X, y, w):
    grad = np.zeros_like(w)
    for i in range(len(y)):
        grad += 2 * (X[i] @ w - y[i]) * X[i] / len(y)
    return grad


def gradient_zeros_like_items(X, y, w):
    grad = np.zeros_like(w)
    residual = X @ w - y
    for j in range(len(w)):
        grad[j] = 2 * np.mean(residual * X[:, j])
    return grad


def test_n_from_the_features_is_not_called_a_missing_factor(capsys):
    result, _ = run(checks.check_mse_gradient, gradient_features_as_n, capsys)
    assert not result
    assert "with the wrong n" in result.message and "X.shape[0]" in result.message
    assert "2 / n is missing" not in result.message
    assert "case 1 of" in result.message  # 4 samples, 3 weights: 2/3 differs from 2/4 and 1


@pytest.mark.parametrize("fn, phrase", [
    (gradient_features_as_n, "with the wrong n"),
    (gradient_zeros_like, "copies w's dtype"),
    (gradient_zeros_like_items, "holds integers"),
    (gradient_slide, "2 / n is missing"),
    (lambda X, y, w: X.T @ (X @ w - y) / len(y), "factor 2"),
    (lambda X, y, w: 2 * X.T @ (X @ w - y), "divide by n"),
    (gradient_flipped, "sign is flipped"),
    (gradient_in_place, "must not change w"),
    (lambda X, y, w: 2 / len(y) * X.T @ (X @ w.reshape(-1, 1) - y), "(n, n)"),
])
def test_mse_gradient_rejects(fn, phrase, capsys):
    assert_fails(checks.check_mse_gradient, fn, phrase, capsys)


# --------------------------------------------------------------------------- gradient_descent
def descent_array_losses(X, y, w0, learning_rate, n_iter):
    w = w0.astype(float)  # astype copies
    losses = np.zeros(n_iter)
    n = len(y)
    for k in range(n_iter):
        residual = np.dot(X, w) - y
        losses[k] = np.dot(residual, residual) / n
        w = w - learning_rate * 2 / n * np.dot(X.T, residual)
    return w, losses


def descent_float_copy_in_place(X, y, w0, learning_rate, n_iter):
    w = w0.astype(float)
    losses = []
    for _ in range(n_iter):
        losses.append(float(np.mean((X @ w - y) ** 2)))
        w -= learning_rate * ref.mse_gradient(X, y, w)  # in place on a float copy: fine
    return w, losses


def descent_copy_in_place(X, y, w0, learning_rate, n_iter):
    w = np.copy(w0)  # keeps w0's dtype: integers stay integers
    losses = []
    for _ in range(n_iter):
        losses.append(float(np.mean((X @ w - y) ** 2)))
        w -= learning_rate * ref.mse_gradient(X, y, w)
    return w, losses


@pytest.mark.parametrize("fn", [descent_array_losses, descent_float_copy_in_place])
def test_gradient_descent_accepts(fn, capsys):
    assert_passes(checks.check_gradient_descent, fn, capsys)


def descent_modifies_w0(X, y, w0, learning_rate, n_iter):
    w = w0
    losses = []
    for _ in range(n_iter):
        losses.append(ref.mse_loss(X, y, w))
        w -= learning_rate * ref.mse_gradient(X, y, w)
    return w, losses


def descent_too_few(X, y, w0, learning_rate, n_iter):
    w = w0.copy()
    losses = []
    for _ in range(1, n_iter):
        losses.append(ref.mse_loss(X, y, w))
        w = w - learning_rate * ref.mse_gradient(X, y, w)
    return w, losses


def descent_climbing(X, y, w0, learning_rate, n_iter):
    w = w0.copy()
    losses = []
    for _ in range(n_iter):
        losses.append(ref.mse_loss(X, y, w))
        w = w + learning_rate * ref.mse_gradient(X, y, w)
    return w, losses


def descent_loss_after(X, y, w0, learning_rate, n_iter):
    w = w0.copy()
    losses = []
    for _ in range(n_iter):
        w = w - learning_rate * ref.mse_gradient(X, y, w)
        losses.append(ref.mse_loss(X, y, w))
    return w, losses


def descent_slide_gradient(X, y, w0, learning_rate, n_iter):
    w = w0.copy()
    losses = []
    for _ in range(n_iter):
        losses.append(ref.mse_loss(X, y, w))
        w = w - learning_rate * X.T @ (X @ w - y)
    return w, losses


def descent_forgets_assignment(X, y, w0, learning_rate, n_iter):
    w = w0.copy()
    losses = []
    for _ in range(n_iter):
        losses.append(ref.mse_loss(X, y, w))
        w - learning_rate * ref.mse_gradient(X, y, w)  # noqa: B018 - the mistake under test
    return w, losses


@pytest.mark.parametrize("fn, phrase", [
    (descent_modifies_w0, "changes the caller's w0"),
    (descent_too_few, "n_iter - 1 updates"),
    (descent_climbing, "climbs uphill"),
    (descent_loss_after, "BEFORE update k"),
    (descent_slide_gradient, "without 2 / n"),
    (descent_forgets_assignment, "w never changes"),
    (descent_copy_in_place, "w0 holds integers"),
])
def test_gradient_descent_rejects(fn, phrase, capsys):
    assert_fails(checks.check_gradient_descent, fn, phrase, capsys)


# --------------------------------------------------------------------------- normal_equation
@pytest.mark.parametrize("fn", [
    lambda X, y: np.linalg.lstsq(X, y, rcond=None)[0],
    lambda X, y: np.linalg.inv(X.T @ X) @ X.T @ y,
    lambda X, y: np.linalg.pinv(X) @ y,
    lambda X, y: np.linalg.solve(np.dot(X.T, X), np.dot(X.T, y)),
])
def test_normal_equation_accepts(fn, capsys):
    assert_passes(checks.check_normal_equation, fn, capsys)


def normal_inverse(X, y):
    A = X.T @ X
    return np.linalg.inv(A) @ (X.T @ y)


def test_the_inverse_passes_with_a_note(capsys):
    result, printed = run(checks.check_normal_equation, normal_inverse, capsys)
    assert result
    assert "note:" in printed and "Section 5" in printed and "np.linalg.solve" in printed
    _, printed = run(checks.check_normal_equation,
                     lambda X, y: np.linalg.solve(X.T @ X, X.T @ y), capsys)
    assert "note:" not in printed


def normal_solve_x(X, y):
    return np.linalg.solve(X, y)  # the tester's case: the wrong (non-square) system


def test_solving_x_itself_names_the_wrong_system(capsys):
    result, _ = run(checks.check_normal_equation, normal_solve_x, capsys)
    assert not result and "LinAlgError" in result.message
    assert "not square" in result.message and "X.T @ X" in result.message
    assert "compare them with the shapes" not in result.message


@pytest.mark.parametrize("fn, phrase", [
    (lambda X, y: np.linalg.inv(X.T @ X) @ X.T, "apply it to y"),
    (lambda X, y: X.T @ y / (X.T @ X), "elementwise is not solving"),
    (lambda X, y: X.T @ y / (X * X).sum(axis=0), "diagonal of X^T X"),
    (normal_solve_x, "not square"),
    (lambda X, y: np.linalg.inv(X) @ y, "not square"),
    (lambda X, y: np.linalg.solve(np.dot(X.T, X), y), "right-hand side"),
    (lambda X, y: np.linalg.solve(X @ X.T, X.T @ y), "(d + 1, d + 1) matrix"),
])
def test_normal_equation_rejects(fn, phrase, capsys):
    assert_fails(checks.check_normal_equation, fn, phrase, capsys)


# --------------------------------------------------------------------------- polynomial_features
def poly_loop(x, degree):
    columns = [x**p for p in range(1, degree + 1)]
    columns.append(np.ones_like(x))
    return np.stack(columns, axis=1)


def poly_vander(x, degree):
    V = np.vander(x, degree + 1, increasing=True)  # 1, x, ..., x**degree
    return np.hstack([V[:, 1:], V[:, :1]])


def poly_power(x, degree):
    return ref.add_bias(np.power.outer(x, np.arange(1, degree + 1)))


@pytest.mark.parametrize("fn", [poly_loop, poly_vander, poly_power])
def test_polynomial_features_accepts(fn, capsys):
    assert_passes(checks.check_polynomial_features, fn, capsys)


def poly_off_by_one(x, degree):
    return np.column_stack([x**p for p in range(1, degree)] + [np.ones(len(x))])


def poly_bias_first(x, degree):
    return np.column_stack([x**p for p in range(0, degree + 1)])


def poly_two_ones(x, degree):
    return ref.add_bias(np.column_stack([x**p for p in range(degree + 1)]))


def poly_range_degree(x, degree):
    columns = [x**p for p in range(degree)]  # the tester's case: powers 0 .. degree - 1
    columns.append(np.ones(len(x)))
    return np.column_stack(columns)


def poly_range_degree_no_bias(x, degree):
    return np.stack([x**p for p in range(degree)], axis=1)


def test_range_degree_names_the_off_by_one(capsys):
    for fn in (poly_range_degree, poly_range_degree_no_bias):
        result, _ = run(checks.check_polynomial_features, fn, capsys)
        assert not result
        phrase = "off by one: `range(degree)` gives the powers 0, 1, ..., degree - 1"
        assert phrase in result.message


@pytest.mark.parametrize("fn, phrase", [
    (poly_range_degree, "`range(degree)`"),
    (poly_range_degree_no_bias, "`range(degree)`"),
    (poly_off_by_one, "off by one"),
    (lambda x, degree: np.column_stack([x ** (p + 1) for p in range(1, degree + 1)]
                                       + [np.ones(len(x))]), "off by one"),
    (poly_bias_first, "goes LAST"),
    (poly_two_ones, "already a column of ones"),
    (lambda x, degree: np.vander(x, degree + 1), "go up"),
])
def test_polynomial_features_rejects(fn, phrase, capsys):
    assert_fails(checks.check_polynomial_features, fn, phrase, capsys)




# --------------------------------------------------------------------------- the loop note is true
def test_the_loop_note_states_a_measured_fact():
    """The note says a Python loop over 10,000 samples is more than 100 times slower than the
    vectorised gradient (section 6 of the notebook measures the same two functions)."""
    rng = np.random.default_rng(0)
    X, y, w = rng.normal(size=(10_000, 3)), rng.normal(size=10_000), rng.normal(size=3)

    def loop(X, y, w):
        n = X.shape[0]
        gradient = np.zeros(X.shape[1])
        for i in range(n):
            gradient += 2 / n * (X[i] @ w - y[i]) * X[i]
        return gradient

    def best(fn):
        times = []
        for _ in range(3):
            start = time.perf_counter()
            fn(X, y, w)
            times.append(time.perf_counter() - start)
        return min(times)

    np.testing.assert_allclose(loop(X, y, w), ref.mse_gradient(X, y, w))
    assert best(loop) > 100 * best(ref.mse_gradient)


# --------------------------------------------------------------------------- challenges
def momentum_other_sign(X, y, w0, learning_rate, beta, n_iter):
    w, v, losses = w0.astype(float), np.zeros(len(w0)), []
    for _ in range(n_iter):
        losses.append(ref.mse_loss(X, y, w))
        v = beta * v + learning_rate * ref.mse_gradient(X, y, w)  # v points uphill here...
        w = w - v  # ...and is subtracted: the same updates
    return w, np.array(losses)


def momentum_first_step_apart(X, y, w0, learning_rate, beta, n_iter):
    w = np.array(w0, dtype=float)
    previous = w.copy()
    losses = []
    for _ in range(n_iter):
        losses.append(ref.mse_loss(X, y, w))
        w, previous = (w - learning_rate * ref.mse_gradient(X, y, w) + beta * (w - previous), w)
    return w, losses


@pytest.mark.parametrize("fn", [momentum_other_sign, momentum_first_step_apart])
def test_momentum_accepts(fn, capsys):
    assert_passes(checks.check_momentum_descent, fn, capsys)


def momentum_forgets(X, y, w0, learning_rate, beta, n_iter):
    w, losses = np.array(w0, dtype=float), []
    for _ in range(n_iter):
        losses.append(ref.mse_loss(X, y, w))
        v = -learning_rate * ref.mse_gradient(X, y, w)  # a fresh velocity every time
        w = w + v
    return w, losses


def momentum_moves_first(X, y, w0, learning_rate, beta, n_iter):
    w, v, losses = np.array(w0, dtype=float), np.zeros(len(w0)), []
    for _ in range(n_iter):
        losses.append(ref.mse_loss(X, y, w))
        w = w + v
        v = beta * v - learning_rate * ref.mse_gradient(X, y, w)
    return w, losses


def momentum_ema(X, y, w0, learning_rate, beta, n_iter):
    w, v, losses = np.array(w0, dtype=float), np.zeros(len(w0)), []
    for _ in range(n_iter):
        losses.append(ref.mse_loss(X, y, w))
        v = beta * v + (1 - beta) * ref.mse_gradient(X, y, w)
        w = w - learning_rate * v
    return w, losses


@pytest.mark.parametrize("fn, phrase", [
    (momentum_forgets, "plain gradient descent"),
    (momentum_moves_first, "OLD velocity"),
    (momentum_ema, "damped convention"),
])
def test_momentum_rejects(fn, phrase, capsys):
    assert_fails(checks.check_momentum_descent, fn, phrase, capsys)


def line_search_while(X, y, w, learning_rate, max_halvings=30):
    w = w.astype(float)
    gradient = ref.mse_gradient(X, y, w)
    current = ref.mse_loss(X, y, w)
    step, halvings = learning_rate, 0
    while ref.mse_loss(X, y, w - step * gradient) >= current:
        if halvings == max_halvings:
            return w.copy(), 0.0
        step, halvings = step / 2, halvings + 1
    return w - step * gradient, step


def line_search_powers(X, y, w, learning_rate, max_halvings=30):
    gradient = ref.mse_gradient(X, y, w)
    for k in range(max_halvings + 1):
        step = learning_rate * 0.5**k
        if ref.mse_loss(X, y, w - step * gradient) < ref.mse_loss(X, y, w):
            return w - step * gradient, step
    return np.array(w, dtype=float), 0.0


@pytest.mark.parametrize("fn", [line_search_while, line_search_powers])
def test_line_search_accepts(fn, capsys):
    assert_passes(checks.check_line_search_step, fn, capsys)


def line_search_no_check(X, y, w, learning_rate, max_halvings=30):
    return w - learning_rate * ref.mse_gradient(X, y, w), learning_rate


def line_search_short_loop(X, y, w, learning_rate, max_halvings=30):
    step, gradient = learning_rate, ref.mse_gradient(X, y, w)
    for _ in range(max_halvings):  # one try fewer than the contract
        if ref.mse_loss(X, y, w - step * gradient) < ref.mse_loss(X, y, w):
            return w - step * gradient, step
        step /= 2
    return w.astype(float), 0.0


def line_search_not_strict(X, y, w, learning_rate, max_halvings=30):
    step, gradient = learning_rate, ref.mse_gradient(X, y, w)
    for _ in range(max_halvings + 1):
        if ref.mse_loss(X, y, w - step * gradient) <= ref.mse_loss(X, y, w):
            return w - step * gradient, step
        step /= 2
    return w.astype(float), 0.0


def line_search_in_place(X, y, w, learning_rate, max_halvings=30):
    new_w, step = ref.line_search_step(X, y, w, learning_rate, max_halvings)
    w[:] = new_w
    return w, step


@pytest.mark.parametrize("fn, phrase", [
    (line_search_no_check, "even when it raises the loss"),
    (line_search_short_loop, "max_halvings + 1"),
    (line_search_not_strict, "LOWERS the loss"),
    (line_search_in_place, "must not change the caller's w"),
])
def test_line_search_rejects(fn, phrase, capsys):
    assert_fails(checks.check_line_search_step, fn, phrase, capsys)


def mae_mean_of_rows(X, y, w):
    return np.mean(np.sign(X @ w - y)[:, None] * X, axis=0)


def mae_piecewise(X, y, w):
    r = X @ w - y
    signs = np.where(r > 0, 1.0, np.where(r < 0, -1.0, 0.0))
    return signs @ X / len(y)


@pytest.mark.parametrize("fn", [mae_mean_of_rows, mae_piecewise])
def test_mae_gradient_accepts(fn, capsys):
    assert_passes(checks.check_mae_gradient, fn, capsys)


@pytest.mark.parametrize("fn, phrase", [
    (lambda X, y, w: 2 / len(y) * X.T @ (X @ w - y), "the MSE's gradient"),
    (lambda X, y, w: 2 * X.T @ np.sign(X @ w - y) / len(y), "no factor 2"),
    (lambda X, y, w: X.T @ np.sign(X @ w - y), "divide by n"),
    (lambda X, y, w: X.T @ np.sign(X @ w - y) / len(w), "number of SAMPLES"),
    (lambda X, y, w: np.sign(y - X @ w) @ X / len(y), "sign is flipped"),
    (lambda X, y, w: np.where(X @ w >= y, 1, -1) @ X / len(y), "sign(0) = 0"),
])
def test_mae_gradient_rejects(fn, phrase, capsys):
    assert_fails(checks.check_mae_gradient, fn, phrase, capsys)
