"""Tests of the checks of notebook 02 (helpers.checks.logistic_regression): a mistake gallery.

Every check accepts the reference and correct variants written differently, and rejects each
usual mistake with feedback that names its cause. The wrong functions here are written
independently of the checker's own mistake catalogue, the way an attendee would write them; each
test asserts that the check fails AND that the feedback holds a phrase of the right hint.
Functions that call each other are defined in one namespace, as in a notebook, so that the
engine can blame the earlier exercise. The per-check contract (stubs, None, speed...) is in
tests/test_check_contract.py.
"""

from __future__ import annotations

import math
import textwrap

import numpy as np
import pytest

from helpers.checks import engine
from helpers.checks import logistic_regression as checks
from helpers.reference import logistic_regression as ref


@pytest.fixture(autouse=True)
def _first_failing_run(monkeypatch, capsys):
    """Every test starts at the first tier of general hints, and keeps its output quiet."""
    monkeypatch.setattr(engine, "_failed_runs", {})
    yield
    capsys.readouterr()


def passes(check, fn):
    result = check(fn)
    assert result, result.message
    return result


def rejected(check, fn, *phrases):
    result = check(fn)
    assert not result, result.message
    for phrase in phrases:
        assert phrase in result.message, result.message
    return result


# A stable sigmoid and the predict_proba that calls it, as an attendee's notebook defines them.
STABLE_PREDICT_PROBA = """
        def sigmoid(z):
            z = np.asarray(z, dtype=float)
            e = np.exp(-np.abs(z))
            out = np.where(z >= 0, 1 / (1 + e), e / (1 + e))
            return out if out.ndim else float(out)

        def predict_proba(X, w):
            return sigmoid(X @ w)
"""


def attendee(source: str) -> dict:
    """Functions defined as in a notebook: they share one namespace (their globals)."""
    namespace = {"np": np, "math": math}
    exec(textwrap.dedent(source), namespace)
    return namespace


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
    z = np.asarray(z, dtype=float)
    flat = z.reshape(-1)
    out = np.empty_like(flat)  # empty_like of a FLOAT array: fine
    pos = flat >= 0
    out[pos] = 1 / (1 + np.exp(-flat[pos]))
    e = np.exp(flat[~pos])
    out[~pos] = e / (1 + e)
    return out.reshape(z.shape)[()]


def sigmoid_logaddexp(z):
    return np.exp(-np.logaddexp(0, -np.asarray(z, dtype=float)))


@pytest.mark.parametrize("fn", [sigmoid_where_abs, sigmoid_tanh, sigmoid_masks,
                                sigmoid_logaddexp])
def test_sigmoid_correct_variants(fn):
    result = passes(checks.check_sigmoid, fn)
    assert "note:" not in result.message


def test_sigmoid_clipped_passes_with_a_note():
    result = passes(checks.check_sigmoid, sigmoid_clipped)
    assert "note: clipping z works here" in result.message


def test_sigmoid_sign_flipped():
    rejected(checks.check_sigmoid, lambda z: 1 / (1 + np.exp(np.clip(z, -500, 500))),
             "sign in the exponent is flipped")


def test_sigmoid_math_exp():
    result = rejected(checks.check_sigmoid, lambda z: 1 / (1 + math.exp(-z)),
                      "`math.exp`", "np.exp")
    assert "TypeError" in result.message
    assert "case 3" in result.message  # the scalars pass; the first array fails
    assert result.message.count("hint:") == 1


def test_sigmoid_float_of_an_array():
    def sigmoid(z):
        return float(1 / (1 + np.exp(-np.clip(z, -500, 500))))

    rejected(checks.check_sigmoid, sigmoid, "`float(...)`", "single numbers")


def test_sigmoid_loop_over_entries():
    def sigmoid(z):
        return [1 / (1 + math.exp(-v)) for v in z]

    rejected(checks.check_sigmoid, sigmoid, "not iterable", "loop over the entries of z")


def test_sigmoid_naive_overflows():
    result = rejected(checks.check_sigmoid, lambda z: 1 / (1 + np.exp(-z)),
                      "np.exp(-z) overflows")
    assert "overflow" in result.message


def test_sigmoid_where_both_branches_overflow():
    def sigmoid(z):
        return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))

    rejected(checks.check_sigmoid, sigmoid, "computes BOTH a and b")


def test_sigmoid_silenced_overflow_still_fails():
    def sigmoid(z):
        with np.errstate(over="ignore", invalid="ignore"):
            e = np.exp(z)
            return e / (1 + e)  # inf / inf = nan for large z

    result = rejected(checks.check_sigmoid, sigmoid, "hint:")
    assert "nan" in result.message


def test_sigmoid_on_empty_like_names_the_integer_dtype():
    # A tester's sigmoid: right on floats, but np.empty_like(z) of [0, 3] is an integer array.
    def sigmoid(z):
        z = np.asarray(z)
        out = np.empty_like(z)
        positive = z >= 0
        out[positive] = 1 / (1 + np.exp(-z[positive]))
        e = np.exp(z[~positive])
        out[~positive] = e / (1 + e)
        return out if out.ndim else float(out)

    assert sigmoid(np.array([0.0, 3.0])) == pytest.approx([0.5, 0.9526], abs=1e-4)
    assert list(sigmoid(np.array([0, 3]))) == [0, 0]
    rejected(checks.check_sigmoid, sigmoid, "an integer array", "dtype int64",
                      "np.empty_like(z)", "keeps z's dtype")


def test_sigmoid_zeros_like_filled_in_place():
    def sigmoid(z):
        out = np.zeros_like(z)
        out[...] = 1 / (1 + np.exp(-np.clip(z, -500, 500)))
        return out

    rejected(checks.check_sigmoid, sigmoid, "an integer array", "keeps z's dtype")


def test_sigmoid_returns_a_list_for_arrays():
    rejected(checks.check_sigmoid,
             lambda z: ref.sigmoid(z) if np.ndim(z) == 0 else ref.sigmoid(z).tolist(),
             "should be a numpy array")


# --------------------------------------------------------------------------------- predict_proba
def test_predict_proba_variants():
    passes(checks.check_predict_proba, lambda X, w: sigmoid_where_abs(np.dot(X, w)))
    passes(checks.check_predict_proba, lambda X, w: sigmoid_where_abs(w @ X.T))

    def loop(X, w):
        return np.array([sigmoid_where_abs(row @ w) for row in X])

    assert "note: a Python loop" in passes(checks.check_predict_proba, loop).message


def test_predict_proba_without_sigmoid():
    rejected(checks.check_predict_proba, lambda X, w: np.dot(X, w), "not probabilities")


def test_predict_proba_hard_labels():
    rejected(checks.check_predict_proba, lambda X, w: ref.sigmoid(X @ w) >= 0.5,
             "hard 0/1 labels")
    rejected(checks.check_predict_proba, lambda X, w: np.round(ref.sigmoid(X @ w)),
             "hard 0/1 labels")


def test_predict_proba_column():
    rejected(checks.check_predict_proba, lambda X, w: ref.sigmoid(X @ w.reshape(-1, 1)), "(n, 1)")


def test_predict_proba_samples_and_features_mixed_up():
    rejected(checks.check_predict_proba, lambda X, w: ref.sigmoid(X.T @ w), "ValueError",
             "each ROW of X is a sample")
    rejected(checks.check_predict_proba, lambda X, w: ref.sigmoid(np.dot(w, X)),
             "each ROW of X is a sample")


def test_predict_proba_math_exp_and_a_list():
    rejected(checks.check_predict_proba, lambda X, w: 1 / (1 + math.exp(-X @ w)),
             "TypeError", "`math.exp`")
    rejected(checks.check_predict_proba, lambda X, w: [sigmoid_where_abs(x @ w) for x in X],
             "you return a Python list")


def test_predict_proba_blames_a_naive_sigmoid_in_the_same_namespace():
    # A tester's report: a correct predict_proba calling the attendee's own naive sigmoid was
    # told to "rewrite the formula"; the cause is sigmoid, and the feedback must say so.
    notebook = attendee("""
        def sigmoid(z):
            return 1 / (1 + np.exp(-z))

        def predict_proba(X, w):
            return sigmoid(X @ w)
    """)
    result = rejected(checks.check_predict_proba, notebook["predict_proba"])
    first_line = result.message.splitlines()[0]
    assert first_line.startswith("❌ predict_proba calls your `sigmoid`, which fails its own "
                                 "check")
    assert "overflow encountered in exp" in first_line
    assert "fix `sigmoid` first (`check_sigmoid(sigmoid)` says how)" in first_line
    assert "the overflow is in your `sigmoid`" in result.message
    assert "rewrite the formula so that exp only sees non-positive numbers" not in result.message


def test_predict_proba_blames_an_empty_like_sigmoid():
    notebook = attendee("""
        def sigmoid(z):
            z = np.asarray(z)
            out = np.empty_like(z)
            out[...] = 0.5 * (1 + np.tanh(z / 2))
            return out if out.ndim else float(out)

        def predict_proba(X, w):
            return sigmoid(X @ w)
    """)
    rejected(checks.check_predict_proba, notebook["predict_proba"],
             "calls your `sigmoid`, which fails its own check", "dtype int64",
             "integer X and integer w", "the cause is there")


def test_predict_proba_with_its_own_naive_formula():
    result = rejected(checks.check_predict_proba, lambda X, w: 1 / (1 + np.exp(-(X @ w))),
                      "pass the scores to your stable `sigmoid`")
    assert "calls your" not in result.message


def test_predict_proba_with_a_correct_sigmoid_passes_in_a_namespace():
    passes(checks.check_predict_proba, attendee(STABLE_PREDICT_PROBA)["predict_proba"])


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


def loss_where(X, y, w):
    p = ref.sigmoid(X @ w)
    picked = np.where(y == 1, p, 1 - p)  # the probability given to the true class
    return -np.mean(np.log(np.maximum(picked, 1e-300)))


def test_cross_entropy_loss_correct_variants():
    passes(checks.check_cross_entropy_loss, loss_logaddexp_two_terms)
    passes(checks.check_cross_entropy_loss, loss_where)
    assert "note: clipping p works" in passes(checks.check_cross_entropy_loss,
                                              loss_clipped).message
    assert "note: a Python loop" in passes(checks.check_cross_entropy_loss, loss_loop).message


def clipped_p(X, w):
    return np.clip(ref.sigmoid(X @ w), 1e-12, 1 - 1e-12)


def test_cross_entropy_without_minus():
    def loss(X, y, w):
        p = clipped_p(X, w)
        return np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))

    rejected(checks.check_cross_entropy_loss, loss, "minus sign is missing")


def test_cross_entropy_summed():
    def loss(X, y, w):
        z = X @ w
        return np.sum(np.logaddexp(0, z) - y * z)

    rejected(checks.check_cross_entropy_loss, loss, "the loss is the mean")


def test_cross_entropy_n_minus_one_and_features():
    def n_minus_one(X, y, w):
        z = X @ w
        return np.sum(np.logaddexp(0, z) - y * z) / (len(y) - 1)

    def per_feature(X, y, w):
        z = X @ w
        n = X.shape[1]
        return np.sum(np.logaddexp(0, z) - y * z) / n

    rejected(checks.check_cross_entropy_loss, n_minus_one, "you divide by n - 1")
    rejected(checks.check_cross_entropy_loss, per_feature, "X.shape[1], the number of features")


def test_cross_entropy_one_term_missing():
    def only_y(X, y, w):
        p = np.clip(ref.sigmoid(X @ w), 1e-15, 1 - 1e-15)
        return -np.mean(y * np.log(p))

    def only_one_minus_y(X, y, w):
        p = np.clip(ref.sigmoid(X @ w), 1e-15, 1 - 1e-15)
        return -np.mean((1 - y) * np.log(1 - p))

    rejected(checks.check_cross_entropy_loss, only_y, "add -(1 - y) log(1 - p)")
    rejected(checks.check_cross_entropy_loss, only_one_minus_y, "add -y log p")


def test_cross_entropy_mse_in_disguise():
    rejected(checks.check_cross_entropy_loss,
             lambda X, y, w: np.mean((ref.sigmoid(X @ w) - y) ** 2),
             "mean squared error of the probabilities")
    rejected(checks.check_cross_entropy_loss,
             lambda X, y, w: np.mean((X @ w - y) ** 2), "notebook 01's MSE")


def test_cross_entropy_math_log():
    def loss(X, y, w):
        p = clipped_p(X, w)
        return -np.mean(y * math.log(p) + (1 - y) * math.log(1 - p))

    rejected(checks.check_cross_entropy_loss, loss, "TypeError", "`math.log`")


def test_cross_entropy_infinite_on_saturated_predictions():
    def loss(X, y, w):
        p = ref.sigmoid(X @ w)
        return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))

    result = rejected(checks.check_cross_entropy_loss, loss, "clip p into", "log(0)")
    assert "saturated" in result.message


def test_cross_entropy_saturated_with_the_attendees_predict_proba():
    notebook = attendee(STABLE_PREDICT_PROBA + """
        def cross_entropy_loss(X, y, w):
            p = predict_proba(X, w)
            return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    """)
    result = rejected(checks.check_cross_entropy_loss, notebook["cross_entropy_loss"],
                      "saturated", "divide by zero", "clip p into")
    assert "calls your" not in result.message  # sigmoid and predict_proba are right


def test_cross_entropy_infinite_silenced():
    def loss(X, y, w):
        with np.errstate(divide="ignore", invalid="ignore"):
            p = ref.sigmoid(X @ w)
            return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))

    result = rejected(checks.check_cross_entropy_loss, loss, "stable form")
    assert "nan" in result.message or "inf" in result.message


def test_cross_entropy_naive_log1p_exp_overflows():
    def loss(X, y, w):
        z = X @ w
        return np.mean(np.log(1 + np.exp(z)) - y * z)

    rejected(checks.check_cross_entropy_loss, loss, "np.logaddexp(0, t)")


def test_cross_entropy_labels_swapped():
    def loss(X, y, w):
        z = X @ w
        return np.mean((1 - y) * np.logaddexp(0, -z) + y * np.logaddexp(0, z))

    rejected(checks.check_cross_entropy_loss, loss, "swapped")


# --------------------------------------------------------------------------------- gradient
def test_cross_entropy_gradient_variants():
    passes(checks.check_cross_entropy_gradient,
           lambda X, y, w: (ref.sigmoid(X @ w) - y) @ X / len(y))
    passes(checks.check_cross_entropy_gradient,
           lambda X, y, w: np.mean((ref.sigmoid(X @ w) - y)[:, None] * X, axis=0))
    passes(checks.check_cross_entropy_gradient,
           lambda X, y, w: np.dot(X.T, sigmoid_where_abs(np.dot(X, w)) - y) / X.shape[0])


def test_gradient_minus_the_gradient():
    result = rejected(checks.check_cross_entropy_gradient,
                      lambda X, y, w: X.T @ (y - ref.sigmoid(X @ w)) / X.shape[0],
                      "MINUS the gradient", "log-likelihood")
    assert "slide" not in result.message  # the talk's logistic-regression slides have p - y


def test_gradient_without_one_over_n():
    rejected(checks.check_cross_entropy_gradient,
             lambda X, y, w: X.T @ (ref.sigmoid(X @ w) - y), "divide by n")


def test_gradient_n_minus_one_and_features():
    rejected(checks.check_cross_entropy_gradient,
             lambda X, y, w: X.T @ (ref.sigmoid(X @ w) - y) / (X.shape[0] - 1),
             "you divide by n - 1")
    rejected(checks.check_cross_entropy_gradient,
             lambda X, y, w: X.T @ (ref.sigmoid(X @ w) - y) / X.shape[1],
             "X.shape[1], the number of features d")


def test_gradient_without_sigmoid():
    rejected(checks.check_cross_entropy_gradient,
             lambda X, y, w: X.T @ (X @ w - y) / len(X), "apply the sigmoid")


def test_gradient_with_extra_sigmoid_derivative():
    def grad(X, y, w):
        p = ref.sigmoid(X @ w)
        return X.T @ ((p - y) * p * (1 - p)) / len(y)

    rejected(checks.check_cross_entropy_gradient, grad, "cancels")


def test_gradient_errors_times_x_without_transpose():
    rejected(checks.check_cross_entropy_gradient,
             lambda X, y, w: X @ (ref.sigmoid(X @ w) - y) / len(y), "ValueError",
             "so it is X.T @ (p - y)")


def test_gradient_math_exp():
    rejected(checks.check_cross_entropy_gradient,
             lambda X, y, w: X.T @ (1 / (1 + math.exp(-(X @ w))) - y) / len(y), "`math.exp`")


def test_gradient_naive_sigmoid_inline_overflows():
    rejected(checks.check_cross_entropy_gradient,
             lambda X, y, w: X.T @ (1 / (1 + np.exp(-(X @ w))) - y) / len(y),
             "compute p with your stable `sigmoid`")


def test_gradient_blames_the_attendees_naive_sigmoid():
    notebook = attendee("""
        def sigmoid(z):
            return 1 / (1 + np.exp(-z))

        def cross_entropy_gradient(X, y, w):
            return X.T @ (sigmoid(X @ w) - y) / len(y)
    """)
    result = rejected(checks.check_cross_entropy_gradient, notebook["cross_entropy_gradient"])
    assert result.message.startswith("❌ cross_entropy_gradient calls your `sigmoid`, which "
                                     "fails its own check")


# --------------------------------------------------------------------------------- accuracy
def test_accuracy_variants():
    passes(checks.check_accuracy, lambda y, p: np.mean(np.where(p >= 0.5, 1, 0) == y))
    passes(checks.check_accuracy, lambda y, p: ((p >= 0.5) == y).sum() / y.size)

    def loop(y, p):
        return sum(int(pi >= 0.5) == yi for yi, pi in zip(y, p, strict=True)) / len(y)

    assert "note: a Python loop" in passes(checks.check_accuracy, loop).message


def test_accuracy_threshold_wrong_way():
    rejected(checks.check_accuracy, lambda y, p: np.mean((p <= 0.5) == y),
             "threshold goes the wrong way")


def test_accuracy_returns_a_count():
    rejected(checks.check_accuracy, lambda y, p: np.sum((p >= 0.5) == y),
             "number of correct predictions")


def test_accuracy_strict_threshold():
    rejected(checks.check_accuracy, lambda y, p: np.mean(np.round(p) == y),
             "p = 0.5 counts as class 1")


def test_accuracy_percentage():
    rejected(checks.check_accuracy, lambda y, p: 100 * np.mean((p >= 0.5) == y),
             "not a percentage")


def test_accuracy_chained_comparison():
    rejected(checks.check_accuracy, lambda y, p: np.mean(p >= 0.5 == y), "ValueError",
             "Python chains comparisons")


def test_accuracy_n_minus_one():
    rejected(checks.check_accuracy, lambda y, p: np.sum((p >= 0.5) == y) / (len(y) - 1),
             "you divide by n - 1")


# --------------------------------------------------------------------------------- features
def test_quadratic_features_variants():
    def hstack(X):
        x1, x2 = X[:, :1], X[:, 1:]
        return np.hstack([x1, x2, x1 * x1, x2 * x2, x1 * x2, np.ones_like(x1)])

    def loop(X):
        return np.array([[a, b, a**2, b**2, a * b, 1.0] for a, b in X])

    def integer_ones(X):
        return np.column_stack([X, X**2, X[:, 0] * X[:, 1], np.ones(len(X), dtype=int)])

    passes(checks.check_quadratic_features, hstack)
    passes(checks.check_quadratic_features, integer_ones)
    assert "note: a Python loop" in passes(checks.check_quadratic_features, loop).message


def test_quadratic_features_bias_first():
    def feats(X):
        x1, x2 = X.T
        return np.column_stack([np.ones(len(X)), x1, x2, x1**2, x2**2, x1 * x2])

    rejected(checks.check_quadratic_features, feats, "goes LAST")


def test_quadratic_features_missing_columns():
    def no_cross(X):
        x1, x2 = X.T
        return np.column_stack([x1, x2, x1**2, x2**2, np.ones(len(X))])

    def no_square(X):
        x1, x2 = X.T
        return np.column_stack([x1, x2, x1**2, x1 * x2, np.ones(len(X))])

    def no_bias(X):
        x1, x2 = X.T
        return np.column_stack([x1, x2, x1**2, x2**2, x1 * x2])

    rejected(checks.check_quadratic_features, no_cross, "cross term x1 * x2 is missing")
    rejected(checks.check_quadratic_features, no_square, "x2**2 is missing")
    rejected(checks.check_quadratic_features, no_bias, "(the bias) is missing")


def test_quadratic_features_ones_per_feature():
    def feats(X):
        n, d = X.shape
        x1, x2 = X[:, 0], X[:, 1]
        return np.column_stack([x1, x2, x1**2, x2**2, x1 * x2, np.ones(d)])

    rejected(checks.check_quadratic_features, feats, "ValueError", "one entry per SAMPLE")


def test_quadratic_features_hstack_and_list():
    def flat(X):
        x1, x2 = X[:, 0], X[:, 1]
        return np.hstack([x1, x2, x1**2, x2**2, x1 * x2, np.ones(len(X))])

    def rows(X):
        out = []
        for x1, x2 in X:
            out.append([x1, x2, x1**2, x2**2, x1 * x2, 1.0])
        return out

    rejected(checks.check_quadratic_features, flat, "np.hstack puts 1-D arrays end to end")
    rejected(checks.check_quadratic_features, rows, "Python list of rows")


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
def test_minibatches_correct_variants(fn):
    passes(checks.check_minibatches, fn)


def test_minibatches_not_shuffled():
    def mb(X, y, batch_size, rng):
        for i in range(0, len(X), batch_size):
            yield X[i:i + batch_size], y[i:i + batch_size]

    rejected(checks.check_minibatches, mb, "original order")


def test_minibatches_drop_last():
    def mb(X, y, batch_size, rng):
        order = rng.permutation(len(X))
        for k in range(len(X) // batch_size):
            chosen = order[k * batch_size:(k + 1) * batch_size]
            yield X[chosen], y[chosen]

    rejected(checks.check_minibatches, mb, "last, smaller batch is missing")


def test_minibatches_loop_stops_at_n_minus_one():
    def mb(X, y, batch_size, rng):
        n = len(X)
        order = rng.permutation(n)
        for start in range(0, n - 1, batch_size):
            chosen = order[start:start + batch_size]
            yield X[chosen], y[chosen]

    rejected(checks.check_minibatches, mb, "7 samples, batch_size 1", "stops one sample early")


def test_minibatches_permutation_of_the_features():
    def mb(X, y, batch_size, rng):
        n = X.shape[1]
        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            yield X[order[start:start + batch_size]], y[order[start:start + batch_size]]

    rejected(checks.check_minibatches, mb, "shuffles the d FEATURES")


def test_minibatches_shuffle_separately():
    def mb(X, y, batch_size, rng):
        Xs = rng.permutation(X)
        ys = rng.permutation(y)
        for i in range(0, len(X), batch_size):
            yield Xs[i:i + batch_size], ys[i:i + batch_size]

    rejected(checks.check_minibatches, mb, "two different permutations")


def test_minibatches_with_replacement():
    def mb_integers(X, y, batch_size, rng):
        order = rng.integers(0, len(X), len(X))
        for i in range(0, len(X), batch_size):
            yield X[order[i:i + batch_size]], y[order[i:i + batch_size]]

    def mb_choice_each(X, y, batch_size, rng):
        for _ in range(math.ceil(len(X) / batch_size)):
            chosen = rng.choice(len(X), size=batch_size)  # also wrong size for the last
            yield X[chosen], y[chosen]

    rejected(checks.check_minibatches, mb_integers, "WITH replacement")
    rejected(checks.check_minibatches, mb_choice_each, "WITH replacement")


def test_minibatches_shuffle_in_place():
    def mb(X, y, batch_size, rng):
        order = rng.permutation(len(X))
        X[:] = X[order]
        y[:] = y[order]
        for i in range(0, len(X), batch_size):
            yield X[i:i + batch_size], y[i:i + batch_size]

    rejected(checks.check_minibatches, mb, "in place")


def test_minibatches_array_split():
    def mb(X, y, batch_size, rng):
        order = rng.permutation(len(X))
        for chosen in np.array_split(order, math.ceil(len(X) / batch_size)):
            yield X[chosen], y[chosen]

    rejected(checks.check_minibatches, mb, "except the last")


def test_minibatches_that_never_stop_get_feedback_not_a_hang():
    def forever(X, y, batch_size, rng):
        order = rng.permutation(len(X))
        start = 0
        while True:
            chosen = order[start:start + batch_size]
            yield X[chosen], y[chosen]
            start += batch_size

    rejected(checks.check_minibatches, forever, "does not stop")


# --------------------------------------------------------------------------------- sgd
def my_gradient(X, y, w):
    return X.T @ (sigmoid_where_abs(X @ w) - y) / len(y)


def my_loss(X, y, w):
    z = X @ w
    return float(np.mean(np.logaddexp(0, z) - y * z))


def sgd_float_copy(X, y, w0, learning_rate, batch_size, n_epochs, rng):
    w = w0.astype(float)  # a float copy, even of an integer w0
    losses = []
    for _ in range(n_epochs):
        for X_batch, y_batch in minibatches_list(X, y, batch_size, rng):
            w -= learning_rate * my_gradient(X_batch, y_batch, w)  # on the copy: fine
        losses.append(my_loss(X, y, w))
    return w, np.array(losses)  # an array of losses is accepted too


def sgd_epochwise(X, y, w0, learning_rate, batch_size, n_epochs, rng):
    w, losses = np.array(w0, dtype=float), []
    for _ in range(n_epochs):
        w, epoch_losses = ref.sgd(X, y, w, learning_rate, batch_size, 1, rng)
        losses += epoch_losses
    return w, losses


@pytest.mark.parametrize("fn", [sgd_float_copy, sgd_epochwise])
def test_sgd_correct_variants(fn):
    passes(checks.check_sgd, fn)


def test_sgd_in_place_on_an_integer_w0():
    def sgd(X, y, w0, learning_rate, batch_size, n_epochs, rng):
        w = w0.copy()
        losses = []
        for _ in range(n_epochs):
            for X_batch, y_batch in minibatches_list(X, y, batch_size, rng):
                w -= learning_rate * my_gradient(X_batch, y_batch, w)
            losses.append(my_loss(X, y, w))
        return w, losses

    rejected(checks.check_sgd, sgd, "integer X, labels and w0", "Cannot cast",
             "w0 holds integers here")


def test_sgd_ignores_batch_size():
    def full_batch(X, y, w0, learning_rate, batch_size, n_epochs, rng):
        w, losses = w0.astype(float), []
        for _ in range(n_epochs):
            w = w - learning_rate * my_gradient(X, y, w)
            losses.append(my_loss(X, y, w))
        return w, losses

    def per_sample(X, y, w0, learning_rate, batch_size, n_epochs, rng):
        w, losses = w0.astype(float), []
        for _ in range(n_epochs):
            for X_batch, y_batch in minibatches_list(X, y, 1, rng):
                w = w - learning_rate * my_gradient(X_batch, y_batch, w)
            losses.append(my_loss(X, y, w))
        return w, losses

    def whole_gradient(X, y, w0, learning_rate, batch_size, n_epochs, rng):
        w, losses = w0.astype(float), []
        for _ in range(n_epochs):
            for _batch in minibatches_list(X, y, batch_size, rng):
                w = w - learning_rate * my_gradient(X, y, w)
            losses.append(my_loss(X, y, w))
        return w, losses

    for fn in (full_batch, per_sample, whole_gradient):
        rejected(checks.check_sgd, fn, "does not depend on batch_size")


def test_sgd_records_batch_loss():
    def last_batch(X, y, w0, learning_rate, batch_size, n_epochs, rng):
        w, losses = w0.astype(float), []
        for _ in range(n_epochs):
            for X_batch, y_batch in minibatches_list(X, y, batch_size, rng):
                w = w - learning_rate * my_gradient(X_batch, y_batch, w)
                loss = my_loss(X_batch, y_batch, w)
            losses.append(loss)
        return w, losses

    def mean_batch(X, y, w0, learning_rate, batch_size, n_epochs, rng):
        w, losses = w0.astype(float), []
        for _ in range(n_epochs):
            batch_losses = []
            for X_batch, y_batch in minibatches_list(X, y, batch_size, rng):
                w = w - learning_rate * my_gradient(X_batch, y_batch, w)
                batch_losses.append(my_loss(X_batch, y_batch, w))
            losses.append(sum(batch_losses) / len(batch_losses))
        return w, losses

    for fn in (last_batch, mean_batch):
        rejected(checks.check_sgd, fn, "loss on ALL the data", "losses")


def test_sgd_generator_reused():
    def sgd(X, y, w0, learning_rate, batch_size, n_epochs, rng):
        batches = ref.minibatches(X, y, batch_size, rng)
        w, losses = w0.astype(float), []
        for _ in range(n_epochs):
            for X_batch, y_batch in batches:
                w = w - learning_rate * my_gradient(X_batch, y_batch, w)
            losses.append(my_loss(X, y, w))
        return w, losses

    rejected(checks.check_sgd, sgd, "iterated only once")


def test_sgd_modifies_w0():
    def sgd(X, y, w0, learning_rate, batch_size, n_epochs, rng):
        w, losses = w0, []
        for _ in range(n_epochs):
            for X_batch, y_batch in minibatches_list(X, y, batch_size, rng):
                w -= learning_rate * my_gradient(X_batch, y_batch, w)
            losses.append(my_loss(X, y, w))
        return w, losses

    rejected(checks.check_sgd, sgd, "modified its input w0 in place", "never write into w0")


def test_sgd_new_generator():
    def sgd(X, y, w0, learning_rate, batch_size, n_epochs, rng):
        return ref.sgd(X, y, w0, learning_rate, batch_size, n_epochs, np.random.default_rng(0))

    rejected(checks.check_sgd, sgd, "with the rng you are given: no new generator")


def test_sgd_blames_the_attendees_minibatches():
    notebook = attendee("""
        def minibatches(X, y, batch_size, rng):
            order = rng.permutation(len(X))
            for k in range(len(X) // batch_size):  # the last, smaller batch is lost
                chosen = order[k * batch_size:(k + 1) * batch_size]
                yield X[chosen], y[chosen]

        def sgd(X, y, w0, learning_rate, batch_size, n_epochs, rng):
            w, losses = np.array(w0, dtype=float), []
            for _ in range(n_epochs):
                for X_batch, y_batch in minibatches(X, y, batch_size, rng):
                    p = 1 / (1 + np.exp(-(X_batch @ w)))
                    w = w - learning_rate * X_batch.T @ (p - y_batch) / len(y_batch)
                z = X @ w
                losses.append(float(np.mean(np.logaddexp(0, z) - y * z)))
            return w, losses
    """)
    result = rejected(checks.check_sgd, notebook["sgd"])
    assert result.message.startswith("❌ sgd calls your `minibatches`, which fails its own check")


# --------------------------------------------------------------------------------- momentum ★
def test_sgd_momentum_correct_variant():
    def sgd_momentum(X, y, w0, learning_rate, batch_size, n_epochs, rng, beta=0.9):
        w = w0.astype(float)
        velocity = np.zeros(len(w))
        losses = []
        for _ in range(n_epochs):
            for X_batch, y_batch in minibatches_split(X, y, batch_size, rng):
                velocity = beta * velocity - learning_rate * my_gradient(X_batch, y_batch, w)
                w = w + velocity
            losses.append(my_loss(X, y, w))
        return w, losses

    passes(checks.check_sgd_momentum, sgd_momentum)


def _momentum_attempt(update, reset_each_epoch=False):
    def sgd_momentum(X, y, w0, learning_rate, batch_size, n_epochs, rng, beta=0.9):
        w, v, losses = w0.astype(float), np.zeros(len(w0)), []
        for _ in range(n_epochs):
            if reset_each_epoch:
                v = np.zeros(len(w0))
            for X_batch, y_batch in minibatches_list(X, y, batch_size, rng):
                w, v = update(w, v, my_gradient(X_batch, y_batch, w), learning_rate, beta)
            losses.append(my_loss(X, y, w))
        return w, losses

    return sgd_momentum


def _classic(w, v, g, lr, beta):
    v = beta * v - lr * g
    return w + v, v


@pytest.mark.parametrize(("attempt", "phrase"), [
    (_momentum_attempt(lambda w, v, g, lr, beta: (w - lr * g, v)), "your result is plain SGD"),
    (_momentum_attempt(_classic, reset_each_epoch=True), "reset at every epoch"),
    (_momentum_attempt(lambda w, v, g, lr, beta: (w - lr * (beta * v + (1 - beta) * g),
                                                  beta * v + (1 - beta) * g)),
     "'moving average' form"),
    (_momentum_attempt(lambda w, v, g, lr, beta: (w + beta * v + lr * g, beta * v + lr * g)),
     "the velocity points uphill"),
    (_momentum_attempt(lambda w, v, g, lr, beta: (w + v, beta * v - lr * g)),
     "move w with the NEW velocity"),
])
def test_sgd_momentum_mistakes(attempt, phrase):
    rejected(checks.check_sgd_momentum, attempt, phrase)


# --------------------------------------------------------------------------------- one-vs-rest ★★
def test_one_vs_rest_correct_variants():
    def with_columns(X, y, n_classes, learning_rate, n_iter):
        columns = []
        for k in range(n_classes):
            target = np.where(y == k, 1.0, 0.0)
            w = np.zeros(X.shape[1])
            for _ in range(n_iter):
                w -= learning_rate * my_gradient(X, target, w)
            columns.append(w)
        return np.column_stack(columns) if columns else np.zeros((X.shape[1], 0))

    def with_full_batch_sgd(X, y, n_classes, learning_rate, n_iter):
        W = np.zeros((X.shape[1], n_classes))
        for k in range(n_classes):
            W[:, k], _ = ref.sgd(X, (y == k).astype(float), np.zeros(X.shape[1]), learning_rate,
                                 len(X), n_iter, np.random.default_rng(0))
        return W

    passes(checks.check_one_vs_rest, with_columns)
    passes(checks.check_one_vs_rest, with_full_batch_sgd)


def _ovr_attempt(labels, shared_w=False, transpose=False, offset=0):
    def one_vs_rest(X, y, n_classes, learning_rate, n_iter):
        W = np.zeros((X.shape[1], n_classes))
        w = np.zeros(X.shape[1])
        for k in range(n_classes):
            if not shared_w:
                w = np.zeros(X.shape[1])
            target = labels(y, k + offset)
            for _ in range(n_iter):
                w = w - learning_rate * my_gradient(X, target, w)
            W[:, k] = w
        return W.T if transpose else W

    return one_vs_rest


@pytest.mark.parametrize(("attempt", "phrase"), [
    (_ovr_attempt(lambda y, k: y), "needs 0/1 labels"),
    (_ovr_attempt(lambda y, k: (y == k) * 1.0, shared_w=True), "create `w = np.zeros(d)` inside"),
    (_ovr_attempt(lambda y, k: (y == k) * 1.0, offset=1), "numbered from 0"),
    (_ovr_attempt(lambda y, k: (y == k) * 1.0, transpose=True), "one COLUMN per class"),
    (_ovr_attempt(lambda y, k: (y != k) * 1.0), "the labels are inverted"),
])
def test_one_vs_rest_mistakes(attempt, phrase):
    rejected(checks.check_one_vs_rest, attempt, phrase)


# --------------------------------------------------------------------------------- Newton ★★★
def test_newton_step_correct_variants():
    def with_columns_scaled(X, y, w):
        p = sigmoid_where_abs(X @ w)
        H = X.T @ (X * (p * (1 - p))[:, None]) / len(y)
        return w - np.linalg.solve(H, X.T @ (p - y) / len(y))

    def without_the_ns(X, y, w):  # the n cancels in H^-1 g
        p = sigmoid_where_abs(X @ w)
        return w - np.linalg.solve((X.T * (p * (1 - p))) @ X, X.T @ (p - y))

    def with_inverse_and_diag(X, y, w):
        p = sigmoid_where_abs(X @ w)
        H = X.T @ np.diag(p * (1 - p)) @ X / len(y)
        return w - np.linalg.inv(H) @ (X.T @ (p - y) / len(y))

    passes(checks.check_newton_step, with_columns_scaled)
    passes(checks.check_newton_step, without_the_ns)
    result = passes(checks.check_newton_step, with_inverse_and_diag)
    assert "np.linalg.solve(H, g) is faster" in result.message
    assert "np.diag(s) builds an n x n matrix" in result.message


def _newton_attempt(weights=lambda p: p * (1 - p), sign=-1, hessian_n=True):
    def newton_step(X, y, w):
        p = sigmoid_where_abs(X @ w)
        g = X.T @ (p - y) / len(y)
        H = X.T @ (X * weights(p)[:, None])
        if hessian_n:
            H = H / len(y)
        return w + sign * np.linalg.solve(H, g)

    return newton_step


@pytest.mark.parametrize(("attempt", "phrase"), [
    (_newton_attempt(sign=1), "the step goes the wrong way"),
    (_newton_attempt(weights=np.ones_like), "weighs each sample by p_i (1 - p_i)"),
    (_newton_attempt(weights=lambda p: p), "not p_i"),
    (_newton_attempt(hessian_n=False), "divide both by n"),
    (lambda X, y, w: w - my_gradient(X, y, w), "that is a gradient-descent step"),
])
def test_newton_step_mistakes(attempt, phrase):
    rejected(checks.check_newton_step, attempt, phrase)


def test_newton_step_rows_scaled_with_the_wrong_broadcast():
    def newton_step(X, y, w):
        p = sigmoid_where_abs(X @ w)
        s = p * (1 - p)
        H = (X * s).T @ X / len(y)
        return w - np.linalg.solve(H, X.T @ (p - y) / len(y))

    rejected(checks.check_newton_step, newton_step, "ValueError", "one entry per sample")


# --------------------------------------------------------------------------------- hints
@pytest.mark.parametrize("check", [checks.check_predict_proba, checks.check_cross_entropy_loss,
                                   checks.check_cross_entropy_gradient, checks.check_accuracy])
def test_general_hints_escalate_in_tiers_without_the_answer(check):
    def odd(*args):  # off by a factor no catalogued mistake gives: the general hints speak
        return check.exercise.reference(*args) * 1.37

    first, second, third = check(odd), check(odd), check(odd)
    assert not first and "(1 of 2)" in first.message and "Run this check again" in first.message
    assert "(2 of 2)" in second.message and "(2 of 2)" in third.message
    for result in (first, second):
        assert "@" not in result.message.split("hint:")[-1].split("also:")[-1]


def test_sigmoid_general_hints_escalate():
    def constant(z):
        return np.full(np.shape(z), 0.123)[()]

    first, second = checks.check_sigmoid(constant), checks.check_sigmoid(constant)
    assert "(1 of 2)" in first.message and "np.exp works on whole arrays" in first.message
    assert "(2 of 2)" in second.message and "exp(-|z|)" in second.message
