"""Tests for helpers/checks/neural_networks.py: correct variants pass, mistakes get their hint.

The wrong implementations here are written independently of the checker's own Mistake functions,
as an attendee would write them.
"""

from __future__ import annotations

import numpy as np
import pytest

from helpers.checks.neural_networks import (
    check_layer_forward,
    check_mlp_forward,
    check_perceptron_predict,
    check_perceptron_train,
    check_tanh,
)
from helpers.reference import neural_networks as ref
from helpers.reference.linear_regression import add_bias
from helpers.reference.logistic_regression import sigmoid


def _ones_last(X):
    return np.column_stack([X, np.ones(len(X))])


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


def predict_np_sign(X, w):
    return np.sign(X @ w)


def predict_zero_one(X, w):
    return (X @ w >= 0).astype(float)


def predict_booleans(X, w):
    return X @ w >= 0


def predict_strict(X, w):
    return np.where(X @ w > 0, 1, -1)


@pytest.mark.parametrize("fn", [predict_loop, predict_int,
                                predict_sign_fixed])
def test_perceptron_predict_accepts_correct_variants(fn):
    assert check_perceptron_predict(fn)


@pytest.mark.parametrize("fn, phrase", [
    (predict_np_sign, "`np.sign` returns 0"),
    (predict_zero_one, "not 1 and 0"),
    (predict_booleans, "True / False"),
    (predict_strict, "not `> 0`"),
    (lambda X, w: X @ w, "threshold them"),
    (lambda X, w: np.where(X @ w < 0, 1.0, -1.0), "labels are swapped"),
])
def test_perceptron_predict_names_mistakes(fn, phrase):
    result = check_perceptron_predict(fn)
    assert not result
    assert phrase in result.message


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
train_random_start = _train_with(
    _wrong, w0=lambda X: np.random.default_rng(5).normal(size=X.shape[1]))


def train_single_epoch(X, y, n_epochs):
    w = np.zeros(X.shape[1])
    for i in range(len(X)):
        if _wrong(X[i], y[i], w):
            w = w + y[i] * X[i]
    return w


@pytest.mark.parametrize("fn", [train_indexed, train_where])
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
    (train_random_start, "start from w = np.zeros(d)"),
    (train_shuffled, "no shuffling"),
    (train_single_epoch, "loop over the epochs"),
])
def test_perceptron_train_names_mistakes(fn, phrase):
    result = check_perceptron_train(fn)
    assert not result
    assert phrase in result.message


def test_perceptron_train_rejects_writing_into_X():
    def train_normalising(X, y, n_epochs):
        X /= np.linalg.norm(X, axis=1, keepdims=True)
        return ref.perceptron_train(X, y, n_epochs)

    result = check_perceptron_train(train_normalising)
    assert not result and "in place" in result.message


# --------------------------------------------------------------------------- tanh
def tanh_via_sigmoid(z):
    return 2 * sigmoid(2 * np.asarray(z, dtype=float)) - 1


def tanh_where(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-2 * np.abs(z))
    return np.where(z >= 0, (1 - e) / (1 + e), -(1 - e) / (1 + e))


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


@pytest.mark.parametrize("fn", [np.tanh, tanh_via_sigmoid, tanh_where])
def test_tanh_accepts_correct_variants(fn):
    assert check_tanh(fn)


@pytest.mark.parametrize("fn, phrase", [
    (tanh_naive, "overflows once |z| > 710"),
    (tanh_half_stable, "Divide top and bottom by e^|z|"),
    (tanh_naive_silenced, "even with the warnings silenced"),
    (tanh_sigmoid, "that is the sigmoid"),
    (tanh_abs, "lost the sign"),
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


def layer_swapped(X, W, activation):
    z_lin = add_bias(X) @ W
    return activation(z_lin), z_lin


def layer_no_bias(X, W, activation):
    z_lin = X @ W[:X.shape[1]]
    return z_lin, activation(z_lin)


def layer_bias_first(X, W, activation):
    z_lin = np.column_stack([np.ones(len(X)), X]) @ W
    return z_lin, activation(z_lin)


def layer_sigmoid_always(X, W, activation):
    z_lin = add_bias(X) @ W
    return z_lin, 1 / (1 + np.exp(-z_lin))


@pytest.mark.parametrize("fn", [layer_split_bias, layer_dot_list])
def test_layer_forward_accepts_correct_variants(fn):
    assert check_layer_forward(fn)


@pytest.mark.parametrize("fn, phrase", [
    (layer_swapped, "the two outputs are swapped"),
    (layer_no_bias, "instead of dropping the bias row"),
    (layer_bias_first, "the column of ones goes LAST"),
    (layer_sigmoid_always, "not a fixed sigmoid"),
    (lambda X, W, activation: activation(add_bias(X) @ W), "tuple of 2 items"),
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


@pytest.mark.parametrize("fn", [mlp_loop, mlp_hidden_then_output])
def test_mlp_forward_accepts_correct_variants(fn):
    assert check_mlp_forward(fn)


@pytest.mark.parametrize("fn, phrase", [
    (mlp_all_activation, "the output layer always uses the sigmoid"),
    (mlp_linear_hidden, "apply the activation to every hidden layer too"),
    (mlp_all_sigmoid, "use the `activation` argument for the hidden layers"),
    (mlp_without_x, "zs starts with the input itself"),
    (mlp_extra_output, "one item too many at the end"),
])
def test_mlp_forward_names_mistakes(fn, phrase):
    result = check_mlp_forward(fn)
    assert not result
    assert phrase in result.message


def test_mlp_forward_uses_the_notebooks_worked_example():
    zs, z_lins = ref.mlp_forward(np.array([[1.0, 2.0]]), [
        np.array([[0.5, -1.0], [0.25, 0.5], [0.0, 0.5]]), np.array([[1.0], [-1.0], [0.5]])])
    np.testing.assert_allclose(z_lins[0], [[1.0, 0.5]])
    np.testing.assert_allclose(zs[1], [[0.7311, 0.6225]], atol=5e-5)
    np.testing.assert_allclose(z_lins[1], [[0.6086]], atol=5e-5)
    np.testing.assert_allclose(zs[2], [[0.6476]], atol=5e-5)


