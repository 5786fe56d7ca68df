"""Tests for the challenge references of helpers/reference/neural_networks.py (notebook 03).

The core references (perceptron, tanh, layers, mlp_forward) are tested in tests/test_reference.py.
"""

from __future__ import annotations

import numpy as np
import pytest

from helpers.data import load_ring, make_xor
from helpers.gradcheck import numerical_gradient
from helpers.reference import neural_networks as nn
from helpers.reference.linear_regression import add_bias
from helpers.reference.logistic_regression import sigmoid


def _errors(X, y, w):
    return int(np.sum(nn.perceptron_predict(X, w) != y))


@pytest.mark.parametrize("n_epochs", [1, 5, 20])
def test_pocket_is_never_worse_than_the_zeros_or_the_last_weights(n_epochs):
    X, y01 = make_xor(80, np.random.default_rng(3))
    Xb, y = add_bias(X), 2 * y01 - 1
    pocket = nn.perceptron_pocket(Xb, y, n_epochs)
    assert _errors(Xb, y, pocket) <= _errors(Xb, y, np.zeros(3))
    assert _errors(Xb, y, pocket) <= _errors(Xb, y, nn.perceptron_train(Xb, y, n_epochs))


def test_pocket_beats_the_last_weights_on_the_ring():
    X, y01 = load_ring()
    Xb, y = add_bias(X), 2 * y01 - 1
    assert _errors(Xb, y, nn.perceptron_pocket(Xb, y, 20)) < _errors(
        Xb, y, nn.perceptron_train(Xb, y, 20))


def test_pocket_ends_with_the_perceptron_on_separable_data():
    rng = np.random.default_rng(0)
    X = add_bias(rng.normal(size=(40, 2)))
    y = np.where(X @ np.array([1.0, -2.0, 0.3]) >= 0, 1.0, -1.0)
    np.testing.assert_array_equal(nn.perceptron_pocket(X, y, 50), nn.perceptron_train(X, y, 50))
    assert _errors(X, y, nn.perceptron_pocket(X, y, 50)) == 0
    np.testing.assert_array_equal(nn.perceptron_pocket(X, y, 0), np.zeros(3))


def test_xor_network_solves_xor():
    X, y = make_xor(400, np.random.default_rng(1))
    p = nn.xor_network(X)
    assert p.shape == (400, 1)
    np.testing.assert_array_equal((p[:, 0] >= 0.5).astype(float), y)
    centres = nn.xor_network(np.array([[1, -1], [-1, 1], [1, 1], [-1, -1]]))[:, 0]
    assert np.all(centres[:2] > 0.99) and np.all(centres[2:] < 0.01)


def test_softplus_is_stable_and_exact():
    z = np.array([-1e4, -800.0, -30.0, -1.0, 0.0, 1.0, 30.0, 800.0, 1e4])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        s = nn.softplus(z)
    moderate = np.abs(z) <= 30
    np.testing.assert_allclose(s[moderate], np.log1p(np.exp(z[moderate])), rtol=1e-12)
    np.testing.assert_allclose(s, np.logaddexp(0.0, z), rtol=1e-12, atol=0)
    assert isinstance(nn.softplus(0), float) and nn.softplus(0) == pytest.approx(np.log(2))
    assert nn.softplus(np.arange(-2, 3)).dtype == np.float64


def test_softplus_derivative_is_the_sigmoid():
    z = np.array([-3.0, -0.5, 0.0, 0.7, 2.5])
    numerical = numerical_gradient(lambda v: float(np.sum(nn.softplus(v))), z)
    np.testing.assert_allclose(numerical, sigmoid(z), rtol=1e-7)
