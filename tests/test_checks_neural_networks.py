"""Tests for helpers/checks/neural_networks.py: correct variants pass, mistakes get their hint.

The wrong implementations here are written independently of the checker's own Mistake functions,
as an attendee would write them; each test asserts that the check fails AND that its feedback
names the cause (a phrase of the right hint). Correct variants written differently must pass.
The per-check contract (stubs, None, speed...) is in tests/test_check_contract.py.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from helpers.checks import engine
from helpers.checks.neural_networks import (
    check_layer_forward,
    check_mlp_forward,
    check_perceptron_pocket,
    check_perceptron_predict,
    check_perceptron_train,
    check_softplus,
    check_tanh,
    check_xor_network,
)
from helpers.reference import neural_networks as ref
from helpers.reference.linear_regression import add_bias
from helpers.reference.logistic_regression import sigmoid


@pytest.fixture(autouse=True)
def _first_failing_run(monkeypatch):
    """Every test starts at the first tier of general hints, whatever ran before it."""
    monkeypatch.setattr(engine, "_failed_runs", {})


def _ones_last(X):
    return np.column_stack([X, np.ones(len(X))])


def _attendee(source: str) -> dict:
    """Functions defined as in a notebook: they share one namespace (their globals)."""
    namespace = {"np": np, "add_bias": add_bias, "sigmoid": sigmoid}
    exec(source, namespace)
    return namespace


# --------------------------------------------------------------------------- perceptron_predict
def predict_loop(X, w):
    out = np.empty(len(X))
    for i in range(len(X)):
        out[i] = 1.0 if np.dot(X[i], w) >= 0 else -1.0
    return out


def predict_int(X, w):
    return 2 * (X @ w >= 0).astype(int) - 1


def predict_sign_fixed(X, w):
    s = np.sign(X @ w)
    s[s == 0] = 1
    return s


def predict_w_first(X, w):
    return np.where(w @ X.T < 0, -1.0, 1.0)


def predict_np_sign(X, w):
    return np.sign(X @ w)


def predict_zero_one(X, w):
    return (X @ w >= 0).astype(float)


def predict_booleans(X, w):
    return X @ w >= 0


def predict_strict(X, w):
    return np.where(X @ w > 0, 1, -1)


def predict_columns(X, w):
    n = X.shape[1]
    labels = np.zeros(n)
    for i in range(n):
        labels[i] = 1.0 if np.dot(X[i], w) >= 0 else -1.0
    return labels


def predict_transposed(X, w):
    return np.where(X.T @ w >= 0, 1.0, -1.0)


def predict_transposed_dot(X, w):
    return np.where(np.dot(X.T, w) >= 0, 1.0, -1.0)


@pytest.mark.parametrize("fn", [predict_loop, predict_int, predict_sign_fixed, predict_w_first])
def test_perceptron_predict_accepts_correct_variants(fn):
    assert check_perceptron_predict(fn)


def test_perceptron_predict_notes_a_python_loop():
    result = check_perceptron_predict(predict_loop)
    assert result and "note: a Python loop over the samples works" in result.message
    assert "note:" not in check_perceptron_predict(predict_int).message


@pytest.mark.parametrize("fn, phrase", [
    (predict_np_sign, "`np.sign` returns 0"),
    (predict_zero_one, "not 1 and 0"),
    (predict_booleans, "True / False"),
    (predict_strict, "not `> 0`"),
    (lambda X, w: X @ w, "threshold them"),
    (lambda X, w: np.where(X @ w < 0, 1.0, -1.0), "labels are swapped"),
    (predict_columns, "one label per COLUMN of X"),
    (predict_transposed, "the n scores are X @ w"),
    (predict_transposed_dot, "the n scores are X @ w"),
])
def test_perceptron_predict_names_mistakes(fn, phrase):
    result = check_perceptron_predict(fn)
    assert not result
    assert phrase in result.message


def test_perceptron_predict_general_hints_escalate_without_the_answer():
    def predict_threshold_one(X, w):  # no catalogued mistake: the general hints speak
        return np.where(X[:, 0] * w[0] >= 0, 1.0, -1.0)

    first = check_perceptron_predict(predict_threshold_one)
    second = check_perceptron_predict(predict_threshold_one)
    assert "(1 of 2)" in first.message and "a score of exactly 0 counts as +1" in first.message
    assert "(2 of 2)" in second.message and "np.where(condition, a, b)" in second.message
    assert "X @ w >= 0" not in first.message + second.message


# --------------------------------------------------------------------------- perceptron_train
def train_indexed(X, y, n_epochs):
    w = np.zeros(X.shape[1])
    for _ in range(n_epochs):
        for i in range(X.shape[0]):
            if ref.perceptron_predict(X[i:i + 1], w)[0] != y[i]:
                w += y[i] * X[i]  # in place on our own array: fine
    return w


def train_where(X, y, n_epochs):
    w = np.zeros(X.shape[1])
    for _epoch in range(n_epochs):
        for x, label in zip(X, y, strict=True):
            if np.where(np.dot(x, w) >= 0, 1, -1) != label:
                w = w + label * x
    return w


def train_early_stop(X, y, n_epochs):
    w = np.zeros(X.shape[1], dtype=float)
    for _ in range(n_epochs):
        updated = False
        for i in range(len(y)):
            predicted = 1 if X[i] @ w >= 0 else -1
            if predicted != y[i]:
                w = w + y[i] * X[i]
                updated = True
        if not updated:  # converged: later epochs would change nothing
            break
    return w


def _train_with(update_if, step=1.0, w0=None, order=None):
    def train(X, y, n_epochs):
        w = np.zeros(X.shape[1]) if w0 is None else w0(X)
        for epoch in range(n_epochs):
            indices = range(len(X)) if order is None else order(len(X), epoch)
            for i in indices:
                if update_if(X[i], y[i], w):
                    w = w + step * y[i] * X[i]
        return w
    return train


def _wrong(x, t, w):
    return (1 if x @ w >= 0 else -1) != t


def train_subtract(X, y, n_epochs):
    w = np.zeros(X.shape[1])
    for _ in range(n_epochs):
        for i in range(len(X)):
            if _wrong(X[i], y[i], w):
                w = w - y[i] * X[i]
    return w


train_every = _train_with(lambda x, t, w: True)
train_margin = _train_with(lambda x, t, w: t * np.dot(x, w) <= 0)
train_np_sign = _train_with(lambda x, t, w: np.sign(x @ w) != t)
train_zero_one = _train_with(lambda x, t, w: int(x @ w >= 0) != t)
train_double = _train_with(_wrong, step=2.0)
train_ones = _train_with(_wrong, w0=lambda X: np.ones(X.shape[1]))
train_shuffled = _train_with(
    _wrong, order=lambda n, epoch: np.random.default_rng(100 + epoch).permutation(n))
train_reversed = _train_with(_wrong, order=lambda n, epoch: range(n - 1, -1, -1))
train_small_step = _train_with(_wrong, step=0.1)


def train_single_epoch(X, y, n_epochs):
    w = np.zeros(X.shape[1])
    for i in range(len(X)):
        if _wrong(X[i], y[i], w):
            w = w + y[i] * X[i]
    return w


def train_stale_predictions(X, y, n_epochs):
    w = np.zeros(X.shape[1])
    for _ in range(n_epochs):
        predictions = np.where(X @ w >= 0, 1.0, -1.0)  # once per epoch: stale after an update
        step = np.zeros_like(w)
        for i in range(len(X)):
            if predictions[i] != y[i]:
                step = step + y[i] * X[i]
        w = w + step
    return w


def train_one_weight_per_sample(X, y, n_epochs):
    w = np.zeros(X.shape[0])
    for _ in range(n_epochs):
        for i in range(len(X)):
            if (1.0 if X[i] @ w >= 0 else -1.0) != y[i]:
                w = w + y[i] * X[i]
    return w


def train_one_weight_per_sample_dot(X, y, n_epochs):
    w = np.zeros(len(X))
    for _ in range(n_epochs):
        for x_i, y_i in zip(X, y, strict=True):
            if (1.0 if np.dot(x_i, w) >= 0 else -1.0) != y_i:
                w = w + y_i * x_i
    return w


@pytest.mark.parametrize("fn", [train_indexed, train_where, train_early_stop])
def test_perceptron_train_accepts_correct_variants(fn):
    assert check_perceptron_train(fn)


@pytest.mark.parametrize("fn, phrase", [
    (train_subtract, "ADDS y_i * x_i"),
    (train_every, "update only when sample i is MISCLASSIFIED"),
    (train_margin, "not `y_i * (x_i @ w) <= 0`"),
    (train_np_sign, "or np.sign, which gives 0"),
    (train_zero_one, "predict -1.0 (not 0)"),
    (train_double, "(y_i - prediction) * x_i is 2 * y_i * x_i"),
    (train_ones, "start from zeros"),
    (train_single_epoch, "loop over the epochs"),
    (train_stale_predictions, "that is the batch perceptron"),
    (train_one_weight_per_sample, "one weight per FEATURE"),
    (train_one_weight_per_sample_dot, "one weight per FEATURE"),
])
def test_perceptron_train_names_mistakes(fn, phrase):
    result = check_perceptron_train(fn)
    assert not result
    assert phrase in result.message


@pytest.mark.parametrize("fn", [train_shuffled, train_reversed, train_small_step])
def test_perceptron_train_names_the_order_or_the_step_when_the_data_is_separated(fn):
    result = check_perceptron_train(fn)
    assert not result
    assert "no shuffling" in result.message and "no learning rate" in result.message


def test_perceptron_train_rejects_writing_into_X():
    def train_normalising(X, y, n_epochs):
        X /= np.linalg.norm(X, axis=1, keepdims=True)
        return ref.perceptron_train(X, y, n_epochs)

    result = check_perceptron_train(train_normalising)
    assert not result and "in place" in result.message


def test_perceptron_train_blames_a_failing_perceptron_predict_first():
    attendee = _attendee(
        "def perceptron_predict(X, w):\n"
        "    return np.sign(X @ w)\n"
        "def perceptron_train(X, y, n_epochs):\n"
        "    w = np.zeros(X.shape[1])\n"
        "    for _ in range(n_epochs):\n"
        "        for i in range(len(X)):\n"
        "            if perceptron_predict(X[i:i + 1], w)[0] != y[i]:\n"
        "                w = w + y[i] * X[i]\n"
        "    return w\n")
    result = check_perceptron_train(attendee["perceptron_train"])
    assert not result
    assert result.message.startswith(
        "❌ perceptron_train calls your `perceptron_predict`, which fails its own check")


# --------------------------------------------------------------------------- tanh
def tanh_via_sigmoid(z):
    return 2 * sigmoid(2 * np.asarray(z, dtype=float)) - 1


def tanh_where(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-2 * np.abs(z))
    return np.where(z >= 0, (1 - e) / (1 + e), -(1 - e) / (1 + e))


def tanh_filled(z):
    z = np.array(z, dtype=float)
    out = np.empty(z.shape)
    positive = z >= 0
    e = np.exp(-2 * np.abs(z))
    out[positive] = ((1 - e) / (1 + e))[positive]
    out[~positive] = (-(1 - e) / (1 + e))[~positive]
    return out


def tanh_naive(z):
    return (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))


def tanh_naive_silenced(z):
    with np.errstate(over="ignore", invalid="ignore"):
        return (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))


def tanh_half_stable(z):
    return (1 - np.exp(-2 * z)) / (1 + np.exp(-2 * z))  # overflows for very negative z


def tanh_sigmoid(z):
    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))


def tanh_abs(z):
    e = np.exp(-2 * np.abs(z))
    return (1 - e) / (1 + e)


def tanh_zeros_like(z):
    z = np.asarray(z)
    out = np.zeros_like(z)
    e = np.exp(-2 * np.abs(z))
    out[z >= 0] = ((1 - e) / (1 + e))[z >= 0]
    out[z < 0] = (-(1 - e) / (1 + e))[z < 0]
    return out


def tanh_math(z):
    return (math.exp(z) - math.exp(-z)) / (math.exp(z) + math.exp(-z))


@pytest.mark.parametrize("fn", [np.tanh, tanh_via_sigmoid, tanh_where, tanh_filled])
def test_tanh_accepts_correct_variants(fn):
    assert check_tanh(fn)


def test_tanh_notes_np_tanh():
    result = check_tanh(lambda z: np.tanh(z))
    assert result and "note: np.tanh is exactly right" in result.message
    assert "note:" not in check_tanh(tanh_where).message


@pytest.mark.parametrize("fn, phrase", [
    (tanh_naive, "overflows once |z| > 710"),
    (tanh_half_stable, "Divide top and bottom by e^|z|"),
    (tanh_naive_silenced, "even with the warnings silenced"),
    (tanh_sigmoid, "that is the sigmoid"),
    (tanh_abs, "lost the sign"),
    (tanh_zeros_like, "keeps z's dtype"),
    (tanh_math, "`math.exp` (like math.tanh, math.copysign) works on one number only"),
])
def test_tanh_names_mistakes(fn, phrase):
    result = check_tanh(fn)
    assert not result
    assert phrase in result.message


def test_tanh_overflowing_formula_is_reported_as_a_warning():
    result = check_tanh(tanh_naive)
    assert "numpy warned" in result.message and "overflow" in result.message


# --------------------------------------------------------------------------- layer_forward
def layer_split_bias(X, W, activation):
    z_lin = X @ W[:-1] + W[-1]
    return z_lin, activation(z_lin)


def layer_dot_list(X, W, activation):
    z_lin = np.dot(_ones_last(X), W)
    return [z_lin, activation(z_lin)]


def layer_c_(X, W, activation):
    z_lin = np.c_[X, np.ones(X.shape[0], dtype=int)] @ W
    return z_lin, activation(z_lin)


def layer_swapped(X, W, activation):
    z_lin = add_bias(X) @ W
    return activation(z_lin), z_lin


def layer_no_bias(X, W, activation):
    z_lin = X @ W[:X.shape[1]]
    return z_lin, activation(z_lin)


def layer_bias_first(X, W, activation):
    z_lin = np.column_stack([np.ones(len(X)), X]) @ W
    return z_lin, activation(z_lin)


def layer_bias_row_first(X, W, activation):
    z_lin = X @ W[1:] + W[0]
    return z_lin, activation(z_lin)


def layer_sigmoid_always(X, W, activation):
    z_lin = add_bias(X) @ W
    return z_lin, 1 / (1 + np.exp(-z_lin))


def layer_without_unit_column(X, W, activation):
    z_lin = X @ W
    return z_lin, activation(z_lin)


def layer_transposed(X, W, activation):
    z_lin = add_bias(X) @ W.T
    return z_lin, activation(z_lin)


@pytest.mark.parametrize("fn", [layer_split_bias, layer_dot_list, layer_c_])
def test_layer_forward_accepts_correct_variants(fn):
    assert check_layer_forward(fn)


@pytest.mark.parametrize("fn, phrase", [
    (layer_swapped, "the two outputs are swapped"),
    (layer_no_bias, "instead of dropping the bias row"),
    (layer_bias_first, "the column of ones goes LAST"),
    (layer_bias_row_first, "the column of ones goes LAST"),
    (layer_sigmoid_always, "not a fixed sigmoid"),
    (lambda X, W, activation: activation(add_bias(X) @ W), "tuple of 2 items"),
    (layer_without_unit_column, "W has one more row than X has columns"),
    (layer_transposed, "without a transpose"),
])
def test_layer_forward_names_mistakes(fn, phrase):
    result = check_layer_forward(fn)
    assert not result
    assert phrase in result.message


# --------------------------------------------------------------------------- mlp_forward
def mlp_loop(X, weights, activation=sigmoid):
    zs, z_lins = [X], []
    L = len(weights)
    for l in range(L):  # noqa: E741
        z_lins.append(np.hstack([zs[l], np.ones((zs[l].shape[0], 1))]) @ weights[l])
        zs.append(activation(z_lins[l]) if l < L - 1 else sigmoid(z_lins[l]))
    return zs, z_lins


def mlp_hidden_then_output(X, weights, activation=sigmoid):
    zs, z_lins = [X], []
    for W in weights[:-1]:
        z_lin, z = ref.layer_forward(zs[-1], W, activation)
        zs.append(z)
        z_lins.append(z_lin)
    z_lin, p = ref.layer_forward(zs[-1], weights[-1], sigmoid)
    return tuple(zs + [p]), tuple(z_lins + [z_lin])


def _mlp(hidden, output, keep_x=True):
    def forward(X, weights, activation=sigmoid):
        zs, z_lins, z = [], [], X
        for index, W in enumerate(weights):
            z_lin = add_bias(z) @ W
            last = index == len(weights) - 1
            f = output(activation) if last else hidden(activation)
            z = f(z_lin)
            zs.append(z)
            z_lins.append(z_lin)
        return ([X] + zs if keep_x else zs), z_lins
    return forward


mlp_all_activation = _mlp(lambda f: f, lambda f: f)
mlp_linear_hidden = _mlp(lambda f: (lambda z: z), lambda f: sigmoid)
mlp_all_sigmoid = _mlp(lambda f: sigmoid, lambda f: sigmoid)
mlp_without_x = _mlp(lambda f: f, lambda f: sigmoid, keep_x=False)


def mlp_extra_output(X, weights, activation=sigmoid):
    zs, z_lins = ref.mlp_forward(X, weights, activation)
    return zs + [zs[-1]], z_lins


def mlp_lists_swapped(X, weights, activation=sigmoid):
    zs, z_lins = ref.mlp_forward(X, weights, activation)
    return z_lins, zs


def _mlp_with(next_input, appends_swapped=False):
    """A forward pass with one slip: what the next layer receives, or which list gets what."""
    def forward(X, weights, activation=sigmoid):
        zs, z_lins, current = [X], [], X
        for i, W in enumerate(weights):
            f = sigmoid if i == len(weights) - 1 else activation
            z_lin, z = ref.layer_forward(current, W, f)
            zs.append(z_lin if appends_swapped else z)
            z_lins.append(z if appends_swapped else z_lin)
            current = next_input(X, z_lin, z)
        return zs, z_lins
    return forward


mlp_appends_swapped = _mlp_with(lambda X, z_lin, z: z, appends_swapped=True)
mlp_feeds_z_lin = _mlp_with(lambda X, z_lin, z: z_lin)
mlp_feeds_x = _mlp_with(lambda X, z_lin, z: X)


def mlp_forgets_output(X, weights, activation=sigmoid):
    zs, z_lins = [X], []
    for W in weights[:-1]:
        z_lin, z = ref.layer_forward(zs[-1], W, activation)
        zs.append(z)
        z_lins.append(z_lin)
    return zs, z_lins


MLP_FORWARD_CALLING_LAYER_FORWARD = (
    "def mlp_forward(X, weights, activation=sigmoid):\n"
    "    zs, z_lins = [X], []\n"
    "    for i, W in enumerate(weights):\n"
    "        f = sigmoid if i == len(weights) - 1 else activation\n"
    "        z_lin, z = layer_forward(zs[-1], W, f)\n"
    "        zs.append(z)\n"
    "        z_lins.append(z_lin)\n"
    "    return zs, z_lins\n")


@pytest.mark.parametrize("fn", [mlp_loop, mlp_hidden_then_output])
def test_mlp_forward_accepts_correct_variants(fn):
    assert check_mlp_forward(fn)


def test_mlp_forward_notes_when_layer_forward_is_not_reused():
    assert "note: you did not call your layer_forward" in check_mlp_forward(mlp_loop).message
    attendee = _attendee(
        "def layer_forward(X, W, activation):\n"
        "    z_lin = add_bias(X) @ W\n"
        "    return z_lin, activation(z_lin)\n" + MLP_FORWARD_CALLING_LAYER_FORWARD)
    result = check_mlp_forward(attendee["mlp_forward"])
    assert result and "note:" not in result.message


@pytest.mark.parametrize("fn, phrase", [
    (mlp_all_activation, "the output layer always uses the sigmoid"),
    (mlp_linear_hidden, "apply the activation to every hidden layer too"),
    (mlp_all_sigmoid, "use the `activation` argument for the hidden layers"),
    (mlp_without_x, "zs starts with the input itself"),
    (mlp_extra_output, "one item too many at the end"),
    (mlp_lists_swapped, "the two lists are swapped"),
    (mlp_appends_swapped, "your appends are swapped"),
    (mlp_feeds_z_lin, "not its linear part z_lin"),
    (mlp_feeds_x, "only the first layer sees X"),
    (mlp_forgets_output, "the LAST layer's item is missing"),
])
def test_mlp_forward_names_mistakes(fn, phrase):
    result = check_mlp_forward(fn)
    assert not result
    assert phrase in result.message


def test_mlp_forward_blames_a_failing_layer_forward_first():
    attendee = _attendee(
        "def layer_forward(X, W, activation):\n"
        "    z_lin = add_bias(X) @ W\n"
        "    return activation(z_lin), z_lin\n"  # swapped
        + MLP_FORWARD_CALLING_LAYER_FORWARD)
    result = check_mlp_forward(attendee["mlp_forward"])
    assert not result
    assert result.message.startswith(
        "❌ mlp_forward calls your `layer_forward`, which fails its own check")


def test_mlp_forward_uses_the_notebooks_worked_example():
    zs, z_lins = ref.mlp_forward(np.array([[1.0, 2.0]]), [
        np.array([[0.5, -1.0], [0.25, 0.5], [0.0, 0.5]]), np.array([[1.0], [-1.0], [0.5]])])
    np.testing.assert_allclose(z_lins[0], [[1.0, 0.5]])
    np.testing.assert_allclose(zs[1], [[0.7311, 0.6225]], atol=5e-5)
    np.testing.assert_allclose(z_lins[1], [[0.6086]], atol=5e-5)
    np.testing.assert_allclose(zs[2], [[0.6476]], atol=5e-5)


# --------------------------------------------------------------------------- perceptron_pocket
def _errors(X, y, w):
    return int(np.count_nonzero(np.where(X @ w >= 0, 1, -1) != y))


def pocket_copying(X, y, n_epochs):
    w = np.zeros(X.shape[1])
    best, best_errors = w.copy(), _errors(X, y, w)
    for _ in range(n_epochs):
        for i in range(len(X)):
            if (1 if X[i] @ w >= 0 else -1) != y[i]:
                w += y[i] * X[i]
                errors = _errors(X, y, w)
                if errors < best_errors:
                    best, best_errors = w.copy(), errors
    return best


def pocket_aliased(X, y, n_epochs):
    w = np.zeros(X.shape[1])
    best, best_errors = w, _errors(X, y, w)
    for _ in range(n_epochs):
        for i in range(len(X)):
            if (1 if X[i] @ w >= 0 else -1) != y[i]:
                w += y[i] * X[i]  # in place: best is the same array
                errors = _errors(X, y, w)
                if errors < best_errors:
                    best, best_errors = w, errors
    return best


def _pocket_variant(compare=lambda a, b: a < b, per_epoch=False, first=None):
    def pocket(X, y, n_epochs):
        w = np.zeros(X.shape[1])
        best = w
        best_errors = _errors(X, y, w) if first is None else first
        for _ in range(n_epochs):
            for i in range(len(X)):
                if (1 if X[i] @ w >= 0 else -1) != y[i]:
                    w = w + y[i] * X[i]
                    if not per_epoch and compare(_errors(X, y, w), best_errors):
                        best, best_errors = w, _errors(X, y, w)
            if per_epoch and compare(_errors(X, y, w), best_errors):
                best, best_errors = w, _errors(X, y, w)
        return best
    return pocket


def test_perceptron_pocket_accepts_a_correct_variant():
    assert check_perceptron_pocket(pocket_copying)


@pytest.mark.parametrize("fn, phrase", [
    (lambda X, y, n_epochs: ref.perceptron_train(X, y, n_epochs), "the perceptron's last weights"),
    (pocket_aliased, "the pocket IS w"),
    (_pocket_variant(compare=lambda a, b: a <= b), "STRICTLY fewer training errors"),
    (_pocket_variant(per_epoch=True), "after EVERY update"),
    (_pocket_variant(first=float("inf")), "the starting zeros go into the pocket too"),
])
def test_perceptron_pocket_names_mistakes(fn, phrase):
    result = check_perceptron_pocket(fn)
    assert not result
    assert phrase in result.message


# --------------------------------------------------------------------------- xor_network
def _two_two_one(W1, W2):
    W1, W2 = np.array(W1, dtype=float), np.array(W2, dtype=float)

    def network(X):
        hidden = sigmoid(add_bias(X) @ W1)
        return sigmoid(add_bias(hidden) @ W2)
    return network


# class 1 as an OR of two corners: "x1 - x2 > 1" or "x2 - x1 > 1"
xor_two_corners = _two_two_one([[4, -4], [-4, 4], [-4, -4]], [[8], [8], [-4]])


def xor_flat(X):
    return _two_two_one([[5, -5], [5, -5], [5, 5]], [[10], [10], [-15]])(X).ravel()


def xor_labels(X):
    p = _two_two_one([[5, -5], [5, -5], [5, 5]], [[10], [10], [-15]])(X)
    return (p >= 0.5).astype(float)


@pytest.mark.parametrize("fn", [xor_two_corners, xor_flat, xor_labels,
                                lambda X: ref.mlp_forward(X, list(ref.XOR_WEIGHTS))[0][-1]])
def test_xor_network_accepts_any_network_that_solves_it(fn):
    assert check_xor_network(fn)


def test_xor_network_notes_when_mlp_forward_is_not_used():
    assert "note: you did not call mlp_forward" in check_xor_network(xor_two_corners).message


@pytest.mark.parametrize("fn, phrase", [
    (_two_two_one([[5, -5], [5, -5], [5, 5]], [[-10], [-10], [15]]), "the opposite class"),
    (_two_two_one([[6, -6], [6, -6], [6, 6]], [[5], [5], [-2]]), "an OR"),
    (_two_two_one([[5, -5], [5, -5], [0, 0]], [[10], [10], [-15]]), "never on together"),
    (_two_two_one([[5, 0], [5, 0], [5, 0]], [[10], [0], [-5]]), "one line cuts off one corner"),
    (_two_two_one([[5, 0], [5, 0], [-5, 0]], [[-10], [0], [5]]), "one line cuts off one corner"),
    (lambda X: add_bias(sigmoid(add_bias(X) @ ref.XOR_WEIGHTS[0])) @ ref.XOR_WEIGHTS[1],
     "not its linear part"),
])
def test_xor_network_names_mistakes(fn, phrase):
    result = check_xor_network(fn)
    assert not result
    assert phrase in result.message


def test_xor_network_reports_a_wrong_shape_and_none():
    wide = check_xor_network(lambda X: np.hstack([xor_flat(X)[:, None]] * 2))
    assert not wide and "shape (4, 2)" in wide.message
    assert "None" in check_xor_network(lambda X: None).message


# --------------------------------------------------------------------------- softplus
def softplus_where(z):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z + np.log1p(np.exp(-np.abs(z))), np.log1p(np.exp(-np.abs(z))))


def softplus_naive(z):
    return np.log(1 + np.exp(z))


def softplus_naive_silenced(z):
    with np.errstate(over="ignore"):
        return np.log(1 + np.exp(z))


def softplus_no_abs(z):
    z = np.asarray(z, dtype=float)
    return np.maximum(z, 0) + np.log1p(np.exp(-z))


def softplus_abs(z):
    z = np.asarray(z, dtype=float)
    return np.abs(z) + np.log1p(np.exp(-np.abs(z)))


def softplus_empty_like(z):
    z = np.asarray(z)
    out = np.empty_like(z)
    out[...] = np.log1p(np.exp(-np.abs(z))) + np.maximum(z, 0)
    return out


def softplus_math(z):
    return math.log(1 + math.exp(z))


@pytest.mark.parametrize("fn", [lambda z: np.logaddexp(0.0, z), softplus_where])
def test_softplus_accepts_correct_variants(fn):
    assert check_softplus(fn)


@pytest.mark.parametrize("fn, phrase", [
    (softplus_naive, "overflows once z > 709"),
    (softplus_naive_silenced, "even with the warnings silenced"),
    (softplus_no_abs, "the exponent is -|z| (not -z)"),
    (lambda z: np.maximum(z, 0.0), "max(z, 0) is ReLU"),
    (lambda z: np.log1p(np.exp(-np.abs(z))), "so add max(z, 0)"),
    (softplus_abs, "max(z, 0) (not |z|)"),
    (softplus_empty_like, "keeps z's dtype"),
    (softplus_math, "work on one number only"),
])
def test_softplus_names_mistakes(fn, phrase):
    result = check_softplus(fn)
    assert not result
    assert phrase in result.message
