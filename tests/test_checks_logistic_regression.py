"""Tests of the checks of notebook 02 (helpers.checks.logistic_regression).

Every check accepts the reference and correct variants written differently, and rejects each
usual mistake with the right hint. The wrong functions here are written independently of the
checker's own mistake catalogue, the way an attendee would write them.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from helpers.checks import logistic_regression as checks
from helpers.reference import logistic_regression as ref


def run(check, fn, capsys):
    result = check(fn)
    capsys.readouterr()  # the feedback was printed; keep the test output quiet
    return result


def assert_rejected(check, fn, phrase, capsys):
    result = run(check, fn, capsys)
    assert not result, result.message
    assert phrase in result.message, result.message
    return result


# --------------------------------------------------------------------------------- sigmoid
def sigmoid_where_abs(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    out = np.where(z >= 0, 1 / (1 + e), e / (1 + e))
    return out if out.ndim else float(out)


def sigmoid_tanh(z):
    return 0.5 * (1 + np.tanh(np.asarray(z) / 2))


def sigmoid_clipped(z):
    return 1 / (1 + np.exp(-np.clip(z, -500, 500)))


def sigmoid_masks(z):
    z = np.atleast_1d(np.array(z, dtype=float))
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1 / (1 + np.exp(-z[pos]))
    out[~pos] = np.exp(z[~pos]) / (1 + np.exp(z[~pos]))
    return out.reshape(np.shape(z)) if np.ndim(z) else out[0]


@pytest.mark.parametrize("fn", [sigmoid_where_abs, sigmoid_tanh, sigmoid_clipped])
def test_sigmoid_correct_variants(fn, capsys):
    assert run(checks.check_sigmoid, fn, capsys)


def test_sigmoid_variant_with_masks(capsys):
    def sigmoid(z):
        z = np.asarray(z, dtype=float)
        flat = z.reshape(-1)
        out = np.empty_like(flat)
        pos = flat >= 0
        out[pos] = 1 / (1 + np.exp(-flat[pos]))
        e = np.exp(flat[~pos])
        out[~pos] = e / (1 + e)
        return out.reshape(z.shape)[()]

    assert run(checks.check_sigmoid, sigmoid, capsys)


def test_sigmoid_sign_flipped(capsys):
    assert_rejected(checks.check_sigmoid, lambda z: 1 / (1 + np.exp(np.clip(z, -500, 500))),
                    "sign in the exponent is flipped", capsys)


def test_sigmoid_math_exp(capsys):
    result = assert_rejected(checks.check_sigmoid, lambda z: 1 / (1 + math.exp(-z)),
                             "`math.exp` only works on single numbers", capsys)
    assert "TypeError" in result.message
    assert result.message.count("hint:") == 1


def test_sigmoid_naive_overflows(capsys):
    result = assert_rejected(checks.check_sigmoid, lambda z: 1 / (1 + np.exp(-z)),
                             "np.exp(-z) overflows", capsys)
    assert "overflow" in result.message


def test_sigmoid_where_both_branches_overflow(capsys):
    def sigmoid(z):
        return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))

    assert_rejected(checks.check_sigmoid, sigmoid, "computes BOTH a and b", capsys)


def test_sigmoid_silenced_overflow_still_fails(capsys):
    def sigmoid(z):
        with np.errstate(over="ignore", invalid="ignore"):
            e = np.exp(z)
            return e / (1 + e)  # inf / inf = nan for large z

    result = assert_rejected(checks.check_sigmoid, sigmoid, "hint:", capsys)
    assert "nan" in result.message


def test_sigmoid_returns_a_list(capsys):
    assert_rejected(checks.check_sigmoid, lambda z: list(ref.sigmoid(np.atleast_1d(z))),
                    "should be", capsys)


# --------------------------------------------------------------------------------- predict_proba
def test_predict_proba_variants(capsys):
    assert run(checks.check_predict_proba, lambda X, w: sigmoid_where_abs(np.dot(X, w)), capsys)
    assert run(checks.check_predict_proba,
               lambda X, w: np.array([sigmoid_where_abs(row @ w) for row in X]), capsys)


def test_predict_proba_without_sigmoid(capsys):
    assert_rejected(checks.check_predict_proba, lambda X, w: np.dot(X, w),
                    "not a probability", capsys)


def test_predict_proba_hard_labels(capsys):
    assert_rejected(checks.check_predict_proba, lambda X, w: ref.sigmoid(X @ w) >= 0.5,
                    "hard 0/1 labels", capsys)
    assert_rejected(checks.check_predict_proba, lambda X, w: np.round(ref.sigmoid(X @ w)),
                    "hard 0/1 labels", capsys)


def test_predict_proba_column(capsys):
    assert_rejected(checks.check_predict_proba,
                    lambda X, w: ref.sigmoid(X @ w.reshape(-1, 1)), "(n, 1)", capsys)


# --------------------------------------------------------------------------------- cross-entropy
def loss_clipped(X, y, w):
    p = np.clip(ref.sigmoid(X @ w), 1e-15, 1 - 1e-15)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def loss_logaddexp_two_terms(X, y, w):
    z = X @ w
    return float(np.mean(y * np.logaddexp(0, -z) + (1 - y) * np.logaddexp(0, z)))


def loss_loop(X, y, w):
    total = 0.0
    for x_i, y_i in zip(X, y, strict=True):
        z = float(x_i @ w)
        total += max(z, 0) + math.log1p(math.exp(-abs(z))) - y_i * z
    return total / len(y)


@pytest.mark.parametrize("fn", [loss_clipped, loss_logaddexp_two_terms, loss_loop])
def test_cross_entropy_loss_correct_variants(fn, capsys):
    assert run(checks.check_cross_entropy_loss, fn, capsys)


def naive_p(X, w):
    return ref.sigmoid(X @ w)


def test_cross_entropy_without_minus(capsys):
    def loss(X, y, w):
        p = np.clip(naive_p(X, w), 1e-12, 1 - 1e-12)
        return np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))

    assert_rejected(checks.check_cross_entropy_loss, loss, "minus sign is missing", capsys)


def test_cross_entropy_summed(capsys):
    def loss(X, y, w):
        z = X @ w
        return np.sum(np.logaddexp(0, z) - y * z)

    assert_rejected(checks.check_cross_entropy_loss, loss, "the loss is the mean", capsys)


def test_cross_entropy_one_term_missing(capsys):
    def only_y(X, y, w):
        p = np.clip(naive_p(X, w), 1e-15, 1 - 1e-15)
        return -np.mean(y * np.log(p))

    def only_one_minus_y(X, y, w):
        p = np.clip(naive_p(X, w), 1e-15, 1 - 1e-15)
        return -np.mean((1 - y) * np.log(1 - p))

    assert_rejected(checks.check_cross_entropy_loss, only_y, "add -(1 - y) log(1 - p)", capsys)
    assert_rejected(checks.check_cross_entropy_loss, only_one_minus_y, "add -y log p", capsys)


def test_cross_entropy_mse_in_disguise(capsys):
    assert_rejected(checks.check_cross_entropy_loss,
                    lambda X, y, w: np.mean((naive_p(X, w) - y) ** 2),
                    "mean squared error of the probabilities", capsys)
    assert_rejected(checks.check_cross_entropy_loss,
                    lambda X, y, w: np.mean((X @ w - y) ** 2), "notebook 01's MSE", capsys)


def test_cross_entropy_infinite_on_saturated_predictions(capsys):
    def loss(X, y, w):
        p = naive_p(X, w)
        return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))

    result = assert_rejected(checks.check_cross_entropy_loss, loss, "clip p into", capsys)
    assert "saturated" in result.message


def test_cross_entropy_infinite_silenced(capsys):
    def loss(X, y, w):
        with np.errstate(divide="ignore", invalid="ignore"):
            p = naive_p(X, w)
            return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))

    result = assert_rejected(checks.check_cross_entropy_loss, loss, "stable form", capsys)
    assert "nan" in result.message


def test_cross_entropy_naive_log1p_exp_overflows(capsys):
    def loss(X, y, w):
        z = X @ w
        return np.mean(np.log(1 + np.exp(z)) - y * z)

    assert_rejected(checks.check_cross_entropy_loss, loss, "np.logaddexp(0, z)", capsys)


def test_cross_entropy_labels_swapped(capsys):
    def loss(X, y, w):
        z = X @ w
        return np.mean((1 - y) * np.logaddexp(0, -z) + y * np.logaddexp(0, z))

    assert_rejected(checks.check_cross_entropy_loss, loss, "swapped", capsys)


# --------------------------------------------------------------------------------- gradient
def test_cross_entropy_gradient_variants(capsys):
    assert run(checks.check_cross_entropy_gradient,
               lambda X, y, w: (ref.sigmoid(X @ w) - y) @ X / len(y), capsys)
    assert run(checks.check_cross_entropy_gradient,
               lambda X, y, w: np.mean((ref.sigmoid(X @ w) - y)[:, None] * X, axis=0), capsys)


def test_gradient_slide_sign(capsys):
    assert_rejected(checks.check_cross_entropy_gradient,
                    lambda X, y, w: X.T @ (y - ref.sigmoid(X @ w)) / X.shape[0],
                    "as on the talk's slide", capsys)


def test_gradient_without_one_over_n(capsys):
    assert_rejected(checks.check_cross_entropy_gradient,
                    lambda X, y, w: X.T @ (ref.sigmoid(X @ w) - y), "divide by n", capsys)


def test_gradient_without_sigmoid(capsys):
    assert_rejected(checks.check_cross_entropy_gradient,
                    lambda X, y, w: X.T @ (X @ w - y) / len(X), "apply the sigmoid", capsys)


def test_gradient_with_extra_sigmoid_derivative(capsys):
    def grad(X, y, w):
        p = ref.sigmoid(X @ w)
        return X.T @ ((p - y) * p * (1 - p)) / len(y)

    assert_rejected(checks.check_cross_entropy_gradient, grad, "cancels", capsys)


# --------------------------------------------------------------------------------- features
def test_quadratic_features_variants(capsys):
    def hstack(X):
        x1, x2 = X[:, :1], X[:, 1:]
        return np.hstack([x1, x2, x1 * x1, x2 * x2, x1 * x2, np.ones_like(x1)])

    def loop(X):
        return np.array([[a, b, a**2, b**2, a * b, 1.0] for a, b in X])

    assert run(checks.check_quadratic_features, hstack, capsys)
    assert run(checks.check_quadratic_features, loop, capsys)


def test_quadratic_features_bias_first(capsys):
    def feats(X):
        x1, x2 = X.T
        return np.column_stack([np.ones(len(X)), x1, x2, x1**2, x2**2, x1 * x2])

    assert_rejected(checks.check_quadratic_features, feats, "goes LAST", capsys)


def test_quadratic_features_missing_cross_term(capsys):
    def feats(X):
        x1, x2 = X.T
        return np.column_stack([x1, x2, x1**2, x2**2, np.ones(len(X))])

    assert_rejected(checks.check_quadratic_features, feats, "cross term x1 * x2 is missing",
                    capsys)


def test_quadratic_features_missing_square(capsys):
    def feats(X):
        x1, x2 = X.T
        return np.column_stack([x1, x2, x1**2, x1 * x2, np.ones(len(X))])

    assert_rejected(checks.check_quadratic_features, feats, "x2**2 is missing", capsys)


def test_quadratic_features_missing_bias(capsys):
    def feats(X):
        x1, x2 = X.T
        return np.column_stack([x1, x2, x1**2, x2**2, x1 * x2])

    assert_rejected(checks.check_quadratic_features, feats, "(the bias) is missing", capsys)


# --------------------------------------------------------------------------------- minibatches
def minibatches_list(X, y, batch_size, rng):
    order = rng.permutation(len(y))
    return [(X[order[i:i + batch_size]], y[order[i:i + batch_size]])
            for i in range(0, len(y), batch_size)]


def minibatches_shuffle_indices(X, y, batch_size, rng):
    index = np.arange(X.shape[0])
    rng.shuffle(index)  # the same stream as rng.permutation(n)
    start = 0
    while start < len(index):
        batch = index[start:start + batch_size]
        yield X[batch], y[batch]
        start += batch_size


def minibatches_split(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    Xs, ys = X[order], y[order]
    n_batches = math.ceil(len(X) / batch_size)
    for k in range(n_batches):
        yield Xs[k * batch_size:(k + 1) * batch_size], ys[k * batch_size:(k + 1) * batch_size]


@pytest.mark.parametrize("fn", [minibatches_list, minibatches_shuffle_indices, minibatches_split])
def test_minibatches_correct_variants(fn, capsys):
    assert run(checks.check_minibatches, fn, capsys)


def test_minibatches_not_shuffled(capsys):
    def mb(X, y, batch_size, rng):
        for i in range(0, len(X), batch_size):
            yield X[i:i + batch_size], y[i:i + batch_size]

    assert_rejected(checks.check_minibatches, mb, "original order", capsys)


def test_minibatches_drop_last(capsys):
    def mb(X, y, batch_size, rng):
        order = rng.permutation(len(X))
        for k in range(len(X) // batch_size):
            chosen = order[k * batch_size:(k + 1) * batch_size]
            yield X[chosen], y[chosen]

    assert_rejected(checks.check_minibatches, mb, "last, smaller batch is missing", capsys)


def test_minibatches_shuffle_separately(capsys):
    def mb(X, y, batch_size, rng):
        Xs = rng.permutation(X)
        ys = rng.permutation(y)
        for i in range(0, len(X), batch_size):
            yield Xs[i:i + batch_size], ys[i:i + batch_size]

    assert_rejected(checks.check_minibatches, mb, "two different permutations", capsys)


def test_minibatches_with_replacement(capsys):
    def mb_integers(X, y, batch_size, rng):
        order = rng.integers(0, len(X), len(X))
        for i in range(0, len(X), batch_size):
            yield X[order[i:i + batch_size]], y[order[i:i + batch_size]]

    def mb_choice_each(X, y, batch_size, rng):
        for _ in range(math.ceil(len(X) / batch_size)):
            chosen = rng.choice(len(X), size=batch_size)  # also wrong size for the last
            yield X[chosen], y[chosen]

    assert_rejected(checks.check_minibatches, mb_integers, "WITH replacement", capsys)
    assert_rejected(checks.check_minibatches, mb_choice_each, "WITH replacement", capsys)


def test_minibatches_shuffle_in_place(capsys):
    def mb(X, y, batch_size, rng):
        order = rng.permutation(len(X))
        X[:] = X[order]
        y[:] = y[order]
        for i in range(0, len(X), batch_size):
            yield X[i:i + batch_size], y[i:i + batch_size]

    assert_rejected(checks.check_minibatches, mb, "in place", capsys)


def test_minibatches_array_split(capsys):
    def mb(X, y, batch_size, rng):
        order = rng.permutation(len(X))
        for chosen in np.array_split(order, math.ceil(len(X) / batch_size)):
            yield X[chosen], y[chosen]

    assert_rejected(checks.check_minibatches, mb, "except the last", capsys)


# --------------------------------------------------------------------------------- sgd
def my_gradient(X, y, w):
    return X.T @ (sigmoid_where_abs(X @ w) - y) / len(y)


def my_loss(X, y, w):
    z = X @ w
    return float(np.mean(np.logaddexp(0, z) - y * z))


def sgd_loop(X, y, w0, learning_rate, batch_size, n_epochs, rng):
    w = w0.copy()
    losses = []
    for _ in range(n_epochs):
        for X_batch, y_batch in minibatches_list(X, y, batch_size, rng):
            w -= learning_rate * my_gradient(X_batch, y_batch, w)  # on the copy: fine
        losses.append(my_loss(X, y, w))
    return w, np.array(losses)


def sgd_epochwise(X, y, w0, learning_rate, batch_size, n_epochs, rng):
    w, losses = np.array(w0, dtype=float), []
    for _ in range(n_epochs):
        w, epoch_losses = ref.sgd(X, y, w, learning_rate, batch_size, 1, rng)
        losses += epoch_losses
    return w, losses


@pytest.mark.parametrize("fn", [sgd_loop, sgd_epochwise])
def test_sgd_correct_variants(fn, capsys):
    assert run(checks.check_sgd, fn, capsys)


def test_sgd_ignores_batch_size(capsys):
    def full_batch(X, y, w0, learning_rate, batch_size, n_epochs, rng):
        w, losses = w0.copy(), []
        for _ in range(n_epochs):
            w = w - learning_rate * my_gradient(X, y, w)
            losses.append(my_loss(X, y, w))
        return w, losses

    def per_sample(X, y, w0, learning_rate, batch_size, n_epochs, rng):
        w, losses = w0.copy(), []
        for _ in range(n_epochs):
            for X_batch, y_batch in minibatches_list(X, y, 1, rng):
                w = w - learning_rate * my_gradient(X_batch, y_batch, w)
            losses.append(my_loss(X, y, w))
        return w, losses

    def whole_gradient(X, y, w0, learning_rate, batch_size, n_epochs, rng):
        w, losses = w0.copy(), []
        for _ in range(n_epochs):
            for _batch in minibatches_list(X, y, batch_size, rng):
                w = w - learning_rate * my_gradient(X, y, w)
            losses.append(my_loss(X, y, w))
        return w, losses

    for fn in (full_batch, per_sample, whole_gradient):
        assert_rejected(checks.check_sgd, fn, "does not depend on batch_size", capsys)


def test_sgd_records_batch_loss(capsys):
    def last_batch(X, y, w0, learning_rate, batch_size, n_epochs, rng):
        w, losses = w0.copy(), []
        for _ in range(n_epochs):
            for X_batch, y_batch in minibatches_list(X, y, batch_size, rng):
                w = w - learning_rate * my_gradient(X_batch, y_batch, w)
                loss = my_loss(X_batch, y_batch, w)
            losses.append(loss)
        return w, losses

    def mean_batch(X, y, w0, learning_rate, batch_size, n_epochs, rng):
        w, losses = w0.copy(), []
        for _ in range(n_epochs):
            batch_losses = []
            for X_batch, y_batch in minibatches_list(X, y, batch_size, rng):
                w = w - learning_rate * my_gradient(X_batch, y_batch, w)
                batch_losses.append(my_loss(X_batch, y_batch, w))
            losses.append(sum(batch_losses) / len(batch_losses))
        return w, losses

    for fn in (last_batch, mean_batch):
        result = assert_rejected(checks.check_sgd, fn, "loss on ALL the data", capsys)
        assert "losses" in result.message


def test_sgd_generator_reused(capsys):
    def sgd(X, y, w0, learning_rate, batch_size, n_epochs, rng):
        batches = ref.minibatches(X, y, batch_size, rng)
        w, losses = w0.copy(), []
        for _ in range(n_epochs):
            for X_batch, y_batch in batches:
                w = w - learning_rate * my_gradient(X_batch, y_batch, w)
            losses.append(my_loss(X, y, w))
        return w, losses

    assert_rejected(checks.check_sgd, sgd, "iterated only once", capsys)


def test_sgd_modifies_w0(capsys):
    def sgd(X, y, w0, learning_rate, batch_size, n_epochs, rng):
        w, losses = w0, []
        for _ in range(n_epochs):
            for X_batch, y_batch in minibatches_list(X, y, batch_size, rng):
                w -= learning_rate * my_gradient(X_batch, y_batch, w)
            losses.append(my_loss(X, y, w))
        return w, losses

    assert_rejected(checks.check_sgd, sgd, "w0.copy()", capsys)


def test_sgd_new_generator(capsys):
    def sgd(X, y, w0, learning_rate, batch_size, n_epochs, rng):
        return ref.sgd(X, y, w0, learning_rate, batch_size, n_epochs, np.random.default_rng(0))

    assert_rejected(checks.check_sgd, sgd, "Use the rng you are given", capsys)


# --------------------------------------------------------------------------------- accuracy
def test_accuracy_variants(capsys):
    assert run(checks.check_accuracy, lambda y, p: np.mean(np.where(p >= 0.5, 1, 0) == y), capsys)
    assert run(checks.check_accuracy,
               lambda y, p: sum(int(pi >= 0.5) == yi for yi, pi in zip(y, p, strict=True))
               / len(y), capsys)


def test_accuracy_threshold_wrong_way(capsys):
    assert_rejected(checks.check_accuracy, lambda y, p: np.mean((p <= 0.5) == y),
                    "threshold goes the wrong way", capsys)


def test_accuracy_returns_a_count(capsys):
    assert_rejected(checks.check_accuracy, lambda y, p: np.sum((p >= 0.5) == y),
                    "number of correct predictions", capsys)


def test_accuracy_strict_threshold(capsys):
    assert_rejected(checks.check_accuracy, lambda y, p: np.mean(np.round(p) == y),
                    "p = 0.5 counts as class 1", capsys)


def test_accuracy_percentage(capsys):
    assert_rejected(checks.check_accuracy, lambda y, p: 100 * np.mean((p >= 0.5) == y),
                    "not a percentage", capsys)


def test_minibatches_that_never_stop_get_feedback_not_a_hang():
    from helpers.checks import check_minibatches

    def forever(X, y, batch_size, rng):
        order = rng.permutation(len(X))
        start = 0
        while True:
            chosen = order[start:start + batch_size]
            yield X[chosen], y[chosen]
            start += batch_size

    result = check_minibatches(forever)
    assert not result and "does not stop" in result.message
