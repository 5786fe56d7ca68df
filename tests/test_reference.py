"""The reference implementations are right: closed forms, trusted numpy, numerical gradients."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from helpers.gradcheck import numerical_gradient
from helpers.reference import backpropagation as bp
from helpers.reference import linear_regression as lin
from helpers.reference import logistic_regression as log
from helpers.reference import neural_networks as nn
from helpers.reference import training_in_practice as tip


def assert_gradient(analytic, numeric):
    """Central differences (eps = 1e-6) carry ~1e-10 of round-off: compare like check_gradient."""
    np.testing.assert_allclose(analytic, numeric, rtol=1e-7, atol=1e-9)


@pytest.fixture
def rng():
    return np.random.default_rng(1)


def test_linear_regression_basics(rng):
    X = rng.normal(size=(30, 3))
    assert np.array_equal(lin.add_bias(X)[:, -1], np.ones(30))
    assert np.array_equal(lin.add_bias(X)[:, :3], X)
    y = X @ np.array([1.0, -2.0, 0.5]) + 0.1 * rng.normal(size=30)
    w = lin.normal_equation(X, y)
    np.testing.assert_allclose(w, np.linalg.lstsq(X, y, rcond=None)[0], rtol=1e-10)
    assert lin.mse_loss(X, y, w) == pytest.approx(np.mean((X @ w - y) ** 2))
    w0 = rng.normal(size=3)
    g = numerical_gradient(lambda v: lin.mse_loss(X, y, v), w0)
    assert_gradient(lin.mse_gradient(X, y, w0), g)


def test_gradient_descent_converges_to_the_normal_equation(rng):
    X = lin.add_bias(rng.normal(size=(50, 2)))
    y = X @ np.array([2.0, -1.0, 0.5])
    w0 = np.zeros(3)
    w, losses = lin.gradient_descent(X, y, w0, 0.1, 500)
    assert np.array_equal(w0, np.zeros(3)) and len(losses) == 500
    assert losses[0] == pytest.approx(lin.mse_loss(X, y, w0))
    np.testing.assert_allclose(w, lin.normal_equation(X, y), atol=1e-6)


def test_polynomial_features_and_standardize():
    x = np.array([1.0, 2.0, 3.0])
    np.testing.assert_array_equal(
        lin.polynomial_features(x, 3), [[1, 1, 1, 1], [2, 4, 8, 1], [3, 9, 27, 1]]
    )
    Z, mean, std = lin.standardize(lin.polynomial_features(x, 2))
    np.testing.assert_allclose(Z[:, :2].mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(Z[:, -1], 1.0)  # constant bias column left as is


def test_sigmoid_and_tanh_are_stable_and_exact():
    z = np.array([-1e4, -50.0, -1.0, 0.0, 1.0, 50.0, 1e4])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = log.sigmoid(z)
        t = nn.tanh(z)
    np.testing.assert_allclose(s[1:-1], 1 / (1 + np.exp(-z[1:-1])), rtol=1e-12)
    assert s[0] == 0.0 and s[-1] == 1.0
    np.testing.assert_allclose(t, np.tanh(z), rtol=1e-12, atol=1e-15)
    assert isinstance(log.sigmoid(0.0), float) and log.sigmoid(0.0) == 0.5
    assert isinstance(nn.tanh(0.5), float)


def test_cross_entropy_matches_definition_and_its_gradient(rng):
    X = rng.normal(size=(40, 3))
    y = (rng.random(40) < 0.5).astype(float)
    w = rng.normal(size=3)
    p = 1 / (1 + np.exp(-X @ w))
    direct = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    assert log.cross_entropy_loss(X, y, w) == pytest.approx(direct, rel=1e-12)
    g = numerical_gradient(lambda v: log.cross_entropy_loss(X, y, v), w)
    assert_gradient(log.cross_entropy_gradient(X, y, w), g)
    assert np.isfinite(log.cross_entropy_loss(X, y, 1e4 * w))


def test_minibatches_partition_one_permutation(rng):
    X = np.arange(20.0).reshape(10, 2)
    y = np.arange(10.0)
    batches = list(log.minibatches(X, y, 4, np.random.default_rng(3)))
    assert [len(b[1]) for b in batches] == [4, 4, 2]
    order = np.random.default_rng(3).permutation(10)
    np.testing.assert_array_equal(np.concatenate([b[1] for b in batches]), order)
    np.testing.assert_array_equal(np.concatenate([b[0] for b in batches]), X[order])


def test_sgd_with_full_batch_is_gradient_descent(rng):
    X = lin.add_bias(rng.normal(size=(30, 2)))
    y = (X[:, 0] > 0).astype(float)
    w0 = np.zeros(3)
    w, losses = log.sgd(X, y, w0, 0.5, 30, 10, np.random.default_rng(0))
    w_gd = w0.copy()
    for _ in range(10):
        w_gd = w_gd - 0.5 * log.cross_entropy_gradient(X, y, w_gd)
    np.testing.assert_allclose(w, w_gd, rtol=1e-10)
    assert losses[-1] == pytest.approx(log.cross_entropy_loss(X, y, w))
    assert log.accuracy(np.array([1.0, 0.0, 1.0]), np.array([0.5, 0.49, 0.2])) == pytest.approx(
        2 / 3
    )


def test_quadratic_features():
    np.testing.assert_array_equal(
        log.quadratic_features(np.array([[2.0, 3.0]])), [[2, 3, 4, 9, 6, 1]]
    )


def test_perceptron_learns_a_separable_set(rng):
    X = lin.add_bias(rng.normal(size=(60, 2)))
    y = np.where(X[:, 0] + 0.5 * X[:, 1] > 0, 1.0, -1.0)
    w = nn.perceptron_train(X, y, 100)
    np.testing.assert_array_equal(nn.perceptron_predict(X, w), y)
    np.testing.assert_array_equal(nn.perceptron_predict(np.zeros((1, 3)), np.zeros(3)), [1.0])


def test_mlp_forward_shapes_and_output_sigmoid(rng):
    weights = nn.init_weights([2, 3, 4, 1], rng)
    X = rng.normal(size=(5, 2))
    zs, z_lins = nn.mlp_forward(X, weights, nn.tanh)
    assert [z.shape for z in zs] == [(5, 2), (5, 3), (5, 4), (5, 1)]
    np.testing.assert_allclose(zs[1], np.tanh(z_lins[0]))
    np.testing.assert_allclose(zs[-1], 1 / (1 + np.exp(-z_lins[-1])))
    assert np.all(weights[0][-1] == 0)
    talk = nn.init_weights([2, 2, 1], rng, scale=0.5)
    assert all(np.abs(W).max() <= 0.5 for W in talk)


@pytest.mark.parametrize("sizes", [[3, 1], [3, 4, 1], [2, 5, 3, 1]])
@pytest.mark.parametrize("hidden", ["sigmoid", "tanh"])
def test_backprop_matches_numerical_gradients(sizes, hidden, rng):
    act, der = (
        (log.sigmoid, bp.sigmoid_derivative)
        if hidden == "sigmoid"
        else (nn.tanh, bp.tanh_derivative)
    )
    weights = nn.init_weights(sizes, rng, scale=1.0)
    X = rng.normal(size=(7, sizes[0]))
    y = (rng.random(7) < 0.5).astype(float)
    grads = bp.backprop(X, y, weights, act, der)
    for index, W in enumerate(weights):

        def loss(V, index=index):
            trial = list(weights)
            trial[index] = V
            return bp.mlp_loss(X, y, trial, act)

        assert_gradient(grads[index], numerical_gradient(loss, W.copy()))


def test_derivatives_match_numerical_ones():
    z = np.linspace(-4, 4, 9)
    h = 1e-6
    np.testing.assert_allclose(
        bp.sigmoid_derivative(z), (log.sigmoid(z + h) - log.sigmoid(z - h)) / (2 * h), atol=1e-9
    )
    np.testing.assert_allclose(
        bp.tanh_derivative(z), (nn.tanh(z + h) - nn.tanh(z - h)) / (2 * h), atol=1e-9
    )


def test_train_mlp_learns_xor(rng):
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([0.0, 1.0, 1.0, 0.0])
    weights, losses = bp.train_mlp(
        X, y, [4], 2.0, 2000, np.random.default_rng(0), nn.tanh, bp.tanh_derivative
    )
    assert len(losses) == 2000 and losses[-1] < 0.1 * losses[0]
    p = nn.mlp_forward(X, weights, nn.tanh)[0][-1][:, 0]
    np.testing.assert_array_equal(p >= 0.5, y == 1)


def test_split_init_and_l2(rng):
    X = np.arange(20.0).reshape(10, 2)
    y = np.arange(10.0)
    Xt, yt, Xv, yv = tip.train_validation_split(X, y, 0.3, np.random.default_rng(5))
    order = np.random.default_rng(5).permutation(10)
    np.testing.assert_array_equal(yv, order[:3])
    np.testing.assert_array_equal(np.sort(np.concatenate([yt, yv])), y)
    W = tip.xavier_init(400, 300, rng)
    limit = np.sqrt(6 / 700)
    assert W.shape == (401, 300) and np.all(W[-1] == 0) and np.abs(W).max() <= limit
    H = tip.he_init(400, 300, rng)
    assert H[:-1].std() == pytest.approx(np.sqrt(2 / 400), rel=0.02) and np.all(H[-1] == 0)
    weights = [rng.normal(size=(4, 3)), rng.normal(size=(4, 2))]
    grads = tip.l2_penalty_gradient(weights, 0.3)
    for index, W in enumerate(weights):

        def penalty(V, index=index):
            trial = list(weights)
            trial[index] = V
            return tip.l2_penalty(trial, 0.3)

        assert_gradient(grads[index], numerical_gradient(penalty, W.copy()))


def test_softmax_family(rng):
    Z = rng.normal(size=(6, 4)) * 3
    P = tip.softmax(Z)
    np.testing.assert_allclose(P.sum(axis=1), 1.0)
    np.testing.assert_allclose(tip.softmax(Z + 1000.0), P)
    y = np.array([0, 3, 1, 2, 3, 0])
    Y = tip.one_hot(y, 4)
    np.testing.assert_array_equal(Y.argmax(axis=1), y)
    direct = -np.mean(np.log(P[np.arange(6), y]))
    assert tip.softmax_cross_entropy(Z, Y) == pytest.approx(direct, rel=1e-12)
    assert np.isfinite(tip.softmax_cross_entropy(Z * 1e4, Y))
    g = numerical_gradient(lambda V: tip.softmax_cross_entropy(V, Y), Z.copy())
    assert_gradient(tip.softmax_cross_entropy_gradient(Z, Y), g)
