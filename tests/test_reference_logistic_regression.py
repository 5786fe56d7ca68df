"""Tests of the challenge references of notebook 02 (helpers.reference.logistic_regression).

The core references (sigmoid to accuracy) are tested in tests/test_reference.py.
"""

from __future__ import annotations

import numpy as np
import pytest

from helpers.gradcheck import numerical_gradient
from helpers.reference import logistic_regression as ref


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    X = np.column_stack([rng.normal(size=(40, 2)), np.ones(40)])
    y = (X[:, 0] - X[:, 1] + rng.normal(size=40) > 0).astype(float)  # overlapping classes
    return X, y


def test_momentum_with_beta_zero_is_sgd(data):
    X, y = data
    w_sgd, losses_sgd = ref.sgd(X, y, np.zeros(3), 0.3, 8, 4, np.random.default_rng(1))
    w, losses = ref.sgd_momentum(X, y, np.zeros(3), 0.3, 8, 4, np.random.default_rng(1), 0.0)
    np.testing.assert_allclose(w, w_sgd)
    np.testing.assert_allclose(losses, losses_sgd)


def test_momentum_keeps_its_velocity_across_epochs(data):
    X, y = data
    w0 = np.array([1, -1, 0])  # integers: the reference works on a float copy
    # full batch: one step per epoch, so the velocity recursion can be written out by hand
    w, v = w0.astype(float), np.zeros(3)
    for _ in range(3):
        v = 0.9 * v - 0.5 * ref.cross_entropy_gradient(X, y, w)
        w = w + v
    got, losses = ref.sgd_momentum(X, y, w0, 0.5, len(y), 3, np.random.default_rng(0), 0.9)
    np.testing.assert_allclose(got, w)
    assert len(losses) == 3 and losses[-1] == pytest.approx(ref.cross_entropy_loss(X, y, w))
    assert w0.tolist() == [1, -1, 0]


def test_one_vs_rest_trains_one_binary_model_per_class():
    rng = np.random.default_rng(2)
    centres = np.array([[0.0, 3.0], [-3.0, -1.5], [3.0, -1.5]])
    X = np.column_stack([np.concatenate([c + rng.normal(size=(20, 2)) for c in centres]),
                         np.ones(60)])
    y = np.repeat([0, 1, 2], 20)
    W = ref.one_vs_rest(X, y, 3, 0.5, 100)
    assert W.shape == (3, 3)
    w1 = np.zeros(3)
    for _ in range(100):
        w1 = w1 - 0.5 * ref.cross_entropy_gradient(X, (y == 1).astype(float), w1)
    np.testing.assert_allclose(W[:, 1], w1)
    assert np.mean(np.argmax(X @ W, axis=1) == y) > 0.95
    np.testing.assert_array_equal(ref.one_vs_rest(X, y, 3, 0.5, 0), np.zeros((3, 3)))


def test_newton_step_uses_the_exact_hessian(data):
    X, y = data
    w = np.array([0.3, -0.2, 0.1])
    p = ref.sigmoid(X @ w)
    hessian = (X.T * (p * (1 - p))) @ X / len(y)
    for j in range(3):  # row j of the Hessian is the gradient of the j-th gradient entry
        numerical = numerical_gradient(lambda v, j=j: ref.cross_entropy_gradient(X, y, v)[j], w)
        np.testing.assert_allclose(hessian[j], numerical, atol=1e-8)
    np.testing.assert_allclose(
        ref.newton_step(X, y, w), w - np.linalg.solve(hessian, ref.cross_entropy_gradient(X, y, w)))


def test_newton_converges_in_a_few_steps(data):
    X, y = data
    w = np.zeros(3)
    for _ in range(8):
        w = ref.newton_step(X, y, w)
    assert np.max(np.abs(ref.cross_entropy_gradient(X, y, w))) < 1e-10
    w_gd = np.zeros(3)
    for _ in range(200):
        w_gd = w_gd - 0.5 * ref.cross_entropy_gradient(X, y, w_gd)
    assert ref.cross_entropy_loss(X, y, w) <= ref.cross_entropy_loss(X, y, w_gd) + 1e-12
