"""The reference implementations of notebook 01's challenges and the MAE helpers."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from helpers.gradcheck import numerical_gradient
from helpers.reference import linear_regression as ref


@pytest.fixture
def problem():
    rng = np.random.default_rng(3)
    X = ref.add_bias(rng.uniform(1, 10, size=(30, 1)))
    y = X @ np.array([-2.0, 30.0]) + rng.normal(size=30)
    return X, y


def test_momentum_with_beta_zero_is_gradient_descent(problem):
    X, y = problem
    w0 = np.array([0, 15])  # integers: the result is float and w0 is left alone
    w, losses = ref.momentum_descent(X, y, w0, 0.005, 0.0, 50)
    expected_w, expected_losses = ref.gradient_descent(X, y, w0, 0.005, 50)
    np.testing.assert_allclose(w, expected_w)
    np.testing.assert_allclose(losses, expected_losses)
    assert w.dtype == np.float64 and w0.tolist() == [0, 15]


def test_momentum_converges_faster_in_a_narrow_valley(problem):
    X, y = problem
    best = ref.mse_loss(X, y, ref.normal_equation(X, y))
    _, plain = ref.gradient_descent(X, y, np.zeros(2), 0.005, 300)
    _, heavy = ref.momentum_descent(X, y, np.zeros(2), 0.005, 0.9, 300)
    assert heavy[-1] - best < 1e-3 * (plain[-1] - best)


def test_line_search_step_halves_until_the_loss_drops(problem):
    X, y = problem
    w = np.zeros(2)
    new_w, step = ref.line_search_step(X, y, w, 1.0)
    assert ref.mse_loss(X, y, new_w) < ref.mse_loss(X, y, w)
    assert step in [2.0**-k for k in range(31)]
    # the step before (twice as large) did not lower the loss
    assert ref.mse_loss(X, y, w - 2 * step * ref.mse_gradient(X, y, w)) >= ref.mse_loss(X, y, w)
    np.testing.assert_array_equal(w, np.zeros(2))


def test_line_search_step_at_the_minimum_takes_no_step():
    X = np.array([[1.0, 1.0], [2.0, 1.0]])
    new_w, step = ref.line_search_step(X, np.array([3.0, 5.0]), np.array([2, 1]), 1.0)
    assert step == 0.0 and new_w.dtype == np.float64
    np.testing.assert_array_equal(new_w, [2.0, 1.0])


def test_line_search_step_is_quiet_with_a_huge_first_step(problem):
    X, y = problem
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _, step = ref.line_search_step(X, y, np.zeros(2), 1e300, max_halvings=2000)
    assert 0 < step < 1


def test_mae_gradient_matches_the_numerical_gradient_away_from_kinks(problem):
    X, y = problem
    w = np.array([-1.0, 20.0])
    assert np.all(np.abs(X @ w - y) > 1e-3)
    numeric = numerical_gradient(lambda v: ref.mae_loss(X, y, v), w)
    np.testing.assert_allclose(ref.mae_gradient(X, y, w), numeric, rtol=1e-6, atol=1e-9)


def test_mae_gradient_takes_sign_zero_on_a_kink():
    X = np.array([[1.0, 1.0], [2.0, 1.0], [3.0, 1.0]])
    y = np.array([3.0, 4.0, 8.0])  # residuals 0, 1, -1 at w = (2, 1)
    np.testing.assert_allclose(ref.mae_gradient(X, y, np.array([2.0, 1.0])), [-1 / 3, 0.0])


def test_mae_descent_ignores_an_outlier_that_moves_least_squares(problem):
    X, y = problem
    y_out = y.copy()
    y_out[5] += 40.0
    w_clean, _ = ref.mae_descent(X, y, np.zeros(2), 0.5, 3000)
    w_dirty, losses = ref.mae_descent(X, y_out, np.zeros(2), 0.5, 3000)
    assert len(losses) == 3000 and min(losses) == pytest.approx(ref.mae_loss(X, y_out, w_dirty))
    mse_shift = np.abs(ref.normal_equation(X, y_out) - ref.normal_equation(X, y)).max()
    assert np.abs(w_dirty - w_clean).max() < 0.1 * mse_shift
